// Package attrtest checks that every attribute of a resource's schema has its place in the API
// client: the answer type and its one conversion to the client's Project, the completeness rule
// of that conversion, and Project.Matches where the create sets the attribute. Each client's
// attribute test holds a table with one row per schema attribute and hands it to Check, so that
// an attribute added to the schema but forgotten in one of those places fails a unit test.
package attrtest

import (
	"context"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Row says where one schema attribute lives in the client.
type Row struct {
	// Wire is the attribute's key in the API's answer, which is also its key in the client's
	// Project as JSON; "" when the answer does not carry it (Why then says so).
	Wire string
	// Input is its key in the create input as JSON; "" when the create does not set it.
	Input string
	// Optional says that the answer may omit it: the conversion then gives the zero value and
	// does not report it missing.
	Optional bool
	// Why explains a row without a Wire key.
	Why string
}

// Table is one client's attribute table, over its Project type P and create input type I.
type Table[P, I any] struct {
	// Resource is the resource's type, e.g. "trro_project"; Places names, for the failure
	// messages, the places to update when an attribute is added.
	Resource, Places string
	// Rows holds one row per attribute of the resource's schema.
	Rows map[string]Row
	// Answer is a complete project as the API answers it (wire key to value); Input is a
	// create input that Answer matches.
	Answer map[string]any
	Input  I
	// Decode runs one project of an answer through the client's one conversion and returns the
	// project and the keys it reports missing.
	Decode func(answer []byte) (P, []string, error)
	// Matches is the client's Project.Matches.
	Matches func(P, I) bool
}

// ResourceAttributes returns the names of the attributes of the schema of the resource of type
// resourceType, as the provider p serves it.
func ResourceAttributes(t *testing.T, p provider.Provider, resourceType string) []string {
	t.Helper()
	ctx := context.Background()
	var pm provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &pm)
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var m resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: pm.TypeName}, &m)
		if m.TypeName != resourceType {
			continue
		}
		var s resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		if s.Diagnostics.HasError() {
			t.Fatalf("the schema of %s: %v", resourceType, s.Diagnostics)
		}
		return slices.Sorted(maps.Keys(s.Schema.Attributes))
	}
	t.Fatalf("the %s provider serves no resource %s", pm.TypeName, resourceType)
	return nil
}

// Check checks the table against the schema's attributes and the client: every attribute has a
// row and every row an attribute; the conversion carries each wire key's value into Project;
// dropping a key the answer must carry makes the conversion report it missing, and dropping an
// optional one does not; and changing an attribute the create sets makes Matches false.
func Check[P, I any](t *testing.T, attributes []string, tb Table[P, I]) {
	t.Helper()
	for _, name := range attributes {
		if _, ok := tb.Rows[name]; !ok {
			t.Errorf("%s attribute %q has no row in the attribute table: add one (its key in the API's answer, whether the create sets it, "+
				"whether the answer may omit it) and give the attribute its place in %s", tb.Resource, name, tb.Places)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(tb.Rows)) {
		if !slices.Contains(attributes, name) {
			t.Errorf("the attribute table has a row for %q, which the %s schema does not have: remove it", name, tb.Resource)
		}
		if row := tb.Rows[name]; row.Wire == "" && row.Why == "" {
			t.Errorf("the row of %q has no wire key: say why the answer does not carry it (Why)", name)
		}
	}
	inputKeys := jsonObject(t, tb.Input)
	for key := range inputKeys {
		if !slices.ContainsFunc(slices.Collect(maps.Values(tb.Rows)), func(r Row) bool { return r.Input == key }) {
			t.Errorf("the create input's %q is no row's Input: add it to the row of its attribute, and to Matches", key)
		}
	}

	base, missing, err := tb.Decode(marshal(t, tb.Answer))
	if err != nil || len(missing) > 0 {
		t.Fatalf("the table's complete answer decodes with error %v, missing %v: fix the table's Answer", err, missing)
	}
	if !tb.Matches(base, tb.Input) {
		t.Errorf("Matches is false for the table's complete answer and the create input it matches: the conversion loses an attribute " +
			"that Matches compares (see the rows below), or the table's Answer and Input disagree")
	}

	for _, name := range slices.Sorted(maps.Keys(tb.Rows)) {
		row := tb.Rows[name]
		if row.Wire == "" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			old, ok := tb.Answer[row.Wire]
			if !ok {
				t.Fatalf("the table's Answer has no %q: add it", row.Wire)
			}
			other := distinct(t, old)

			// The conversion carries the value from the answer into Project.
			answer := maps.Clone(tb.Answer)
			answer[row.Wire] = other
			p, missing, err := tb.Decode(marshal(t, answer))
			if err != nil || len(missing) > 0 {
				t.Fatalf("the answer with %s = %v decodes with error %v, missing %v", row.Wire, other, err, missing)
			}
			if got := jsonObject(t, p)[row.Wire]; !sameJSON(t, got, other) {
				t.Errorf("%s: the answer's %s = %s comes out of the conversion as %s: carry it in the answer type and its conversion to Project (%s)",
					name, row.Wire, marshal(t, other), marshal(t, got), tb.Places)
			}

			// Without the key, the conversion reports it missing unless the answer may omit it.
			delete(answer, row.Wire)
			_, missing, err = tb.Decode(marshal(t, answer))
			switch {
			case err != nil:
				t.Errorf("%s: the answer without %s does not decode: %v", name, row.Wire, err)
			case !row.Optional && !slices.Contains(missing, row.Wire):
				t.Errorf("%s: an answer without %s is not reported incomplete (missing %v): add it to the completeness rule of the conversion (%s), "+
					"or mark the row Optional if the API may omit it", name, row.Wire, missing, tb.Places)
			case row.Optional && slices.Contains(missing, row.Wire):
				t.Errorf("%s: the row says the answer may omit %s, but the completeness rule requires it: fix one of them", name, row.Wire)
			}

			// Matches compares what the create sets: another value in the input is another
			// project, and the same value in both matches again.
			if row.Input == "" {
				return
			}
			in := tb.Input
			fields := jsonObject(t, in)
			fields[row.Input] = other
			if err := json.Unmarshal(marshal(t, fields), &in); err != nil {
				t.Fatalf("the create input with %s = %v: %v", row.Input, other, err)
			}
			if tb.Matches(base, in) {
				t.Errorf("%s: Matches is true for a project whose %s differs from the create input's %s: compare it in Project.Matches (%s)",
					name, row.Wire, row.Input, tb.Places)
			}
			if !tb.Matches(p, in) {
				t.Errorf("%s: Matches is false for a project whose %s is the create input's %s: Project.Matches compares it with the wrong field",
					name, row.Wire, row.Input)
			}
		})
	}
}

// distinct returns a value of old's JSON type that differs from it.
func distinct(t *testing.T, old any) any {
	t.Helper()
	switch v := old.(type) {
	case string:
		return v + "-other"
	case bool:
		return !v
	case int:
		return v + 1000
	case int64:
		return v + 1000
	case float64:
		return v + 1000
	}
	t.Fatalf("the table's Answer holds %v (%T): use a string, bool or number", old, old)
	return nil
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonObject returns v as a JSON object's fields.
func jsonObject(t *testing.T, v any) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(marshal(t, v), &out); err != nil {
		t.Fatalf("%T as JSON is not an object: %v", v, err)
	}
	return out
}

// sameJSON reports whether a and b are the same JSON value (numbers compared as numbers).
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(marshal(t, a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(marshal(t, b), &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}
