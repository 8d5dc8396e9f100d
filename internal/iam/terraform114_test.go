package iam

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
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// An import block's identity imports the project it names, not another one, stores the identity
// in the state and plans clean; a malformed identity fails the plan.
func TestAccTerraform114_importByIdentity(t *testing.T) {
	acctest.RequireTerraform(t, 1, 12, "import blocks with identity")
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	first := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_first", Description: "one"})
	second := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-nl_second", Description: "two"})
	wd := e.workdir(e.passwordProvider() + fmt.Sprintf(`
import {
  to = iam_project.second
  identity = {
    id = %q
  }
}
resource "iam_project" "second" {
  name        = "eu-nl_second"
  description = "two"
}
`, second))
	wd.ApplyImports(1, 0)
	inst := wd.StateInstances()["iam_project.second"]
	if inst.Attributes["id"] != second || inst.Attributes["parent_id"] != e.mock.RegionProjectID(e.fx.DomainID, "eu-nl") ||
		fmt.Sprint(inst.Identity) != fmt.Sprint(map[string]any{"id": second}) {
		t.Errorf("state after the import: %v, identity %v; want project %s (not %s)", inst.Attributes, inst.Identity, second, first)
	}
	if n := len(e.created()); n != 2 {
		t.Errorf("the mock holds %d projects, want 2", n)
	}

	bad := e.workdir(e.passwordProvider() + `
import {
  to = iam_project.bad
  identity = {
    id = "eu-nl_second"
  }
}
resource "iam_project" "bad" {
  name = "eu-nl_second"
}
`)
	out, code := bad.Run("plan", "-input=false", "-no-color")
	if code == 0 || !acctest.ErrorPattern(acctest.Literal("Invalid IAM project id")).MatchString(out) {
		t.Errorf("the plan of a malformed identity exited %d, want an error naming the invalid id:\n%s", code, out)
	}
}

// terraform query lists the account's projects across the listing's pages, without the regions'
// own, with each of the iam_projects filters, stops at the limit and includes the full object
// (status too) only when asked.
func TestAccTerraform114_query(t *testing.T) {
	acctest.RequireTerraform(t, 1, 14, "terraform query")
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	e.pageSize = 2
	var all, de, nl []string
	for i := range 9 {
		region := "eu-de"
		if i%3 == 2 {
			region = "eu-nl"
		}
		id := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: fmt.Sprintf("%s_team-%d", region, i), Description: fmt.Sprintf("project %d", i)})
		all = append(all, id)
		if region == "eu-de" {
			de = append(de, id)
		} else {
			nl = append(nl, id)
		}
	}
	disabled, suspended := de[1], nl[0]
	e.mock.UpdateProject(disabled, func(p *client.Project) { p.Enabled = false })
	e.mock.UpdateProject(suspended, func(p *client.Project) { p.Status = client.StatusSuspended })
	wd := e.workdir(e.passwordProvider())
	wd.WriteFile("projects.tfquery.hcl", fmt.Sprintf(`
list "iam_project" "all" {
  provider = iam
}
list "iam_project" "name_regex" {
  provider = iam
  config {
    name_regex = "^eu-de_"
  }
}
list "iam_project" "name" {
  provider = iam
  config {
    name = "eu-nl_team-5"
  }
}
list "iam_project" "parent_id" {
  provider = iam
  config {
    parent_id = %q
  }
}
list "iam_project" "domain_id" {
  provider = iam
  config {
    domain_id  = %q
    name_regex = "^eu-nl_"
  }
}
list "iam_project" "disabled" {
  provider = iam
  config {
    enabled = false
  }
}
list "iam_project" "four" {
  provider = iam
  limit    = 4
}
list "iam_project" "full" {
  provider         = iam
  include_resource = true
  config {
    name_regex = "^eu-nl_"
  }
}
list "iam_project" "nobody" {
  provider = iam
  config {
    name_regex = "^nobody$"
  }
}
`, e.mock.RegionProjectID(e.fx.DomainID, "eu-nl"), e.fx.DomainID))
	results, totals := wd.Query()
	ids := func(rs []acctest.QueryResult) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.IdentityString("id"))
		}
		return strings.Join(out, ",")
	}
	for block, want := range map[string][]string{
		"all": all, "name_regex": de, "name": {nl[1]}, "parent_id": nl, "domain_id": nl, "disabled": {disabled}, "four": all[:4], "full": nl,
	} {
		if got := ids(results["list.iam_project."+block]); got != strings.Join(want, ",") {
			t.Errorf("list.iam_project.%s listed %s, want %s", block, got, strings.Join(want, ","))
		}
	}
	if n, ok := totals["list.iam_project.nobody"]; !ok || n != 0 {
		t.Errorf("name_regex ^nobody$: total %d (reported %v), want 0", n, ok)
	}
	for _, r := range results["list.iam_project.all"] {
		if r.ResourceObject != nil {
			t.Fatalf("%s has a resource object, which was not asked for", r.IdentityString("id"))
		}
		if want, _ := e.mock.Project(r.IdentityString("id")); r.DisplayName != want.Name {
			t.Fatalf("display name %q, want %q", r.DisplayName, want.Name)
		}
	}
	for _, r := range results["list.iam_project.full"] {
		p, _ := e.mock.Project(r.IdentityString("id"))
		wantStatus := map[bool]string{true: "suspended", false: "normal"}[p.ID == suspended]
		got := fmt.Sprint(r.ObjectString("id"), r.ObjectString("name"), r.ObjectString("description"), r.ObjectString("parent_id"), r.ObjectString("status"))
		if want := fmt.Sprint(p.ID, p.Name, p.Description, p.ParentID, wantStatus); got != want {
			t.Errorf("resource object %s, want %s", got, want)
		}
	}
	if n := len(e.created()); n != 9 {
		t.Errorf("the mock holds %d projects after the queries, want 9", n)
	}
}

// terraform query -generate-config-out writes a resource and an import block (by identity) per
// project found; the plan imports them with no changes, and after the apply the plan is empty.
func TestAccTerraform114_queryGeneratedConfig(t *testing.T) {
	acctest.RequireTerraform(t, 1, 14, "terraform query -generate-config-out")
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	console := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_控制室", Description: "made in the console"})
	bare := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-nl_bare"})
	e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_elsewhere"})
	wd := e.workdir(e.passwordProvider())
	wd.WriteFile("projects.tfquery.hcl", `
list "iam_project" "found" {
  provider         = iam
  include_resource = true
  config {
    name_regex = "^(eu-de_控制室|eu-nl_bare)$"
  }
}
`)
	wd.MustRun("query", "-no-color", "-generate-config-out=generated.tf")
	generated := wd.ReadFile("generated.tf")
	for _, want := range []string{`resource "iam_project"`, `"eu-de_控制室"`, `"made in the console"`, `"eu-nl_bare"`,
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
	if n := len(e.created()); n != 3 {
		t.Errorf("the mock holds %d projects, want the 3 it had", n)
	}
}

// A refresh by Terraform 1.12 or later of the state Terraform 1.11 wrote (the 0.1.0 fixture)
// stores each project's identity and changes nothing else.
func TestAccTerraform114_refreshAddsIdentity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	state010.CheckRefreshAddsIdentities(t, providerserver.NewProtocol6(&Provider{version: "test"}), e.passwordProvider(), e.state010(t, e.putState010Projects()),
		func(attrs map[string]any) map[string]any { return map[string]any{"id": attrs["id"]} })
}
