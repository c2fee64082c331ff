# A model gateway endpoint proxying to OpenAI. apply waits until it is DEPLOYED.
resource "blaxel_model" "chat" {
  name         = "team-chat"
  display_name = "Team chat"
  labels       = { team = "ml", env = "dev" }

  runtime = {
    type  = "openai"
    model = "gpt-4.1"
  }
  flavors = [{ name = "t4", type = "cpu" }]

  timeouts = {
    create = "30m"
    delete = "10m"
  }
}

output "chat_url" {
  value = blaxel_model.chat.url
}

output "chat_status" {
  value = blaxel_model.chat.status
}
