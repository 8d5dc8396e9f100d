# The configuration of the 0.1.0 state fixture (see upgrade_test.go). The provider block is
# written by the test. Lines marked "added after the import" were applied by the 0.1.0
# provider as an in-place update after it imported the projects.

resource "trro_project" "factory_floor" {
  name        = "factory-floor"
  description = "Remote operation of the forklifts in hall 3"
  policy_mode = "white"
  timeouts { update = "10m" } # added after the import
}

resource "trro_project" "control_room" {
  name = "控制室"
}

resource "trro_project" "yard" {
  name        = "yard"
  description = "made in the console"
}

import {
  to = trro_project.factory_floor
  id = "pk010trro0000001"
}

import {
  to = trro_project.control_room
  id = "pk010trro0000002"
}

import {
  to = trro_project.yard
  id = "pk010trro0000003"
}
