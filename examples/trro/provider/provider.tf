terraform {
  required_version = ">= 1.5"
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "~> 0.2"
    }
  }
}

# Credentials are best kept out of configuration: set TENCENTCLOUD_SECRET_ID and
# TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN for temporary credentials).
provider "trro" {
  region = "ap-guangzhou"

  # The international site:
  # endpoint = "https://trro.intl.tencentcloudapi.com"
}
