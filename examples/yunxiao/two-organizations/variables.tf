# variables.tf
variable "group_organization_id" {
  type        = string
  description = "Id of the group's Yunxiao organization: the <id> in https://devops.aliyun.com/organization/<id>."
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
