# The same configuration works against the real Yunxiao API: export ALIBABA_CLOUD_ACCESS_KEY_ID,
# ALIBABA_CLOUD_ACCESS_KEY_SECRET and YUNXIAO_ORGANIZATION_ID, and set yunxiao_template to a
# project template of your organization (the demo points YUNXIAO_ENDPOINT at the local fake
# cloud, whose only template is the default below).
# The providers' sources are declared in versions.tf.
provider "yunxiao" {}

variable "yunxiao_template" {
  type    = string
  default = "704ea0000fakecloud0demo1"
}

resource "yunxiao_project" "demo" {
  name                = "projectkit 演示项目"
  custom_code         = "PKDEMO"
  template_identifier = var.yunxiao_template
  description         = "Created by make demo"
}

output "yunxiao_project_id" {
  value = yunxiao_project.demo.id
}
