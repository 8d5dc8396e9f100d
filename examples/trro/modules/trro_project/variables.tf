variable "name" {
  type        = string
  description = "Project name, without the prefix."
}

variable "prefix" {
  type        = string
  description = "Prepended to name; the whole name has at most 24 characters."
  default     = "team-"
}

variable "description" {
  type        = string
  description = "Project description, at most 120 characters."
  default     = ""
}

variable "policy_mode" {
  type        = string
  description = "Permission mode: black (blocklist) or white (allowlist)."
  default     = "white"

  validation {
    condition     = contains(["black", "white"], var.policy_mode)
    error_message = "policy_mode must be black or white."
  }
}

variable "create_timeout" {
  type        = string
  description = "How long creating the project may take, retries included."
  default     = "5m"
}
