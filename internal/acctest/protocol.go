package acctest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ProtoServer drives a provider's protocol 6 server directly, with the requests Terraform
// sends, for what the terraform at hand cannot run: resource identity (Terraform 1.12+), list
// resources (Terraform 1.14+ `list` blocks and `terraform query`), state upgrades. It needs no
// terraform binary. Each cloud package adds only its provider block and its assertions.
type ProtoServer struct {
	t *testing.T
	// Server is the provider server, configured.
	Server tfprotov6.ProviderServer
	// Schemas and Identities are what the server announced.
	Schemas    *tfprotov6.GetProviderSchemaResponse
	Identities *tfprotov6.GetResourceIdentitySchemasResponse
	// TypeName is the resource (and list resource) type the methods act on, e.g. "trro_project".
	TypeName string
}

// NewProtoServer starts a provider server, reads its schemas as Terraform 1.14 does and
// configures it with the provider block's attribute values (every other argument null); the
// methods act on resources of typeName.
func NewProtoServer(t *testing.T, factory func() (tfprotov6.ProviderServer, error), typeName string, config map[string]tftypes.Value) *ProtoServer {
	t.Helper()
	server, err := factory()
	if err != nil {
		t.Fatal(err)
	}
	p := &ProtoServer{t: t, Server: server, TypeName: typeName}
	ctx := p.t.Context()
	p.Schemas, err = server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p.NoErrors("GetProviderSchema", p.Schemas.Diagnostics)
	p.Identities, err = server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p.NoErrors("GetResourceIdentitySchemas", p.Identities.Diagnostics)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0", Config: p.Dynamic(p.Schemas.Provider.ValueType(), config),
	})
	if err != nil {
		t.Fatal(err)
	}
	p.NoErrors("ConfigureProvider", resp.Diagnostics)
	return p
}

// ResourceType is the value type of TypeName's resource schema.
func (p *ProtoServer) ResourceType() tftypes.Type {
	return p.Schemas.ResourceSchemas[p.TypeName].ValueType()
}

// IdentityType is the value type of TypeName's identity schema.
func (p *ProtoServer) IdentityType() tftypes.Type {
	return p.Identities.IdentitySchemas[p.TypeName].ValueType()
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

// Dynamic is an object of typ with vals (every other attribute null), as Terraform sends it.
func (p *ProtoServer) Dynamic(typ tftypes.Type, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, object(p.t, typ, vals))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// StringAttrs decodes dv as an object of typ and returns its known string attributes.
func (p *ProtoServer) StringAttrs(dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]string {
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

// IdentityOf returns the string attributes of an identity in a response, failing the test
// when there is none.
func (p *ProtoServer) IdentityOf(data *tfprotov6.ResourceIdentityData) map[string]string {
	p.t.Helper()
	if data == nil || data.IdentityData == nil {
		p.t.Fatal("the response has no identity")
	}
	return p.StringAttrs(data.IdentityData, p.IdentityType())
}

// IdentityData is an identity with the string attributes vals, as Terraform sends it.
func (p *ProtoServer) IdentityData(vals map[string]string) *tfprotov6.ResourceIdentityData {
	v := map[string]tftypes.Value{}
	for name, s := range vals {
		v[name] = tftypes.NewValue(tftypes.String, s)
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: p.Dynamic(p.IdentityType(), v)}
}

// NoErrors fails the test if diags (of the call what) hold an error.
func (p *ProtoServer) NoErrors(what string, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			p.t.Fatalf("%s: error diagnostic %q: %s", what, d.Summary, d.Detail)
		}
	}
}

// Create plans and applies a new resource with config (attribute values), as Terraform does.
func (p *ProtoServer) Create(config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	p.t.Helper()
	ctx := p.t.Context()
	typ := p.ResourceType()
	cfg := p.Dynamic(typ, config)
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		p.t.Fatal(err)
	}
	plan, err := p.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: p.TypeName, PriorState: &prior, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.NoErrors("PlanResourceChange", plan.Diagnostics)
	apply, err := p.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: p.TypeName, PriorState: &prior, PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.NoErrors("ApplyResourceChange", apply.Diagnostics)
	return apply
}

// Update plans and applies config on top of a resource's state and identity.
func (p *ProtoServer) Update(state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData, config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	p.t.Helper()
	ctx := p.t.Context()
	cfg := p.Dynamic(p.ResourceType(), config)
	plan, err := p.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: p.TypeName, PriorState: state, ProposedNewState: p.merge(state, config), Config: cfg, PriorIdentity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.NoErrors("PlanResourceChange", plan.Diagnostics)
	apply, err := p.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: p.TypeName, PriorState: state, PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.NoErrors("ApplyResourceChange", apply.Diagnostics)
	return apply
}

// merge is Terraform's proposed new state: the prior state with the configured values.
func (p *ProtoServer) merge(state *tfprotov6.DynamicValue, config map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	typ := p.ResourceType()
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
	return p.Dynamic(typ, attrs)
}

// Read refreshes a state, with its stored identity (nil: Terraform before 1.12, or a state
// written before identity existed).
func (p *ProtoServer) Read(state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	resp, err := p.Server.ReadResource(p.t.Context(), &tfprotov6.ReadResourceRequest{
		TypeName: p.TypeName, CurrentState: state, CurrentIdentity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// ImportState imports by id (terraform import, an import block's id) or by identity (an
// import block's identity).
func (p *ProtoServer) ImportState(id string, identity *tfprotov6.ResourceIdentityData) *tfprotov6.ImportResourceStateResponse {
	p.t.Helper()
	resp, err := p.Server.ImportResourceState(p.t.Context(), &tfprotov6.ImportResourceStateRequest{
		TypeName: p.TypeName, ID: id, Identity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// List runs ListResource with a list block's configuration and collects the stream.
func (p *ProtoServer) List(config map[string]tftypes.Value, includeResource bool, limit int64) []tfprotov6.ListResourceResult {
	p.t.Helper()
	schema := p.Schemas.ListResourceSchemas[p.TypeName]
	if schema == nil {
		p.t.Fatalf("GetProviderSchema has no list resource schema for %s", p.TypeName)
	}
	return p.list(&tfprotov6.ListResourceRequest{
		TypeName: p.TypeName, Config: p.Dynamic(schema.ValueType(), config), IncludeResource: includeResource, Limit: limit,
	})
}

// ListNoConfig runs ListResource with no configuration at all.
func (p *ProtoServer) ListNoConfig(limit int64) []tfprotov6.ListResourceResult {
	p.t.Helper()
	return p.list(&tfprotov6.ListResourceRequest{TypeName: p.TypeName, Limit: limit})
}

func (p *ProtoServer) list(req *tfprotov6.ListResourceRequest) []tfprotov6.ListResourceResult {
	p.t.Helper()
	stream, err := p.Lister().ListResource(p.t.Context(), req)
	if err != nil {
		p.t.Fatal(err)
	}
	var results []tfprotov6.ListResourceResult
	for r := range stream.Results {
		results = append(results, r)
	}
	return results
}

// Lister is the provider server's side of Terraform 1.14's list blocks.
func (p *ProtoServer) Lister() tfprotov6.ListResourceServer {
	p.t.Helper()
	lister, ok := p.Server.(tfprotov6.ListResourceServer)
	if !ok {
		p.t.Fatal("the provider server does not serve ListResource")
	}
	return lister
}

// ListedIDs checks that every result has an identity and no error, and returns the ids.
func (p *ProtoServer) ListedIDs(results []tfprotov6.ListResourceResult) []string {
	p.t.Helper()
	var ids []string
	for i, r := range results {
		p.NoErrors(fmt.Sprintf("list result %d", i), r.Diagnostics)
		ids = append(ids, p.IdentityOf(r.Identity)["id"])
	}
	return ids
}

// ResourceValue decodes a state of TypeName's resource.
func (p *ProtoServer) ResourceValue(dv *tfprotov6.DynamicValue) tftypes.Value {
	p.t.Helper()
	v, err := dv.Unmarshal(p.ResourceType())
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// WantListError checks that a list stream ended with a result that carries an error
// diagnostic (summary and detail containing the given text) and no identity.
func (p *ProtoServer) WantListError(results []tfprotov6.ListResourceResult, summary, detail string) {
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

// Str is a string value.
func Str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// UpgradeState upgrades a state that an older provider wrote (the instance's attributes as JSON,
// at schema version) and refreshes it without an identity, as Terraform 1.12 or later does with
// a state written before identity existed. It returns the upgraded state and the refresh.
func (p *ProtoServer) UpgradeState(raw []byte, version int64) (*tfprotov6.DynamicValue, *tfprotov6.ReadResourceResponse) {
	p.t.Helper()
	upgraded, err := p.Server.UpgradeResourceState(p.t.Context(), &tfprotov6.UpgradeResourceStateRequest{
		TypeName: p.TypeName, Version: version, RawState: &tfprotov6.RawState{JSON: raw},
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.NoErrors("UpgradeResourceState", upgraded.Diagnostics)
	read := p.Read(upgraded.UpgradedState, nil)
	p.NoErrors("ReadResource", read.Diagnostics)
	return upgraded.UpgradedState, read
}

// CheckSchemas checks the schemas Terraform 1.14 reads: TypeName's identity has the string
// attributes identity, each required for import, in this order; its list resource has the
// block attributes list, in this order; and GetMetadata announces that list resource alone.
func (p *ProtoServer) CheckSchemas(identity, list []string) {
	p.t.Helper()
	is := p.Identities.IdentitySchemas[p.TypeName]
	if is == nil {
		p.t.Fatalf("GetResourceIdentitySchemas has no identity schema for %s: %+v", p.TypeName, p.Identities.IdentitySchemas)
	}
	var names []string
	for _, a := range is.IdentityAttributes {
		if !a.RequiredForImport || !a.Type.Is(tftypes.String) {
			p.t.Errorf("identity attribute %s: %+v, want a string required for import", a.Name, a)
		}
		names = append(names, a.Name)
	}
	if got, want := strings.Join(names, ","), strings.Join(identity, ","); got != want {
		p.t.Errorf("identity attributes = %s, want %s", got, want)
	}
	ls := p.Schemas.ListResourceSchemas[p.TypeName]
	if ls == nil {
		p.t.Fatalf("GetProviderSchema has no list resource schema for %s", p.TypeName)
	}
	names = nil
	for _, a := range ls.Block.Attributes {
		names = append(names, a.Name)
	}
	if got, want := strings.Join(names, ","), strings.Join(list, ","); got != want {
		p.t.Errorf("list block attributes = %s, want %s", got, want)
	}
	meta, err := p.Server.GetMetadata(p.t.Context(), &tfprotov6.GetMetadataRequest{})
	if err != nil {
		p.t.Fatal(err)
	}
	if len(meta.ListResources) != 1 || meta.ListResources[0].TypeName != p.TypeName {
		p.t.Errorf("GetMetadata list resources = %+v, want %s", meta.ListResources, p.TypeName)
	}
}

// ReadUnconfigured refreshes state with a new server of factory that was never configured, as
// when the provider's configuration is not known yet (it depends on other resources): the
// refresh is skipped without an error, and the identity is still answered, which it returns.
func (p *ProtoServer) ReadUnconfigured(factory func() (tfprotov6.ProviderServer, error), state *tfprotov6.DynamicValue) map[string]string {
	p.t.Helper()
	unconfigured, err := factory()
	if err != nil {
		p.t.Fatal(err)
	}
	skipped, err := unconfigured.ReadResource(p.t.Context(), &tfprotov6.ReadResourceRequest{TypeName: p.TypeName, CurrentState: state})
	if err != nil {
		p.t.Fatal(err)
	}
	p.NoErrors("ReadResource by an unconfigured provider", skipped.Diagnostics)
	return p.IdentityOf(skipped.NewIdentity)
}

// CheckGone checks that a refresh of state, with each of the stored identities (nil: none),
// removes the resource, deleted outside Terraform, from the state without an error.
func (p *ProtoServer) CheckGone(state *tfprotov6.DynamicValue, identities ...*tfprotov6.ResourceIdentityData) {
	p.t.Helper()
	for _, identity := range identities {
		gone := p.Read(state, identity)
		p.NoErrors("ReadResource of a deleted resource", gone.Diagnostics)
		if st := p.StringAttrs(gone.NewState, p.ResourceType()); st != nil {
			p.t.Errorf("state of a deleted resource = %v, want none", st)
		}
	}
}

// CheckListedAsRead checks that each list result with the full object (IncludeResource) holds
// exactly what the resource's Read stores after importing it by the listed identity, so that
// configuration generated from a list plans clean.
func (p *ProtoServer) CheckListedAsRead(results []tfprotov6.ListResourceResult) {
	p.t.Helper()
	for i, r := range results {
		p.NoErrors("list result", r.Diagnostics)
		if r.Resource == nil {
			p.t.Fatalf("result %d has no resource object", i)
		}
		imported := p.ImportState("", r.Identity)
		p.NoErrors("ImportResourceState", imported.Diagnostics)
		read := p.Read(imported.ImportedResources[0].State, imported.ImportedResources[0].Identity)
		p.NoErrors("ReadResource", read.Diagnostics)
		if listed, stored := p.ResourceValue(r.Resource), p.ResourceValue(read.NewState); !listed.Equal(stored) {
			p.t.Errorf("%v: listed object\n%s\ndiffers from the state Read stores\n%s", p.IdentityOf(r.Identity), listed, stored)
		}
	}
}
