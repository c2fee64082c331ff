# The OpenAI credentials a model gateway endpoint proxies with. The API key comes from an ephemeral
# variable (export TF_VAR_openai_api_key=sk-...) and goes to a write-only argument (Terraform 1.11+):
# Terraform sends it to Blaxel but never writes it to the plan or the state.
variable "openai_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "blaxel_integration_connection" "openai" {
  name         = "openai-prod"
  integration  = "openai"
  display_name = "OpenAI (production)"
  config       = { organization = "org-abc123" }
  labels       = { team = "ml" }

  secret_wo = { apiKey = var.openai_api_key }
  # Rotation: set TF_VAR_openai_api_key to the new key and increment this number;
  # the next apply sends the new key. Models using the connection are not redeployed.
  secret_wo_version = 1
}

# A model names the connection by reference, so Terraform creates the connection first and deletes it last.
resource "blaxel_model" "chat" {
  name                    = "team-chat"
  runtime                 = { type = "openai", model = "gpt-4.1" }
  integration_connections = [blaxel_integration_connection.openai.name]
}

output "connection_workspace" {
  value = blaxel_integration_connection.openai.workspace
}
