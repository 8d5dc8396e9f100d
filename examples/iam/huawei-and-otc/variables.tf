# variables.tf
variable "huawei_auth_url" {
  type        = string
  description = "IAM endpoint of Huawei Cloud."
  default     = "https://iam.myhuaweicloud.com/v3"
}

variable "huawei_access_key" {
  type        = string
  description = "Access key (AK) of a Huawei Cloud user with the Security Administrator role."
  default     = null
}

variable "huawei_secret_key" {
  type        = string
  description = "Secret key (SK) of huawei_access_key."
  default     = null
  sensitive   = true
}

variable "huawei_domain_id" {
  type        = string
  description = "Huawei Cloud account id, which AK/SK calls must name."
  default     = null
}

variable "otc_auth_url" {
  type        = string
  description = "IAM endpoint of Open Telekom Cloud."
  default     = "https://iam.eu-de.otc.t-systems.com/v3"
}

variable "otc_user_name" {
  type        = string
  description = "Open Telekom Cloud user with the Security Administrator role."
  default     = null
}

variable "otc_password" {
  type        = string
  description = "Password of otc_user_name."
  default     = null
  sensitive   = true
}

variable "otc_domain_name" {
  type        = string
  description = "Open Telekom Cloud account (domain) name, e.g. OTC-EU-DE-00000000001000000000."
  default     = null
}
