package iam

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// name_regex filters the listing by name, on its own and after the API's filters, and leaves out
// the regions' own projects unless they match; an invalid expression fails at plan time.
func TestAccProjectsDataSource_nameRegex(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	for i := range 6 {
		region := "eu-de"
		if i%2 == 1 {
			region = "eu-nl"
		}
		id := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: fmt.Sprintf("%s_team-%d", region, i)})
		if i == 4 {
			e.mock.UpdateProject(id, func(p *client.Project) { p.Enabled = false })
		}
	}
	e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_payments"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "iam_projects" "teams" {
  name_regex = "_team-"
}
data "iam_projects" "de_teams" {
  name_regex = "^eu-de_team-[0-9]+$"
}
data "iam_projects" "de_enabled_teams" {
  name_regex = "^eu-de_team-"
  enabled    = true
}
data "iam_projects" "regions" {
  name_regex = "^eu-[a-z0-9]+$"
}
data "iam_projects" "none" {
  name_regex = "^nobody$"
}
`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.iam_projects.teams", "ids.#", "6"),
				resource.TestCheckResourceAttr("data.iam_projects.teams", "projects.#", "6"),
				resource.TestCheckResourceAttr("data.iam_projects.teams", "projects.0.name", "eu-de_team-0"),
				resource.TestCheckResourceAttr("data.iam_projects.teams", "projects.5.name", "eu-nl_team-5"),
				resource.TestCheckResourceAttr("data.iam_projects.de_teams", "ids.#", "3"),
				resource.TestCheckResourceAttr("data.iam_projects.de_teams", "projects.2.name", "eu-de_team-4"),
				resource.TestCheckResourceAttr("data.iam_projects.de_enabled_teams", "ids.#", "2"),
				resource.TestCheckResourceAttr("data.iam_projects.de_enabled_teams", "projects.1.name", "eu-de_team-2"),
				// The three regions' own projects of Open Telekom Cloud.
				resource.TestCheckResourceAttr("data.iam_projects.regions", "ids.#", "3"),
				resource.TestCheckResourceAttr("data.iam_projects.none", "ids.#", "0"),
				resource.TestCheckResourceAttr("data.iam_projects.none", "projects.#", "0"),
			),
		}},
	})
}

func TestAccProjectsDataSource_invalidNameRegex(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config(`data "iam_projects" "x" { name_regex = "(" }`),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Invalid regular expression.*name_regex must be a valid RE2 regular expression`),
		}},
	})
	acctest.CheckNoRequests(t, e.mock)
}
