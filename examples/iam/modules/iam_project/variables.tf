variable "region" {
  type        = string
  description = "Id of an existing region of the cloud, e.g. eu-de on Open Telekom Cloud or ap-southeast-1 on Huawei Cloud."
}

variable "name" {
  type        = string
  description = "Project name after the region prefix; region, \"_\" and name have at most 64 characters."
}

variable "description" {
  type        = string
  description = "Project description, at most 255 characters."
  default     = ""
}

variable "deletion_policy" {
  type        = string
  description = "What destroying does: delete (Open Telekom Cloud deletes; Huawei Cloud cannot and warns), suspend or abandon."
  default     = "delete"

  validation {
    condition     = contains(["delete", "suspend", "abandon"], var.deletion_policy)
    error_message = "deletion_policy must be delete, suspend or abandon."
  }
}
