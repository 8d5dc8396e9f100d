package trro

// Protocol-level tests of resource identity (Terraform 1.12+) and the trro_project list resource
// (Terraform 1.14+ `list` blocks and `terraform query`). Only Terraform 1.11 is available here,
// so these drive the provider's protocol 6 server directly, with the requests those Terraform
// versions send, against the mock. They need no terraform binary and run with or without TF_ACC.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// projectType is the resource (and list resource) type the protocol tests act on.
const projectType = TypeName + "_project"

// newProtoServer starts the provider server and configures it against the test mock.
func (e *testEnv) newProtoServer() *acctest.ProtoServer {
	e.t.Helper()
	return acctest.NewProtoServer(e.t, providerserver.NewProtocol6WithError(testProvider()), projectType, map[string]tftypes.Value{
		"secret_id":  acctest.Str(testSecretID),
		"secret_key": acctest.Str(testSecretKey),
		"endpoint":   acctest.Str(e.url),
	})
}

func TestProtocol_schemas(t *testing.T) {
	t.Parallel()
	newTestEnv(t).newProtoServer().CheckSchemas([]string{"id"}, []string{"name_regex"})
}

// Create, read (with and without a stored identity), update and import answer the identity,
// which stays the project's id throughout.
func TestProtocol_identityLifecycle(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := e.newProtoServer()

	created := p.Create(map[string]tftypes.Value{"name": acctest.Str("line-1"), "policy_mode": acctest.Str("white")})
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

	updated := p.Update(read.NewState, read.NewIdentity, map[string]tftypes.Value{"name": acctest.Str("line-1-renamed"), "policy_mode": acctest.Str("black")})
	if got := p.StringAttrs(updated.NewState, p.ResourceType()); got["name"] != "line-1-renamed" || got["id"] != id {
		t.Errorf("state after update = %v", got)
	}
	if got := p.IdentityOf(updated.NewIdentity); got["id"] != id {
		t.Errorf("update identity = %v, want id %s", got, id)
	}
	// Terraform 1.11 sends no identity at all, in the plan and the apply.
	legacy := p.Update(updated.NewState, nil, map[string]tftypes.Value{"name": acctest.Str("line-1-again"), "policy_mode": acctest.Str("black")})
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
	if got := p.ReadUnconfigured(providerserver.NewProtocol6WithError(testProvider()), legacy.NewState); got["id"] != id {
		t.Errorf("identity from an unconfigured provider = %v, want id %s", got, id)
	}

	// A project deleted outside Terraform leaves the state, also without a stored identity.
	e.mock.RemoveProject(id)
	p.CheckGone(legacy.NewState, nil, updated.NewIdentity)
}

// An import block's identity reaches the project it names, not another one.
func TestProtocol_importByIdentity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	first := e.mock.PutProject(client.Project{Name: "first", Description: "one", PolicyMode: "black"})
	second := e.mock.PutProject(client.Project{Name: "second", Description: "two", PolicyMode: "white"})
	p := e.newProtoServer()

	imported := p.ImportState("", p.IdentityData(map[string]string{"id": second}))
	p.NoErrors("ImportResourceState", imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("import returned %d resources", len(imported.ImportedResources))
	}
	res := imported.ImportedResources[0]
	if got := p.StringAttrs(res.State, p.ResourceType())["id"]; got != second {
		t.Errorf("imported state id = %q, want %s", got, second)
	}
	if got := p.IdentityOf(res.Identity)["id"]; got != second {
		t.Errorf("imported identity id = %q, want %s", got, second)
	}
	read := p.Read(res.State, res.Identity)
	p.NoErrors("ReadResource", read.Diagnostics)
	want := map[string]string{"id": second, "name": "second", "description": "two", "policy_mode": "white"}
	if got := p.StringAttrs(read.NewState, p.ResourceType()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("state after import = %v, want %v (not project %s)", got, want, first)
	}
	if got := p.IdentityOf(read.NewIdentity)["id"]; got != second {
		t.Errorf("identity after import = %q, want %s", got, second)
	}

	bad := p.ImportState("", p.IdentityData(map[string]string{"id": "not-a-project-id"}))
	if len(bad.Diagnostics) == 0 || bad.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
		!strings.Contains(bad.Diagnostics[0].Summary, "Invalid TRRO project id") {
		t.Errorf("import of a malformed identity: diagnostics %+v, want Invalid TRRO project id", bad.Diagnostics)
	}
}

// ListResource streams every project across DescribeProjectList's pages, filters by name_regex,
// includes the full object on request and stops at the limit.
func TestProtocol_list(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const teams, others = 230, 7 // 237 projects: three pages of 100
	var all, teamIDs []string
	for i := range teams + others {
		p := client.Project{Name: fmt.Sprintf("team-%03d", i), Description: fmt.Sprintf("project %d", i), PolicyMode: "black"}
		if i >= teams {
			p.Name, p.PolicyMode = fmt.Sprintf("其他-%d", i), "white"
		}
		id := e.mock.PutProject(p)
		all = append(all, id)
		if i < teams {
			teamIDs = append(teamIDs, id)
		}
	}
	p := e.newProtoServer()

	before := e.mock.Requests("DescribeProjectList")
	results := p.List(nil, false, 0)
	if got := p.ListedIDs(results); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("listed %d projects, want all %d in the API's order", len(got), len(all))
	}
	if n := e.mock.Requests("DescribeProjectList") - before; n != 3 {
		t.Errorf("DescribeProjectList was called %d times, want 3 (pages of 100)", n)
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
		t.Errorf("a request without configuration listed %d projects, want all %d", len(got), len(all))
	}

	filtered := p.List(map[string]tftypes.Value{"name_regex": acctest.Str("^team-")}, false, 1000)
	if got := p.ListedIDs(filtered); strings.Join(got, ",") != strings.Join(teamIDs, ",") {
		t.Errorf("name_regex ^team- listed %d projects, want the %d team projects", len(got), len(teamIDs))
	}
	none := p.List(map[string]tftypes.Value{"name_regex": acctest.Str("^nobody$")}, false, 1000)
	if len(none) != 0 {
		t.Errorf("name_regex ^nobody$ listed %d results, want none", len(none))
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

	// An API error ends the stream with an error diagnostic.
	e.mock.Inject("DescribeProjectList", mockserver.Fault{Kind: mockserver.RawAnswer,
		Body: `{"Response":{"Error":{"Code":"UnauthorizedOperation","Message":"no permission for DescribeProjectList"},"RequestId":"req-1"}}`})
	p.WantListError(p.List(nil, true, 100), "Error listing TRRO projects", "UnauthorizedOperation")

	// A list block's configuration is validated like any other.
	validate, err := p.Lister().ValidateListResourceConfig(t.Context(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: p.TypeName,
			Config: p.Dynamic(p.Schemas.ListResourceSchemas[p.TypeName].ValueType(), map[string]tftypes.Value{"name_regex": acctest.Str("(")})})
	if err != nil {
		t.Fatal(err)
	}
	if len(validate.Diagnostics) == 0 {
		t.Error("an invalid name_regex passed validation")
	}
}
