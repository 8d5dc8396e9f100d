package providerutil

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// SetIdentity writes model, an identity model struct (or a pointer to one) whose fields are
// attr.Value types tagged `tfsdk:"<attribute>"`, as the whole of identity: what identity.Set
// does with the same struct, without the framework's reflection over the struct on every call
// (it compiles a regular expression per field, as for GetModel and SetModel). Every create and
// read sets the identity, so this is on the resources' hot paths.
func SetIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, model any) diag.Diagnostics {
	var diags diag.Diagnostics
	src := reflect.Indirect(reflect.ValueOf(model))
	typ := identity.Schema.Type().TerraformType(ctx)
	object, ok := typ.(tftypes.Object)
	if src.Kind() != reflect.Struct || !ok {
		diags.AddError("Value Conversion Error", fmt.Sprintf("SetIdentity needs an identity model struct and an object schema, got %T. This is a bug in the provider.", model))
		return diags
	}
	fields := fieldsOf(src.Type())
	if len(fields) != len(object.AttributeTypes) {
		diags.AddError("Value Conversion Error", fmt.Sprintf("%s has %d tagged fields for %d identity attributes. This is a bug in the provider.", src.Type(), len(fields), len(object.AttributeTypes)))
		return diags
	}
	values := make(map[string]tftypes.Value, len(fields))
	for _, f := range fields {
		v, ok := src.Field(f.index).Interface().(attr.Value)
		if !ok {
			diags.AddError("Value Conversion Error", fmt.Sprintf("%s.%s is not an attr.Value. This is a bug in the provider.", src.Type(), src.Type().Field(f.index).Name))
			return diags
		}
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("%s.%s cannot be converted: %s. This is a bug in the provider.", src.Type(), src.Type().Field(f.index).Name, err))
			return diags
		}
		want, ok := object.AttributeTypes[f.name]
		if !ok || !tv.Type().Equal(want) {
			diags.AddError("Value Conversion Error", fmt.Sprintf("%s.%s (%q) does not fit the identity schema. This is a bug in the provider.", src.Type(), src.Type().Field(f.index).Name, f.name))
			return diags
		}
		values[f.name] = tv
	}
	if len(values) != len(object.AttributeTypes) {
		diags.AddError("Value Conversion Error", fmt.Sprintf("%s names an identity attribute twice. This is a bug in the provider.", src.Type()))
		return diags
	}
	// Every attribute is there with its type, so NewValue cannot fail, and the value is of the
	// identity's type, which is all that identity.Set would check.
	identity.Raw = tftypes.NewValue(typ, values)
	return diags
}
