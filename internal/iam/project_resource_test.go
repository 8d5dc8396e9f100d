package iam

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

const projectAddr = "iam_project.test"

// projectConfig renders an iam_project "test" block; attrs are extra `key = "value"` lines.
func projectConfig(name string, attrs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"iam_project\" \"test\" {\n  name = %q\n", name)
	for _, a := range attrs {
		fmt.Fprintf(&b, "  %s\n", a)
	}
	b.WriteString("}\n")
	return b.String()
}

func expectAction(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(projectAddr, action)}}
}

// huaweiKeepsWarning is the start of the warning a delete on Huawei Cloud gives.
const huaweiKeepsWarning = `was not deleted: the cloud keeps it`

// checkWarnings asserts that the applies returned exactly n warnings, each containing every
// pattern.
func (e *testEnv) checkWarnings(n int, patterns ...string) error {
	warnings := e.warnings.Apply()
	if len(warnings) != n {
		return fmt.Errorf("%d warnings, want %d: %q", len(warnings), n, warnings)
	}
	for _, w := range warnings {
		for _, p := range patterns {
			if !acctest.ErrorPattern(p).MatchString(w) {
				return fmt.Errorf("warning %q does not match %q", w, p)
			}
		}
	}
	return nil
}

func TestAccProject_lifecycle(t *testing.T) {
	for _, flavour := range []mock.Flavour{mock.Huawei, mock.OTC} {
		t.Run(string(flavour), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, flavour)
			r1, r2 := flavour.Regions()[0], flavour.Regions()[1]
			var firstID string
			checkDestroy := acctest.CheckDestroyed(e.created)
			if flavour == mock.Huawei {
				// Huawei Cloud cannot delete projects: destroy leaves them and warns.
				checkDestroy = func(*terraform.State) error {
					if n := len(e.created()); n != 2 {
						return fmt.Errorf("the mock holds %d projects after destroy, want both kept", n)
					}
					return e.checkWarnings(2, huaweiKeepsWarning, `still exists in the cloud`, `only been removed from the Terraform state`,
						`set deletion_policy = "suspend"`, `APIGW.0101`)
				}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             checkDestroy,
				Steps: []resource.TestStep{
					{
						Config: e.config(projectConfig(r1 + "_payments")),
						ConfigStateChecks: []statecheck.StateCheck{
							acctest.SaveString(projectAddr, "id", &firstID),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("name"), knownvalue.StringExact(r1+"_payments")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("parent_id"), knownvalue.StringExact(e.mock.RegionProjectID(e.fx.DomainID, r1))),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("domain_id"), knownvalue.StringExact(e.fx.DomainID)),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("normal")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("deletion_policy"), knownvalue.StringExact("delete")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkMockProject(projectAddr, client.Project{Name: r1 + "_payments"}, 1),
						),
					},
					{ResourceName: projectAddr, ImportState: true, ImportStateVerify: true},
					{
						// Same region prefix: renamed in place.
						Config:            e.config(projectConfig(r1 + "_billing")),
						ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
						ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &firstID)},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkMockProject(projectAddr, client.Project{Name: r1 + "_billing"}, 1),
						),
					},
					{
						Config:            e.config(projectConfig(r1+"_billing", `description = "Invoices"`)),
						ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
						ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &firstID)},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkMockProject(projectAddr, client.Project{Name: r1 + "_billing", Description: "Invoices"}, 1),
						),
					},
					{
						Config:           e.config(projectConfig(r1+"_billing", `description = "Invoices"`, `status = "suspended"`)),
						ConfigPlanChecks: expectAction(plancheck.ResourceActionUpdate),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("suspended")),
							acctest.SameString(projectAddr, "id", &firstID),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkMockProject(projectAddr, client.Project{Name: r1 + "_billing", Description: "Invoices", Status: "suspended"}, 1),
						),
					},
					{
						// Back to normal, and the description removed: both in place.
						Config:            e.config(projectConfig(r1+"_billing", `status = "normal"`)),
						ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
						ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &firstID)},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkMockProject(projectAddr, client.Project{Name: r1 + "_billing"}, 1),
						),
					},
					{
						// A new region prefix replaces the project, under the new region's project.
						Config:           e.config(projectConfig(r2 + "_billing")),
						ConfigPlanChecks: expectAction(plancheck.ResourceActionDestroyBeforeCreate),
						ConfigStateChecks: []statecheck.StateCheck{
							acctest.NewID(projectAddr, &firstID),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("parent_id"), knownvalue.StringExact(e.mock.RegionProjectID(e.fx.DomainID, r2))),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							func(*terraform.State) error {
								_, kept := e.mock.Project(firstID)
								switch {
								case flavour == mock.OTC && kept:
									return fmt.Errorf("the replaced project %s was not deleted", firstID)
								case flavour == mock.Huawei && !kept:
									return fmt.Errorf("the replaced project %s is gone on Huawei Cloud", firstID)
								case flavour == mock.Huawei:
									return e.checkWarnings(1, huaweiKeepsWarning, firstID)
								}
								return e.checkWarnings(0)
							},
							e.checkMockProject(projectAddr, client.Project{Name: r2 + "_billing"}, map[mock.Flavour]int{mock.Huawei: 2, mock.OTC: 1}[flavour]),
						),
					},
				},
			})
		})
	}
}

// Given parent_id and domain_id, a description and a status, through a throttled create and a
// project that answers 404 for a while after it is made.
func TestAccProject_allArguments(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	e.mock.HideNewProjects(3)
	e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.Throttle})
	parent := e.mock.RegionProjectID(e.fx.DomainID, "eu-nl")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config: e.config(projectConfig("eu-nl_full",
					fmt.Sprintf("parent_id = %q", parent), fmt.Sprintf("domain_id = %q", e.fx.DomainID),
					`description = "Everything given"`, `status = "suspended"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("suspended")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "eu-nl_full", ParentID: parent, Description: "Everything given", Status: "suspended"}, 1),
					func(*terraform.State) error {
						if n := e.mock.Requests(client.OpCreateProject); n != 2 {
							return fmt.Errorf("CreateProject sent %d times, want 2 (throttled, then accepted)", n)
						}
						// The plan-time name checks of the pre-apply plan and of the apply, and the
						// create's lookup before it is sent (the throttled attempt did not act: no
						// lookup after it).
						if n := e.mock.Requests(client.OpListProjects); n != 3 {
							return fmt.Errorf("ListProjects sent %d times, want 3 (the plans' name checks and the lookup before the create; the region's project is not looked up when parent_id is given)", n)
						}
						// The create's answer and the status call say all there is: no read-back.
						if n := e.mock.Requests(client.OpShowProjectStatus); n != 0 {
							return fmt.Errorf("the new project was read %d times during the apply, want none", n)
						}
						return nil
					},
				),
			},
			{
				// The refresh right after finds the project still invisible: it waits for it
				// (it was created moments ago) rather than drop it from the state.
				Config:   e.config(projectConfig("eu-nl_full", fmt.Sprintf("parent_id = %q", parent), fmt.Sprintf("domain_id = %q", e.fx.DomainID), `description = "Everything given"`, `status = "suspended"`)),
				PlanOnly: true,
			},
			{ResourceName: projectAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// Each deletion_policy on each cloud, all destroyed in one run.
func TestAccProject_deletionPolicies(t *testing.T) {
	for _, flavour := range []mock.Flavour{mock.Huawei, mock.OTC} {
		t.Run(string(flavour), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, flavour)
			r := flavour.Regions()[0]
			cfg := ""
			for _, policy := range []string{DeletionPolicyDelete, DeletionPolicySuspend, DeletionPolicyAbandon} {
				cfg += fmt.Sprintf("resource \"iam_project\" %q {\n  name = \"%s_%s\"\n  deletion_policy = %q\n}\n", policy, r, policy, policy)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy: func(*terraform.State) error {
					status := func(policy string) string {
						p, ok := e.mock.ProjectByName(e.fx.DomainID, r+"_"+policy)
						if !ok {
							return "gone"
						}
						return p.Status
					}
					want := map[string]string{DeletionPolicyDelete: "gone", DeletionPolicySuspend: "suspended", DeletionPolicyAbandon: "normal"}
					if flavour == mock.Huawei {
						want[DeletionPolicyDelete] = "normal"
					}
					for policy, w := range want {
						if got := status(policy); got != w {
							return fmt.Errorf("deletion_policy %q left the project %s, want %s", policy, got, w)
						}
					}
					if flavour == mock.Huawei {
						return e.checkWarnings(1, `IAM project "`+r+`_delete" `+huaweiKeepsWarning,
							`This cloud \(Huawei Cloud\) does not offer deleting IAM projects, so the project "`+r+`_delete" \(id [0-9a-f]{32}\) still exists in the cloud`,
							`set deletion_policy = "suspend"`, `deletion_policy = "abandon"`, `Operation: IAM DeleteProject \(DELETE /v3/projects/[0-9a-f]{32}\)`,
							`HTTP status: 404`, `Error code: APIGW.0101`, `method DELETE not found`, `Request ID: [0-9a-f-]{36}`)
					}
					return e.checkWarnings(0)
				},
				Steps: []resource.TestStep{{
					Config: e.config(cfg),
					Check: func(*terraform.State) error {
						if n := len(e.created()); n != 3 {
							return fmt.Errorf("%d projects created, want 3", n)
						}
						return nil
					},
				}},
			})
			if flavour == mock.Huawei && e.mock.Requests(client.OpDeleteProject) != 1 {
				t.Errorf("DELETE sent %d times, want once (for the delete policy)", e.mock.Requests(client.OpDeleteProject))
			}
		})
	}
}

func TestAccProject_changedOrDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	var id string
	cfg := e.config(projectConfig("eu-de_drift", `description = "as configured"`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
			{
				// Changed in the console: the plan puts it back in place.
				PreConfig: func() {
					e.mock.UpdateProject(id, func(p *client.Project) {
						p.Name, p.Description, p.Status = "eu-de_renamed", "changed", client.StatusSuspended
					})
				},
				Config:            cfg,
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &id)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "eu-de_drift", Description: "as configured", Status: "suspended"}, 1),
				),
			},
			{
				// Deleted in the console: removed from the state, then created again.
				PreConfig:         func() { e.mock.RemoveProject(id) },
				Config:            cfg,
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{acctest.NewID(projectAddr, &id)},
				Check:             e.checkMockProject(projectAddr, client.Project{Name: "eu-de_drift", Description: "as configured"}, 1),
			},
		},
	})
}

// Every validator's message, with no request sent.
func TestAccProject_invalidInput(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	var steps []resource.TestStep
	for _, tc := range []struct {
		config string
		want   string
	}{
		{projectConfig("payments"), `Project name without a region prefix.*must start with the id of an existing region and "_".*"eu-de_payments".*got "payments"`},
		{projectConfig("eu-de_"), `Project name without a region prefix.*got "eu-de_"`},
		{projectConfig("EU-DE_payments"), `Project name without a region prefix.*got "EU-DE_payments"`},
		{projectConfig("_payments"), `Project name without a region prefix`},
		{projectConfig("eu-de_" + strings.Repeat("a", 59)), `Project name too long.*at most 64 characters, region prefix included; "eu-de_a+" has 65`},
		{projectConfig("eu-de_" + strings.Repeat("ü", 59)), `Project name too long.* has 65`},
		{projectConfig("eu-de_x", `description = "`+strings.Repeat("d", 256)+`"`), `description UTF-8 character count must be at most 255, got: 256`},
		{projectConfig("eu-de_x", `status = "paused"`), `status value must be one of: \["normal" "suspended"\], got: "paused"`},
		{projectConfig("eu-de_x", `deletion_policy = "destroy"`), `deletion_policy value must be one of: \["delete" "suspend" "abandon"\], got: "destroy"`},
		{projectConfig("eu-de_x", `parent_id = "eu-de"`), `parent_id must be a 32-character hexadecimal id such as 3de1461665f045ef91ba1efe8121b979, got: eu-de`},
		{projectConfig("eu-de_x", `domain_id = "my-account"`), `domain_id must be a 32-character hexadecimal id such as 3de1461665f045ef91ba1efe8121b979, got: my-account`},
		// Names a person cannot see or type, shown escaped (HCL escapes below, Go's in the messages).
		{rawName(`   `), `Invalid name.*Attribute name must not be blank \(only white space\); got "   "`},
		{rawName(`eu-de_   `), `Attribute name must not start or end with white space; got "eu-de_   "`},
		{rawName(`eu-de_\u3000`), `Attribute name must not start or end with white space; got "eu-de_\\u3000"`},
		{rawName(`eu-de_\u00a0`), `must not start or end with white space; got "eu-de_\\u00a0"`},
		{rawName(` eu-de_team`), `must not start or end with white space; got " eu-de_team"`},
		{rawName(`eu-de_team `), `must not start or end with white space; got "eu-de_team "`},
		{rawName(`eu-de_team\u200bx`), `must not contain invisible format characters such as U\+200B; got "eu-de_team\\u200bx"`},
		{rawName(`eu-de_te\u0000am`), `must not contain control characters such as U\+0000; got "eu-de_te\\x00am"`},
		{rawName(`eu-de_te\nam`), `must not contain control characters such as U\+000A; got "eu-de_te\\nam"`},
		{rawName(`eu-de_\u3000team`), `Invalid project name.*The part of an IAM project name after the region prefix "eu-de_" must not start or end with white space; got "eu-de_\\u3000team"`},
		{projectConfig("eu-de_x", `description = "bell\u0007"`), `Attribute description must not contain control characters other than newline and tab, such as U\+0007; got "bell\\a"`},
		{projectConfig("eu-de_x", `description = "nul\u0000"`), `such as U\+0000; got "nul\\x00"`},
		{rawName(`eu-de_team\u2028x`), `Attribute name must not contain Unicode line or paragraph separators such as U\+2028; got "eu-de_team\\u2028x"`},
		{rawName(`eu-de_\u3164`), `Attribute name must not contain characters that display as nothing, such as U\+3164; got "eu-de_\\u3164"`},
		{projectConfig("eu-de_x", `description = "zero\u200bwidth"`), `Attribute description must not contain invisible format characters such as U\+200B; got "zero\\u200bwidth"`},
		{projectConfig("eu-de_x", `description = "a\u2029b"`), `Attribute description must not contain Unicode line or paragraph separators such as U\+2029 \(use a newline\); got "a\\u2029b"`},
	} {
		steps = append(steps, resource.TestStep{Config: e.config(tc.config), PlanOnly: true, ExpectError: acctest.ErrorPattern(tc.want)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: e.factories(), Steps: steps})
	acctest.CheckNoRequests(t, e.mock)
}

func TestAccProject_duplicateName(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.Huawei)
	taken := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "cn-north-4_taken", Description: "made in the console"})
	conflict := func(operation string) *regexp.Regexp {
		return acctest.ErrorPattern(`IAM project name "cn-north-4_taken" is already taken.*names are unique in an account.*existing project \(id ` + taken + `\)` +
			`.*terraform import iam_project.<name> ` + taken + `.*import \{ to = iam_project.<name> id = "` + taken + `" \}` +
			`.*Operation: IAM ` + operation + `.*HTTP status: 409.*Error code: Conflict.*Duplicate entry found with name cn-north-4_taken.*Request ID: [0-9a-f-]{36}`)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				// Without the plan-time check, the create's 409 says the same.
				Config:      e.passwordProvider(skipCheck) + projectConfig("cn-north-4_taken", `deletion_policy = "abandon"`),
				ExpectError: conflict(`CreateProject \(POST /v3/projects\)`),
			},
			{
				Config: e.config(projectConfig("cn-north-4_mine", `deletion_policy = "abandon"`)),
				Check:  e.checkMockProject(projectAddr, client.Project{Name: "cn-north-4_mine"}, 2),
			},
			{
				// Renaming onto a taken name fails the same way.
				Config:      e.config(projectConfig("cn-north-4_taken", `deletion_policy = "abandon"`)),
				ExpectError: conflict(`UpdateProject \(PATCH /v3/projects/` + "[0-9a-f]{32}" + `\)`),
			},
		},
	})
}

func TestAccProject_import(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	existing := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_existing", Description: "made in the console"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				// An import {} block adopts the project with no change and no new project.
				Config: e.config(fmt.Sprintf(`
import {
  to = iam_project.test
  id = %q
}
`, existing) + projectConfig("eu-de_existing", `description = "made in the console"`)),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionNoop),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("deletion_policy"), knownvalue.StringExact("delete")),
				},
				Check: e.checkMockProject(projectAddr, client.Project{Name: "eu-de_existing", Description: "made in the console"}, 1),
			},
			{ResourceName: projectAddr, ImportState: true, ImportStateId: existing, ImportStateVerify: true},
			{
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: "eu-de_existing",
				ExpectError:   acctest.ErrorPattern(`Invalid IAM project id.*32 hexadecimal characters, e.g. 3de1461665f045ef91ba1efe8121b979; got "eu-de_existing"`),
			},
			{
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: "0123456789abcdef0123456789abcdef",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
		},
	})
}

// rawName is an iam_project "test" whose name is the HCL string literal text, escapes and all.
func rawName(hcl string) string {
	return "resource \"iam_project\" \"test\" {\n  name = \"" + hcl + "\"\n}\n"
}

// Unit tests of the name validator's limits, without Terraform.
func TestProjectNameValidator(t *testing.T) {
	for name, want := range map[string]string{
		"eu-de_payments":                   "",
		"ap-southeast-1_IAMProject":        "",
		"eu-west-101_x":                    "",
		"eu-ch2_team_1":                    "",
		"eu-de_" + strings.Repeat("a", 58): "", // 64 characters
		"eu-de_" + strings.Repeat("ü", 58): "", // 64 characters, 122 bytes
		"eu-de_" + strings.Repeat("a", 59): "Project name too long",
		"payments":                         "Project name without a region prefix",
		"eu_de_payments":                   "Project name without a region prefix",
		"eu-de":                            "Project name without a region prefix",
		"eu-de_":                           "Project name without a region prefix",
		"Eu-de_payments":                   "Project name without a region prefix",
		"eu-de-_payments":                  "Project name without a region prefix",
		strings.Repeat("x", 70):            "Project name too long",
		"eu-de payments_x":                 "Project name without a region prefix",
	} {
		var resp validator.StringResponse
		projectNameValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("name"), ConfigValue: types.StringValue(name)}, &resp)
		switch {
		case want == "" && resp.Diagnostics.HasError():
			t.Errorf("%q: unexpected error %v", name, resp.Diagnostics)
		case want != "" && (!resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != want):
			t.Errorf("%q: diagnostics %v, want %q", name, resp.Diagnostics, want)
		}
	}
}

func TestRegionOf(t *testing.T) {
	for name, want := range map[string]string{"eu-de_a_b": "eu-de", "ap-southeast-1_x": "ap-southeast-1", "eu-de": "", "": ""} {
		if got := regionOf(name); got != want {
			t.Errorf("regionOf(%q) = %q, want %q", name, got, want)
		}
	}
}

// A create whose answer is lost is adopted by name, with a warning, not created twice; a create
// that failed with a 5xx (and did nothing) is sent again.
func TestAccProject_createOutcomeUnknown(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.LoseResponse}) },
				Config:    e.config(projectConfig("eu-de_lost")),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "eu-de_lost"}, 1),
					func(*terraform.State) error {
						if n := e.mock.Requests(client.OpCreateProject); n != 1 {
							return fmt.Errorf("CreateProject sent %d times, want once", n)
						}
						return e.checkWarnings(1, `Adopted an object whose creation was not confirmed`, `Creating the IAM project "eu-de_lost" got no trustworthy answer`, `exists with id [0-9a-f]{32}`)
					},
				),
			},
			{
				PreConfig: func() {
					e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.ServerError, Status: 503})
				},
				Config: e.config(projectConfig("eu-de_lost") + strings.ReplaceAll(projectConfig("eu-de_retried"), `"test"`, `"second"`)),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject("iam_project.second", client.Project{Name: "eu-de_retried"}, 2),
					func(*terraform.State) error {
						if n := e.mock.Requests(client.OpCreateProject); n != 3 {
							return fmt.Errorf("CreateProject sent %d times in all, want 3", n)
						}
						return e.checkWarnings(1)
					},
				),
			},
		},
	})
}

// Where the cloud does not offer /v3-ext, projects are read through /v3 and have no status.
func TestAccProject_withoutV3Ext(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.Huawei)
	e.mock.SetExtAPI(false)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(projectConfig("cn-north-4_plain", `deletion_policy = "abandon"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.Null()),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				},
				Check: e.checkMockProject(projectAddr, client.Project{Name: "cn-north-4_plain"}, 1),
			},
			{ResourceName: projectAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"deletion_policy"}},
			{
				Config:      e.config(projectConfig("cn-north-4_plain", `deletion_policy = "abandon"`, `status = "suspended"`)),
				ExpectError: acctest.ErrorPattern(`Error setting the status of IAM project [0-9a-f]{32} to suspended.*UpdateProjectStatus \(PUT /v3-ext/projects/[0-9a-f]{32}\).*HTTP status: 404.*APIGW.0101`),
			},
		},
	})
}

// A project that stays invisible after create fails the apply once the wait is over, but stays
// in the state (tainted) so that it is not lost: the next apply replaces it.
func TestAccProject_invisibleAfterCreate(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	cfg := e.config(projectConfig("eu-de_invisible"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { e.mock.HideNewProjects(1000) },
				Config:      cfg,
				ExpectError: acctest.ErrorPattern(`IAM project [0-9a-f]{32} was created but could not be read back.*Operation: IAM ShowProjectStatus.*HTTP status: 404.*Could not find project`),
			},
			{
				PreConfig: func() {
					if n := len(e.created()); n != 1 {
						t.Errorf("%d projects after the failed create, want 1", n)
					}
					if n := e.mock.Requests(client.OpShowProjectStatus); n < 3 {
						t.Errorf("the new project was read %d times before giving up, want several", n)
					}
					e.mock.HideNewProjects(0)
				},
				// Terraform plans the tainted project's replacement as a create, after refreshing
				// it: the plan-time check knows the project found under the name is the
				// resource's own and says nothing.
				Config:           cfg,
				ConfigPlanChecks: expectAction(plancheck.ResourceActionDestroyBeforeCreate),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "eu-de_invisible"}, 1),
					func(*terraform.State) error {
						for _, w := range e.warnings.Plan() {
							if strings.Contains(w, "is already taken") {
								return fmt.Errorf("the plan reported the tainted resource's own project as a conflict: %s", w)
							}
						}
						return nil
					},
				),
			},
		},
	})
}
