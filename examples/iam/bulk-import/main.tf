# Adopt every IAM project of the eu-de region whose name starts with "eu-de_team-" in one apply:
# the data source lists them, one import block with for_each imports each, and a resource with
# the same for_each describes them as they are.
terraform {
  # import blocks with for_each need Terraform 1.7 or later.
  required_version = ">= 1.7"
  required_providers {
    iam = {
      source  = "projectkit/iam"
      version = "~> 0.2"
    }
  }
}

# Open Telekom Cloud: export HW_AUTH_URL=https://iam.eu-de.otc.t-systems.com/v3 and the
# credentials (see the provider's documentation). An auth_url written here would win over
# HW_AUTH_URL, so the same file could not run against a test endpoint.
provider "iam" {}

data "iam_projects" "teams" {
  name_regex = "^eu-de_team-"
}

locals {
  # Keyed by name, which is unique in an account.
  teams = { for p in data.iam_projects.teams.projects : p.name => p }
}

import {
  for_each = local.teams
  to       = iam_project.team[each.key]
  id       = each.value.id
}

resource "iam_project" "team" {
  for_each = local.teams

  name        = each.value.name
  description = each.value.description
  # On Huawei Cloud, which cannot delete projects, choose "suspend" or "abandon".
  deletion_policy = "delete"
}
