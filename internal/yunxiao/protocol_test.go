package yunxiao

// Protocol-level tests of resource identity (Terraform 1.12+) and the yunxiao_project list
// resource (Terraform 1.14+ `list` blocks and `terraform query`). Only Terraform 1.11 is
// available here, so these drive the provider's protocol 6 server directly, with the requests
// those Terraform versions send, against the mock. They need no terraform binary and run with or
// without TF_ACC.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// projectType is the resource (and list resource) type the protocol tests act on.
const projectType = TypeName + "_project"

// newProtoServer starts the provider server and configures it against the test mock, with
// testOrg as the provider's organization.
func (e *testEnv) newProtoServer() *acctest.ProtoServer {
	e.t.Helper()
	return acctest.NewProtoServer(e.t, providerserver.NewProtocol6WithError(testProvider()), projectType, map[string]tftypes.Value{
		"access_key_id":     acctest.Str(testAccessKeyID),
		"access_key_secret": acctest.Str(testAccessKeySecret),
		"organization_id":   acctest.Str(testOrg),
		"endpoint":          acctest.Str(e.url),
	})
}

func TestProtocol_schemas(t *testing.T) {
	t.Parallel()
	newTestEnv(t).newProtoServer().CheckSchemas([]string{"id", "organization_id"}, []string{"name_regex", "organization_id"})
}

// Create, read (with and without a stored identity), update and import answer the identity,
// which stays the project's organization and identifier throughout.
func TestProtocol_identityLifecycle(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := e.newProtoServer()

	created := p.Create(map[string]tftypes.Value{"name": acctest.Str("产线一"), "custom_code": acctest.Str("LINE"), "template_identifier": acctest.Str(testTemplate)})
	id := p.StringAttrs(created.NewState, p.ResourceType())["id"]
	if id == "" {
		t.Fatal("create returned no id")
	}
	want := map[string]string{"organization_id": testOrg, "id": id}
	if got := p.IdentityOf(created.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("create identity = %v, want %v", got, want)
	}

	// A state written before identity existed (0.1.0, or Terraform 1.11) has none.
	read := p.Read(created.NewState, nil)
	p.NoErrors("ReadResource", read.Diagnostics)
	if got := p.IdentityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read identity (no prior identity) = %v, want %v", got, want)
	}
	read = p.Read(created.NewState, created.NewIdentity)
	p.NoErrors("ReadResource", read.Diagnostics)
	if got := p.IdentityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read identity = %v, want %v", got, want)
	}

	updated := p.Update(read.NewState, read.NewIdentity, map[string]tftypes.Value{
		"name": acctest.Str("产线一号"), "custom_code": acctest.Str("LINEA"), "template_identifier": acctest.Str(testTemplate), "description": acctest.Str("renamed"),
	})
	if got := p.StringAttrs(updated.NewState, p.ResourceType()); got["name"] != "产线一号" || got["custom_code"] != "LINEA" || got["id"] != id {
		t.Errorf("state after update = %v", got)
	}
	if got := p.IdentityOf(updated.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("update identity = %v, want %v", got, want)
	}
	// Terraform 1.11 sends no identity at all, in the plan and the apply.
	legacy := p.Update(updated.NewState, nil, map[string]tftypes.Value{
		"name": acctest.Str("产线1"), "custom_code": acctest.Str("LINEA"), "template_identifier": acctest.Str(testTemplate), "description": acctest.Str("renamed"),
	})
	if got := p.IdentityOf(legacy.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("update identity (no prior identity) = %v, want %v", got, want)
	}

	for _, importID := range []string{testOrg + "/" + id, id} {
		imported := p.ImportState(importID, nil)
		p.NoErrors("ImportResourceState", imported.Diagnostics)
		if len(imported.ImportedResources) != 1 {
			t.Fatalf("import returned %d resources", len(imported.ImportedResources))
		}
		if got := p.IdentityOf(imported.ImportedResources[0].Identity); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("identity of the import of %q = %v, want %v", importID, got, want)
		}
	}

	// A provider whose configuration is not known yet (it depends on other resources) skips the
	// refresh with a warning, and still answers the identity.
	if got := p.ReadUnconfigured(providerserver.NewProtocol6WithError(testProvider()), legacy.NewState); got["id"] != id {
		t.Errorf("identity from an unconfigured provider = %v, want id %s", got, id)
	}

	// A project deleted outside Terraform leaves the state, also without a stored identity.
	e.mock.RemoveProject(testOrg, id)
	p.CheckGone(legacy.NewState, nil, updated.NewIdentity)
}

// An import block's identity reaches the project it names, in the organization it names.
func TestProtocol_importByIdentity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const shared = "0123456789abcdef0123aaaa" // the same identifier in two organizations
	e.mock.PutProject(testOrg, client.Project{Identifier: shared, Name: "first", CustomCode: "FRST", Description: "in the provider's organization"})
	second := e.mock.PutProject(testOrg, client.Project{Name: "second", CustomCode: "SCND", Scope: "public", Description: "two"})
	e.mock.PutProject(secondOrg, client.Project{Identifier: shared, Name: "elsewhere", CustomCode: "ELSE", Description: "in another organization"})
	p := e.newProtoServer()

	for _, c := range []struct {
		org, id, name, code string
	}{
		{testOrg, second, "second", "SCND"},
		{secondOrg, shared, "elsewhere", "ELSE"},
		{testOrg, shared, "first", "FRST"},
	} {
		identity := map[string]string{"organization_id": c.org, "id": c.id}
		imported := p.ImportState("", p.IdentityData(identity))
		p.NoErrors("ImportResourceState", imported.Diagnostics)
		if len(imported.ImportedResources) != 1 {
			t.Fatalf("import returned %d resources", len(imported.ImportedResources))
		}
		res := imported.ImportedResources[0]
		if got := p.StringAttrs(res.State, p.ResourceType()); got["id"] != c.id || got["organization_id"] != c.org {
			t.Errorf("imported state = %v, want %v", got, identity)
		}
		if got := p.IdentityOf(res.Identity); fmt.Sprint(got) != fmt.Sprint(identity) {
			t.Errorf("imported identity = %v, want %v", got, identity)
		}
		read := p.Read(res.State, res.Identity)
		p.NoErrors("ReadResource", read.Diagnostics)
		if got := p.StringAttrs(read.NewState, p.ResourceType()); got["name"] != c.name || got["custom_code"] != c.code ||
			got["organization_id"] != c.org || got["id"] != c.id {
			t.Errorf("state after importing %v = %v, want project %q", identity, got, c.name)
		}
		if got := p.IdentityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(identity) {
			t.Errorf("identity after import = %v, want %v", got, identity)
		}
	}

	bad := p.ImportState("", p.IdentityData(map[string]string{"organization_id": testOrg, "id": "has space"}))
	if len(bad.Diagnostics) == 0 || bad.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
		!strings.Contains(bad.Diagnostics[0].Summary, "Invalid Yunxiao project import id") {
		t.Errorf("import of a malformed identity: diagnostics %+v, want Invalid Yunxiao project import id", bad.Diagnostics)
	}
}

// customCode is the n-th of 676 distinct custom codes, PRAA to PRZZ.
func customCode(n int) string {
	return fmt.Sprintf("PR%c%c", 'A'+n/26%26, 'A'+n%26)
}

// ListResource streams every project across ListProjects' pages, leaves out deleted ones, looks
// in the configured or the provider's organization, filters by name_regex, includes the full
// object on request and stops at the limit.
func TestProtocol_list(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const teams, others = 430, 5 // 437 projects with 2 deleted ones: three pages of 200
	var all, teamIDs []string
	for i := range teams + others + 2 {
		p := client.Project{Name: fmt.Sprintf("team-%03d", i), CustomCode: customCode(i), Description: fmt.Sprintf("project %d", i),
			Creator: "1900000000000001", GmtCreate: client.Millis(1623916393000 + int64(i)*1000)}
		switch {
		case i >= teams+others:
			p.Name, p.LogicalStatus = fmt.Sprintf("deleted-%d", i), "DELETED"
		case i >= teams:
			p.Name, p.Scope = fmt.Sprintf("其他-%d", i), "public"
		}
		id := e.mock.PutProject(testOrg, p)
		if i < teams+others {
			all = append(all, id)
		}
		if i < teams {
			teamIDs = append(teamIDs, id)
		}
	}
	var elsewhere []string
	for i := range 3 {
		elsewhere = append(elsewhere, e.mock.PutProject(secondOrg, client.Project{Name: fmt.Sprintf("b-%d", i), CustomCode: customCode(i)}))
	}
	p := e.newProtoServer()

	before := e.mock.Requests("ListProjects")
	results := p.List(nil, false, 0)
	if got := p.ListedIDs(results); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("listed %d projects, want the %d not deleted, in the API's order", len(got), len(all))
	}
	if n := e.mock.Requests("ListProjects") - before; n != 3 {
		t.Errorf("ListProjects was called %d times, want 3 (pages of 200)", n)
	}
	for i, r := range results {
		if r.Resource != nil {
			t.Fatalf("result %d has a resource object, which was not asked for", i)
		}
		if got := p.IdentityOf(r.Identity)["organization_id"]; got != testOrg {
			t.Fatalf("result %d identity organization = %q, want %s", i, got, testOrg)
		}
		if want, _ := e.mock.Project(testOrg, all[i]); r.DisplayName != want.Name {
			t.Fatalf("result %d display name = %q, want %q", i, r.DisplayName, want.Name)
		}
	}

	if got := p.ListedIDs(p.ListNoConfig(0)); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("a request without configuration listed %d projects, want all %d", len(got), len(all))
	}

	filtered := p.List(map[string]tftypes.Value{"name_regex": acctest.Str("^team-")}, false, 1000)
	if got := p.ListedIDs(filtered); strings.Join(got, ",") != strings.Join(teamIDs, ",") {
		t.Errorf("name_regex ^team- listed %d projects, want the %d team projects", len(got), len(teamIDs))
	}
	other := p.List(map[string]tftypes.Value{"organization_id": acctest.Str(secondOrg)}, false, 1000)
	if got := p.ListedIDs(other); strings.Join(got, ",") != strings.Join(elsewhere, ",") {
		t.Errorf("organization_id %s listed %v, want %v", secondOrg, got, elsewhere)
	}
	for i, r := range other {
		if got := p.IdentityOf(r.Identity)["organization_id"]; got != secondOrg {
			t.Errorf("result %d identity organization = %q, want %s", i, got, secondOrg)
		}
	}

	limited := p.List(nil, true, 5)
	if got := p.ListedIDs(limited); strings.Join(got, ",") != strings.Join(all[:5], ",") {
		t.Errorf("limit 5 listed %v, want %v", got, all[:5])
	}

	// The full object is what the resource's Read stores, so generated configuration plans clean.
	full := p.List(map[string]tftypes.Value{"name_regex": acctest.Str("^其他-")}, true, 100)
	if len(full) != others {
		t.Fatalf("listed %d projects, want %d", len(full), others)
	}
	p.CheckListedAsRead(full)

	// API errors end the stream with an error diagnostic: an organization the key may not use,
	// and a failing listing.
	p.WantListError(p.List(map[string]tftypes.Value{"organization_id": acctest.Str(forbiddenOrg)}, false, 100),
		"Error listing the Yunxiao projects of organization "+forbiddenOrg, "NoPermission")
	e.mock.Inject("ListProjects", mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusForbidden,
		Body: `{"success":false,"errorCode":"Operate.NoPermission","errorMessage":"no permission to list projects","requestId":"REQ-1"}`})
	p.WantListError(p.List(nil, true, 100), "Error listing the Yunxiao projects of organization "+testOrg, "no permission to list projects")

	validate, err := p.Lister().ValidateListResourceConfig(t.Context(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: p.TypeName,
			Config: p.Dynamic(p.Schemas.ListResourceSchemas[p.TypeName].ValueType(), map[string]tftypes.Value{
				"name_regex": acctest.Str("("), "organization_id": acctest.Str("a/b"),
			})})
	if err != nil {
		t.Fatal(err)
	}
	if len(validate.Diagnostics) != 2 {
		t.Errorf("validating an invalid name_regex and organization_id gave %d diagnostics, want 2: %+v", len(validate.Diagnostics), validate.Diagnostics)
	}
}

// Without an organization in the list block or the provider, the list reports it.
func TestProtocol_listWithoutOrganization(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := acctest.NewProtoServer(t, providerserver.NewProtocol6WithError(testProvider()), projectType, map[string]tftypes.Value{
		"access_key_id": acctest.Str(testAccessKeyID), "access_key_secret": acctest.Str(testAccessKeySecret), "endpoint": acctest.Str(e.url),
	})
	p.WantListError(p.List(nil, false, 100), "Missing organization_id", "organization_id")
}
