# main.tf
# Huawei Cloud and Open Telekom Cloud side by side: two configurations of the one iam provider,
# the second with an alias, and the same module called for each cloud with for_each.
terraform {
  required_version = ">= 1.5"
  required_providers {
    iam = {
      source  = "projectkit/iam"
      version = "~> 0.2"
    }
  }
}

# Every argument a provider block leaves out falls back to the same HW_* / OS_* environment
# variables, for both configurations. With two clouds in one run, give each its credentials
# explicitly, as here from variables (TF_VAR_huawei_secret_key, ...), and export no HW_* or OS_*
# credentials: otherwise both configurations would pick them up.

# Huawei Cloud, the default configuration: an access key (AK/SK).
provider "iam" {
  auth_url   = var.huawei_auth_url
  access_key = var.huawei_access_key
  secret_key = var.huawei_secret_key
  domain_id  = var.huawei_domain_id
}

# Open Telekom Cloud, the configuration named iam.otc: a user name and password.
provider "iam" {
  alias       = "otc"
  auth_url    = var.otc_auth_url
  user_name   = var.otc_user_name
  password    = var.otc_password
  domain_name = var.otc_domain_name
}

locals {
  teams = {
    payments = "Card and wallet payments"
    search   = "Search and recommendations"
  }
}

# Huawei Cloud cannot delete IAM projects: suspend them on destroy.
module "huawei_project" {
  source   = "../modules/iam_project"
  for_each = local.teams

  region          = "ap-southeast-1"
  name            = each.key
  description     = each.value
  deletion_policy = "suspend"
}

# The same projects on Open Telekom Cloud: `providers` hands the module the otc configuration
# as its (default) iam provider.
module "otc_project" {
  source   = "../modules/iam_project"
  for_each = local.teams
  providers = {
    iam = iam.otc
  }

  region      = "eu-de"
  name        = each.key
  description = each.value
}

output "project_ids" {
  description = "Each team's project id on each cloud."
  value = {
    for team in keys(local.teams) : team => {
      huawei = module.huawei_project[team].id
      otc    = module.otc_project[team].id
    }
  }
}
