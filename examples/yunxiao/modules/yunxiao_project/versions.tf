terraform {
  required_version = ">= 1.5"
  required_providers {
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = "~> 0.2"
    }
  }
}
