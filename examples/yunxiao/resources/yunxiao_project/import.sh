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
# The API does not return a project's template, so the first apply after an import records
# the configured template_identifier in place (an update, not a replacement).
