package trro

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// terraform plan -generate-config-out on an import {} block writes configuration that
// validates and then plans with no changes.
func TestAccProject_generatedConfig(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	e := newTestEnv(t)
	id := e.mock.PutProject(client.Project{Name: "控制室", Description: "made in the console", PolicyMode: "white"})
	bare := e.mock.PutProject(client.Project{Name: "bare", PolicyMode: "black"})
	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/trro": providerserver.NewProtocol6(&Provider{version: "test"}),
	})
	wd := acctest.NewWorkdir(t, map[string]string{"main.tf": fmt.Sprintf(`
terraform {
  required_providers {
    trro = {
      source = "projectkit/trro"
    }
  }
}
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
`, testSecretID, testSecretKey, e.url, id, bare)}, reattach)

	wd.MustRun("init", "-input=false")
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
