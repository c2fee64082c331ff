# Reference a policy that another stack or team manages.
data "blaxel_policy" "shared" {
  name = "shared-eu-only"
}

output "shared_policy_type" {
  value = data.blaxel_policy.shared.type
}

output "shared_policy_locations" {
  value = [for location in data.blaxel_policy.shared.locations : location.name]
}
