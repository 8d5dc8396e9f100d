package iam

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.iam_project.by_id", tfjsonpath.New("name"), knownvalue.StringExact("eu-de_lookup")),
					statecheck.ExpectKnownValue("data.iam_project.by_id", tfjsonpath.New("description"), knownvalue.StringExact("found by id")),
					statecheck.ExpectKnownValue("data.iam_project.by_id", tfjsonpath.New("parent_id"), knownvalue.StringExact(region)),
					statecheck.ExpectKnownValue("data.iam_project.by_id", tfjsonpath.New("domain_id"), knownvalue.StringExact(e.fx.DomainID)),
					statecheck.ExpectKnownValue("data.iam_project.by_id", tfjsonpath.New("status"), knownvalue.StringExact("suspended")),
					statecheck.ExpectKnownValue("data.iam_project.by_id", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.iam_project.by_name", tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue("data.iam_project.by_name", tfjsonpath.New("status"), knownvalue.StringExact("suspended")),
					statecheck.ExpectKnownValue("data.iam_project.region", tfjsonpath.New("id"), knownvalue.StringExact(region)),
					statecheck.ExpectKnownValue("data.iam_project.region", tfjsonpath.New("parent_id"), knownvalue.StringExact(e.fx.DomainID)),
				},
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
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.iam_project.x", tfjsonpath.New("id"), knownvalue.StringExact(id)),
				statecheck.ExpectKnownValue("data.iam_project.x", tfjsonpath.New("status"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.iam_project.x", tfjsonpath.New("description"), knownvalue.StringExact("")),
			},
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
		{`data "iam_project" "x" { name = "eu-de_pay\u2028ments" }`, `Invalid name.*Attribute name must not contain Unicode line or paragraph separators such as U\+2028; got "eu-de_pay\\u2028ments"`},
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
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(total+3)),
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(total+3)),
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("projects").AtSliceIndex(3).AtMapKey("name"), knownvalue.StringExact("eu-de_team-000")),
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("projects").AtSliceIndex(3).AtMapKey("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("projects").AtSliceIndex(232).AtMapKey("name"), knownvalue.StringExact("eu-nl_team-229")),
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("projects").AtSliceIndex(232).AtMapKey("parent_id"), knownvalue.StringExact(nl)),
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("projects").AtSliceIndex(232).AtMapKey("domain_id"), knownvalue.StringExact(e.fx.DomainID)),
					statecheck.ExpectKnownValue("data.iam_projects.all", tfjsonpath.New("projects").AtSliceIndex(232).AtMapKey("description"), knownvalue.StringExact("")),
				},
				Check: func(*terraform.State) error {
					// 233 projects are 3 pages, read at least once per plan or apply.
					lists = e.mock.Requests(client.OpListProjects)
					if lists%3 != 0 || lists == 0 {
						return fmt.Errorf("ListProjects was sent %d times, want a multiple of 3", lists)
					}
					return nil
				},
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
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.iam_projects.nl", tfjsonpath.New("ids"), knownvalue.ListSizeExact(total/2)),
					statecheck.ExpectKnownValue("data.iam_projects.nl", tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("eu-nl_team-001")),
					statecheck.ExpectKnownValue("data.iam_projects.nl_disabled", tfjsonpath.New("ids"), knownvalue.ListSizeExact(23)),
					statecheck.ExpectKnownValue("data.iam_projects.nl_disabled", tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("eu-nl_team-005")),
					statecheck.ExpectKnownValue("data.iam_projects.enabled", tfjsonpath.New("ids"), knownvalue.ListSizeExact(total+3-len(disabled))),
					statecheck.ExpectKnownValue("data.iam_projects.one", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.iam_projects.one", tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("eu-de_team-042")),
					statecheck.ExpectKnownValue("data.iam_projects.none", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.iam_projects.none", tfjsonpath.New("projects"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config:      e.config(`data "iam_projects" "x" { domain_id = "0123456789abcdef0123456789abcdef" }`),
				ExpectError: acctest.ErrorPattern(`Error listing IAM projects.*HTTP status: 403.*not authorized to list the projects of domain`),
			},
		},
	})
}
