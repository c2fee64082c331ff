# Terraform 1.5+: adopt an existing connection during plan and apply.
import {
  to = blaxel_integration_connection.openai
  id = "openai-prod"
}
