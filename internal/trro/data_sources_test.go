package trro

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

func TestAccProjectDataSource(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	byID := e.mock.PutProject(client.Project{Name: "lookup", Description: "found by id", PolicyMode: "white"})
	e.mock.PutProject(client.Project{Name: "twin", PolicyMode: "black"})
	e.mock.PutProject(client.Project{Name: "twin", PolicyMode: "black"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(fmt.Sprintf(`
data "trro_project" "by_id" {
  id = %q
}
data "trro_project" "by_name" {
  name = "lookup"
}
`, byID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.trro_project.by_id", tfjsonpath.New("name"), knownvalue.StringExact("lookup")),
					statecheck.ExpectKnownValue("data.trro_project.by_id", tfjsonpath.New("description"), knownvalue.StringExact("found by id")),
					statecheck.ExpectKnownValue("data.trro_project.by_id", tfjsonpath.New("policy_mode"), knownvalue.StringExact("white")),
					statecheck.ExpectKnownValue("data.trro_project.by_id", tfjsonpath.New("modify_time"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.trro_project.by_name", tfjsonpath.New("id"), knownvalue.StringExact(byID)),
					statecheck.ExpectKnownValue("data.trro_project.by_name", tfjsonpath.New("policy_mode"), knownvalue.StringExact("white")),
				},
			},
			{
				Config:      e.config(`data "trro_project" "x" { name = "twin" }`),
				ExpectError: acctest.ErrorPattern(`Several TRRO projects have this name.*2 projects are named\s+"twin"`),
			},
			{
				Config:      e.config(`data "trro_project" "x" { name = "nobody" }`),
				ExpectError: regexp.MustCompile(`No project is named "nobody"`),
			},
			{
				Config:      e.config(`data "trro_project" "x" { id = "aaaaaaaaaaaaaaaa" }`),
				ExpectError: acctest.ErrorPattern(`Error code: ResourceNotFound`),
			},
		},
	})
}

func TestAccProjectDataSource_invalidArguments(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, tc := range []struct{ config, want string }{
		{`data "trro_project" "x" {}`, `Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[id,name\]`},
		{`data "trro_project" "x" {
  id   = "aaaaaaaaaaaaaaaa"
  name = "both"
}`, `Invalid Attribute Combination.*Exactly one of these attributes must be configured: \[id,name\]`},
		{`data "trro_project" "x" { id = "short" }`, `must be a 16-character ProjectId`},
		{`data "trro_project" "x" { name = "pay\u200bments" }`, `Invalid name.*Attribute name must not contain invisible format characters such as U\+200B; got "pay\\u200bments"`},
		{`data "trro_projects" "x" { name_regex = "(" }`, `Invalid regular expression`},
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps:                    []resource.TestStep{{Config: e.config(tc.config), PlanOnly: true, ExpectError: acctest.ErrorPattern(tc.want)}},
		})
	}
	acctest.CheckNoRequests(t, e.mock)
}

// The list follows DescribeProjectList's pages (100 projects each) and filters by name.
func TestAccProjectsDataSource(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const total = 230
	for i := range total {
		prefix := "team"
		if i%2 == 1 {
			prefix = "ops"
		}
		e.mock.PutProject(client.Project{Name: fmt.Sprintf("%s-%03d", prefix, i), PolicyMode: "black"})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "trro_projects" "all" {}
data "trro_projects" "teams" {
  name_regex = "^team-"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.trro_projects.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(total)),
				statecheck.ExpectKnownValue("data.trro_projects.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(total)),
				statecheck.ExpectKnownValue("data.trro_projects.teams", tfjsonpath.New("ids"), knownvalue.ListSizeExact(total/2)),
				statecheck.ExpectKnownValue("data.trro_projects.teams", tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("team-000")),
				statecheck.ExpectKnownValue("data.trro_projects.teams", tfjsonpath.New("projects").AtSliceIndex(114).AtMapKey("name"), knownvalue.StringExact("team-228")),
			},
			Check: func(*terraform.State) error {
				// Two data sources, each reading 3 pages, at least once per plan/apply, and the
				// credentials check.
				if n := e.mock.Requests("DescribeProjectList") - validationCalls; n%6 != 0 || n == 0 {
					return fmt.Errorf("DescribeProjectList was called %d times, want a multiple of 6", n)
				}
				return nil
			},
		}},
	})
}
