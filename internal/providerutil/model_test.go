package providerutil

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// timeoutTypes are the attributes of the timeouts block.
var timeoutTypes = map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType}

type testModel struct {
	ID       types.String   `tfsdk:"id"`
	Name     types.String   `tfsdk:"name"`
	Enabled  types.Bool     `tfsdk:"enabled"`
	Count    types.Int64    `tfsdk:"count"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func testState(ctx context.Context) tfsdk.State {
	s := rschema.Schema{
		Attributes: map[string]rschema.Attribute{
			"id":      rschema.StringAttribute{Computed: true},
			"name":    rschema.StringAttribute{Required: true},
			"enabled": rschema.BoolAttribute{Optional: true},
			"count":   rschema.Int64Attribute{Optional: true},
		},
		Blocks: map[string]rschema.Block{"timeouts": TimeoutsBlock(ctx)},
	}
	return tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
}

func TestModelRoundTripMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	withTimeouts := timeouts.Value{Object: types.ObjectValueMust(
		timeoutTypes,
		map[string]attr.Value{"create": types.StringValue("10m"), "read": types.StringNull(), "update": types.StringNull(), "delete": types.StringValue("1h")})}
	for _, m := range []testModel{
		{ID: types.StringValue("p-1"), Name: types.StringValue("研发"), Enabled: types.BoolValue(true), Count: types.Int64Value(3), Timeouts: withTimeouts},
		{ID: types.StringUnknown(), Name: types.StringValue("x"), Enabled: types.BoolNull(), Count: types.Int64Null(),
			Timeouts: timeouts.Value{Object: types.ObjectNull(withTimeouts.AttributeTypes(ctx))}},
	} {
		// SetModel writes what the framework's Set writes, and GetModel reads back what its Get does.
		ours, theirs := testState(ctx), testState(ctx)
		if d := SetModel(ctx, &ours, &m); d.HasError() {
			t.Fatalf("SetModel: %v", d)
		}
		if d := theirs.Set(ctx, &m); d.HasError() {
			t.Fatalf("State.Set: %v", d)
		}
		if !ours.Raw.Equal(theirs.Raw) {
			t.Fatalf("SetModel wrote %s; the framework writes %s", ours.Raw, theirs.Raw)
		}
		var got, want testModel
		if d := GetModel(ctx, ours, &got); d.HasError() {
			t.Fatalf("GetModel: %v", d)
		}
		if d := ours.Get(ctx, &want); d.HasError() {
			t.Fatalf("State.Get: %v", d)
		}
		if !got.ID.Equal(want.ID) || !got.Name.Equal(want.Name) || !got.Enabled.Equal(want.Enabled) || !got.Count.Equal(want.Count) || !got.Timeouts.Equal(want.Timeouts) {
			t.Fatalf("GetModel read %+v; the framework reads %+v", got, want)
		}
		create, d := got.Timeouts.Create(ctx, time.Minute)
		if d.HasError() {
			t.Fatalf("timeouts read back are not usable: %v", d)
		}
		if wantCreate, _ := want.Timeouts.Create(ctx, time.Minute); create != wantCreate {
			t.Fatalf("create timeout %s, the framework's model says %s", create, wantCreate)
		}
	}
}

func TestModelMismatchesAreErrors(t *testing.T) {
	ctx := context.Background()
	st := testState(ctx)
	m := testModel{ID: types.StringValue("p-1"), Name: types.StringValue("n"), Enabled: types.BoolNull(), Count: types.Int64Null(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(timeoutTypes)}}
	if d := SetModel(ctx, &st, m); d.HasError() {
		t.Fatalf("SetModel: %v", d)
	}
	type missingField struct {
		ID   types.String `tfsdk:"id"`
		Name types.String `tfsdk:"name"`
	}
	type wrongType struct {
		ID       types.Int64    `tfsdk:"id"`
		Name     types.String   `tfsdk:"name"`
		Enabled  types.Bool     `tfsdk:"enabled"`
		Count    types.Int64    `tfsdk:"count"`
		Timeouts timeouts.Value `tfsdk:"timeouts"`
	}
	for name, target := range map[string]any{"missing field": &missingField{}, "wrong type": &wrongType{}, "not a pointer": testModel{}} {
		if d := GetModel(ctx, st, target); !d.HasError() || !strings.Contains(d[0].Detail(), "bug in the provider") {
			t.Errorf("GetModel into %s: %v; want an error", name, d)
		}
	}
	if d := SetModel(ctx, &st, missingField{ID: types.StringValue("x"), Name: types.StringValue("y")}); !d.HasError() {
		t.Error("SetModel of a model without every attribute: no error")
	}
	null := testState(ctx)
	if d := GetModel(ctx, null, &testModel{}); !d.HasError() {
		t.Error("GetModel of a null state: no error")
	}
}

// BenchmarkModelGetSet compares a whole-model Get and Set through the framework's reflection
// with GetModel and SetModel (go test -run XXX -bench ModelGetSet ./internal/providerutil).
func BenchmarkModelGetSet(b *testing.B) {
	ctx := context.Background()
	st := testState(ctx)
	m := testModel{ID: types.StringValue("0123456789abcdef01234567"), Name: types.StringValue("bench"), Enabled: types.BoolValue(true), Count: types.Int64Value(1),
		Timeouts: timeouts.Value{Object: types.ObjectNull(timeoutTypes)}}
	if d := st.Set(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	b.Run("framework", func(b *testing.B) {
		for range b.N {
			var got testModel
			if st.Get(ctx, &got).HasError() || st.Set(ctx, &got).HasError() {
				b.Fatal("framework Get or Set failed")
			}
		}
	})
	b.Run("GetModel+SetModel", func(b *testing.B) {
		for range b.N {
			var got testModel
			if GetModel(ctx, st, &got).HasError() || SetModel(ctx, &st, &got).HasError() {
				b.Fatal("GetModel or SetModel failed")
			}
		}
	})
}

// ItemType takes a nested attribute's item type from the schema.
func TestItemType(t *testing.T) {
	nested := dsschema.ListNestedAttribute{Computed: true, NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
		"id": dsschema.StringAttribute{Computed: true}, "enabled": dsschema.BoolAttribute{Computed: true},
	}}}
	want := types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "enabled": types.BoolType}}
	if got := ItemType(nested); !got.Equal(want) {
		t.Errorf("ItemType = %v, want %v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("ItemType of a list of strings did not panic")
		}
	}()
	ItemType(dsschema.ListAttribute{ElementType: types.StringType})
}
