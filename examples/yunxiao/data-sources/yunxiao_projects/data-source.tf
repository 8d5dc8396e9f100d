# Every project of the provider's organization whose name starts with "payments-".
data "yunxiao_projects" "payments" {
  name_regex = "^payments-"
}

# The import id of each one, ready for import {} blocks.
output "payments_import_ids" {
  value = [for p in data.yunxiao_projects.payments.projects : "${data.yunxiao_projects.payments.organization_id}/${p.id}"]
}
