# The template named "Scrum 敏捷交付空间" (its English name, "Scrum", works too).
data "yunxiao_project_templates" "scrum" {
  name = "Scrum 敏捷交付空间"
}

resource "yunxiao_project" "team" {
  name        = "scrum team"
  custom_code = "SCRM"
  # one() fails the plan unless exactly one template has this name.
  template_identifier = one(data.yunxiao_project_templates.scrum.templates).identifier
}
