# The same configuration works against Open Telekom Cloud: export OS_AUTH_URL (or HW_AUTH_URL),
# and OS_USERNAME, OS_PASSWORD and OS_DOMAIN_NAME of a user with the Security Administrator role
# (the demo points HW_AUTH_URL at the local fake cloud and signs in as its admin).
# The providers' sources are declared in versions.tf.
provider "iam" {}

resource "iam_project" "demo" {
  name        = "eu-de_projectkit-demo"
  description = "Created by make demo"
}

output "iam_project_id" {
  value = iam_project.demo.id
}
