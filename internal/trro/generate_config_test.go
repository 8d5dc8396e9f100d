package trro

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// terraform plan -generate-config-out on an import {} block writes configuration that
// validates and then plans with no changes.
func TestAccProject_generatedConfig(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	id := e.mock.PutProject(client.Project{Name: "控制室", Description: "made in the console", PolicyMode: "white"})
	bare := e.mock.PutProject(client.Project{Name: "bare", PolicyMode: "black"})
	wd := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(&Provider{version: "test"}), fmt.Sprintf(`
provider "trro" {
  secret_id  = %q
  secret_key = %q
  endpoint   = %q
}
import {
  to = trro_project.adopted
  id = %q
}
import {
  to = trro_project.bare
  id = %q
}
`, testSecretID, testSecretKey, e.url, id, bare))
	wd.MustRun("plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
	generated := wd.ReadFile("generated.tf")
	for _, want := range []string{`resource "trro_project" "adopted"`, `name        = "控制室"`, `policy_mode = "white"`, `resource "trro_project" "bare"`} {
		if !strings.Contains(generated, want) {
			t.Errorf("generated.tf lacks %s:\n%s", want, generated)
		}
	}
	wd.MustRun("validate")
	out := wd.MustRun("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("the plan with the generated configuration is not import-only:\n%s", out)
	}
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after importing shows changes (exit %d):\n%s", code, out)
	}
	if n := len(e.mock.Projects()); n != 2 {
		t.Errorf("the mock holds %d projects, want the 2 imported", n)
	}
}
