# Every project whose name starts with "team-".
data "trro_projects" "teams" {
  name_regex = "^team-"
}

output "team_project_ids" {
  value = data.trro_projects.teams.ids
}
