terraform {
  required_version = ">= 1.5"
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "~> 0.2"
    }
  }
}
