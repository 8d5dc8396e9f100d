package yunxiao

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
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

func TestAccProjectDataSource(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	id := e.mock.PutProject(testOrg, client.Project{Name: "支付中台", CustomCode: "PAYS", Scope: "public", Description: "made in the console", Creator: "1900000000000009"})
	elsewhere := e.mock.PutProject(secondOrg, client.Project{Name: "elsewhere", CustomCode: "ELSE"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(fmt.Sprintf(`
data "yunxiao_project" "by_id" {
  id = %q
}
data "yunxiao_project" "by_code" {
  custom_code = "PAYS"
}
data "yunxiao_project" "other_org" {
  organization_id = %q
  custom_code     = "ELSE"
}
`, id, secondOrg)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("name"), knownvalue.StringExact("支付中台")),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("custom_code"), knownvalue.StringExact("PAYS")),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("scope"), knownvalue.StringExact("public")),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("description"), knownvalue.StringExact("made in the console")),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("creator"), knownvalue.StringExact("1900000000000009")),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_id", tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_code", tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue("data.yunxiao_project.by_code", tfjsonpath.New("name"), knownvalue.StringExact("支付中台")),
					statecheck.ExpectKnownValue("data.yunxiao_project.other_org", tfjsonpath.New("id"), knownvalue.StringExact(elsewhere)),
					statecheck.ExpectKnownValue("data.yunxiao_project.other_org", tfjsonpath.New("organization_id"), knownvalue.StringExact(secondOrg)),
				},
			},
			{
				Config:      e.config(`data "yunxiao_project" "x" { custom_code = "NONE" }`),
				ExpectError: acctest.ErrorPattern(`No Yunxiao project found.*Organization ` + testOrg + ` has no project with custom code NONE.`),
			},
			{
				Config:      e.config(`data "yunxiao_project" "x" { id = "000000000000000000000000" }`),
				ExpectError: acctest.ErrorPattern(`No Yunxiao project found.*Organization ` + testOrg + ` has no project with identifier 000000000000000000000000.`),
			},
			{
				Config: e.config(`
data "yunxiao_project" "x" {
  organization_id = "` + forbiddenOrg + `"
  custom_code     = "PAYS"
}`),
				ExpectError: acctest.ErrorPattern(`Error listing the Yunxiao projects of organization ` + forbiddenOrg + `.*Error code: Operate\.NoPermission`),
			},
		},
	})
}

// Every validator of the data sources, with its message; none sends a request.
func TestAccDataSources_invalidArguments(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, tc := range []struct{ config, want string }{
		{`data "yunxiao_project" "x" {}`, `Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[id,custom_code\]`},
		{`data "yunxiao_project" "x" {
  id          = "e8b2aaaaaaaaa09b07d23"
  custom_code = "ABCD"
}`, `Invalid Attribute Combination.*Exactly one of these attributes must be configured: \[id,custom_code\]`},
		{`data "yunxiao_project" "x" { id = "a/b" }`, `id must be a project identifier such as e8b2xxxxxxx09b07d23: no spaces or "/", got: a/b`},
		{`data "yunxiao_project" "x" { custom_code = "abc" }`, `custom_code must be 4 to 6 upper-case letters A-Z \(e\.g\. ABCD\), got: abc`},
		{`data "yunxiao_project" "x" {
  organization_id = "a b"
  custom_code     = "ABCD"
}`, `organization_id must be a Yunxiao organization id, e\.g\. 5ebbc0228123212b59xxxxx: no spaces or "/", got: a b`},
		{`data "yunxiao_projects" "x" { name_regex = "(" }`, `Invalid regular expression.*name_regex must be a valid RE2 regular expression`},
		{`data "yunxiao_projects" "x" { organization_id = "a/b" }`, `organization_id must be a Yunxiao organization id`},
		{`data "yunxiao_project_templates" "x" { name = "" }`, `name string length must be at least 1, got: 0`},
		{`data "yunxiao_project_templates" "x" { organization_id = "a/b" }`, `organization_id must be a Yunxiao organization id`},
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps:                    []resource.TestStep{{Config: e.config(tc.config), PlanOnly: true, ExpectError: acctest.ErrorPattern(tc.want)}},
		})
	}
	acctest.CheckNoRequests(t, e.mock)
}

// Without an organization on the data source or the provider, each data source says where to
// set one, before any request.
func TestAccDataSources_missingOrganization(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	providerBlock := fmt.Sprintf("provider \"yunxiao\" {\n  access_key_id = %q\n  access_key_secret = %q\n  endpoint = %q\n}\n",
		testAccessKeyID, testAccessKeySecret, e.url)
	for _, ds := range []string{`data "yunxiao_project" "x" { custom_code = "ABCD" }`, `data "yunxiao_projects" "x" {}`, `data "yunxiao_project_templates" "x" {}`} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config: providerBlock + ds,
				ExpectError: acctest.ErrorPattern(`Missing organization_id.*Set organization_id on this data source, or organization_id in the yunxiao provider block ` +
					`\(or the environment variable YUNXIAO_ORGANIZATION_ID\)`),
			}},
		})
	}
	acctest.CheckNoRequests(t, e.mock, validationCall)
}

// yunxiao_projects follows nextToken through ListProjects' pages (200 projects each), leaves
// deleted projects out and filters by name.
func TestAccProjectsDataSource(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const total = 450
	codes := bulkCodes(total + 1)
	for i := range total {
		prefix := "team"
		if i%2 == 1 {
			prefix = "ops"
		}
		e.mock.PutProject(testOrg, client.Project{Name: fmt.Sprintf("%s-%03d", prefix, i), CustomCode: codes[i]})
	}
	e.mock.PutProject(testOrg, client.Project{Name: "team-deleted", CustomCode: codes[total], LogicalStatus: "DELETED"})
	e.mock.PutProject(secondOrg, client.Project{Name: "team-elsewhere", CustomCode: "ELSE"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
data "yunxiao_projects" "all" {}
data "yunxiao_projects" "teams" {
  name_regex = "^team-"
}
data "yunxiao_projects" "second" {
  organization_id = %q
}
`, secondOrg)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.yunxiao_projects.all", tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
				statecheck.ExpectKnownValue("data.yunxiao_projects.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(total)),
				statecheck.ExpectKnownValue("data.yunxiao_projects.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(total)),
				statecheck.ExpectKnownValue("data.yunxiao_projects.all", tfjsonpath.New("projects").AtSliceIndex(449).AtMapKey("name"), knownvalue.StringExact("ops-449")),
				statecheck.ExpectKnownValue("data.yunxiao_projects.all", tfjsonpath.New("projects").AtSliceIndex(449).AtMapKey("custom_code"), knownvalue.StringExact(codes[449])),
				statecheck.ExpectKnownValue("data.yunxiao_projects.teams", tfjsonpath.New("ids"), knownvalue.ListSizeExact(total/2)),
				statecheck.ExpectKnownValue("data.yunxiao_projects.teams", tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("team-000")),
				statecheck.ExpectKnownValue("data.yunxiao_projects.teams", tfjsonpath.New("projects").AtSliceIndex(224).AtMapKey("name"), knownvalue.StringExact("team-448")),
				statecheck.ExpectKnownValue("data.yunxiao_projects.teams", tfjsonpath.New("projects").AtSliceIndex(224).AtMapKey("scope"), knownvalue.StringExact("private")),
				statecheck.ExpectKnownValue("data.yunxiao_projects.teams", tfjsonpath.New("projects").AtSliceIndex(224).AtMapKey("status"), knownvalue.StringExact("NORMAL")),
				statecheck.ExpectKnownValue("data.yunxiao_projects.second", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.yunxiao_projects.second", tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("team-elsewhere")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					// Each read of testOrg takes 3 pages, of secondOrg 1: 7 requests a round.
					if n := e.mock.Requests("ListProjects"); n%7 != 0 || n == 0 {
						return fmt.Errorf("ListProjects was called %d times, want a multiple of 7", n)
					}
					return nil
				},
			),
		}},
	})
}

// yunxiao_project_templates finds a template by name, so a project can be created from it.
func TestAccProjectTemplatesDataSource(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mock.AddTemplate(testOrg, client.Template{Identifier: "e8b2scrum0000000000aaaa", Name: "Scrum 敏捷交付空间", NameEn: "Scrum", Description: "Scrum delivery", Type: 0})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: e.config(`
data "yunxiao_project_templates" "all" {}
data "yunxiao_project_templates" "scrum" {
  name = "Scrum 敏捷交付空间"
}
data "yunxiao_project_templates" "english" {
  name = "Scrum"
}
data "yunxiao_project_templates" "none" {
  name = "Kanban"
}
resource "yunxiao_project" "test" {
  name                = "scrum team"
  custom_code         = "SCRM"
  template_identifier = one(data.yunxiao_project_templates.scrum.templates).identifier
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.all", tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.all", tfjsonpath.New("templates"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.all", tfjsonpath.New("identifiers"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.all", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("identifier"), knownvalue.StringExact(testTemplate)),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.all", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("type"), knownvalue.StringExact("custom")),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.scrum", tfjsonpath.New("identifiers"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.scrum", tfjsonpath.New("identifiers").AtSliceIndex(0), knownvalue.StringExact("e8b2scrum0000000000aaaa")),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.scrum", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("Scrum 敏捷交付空间")),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.scrum", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("name_en"), knownvalue.StringExact("Scrum")),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.scrum", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("description"), knownvalue.StringExact("Scrum delivery")),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.scrum", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("type"), knownvalue.StringExact("system")),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.english", tfjsonpath.New("identifiers").AtSliceIndex(0), knownvalue.StringExact("e8b2scrum0000000000aaaa")),
				statecheck.ExpectKnownValue("data.yunxiao_project_templates.none", tfjsonpath.New("templates"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.StringExact("e8b2scrum0000000000aaaa")),
			},
			Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "scrum team", CustomCode: "SCRM", Scope: "private"}, 1),
		}},
	})
}
