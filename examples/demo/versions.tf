# The demo uses all three providers; each has its own file with the provider block and the
# resources a user would write for the real cloud.
terraform {
  required_providers {
    trro = {
      source = "projectkit/trro"
    }
    iam = {
      source = "projectkit/iam"
    }
    yunxiao = {
      source = "projectkit/yunxiao"
    }
  }
}
