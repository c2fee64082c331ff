# A connection is imported by its name. Blaxel never returns the secret: set secret_wo and
# secret_wo_version (or secret) in the configuration, and the next apply sends it.
terraform import blaxel_integration_connection.openai openai-prod
