# A policy is imported by its name.
terraform import blaxel_policy.eu_only eu-only
