terraform {
  required_version = ">= 1.5"
  required_providers {
    iam = {
      source  = "projectkit/iam"
      version = "~> 0.2"
    }
  }
}

# Huawei Cloud. Credentials are best kept out of configuration: set HW_ACCESS_KEY,
# HW_SECRET_KEY and HW_DOMAIN_ID (an access key of a user with the Security Administrator
# role, and the account id that AK/SK calls to IAM must name).
provider "iam" {
  auth_url = "https://iam.myhuaweicloud.com/v3"
}
