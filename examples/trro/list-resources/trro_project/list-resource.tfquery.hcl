# projects.tfquery.hcl, beside the configuration that holds the trro provider block.
# `terraform query` (Terraform 1.14 and later) lists what it finds;
# `terraform query -generate-config-out=generated.tf` writes a resource block and an
# import block (by identity) for each project.
list "trro_project" "teams" {
  provider         = trro
  include_resource = true # the full projects, for -generate-config-out
  limit            = 500  # Terraform's default is 100

  config {
    name_regex = "^team-" # RE2; leave config out to list every project
  }
}
