variable "name" {
  type        = string
  description = "Project name, any Unicode text."
}

variable "custom_code" {
  type        = string
  description = "Project code (项目编号): 4 to 6 upper-case letters, unique in the organization."

  validation {
    condition     = can(regex("^[A-Z]{4,6}$", var.custom_code))
    error_message = "custom_code must be 4 to 6 upper-case letters A-Z."
  }
}

variable "scope" {
  type        = string
  description = "Visibility: public or private."
  default     = "private"
}

variable "description" {
  type        = string
  description = "Project description."
  default     = ""
}

variable "template_name" {
  type        = string
  description = "Name (or English name) of the project template to create the project from."
  default     = "Scrum"
}
