package providerutil

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// GetModel and SetModel do what a state's or plan's Get and Set do with a model struct, for the
// resources' hot paths (every create, read, update and delete). The framework maps a struct by
// reflection on every call and compiles a regular expression for each field as it does
// (hashicorp/terraform-plugin-framework#725): several times the cost of the same conversion
// through types.Object, which it does without looking at the struct, and the largest single part
// of the providers' own CPU time in a large plan (figures in docs/benchmarks.md). Here the struct's fields
// are looked up once per type and the values go through types.Object.
//
// A model is a struct whose fields are attr.Value types (types.String, timeouts.Value, ...),
// each tagged `tfsdk:"<attribute>"`, one per attribute and block of the schema, as the
// framework requires.

// modelField is one field of a model struct: its index and its attribute's name.
type modelField struct {
	index int
	name  string
}

// modelFields caches the fields of each model type.
var modelFields sync.Map // reflect.Type -> []modelField

func fieldsOf(t reflect.Type) []modelField {
	if cached, ok := modelFields.Load(t); ok {
		if fields, ok := cached.([]modelField); ok {
			return fields
		}
	}
	var fields []modelField
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("tfsdk"), ",")
		if name != "" && name != "-" {
			fields = append(fields, modelField{index: i, name: name})
		}
	}
	modelFields.Store(t, fields)
	return fields
}

// GetModel reads the whole state, plan or config from into target, a pointer to a model struct.
func GetModel(ctx context.Context, from interface {
	Get(context.Context, any) diag.Diagnostics
}, target any) diag.Diagnostics {
	var obj types.Object
	diags := from.Get(ctx, &obj)
	if diags.HasError() {
		return diags
	}
	dst := reflect.ValueOf(target)
	if dst.Kind() != reflect.Pointer || dst.Elem().Kind() != reflect.Struct {
		diags.AddError("Value Conversion Error", fmt.Sprintf("GetModel needs a pointer to a model struct, got %T. This is a bug in the provider.", target))
		return diags
	}
	if obj.IsNull() || obj.IsUnknown() {
		diags.AddError("Value Conversion Error", fmt.Sprintf("Received a %s object where a whole %T was expected. This is a bug in the provider.", nullOrUnknown(obj), target))
		return diags
	}
	attrs := obj.Attributes()
	dst = dst.Elem()
	fields := fieldsOf(dst.Type())
	if len(fields) != len(attrs) {
		diags.AddError("Value Conversion Error", fmt.Sprintf("%s has %d tagged fields for %d attributes. This is a bug in the provider.", dst.Type(), len(fields), len(attrs)))
		return diags
	}
	for _, f := range fields {
		v, ok := attrs[f.name]
		field := dst.Field(f.index)
		if !ok || v == nil || !reflect.TypeOf(v).AssignableTo(field.Type()) {
			diags.AddError("Value Conversion Error", fmt.Sprintf("%s.%s (%q) cannot hold %T. This is a bug in the provider.", dst.Type(), dst.Type().Field(f.index).Name, f.name, v))
			continue
		}
		field.Set(reflect.ValueOf(v))
	}
	return diags
}

// SetModel writes model, a model struct or a pointer to one, as the whole of state.
func SetModel(ctx context.Context, state *tfsdk.State, model any) diag.Diagnostics {
	var diags diag.Diagnostics
	src := reflect.Indirect(reflect.ValueOf(model))
	schemaType, ok := state.Schema.Type().(attr.TypeWithAttributeTypes)
	if src.Kind() != reflect.Struct || !ok {
		diags.AddError("Value Conversion Error", fmt.Sprintf("SetModel needs a model struct and an object schema, got %T. This is a bug in the provider.", model))
		return diags
	}
	fields := fieldsOf(src.Type())
	values := make(map[string]attr.Value, len(fields))
	for _, f := range fields {
		v, ok := src.Field(f.index).Interface().(attr.Value)
		if !ok {
			diags.AddError("Value Conversion Error", fmt.Sprintf("%s.%s is not an attr.Value. This is a bug in the provider.", src.Type(), src.Type().Field(f.index).Name))
			return diags
		}
		values[f.name] = v
	}
	obj, d := types.ObjectValue(schemaType.AttributeTypes(), values)
	if diags.Append(d...); diags.HasError() {
		return diags
	}
	// ObjectValue checked every value against the schema's attribute types, so the object is
	// of the schema's type: what state.Set would check again, by reflection, before doing this.
	raw, err := obj.ToTerraformValue(ctx)
	if err != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("%T cannot be converted: %s. This is a bug in the provider.", model, err))
		return diags
	}
	state.Raw = raw
	return diags
}

func nullOrUnknown(v attr.Value) string {
	if v.IsNull() {
		return "null"
	}
	return "unknown"
}

// ItemType returns the object type of a list or set nested attribute's items, as the schema
// declares it, so that a data source builds its items from its schema rather than from a
// second, hand-kept map of types. It panics when the attribute is not a list or set of
// objects: a programming error, found when the package is loaded.
func ItemType(a interface{ GetType() attr.Type }) types.ObjectType {
	var elem attr.Type
	switch t := a.GetType().(type) {
	case types.ListType:
		elem = t.ElemType
	case types.SetType:
		elem = t.ElemType
	}
	obj, ok := elem.(types.ObjectType)
	if !ok {
		panic(fmt.Sprintf("ItemType: %T is not a list or set of objects", a.GetType()))
	}
	return obj
}
