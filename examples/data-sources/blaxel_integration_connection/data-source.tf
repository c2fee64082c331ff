# Reference a connection that another stack or team manages (its secret is never readable).
data "blaxel_integration_connection" "shared" {
  name = "shared-anthropic"
}

output "shared_integration" {
  value = data.blaxel_integration_connection.shared.integration
}

output "shared_config" {
  value = data.blaxel_integration_connection.shared.config
}
