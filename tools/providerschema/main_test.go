package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Each provider's file holds what Terraform 1.14's `providers schema -json` shows and 1.11's
// does not (identity and list resource schemas), besides the provider, resource and data source
// schemas, under the provider's short name, where tfplugindocs looks.
func TestRun(t *testing.T) {
	t.Parallel()
	identity := map[string][]string{"trro": {"id"}, "iam": {"id"}, "yunxiao": {"id", "organization_id"}}
	for typeName := range providers {
		out := filepath.Join(t.TempDir(), typeName+".json")
		if err := run(typeName, out); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out) //nolint:gosec // G304: the test's own file
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			FormatVersion string `json:"format_version"`
			Schemas       map[string]struct {
				Provider                *schema                    `json:"provider"`
				ResourceSchemas         map[string]*schema         `json:"resource_schemas"`
				DataSourceSchemas       map[string]*schema         `json:"data_source_schemas"`
				ListResourceSchemas     map[string]*schema         `json:"list_resource_schemas"`
				ResourceIdentitySchemas map[string]*identitySchema `json:"resource_identity_schemas"`
			} `json:"provider_schemas"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		ps, ok := got.Schemas[typeName]
		project := typeName + "_project"
		if got.FormatVersion != "1.0" || !ok || ps.Provider == nil || ps.ResourceSchemas[project] == nil || ps.DataSourceSchemas[project] == nil {
			t.Fatalf("%s: format %q, provider schema %v: %s", typeName, got.FormatVersion, ok, b)
		}
		if ps.ListResourceSchemas[project] == nil || ps.ListResourceSchemas[project].Block.Attributes["name_regex"] == nil {
			t.Errorf("%s: no list resource schema with name_regex", typeName)
		}
		is := ps.ResourceIdentitySchemas[project]
		if is == nil || len(is.Attributes) != len(identity[typeName]) {
			t.Fatalf("%s: identity schema %+v, want %v", typeName, is, identity[typeName])
		}
		for _, name := range identity[typeName] {
			if a := is.Attributes[name]; a == nil || string(a.IdentityType) != `"string"` || !a.RequiredForImport {
				t.Errorf("%s: identity attribute %s is %+v, want a string required for import", typeName, name, a)
			}
		}
		if a := ps.ResourceSchemas[project].Block.Attributes["id"]; a == nil || !a.Computed || string(a.AttributeType) != `"string"` || a.DescriptionKind != "markdown" {
			t.Errorf("%s: id attribute %+v", typeName, a)
		}
	}
	if err := run("nope", filepath.Join(t.TempDir(), "x.json")); err == nil {
		t.Error("an unknown provider type wrote a schema")
	}
}

func TestTypeJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ  tftypes.Type
		want string
	}{
		{tftypes.String, `"string"`},
		{tftypes.List{ElementType: tftypes.Number}, `["list","number"]`},
		{tftypes.Map{ElementType: tftypes.Set{ElementType: tftypes.Bool}}, `["map",["set","bool"]]`},
		{tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.DynamicPseudoType}}, `["tuple",["string","dynamic"]]`},
		{tftypes.Object{AttributeTypes: map[string]tftypes.Type{"b": tftypes.String, "a": tftypes.Number}}, `["object",{"a":"number","b":"string"}]`},
		{tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.Bool}, OptionalAttributes: map[string]struct{}{"b": {}, "a": {}}},
			`["object",{"a":"string","b":"bool"},["a","b"]]`},
	} {
		got, err := typeJSON(tc.typ)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %s (%v), want %s", tc.typ, got, err, tc.want)
		}
	}
}
