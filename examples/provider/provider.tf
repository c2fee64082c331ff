terraform {
  required_providers {
    blaxel = {
      source  = "blaxel-constructs/blaxel"
      version = "0.1.0"
    }
  }
}

# Every argument falls back to an environment variable: BL_API_URL, BL_WORKSPACE,
# BL_API_KEY, BL_CLIENT_CREDENTIALS, BL_API_VERSION. Keep credentials out of code.
provider "blaxel" {}
