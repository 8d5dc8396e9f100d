package yunxiao

import (
	"fmt"
	"reflect"
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

const projectAddr = "yunxiao_project.test"

// project is a yunxiao_project configuration; empty fields are left out.
type project struct {
	org, name, code, scope, template, description string
}

func (p project) String() string {
	var b strings.Builder
	b.WriteString("resource \"yunxiao_project\" \"test\" {\n")
	for _, kv := range [][2]string{
		{"organization_id", p.org}, {"name", p.name}, {"custom_code", p.code}, {"scope", p.scope},
		{"template_identifier", p.template}, {"description", p.description},
	} {
		if kv[1] != "" || kv[0] == "name" {
			fmt.Fprintf(&b, "  %s = %q\n", kv[0], kv[1])
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// base is a valid project with the default template.
func base(name, code string) project {
	return project{name: name, code: code, template: testTemplate}
}

func expectAction(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(projectAddr, action)}}
}

// checkUpdateSent asserts that the last UpdateProjectField carried exactly fields, in order.
func (e *testEnv) checkUpdateSent(fields ...client.FieldUpdate) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.mock.LastUpdate(); !reflect.DeepEqual(got, fields) {
			return fmt.Errorf("UpdateProjectField sent %+v, want only %+v", got, fields)
		}
		return nil
	}
}

// resetUpdates forgets the last UpdateProjectField before a step.
func (e *testEnv) resetUpdates() { e.mock.ResetLastUpdate() }

func TestAccProject_lifecycle(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var id, createdAt string
	p := base("payments", "PAYS")
	p.description = "Card payments"
	// The API's minimum per operation (docs/benchmarks.md): createProject answers with the whole
	// project and UpdateProjectField changes only what it is sent, so neither is read back (the
	// plan's refresh reads once).
	calls := acctest.NewRequestWindow(e.mock)
	operations := []string{"CreateProject", "GetProjectInfo", "UpdateProjectField"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				// The description is not a createProject parameter: it is set right after.
				PreConfig: calls.Start(operations...),
				Config:    e.config(p.String()),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.SaveString(projectAddr, "id", &id),
					acctest.SaveString(projectAddr, "created_at", &createdAt),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("name"), knownvalue.StringExact("payments")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("custom_code"), knownvalue.StringExact("PAYS")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("scope"), knownvalue.StringExact("private")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.StringExact(testTemplate)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact("Card payments")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("creator"), knownvalue.StringExact("1900000000000001")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "payments", CustomCode: "PAYS", Scope: "private", Description: "Card payments"}, 1),
					e.checkUpdateSent(client.FieldUpdate{Key: "description", Value: "Card payments"}),
					calls.Check(map[string]int{"CreateProject": 1, "GetProjectInfo": 0, "UpdateProjectField": 1}),
				),
			},
			{ResourceName: projectAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"template_identifier"}},
			{
				PreConfig:        func() { e.resetUpdates(); calls.Start(operations...)() },
				Config:           e.config(project{name: "payments-eu", code: "PAYS", template: testTemplate, description: "Card payments"}.String()),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.SameString(projectAddr, "id", &id), acctest.SameString(projectAddr, "created_at", &createdAt),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("NORMAL")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("creator"), knownvalue.StringExact("1900000000000001")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "payments-eu", CustomCode: "PAYS", Scope: "private", Description: "Card payments"}, 1),
					e.checkUpdateSent(client.FieldUpdate{Key: "name", Value: "payments-eu"}),
					calls.Check(map[string]int{"CreateProject": 0, "GetProjectInfo": 1, "UpdateProjectField": 1}),
				),
			},
			{
				PreConfig:         e.resetUpdates,
				Config:            e.config(project{name: "payments-eu", code: "PAYS", template: testTemplate, description: "EU card payments"}.String()),
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &id)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "payments-eu", CustomCode: "PAYS", Scope: "private", Description: "EU card payments"}, 1),
					e.checkUpdateSent(client.FieldUpdate{Key: "description", Value: "EU card payments"}),
				),
			},
			{
				PreConfig:         e.resetUpdates,
				Config:            e.config(project{name: "payments-eu", code: "PAYS", scope: "public", template: testTemplate, description: "EU card payments"}.String()),
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &id)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "payments-eu", CustomCode: "PAYS", Scope: "public", Description: "EU card payments"}, 1),
					e.checkUpdateSent(client.FieldUpdate{Key: "scope", Value: "public"}),
				),
			},
			{
				PreConfig:         e.resetUpdates,
				Config:            e.config(project{name: "payments-eu", code: "PAYEU", scope: "public", template: testTemplate, description: "EU card payments"}.String()),
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &id)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "payments-eu", CustomCode: "PAYEU", Scope: "public", Description: "EU card payments"}, 1),
					e.checkUpdateSent(client.FieldUpdate{Key: "customCode", Value: "PAYEU"}),
				),
			},
			{
				// Removing optional arguments returns them to their defaults, in place.
				PreConfig:         e.resetUpdates,
				Config:            e.config(project{name: "payments-eu", code: "PAYEU", template: testTemplate}.String()),
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{acctest.SameString(projectAddr, "id", &id)},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "payments-eu", CustomCode: "PAYEU", Scope: "private"}, 1),
					e.checkUpdateSent(client.FieldUpdate{Key: "description", Value: ""}, client.FieldUpdate{Key: "scope", Value: "private"}),
				),
			},
		},
	})
}

func TestAccProject_replaceOnTemplateChange(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: e.config(base("templated", "TMPL").String()), ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
			{
				Config:           e.config(project{name: "templated", code: "TMPL", template: otherTmpl}.String()),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.NewID(projectAddr, &id),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.StringExact(otherTmpl)),
				},
				Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "templated", CustomCode: "TMPL", Scope: "private"}, 1),
			},
		},
	})
}

// organization_id defaults to the provider's; a different organization, from the provider or
// set on the resource, moves the project by replacing it.
func TestAccProject_replaceOnOrganizationChange(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := base("moving", "MOVE")
	explicit := p
	explicit.org = testOrg
	providerWithOrg := func(org string) string {
		return strings.Replace(e.providerBlock(testAccessKeySecret), testOrg, org, 1)
	}
	want := client.Project{Name: "moving", CustomCode: "MOVE", Scope: "private"}
	emptyOrg := func(org string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if n := len(e.mock.Projects(org)); n != 0 {
				return fmt.Errorf("organization %s still holds %d projects", org, n)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config: e.config(p.String()),
				Check:  e.checkMockProject(projectAddr, testOrg, want, 1),
			},
			{
				// The provider's organization changes.
				Config:           providerWithOrg(secondOrg) + p.String(),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(secondOrg)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, secondOrg, want, 1),
					emptyOrg(testOrg),
				),
			},
			{
				// The resource names an organization of its own.
				Config:           providerWithOrg(secondOrg) + explicit.String(),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, want, 1),
					emptyOrg(secondOrg),
				),
			},
			// Naming the provider's organization explicitly, or leaving it out, is no change.
			{Config: e.config(explicit.String()), PlanOnly: true},
			{Config: e.config(p.String()), PlanOnly: true},
		},
	})
}

func TestAccProject_deletedOutOfBand(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var id string
	cfg := e.config(base("ephemeral", "EPHEM").String())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
			{
				PreConfig:         func() { e.mock.RemoveProject(testOrg, id) },
				Config:            cfg,
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{acctest.NewID(projectAddr, &id)},
				Check:             e.checkMockProject(projectAddr, testOrg, client.Project{Name: "ephemeral", CustomCode: "EPHEM", Scope: "private"}, 1),
			},
			{
				// Deleting a project that is already gone counts as success.
				PreConfig: func() {
					for _, p := range e.mock.Projects(testOrg) {
						e.mock.RemoveProject(testOrg, p.Identifier)
					}
				},
				Config:  cfg,
				Destroy: true,
			},
		},
	})
}

// A project changed in the console shows as an in-place diff, and apply puts it back.
func TestAccProject_changedOutOfBand(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var id string
	p := base("stable", "STBL")
	p.description = "as configured"
	cfg := e.config(p.String())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
			{
				PreConfig: func() {
					e.mock.PutProject(testOrg, client.Project{Identifier: id, Name: "renamed", CustomCode: "STBL", Scope: "public", Description: "as configured"})
					e.resetUpdates()
				},
				Config:           cfg,
				ConfigPlanChecks: expectAction(plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "stable", CustomCode: "STBL", Scope: "private", Description: "as configured"}, 1),
					e.checkUpdateSent(client.FieldUpdate{Key: "name", Value: "stable"}, client.FieldUpdate{Key: "scope", Value: "private"}),
				),
			},
		},
	})
}

// Every value the API would reject, or that no one could tell apart from another, fails at plan
// time with the value shown escaped, and no request reaches the mock.
func TestAccProject_invalidInput(t *testing.T) {
	t.Parallel()
	codeMsg := `custom_code must be 4 to 6 upper-case letters A-Z (e.g. ABCD), unique in the organization, got: `
	valid := func(name, code, desc string) string {
		return fmt.Sprintf("resource \"yunxiao_project\" \"test\" {\n  name = %s\n  custom_code = %s\n  template_identifier = %q\n  description = %s\n}\n",
			acctest.HCLString(name), acctest.HCLString(code), testTemplate, acctest.HCLString(desc))
	}
	for name, tc := range map[string]struct {
		config, want string
	}{
		"empty name":               {valid("", "ABCD", ""), `Attribute name must not be blank (only white space); got "" (shown escaped).`},
		"blank name":               {valid("   ", "ABCD", ""), `Attribute name must not be blank (only white space); got "   " (shown escaped).`},
		"ideographic space name":   {valid("\u3000", "ABCD", ""), `Attribute name must not be blank (only white space); got "\u3000" (shown escaped).`},
		"no-break space name":      {valid("\u00a0\u00a0", "ABCD", ""), `Attribute name must not be blank (only white space); got "\u00a0\u00a0" (shown escaped).`},
		"zero-width space name":    {valid("pay\u200bments", "ABCD", ""), `Attribute name must not contain invisible format characters such as U+200B; got "pay\u200bments"`},
		"NUL in name":              {valid("pay\x00", "ABCD", ""), `Attribute name must not contain control characters such as U+0000; got "pay\x00"`},
		"newline in name":          {valid("pay\nments", "ABCD", ""), `Attribute name must not contain control characters such as U+000A; got "pay\nments"`},
		"leading space in name":    {valid(" payments", "ABCD", ""), `Attribute name must not start or end with white space; got " payments"`},
		"trailing space in name":   {valid("payments ", "ABCD", ""), `Attribute name must not start or end with white space; got "payments "`},
		"ideographic space code":   {valid("n", "\u3000", ""), `Attribute custom_code must not be blank (only white space); got "\u3000" (shown escaped).`},
		"no-break space code":      {valid("n", "ABCD\u00a0", ""), `Attribute custom_code must not start or end with white space; got "ABCD\u00a0"`},
		"zero-width code":          {valid("n", "AB\u200bCD", ""), `Attribute custom_code must not contain invisible format characters such as U+200B; got "AB\u200bCD"`},
		"line separator in name":   {valid("pay\u2028ments", "ABCD", ""), `Attribute name must not contain Unicode line or paragraph separators such as U+2028; got "pay\u2028ments"`},
		"Hangul filler name":       {valid("\u3164", "ABCD", ""), `Attribute name must not contain characters that display as nothing, such as U+3164; got "\u3164"`},
		"description over the cap": {valid("n", "ABCD", strings.Repeat("说", 1001)), `Attribute description UTF-8 character count must be at most 1000, got: 1001`},
		"NUL in description":       {valid("n", "ABCD", "a\x00b"), `Attribute description must not contain control characters other than newline and tab, such as U+0000; got "a\x00b" (shown escaped).`},
		"CR in description":        {valid("n", "ABCD", "a\rb"), `Attribute description must not contain control characters other than newline and tab, such as U+000D; got "a\rb" (shown escaped).`},
		"zero-width description":   {valid("n", "ABCD", "a\u200bb"), `Attribute description must not contain invisible format characters such as U+200B; got "a\u200bb" (shown escaped).`},
		"separator in description": {valid("n", "ABCD", "a\u2029b"), `Attribute description must not contain Unicode line or paragraph separators such as U+2029 (use a newline); got "a\u2029b" (shown escaped).`},
		"lower-case code":          {project{name: "n", code: "abcd", template: testTemplate}.String(), codeMsg + "abcd"},
		"short code":               {project{name: "n", code: "ABC", template: testTemplate}.String(), codeMsg + "ABC"},
		"long code":                {project{name: "n", code: "ABCDEFG", template: testTemplate}.String(), codeMsg + "ABCDEFG"},
		"code with digit":          {project{name: "n", code: "ABC1", template: testTemplate}.String(), codeMsg + "ABC1"},
		"code with non-ASCII":      {project{name: "n", code: "ÄBCD", template: testTemplate}.String(), codeMsg + "ÄBCD"},
		"unknown scope":            {project{name: "n", code: "ABCD", scope: "internal", template: testTemplate}.String(), `scope value must be one of: ["public" "private"], got: "internal"`},
		"blank template":           {project{name: "n", code: "ABCD", template: " "}.String(), `Attribute template_identifier must not be blank (only white space); got " "`},
		"empty template":           {strings.Replace(project{name: "n", code: "ABCD", template: "EMPTY"}.String(), `"EMPTY"`, `""`, 1), `Attribute template_identifier must not be blank (only white space); got ""`},
		"organization with '/'":    {project{org: "a/b", name: "n", code: "ABCD", template: testTemplate}.String(), `organization_id must be a Yunxiao organization id, e.g. 5ebbc0228123212b59xxxxx: no spaces or "/", got: a/b`},
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

// A description of 1.1 million characters fails at plan time, before any request: the provider
// caps descriptions at 1,000 characters, and the mock refuses longer ones as the API would.
func TestAccProject_hugeDescription(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := base("huge", "HUGE")
	p.description = strings.Repeat("d", 1_100_000)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config(p.String()),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(acctest.Literal(`Attribute description UTF-8 character count must be at most 1000, got: 1100000`)),
		}},
	})
	acctest.CheckNoRequests(t, e.mock)
	if n := len(e.mock.Projects(testOrg)); n != 0 {
		t.Errorf("the mock holds %d projects", n)
	}
}

// Neither the resource nor the provider names an organization: the plan fails and says where
// to set one.
func TestAccProject_missingOrganization(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "yunxiao" {
  access_key_id     = %q
  access_key_secret = %q
  endpoint          = %q
}
`, testAccessKeyID, testAccessKeySecret, e.url) + base("orphan", "ORPH").String(),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(`Missing organization_id.*` + acctest.Literal(`Set organization_id on this resource, or organization_id in the yunxiao provider block (or the environment variable YUNXIAO_ORGANIZATION_ID)`)),
		}},
	})
	acctest.CheckNoRequests(t, e.mock, validationCall)
}

func TestAccProject_duplicateCustomCode(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(testOrg, client.Project{Name: "已有项目", CustomCode: "TAKEN", Scope: "public"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				// Without the plan-time check, createProject's refusal names the project too.
				Config: e.configWith("skip_conflict_check = true", base("newcomer", "TAKEN").String()),
				ExpectError: acctest.ErrorPattern(`Custom code TAKEN is already used in organization ` + testOrg + `.*` +
					acctest.Literal(`Project `+existing+` ("已有项目") already has custom code TAKEN`) + `.*` +
					(`terraform import yunxiao_project.<name> ` + testOrg + `/` + existing) + `.*` +
					`id = "` + testOrg + `/` + existing + `".*` +
					`Operation: Yunxiao CreateProject.*HTTP status: 400.*Error code: Openapi\.RequestError.*` + requestID),
			},
			{
				// The same check guards an in-place change of custom_code.
				Config: e.config(base("newcomer", "FRESH").String()),
				Check:  e.checkMockProject(projectAddr, testOrg, client.Project{Name: "newcomer", CustomCode: "FRESH", Scope: "private"}, 2),
			},
			{
				Config: e.config(base("newcomer", "TAKEN").String()),
				// The plan warns (see TestAccProject_destroyHalfApplied); the in-place update fails with the same advice.
				ExpectError: acctest.ErrorPattern(`Custom code TAKEN is already used in organization.*` + (`terraform import yunxiao_project.<name> ` + testOrg + `/` + existing)),
			},
		},
	})
	if n := e.mock.Requests("CreateProject"); n != 2 {
		t.Errorf("CreateProject sent %d times, want 2 (one refused, one created)", n)
	}
	if p, _ := e.mock.Project(testOrg, existing); p.Name != "已有项目" || p.CustomCode != "TAKEN" {
		t.Errorf("the existing project changed: %+v", p)
	}
}

// If the description cannot be set after create, the project is still in the state (tainted,
// with every attribute known), and the error says what happened. The next plan replaces it
// without reporting the tainted project's own custom_code as a conflict.
func TestAccProject_descriptionFailureAfterCreate(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := base("half-made", "HALF")
	p.description = "never set"
	var firstID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					for range testRetries {
						e.mock.Inject("UpdateProjectField", mockserver.Fault{Kind: mockserver.ServerError, Status: 500})
					}
				},
				Config: e.config(p.String()),
				ExpectError: acctest.ErrorPattern(`Yunxiao project [0-9a-f]{24} was created, but setting its description failed.*` +
					`createProject created project` + `.*Operation: Yunxiao UpdateProjectField.*HTTP status: 500.*Error code: InternalError.*` +
					`The project is in the Terraform state without its description, marked tainted.` + `.*` + ("run `terraform untaint <address>`")),
			},
			{
				// The project is in state, tainted, with what is known of it: the plan replaces
				// it, and the conflict check knows the project as the resource's own.
				PreConfig: func() {
					ps := e.mock.Projects(testOrg)
					if len(ps) != 1 || ps[0].Description != "" {
						t.Fatalf("after the failed description update the mock holds %+v, want one project without description", ps)
					}
					firstID = ps[0].Identifier
				},
				Config:             e.config(p.String()),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
			{
				Config: e.config(p.String()),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact("never set")),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("NORMAL")),
					acctest.NewID(projectAddr, &firstID),
				},
				Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "half-made", CustomCode: "HALF", Scope: "private", Description: "never set"}, 1),
			},
		},
	})
}

func TestAccProject_import(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(testOrg, client.Project{Name: "existing", CustomCode: "EXIST", Scope: "public", Description: "made in the console", Creator: "1900000000000009"})
	cfg := project{name: "existing", code: "EXIST", scope: "public", template: testTemplate, description: "made in the console"}.String()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				// An import {} block adopts the project. The API does not return the template, so
				// the apply records the configured one in place: an update, not a replacement.
				Config: e.config(fmt.Sprintf(`
import {
  to = yunxiao_project.test
  id = "%s/%s"
}
`, testOrg, existing) + cfg),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("template_identifier"), knownvalue.StringExact(testTemplate)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("creator"), knownvalue.StringExact("1900000000000009")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "existing", CustomCode: "EXIST", Scope: "public", Description: "made in the console"}, 1),
					func(*terraform.State) error {
						if n := e.mock.Requests("CreateProject") + e.mock.Requests("UpdateProjectField"); n != 0 {
							return fmt.Errorf("importing sent %d create/update calls", n)
						}
						return nil
					},
				),
			},
			{Config: e.config(cfg), PlanOnly: true},
			{
				ResourceName: projectAddr, ImportState: true, ImportStateId: testOrg + "/" + existing,
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"template_identifier"},
			},
			{
				// The bare identifier uses the provider's organization_id.
				ResourceName: projectAddr, ImportState: true, ImportStateId: existing,
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"template_identifier"},
			},
			{
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: testOrg + "/" + existing + "/extra",
				ExpectError: acctest.ErrorPattern(`Invalid Yunxiao project import id.*` +
					acctest.Literal(`Expected <organization_id>/<identifier>, e.g. 5ebbc0228123212b59xxxxx/e8b2xxxxxxx09b07d23, or just <identifier> when the provider sets organization_id; got`) +
					`\s+"` + testOrg + "/" + existing + `/extra"`),
			},
			{
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: "/" + existing,
				ExpectError:   acctest.ErrorPattern(`Invalid Yunxiao project import id.*` + `Expected <organization_id>/<identifier>`),
			},
			{
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: testOrg + "/000000000000000000000000",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
		},
	})
}

// Without a provider organization_id, a bare identifier cannot be imported; the error says
// which form to use.
func TestAccProject_importWithoutProviderOrganization(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	existing := e.mock.PutProject(testOrg, client.Project{Name: "existing", CustomCode: "EXIST"})
	providerBlock := fmt.Sprintf(`
provider "yunxiao" {
  access_key_id     = %q
  access_key_secret = %q
  endpoint          = %q
}
`, testAccessKeyID, testAccessKeySecret, e.url)
	cfg := project{org: testOrg, name: "existing", code: "EXIST", template: testTemplate}.String()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config:        providerBlock + cfg,
				ResourceName:  projectAddr,
				ImportState:   true,
				ImportStateId: existing,
				ExpectError: acctest.ErrorPattern(`Invalid Yunxiao project import id.*` +
					acctest.Literal(`the provider has no organization_id (nor YUNXIAO_ORGANIZATION_ID), so give the organization too: <organization_id>/`+existing)),
			},
			{
				Config: providerBlock + fmt.Sprintf("import {\n  to = yunxiao_project.test\n  id = \"%s/%s\"\n}\n", testOrg, existing) + cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
				},
				Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "existing", CustomCode: "EXIST", Scope: "private"}, 1),
			},
		},
	})
}

func TestAccProject_chineseName(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := project{name: "云效研发项目 · 支付中台", code: "ZFZT", template: testTemplate, description: "用于跟进测试需求。"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config: e.config(p.String()),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("name"), knownvalue.StringExact(p.name)),
				},
				Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: p.name, CustomCode: "ZFZT", Scope: "private", Description: p.description}, 1),
			},
			// The step above already fails on any diff after apply; this asserts it explicitly.
			{Config: e.config(p.String()), PlanOnly: true},
			{ResourceName: projectAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"template_identifier"}},
		},
	})
}
