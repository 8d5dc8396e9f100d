package iam

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

func TestAccProjectDataSource(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	id := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_lookup", Description: "found by id"})
	e.mock.UpdateProject(id, func(p *client.Project) { p.Status = client.StatusSuspended })
	region := e.mock.RegionProjectID(e.fx.DomainID, "eu-de")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(fmt.Sprintf(`
data "iam_project" "by_id" {
  id = %q
}
data "iam_project" "by_name" {
  name      = "eu-de_lookup"
  domain_id = %q
}
data "iam_project" "region" {
  name = "eu-de"
}
`, id, e.fx.DomainID)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.iam_project.by_id", "name", "eu-de_lookup"),
					resource.TestCheckResourceAttr("data.iam_project.by_id", "description", "found by id"),
					resource.TestCheckResourceAttr("data.iam_project.by_id", "parent_id", region),
					resource.TestCheckResourceAttr("data.iam_project.by_id", "domain_id", e.fx.DomainID),
					resource.TestCheckResourceAttr("data.iam_project.by_id", "status", "suspended"),
					resource.TestCheckResourceAttr("data.iam_project.by_id", "enabled", "true"),
					resource.TestCheckResourceAttr("data.iam_project.by_name", "id", id),
					resource.TestCheckResourceAttr("data.iam_project.by_name", "status", "suspended"),
					resource.TestCheckResourceAttr("data.iam_project.region", "id", region),
					resource.TestCheckResourceAttr("data.iam_project.region", "parent_id", e.fx.DomainID),
				),
			},
			{
				Config:      e.config(`data "iam_project" "x" { name = "eu-de_nobody" }`),
				ExpectError: acctest.ErrorPattern(`No IAM project found.*The account has no IAM project named "eu-de_nobody"`),
			},
			{
				Config:      e.config(`data "iam_project" "x" { id = "0123456789abcdef0123456789abcdef" }`),
				ExpectError: acctest.ErrorPattern(`No IAM project found.*No IAM project has the id 0123456789abcdef0123456789abcdef.*HTTP status: 404`),
			},
		},
	})
}

// Where the cloud has no /v3-ext, a project read by the data source has no status.
func TestAccProjectDataSource_withoutV3Ext(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.Huawei)
	e.mock.SetExtAPI(false)
	id := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "cn-north-4_plain"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`data "iam_project" "x" { name = "cn-north-4_plain" }`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.iam_project.x", "id", id),
				resource.TestCheckNoResourceAttr("data.iam_project.x", "status"),
				resource.TestCheckResourceAttr("data.iam_project.x", "description", ""),
			),
		}},
	})
}

// Every validator of the data sources, with no request sent.
func TestAccDataSources_invalidArguments(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	for _, tc := range []struct{ config, want string }{
		{`data "iam_project" "x" {}`, `Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[id,name\]`},
		{`data "iam_project" "x" {
  id   = "0123456789abcdef0123456789abcdef"
  name = "eu-de_both"
}`, `Invalid Attribute Combination.*Exactly one of these attributes must be configured: \[id,name\]`},
		{`data "iam_project" "x" {
  id        = "0123456789abcdef0123456789abcdef"
  domain_id = "0123456789abcdef0123456789abcdef"
}`, `Invalid Attribute Combination.*These attributes cannot be configured together: \[id,domain_id\]`},
		{`data "iam_project" "x" { id = "eu-de_payments" }`, `Invalid Attribute Value Match.*must be a 32-character hexadecimal id such as 3de1461665f045ef91ba1efe8121b979`},
		{`data "iam_project" "x" { name = "` + strings.Repeat("x", 65) + `" }`, `Invalid Attribute Value Length.*Attribute name UTF-8 character count must be between 1 and 64, got: 65`},
		{`data "iam_projects" "x" { parent_id = "eu-de" }`, `Invalid Attribute Value Match.*must be a 32-character hexadecimal id`},
		{`data "iam_projects" "x" { domain_id = "projectkit" }`, `Invalid Attribute Value Match.*must be a 32-character hexadecimal id`},
		{`data "iam_projects" "x" { name = "" }`, `Invalid Attribute Value Length.*Attribute name UTF-8 character count must be between 1 and 64, got: 0`},
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps:                    []resource.TestStep{{Config: e.config(tc.config), PlanOnly: true, ExpectError: acctest.ErrorPattern(tc.want)}},
		})
	}
	acctest.CheckNoRequests(t, e.mock)
}

// The list follows the pages (100 per page here) and passes each filter to the API.
func TestAccProjectsDataSource(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	e.pageSize = 100
	const total = 230 // plus the 3 regions' own projects
	var disabled []string
	for i := range total {
		region := "eu-de"
		if i%2 == 1 {
			region = "eu-nl"
		}
		id := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: fmt.Sprintf("%s_team-%03d", region, i)})
		if i%5 == 0 { // 46 projects, 23 of them in eu-nl (i odd)
			e.mock.UpdateProject(id, func(p *client.Project) { p.Enabled = false })
			disabled = append(disabled, id)
		}
	}
	nl := e.mock.RegionProjectID(e.fx.DomainID, "eu-nl")
	var lists int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(`data "iam_projects" "all" {}`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.iam_projects.all", "ids.#", fmt.Sprint(total+3)),
					resource.TestCheckResourceAttr("data.iam_projects.all", "projects.#", fmt.Sprint(total+3)),
					resource.TestCheckResourceAttr("data.iam_projects.all", "projects.3.name", "eu-de_team-000"),
					resource.TestCheckResourceAttr("data.iam_projects.all", "projects.3.enabled", "false"),
					resource.TestCheckResourceAttr("data.iam_projects.all", "projects.232.name", "eu-nl_team-229"),
					resource.TestCheckResourceAttr("data.iam_projects.all", "projects.232.parent_id", nl),
					resource.TestCheckResourceAttr("data.iam_projects.all", "projects.232.domain_id", e.fx.DomainID),
					resource.TestCheckResourceAttr("data.iam_projects.all", "projects.232.description", ""),
					func(*terraform.State) error {
						// 233 projects are 3 pages, read at least once per plan or apply.
						lists = e.mock.Requests(client.OpListProjects)
						if lists%3 != 0 || lists == 0 {
							return fmt.Errorf("ListProjects was sent %d times, want a multiple of 3", lists)
						}
						return nil
					},
				),
			},
			{
				Config: e.config(fmt.Sprintf(`
data "iam_projects" "nl" {
  parent_id = %q
}
data "iam_projects" "nl_disabled" {
  parent_id = %q
  domain_id = %q
  enabled   = false
}
data "iam_projects" "enabled" {
  enabled = true
}
data "iam_projects" "one" {
  name = "eu-de_team-042"
}
data "iam_projects" "none" {
  name = "eu-de_nobody"
}
`, nl, nl, e.fx.DomainID)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.iam_projects.nl", "ids.#", fmt.Sprint(total/2)),
					resource.TestCheckResourceAttr("data.iam_projects.nl", "projects.0.name", "eu-nl_team-001"),
					resource.TestCheckResourceAttr("data.iam_projects.nl_disabled", "ids.#", "23"),
					resource.TestCheckResourceAttr("data.iam_projects.nl_disabled", "projects.0.name", "eu-nl_team-005"),
					resource.TestCheckResourceAttr("data.iam_projects.enabled", "ids.#", fmt.Sprint(total+3-len(disabled))),
					resource.TestCheckResourceAttr("data.iam_projects.one", "ids.#", "1"),
					resource.TestCheckResourceAttr("data.iam_projects.one", "projects.0.name", "eu-de_team-042"),
					resource.TestCheckResourceAttr("data.iam_projects.none", "ids.#", "0"),
					resource.TestCheckResourceAttr("data.iam_projects.none", "projects.#", "0"),
				),
			},
			{
				Config:      e.config(`data "iam_projects" "x" { domain_id = "0123456789abcdef0123456789abcdef" }`),
				ExpectError: acctest.ErrorPattern(`Error listing IAM projects.*HTTP status: 403.*not authorized to list the projects of domain`),
			},
		},
	})
}
