# Terraform 1.5+: adopt an existing policy during plan and apply.
import {
  to = blaxel_policy.eu_only
  id = "eu-only"
}
