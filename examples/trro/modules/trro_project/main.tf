# One TRRO project with a team's conventions: the team's name prefix and allowlist permissions
# unless the caller asks otherwise. The module has no provider block: it uses the trro
# provider configuration of its caller (or the one the caller passes in `providers`).
resource "trro_project" "this" {
  name        = "${var.prefix}${var.name}"
  description = var.description
  policy_mode = var.policy_mode

  timeouts {
    create = var.create_timeout
  }
}
