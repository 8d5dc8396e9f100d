# projects.tfquery.hcl, beside the configuration that holds the iam provider block.
# `terraform query` (Terraform 1.14 and later) lists what it finds;
# `terraform query -generate-config-out=generated.tf` writes a resource block and an
# import block (by identity) for each project.
list "iam_project" "frankfurt" {
  provider         = iam
  include_resource = true # the full projects, for -generate-config-out
  limit            = 500  # Terraform's default is 100

  config {
    name_regex = "^eu-de_" # RE2
    enabled    = true
    # Also: name (exact), parent_id (a region's project), domain_id.
  }
}
