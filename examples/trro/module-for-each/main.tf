# One module call per team: for_each over a map, each instance a TRRO project.
terraform {
  required_version = ">= 1.5"
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

variable "teams" {
  type = map(object({
    description = optional(string, "")
    policy_mode = optional(string, "white")
  }))
  description = "The teams that get a project, by name."
  default = {
    forklifts = { description = "Forklifts in hall 3" }
    cranes    = { description = "Gantry cranes", policy_mode = "black" }
    agv       = {}
  }
}

module "team_project" {
  source   = "../modules/trro_project"
  for_each = var.teams

  name        = each.key
  description = each.value.description
  policy_mode = each.value.policy_mode
}

output "project_ids" {
  description = "ProjectId of each team's project."
  value       = { for team, project in module.team_project : team => project.id }
}
