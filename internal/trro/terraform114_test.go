package trro

// Resource identity (Terraform 1.12+) and the list resource (Terraform 1.14+ `terraform query`)
// with a real Terraform, beside the protocol-level tests in protocol_test.go, which need none.
// Each test skips, naming the version found, when TF_ACC_TERRAFORM_PATH is older or OpenTofu;
// `make testacc-matrix` runs them against every Terraform it is given.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// An import block's identity imports the project it names, not another one, stores the identity
// in the state and plans clean; a malformed identity fails the plan and reaches no project.
func TestAccTerraform114_importByIdentity(t *testing.T) {
	acctest.RequireTerraform(t, 1, 12, "import blocks with identity")
	t.Parallel()
	e := newTestEnv(t)
	first := e.mock.PutProject(client.Project{Name: "first", Description: "one", PolicyMode: "black"})
	second := e.mock.PutProject(client.Project{Name: "second", Description: "two", PolicyMode: "white"})
	wd := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(testProvider()), providerBlockFor(e.url)+fmt.Sprintf(`
import {
  to = trro_project.second
  identity = {
    id = %q
  }
}
resource "trro_project" "second" {
  name        = "second"
  description = "two"
  policy_mode = "white"
}
`, second))
	wd.ApplyImports(1, 0)
	inst := wd.StateInstances()["trro_project.second"]
	if inst.Attributes["id"] != second || fmt.Sprint(inst.Identity) != fmt.Sprint(map[string]any{"id": second}) {
		t.Errorf("state after the import: id %v, identity %v; want %s (not %s)", inst.Attributes["id"], inst.Identity, second, first)
	}
	if p, _ := e.mock.Project(second); p.Name != "second" || len(e.mock.Projects()) != 2 {
		t.Errorf("the mock changed: %+v, %d projects", p, len(e.mock.Projects()))
	}

	bad := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(testProvider()), providerBlockFor(e.url)+`
import {
  to = trro_project.bad
  identity = {
    id = "not-a-project-id"
  }
}
resource "trro_project" "bad" {
  name = "bad"
}
`)
	out, code := bad.Run("plan", "-input=false", "-no-color")
	if code == 0 || !acctest.ErrorPattern(acctest.Literal("Invalid TRRO project id")).MatchString(out) {
		t.Errorf("the plan of a malformed identity exited %d, want an error naming the invalid id:\n%s", code, out)
	}
}

// terraform query lists every project across DescribeProjectList's pages, filters by
// name_regex, stops at the limit (Terraform's default is 100) and includes the full object,
// as a refresh reads it, only when asked.
func TestAccTerraform114_query(t *testing.T) {
	acctest.RequireTerraform(t, 1, 14, "terraform query")
	t.Parallel()
	e := newTestEnv(t)
	const teams, others = 103, 3 // two pages of 100
	var all []string
	for i := range teams + others {
		p := client.Project{Name: fmt.Sprintf("team-%03d", i), Description: fmt.Sprintf("project %d", i), PolicyMode: "black"}
		if i >= teams {
			p.Name, p.PolicyMode = fmt.Sprintf("其他-%d", i), "white"
		}
		all = append(all, e.mock.PutProject(p))
	}
	wd := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(testProvider()), providerBlockFor(e.url))
	wd.WriteFile("projects.tfquery.hcl", `
list "trro_project" "all" {
  provider = trro
}
list "trro_project" "teams" {
  provider = trro
  limit    = 500
  config {
    name_regex = "^team-"
  }
}
list "trro_project" "others" {
  provider         = trro
  include_resource = true
  config {
    name_regex = "^其他-"
  }
}
list "trro_project" "three" {
  provider = trro
  limit    = 3
}
list "trro_project" "nobody" {
  provider = trro
  config {
    name_regex = "^nobody$"
  }
}
`)
	results, totals := wd.Query()
	ids := func(rs []acctest.QueryResult) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.IdentityString("id"))
		}
		return strings.Join(out, ",")
	}
	if got := ids(results["list.trro_project.all"]); got != strings.Join(all[:100], ",") {
		t.Errorf("list.trro_project.all listed %d projects, want the first 100 (the default limit)", len(results["list.trro_project.all"]))
	}
	if got := ids(results["list.trro_project.teams"]); got != strings.Join(all[:teams], ",") {
		t.Errorf("name_regex ^team- listed %d projects, want the %d team projects", len(results["list.trro_project.teams"]), teams)
	}
	if got := ids(results["list.trro_project.three"]); got != strings.Join(all[:3], ",") {
		t.Errorf("limit 3 listed %s, want %v", got, all[:3])
	}
	if n, ok := totals["list.trro_project.nobody"]; !ok || n != 0 {
		t.Errorf("name_regex ^nobody$: total %d (reported %v), want 0", n, ok)
	}
	for _, r := range results["list.trro_project.teams"] {
		if r.ResourceObject != nil {
			t.Fatalf("%s has a resource object, which was not asked for", r.IdentityString("id"))
		}
		if want, _ := e.mock.Project(r.IdentityString("id")); r.DisplayName != want.Name {
			t.Fatalf("display name %q, want %q", r.DisplayName, want.Name)
		}
	}
	full := results["list.trro_project.others"]
	if got := ids(full); got != strings.Join(all[teams:], ",") {
		t.Fatalf("name_regex ^其他- listed %s, want %v", got, all[teams:])
	}
	for _, r := range full {
		p, _ := e.mock.Project(r.IdentityString("id"))
		got := fmt.Sprint(r.ObjectString("id"), r.ObjectString("name"), r.ObjectString("description"), r.ObjectString("policy_mode"))
		if want := fmt.Sprint(p.ID, p.Name, p.Description, p.PolicyMode); got != want {
			t.Errorf("resource object %s, want %s", got, want)
		}
	}
	if n := len(e.mock.Projects()); n != teams+others {
		t.Errorf("the mock holds %d projects after the queries, want %d", n, teams+others)
	}
}

// terraform query -generate-config-out writes a resource and an import block (by identity) per
// project found; the plan imports them with no changes, and after the apply the plan is empty.
func TestAccTerraform114_queryGeneratedConfig(t *testing.T) {
	acctest.RequireTerraform(t, 1, 14, "terraform query -generate-config-out")
	t.Parallel()
	e := newTestEnv(t)
	console := e.mock.PutProject(client.Project{Name: "控制室", Description: "made in the console", PolicyMode: "white"})
	bare := e.mock.PutProject(client.Project{Name: "bare", PolicyMode: "black"})
	e.mock.PutProject(client.Project{Name: "elsewhere", PolicyMode: "black"})
	wd := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(testProvider()), providerBlockFor(e.url))
	wd.WriteFile("projects.tfquery.hcl", `
list "trro_project" "found" {
  provider         = trro
  include_resource = true
  config {
    name_regex = "^(控制室|bare)$"
  }
}
`)
	wd.MustRun("query", "-no-color", "-generate-config-out=generated.tf")
	generated := wd.ReadFile("generated.tf")
	for _, want := range []string{`resource "trro_project"`, `name        = "控制室"`, `description = "made in the console"`, `policy_mode = "white"`,
		`identity = {`, fmt.Sprintf("id = %q", console), fmt.Sprintf("id = %q", bare)} {
		acctest.WantOutput(t, "generated.tf", generated, want) // however terraform aligned the "="
	}
	if strings.Contains(generated, "elsewhere") {
		t.Errorf("generated.tf holds a project the filter left out:\n%s", generated)
	}
	wd.ApplyImports(2, 0)
	for addr, inst := range wd.StateInstances() {
		if id, _ := inst.Attributes["id"].(string); id != console && id != bare || fmt.Sprint(inst.Identity) != fmt.Sprint(map[string]any{"id": id}) {
			t.Errorf("%s: id %v, identity %v", addr, inst.Attributes["id"], inst.Identity)
		}
	}
	if n := len(e.mock.Projects()); n != 3 {
		t.Errorf("the mock holds %d projects, want the 3 it had", n)
	}
}

// A refresh by Terraform 1.12 or later of the state Terraform 1.11 wrote (the 0.1.0 fixture)
// stores each project's identity and changes nothing else.
func TestAccTerraform114_refreshAddsIdentity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.CheckRefreshAddsIdentities(t, providerserver.NewProtocol6(testProvider()), providerBlockFor(e.url), state010.State(t), func(attrs map[string]any) map[string]any {
		return map[string]any{"id": attrs["id"]}
	})
}
