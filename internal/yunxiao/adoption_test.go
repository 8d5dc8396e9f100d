package yunxiao

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// conflictWarning matches providerutil.ReportConflict's warning for custom code code held by
// project id (named name) of org.
func conflictWarning(code, id, name, org string) *regexp.Regexp {
	return acctest.ErrorPattern(`Warning: Yunxiao project custom_code "` + code + `" is already taken.*` +
		acctest.Literal(fmt.Sprintf(`Creating this resource will fail: Yunxiao project %s (%q) in organization %s already has custom_code "%s".`, id, name, org, code)) + `.*` +
		(`terraform import yunxiao_project.<name> ` + org + `/` + id) + `.*` + acctest.Literal(`import {`) + `\s+` + acctest.Literal(`to = yunxiao_project.<name>`) + `\s+` +
		acctest.Literal(fmt.Sprintf(`id = "%s/%s"`, org, id)) + `\s+}.*` + `Set conflict_check = "error" in the provider block to fail the plan instead, or "off" to skip this check.`)
}

// A plan that would create a project whose custom_code is taken still plans (the conflict is a
// warning, see TestAccProject_destroyHalfApplied) and lists the organization once; unknown codes,
// skip_conflict_check and free codes list nothing more; the apply fails with the conflict.
func TestAccProject_conflictCheck(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(testOrg, client.Project{Name: "已有项目", CustomCode: "TAKEN", Scope: "public"})
	lists := 0
	listsSince := func(want int) func() {
		return func() {
			if n := e.mock.Requests("ListProjects"); n-lists != want {
				t.Errorf("ListProjects was called %d times in the last step, want %d", n-lists, want)
			}
			lists = e.mock.Requests("ListProjects")
		}
	}
	unknownCode := `
resource "terraform_data" "code" {
  input = "TAKEN"
}
resource "yunxiao_project" "test" {
  name                = "newcomer"
  custom_code         = terraform_data.code.output
  template_identifier = "` + testTemplate + `"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: func(*terraform.State) error {
			if ps := e.mock.Projects(testOrg); len(ps) != 1 || ps[0].Identifier != existing {
				return fmt.Errorf("after destroy the organization holds %+v, want only the existing project", ps)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:             e.config(base("newcomer", "TAKEN").String()),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Known only at apply: no lookup at plan time.
				PreConfig: func() {
					if lists = e.mock.Requests("ListProjects"); lists == 0 {
						t.Error("the plan of a taken custom_code did not look for a conflict")
					}
				},
				Config:             e.config(unknownCode),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig:          listsSince(0),
				Config:             e.configWith("skip_conflict_check = true", base("newcomer", "TAKEN").String()),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: listsSince(0),
				Config:    e.config(base("newcomer", "TAKEN").String()),
				ExpectError: acctest.ErrorPattern(`Custom code TAKEN is already used in organization ` + testOrg + `.*` +
					(`terraform import yunxiao_project.<name> ` + testOrg + `/` + existing)),
			},
			{
				Config: e.config(base("newcomer", "FRESH").String()),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("custom_code"), knownvalue.StringExact("FRESH")),
				},
				Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "newcomer", CustomCode: "FRESH", Scope: "private"}, 2),
			},
		},
	})
	if n := e.mock.Requests("CreateProject"); n != 2 {
		t.Errorf("CreateProject was sent %d times, want 2 (the refused one and the free code)", n)
	}
}

// A project in another organization, or one with another custom code, is no conflict; the
// conflict check runs in the organization the project is planned in.
func TestAccProject_conflictCheckIsPerOrganization(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mock.PutProject(secondOrg, client.Project{Name: "same code elsewhere", CustomCode: "SAME"})
	inSecond := e.mock.PutProject(secondOrg, client.Project{Name: "taken there", CustomCode: "THERE"})
	p := base("here", "SAME")
	there := base("there", "THERE")
	there.org = secondOrg
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: func(*terraform.State) error {
			if n := len(e.mock.Projects(testOrg)); n != 0 {
				return fmt.Errorf("organization %s still holds %d projects", testOrg, n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: e.config(p.String()), Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "here", CustomCode: "SAME", Scope: "private"}, 1)},
			{
				// The plan only warns; the create in the second organization fails, naming its project.
				Config:      e.config(there.String()),
				ExpectError: acctest.ErrorPattern(`Custom code THERE is already used in organization ` + secondOrg + `.*` + inSecond + `.*` + `id = "` + secondOrg + "/" + inSecond + `"`),
			},
		},
	})
}

// The check lists the organization's projects once per plan, however many creates it plans,
// and not at all for projects that exist.
func TestAccProject_conflictCheckCost(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(testOrg, client.Project{Name: "existing", CustomCode: "EXIST"})
	var b strings.Builder
	b.WriteString(e.providerBlock(testAccessKeySecret))
	fmt.Fprintf(&b, "import {\n  to = yunxiao_project.existing\n  id = %q\n}\n", testOrg+"/"+existing)
	b.WriteString(strings.Replace(project{name: "existing", code: "EXIST"}.String(), `"test"`, `"existing"`, 1))
	for i, code := range []string{"NEWA", "NEWB", "NEWC"} {
		b.WriteString(strings.Replace(base(fmt.Sprintf("new-%d", i), code).String(), `"test"`, fmt.Sprintf(`"new%d"`, i), 1))
	}
	wd := e.workdirWith(&Provider{version: "test"}, b.String())
	out := wd.MustRun("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "Plan: 1 to import, 3 to add, 0 to change, 0 to destroy.") {
		t.Errorf("unexpected plan:\n%s", out)
	}
	if n := e.mock.Requests("ListProjects"); n != 1 {
		t.Errorf("planning 3 creates and 1 import called ListProjects %d times, want 1", n)
	}
}

// template_identifier is needed to create a project, but the API never returns it: an imported
// project may leave it out, adding it later only records it, changing a known one replaces the
// project, and removing it changes nothing in Yunxiao.
func TestAccProject_templateIdentifierOptional(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(testOrg, client.Project{Name: "existing", CustomCode: "EXIST"})
	noTemplate := project{name: "existing", code: "EXIST"}
	withTemplate := noTemplate
	withTemplate.template = testTemplate
	otherTemplate := noTemplate
	otherTemplate.template = otherTmpl
	importBlock := fmt.Sprintf("import {\n  to = yunxiao_project.test\n  id = %q\n}\n", testOrg+"/"+existing)
	writes := func() int {
		return e.mock.Requests("CreateProject") + e.mock.Requests("UpdateProjectField") + e.mock.Requests("DeleteProject")
	}
	noWrites := func(*terraform.State) error {
		if n := writes(); n != 0 {
			return fmt.Errorf("%d create/update/delete calls were sent", n)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				// Creating without a template fails at plan time, before any request.
				Config:   e.config(project{name: "new", code: "NEWP"}.String()),
				PlanOnly: true,
				ExpectError: acctest.ErrorPattern(`Missing template_identifier.*` +
					acctest.Literal(`Creating a Yunxiao project needs the identifier of the project template to create it from. Set template_identifier, `+
						`for example from the yunxiao_project_templates data source. (Only an imported project, which already exists, may leave it out.)`)),
			},
			{
				PreConfig: func() { acctest.CheckNoRequests(t, e.mock, validationCall) },
				// Imported without a template: only the import, and no change afterwards.
				Config: e.config(importBlock + noTemplate.String()),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.Null()),
				},
				Check: noWrites,
			},
			{
				// Adding the template records it, in place.
				Config:           e.config(withTemplate.String()),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.StringExact(testTemplate)),
				},
				Check: noWrites,
			},
			{
				// Removing it forgets it, in place.
				Config:           e.config(noTemplate.String()),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.Null()),
				},
				Check: noWrites,
			},
			{Config: e.config(withTemplate.String()), ConfigPlanChecks: expectAction(plancheck.ResourceActionUpdate), Check: noWrites},
			{
				// Another template, once one is known, replaces the project (the plan-time
				// conflict check knows the project with this custom_code is the one replaced).
				Config:           e.config(otherTemplate.String()),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.NewID(projectAddr, &existing),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.StringExact(otherTmpl)),
				},
				Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "existing", CustomCode: "EXIST", Scope: "private"}, 1),
			},
		},
	})
}

// terraform plan -generate-config-out on import {} blocks writes configuration that validates
// and then plans with no changes; after the apply, the plan is empty.
func TestAccProject_generatedConfig(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	adopted := e.mock.PutProject(testOrg, client.Project{Name: "支付中台", CustomCode: "PAYS", Scope: "public", Description: "made in the console"})
	bare := e.mock.PutProject(testOrg, client.Project{Name: "bare", CustomCode: "BARE"})
	wd := e.workdirWith(&Provider{version: "test"}, e.providerBlock(testAccessKeySecret)+fmt.Sprintf(`
import {
  to = yunxiao_project.adopted
  id = %q
}
import {
  to = yunxiao_project.bare
  id = %q
}
`, testOrg+"/"+adopted, bare))
	wd.MustRun("plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
	generated := wd.ReadFile("generated.tf")
	for _, want := range []string{`resource "yunxiao_project" "adopted"`, `name                = "支付中台"`, `custom_code         = "PAYS"`,
		`scope               = "public"`, `description         = "made in the console"`, `template_identifier = null`,
		`organization_id     = "` + testOrg + `"`, `resource "yunxiao_project" "bare"`} {
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
	if n := len(e.mock.Projects(testOrg)); n != 2 {
		t.Errorf("the mock holds %d projects, want the 2 imported", n)
	}
	if n := e.mock.Requests("CreateProject") + e.mock.Requests("UpdateProjectField") + e.mock.Requests("DeleteProject"); n != 0 {
		t.Errorf("importing sent %d create/update/delete calls", n)
	}
}

// The warnings that plugin-testing cannot show, and destroy whatever the conflict check finds:
// a create whose answer was lost says it adopted the project; a tainted project is not reported
// as its own conflict; a taken custom_code is a warning, so the plan still exits 0 or 2; and
// `terraform plan -destroy` and `terraform destroy` succeed with a resource whose code is taken,
// deleting the projects in the state and leaving the other one alone.
func TestAccProject_destroyHalfApplied(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	taken := e.mock.PutProject(testOrg, client.Project{Name: "someone else's", CustomCode: "TAKEN"})
	lost := strings.Replace(base("lost", "LOST").String(), `"test"`, `"lost"`, 1)
	half := base("half-made", "HALF")
	half.description = "never set"
	// The half-made project comes second, so each fault meets the project it is meant for.
	halfCfg := strings.Replace(half.String(), "}\n", "  depends_on = [yunxiao_project.lost]\n}\n", 1)
	wd := e.workdir(e.config(lost + halfCfg))

	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	for range testRetries {
		e.mock.Inject("UpdateProjectField", mockserver.Fault{Kind: mockserver.ServerError, Status: 500})
	}
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code == 0 || !acctest.ErrorPattern(`Warning: Adopted an object whose creation was not confirmed.*Creating the Yunxiao project with custom code LOST in organization `+
		testOrg+` got no trustworthy answer.*but it exists with id [0-9a-f]{24}, which did not exist before the create was sent. It has been taken into the state instead of being created a second time.`).MatchString(out) {
		t.Errorf("the apply (exit %d) lacks the adoption warning:\n%s", code, out)
	}
	if n := len(e.mock.Projects(testOrg)); n != 3 {
		t.Fatalf("the mock holds %d projects, want 3 (the other one, the adopted one and the half-made one)", n)
	}
	if st := wd.State(); len(st) != 2 || st["yunxiao_project.lost"].Tainted || !st["yunxiao_project.test"].Tainted {
		t.Errorf("state %+v: want the adopted project untainted and the half-made one tainted", st)
	}

	// The tainted project is the resource's own: no conflict is reported, and it is replaced.
	out, code = wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || strings.Contains(out, "is already taken") || !strings.Contains(out, "yunxiao_project.test is tainted, so must be replaced") {
		t.Errorf("the plan (exit %d) of the tainted project:\n%s", code, out)
	}

	// A new resource whose custom_code is taken: a warning, and the plan goes on.
	wd.WriteFile("taken.tf", strings.Replace(base("newcomer", "TAKEN").String(), `"test"`, `"taken"`, 1))
	out, code = wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !conflictWarning("TAKEN", taken, "someone else's", testOrg).MatchString(out) {
		t.Errorf("the plan (exit %d) lacks the conflict warning:\n%s", code, out)
	}
	if out, code := wd.Run("plan", "-destroy", "-input=false", "-no-color"); code != 0 {
		t.Errorf("terraform plan -destroy exited %d:\n%s", code, out)
	}
	if out, code := wd.Run("destroy", "-input=false", "-no-color", "-auto-approve"); code != 0 {
		t.Errorf("terraform destroy exited %d:\n%s", code, out)
	}
	if ps := e.mock.Projects(testOrg); len(ps) != 1 || ps[0].Identifier != taken || ps[0].Name != "someone else's" {
		t.Errorf("after destroy the mock holds %+v, want only the other project, untouched", ps)
	}
	if st := wd.State(); len(st) != 0 {
		t.Errorf("after destroy the state holds %+v", st)
	}
}
