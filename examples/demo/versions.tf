# The demo uses all three providers; each has its own file with the provider block and the
# resources a user would write for the real cloud.
terraform {
  required_version = ">= 1.5"
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "~> 0.2"
    }
    iam = {
      source  = "projectkit/iam"
      version = "~> 0.2"
    }
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = "~> 0.2"
    }
  }
}
