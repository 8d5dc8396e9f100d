package yunxiao

// OpenTofu: the provider installed where `make install PLUGIN_HOST=registry.opentofu.org` puts
// it, as OpenTofu users get it. Runs when TF_ACC_TERRAFORM_PATH names a tofu binary (make
// testacc-matrix); skips otherwise.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// tofu init installs projectkit/yunxiao from the implied local mirror under
// registry.opentofu.org; an import block by <organization_id>/<identifier> adopts a project,
// another is created, the plan after the apply is empty, and destroy deletes both. OpenTofu 1.10
// has no resource identity: the state holds none, and an import block with identity is refused.
func TestAccOpenTofu_mirrorImportCreateDestroy(t *testing.T) {
	acctest.RequireOpenTofu(t)
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(secondOrg, client.Project{Name: "研发项目", CustomCode: "RDPJ", Scope: "public", Description: "made in the console"})
	wd, out := acctest.MirrorWorkdir(t, TypeName, map[string]string{"main.tf": `
terraform {
  required_providers {
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = "` + acctest.MirrorVersion + `"
    }
  }
}
` + e.config(fmt.Sprintf(`
import {
  to = yunxiao_project.adopted
  id = "%s/%s"
}
resource "yunxiao_project" "adopted" {
  organization_id = %[1]q
  name            = "研发项目"
  custom_code     = "RDPJ"
  scope           = "public"
  description     = "made in the console"
}
resource "yunxiao_project" "made" {
  name                = "made by tofu"
  custom_code         = "TOFU"
  template_identifier = %[3]q
}
`, secondOrg, existing, testTemplate))})
	acctest.WantOutput(t, "tofu init", out, "projectkit/yunxiao v"+acctest.MirrorVersion) // the lock file records registry.opentofu.org/projectkit/yunxiao

	out = wd.MustRun("plan", "-input=false", "-no-color")
	acctest.WantOutput(t, "the plan", out, "Plan: 1 to import, 1 to add, 0 to change, 0 to destroy.")
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the apply is not empty (exit %d):\n%s", code, out)
	}
	state := wd.StateInstances()
	if a := state["yunxiao_project.adopted"].Attributes; a["id"] != existing || a["organization_id"] != secondOrg {
		t.Errorf("yunxiao_project.adopted is %v/%v, want %s/%s", a["organization_id"], a["id"], secondOrg, existing)
	}
	made, ok := e.mock.Project(testOrg, fmt.Sprint(state["yunxiao_project.made"].Attributes["id"]))
	if !ok || made.Name != "made by tofu" || made.CustomCode != "TOFU" || len(e.mock.Projects(testOrg))+len(e.mock.Projects(secondOrg)) != 2 {
		t.Errorf("yunxiao_project.made is %+v in the mock (found %v)", made, ok)
	}
	for addr, inst := range state {
		if inst.Identity != nil {
			t.Errorf("%s has an identity in OpenTofu's state (%v); OpenTofu 1.10 keeps none", addr, inst.Identity)
		}
	}

	wd.WriteFile("identity.tf", fmt.Sprintf(`
import {
  to = yunxiao_project.by_identity
  identity = {
    organization_id = %q
    id              = %q
  }
}
resource "yunxiao_project" "by_identity" {
  name        = "研发项目"
  custom_code = "RDPJ"
}
`, secondOrg, existing))
	if out, code := wd.Run("plan", "-input=false", "-no-color"); code == 0 || !strings.Contains(out, "identity") {
		t.Errorf("OpenTofu planned an import block with identity (exit %d), want it refused:\n%s", code, out)
	}
	wd.WriteFile("identity.tf", "")

	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	if n := len(e.mock.Projects(testOrg)) + len(e.mock.Projects(secondOrg)); n != 0 {
		t.Errorf("the mock holds %d projects after destroy, want none", n)
	}
}
