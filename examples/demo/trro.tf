# The same configuration works against the real TRRO API: export TENCENTCLOUD_SECRET_ID and
# TENCENTCLOUD_SECRET_KEY (the demo points TRRO_ENDPOINT at the local fake cloud instead).
provider "trro" {
  region = "ap-guangzhou"
}

resource "trro_project" "demo" {
  name        = "projectkit-demo"
  description = "Created by make demo"
}

output "trro_project_id" {
  value = trro_project.demo.id
}
