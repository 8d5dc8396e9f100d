# One Yunxiao project made from a template found by name. The module has no provider block: it
# uses its caller's default yunxiao configuration (and its organization_id), or the one the
# caller passes, e.g. `providers = { yunxiao = yunxiao.subsidiary }`.
data "yunxiao_project_templates" "this" {
  name = var.template_name
}

resource "yunxiao_project" "this" {
  name        = var.name
  custom_code = var.custom_code
  scope       = var.scope
  description = var.description
  # one() fails the plan unless exactly one template has this name.
  template_identifier = one(data.yunxiao_project_templates.this.templates).identifier
}
