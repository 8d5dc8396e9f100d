package trro

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
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

const projectAddr = "trro_project.test"

func projectConfig(name, description, policyMode string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"trro_project\" \"test\" {\n  name = %q\n", name)
	if description != "" {
		fmt.Fprintf(&b, "  description = %q\n", description)
	}
	if policyMode != "" {
		fmt.Fprintf(&b, "  policy_mode = %q\n", policyMode)
	}
	b.WriteString("}\n")
	return b.String()
}

func expectUpdateInPlace() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate)}}
}

// checkModifySent asserts that the last ModifyProject carried exactly the fields named.
func (e *testEnv) checkModifySent(fields ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sent := e.mock.LastUpdate()
		want := append([]string{"ProjectId"}, fields...)
		if len(sent) != len(want) {
			return fmt.Errorf("ModifyProject sent %v, want only %v", sent, want)
		}
		for _, f := range want {
			if _, ok := sent[f]; !ok {
				return fmt.Errorf("ModifyProject sent %v, want only %v", sent, want)
			}
		}
		return nil
	}
}

func TestAccProject_lifecycle(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var firstID string
	// The API's minimum per operation (docs/benchmarks.md): a create and the read-back that
	// proves it complete; an update sends ModifyProject alone (the plan's refresh reads once).
	calls := acctest.NewRequestWindow(e.mock)
	operations := []string{"CreateProject", "DescribeProjectInfo", "ModifyProject"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				PreConfig: calls.Start(operations...),
				Config:    e.config(projectConfig("payments", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.SaveString(projectAddr, "id", &firstID),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[a-z0-9]{16}$`))),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("name"), knownvalue.StringExact("payments")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("policy_mode"), knownvalue.StringExact("black")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "payments", PolicyMode: "black"}, 1),
					calls.Check(map[string]int{"CreateProject": 1, "DescribeProjectInfo": 1, "ModifyProject": 0}),
				),
			},
			{ResourceName: projectAddr, ImportState: true, ImportStateVerify: true},
			{
				PreConfig:         calls.Start(operations...),
				Config:            e.config(projectConfig("payments-eu", "", "")),
				ConfigPlanChecks:  expectUpdateInPlace(),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &firstID)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "payments-eu", PolicyMode: "black"}, 1),
					e.checkModifySent("ProjectName"),
					calls.Check(map[string]int{"CreateProject": 0, "DescribeProjectInfo": 1, "ModifyProject": 1}),
				),
			},
			{
				Config:            e.config(projectConfig("payments-eu", "Card payments", "")),
				ConfigPlanChecks:  expectUpdateInPlace(),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &firstID)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "payments-eu", Description: "Card payments", PolicyMode: "black"}, 1),
					e.checkModifySent("ProjectDescription"),
				),
			},
			{
				Config:            e.config(projectConfig("payments-eu", "Card payments", "white")),
				ConfigPlanChecks:  expectUpdateInPlace(),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &firstID)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "payments-eu", Description: "Card payments", PolicyMode: "white"}, 1),
					e.checkModifySent("PolicyMode"),
				),
			},
			{
				// Removing optional arguments returns them to their defaults, in place.
				Config:           e.config(projectConfig("payments-eu", "", "")),
				ConfigPlanChecks: expectUpdateInPlace(),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "payments-eu", PolicyMode: "black"}, 1),
					e.checkModifySent("ProjectDescription", "PolicyMode"),
				),
			},
		},
	})
}

func TestAccProject_deletedOutOfBand(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var id string
	cfg := e.config(projectConfig("ephemeral", "", ""))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
			{
				PreConfig: func() { e.mock.RemoveProject(id) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{acctest.NewID(projectAddr, &id)},
				Check:             e.checkMockProject(projectAddr, client.Project{Name: "ephemeral", PolicyMode: "black"}, 1),
			},
		},
	})
}

// A project changed in the console shows as a diff, and apply puts it back.
func TestAccProject_changedOutOfBand(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var id string
	cfg := e.config(projectConfig("stable", "as configured", ""))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
			{
				PreConfig: func() {
					e.mock.PutProject(client.Project{ID: id, Name: "renamed", Description: "as configured", PolicyMode: "white"})
				},
				Config:           cfg,
				ConfigPlanChecks: expectUpdateInPlace(),
				Check:            e.checkMockProject(projectAddr, client.Project{Name: "stable", Description: "as configured", PolicyMode: "black"}, 1),
			},
		},
	})
}

// rawProjectConfig is projectConfig with every value quoted for HCL character by character, so
// control and invisible characters reach the provider as written.
func rawProjectConfig(name, description string) string {
	return fmt.Sprintf("resource \"trro_project\" \"test\" {\n  name        = %s\n  description = %s\n}\n", acctest.HCLString(name), acctest.HCLString(description))
}

// Invalid values fail at plan, before any request, and the message shows invisible characters
// escaped.
func TestAccProject_invalidInput(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		config string
		want   string
	}{
		"empty name":            {projectConfig("", "", ""), `name UTF-8 character count must be between 1 and 24, got: 0`},
		"name too long":         {projectConfig(strings.Repeat("a", 25), "", ""), `name UTF-8 character count must be between 1 and 24, got: 25`},
		"chinese name too long": {projectConfig(strings.Repeat("项", 25), "", ""), `name UTF-8 character count must be between 1 and 24, got: 25`},
		"description too long":  {projectConfig("ok", strings.Repeat("d", 121), ""), `description UTF-8 character count must be at most 120, got: 121`},
		"unknown policy mode":   {projectConfig("ok", "", "grey"), `policy_mode value must be one of: ["black" "white"], got: "grey"`},

		"blank name":               {rawProjectConfig("   ", ""), `Attribute name must not be blank (only white space); got "   " (shown escaped)`},
		"ideographic space name":   {rawProjectConfig("\u3000", ""), `Attribute name must not be blank (only white space); got "\u3000" (shown escaped)`},
		"no-break space name":      {rawProjectConfig("\u00a0\u00a0", ""), `Attribute name must not be blank (only white space); got "\u00a0\u00a0" (shown escaped)`},
		"zero-width space in name": {rawProjectConfig("line\u200b1", ""), `Attribute name must not contain invisible format characters such as U+200B; got "line\u200b1" (shown escaped)`},
		"NUL in name":              {rawProjectConfig("line\x001", ""), `Attribute name must not contain control characters such as U+0000; got "line\x001" (shown escaped)`},
		"newline in name":          {rawProjectConfig("line\n1", ""), `Attribute name must not contain control characters such as U+000A; got "line\n1" (shown escaped)`},
		"leading space in name":    {rawProjectConfig(" line-1", ""), `Attribute name must not start or end with white space; got " line-1" (shown escaped)`},
		"trailing space in name":   {rawProjectConfig("line-1 ", ""), `Attribute name must not start or end with white space; got "line-1 " (shown escaped)`},
		"trailing NBSP in name":    {rawProjectConfig("line-1\u00a0", ""), `Attribute name must not start or end with white space; got "line-1\u00a0" (shown escaped)`},
		"line separator in name":   {rawProjectConfig("line\u20281", ""), `Attribute name must not contain Unicode line or paragraph separators such as U+2028; got "line\u20281" (shown escaped)`},
		"Hangul filler name":       {rawProjectConfig("\u3164", ""), `Attribute name must not contain characters that display as nothing, such as U+3164; got "\u3164" (shown escaped)`},

		"NUL in description": {rawProjectConfig("ok", "a\x00b"),
			`Attribute description must not contain control characters other than newline and tab, such as U+0000; got "a\x00b" (shown escaped)`},
		"carriage return in description": {rawProjectConfig("ok", "a\rb"),
			`Attribute description must not contain control characters other than newline and tab, such as U+000D; got "a\rb" (shown escaped)`},
		"zero-width space in description": {rawProjectConfig("ok", "a\u200bb"),
			`Attribute description must not contain invisible format characters such as U+200B; got "a\u200bb" (shown escaped)`},
		"line separator in description": {rawProjectConfig("ok", "a\u2028b"),
			`Attribute description must not contain Unicode line or paragraph separators such as U+2028 (use a newline); got "a\u2028b" (shown escaped)`},
		"Hangul filler in description": {rawProjectConfig("ok", "a\u3164b"),
			`Attribute description must not contain characters that display as nothing, such as U+3164; got "a\u3164b" (shown escaped)`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:      e.config(tc.config),
					PlanOnly:    true,
					ExpectError: acctest.ErrorPattern(acctest.Literal(tc.want)),
				}},
			})
			acctest.CheckNoRequests(t, e.mock)
		})
	}
}

// Descriptions may hold line breaks and tabs (heredocs), kept exactly.
func TestAccProject_multilineDescription(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	description := "Forklifts of hall 3:\n\t- remote driving\n\t- 远程操控\n"
	cfg := e.config(rawProjectConfig("hall-3", description))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact(description)),
				},
				Check: e.checkMockProject(projectAddr, client.Project{Name: "hall-3", Description: description, PolicyMode: "black"}, 1),
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// With a half-applied configuration (one project in the state, one not yet created, whose name
// another project already has), plan -destroy and destroy succeed, also with the project in the
// state tainted: the one in the state is deleted, the other project is left alone.
func TestAccProject_destroyHalfApplied(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	bystander := e.mock.PutProject(client.Project{Name: "second", PolicyMode: "black"})
	d := e.workdir(e.config(`
resource "trro_project" "first" {
  name = "first"
}
resource "trro_project" "second" {
  name = "second"
}
`))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve", "-target=trro_project.first")
	if st := d.State(); len(st) != 1 || len(e.mock.Projects()) != 2 {
		t.Fatalf("after the targeted apply: state %+v, mock %+v", st, e.mock.Projects())
	}
	if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 2 {
		t.Errorf("the plan of the half-applied configuration exited %d, want 2:\n%s", code, out)
	}
	for _, taint := range []bool{false, true} {
		if taint {
			d.MustRun("taint", "-no-color", "trro_project.first")
		}
		if out, code := d.Run("plan", "-destroy", "-input=false", "-no-color"); code != 0 {
			t.Errorf("plan -destroy (tainted: %v) exited %d, want 0:\n%s", taint, code, out)
		}
	}
	d.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	if projects := e.mock.Projects(); len(projects) != 1 || projects[0].ID != bystander {
		t.Errorf("after destroy the mock holds %+v; want only the other project %s", projects, bystander)
	}
	if st := d.State(); len(st) != 0 {
		t.Errorf("after destroy the state holds %+v", st)
	}
}

func TestAccProject_import(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(client.Project{Name: "existing", Description: "made in the console", PolicyMode: "white"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				// An import {} block adopts the project with no change and no new project.
				Config: e.config(fmt.Sprintf(`
import {
  to = trro_project.test
  id = %q
}
`, existing) + projectConfig("existing", "made in the console", "white")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
				},
				Check: e.checkMockProject(projectAddr, client.Project{Name: "existing", Description: "made in the console", PolicyMode: "white"}, 1),
			},
			{ResourceName: projectAddr, ImportState: true, ImportStateId: existing, ImportStateVerify: true},
			{
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: "not/a-project",
				ExpectError:   acctest.ErrorPattern(`Invalid TRRO project id.*16-character\s+ProjectId.*f3glr49r3axn0fu2.*"not/a-project"`),
			},
			{
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: "zzzzzzzzzzzzzzzz",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
		},
	})
}

func TestAccProject_chineseName(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	name := strings.Repeat("实时互动", 6) // 24 characters, 72 bytes
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config: e.config(projectConfig(name, "工业能源版项目", "")),
				Check:  e.checkMockProject(projectAddr, client.Project{Name: name, Description: "工业能源版项目", PolicyMode: "black"}, 1),
			},
			// The step above already fails on any diff after apply; this asserts it explicitly.
			{Config: e.config(projectConfig(name, "工业能源版项目", "")), PlanOnly: true},
			{ResourceName: projectAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}
