# main.tf
# Two Yunxiao organizations in one configuration: two configurations of the yunxiao provider,
# the second with an alias, and the same module called in each with for_each.
#
# (When one AccessKey is a member of both organizations, a single provider configuration is
# enough: set organization_id on each resource instead. Aliases are for separate credentials.)
terraform {
  required_version = ">= 1.5"
  required_providers {
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = "~> 0.2"
    }
  }
}

# Arguments a provider block leaves out fall back to the same ALIBABA_CLOUD_* environment
# variables for both configurations, so each gets its own credentials from variables here
# (TF_VAR_group_access_key_secret, ...).

# The group's organization, the default configuration.
provider "yunxiao" {
  organization_id   = var.group_organization_id
  access_key_id     = var.group_access_key_id
  access_key_secret = var.group_access_key_secret
}

# A subsidiary's organization, the configuration named yunxiao.subsidiary.
provider "yunxiao" {
  alias             = "subsidiary"
  organization_id   = var.subsidiary_organization_id
  access_key_id     = var.subsidiary_access_key_id
  access_key_secret = var.subsidiary_access_key_secret
}

module "group_project" {
  source = "../modules/yunxiao_project"
  for_each = {
    PAYM = "支付中台"
    RISK = "风控平台"
  }

  custom_code = each.key
  name        = each.value
}

# `providers` hands the module the subsidiary's configuration as its (default) yunxiao provider.
module "subsidiary_project" {
  source = "../modules/yunxiao_project"
  for_each = {
    SHOP = "商城"
  }
  providers = {
    yunxiao = yunxiao.subsidiary
  }

  custom_code = each.key
  name        = each.value
  scope       = "public"
}

output "import_ids" {
  description = "The import id of every project, by custom code."
  value       = merge({ for code, p in module.group_project : code => p.import_id }, { for code, p in module.subsidiary_project : code => p.import_id })
}
