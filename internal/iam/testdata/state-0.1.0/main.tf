# The configuration of the 0.1.0 state fixture (see upgrade_test.go). The test writes the
# provider block and, when it makes the fixture, the import blocks. Lines marked "added after
# the import" were applied by the 0.1.0 provider as an in-place update after it imported the
# projects.

resource "iam_project" "payments" {
  name        = "eu-de_payments"
  description = "Payments team"
}

resource "iam_project" "analytics" {
  name            = "eu-nl_analytics"
  deletion_policy = "abandon" # added after the import
}

resource "iam_project" "archive" {
  name        = "eu-de_archive"
  description = "old things"
  status      = "suspended"
  timeouts { read = "2m" } # added after the import
}
