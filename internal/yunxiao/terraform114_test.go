package yunxiao

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
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// An import block's two-part identity (organization_id and id) imports the project it names:
// the same identifier in two organizations reaches each organization's own project. A malformed
// identity fails the plan.
func TestAccTerraform114_importByIdentity(t *testing.T) {
	acctest.RequireTerraform(t, 1, 12, "import blocks with identity")
	t.Parallel()
	e := newTestEnv(t)
	const shared = "0123456789abcdef0123aaaa" // the same identifier in two organizations
	e.mock.PutProject(testOrg, client.Project{Identifier: shared, Name: "first", CustomCode: "FRST", Description: "in the provider's organization"})
	e.mock.PutProject(secondOrg, client.Project{Identifier: shared, Name: "elsewhere", CustomCode: "ELSE", Scope: "public", Description: "in another organization"})
	wd := e.workdir(e.config(fmt.Sprintf(`
import {
  to = yunxiao_project.first
  identity = {
    organization_id = %[1]q
    id              = %[3]q
  }
}
resource "yunxiao_project" "first" {
  name        = "first"
  custom_code = "FRST"
  description = "in the provider's organization"
}
import {
  to = yunxiao_project.elsewhere
  identity = {
    organization_id = %[2]q
    id              = %[3]q
  }
}
resource "yunxiao_project" "elsewhere" {
  organization_id = %[2]q
  name            = "elsewhere"
  custom_code     = "ELSE"
  scope           = "public"
  description     = "in another organization"
}
`, testOrg, secondOrg, shared)))
	wd.ApplyImports(2, 0)
	state := wd.StateInstances()
	for addr, org := range map[string]string{"yunxiao_project.first": testOrg, "yunxiao_project.elsewhere": secondOrg} {
		inst := state[addr]
		if inst.Attributes["id"] != shared || inst.Attributes["organization_id"] != org ||
			fmt.Sprint(inst.Identity) != fmt.Sprint(map[string]any{"organization_id": org, "id": shared}) {
			t.Errorf("%s after the import: %v, identity %v; want project %s of organization %s", addr, inst.Attributes, inst.Identity, shared, org)
		}
	}
	if n := len(e.mock.Projects(testOrg)) + len(e.mock.Projects(secondOrg)); n != 2 {
		t.Errorf("the mock holds %d projects, want 2", n)
	}

	bad := e.workdir(e.config(fmt.Sprintf(`
import {
  to = yunxiao_project.bad
  identity = {
    organization_id = %q
    id              = "has space"
  }
}
resource "yunxiao_project" "bad" {
  name        = "bad"
  custom_code = "BADD"
}
`, testOrg)))
	out, code := bad.Run("plan", "-input=false", "-no-color")
	if code == 0 || !acctest.ErrorPattern(acctest.Literal("Invalid Yunxiao project import id")).MatchString(out) {
		t.Errorf("the plan of a malformed identity exited %d, want an error naming the invalid id:\n%s", code, out)
	}
}

// terraform query lists the organization's projects across ListProjects' pages, without the
// deleted ones, in the provider's or the configured organization, filters by name_regex, stops at
// the limit and includes the full object only when asked.
func TestAccTerraform114_query(t *testing.T) {
	acctest.RequireTerraform(t, 1, 14, "terraform query")
	t.Parallel()
	e := newTestEnv(t)
	const teams, others = 203, 3 // two pages of 200, and a deleted project
	var all []string
	for i := range teams + others + 1 {
		p := client.Project{Name: fmt.Sprintf("team-%03d", i), CustomCode: customCode(i), Description: fmt.Sprintf("project %d", i),
			Creator: "1900000000000001", GmtCreate: client.Millis(1623916393000 + int64(i)*1000)}
		switch {
		case i >= teams+others:
			p.Name, p.LogicalStatus = "deleted", "DELETED"
		case i >= teams:
			p.Name, p.Scope = fmt.Sprintf("其他-%d", i), "public"
		}
		if id := e.mock.PutProject(testOrg, p); i < teams+others {
			all = append(all, id)
		}
	}
	var elsewhere []string
	for i := range 3 {
		elsewhere = append(elsewhere, e.mock.PutProject(secondOrg, client.Project{Name: fmt.Sprintf("b-%d", i), CustomCode: customCode(i)}))
	}
	wd := e.workdir(e.config(""))
	wd.WriteFile("projects.tfquery.hcl", fmt.Sprintf(`
list "yunxiao_project" "all" {
  provider = yunxiao
  limit    = 1000
}
list "yunxiao_project" "teams" {
  provider = yunxiao
  limit    = 1000
  config {
    name_regex = "^team-"
  }
}
list "yunxiao_project" "elsewhere" {
  provider = yunxiao
  config {
    organization_id = %q
  }
}
list "yunxiao_project" "others" {
  provider         = yunxiao
  include_resource = true
  config {
    name_regex = "^其他-"
  }
}
list "yunxiao_project" "five" {
  provider = yunxiao
  limit    = 5
}
`, secondOrg))
	results, _ := wd.Query()
	ids := func(rs []acctest.QueryResult, org string) string {
		var out []string
		for _, r := range rs {
			if got := r.IdentityString("organization_id"); got != org {
				t.Errorf("%s: identity organization %q, want %s", r.IdentityString("id"), got, org)
			}
			out = append(out, r.IdentityString("id"))
		}
		return strings.Join(out, ",")
	}
	for block, want := range map[string][]string{"all": all, "teams": all[:teams], "others": all[teams:], "five": all[:5]} {
		if got := ids(results["list.yunxiao_project."+block], testOrg); got != strings.Join(want, ",") {
			t.Errorf("list.yunxiao_project.%s listed %d projects, want %d", block, len(results["list.yunxiao_project."+block]), len(want))
		}
	}
	if got := ids(results["list.yunxiao_project.elsewhere"], secondOrg); got != strings.Join(elsewhere, ",") {
		t.Errorf("organization_id %s listed %s, want %v", secondOrg, got, elsewhere)
	}
	for _, r := range results["list.yunxiao_project.teams"] {
		if r.ResourceObject != nil {
			t.Fatalf("%s has a resource object, which was not asked for", r.IdentityString("id"))
		}
	}
	for _, r := range results["list.yunxiao_project.others"] {
		p, _ := e.mock.Project(testOrg, r.IdentityString("id"))
		got := fmt.Sprint(r.ObjectString("id"), r.ObjectString("organization_id"), r.ObjectString("name"), r.ObjectString("custom_code"), r.ObjectString("scope"), r.ObjectString("description"))
		if want := fmt.Sprint(p.Identifier, testOrg, p.Name, p.CustomCode, "public", p.Description); got != want || r.DisplayName != p.Name {
			t.Errorf("resource object %s (display name %q), want %s", got, r.DisplayName, want)
		}
		if raw := string(r.ResourceObject["template_identifier"]); raw != "null" {
			t.Errorf("template_identifier is %s in the listing, want null (the API never returns it)", raw)
		}
	}
}

// terraform query -generate-config-out writes a resource and an import block (by identity) per
// project found; the plan imports them with no changes, and after the apply the plan is empty.
func TestAccTerraform114_queryGeneratedConfig(t *testing.T) {
	acctest.RequireTerraform(t, 1, 14, "terraform query -generate-config-out")
	t.Parallel()
	e := newTestEnv(t)
	console := e.mock.PutProject(testOrg, client.Project{Name: "研发项目", CustomCode: "RDPJ", Scope: "public", Description: "made in the console"})
	bare := e.mock.PutProject(testOrg, client.Project{Name: "bare", CustomCode: "BARE"})
	e.mock.PutProject(testOrg, client.Project{Name: "elsewhere", CustomCode: "ELSE"})
	wd := e.workdir(e.config(""))
	wd.WriteFile("projects.tfquery.hcl", `
list "yunxiao_project" "found" {
  provider         = yunxiao
  include_resource = true
  config {
    name_regex = "^(研发项目|bare)$"
  }
}
`)
	wd.MustRun("query", "-no-color", "-generate-config-out=generated.tf")
	generated := wd.ReadFile("generated.tf")
	for _, want := range []string{`resource "yunxiao_project"`, `"研发项目"`, `"made in the console"`, `"RDPJ"`, `"bare"`,
		`identity = {`, fmt.Sprintf("id = %q", console), fmt.Sprintf("id = %q", bare), fmt.Sprintf("organization_id = %q", testOrg)} {
		acctest.WantOutput(t, "generated.tf", generated, want) // however terraform aligned the "="
	}
	if strings.Contains(generated, "elsewhere") {
		t.Errorf("generated.tf holds a project the filter left out:\n%s", generated)
	}
	wd.ApplyImports(2, 0)
	for addr, inst := range wd.StateInstances() {
		id, _ := inst.Attributes["id"].(string)
		if id != console && id != bare || fmt.Sprint(inst.Identity) != fmt.Sprint(map[string]any{"organization_id": testOrg, "id": id}) {
			t.Errorf("%s: id %v, identity %v", addr, inst.Attributes["id"], inst.Identity)
		}
	}
	if n := len(e.mock.Projects(testOrg)); n != 3 {
		t.Errorf("the mock holds %d projects, want the 3 it had", n)
	}
}

// A refresh by Terraform 1.12 or later of the state Terraform 1.11 wrote (the 0.1.0 fixture)
// stores each project's two-part identity and changes nothing else.
func TestAccTerraform114_refreshAddsIdentity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.CheckRefreshAddsIdentities(t, providerserver.NewProtocol6(testProvider()), e.state010Provider(), state010.State(t), func(attrs map[string]any) map[string]any {
		return map[string]any{"organization_id": attrs["organization_id"], "id": attrs["id"]}
	})
}
