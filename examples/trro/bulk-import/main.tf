# Adopt every TRRO project whose name starts with "team-" in one apply: the data source lists
# them, one import block with for_each imports each, and a resource with the same for_each
# describes them as they are.
terraform {
  # import blocks with for_each need Terraform 1.7 or later.
  required_version = ">= 1.7"
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "~> 0.2"
    }
  }
}

# Credentials from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
provider "trro" {
  region = "ap-guangzhou"
}

data "trro_projects" "teams" {
  name_regex = "^team-"
}

locals {
  # Keyed by ProjectId: TRRO project names need not be unique.
  teams = { for p in data.trro_projects.teams.projects : p.id => p }
}

import {
  for_each = local.teams
  to       = trro_project.team[each.key]
  id       = each.value.id
}

resource "trro_project" "team" {
  for_each = local.teams

  name        = each.value.name
  description = each.value.description
  policy_mode = each.value.policy_mode
}
