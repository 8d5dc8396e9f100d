# A Yunxiao project is imported by <organization_id>/<identifier>,
terraform import yunxiao_project.payments 5ebbc0228123212b59xxxxx/e8b2xxxxxxx09b07d23

# or by its identifier alone when the provider sets organization_id.
terraform import yunxiao_project.payments e8b2xxxxxxx09b07d23

# Or, with Terraform 1.5 and later, declare it in configuration:
#
# import {
#   to = yunxiao_project.payments
#   id = "5ebbc0228123212b59xxxxx/e8b2xxxxxxx09b07d23"
# }
#
# The API does not return a project's template: an imported project may leave
# template_identifier out, and setting it later only records it (no replacement).
# `terraform plan -generate-config-out=generated.tf` writes the resource block for you.
