data "iam_project" "eu_de" {
  name = "eu-de"
}

# The projects of one region: the region's project is their parent.
data "iam_projects" "eu_de" {
  parent_id = data.iam_project.eu_de.id
}

# The projects whose name matches a regular expression (RE2), filtered by the provider.
data "iam_projects" "teams" {
  name_regex = "^eu-de_team-"
}

# Every disabled project of the account.
data "iam_projects" "disabled" {
  enabled = false
}

output "eu_de_projects" {
  value = { for p in data.iam_projects.eu_de.projects : p.name => p.id }
}
