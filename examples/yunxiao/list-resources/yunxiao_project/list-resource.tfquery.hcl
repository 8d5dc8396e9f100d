# projects.tfquery.hcl, beside the configuration that holds the yunxiao provider block.
# `terraform query` (Terraform 1.14 and later) lists what it finds;
# `terraform query -generate-config-out=generated.tf` writes a resource block and an
# import block (by identity: organization_id and id) for each project.
list "yunxiao_project" "payments" {
  provider         = yunxiao
  include_resource = true # the full projects, for -generate-config-out
  limit            = 500  # Terraform's default is 100

  config {
    organization_id = "5ebbc0228123212b59xxxxx" # defaults to the provider's
    name_regex      = "^payments"               # RE2
  }
}
