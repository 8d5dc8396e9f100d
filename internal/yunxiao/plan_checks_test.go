package yunxiao

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

var plan = []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}

// wrongOrg is well formed, but no organization of the mock.
const wrongOrg = "5ebbc0228123212b59aaaaab"

// checkNoCreates fails the test if the mock received a CreateProject or holds a project in any
// organization besides want (identifier → organization).
func (e *testEnv) checkNoCreates(want map[string]string) {
	e.t.Helper()
	if n := e.mock.Requests("CreateProject"); n != 0 {
		e.t.Errorf("the mock received %d CreateProject calls, want 0", n)
	}
	for _, org := range []string{testOrg, secondOrg, forbiddenOrg} {
		for _, p := range e.mock.Projects(org) {
			if want[p.Identifier] != org {
				e.t.Errorf("organization %s holds an unexpected project %+v", org, p)
			}
		}
	}
}

// An organization_id the key cannot see fails `terraform plan` (exit 1) at configure, naming the
// organizations it can see (ids and names), from the provider block, from YUNXIAO_ORGANIZATION_ID
// or on the resource; ListJoinedOrganizations is called once per key and process (the credential
// check's answer); skip_credentials_validation skips the check; nothing is created.
func TestAccProvider_organizationChecked(t *testing.T) {
	acctest.RequireAcc(t)
	acctest.UseTerraformCommand(t)
	visible := []string{testOrg + ` ("organization ` + testOrg + `")`, secondOrg + ` ("organization ` + secondOrg + `")`}
	t.Run("provider block", func(t *testing.T) {
		e := newTestEnv(t)
		d := e.workdir(strings.Replace(e.config(minimalProject), testOrg, wrongOrg, 1))
		for range 2 {
			out, code := d.Run(plan...)
			if code != 1 {
				t.Fatalf("plan with organization_id %s exited %d, want 1:\n%s", wrongOrg, code, out)
			}
			acctest.WantOutput(t, "the plan", out, append([]string{"Unknown Yunxiao organization", "with provider[\"registry.terraform.io/projectkit/yunxiao\"]",
				"cannot use Yunxiao organization " + wrongOrg, "The organizations it can see (ListJoinedOrganizations) are:"}, visible...)...)
		}
		if n := e.mock.Requests("ListJoinedOrganizations"); n != 1 {
			t.Errorf("two plans called ListJoinedOrganizations %d times, want once", n)
		}
		e.checkNoCreates(nil)
	})
	t.Run("environment", func(t *testing.T) {
		e := newTestEnv(t)
		t.Setenv(EnvOrganizationID, wrongOrg)
		block := strings.Replace(e.providerBlock(testAccessKeySecret), `organization_id   = "`+testOrg+`"`, "", 1)
		d := e.workdir(block + minimalProject)
		out, code := d.Run(plan...)
		if code != 1 {
			t.Fatalf("plan with %s=%s exited %d, want 1:\n%s", EnvOrganizationID, wrongOrg, code, out)
		}
		acctest.WantOutput(t, "the plan", out, append([]string{"Unknown Yunxiao organization in " + EnvOrganizationID}, visible...)...)
		e.checkNoCreates(nil)
	})
	t.Run("resource", func(t *testing.T) {
		e := newTestEnv(t)
		d := e.workdir(e.config(strings.Replace(minimalProject, `name `, `organization_id     = "`+forbiddenOrg+`"
  name `, 1)))
		out, code := d.Run(plan...)
		if code != 1 {
			t.Fatalf("plan of a project in %s exited %d, want 1:\n%s", forbiddenOrg, code, out)
		}
		acctest.WantOutput(t, "the plan", out, append([]string{"Unknown Yunxiao organization", "with yunxiao_project.test",
			"cannot use Yunxiao organization " + forbiddenOrg}, visible...)...)
		if n := e.mock.Requests("ListProjects"); n != 0 {
			t.Errorf("the plan listed projects %d times after the organization failed, want 0", n)
		}
		e.checkNoCreates(nil)
	})
	t.Run("skip_credentials_validation", func(t *testing.T) {
		e := newTestEnv(t)
		config := strings.Replace(e.configWith("skip_credentials_validation = true", minimalProject), testOrg, wrongOrg, 1)
		out, code := e.workdir(config).Run(plan...)
		if code == 1 && strings.Contains(out, "Unknown Yunxiao organization") {
			t.Fatalf("skip_credentials_validation did not skip the organization check:\n%s", out)
		}
		if n := e.mock.Requests("ListJoinedOrganizations"); n != 0 {
			t.Errorf("ListJoinedOrganizations was called %d times, want 0", n)
		}
		e.checkNoCreates(nil)
	})
}

// A 403 on the plan-time lookup of an organization's projects (the credential check skipped, so
// the organization was not checked at configure) fails the plan with an error that says
// permission, with the API's code and request id and what the key needs; not a timeout warning.
func TestAccProject_conflictLookupForbidden(t *testing.T) {
	acctest.RequireAcc(t)
	acctest.UseTerraformCommand(t)
	e := newTestEnv(t)
	config := e.configWith("skip_credentials_validation = true", strings.Replace(minimalProject, `name `, `organization_id     = "`+forbiddenOrg+`"
  name `, 1))
	out, code := e.workdir(config).Run(plan...)
	if code != 1 {
		t.Fatalf("plan exited %d, want 1:\n%s", code, out)
	}
	acctest.WantOutput(t, "the plan", out, "Permission denied: listing the projects of Yunxiao organization "+forbiddenOrg,
		"refused listing the projects of Yunxiao organization "+forbiddenOrg+" (ListProjects) for permission",
		"membership of organization "+forbiddenOrg, "HTTP status: 403", "Error code: Operate.NoPermission")
	if !regexp.MustCompile(requestID).MatchString(out) {
		t.Errorf("the error lacks the request id:\n%s", out)
	}
	if strings.Contains(out, "Could not check whether custom_code is free") || strings.Contains(out, "bounded") {
		t.Errorf("the permission error is reported as a lookup that timed out:\n%s", out)
	}
	e.checkNoCreates(nil)
}

// conflict_check = "error" (or YUNXIAO_CONFLICT_CHECK=error) fails the plan on a taken
// custom_code, with the import block; a tainted resource's own project is never reported; and
// `terraform destroy`, whose refreshing plan plans the conflicting create too, still destroys
// what the state holds and leaves the other project untouched.
func TestAccProject_conflictCheckError(t *testing.T) {
	acctest.RequireAcc(t)
	acctest.UseTerraformCommand(t)
	e := newTestEnv(t)
	taken := e.mock.PutProject(testOrg, client.Project{Name: "made elsewhere", CustomCode: "PAYS", Scope: "public"})
	ours := `
resource "yunxiao_project" "ours" {
  name                = "ours"
  custom_code         = "OURS"
  template_identifier = "` + testTemplate + `"
}
`
	clash := `
resource "yunxiao_project" "clash" {
  name                = "clash"
  custom_code         = "PAYS"
  template_identifier = "` + testTemplate + `"
}
`
	d := e.workdir(e.configWith(`conflict_check = "error"`, ours))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	oursID, _ := d.State()["yunxiao_project.ours"].Values["id"].(string)

	d.WriteMain(e.configWith(`conflict_check = "error"`, ours+clash))
	out, code := d.Run(plan...)
	if code != 1 {
		t.Fatalf("plan with a taken custom_code and conflict_check = \"error\" exited %d, want 1:\n%s", code, out)
	}
	acctest.WantOutput(t, "the plan", out, `Error: Yunxiao project custom_code "PAYS" is already taken`, "with yunxiao_project.clash",
		fmt.Sprintf(`id = "%s/%s"`, testOrg, taken), `conflict_check = "error" in the provider block makes this an error`)

	t.Setenv("YUNXIAO_CONFLICT_CHECK", "error")
	d.WriteMain(e.config(ours + clash))
	if out, code := d.Run(plan...); code != 1 || !strings.Contains(out, `Error: Yunxiao project custom_code "PAYS" is already taken`) {
		t.Fatalf("plan with YUNXIAO_CONFLICT_CHECK=error exited %d, want 1 with the conflict:\n%s", code, out)
	}

	// A tainted resource's replacement is planned as a create of its own custom_code: not a conflict.
	d.WriteMain(e.config(ours))
	d.MustRun("taint", "-no-color", "yunxiao_project.ours")
	if out, code := d.Run(plan...); code != 2 || strings.Contains(out, "already taken") {
		t.Fatalf("plan replacing the tainted project exited %d, want 2 without a conflict:\n%s", code, out)
	}

	d.WriteMain(e.config(ours + clash))
	out = d.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	acctest.WantOutput(t, "the destroy", out, "Destroy complete! Resources: 1 destroyed.")
	if p, ok := e.mock.Project(testOrg, oursID); oursID == "" || (ok && !p.Deleted()) {
		t.Errorf("project %q of the state survived the destroy: %+v", oursID, p)
	}
	if p, ok := e.mock.Project(testOrg, taken); !ok || p.CustomCode != "PAYS" || p.Name != "made elsewhere" || p.Deleted() {
		t.Errorf("the other project %s was touched by the destroy: %+v (present: %v)", taken, p, ok)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("the mock received %d CreateProject calls, want 1 (ours; never the clash)", n)
	}
}
