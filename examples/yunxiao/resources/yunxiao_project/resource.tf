resource "yunxiao_project" "payments" {
  name        = "支付中台"
  custom_code = "PAYM"
  scope       = "private"
  # The identifier of a project template; data "yunxiao_project_templates" finds it by name.
  template_identifier = "704eaxxxx5efede61xxx5"
  description         = "Card and wallet payments"

  timeouts {
    create = "10m"
  }
}
