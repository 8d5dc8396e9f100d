# One IAM project in one region. The module has no provider block: it uses its caller's default
# iam configuration, or the one the caller passes, e.g. `providers = { iam = iam.otc }` to put
# the project on Open Telekom Cloud instead of Huawei Cloud.
resource "iam_project" "this" {
  name            = "${var.region}_${var.name}"
  description     = var.description
  deletion_policy = var.deletion_policy
}
