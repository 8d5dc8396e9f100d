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
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

const protoResourceType = TypeName + "_project"

// newProtoServer starts the provider server and configures it against the test mock with the
// admin's password.
func (e *testEnv) newProtoServer() *protoServer {
	e.t.Helper()
	p := &Provider{version: "test", configureClient: func(c *client.Config) {
		c.Retry = transport.RetryPolicy{MaxAttempts: 6, BaseDelay: 10 * time.Millisecond, MaxDelay: 100 * time.Millisecond}
		c.RequestsPerSecond = 1000
		c.ListPageSize = e.pageSize
	}}
	return startProtoServer(e.t, providerserver.NewProtocol6WithError(p), map[string]tftypes.Value{
		"auth_url":    str(e.url),
		"user_name":   str(e.fx.AdminUser),
		"password":    str(e.fx.AdminPassword),
		"domain_name": str(e.fx.DomainName),
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
	p := newTestEnv(t, mock.OTC).newProtoServer()
	is := p.identity.IdentitySchemas[protoResourceType]
	if is == nil {
		t.Fatalf("GetResourceIdentitySchemas has no identity schema for %s: %+v", protoResourceType, p.identity.IdentitySchemas)
	}
	if len(is.IdentityAttributes) != 1 || is.IdentityAttributes[0].Name != "id" || !is.IdentityAttributes[0].RequiredForImport ||
		!is.IdentityAttributes[0].Type.Is(tftypes.String) {
		t.Errorf("identity attributes = %+v, want one string id, required for import", is.IdentityAttributes)
	}
	ls := p.schemas.ListResourceSchemas[protoResourceType]
	if ls == nil {
		t.Fatalf("GetProviderSchema has no list resource schema for %s", protoResourceType)
	}
	var names []string
	for _, a := range ls.Block.Attributes {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ","); got != "domain_id,enabled,name,name_regex,parent_id" {
		t.Errorf("list block attributes = %s, want the iam_projects filters", got)
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
// which stays the project's id throughout.
func TestProtocol_identityLifecycle(t *testing.T) {
	e := newTestEnv(t, mock.OTC)
	p := e.newProtoServer()

	created := p.create(map[string]tftypes.Value{"name": str("eu-de_line-1"), "description": str("first line")})
	id := p.stringAttrs(created.NewState, p.resourceType())["id"]
	if id == "" {
		t.Fatal("create returned no id")
	}
	if got := p.identityOf(created.NewIdentity); got["id"] != id {
		t.Errorf("create identity = %v, want id %s", got, id)
	}

	// A state written before identity existed (0.1.0, or Terraform 1.11) has none.
	read := p.read(created.NewState, nil)
	p.noErrors("ReadResource", read.Diagnostics)
	if got := p.identityOf(read.NewIdentity); got["id"] != id {
		t.Errorf("read identity (no prior identity) = %v, want id %s", got, id)
	}
	read = p.read(created.NewState, created.NewIdentity)
	p.noErrors("ReadResource", read.Diagnostics)
	if got := p.identityOf(read.NewIdentity); got["id"] != id {
		t.Errorf("read identity = %v, want id %s", got, id)
	}

	updated := p.update(read.NewState, read.NewIdentity, map[string]tftypes.Value{"name": str("eu-de_line-1b"), "status": str("suspended")})
	if got := p.stringAttrs(updated.NewState, p.resourceType()); got["name"] != "eu-de_line-1b" || got["status"] != "suspended" || got["id"] != id {
		t.Errorf("state after update = %v", got)
	}
	if got := p.identityOf(updated.NewIdentity); got["id"] != id {
		t.Errorf("update identity = %v, want id %s", got, id)
	}
	// Terraform 1.11 sends no identity at all, in the plan and the apply.
	legacy := p.update(updated.NewState, nil, map[string]tftypes.Value{"name": str("eu-de_line-1c")})
	if got := p.identityOf(legacy.NewIdentity); got["id"] != id {
		t.Errorf("update identity (no prior identity) = %v, want id %s", got, id)
	}

	imported := p.importState(id, nil)
	p.noErrors("ImportResourceState", imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("import returned %d resources", len(imported.ImportedResources))
	}
	if got := p.identityOf(imported.ImportedResources[0].Identity); got["id"] != id {
		t.Errorf("import-by-id identity = %v, want id %s", got, id)
	}

	// A provider whose configuration is not known yet (it depends on other resources) skips the
	// refresh with a warning, and still answers the identity.
	unconfigured, err := providerserver.NewProtocol6WithError(&Provider{version: "test"})()
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
	e.mock.RemoveProject(id)
	for _, identity := range []*tfprotov6.ResourceIdentityData{nil, updated.NewIdentity} {
		gone := p.read(legacy.NewState, identity)
		p.noErrors("ReadResource of a deleted project", gone.Diagnostics)
		if st := p.stringAttrs(gone.NewState, p.resourceType()); st != nil {
			t.Errorf("state of a deleted project = %v, want none", st)
		}
	}
}

// An import block's identity reaches the project it names, not another one.
func TestProtocol_importByIdentity(t *testing.T) {
	e := newTestEnv(t, mock.OTC)
	first := e.mock.AddProject(e.fx.DomainID, "eu-de_first", "one")
	second := e.mock.AddProject(e.fx.DomainID, "eu-nl_second", "two")
	p := e.newProtoServer()

	imported := p.importState("", p.identityData(map[string]string{"id": second}))
	p.noErrors("ImportResourceState", imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("import returned %d resources", len(imported.ImportedResources))
	}
	res := imported.ImportedResources[0]
	if got := p.stringAttrs(res.State, p.resourceType()); got["id"] != second || got["deletion_policy"] != DeletionPolicyDelete {
		t.Errorf("imported state = %v, want id %s and deletion_policy delete", got, second)
	}
	if got := p.identityOf(res.Identity)["id"]; got != second {
		t.Errorf("imported identity id = %q, want %s", got, second)
	}
	read := p.read(res.State, res.Identity)
	p.noErrors("ReadResource", read.Diagnostics)
	want := map[string]string{"id": second, "name": "eu-nl_second", "description": "two", "status": "normal", "deletion_policy": "delete",
		"parent_id": e.mock.RegionProjectID(e.fx.DomainID, "eu-nl"), "domain_id": e.fx.DomainID}
	if got := p.stringAttrs(read.NewState, p.resourceType()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("state after import = %v, want %v (not project %s)", got, want, first)
	}
	if got := p.identityOf(read.NewIdentity)["id"]; got != second {
		t.Errorf("identity after import = %q, want %s", got, second)
	}

	bad := p.importState("", p.identityData(map[string]string{"id": "eu-nl_second"}))
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
		id := e.mock.AddProject(e.fx.DomainID, fmt.Sprintf("%s_team-%d", region, i), fmt.Sprintf("project %d", i))
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
	results := p.list(nil, false, 0)
	if got := p.listedIDs(results); strings.Join(got, ",") != strings.Join(all, ",") {
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

	if got := p.listedIDs(p.listNoConfig(0)); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("a request without configuration listed %v, want %v", got, all)
	}

	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	for _, c := range []struct {
		name   string
		config map[string]tftypes.Value
		want   []string
	}{
		{"name_regex", map[string]tftypes.Value{"name_regex": str("^eu-de_")}, de},
		{"name", map[string]tftypes.Value{"name": str("eu-nl_team-5")}, []string{nl[1]}},
		{"parent_id", map[string]tftypes.Value{"parent_id": str(e.mock.RegionProjectID(e.fx.DomainID, "eu-nl"))}, nl},
		{"domain_id", map[string]tftypes.Value{"domain_id": str(e.fx.DomainID), "name_regex": str("^eu-nl_")}, nl},
		{"enabled false", map[string]tftypes.Value{"enabled": boolean(false)}, []string{disabled}},
		{"enabled true and name_regex", map[string]tftypes.Value{"enabled": boolean(true), "name_regex": str("^eu-de_")},
			[]string{de[0], de[2], de[3], de[4], de[5]}},
		{"nothing", map[string]tftypes.Value{"name_regex": str("^nobody$")}, nil},
	} {
		got := p.listedIDs(p.list(c.config, false, 100))
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: listed %v, want %v", c.name, got, c.want)
		}
	}

	limited := p.list(nil, true, 4)
	if got := p.listedIDs(limited); strings.Join(got, ",") != strings.Join(all[:4], ",") {
		t.Errorf("limit 4 listed %v, want %v", got, all[:4])
	}

	// The full object is what the resource's Read stores, so generated configuration plans clean.
	full := p.list(map[string]tftypes.Value{"name_regex": str("^eu-nl_")}, true, 100)
	if len(full) != len(nl) {
		t.Fatalf("listed %d projects, want %d", len(full), len(nl))
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
		if wantStatus := map[bool]string{true: "suspended", false: "normal"}[id == suspended]; p.stringAttrs(r.Resource, p.resourceType())["status"] != wantStatus {
			t.Errorf("project %s: listed status %q, want %s", id, p.stringAttrs(r.Resource, p.resourceType())["status"], wantStatus)
		}
	}

	// API errors end the stream with an error diagnostic: another account's domain_id, a
	// failing listing, a failing read of one project.
	other := e.mock.AddDomain("someone-else")
	forbidden := p.list(map[string]tftypes.Value{"domain_id": str(other)}, false, 100)
	p.wantListError(forbidden, "Error listing IAM projects", "not authorized")
	e.mock.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusForbidden,
		Body: `{"error_msg":"You do not have permission to list projects.","error_code":"IAM.0003","request_id":"req-1"}`})
	p.wantListError(p.list(nil, false, 100), "Error listing IAM projects", "IAM.0003")
	e.mock.Inject(client.OpShowProjectStatus, mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusForbidden,
		Body: `{"error_msg":"You do not have permission to show the project.","error_code":"IAM.0003","request_id":"req-2"}`})
	withRead := p.list(map[string]tftypes.Value{"name_regex": str("^eu-nl_")}, true, 100)
	p.wantListError(withRead, "Error reading IAM project "+nl[0], "IAM.0003")

	validate, err := p.lister().ValidateListResourceConfig(t.Context(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: protoResourceType,
			Config: p.dynamic(p.schemas.ListResourceSchemas[protoResourceType].ValueType(), map[string]tftypes.Value{
				"name_regex": str("("), "parent_id": str("eu-de"),
			})})
	if err != nil {
		t.Fatal(err)
	}
	if len(validate.Diagnostics) != 2 {
		t.Errorf("validating an invalid name_regex and parent_id gave %d diagnostics, want 2: %+v", len(validate.Diagnostics), validate.Diagnostics)
	}
}
