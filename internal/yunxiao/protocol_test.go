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

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

const protoResourceType = TypeName + "_project"

// newProtoServer starts the provider server and configures it against the test mock, with
// testOrg as the provider's organization.
func (e *testEnv) newProtoServer() *protoServer {
	e.t.Helper()
	return startProtoServer(e.t, providerserver.NewProtocol6WithError(testProvider()), map[string]tftypes.Value{
		"access_key_id":     str(testAccessKeyID),
		"access_key_secret": str(testAccessKeySecret),
		"organization_id":   str(testOrg),
		"endpoint":          str(e.url),
	})
}

// protoServer is the provider's protocol 6 server with the schemas it announced.
type protoServer struct {
	t        *testing.T
	server   tfprotov6.ProviderServer
	schemas  *tfprotov6.GetProviderSchemaResponse
	identity *tfprotov6.GetResourceIdentitySchemasResponse
}

// startProtoServer starts a provider server, reads its schemas as Terraform 1.14 does and
// configures it with the provider block's attribute values.
func startProtoServer(t *testing.T, factory func() (tfprotov6.ProviderServer, error), config map[string]tftypes.Value) *protoServer {
	t.Helper()
	server, err := factory()
	if err != nil {
		t.Fatal(err)
	}
	p := &protoServer{t: t, server: server}
	ctx := p.t.Context()
	p.schemas, err = server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("GetProviderSchema", p.schemas.Diagnostics)
	p.identity, err = server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("GetResourceIdentitySchemas", p.identity.Diagnostics)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0", Config: p.dynamic(p.schemas.Provider.ValueType(), config),
	})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("ConfigureProvider", resp.Diagnostics)
	return p
}

func (p *protoServer) resourceType() tftypes.Type {
	return p.schemas.ResourceSchemas[protoResourceType].ValueType()
}

func (p *protoServer) identityType() tftypes.Type {
	return p.identity.IdentitySchemas[protoResourceType].ValueType()
}

// object is an object of typ with vals, every other attribute null.
func object(t *testing.T, typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	all := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := vals[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range vals {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("%s has no attribute %q", typ, name)
		}
	}
	return tftypes.NewValue(typ, all)
}

func (p *protoServer) dynamic(typ tftypes.Type, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, object(p.t, typ, vals))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// stringAttrs decodes dv as an object of typ and returns its known string attributes.
func (p *protoServer) stringAttrs(dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]string {
	p.t.Helper()
	if dv == nil {
		p.t.Fatal("no value")
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	out := map[string]string{}
	for name, a := range attrs {
		var s string
		if a.Type().Is(tftypes.String) && a.IsKnown() && !a.IsNull() {
			if err := a.As(&s); err != nil {
				p.t.Fatal(err)
			}
			out[name] = s
		}
	}
	return out
}

func (p *protoServer) identityOf(data *tfprotov6.ResourceIdentityData) map[string]string {
	p.t.Helper()
	if data == nil || data.IdentityData == nil {
		p.t.Fatal("the response has no identity")
	}
	return p.stringAttrs(data.IdentityData, p.identityType())
}

func (p *protoServer) identityData(vals map[string]string) *tfprotov6.ResourceIdentityData {
	v := map[string]tftypes.Value{}
	for name, s := range vals {
		v[name] = tftypes.NewValue(tftypes.String, s)
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: p.dynamic(p.identityType(), v)}
}

func (p *protoServer) noErrors(what string, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			p.t.Fatalf("%s: error diagnostic %q: %s", what, d.Summary, d.Detail)
		}
	}
}

// create plans and applies a new project with config (attribute values), as Terraform does.
func (p *protoServer) create(config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	p.t.Helper()
	ctx := p.t.Context()
	typ := p.resourceType()
	cfg := p.dynamic(typ, config)
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		p.t.Fatal(err)
	}
	plan, err := p.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: protoResourceType, PriorState: &prior, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("PlanResourceChange", plan.Diagnostics)
	apply, err := p.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: protoResourceType, PriorState: &prior, PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("ApplyResourceChange", apply.Diagnostics)
	return apply
}

// update plans and applies config on top of the state and identity of a project.
func (p *protoServer) update(state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData, config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	p.t.Helper()
	ctx := p.t.Context()
	cfg := p.dynamic(p.resourceType(), config)
	plan, err := p.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: protoResourceType, PriorState: state, ProposedNewState: p.merge(state, config), Config: cfg, PriorIdentity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("PlanResourceChange", plan.Diagnostics)
	apply, err := p.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: protoResourceType, PriorState: state, PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("ApplyResourceChange", apply.Diagnostics)
	return apply
}

// merge is Terraform's proposed new state: the prior state with the configured values.
func (p *protoServer) merge(state *tfprotov6.DynamicValue, config map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	typ := p.resourceType()
	v, err := state.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	for name, value := range config {
		attrs[name] = value
	}
	return p.dynamic(typ, attrs)
}

func (p *protoServer) read(state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	resp, err := p.server.ReadResource(p.t.Context(), &tfprotov6.ReadResourceRequest{
		TypeName: protoResourceType, CurrentState: state, CurrentIdentity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

func (p *protoServer) importState(id string, identity *tfprotov6.ResourceIdentityData) *tfprotov6.ImportResourceStateResponse {
	p.t.Helper()
	resp, err := p.server.ImportResourceState(p.t.Context(), &tfprotov6.ImportResourceStateRequest{
		TypeName: protoResourceType, ID: id, Identity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// list runs ListResource with a list block's configuration and collects the stream.
func (p *protoServer) list(config map[string]tftypes.Value, includeResource bool, limit int64) []tfprotov6.ListResourceResult {
	p.t.Helper()
	lister := p.lister()
	schema := p.schemas.ListResourceSchemas[protoResourceType]
	if schema == nil {
		p.t.Fatalf("GetProviderSchema has no list resource schema for %s", protoResourceType)
	}
	stream, err := lister.ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName: protoResourceType, Config: p.dynamic(schema.ValueType(), config), IncludeResource: includeResource, Limit: limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var results []tfprotov6.ListResourceResult
	for r := range stream.Results {
		results = append(results, r)
	}
	return results
}

// lister is the provider server's side of Terraform 1.14's list blocks.
func (p *protoServer) lister() tfprotov6.ListResourceServer {
	p.t.Helper()
	lister, ok := p.server.(tfprotov6.ListResourceServer)
	if !ok {
		p.t.Fatal("the provider server does not serve ListResource")
	}
	return lister
}

// listNoConfig runs ListResource with no configuration at all.
func (p *protoServer) listNoConfig(limit int64) []tfprotov6.ListResourceResult {
	p.t.Helper()
	stream, err := p.lister().ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName: protoResourceType, Limit: limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var results []tfprotov6.ListResourceResult
	for r := range stream.Results {
		results = append(results, r)
	}
	return results
}

// listedIDs checks that every result has an identity and no error, and returns the ids.
func (p *protoServer) listedIDs(results []tfprotov6.ListResourceResult) []string {
	p.t.Helper()
	var ids []string
	for i, r := range results {
		p.noErrors(fmt.Sprintf("list result %d", i), r.Diagnostics)
		ids = append(ids, p.identityOf(r.Identity)["id"])
	}
	return ids
}

func (p *protoServer) resourceValue(dv *tfprotov6.DynamicValue) tftypes.Value {
	p.t.Helper()
	v, err := dv.Unmarshal(p.resourceType())
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// wantListError checks that a list stream ended with a result that carries an error
// diagnostic (summary and detail containing the given text) and no identity.
func (p *protoServer) wantListError(results []tfprotov6.ListResourceResult, summary, detail string) {
	p.t.Helper()
	if len(results) == 0 {
		p.t.Errorf("the list stream is empty, want an error diagnostic %q", summary)
		return
	}
	last := results[len(results)-1]
	if last.Identity != nil || last.Resource != nil || len(last.Diagnostics) == 0 {
		p.t.Errorf("the list stream ended with %+v, want an error diagnostic %q", last, summary)
		return
	}
	d := last.Diagnostics[0]
	if d.Severity != tfprotov6.DiagnosticSeverityError || !strings.Contains(d.Summary, summary) || !strings.Contains(d.Detail, detail) {
		p.t.Errorf("list diagnostic = %v %q: %s; want an error %q mentioning %q", d.Severity, d.Summary, d.Detail, summary, detail)
	}
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func TestProtocol_schemas(t *testing.T) {
	p := newTestEnv(t).newProtoServer()
	is := p.identity.IdentitySchemas[protoResourceType]
	if is == nil {
		t.Fatalf("GetResourceIdentitySchemas has no identity schema for %s: %+v", protoResourceType, p.identity.IdentitySchemas)
	}
	var identity []string
	for _, a := range is.IdentityAttributes {
		if !a.RequiredForImport || !a.Type.Is(tftypes.String) {
			t.Errorf("identity attribute %s: %+v, want a string required for import", a.Name, a)
		}
		identity = append(identity, a.Name)
	}
	if got := strings.Join(identity, ","); got != "id,organization_id" {
		t.Errorf("identity attributes = %s, want id,organization_id", got)
	}
	ls := p.schemas.ListResourceSchemas[protoResourceType]
	if ls == nil {
		t.Fatalf("GetProviderSchema has no list resource schema for %s", protoResourceType)
	}
	var names []string
	for _, a := range ls.Block.Attributes {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ","); got != "name_regex,organization_id" {
		t.Errorf("list block attributes = %s, want name_regex,organization_id", got)
	}
	meta, err := p.server.GetMetadata(t.Context(), &tfprotov6.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.ListResources) != 1 || meta.ListResources[0].TypeName != protoResourceType {
		t.Errorf("GetMetadata list resources = %+v, want %s", meta.ListResources, protoResourceType)
	}
}

// Create, read (with and without a stored identity), update and import answer the identity,
// which stays the project's organization and identifier throughout.
func TestProtocol_identityLifecycle(t *testing.T) {
	e := newTestEnv(t)
	p := e.newProtoServer()

	created := p.create(map[string]tftypes.Value{"name": str("产线一"), "custom_code": str("LINE"), "template_identifier": str(testTemplate)})
	id := p.stringAttrs(created.NewState, p.resourceType())["id"]
	if id == "" {
		t.Fatal("create returned no id")
	}
	want := map[string]string{"organization_id": testOrg, "id": id}
	if got := p.identityOf(created.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("create identity = %v, want %v", got, want)
	}

	// A state written before identity existed (0.1.0, or Terraform 1.11) has none.
	read := p.read(created.NewState, nil)
	p.noErrors("ReadResource", read.Diagnostics)
	if got := p.identityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read identity (no prior identity) = %v, want %v", got, want)
	}
	read = p.read(created.NewState, created.NewIdentity)
	p.noErrors("ReadResource", read.Diagnostics)
	if got := p.identityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read identity = %v, want %v", got, want)
	}

	updated := p.update(read.NewState, read.NewIdentity, map[string]tftypes.Value{
		"name": str("产线一号"), "custom_code": str("LINEA"), "template_identifier": str(testTemplate), "description": str("renamed"),
	})
	if got := p.stringAttrs(updated.NewState, p.resourceType()); got["name"] != "产线一号" || got["custom_code"] != "LINEA" || got["id"] != id {
		t.Errorf("state after update = %v", got)
	}
	if got := p.identityOf(updated.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("update identity = %v, want %v", got, want)
	}
	// Terraform 1.11 sends no identity at all, in the plan and the apply.
	legacy := p.update(updated.NewState, nil, map[string]tftypes.Value{
		"name": str("产线1"), "custom_code": str("LINEA"), "template_identifier": str(testTemplate), "description": str("renamed"),
	})
	if got := p.identityOf(legacy.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("update identity (no prior identity) = %v, want %v", got, want)
	}

	for _, importID := range []string{testOrg + "/" + id, id} {
		imported := p.importState(importID, nil)
		p.noErrors("ImportResourceState", imported.Diagnostics)
		if len(imported.ImportedResources) != 1 {
			t.Fatalf("import returned %d resources", len(imported.ImportedResources))
		}
		if got := p.identityOf(imported.ImportedResources[0].Identity); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("identity of the import of %q = %v, want %v", importID, got, want)
		}
	}

	// A provider whose configuration is not known yet (it depends on other resources) skips the
	// refresh with a warning, and still answers the identity.
	unconfigured, err := providerserver.NewProtocol6WithError(testProvider())()
	if err != nil {
		t.Fatal(err)
	}
	skipped, err := unconfigured.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{TypeName: protoResourceType, CurrentState: legacy.NewState})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("ReadResource by an unconfigured provider", skipped.Diagnostics)
	if got := p.identityOf(skipped.NewIdentity); got["id"] != id {
		t.Errorf("identity from an unconfigured provider = %v, want id %s", got, id)
	}

	// A project deleted outside Terraform leaves the state, also without a stored identity.
	e.mock.RemoveProject(testOrg, id)
	for _, identity := range []*tfprotov6.ResourceIdentityData{nil, updated.NewIdentity} {
		gone := p.read(legacy.NewState, identity)
		p.noErrors("ReadResource of a deleted project", gone.Diagnostics)
		if st := p.stringAttrs(gone.NewState, p.resourceType()); st != nil {
			t.Errorf("state of a deleted project = %v, want none", st)
		}
	}
}

// An import block's identity reaches the project it names, in the organization it names.
func TestProtocol_importByIdentity(t *testing.T) {
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
		imported := p.importState("", p.identityData(identity))
		p.noErrors("ImportResourceState", imported.Diagnostics)
		if len(imported.ImportedResources) != 1 {
			t.Fatalf("import returned %d resources", len(imported.ImportedResources))
		}
		res := imported.ImportedResources[0]
		if got := p.stringAttrs(res.State, p.resourceType()); got["id"] != c.id || got["organization_id"] != c.org {
			t.Errorf("imported state = %v, want %v", got, identity)
		}
		if got := p.identityOf(res.Identity); fmt.Sprint(got) != fmt.Sprint(identity) {
			t.Errorf("imported identity = %v, want %v", got, identity)
		}
		read := p.read(res.State, res.Identity)
		p.noErrors("ReadResource", read.Diagnostics)
		if got := p.stringAttrs(read.NewState, p.resourceType()); got["name"] != c.name || got["custom_code"] != c.code ||
			got["organization_id"] != c.org || got["id"] != c.id {
			t.Errorf("state after importing %v = %v, want project %q", identity, got, c.name)
		}
		if got := p.identityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(identity) {
			t.Errorf("identity after import = %v, want %v", got, identity)
		}
	}

	bad := p.importState("", p.identityData(map[string]string{"organization_id": testOrg, "id": "has space"}))
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
	results := p.list(nil, false, 0)
	if got := p.listedIDs(results); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("listed %d projects, want the %d not deleted, in the API's order", len(got), len(all))
	}
	if n := e.mock.Requests("ListProjects") - before; n != 3 {
		t.Errorf("ListProjects was called %d times, want 3 (pages of 200)", n)
	}
	for i, r := range results {
		if r.Resource != nil {
			t.Fatalf("result %d has a resource object, which was not asked for", i)
		}
		if got := p.identityOf(r.Identity)["organization_id"]; got != testOrg {
			t.Fatalf("result %d identity organization = %q, want %s", i, got, testOrg)
		}
		if want, _ := e.mock.Project(testOrg, all[i]); r.DisplayName != want.Name {
			t.Fatalf("result %d display name = %q, want %q", i, r.DisplayName, want.Name)
		}
	}

	if got := p.listedIDs(p.listNoConfig(0)); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("a request without configuration listed %d projects, want all %d", len(got), len(all))
	}

	filtered := p.list(map[string]tftypes.Value{"name_regex": str("^team-")}, false, 1000)
	if got := p.listedIDs(filtered); strings.Join(got, ",") != strings.Join(teamIDs, ",") {
		t.Errorf("name_regex ^team- listed %d projects, want the %d team projects", len(got), len(teamIDs))
	}
	other := p.list(map[string]tftypes.Value{"organization_id": str(secondOrg)}, false, 1000)
	if got := p.listedIDs(other); strings.Join(got, ",") != strings.Join(elsewhere, ",") {
		t.Errorf("organization_id %s listed %v, want %v", secondOrg, got, elsewhere)
	}
	for i, r := range other {
		if got := p.identityOf(r.Identity)["organization_id"]; got != secondOrg {
			t.Errorf("result %d identity organization = %q, want %s", i, got, secondOrg)
		}
	}

	limited := p.list(nil, true, 5)
	if got := p.listedIDs(limited); strings.Join(got, ",") != strings.Join(all[:5], ",") {
		t.Errorf("limit 5 listed %v, want %v", got, all[:5])
	}

	// The full object is what the resource's Read stores, so generated configuration plans clean.
	full := p.list(map[string]tftypes.Value{"name_regex": str("^其他-")}, true, 100)
	if len(full) != others {
		t.Fatalf("listed %d projects, want %d", len(full), others)
	}
	for i, r := range full {
		p.noErrors("list result", r.Diagnostics)
		if r.Resource == nil {
			t.Fatalf("result %d has no resource object", i)
		}
		id := p.identityOf(r.Identity)["id"]
		imported := p.importState("", r.Identity)
		p.noErrors("ImportResourceState", imported.Diagnostics)
		read := p.read(imported.ImportedResources[0].State, imported.ImportedResources[0].Identity)
		p.noErrors("ReadResource", read.Diagnostics)
		listed, stored := p.resourceValue(r.Resource), p.resourceValue(read.NewState)
		if !listed.Equal(stored) {
			t.Errorf("project %s: listed object\n%s\ndiffers from the state Read stores\n%s", id, listed, stored)
		}
	}

	// API errors end the stream with an error diagnostic: an organization the key may not use,
	// and a failing listing.
	p.wantListError(p.list(map[string]tftypes.Value{"organization_id": str(forbiddenOrg)}, false, 100),
		"Error listing the Yunxiao projects of organization "+forbiddenOrg, "NoPermission")
	e.mock.Inject("ListProjects", mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusForbidden,
		Body: `{"success":false,"errorCode":"Operate.NoPermission","errorMessage":"no permission to list projects","requestId":"REQ-1"}`})
	p.wantListError(p.list(nil, true, 100), "Error listing the Yunxiao projects of organization "+testOrg, "no permission to list projects")

	validate, err := p.lister().ValidateListResourceConfig(t.Context(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: protoResourceType,
			Config: p.dynamic(p.schemas.ListResourceSchemas[protoResourceType].ValueType(), map[string]tftypes.Value{
				"name_regex": str("("), "organization_id": str("a/b"),
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
	e := newTestEnv(t)
	p := startProtoServer(t, providerserver.NewProtocol6WithError(testProvider()), map[string]tftypes.Value{
		"access_key_id": str(testAccessKeyID), "access_key_secret": str(testAccessKeySecret), "endpoint": str(e.url),
	})
	p.wantListError(p.list(nil, false, 100), "Missing organization_id", "organization_id")
}
