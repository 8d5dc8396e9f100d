# The configuration of the 0.1.0 state fixture (see upgrade_test.go). The provider block, with
# organization_id 5ebbc0228123212b59aaaaaa, is written by the test. Lines marked "added after
# the import" were applied by the 0.1.0 provider as an in-place update after it imported the
# projects.

resource "yunxiao_project" "rd" {
  name                = "研发项目"
  custom_code         = "RDPJ"
  description         = "R&D"
  template_identifier = "704ea00000005efede61aaa5" # added after the import
}

resource "yunxiao_project" "payments" {
  name        = "payments"
  custom_code = "PAYS"
  scope       = "public"
}

resource "yunxiao_project" "elsewhere" {
  organization_id = "5ebbc0228123212b59bbbbbb"
  name            = "other organization"
  custom_code     = "OTHR"
  description     = "in the second organization"
  timeouts { update = "15m" } # added after the import
}

import {
  to = yunxiao_project.rd
  id = "pk010yx00000000000000aa1"
}

import {
  to = yunxiao_project.payments
  id = "5ebbc0228123212b59aaaaaa/pk010yx00000000000000aa2"
}

import {
  to = yunxiao_project.elsewhere
  id = "5ebbc0228123212b59bbbbbb/pk010yx00000000000000bb1"
}
