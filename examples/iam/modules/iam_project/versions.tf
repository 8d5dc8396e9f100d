terraform {
  required_version = ">= 1.5"
  required_providers {
    iam = {
      source  = "projectkit/iam"
      version = "~> 0.2"
    }
  }
}
