// Command providerschema writes the schema of one of projectkit's providers in the format of
// `terraform providers schema -json`, read from the provider itself over protocol 6 instead of
// from whatever terraform is on PATH. `make generate` renders docs/ from this file
// (tfplugindocs --providers-schema), so the docs are the same with every Terraform: Terraform 1.11
// shows neither resource identities nor list resources in its schema JSON, Terraform 1.14 both.
//
//	go run ./tools/providerschema -type trro -out bin/schema/trro.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao"
)

// providers maps each provider type to its constructor, as main.go does.
var providers = map[string]func(string) func() provider.Provider{
	iam.TypeName:     iam.New,
	trro.TypeName:    trro.New,
	yunxiao.TypeName: yunxiao.New,
}

// The types below are Terraform's (internal/command/jsonprovider, format version 1.0), with the
// fields tfplugindocs reads.

type providerSchemas struct {
	FormatVersion string                     `json:"format_version"`
	Schemas       map[string]*providerSchema `json:"provider_schemas"`
}

type providerSchema struct {
	Provider                *schema                    `json:"provider,omitempty"`
	ResourceSchemas         map[string]*schema         `json:"resource_schemas,omitempty"`
	DataSourceSchemas       map[string]*schema         `json:"data_source_schemas,omitempty"`
	ListResourceSchemas     map[string]*schema         `json:"list_resource_schemas,omitempty"`
	ResourceIdentitySchemas map[string]*identitySchema `json:"resource_identity_schemas,omitempty"`
}

type schema struct {
	Version uint64 `json:"version"`
	Block   *block `json:"block,omitempty"`
}

type block struct {
	Attributes      map[string]*attribute `json:"attributes,omitempty"`
	BlockTypes      map[string]*blockType `json:"block_types,omitempty"`
	Description     string                `json:"description,omitempty"`
	DescriptionKind string                `json:"description_kind,omitempty"`
	Deprecated      bool                  `json:"deprecated,omitempty"`
}

type blockType struct {
	NestingMode string `json:"nesting_mode,omitempty"`
	Block       *block `json:"block,omitempty"`
	MinItems    uint64 `json:"min_items,omitempty"`
	MaxItems    uint64 `json:"max_items,omitempty"`
}

type attribute struct {
	AttributeType       json.RawMessage `json:"type,omitempty"`
	AttributeNestedType *nestedType     `json:"nested_type,omitempty"`
	Description         string          `json:"description,omitempty"`
	DescriptionKind     string          `json:"description_kind,omitempty"`
	Deprecated          bool            `json:"deprecated,omitempty"`
	Required            bool            `json:"required,omitempty"`
	Optional            bool            `json:"optional,omitempty"`
	Computed            bool            `json:"computed,omitempty"`
	Sensitive           bool            `json:"sensitive,omitempty"`
	WriteOnly           bool            `json:"write_only,omitempty"`
}

type nestedType struct {
	Attributes  map[string]*attribute `json:"attributes,omitempty"`
	NestingMode string                `json:"nesting_mode,omitempty"`
}

type identitySchema struct {
	Version    uint64                        `json:"version"`
	Attributes map[string]*identityAttribute `json:"attributes,omitempty"`
}

type identityAttribute struct {
	IdentityType      json.RawMessage `json:"type,omitempty"`
	Description       string          `json:"description,omitempty"`
	RequiredForImport bool            `json:"required_for_import,omitempty"`
	OptionalForImport bool            `json:"optional_for_import,omitempty"`
}

func main() {
	typeName := flag.String("type", "", "the provider type: trro, iam or yunxiao")
	out := flag.String("out", "", "the file to write")
	flag.Parse()
	if err := run(*typeName, *out); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

func run(typeName, out string) error {
	newProvider, ok := providers[typeName]
	if !ok || out == "" {
		return fmt.Errorf("usage: providerschema -type trro|iam|yunxiao -out FILE")
	}
	schemas, err := read(context.Background(), providerserver.NewProtocol6(newProvider("docs")())())
	if err != nil {
		return err
	}
	// tfplugindocs looks the provider up by its short name.
	b, err := json.MarshalIndent(providerSchemas{FormatVersion: "1.0", Schemas: map[string]*providerSchema{typeName: schemas}}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o600)
}

// read asks the provider server for its schemas, as terraform does before it writes them.
func read(ctx context.Context, server tfprotov6.ProviderServer) (*providerSchema, error) {
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError("GetProviderSchema", resp.Diagnostics); err != nil {
		return nil, err
	}
	identities, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError("GetResourceIdentitySchemas", identities.Diagnostics); err != nil {
		return nil, err
	}
	ps := &providerSchema{
		Provider:                convertSchema(resp.Provider),
		ResourceSchemas:         convertSchemas(resp.ResourceSchemas),
		DataSourceSchemas:       convertSchemas(resp.DataSourceSchemas),
		ListResourceSchemas:     convertSchemas(resp.ListResourceSchemas),
		ResourceIdentitySchemas: map[string]*identitySchema{},
	}
	for name, s := range identities.IdentitySchemas {
		is := &identitySchema{Version: uint64(s.Version), Attributes: map[string]*identityAttribute{}} //nolint:gosec // G115: schema versions are small and never negative
		for _, a := range s.IdentityAttributes {
			ty, err := typeJSON(a.Type)
			if err != nil {
				return nil, fmt.Errorf("identity of %s, %s: %w", name, a.Name, err)
			}
			is.Attributes[a.Name] = &identityAttribute{IdentityType: ty, Description: a.Description,
				RequiredForImport: a.RequiredForImport, OptionalForImport: a.OptionalForImport}
		}
		ps.ResourceIdentitySchemas[name] = is
	}
	return ps, nil
}

func diagnosticsError(call string, diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s: %s", call, d.Summary, d.Detail)
		}
	}
	return nil
}

func convertSchemas(in map[string]*tfprotov6.Schema) map[string]*schema {
	out := make(map[string]*schema, len(in))
	for name, s := range in {
		out[name] = convertSchema(s)
	}
	return out
}

func convertSchema(s *tfprotov6.Schema) *schema {
	if s == nil || s.Block == nil {
		return &schema{}
	}
	return &schema{Version: uint64(s.Version), Block: convertBlock(s.Block)} //nolint:gosec // G115: schema versions are small and never negative
}

func convertBlock(b *tfprotov6.SchemaBlock) *block {
	out := &block{Description: b.Description, DescriptionKind: stringKind(b.DescriptionKind), Deprecated: b.Deprecated}
	if len(b.Attributes) > 0 {
		out.Attributes = map[string]*attribute{}
		for _, a := range b.Attributes {
			out.Attributes[a.Name] = convertAttribute(a)
		}
	}
	if len(b.BlockTypes) > 0 {
		out.BlockTypes = map[string]*blockType{}
		for _, nb := range b.BlockTypes {
			out.BlockTypes[nb.TypeName] = &blockType{
				NestingMode: blockNesting[nb.Nesting], Block: convertBlock(nb.Block),
				MinItems: uint64(nb.MinItems), MaxItems: uint64(nb.MaxItems), //nolint:gosec // G115: item counts are never negative
			}
		}
	}
	return out
}

func convertAttribute(a *tfprotov6.SchemaAttribute) *attribute {
	out := &attribute{
		Description: a.Description, DescriptionKind: stringKind(a.DescriptionKind), Deprecated: a.Deprecated,
		Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
	}
	if a.Type != nil {
		ty, err := typeJSON(a.Type)
		if err != nil {
			panic(fmt.Sprintf("attribute %s: %v", a.Name, err))
		}
		out.AttributeType = ty
	}
	if a.NestedType != nil {
		nt := &nestedType{NestingMode: objectNesting[a.NestedType.Nesting], Attributes: map[string]*attribute{}}
		for _, na := range a.NestedType.Attributes {
			nt.Attributes[na.Name] = convertAttribute(na)
		}
		out.AttributeNestedType = nt
	}
	return out
}

func stringKind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

var blockNesting = map[tfprotov6.SchemaNestedBlockNestingMode]string{
	tfprotov6.SchemaNestedBlockNestingModeSingle: "single",
	tfprotov6.SchemaNestedBlockNestingModeGroup:  "group",
	tfprotov6.SchemaNestedBlockNestingModeList:   "list",
	tfprotov6.SchemaNestedBlockNestingModeSet:    "set",
	tfprotov6.SchemaNestedBlockNestingModeMap:    "map",
}

var objectNesting = map[tfprotov6.SchemaObjectNestingMode]string{
	tfprotov6.SchemaObjectNestingModeSingle: "single",
	tfprotov6.SchemaObjectNestingModeList:   "list",
	tfprotov6.SchemaObjectNestingModeSet:    "set",
	tfprotov6.SchemaObjectNestingModeMap:    "map",
}

// typeJSON writes a type as Terraform's schema JSON does (cty's type JSON): "string",
// ["list","string"], ["object",{"a":"number"}], with the optional attributes of an object as a
// third element.
func typeJSON(t tftypes.Type) (json.RawMessage, error) {
	v, err := typeValue(t)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func typeValue(t tftypes.Type) (any, error) {
	switch {
	case t.Is(tftypes.String):
		return "string", nil
	case t.Is(tftypes.Number):
		return "number", nil
	case t.Is(tftypes.Bool):
		return "bool", nil
	case t.Is(tftypes.DynamicPseudoType):
		return "dynamic", nil
	}
	switch t := t.(type) {
	case tftypes.List:
		e, err := typeValue(t.ElementType)
		return []any{"list", e}, err
	case tftypes.Set:
		e, err := typeValue(t.ElementType)
		return []any{"set", e}, err
	case tftypes.Map:
		e, err := typeValue(t.ElementType)
		return []any{"map", e}, err
	case tftypes.Tuple:
		elems := make([]any, len(t.ElementTypes))
		for i, et := range t.ElementTypes {
			e, err := typeValue(et)
			if err != nil {
				return nil, err
			}
			elems[i] = e
		}
		return []any{"tuple", elems}, nil
	case tftypes.Object:
		attrs := map[string]any{}
		for name, at := range t.AttributeTypes {
			a, err := typeValue(at)
			if err != nil {
				return nil, err
			}
			attrs[name] = a
		}
		if len(t.OptionalAttributes) == 0 {
			return []any{"object", attrs}, nil
		}
		optional := make([]string, 0, len(t.OptionalAttributes))
		for name := range t.OptionalAttributes {
			optional = append(optional, name)
		}
		sort.Strings(optional)
		return []any{"object", attrs, optional}, nil
	}
	return nil, fmt.Errorf("a type Terraform's schema JSON cannot show: %s", t)
}
