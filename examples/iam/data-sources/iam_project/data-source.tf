# By name: names are unique in an account.
data "iam_project" "payments" {
  name = "eu-de_payments"
}

# By id.
data "iam_project" "by_id" {
  id = "3de1461665f045ef91ba1efe8121b979"
}

# A region's own project, the parent of the region's projects.
data "iam_project" "eu_de" {
  name = "eu-de"
}

output "payments_id" {
  value = data.iam_project.payments.id
}
