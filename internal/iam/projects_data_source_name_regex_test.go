package iam

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.iam_projects.teams", tfjsonpath.New("ids"), knownvalue.ListSizeExact(6)),
				statecheck.ExpectKnownValue("data.iam_projects.teams", tfjsonpath.New("projects"), knownvalue.ListSizeExact(6)),
				statecheck.ExpectKnownValue("data.iam_projects.teams", tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("eu-de_team-0")),
				statecheck.ExpectKnownValue("data.iam_projects.teams", tfjsonpath.New("projects").AtSliceIndex(5).AtMapKey("name"), knownvalue.StringExact("eu-nl_team-5")),
				statecheck.ExpectKnownValue("data.iam_projects.de_teams", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.iam_projects.de_teams", tfjsonpath.New("projects").AtSliceIndex(2).AtMapKey("name"), knownvalue.StringExact("eu-de_team-4")),
				statecheck.ExpectKnownValue("data.iam_projects.de_enabled_teams", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.iam_projects.de_enabled_teams", tfjsonpath.New("projects").AtSliceIndex(1).AtMapKey("name"), knownvalue.StringExact("eu-de_team-2")),
				// The three regions' own projects of Open Telekom Cloud.
				statecheck.ExpectKnownValue("data.iam_projects.regions", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.iam_projects.none", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.iam_projects.none", tfjsonpath.New("projects"), knownvalue.ListSizeExact(0)),
			},
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
