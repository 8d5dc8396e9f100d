package main

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Every schema of every provider type documents itself: the provider block, each resource and
// data source, and every attribute, nested attribute and block in them (timeouts included).
// tfplugindocs turns the descriptions into docs/, where a missing one is an empty bullet.
func TestSchemaDescriptions(t *testing.T) {
	types := make([]string, 0, len(providers))
	for typ := range providers {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		t.Run(typ, func(t *testing.T) {
			server, err := providerserver.NewProtocol6WithError(providers[typ]("test")())()
			if err != nil {
				t.Fatal(err)
			}
			resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					t.Fatalf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
				}
			}
			var missing []string
			walkSchema("provider "+typ, resp.Provider, &missing)
			for name, s := range resp.ResourceSchemas {
				walkSchema("resource "+name, s, &missing)
			}
			for name, s := range resp.DataSourceSchemas {
				walkSchema("data source "+name, s, &missing)
			}
			for name, s := range resp.EphemeralResourceSchemas {
				walkSchema("ephemeral resource "+name, s, &missing)
			}
			if len(resp.ResourceSchemas)+len(resp.DataSourceSchemas) == 0 {
				t.Errorf("provider %s has no resources and no data sources: is the walk looking at the right provider?", typ)
			}
			sort.Strings(missing)
			for _, m := range missing {
				t.Errorf("%s has no description", m)
			}
		})
	}
}

// walkSchema appends to missing the path of every part of s without a description.
func walkSchema(name string, s *tfprotov6.Schema, missing *[]string) {
	if s == nil {
		*missing = append(*missing, name+" (no schema)")
		return
	}
	if s.Block == nil {
		*missing = append(*missing, name+" (no block)")
		return
	}
	if blank(s.Block.Description) {
		*missing = append(*missing, name)
	}
	walkBlock(name, s.Block, missing)
}

func walkBlock(path string, b *tfprotov6.SchemaBlock, missing *[]string) {
	for _, a := range b.Attributes {
		walkAttribute(path+"."+a.Name, a, missing)
	}
	for _, nb := range b.BlockTypes {
		p := path + "." + nb.TypeName + " (block)"
		if nb.Block == nil {
			*missing = append(*missing, p)
			continue
		}
		if blank(nb.Block.Description) {
			*missing = append(*missing, p)
		}
		walkBlock(path+"."+nb.TypeName, nb.Block, missing)
	}
}

func walkAttribute(path string, a *tfprotov6.SchemaAttribute, missing *[]string) {
	if blank(a.Description) {
		*missing = append(*missing, path)
	}
	if a.NestedType != nil {
		for _, na := range a.NestedType.Attributes {
			walkAttribute(path+"."+na.Name, na, missing)
		}
	}
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// The walk finds what it should: an undescribed attribute, nested attribute, block and block
// attribute, each by its path.
func TestSchemaDescriptionsWalk(t *testing.T) {
	s := &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{
		Description: "described",
		Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "ok", Description: "described"},
			{Name: "bare"},
			{Name: "list", Description: "described", NestedType: &tfprotov6.SchemaObject{Attributes: []*tfprotov6.SchemaAttribute{
				{Name: "inner", Description: " "},
			}}},
		},
		BlockTypes: []*tfprotov6.SchemaNestedBlock{{TypeName: "timeouts", Block: &tfprotov6.SchemaBlock{
			Attributes: []*tfprotov6.SchemaAttribute{{Name: "create"}},
		}}},
	}}
	var missing []string
	walkSchema("resource x", s, &missing)
	sort.Strings(missing)
	want := []string{"resource x.bare", "resource x.list.inner", "resource x.timeouts (block)", "resource x.timeouts.create"}
	if strings.Join(missing, "|") != strings.Join(want, "|") {
		t.Errorf("walkSchema found %q, want %q", missing, want)
	}
}
