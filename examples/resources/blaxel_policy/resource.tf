# Three policies, one of each type. A model applies them by name: policies = [blaxel_policy.eu_only.name].

# type = "location": where deployments may run (continent, country or location).
resource "blaxel_policy" "eu_only" {
  name           = "eu-only"
  display_name   = "EU only"
  type           = "location"
  resource_types = ["model"]
  locations = [
    { name = "eu", type = "continent" },
    { name = "ch", type = "country" },
  ]
  labels = { team = "platform" }
}

# type = "flavor": which hardware flavors deployments may use.
resource "blaxel_policy" "cpu_only" {
  name           = "cpu-only"
  type           = "flavor"
  resource_types = ["model", "agent"]
  flavors        = [{ name = "t4", type = "cpu" }]
}

# type = "maxToken": token limits per period.
resource "blaxel_policy" "token_cap" {
  name = "token-cap"
  type = "maxToken"
  max_tokens = {
    granularity             = "minute"
    input                   = 10000
    output                  = 5000
    total                   = 15000
    ratio_input_over_output = 2
  }
}

output "policy_names" {
  value = [blaxel_policy.eu_only.name, blaxel_policy.cpu_only.name, blaxel_policy.token_cap.name]
}
