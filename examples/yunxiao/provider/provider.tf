terraform {
  required_version = ">= 1.5"
  required_providers {
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = "~> 0.2"
    }
  }
}

# Credentials are best kept out of configuration: set ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials).
provider "yunxiao" {
  # The id in https://devops.aliyun.com/organization/<organization_id>; or YUNXIAO_ORGANIZATION_ID.
  organization_id = "5ebbc0228123212b59xxxxx"
}
