package iam

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// A plan that would create a project under a taken name warns, naming the existing project and
// showing the import block, and lists the account's projects once per plan however many creates
// it plans; nothing is created.
func TestAccProject_conflictAtPlan(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	taken := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_taken", Description: "made in the console"})
	other := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-nl_taken"})
	conflict := func(name, id string) string {
		return `IAM project name "` + name + `" is already taken.*Creating this resource will fail: IAM project ` + id +
			` \(in account ` + e.fx.DomainID + `\) already has name "` + name + `".*terraform import iam_project.<name> ` + id +
			`.*import \{ to = iam_project.<name> id = "` + id + `" \}` +
			`.*or choose another name. Set conflict_check = "error" in the provider block to fail the plan instead, or "off" to skip this check.`
	}
	checkPlanWarnings := func(want map[string]string) {
		t.Helper()
		got := e.warnings.Plan()
		for name, id := range want {
			found := false
			for _, w := range got {
				if acctest.ErrorPattern(conflict(name, id)).MatchString(w) {
					found = true
				}
			}
			if !found {
				t.Errorf("no plan warning about %s; warnings: %q", name, got)
			}
		}
		for _, w := range got {
			if strings.Contains(w, "eu-nl_free") {
				t.Errorf("a warning about the free name: %s", w)
			}
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:             e.config(projectConfig("eu-de_taken", `description = "mine"`)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Three planned creates, one listing per plan, two warnings.
				PreConfig: func() {
					checkPlanWarnings(map[string]string{"eu-de_taken": taken})
					if n, plans := e.mock.Requests(client.OpListProjects), e.warnings.Configures(); n == 0 || n > plans {
						t.Errorf("ListProjects sent %d times for %d plans, want at most one per plan", n, plans)
					}
				},
				Config: e.config(projectConfig("eu-de_taken") + strings.ReplaceAll(projectConfig("eu-nl_taken"), `"test"`, `"second"`) +
					strings.ReplaceAll(projectConfig("eu-nl_free"), `"test"`, `"third"`)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	checkPlanWarnings(map[string]string{"eu-de_taken": taken, "eu-nl_taken": other})
	if n, plans := e.mock.Requests(client.OpListProjects), e.warnings.Configures(); n > plans {
		t.Errorf("ListProjects sent %d times for %d plans of up to three creates, want at most one per plan", n, plans)
	}
	if n := e.mock.Requests(client.OpCreateProject); n != 0 {
		t.Errorf("CreateProject sent %d times; a plan must not create", n)
	}
}

// A free name plans and applies; an existing project's own name is no conflict, not even when a
// new parent_id replaces it; skip_conflict_check turns the lookup off.
func TestAccProject_noConflict(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_taken"})
	other := e.mock.RegionProjectID(e.fx.DomainID, "eu-nl")
	var before int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: func(*terraform.State) error {
			if left := e.created(); len(left) != 1 || left[0].Name != "eu-de_taken" {
				return fmt.Errorf("after destroy the mock holds %+v, want only the console's eu-de_taken", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: e.config(projectConfig("eu-de_free")),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, client.Project{Name: "eu-de_free"}, 2),
					// The plan's and the apply's name checks (whose listing holds the region's
					// project) and the lookup before the create.
					acctest.CheckRequests(e.mock, map[string]int{client.OpListProjects: 3, client.OpCreateProject: 1}),
				),
			},
			{
				// Replacing a project plans its successor as a create under the same name: the
				// project found is the one being replaced, not a conflict.
				Config:             e.config(projectConfig("eu-de_free", fmt.Sprintf("parent_id = %q", other))),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// With the check off, a taken name plans without a lookup (the apply's 409 is
				// tested in TestAccProject_duplicateName).
				PreConfig: func() {
					if n := e.mock.Requests(client.OpListProjects); n <= 3 {
						t.Errorf("ListProjects sent %d times in all; the replacement's plan did not look its name up", n)
					}
					before = e.mock.Requests(client.OpListProjects)
				},
				Config: e.passwordProvider(skipCheck) + projectConfig("eu-de_free") +
					strings.ReplaceAll(projectConfig("eu-de_taken"), `"test"`, `"second"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					if n := e.mock.Requests(client.OpListProjects); n != before {
						t.Errorf("ListProjects sent %d times during the plans with skip_conflict_check = true, want none", n-before)
					}
				},
				Config:   e.config(projectConfig("eu-de_free")),
				PlanOnly: true,
			},
		},
	})
}

// A name or provider configuration not known until apply skips the check, with no error and no
// request during the plan.
func TestAccProject_conflictCheckSkippedWhenUnknown(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_taken"})
	unknownName := e.config(`
resource "terraform_data" "name" {
  input = "eu-de_taken"
}
resource "iam_project" "test" {
  name = terraform_data.name.output
}
`)
	unknownProvider := fmt.Sprintf(`
resource "terraform_data" "password" {
  input = %q
}
provider "iam" {
  auth_url    = %q
  user_name   = %q
  password    = terraform_data.password.output
  domain_name = %q
}
`, e.fx.AdminPassword, e.url, e.fx.AdminUser, e.fx.DomainName) + projectConfig("eu-de_taken")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: unknownName, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: func() {
					if n := e.mock.Requests(client.OpListProjects); n != 0 {
						t.Errorf("ListProjects sent %d times for a name not known at plan time", n)
					}
				},
				Config: unknownProvider, PlanOnly: true, ExpectNonEmptyPlan: true,
			},
		},
	})
	// The known provider configuration of the first step was checked; nothing else was sent.
	acctest.CheckNoRequests(t, e.mock, client.OpListAuthDomains, client.OpCreateToken)
}

// terraform plan -generate-config-out on import {} blocks writes configuration that validates
// and then plans with no changes, on both clouds: with /v3-ext (status returned) and without it
// (no status), for projects with and without a description.
func TestAccProject_generatedConfig(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for _, tc := range []struct {
		flavour mock.Flavour
		ext     bool
		region  string
	}{{mock.OTC, true, "eu-de"}, {mock.Huawei, false, "cn-north-4"}} {
		t.Run(string(tc.flavour), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, tc.flavour)
			e.mock.SetExtAPI(tc.ext)
			described := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: tc.region + "_console", Description: "made in the console"})
			e.mock.UpdateProject(described, func(p *client.Project) { p.Status = client.StatusSuspended })
			bare := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: tc.region + "_bare"})
			wd := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(&Provider{version: "test"}), e.passwordProvider()+fmt.Sprintf(`
import {
  to = iam_project.described
  id = %q
}
import {
  to = iam_project.bare
  id = %q
}
`, described, bare))
			wd.MustRun("plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
			generated := wd.ReadFile("generated.tf")
			wants := []string{
				`resource "iam_project" "described"`, `name            = "` + tc.region + `_console"`,
				`description     = "made in the console"`, `deletion_policy = "delete"`, `resource "iam_project" "bare"`,
			}
			if tc.ext {
				wants = append(wants, `status          = "suspended"`)
			} else {
				wants = append(wants, `status          = null`)
			}
			for _, want := range wants {
				if !strings.Contains(generated, want) {
					t.Errorf("generated.tf lacks %s:\n%s", want, generated)
				}
			}
			wd.MustRun("validate", "-no-color")
			out := wd.MustRun("plan", "-input=false", "-no-color")
			if !strings.Contains(out, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
				t.Errorf("the plan with the generated configuration is not import-only:\n%s\n\ngenerated.tf:\n%s", out, generated)
			}
			wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
			if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
				t.Errorf("the plan after importing shows changes (exit %d):\n%s", code, out)
			}
			if n := len(e.created()); n != 2 {
				t.Errorf("the mock holds %d projects, want the 2 imported", n)
			}
			if n := e.mock.Requests(client.OpCreateProject); n != 0 {
				t.Errorf("CreateProject sent %d times; importing must not create", n)
			}
		})
	}
}
