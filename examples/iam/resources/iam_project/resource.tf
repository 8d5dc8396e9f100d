# A project name starts with the id of an existing region of the provider's cloud and "_". On
# Open Telekom Cloud (auth_url https://iam.eu-de.otc.t-systems.com/v3) that is "eu-de_payments";
# the provider looks up the region's own project (named "eu-de") and makes it the parent.
resource "iam_project" "payments" {
  name        = "eu-de_payments"
  description = "Payment services"
}

# Suspend this project when it is destroyed rather than delete it. On Huawei Cloud, which cannot
# delete IAM projects, choose "suspend" or "abandon" for every project (its names start with its
# own regions, such as "ap-southeast-1_archive"). One provider configuration serves one cloud:
# for projects in both, see the provider page's example with two configurations.
resource "iam_project" "archive" {
  name            = "eu-de_archive"
  description     = "Read-only archive"
  deletion_policy = "suspend"
}
