package iam

// Protocol-level tests of resource identity (Terraform 1.12+) and the iam_project list resource
// (Terraform 1.14+ `list` blocks and `terraform query`). Only Terraform 1.11 is available here,
// so these drive the provider's protocol 6 server directly, with the requests those Terraform
// versions send, against the mock. They need no terraform binary and run with or without TF_ACC.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// projectType is the resource (and list resource) type the protocol tests act on.
const projectType = TypeName + "_project"

// newProtoServer starts the provider server and configures it against the test mock with the
// admin's password.
func (e *testEnv) newProtoServer() *acctest.ProtoServer {
	e.t.Helper()
	return acctest.NewProtoServer(e.t, providerserver.NewProtocol6WithError(e.provider()), projectType, map[string]tftypes.Value{
		"auth_url":    acctest.Str(e.url),
		"user_name":   acctest.Str(e.fx.AdminUser),
		"password":    acctest.Str(e.fx.AdminPassword),
		"domain_name": acctest.Str(e.fx.DomainName),
	})
}

func TestProtocol_schemas(t *testing.T) {
	newTestEnv(t, mock.OTC).newProtoServer().CheckSchemas([]string{"id"}, []string{"domain_id", "enabled", "name", "name_regex", "parent_id"})
}

// Create, read (with and without a stored identity), update and import answer the identity,
// which stays the project's id throughout.
func TestProtocol_identityLifecycle(t *testing.T) {
	e := newTestEnv(t, mock.OTC)
	p := e.newProtoServer()

	created := p.Create(map[string]tftypes.Value{"name": acctest.Str("eu-de_line-1"), "description": acctest.Str("first line")})
	id := p.StringAttrs(created.NewState, p.ResourceType())["id"]
	if id == "" {
		t.Fatal("create returned no id")
	}
	if got := p.IdentityOf(created.NewIdentity); got["id"] != id {
		t.Errorf("create identity = %v, want id %s", got, id)
	}

	// A state written before identity existed (0.1.0, or Terraform 1.11) has none.
	read := p.Read(created.NewState, nil)
	p.NoErrors("ReadResource", read.Diagnostics)
	if got := p.IdentityOf(read.NewIdentity); got["id"] != id {
		t.Errorf("read identity (no prior identity) = %v, want id %s", got, id)
	}
	read = p.Read(created.NewState, created.NewIdentity)
	p.NoErrors("ReadResource", read.Diagnostics)
	if got := p.IdentityOf(read.NewIdentity); got["id"] != id {
		t.Errorf("read identity = %v, want id %s", got, id)
	}

	updated := p.Update(read.NewState, read.NewIdentity, map[string]tftypes.Value{"name": acctest.Str("eu-de_line-1b"), "status": acctest.Str("suspended")})
	if got := p.StringAttrs(updated.NewState, p.ResourceType()); got["name"] != "eu-de_line-1b" || got["status"] != "suspended" || got["id"] != id {
		t.Errorf("state after update = %v", got)
	}
	if got := p.IdentityOf(updated.NewIdentity); got["id"] != id {
		t.Errorf("update identity = %v, want id %s", got, id)
	}
	// Terraform 1.11 sends no identity at all, in the plan and the apply.
	legacy := p.Update(updated.NewState, nil, map[string]tftypes.Value{"name": acctest.Str("eu-de_line-1c")})
	if got := p.IdentityOf(legacy.NewIdentity); got["id"] != id {
		t.Errorf("update identity (no prior identity) = %v, want id %s", got, id)
	}

	imported := p.ImportState(id, nil)
	p.NoErrors("ImportResourceState", imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("import returned %d resources", len(imported.ImportedResources))
	}
	if got := p.IdentityOf(imported.ImportedResources[0].Identity); got["id"] != id {
		t.Errorf("import-by-id identity = %v, want id %s", got, id)
	}

	// A provider whose configuration is not known yet (it depends on other resources) skips the
	// refresh with a warning, and still answers the identity.
	if got := p.ReadUnconfigured(providerserver.NewProtocol6WithError(&Provider{version: "test"}), legacy.NewState); got["id"] != id {
		t.Errorf("identity from an unconfigured provider = %v, want id %s", got, id)
	}

	// A project deleted outside Terraform leaves the state, also without a stored identity.
	e.mock.RemoveProject(id)
	p.CheckGone(legacy.NewState, nil, updated.NewIdentity)
}

// An import block's identity reaches the project it names, not another one.
func TestProtocol_importByIdentity(t *testing.T) {
	e := newTestEnv(t, mock.OTC)
	first := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_first", Description: "one"})
	second := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-nl_second", Description: "two"})
	p := e.newProtoServer()

	imported := p.ImportState("", p.IdentityData(map[string]string{"id": second}))
	p.NoErrors("ImportResourceState", imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("import returned %d resources", len(imported.ImportedResources))
	}
	res := imported.ImportedResources[0]
	if got := p.StringAttrs(res.State, p.ResourceType()); got["id"] != second || got["deletion_policy"] != DeletionPolicyDelete {
		t.Errorf("imported state = %v, want id %s and deletion_policy delete", got, second)
	}
	if got := p.IdentityOf(res.Identity)["id"]; got != second {
		t.Errorf("imported identity id = %q, want %s", got, second)
	}
	read := p.Read(res.State, res.Identity)
	p.NoErrors("ReadResource", read.Diagnostics)
	want := map[string]string{"id": second, "name": "eu-nl_second", "description": "two", "status": "normal", "deletion_policy": "delete",
		"parent_id": e.mock.RegionProjectID(e.fx.DomainID, "eu-nl"), "domain_id": e.fx.DomainID}
	if got := p.StringAttrs(read.NewState, p.ResourceType()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("state after import = %v, want %v (not project %s)", got, want, first)
	}
	if got := p.IdentityOf(read.NewIdentity)["id"]; got != second {
		t.Errorf("identity after import = %q, want %s", got, second)
	}

	bad := p.ImportState("", p.IdentityData(map[string]string{"id": "eu-nl_second"}))
	if len(bad.Diagnostics) == 0 || bad.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
		!strings.Contains(bad.Diagnostics[0].Summary, "Invalid IAM project id") {
		t.Errorf("import of a malformed identity: diagnostics %+v, want Invalid IAM project id", bad.Diagnostics)
	}
}

// ListResource streams every project across the listing's pages, applies the iam_projects
// filters, leaves out the regions' own projects, includes the full object (status too) on
// request and stops at the limit.
func TestProtocol_list(t *testing.T) {
	e := newTestEnv(t, mock.OTC)
	e.pageSize = 2
	var all, de, nl []string
	for i := range 9 {
		region := "eu-de"
		if i%3 == 2 {
			region = "eu-nl"
		}
		id := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: fmt.Sprintf("%s_team-%d", region, i), Description: fmt.Sprintf("project %d", i)})
		all = append(all, id)
		if region == "eu-de" {
			de = append(de, id)
		} else {
			nl = append(nl, id)
		}
	}
	disabled, suspended := de[1], nl[0]
	e.mock.UpdateProject(disabled, func(p *client.Project) { p.Enabled = false })
	e.mock.UpdateProject(suspended, func(p *client.Project) { p.Status = client.StatusSuspended })
	p := e.newProtoServer()

	before := e.mock.Requests(client.OpListProjects)
	results := p.List(nil, false, 0)
	if got := p.ListedIDs(results); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("listed %v, want every project but the regions' own, in the API's order: %v", got, all)
	}
	if n := e.mock.Requests(client.OpListProjects) - before; n != 6 {
		t.Errorf("ListProjects was called %d times, want 6 (12 projects, 3 of them the regions', in pages of 2)", n)
	}
	for i, r := range results {
		if r.Resource != nil {
			t.Fatalf("result %d has a resource object, which was not asked for", i)
		}
		if want, _ := e.mock.Project(all[i]); r.DisplayName != want.Name {
			t.Fatalf("result %d display name = %q, want %q", i, r.DisplayName, want.Name)
		}
	}

	if got := p.ListedIDs(p.ListNoConfig(0)); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("a request without configuration listed %v, want %v", got, all)
	}

	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	for _, c := range []struct {
		name   string
		config map[string]tftypes.Value
		want   []string
	}{
		{"name_regex", map[string]tftypes.Value{"name_regex": acctest.Str("^eu-de_")}, de},
		{"name", map[string]tftypes.Value{"name": acctest.Str("eu-nl_team-5")}, []string{nl[1]}},
		{"parent_id", map[string]tftypes.Value{"parent_id": acctest.Str(e.mock.RegionProjectID(e.fx.DomainID, "eu-nl"))}, nl},
		{"domain_id", map[string]tftypes.Value{"domain_id": acctest.Str(e.fx.DomainID), "name_regex": acctest.Str("^eu-nl_")}, nl},
		{"enabled false", map[string]tftypes.Value{"enabled": boolean(false)}, []string{disabled}},
		{"enabled true and name_regex", map[string]tftypes.Value{"enabled": boolean(true), "name_regex": acctest.Str("^eu-de_")},
			[]string{de[0], de[2], de[3], de[4], de[5]}},
		{"nothing", map[string]tftypes.Value{"name_regex": acctest.Str("^nobody$")}, nil},
	} {
		got := p.ListedIDs(p.List(c.config, false, 100))
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: listed %v, want %v", c.name, got, c.want)
		}
	}

	limited := p.List(nil, true, 4)
	if got := p.ListedIDs(limited); strings.Join(got, ",") != strings.Join(all[:4], ",") {
		t.Errorf("limit 4 listed %v, want %v", got, all[:4])
	}

	// The full object is what the resource's Read stores, so generated configuration plans clean.
	full := p.List(map[string]tftypes.Value{"name_regex": acctest.Str("^eu-nl_")}, true, 100)
	if len(full) != len(nl) {
		t.Fatalf("listed %d projects, want %d", len(full), len(nl))
	}
	p.CheckListedAsRead(full)
	for _, r := range full {
		id := p.IdentityOf(r.Identity)["id"]
		if wantStatus := map[bool]string{true: "suspended", false: "normal"}[id == suspended]; p.StringAttrs(r.Resource, p.ResourceType())["status"] != wantStatus {
			t.Errorf("project %s: listed status %q, want %s", id, p.StringAttrs(r.Resource, p.ResourceType())["status"], wantStatus)
		}
	}

	// API errors end the stream with an error diagnostic: another account's domain_id, a
	// failing listing, a failing read of one project.
	other := e.mock.AddDomain("someone-else")
	forbidden := p.List(map[string]tftypes.Value{"domain_id": acctest.Str(other)}, false, 100)
	p.WantListError(forbidden, "Error listing IAM projects", "not authorized")
	e.mock.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusForbidden,
		Body: `{"error_msg":"You do not have permission to list projects.","error_code":"IAM.0003","request_id":"req-1"}`})
	p.WantListError(p.List(nil, false, 100), "Error listing IAM projects", "IAM.0003")
	e.mock.Inject(client.OpShowProjectStatus, mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusForbidden,
		Body: `{"error_msg":"You do not have permission to show the project.","error_code":"IAM.0003","request_id":"req-2"}`})
	withRead := p.List(map[string]tftypes.Value{"name_regex": acctest.Str("^eu-nl_")}, true, 100)
	p.WantListError(withRead, "Error reading IAM project "+nl[0], "IAM.0003")

	validate, err := p.Lister().ValidateListResourceConfig(t.Context(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: p.TypeName,
			Config: p.Dynamic(p.Schemas.ListResourceSchemas[p.TypeName].ValueType(), map[string]tftypes.Value{
				"name_regex": acctest.Str("("), "parent_id": acctest.Str("eu-de"),
			})})
	if err != nil {
		t.Fatal(err)
	}
	if len(validate.Diagnostics) != 2 {
		t.Errorf("validating an invalid name_regex and parent_id gave %d diagnostics, want 2: %+v", len(validate.Diagnostics), validate.Diagnostics)
	}
}
