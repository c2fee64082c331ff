# Reference a model that another stack or team manages.
data "blaxel_model" "shared" {
  name = "shared-embeddings"
}

output "shared_url" {
  value = data.blaxel_model.shared.url
}

output "shared_runtime_model" {
  value = data.blaxel_model.shared.runtime.model
}
