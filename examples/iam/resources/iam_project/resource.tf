# A project name starts with the id of an existing region and "_": "eu-de_payments" on Open
# Telekom Cloud, "ap-southeast-1_payments" on Huawei Cloud. The provider looks up the region's
# own project (named "eu-de") and makes it the parent.
resource "iam_project" "payments" {
  name        = "eu-de_payments"
  description = "Payment services"
}

# Huawei Cloud cannot delete IAM projects. Suspend this one when it is destroyed, rather than
# only removing it from the state with a warning.
resource "iam_project" "archive" {
  name            = "ap-southeast-1_archive"
  description     = "Read-only archive"
  deletion_policy = "suspend"
}
