# A project by its custom code (项目编号), unique in the organization.
data "yunxiao_project" "payments" {
  custom_code = "PAYM"
}

# Or by its identifier, in another organization than the provider's.
data "yunxiao_project" "platform" {
  organization_id = "5ebbc0228123212b59xxxxx"
  id              = "e8b2xxxxxxx09b07d23"
}

output "payments_project_id" {
  value = data.yunxiao_project.payments.id
}
