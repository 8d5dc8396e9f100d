resource "trro_project" "factory_floor" {
  name        = "factory-floor"
  description = "Remote operation of the forklifts in hall 3"
  policy_mode = "white"
}
