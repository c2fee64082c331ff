# Terraform 1.5+: adopt an existing model during plan and apply.
import {
  to = blaxel_model.chat
  id = "team-chat"
}
