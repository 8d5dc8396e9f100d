variable "group_organization_id" {
  type        = string
  description = "Id of the group's Yunxiao organization."
  default     = "5ebbc0228123212b59xxxxx"
}

variable "group_access_key_id" {
  type        = string
  description = "AccessKey id of a member of the group's organization."
  default     = null
}

variable "group_access_key_secret" {
  type        = string
  description = "AccessKey secret of group_access_key_id."
  default     = null
  sensitive   = true
}

variable "subsidiary_organization_id" {
  type        = string
  description = "Id of the subsidiary's Yunxiao organization."
  default     = "61a4f0e2b9c3d8e7f6xxxxx"
}

variable "subsidiary_access_key_id" {
  type        = string
  description = "AccessKey id of a member of the subsidiary's organization."
  default     = null
}

variable "subsidiary_access_key_secret" {
  type        = string
  description = "AccessKey secret of subsidiary_access_key_id."
  default     = null
  sensitive   = true
}
