package providerutil

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type testIdentityModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
}

func testIdentity(ctx context.Context) *tfsdk.ResourceIdentity {
	s := identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"organization_id": identityschema.StringAttribute{RequiredForImport: true},
		"id":              identityschema.StringAttribute{RequiredForImport: true},
	}}
	return &tfsdk.ResourceIdentity{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
}

func TestSetIdentityMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	for _, m := range []testIdentityModel{
		{OrganizationID: types.StringValue("5ebbc0228123212b59"), ID: types.StringValue("e8b2a09b07d23")},
		{OrganizationID: types.StringValue("研发"), ID: types.StringNull()},
	} {
		ours, theirs := testIdentity(ctx), testIdentity(ctx)
		if d := SetIdentity(ctx, ours, m); d.HasError() {
			t.Fatalf("SetIdentity: %v", d)
		}
		if d := theirs.Set(ctx, m); d.HasError() {
			t.Fatalf("ResourceIdentity.Set: %v", d)
		}
		if !ours.Raw.Equal(theirs.Raw) {
			t.Fatalf("SetIdentity wrote %s; the framework writes %s", ours.Raw, theirs.Raw)
		}
		if d := SetIdentity(ctx, ours, &m); d.HasError() || !ours.Raw.Equal(theirs.Raw) {
			t.Fatalf("SetIdentity of a pointer: %v, wrote %s", d, ours.Raw)
		}
	}
}

func TestSetIdentityRefusesAModelThatDoesNotFit(t *testing.T) {
	ctx := context.Background()
	type tooFew struct {
		ID types.String `tfsdk:"id"`
	}
	type wrongName struct {
		OrganizationID types.String `tfsdk:"organization"`
		ID             types.String `tfsdk:"id"`
	}
	type wrongType struct {
		OrganizationID types.Bool   `tfsdk:"organization_id"`
		ID             types.String `tfsdk:"id"`
	}
	for _, m := range []any{tooFew{ID: types.StringValue("x")}, wrongName{ID: types.StringValue("x")}, wrongType{ID: types.StringValue("x")}, "x"} {
		identity := testIdentity(ctx)
		if d := SetIdentity(ctx, identity, m); !d.HasError() {
			t.Errorf("SetIdentity(%T) wrote %s, want an error", m, identity.Raw)
		}
		if !identity.Raw.IsNull() {
			t.Errorf("SetIdentity(%T) changed the identity to %s", m, identity.Raw)
		}
	}
}
