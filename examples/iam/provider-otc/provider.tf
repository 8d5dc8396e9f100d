terraform {
  required_version = ">= 1.5"
  required_providers {
    iam = {
      source  = "projectkit/iam"
      version = "~> 0.2"
    }
  }
}

# Open Telekom Cloud, with a user name and password exchanged for a token (renewed
# automatically). Set OS_USERNAME, OS_PASSWORD and OS_DOMAIN_NAME (as for the OpenStack tools
# and the opentelekomcloud provider), or HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME.
provider "iam" {
  auth_url = "https://iam.eu-de.otc.t-systems.com/v3"

  # Or the Netherlands region's endpoint:
  # auth_url = "https://iam.eu-nl.otc.t-systems.com/v3"
}
