# Adopt every Yunxiao project of an organization whose name starts with "payments-" in one
# apply: the data source lists them, one import block with for_each imports each, and a
# resource with the same for_each describes them as they are.
terraform {
  # import blocks with for_each need Terraform 1.7 or later.
  required_version = ">= 1.7"
  required_providers {
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = "~> 0.2"
    }
  }
}

# Credentials from ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, the
# organization from YUNXIAO_ORGANIZATION_ID (or organization_id here, which would win over it).
provider "yunxiao" {}

data "yunxiao_projects" "payments" {
  name_regex = "^payments-"
}

locals {
  # Keyed by custom_code, which is unique in an organization.
  payments = { for p in data.yunxiao_projects.payments.projects : p.custom_code => p }
}

import {
  for_each = local.payments
  to       = yunxiao_project.payments[each.key]
  # <organization_id>/<identifier>; the identifier alone works too, since the provider sets
  # organization_id.
  id = "${data.yunxiao_projects.payments.organization_id}/${each.value.id}"
}

resource "yunxiao_project" "payments" {
  for_each = local.payments

  name        = each.value.name
  custom_code = each.value.custom_code
  scope       = each.value.scope
  description = each.value.description
  # The API never says which template a project was made from, and an adopted project needs
  # none: template_identifier stays out.
}
