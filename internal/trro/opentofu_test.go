package trro

// OpenTofu: the provider installed where `make install PLUGIN_HOST=registry.opentofu.org` puts
// it, as OpenTofu users get it. Runs when TF_ACC_TERRAFORM_PATH names a tofu binary (make
// testacc-matrix); skips otherwise.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// tofu init installs projectkit/trro from the implied local mirror under registry.opentofu.org;
// an import block by id adopts a project, another is created, the plan after the apply is
// empty, and destroy deletes both. OpenTofu 1.10 has no resource identity: the state holds none,
// and an import block with identity is refused.
func TestAccOpenTofu_mirrorImportCreateDestroy(t *testing.T) {
	acctest.RequireOpenTofu(t)
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(client.Project{Name: "控制室", Description: "made in the console", PolicyMode: "white"})
	wd, out := acctest.MirrorWorkdir(t, TypeName, map[string]string{"main.tf": `
terraform {
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "` + acctest.MirrorVersion + `"
    }
  }
}
` + providerBlockFor(e.url) + fmt.Sprintf(`
import {
  to = trro_project.adopted
  id = %q
}
resource "trro_project" "adopted" {
  name        = "控制室"
  description = "made in the console"
  policy_mode = "white"
}
resource "trro_project" "made" {
  name        = "made-by-tofu"
  policy_mode = "black"
}
`, existing)})
	acctest.WantOutput(t, "tofu init", out, "projectkit/trro v"+acctest.MirrorVersion) // the lock file records registry.opentofu.org/projectkit/trro

	out = wd.MustRun("plan", "-input=false", "-no-color")
	acctest.WantOutput(t, "the plan", out, "Plan: 1 to import, 1 to add, 0 to change, 0 to destroy.")
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the apply is not empty (exit %d):\n%s", code, out)
	}
	state := wd.StateInstances()
	if got := state["trro_project.adopted"].Attributes["id"]; got != existing {
		t.Errorf("trro_project.adopted has id %v, want %s", got, existing)
	}
	made, ok := e.mock.Project(fmt.Sprint(state["trro_project.made"].Attributes["id"]))
	if !ok || made.Name != "made-by-tofu" || made.PolicyMode != "black" || len(e.mock.Projects()) != 2 {
		t.Errorf("the mock holds %d projects; trro_project.made is %+v (found %v)", len(e.mock.Projects()), made, ok)
	}
	for addr, inst := range state {
		if inst.Identity != nil {
			t.Errorf("%s has an identity in OpenTofu's state (%v); OpenTofu 1.10 keeps none", addr, inst.Identity)
		}
	}

	wd.WriteFile("identity.tf", fmt.Sprintf(`
import {
  to = trro_project.by_identity
  identity = {
    id = %q
  }
}
resource "trro_project" "by_identity" {
  name = "控制室"
}
`, existing))
	if out, code := wd.Run("plan", "-input=false", "-no-color"); code == 0 || !strings.Contains(out, "identity") {
		t.Errorf("OpenTofu planned an import block with identity (exit %d), want it refused:\n%s", code, out)
	}
	wd.WriteFile("identity.tf", "")

	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	if n := len(e.mock.Projects()); n != 0 {
		t.Errorf("the mock holds %d projects after destroy, want none", n)
	}
}
