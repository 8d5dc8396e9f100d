package client_test

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/attrtest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// Every attribute of yunxiao_project has its place in the client: a row here, a key in the
// answer type that the conversion carries into Project, a place in the completeness rule, and in
// Project.Matches when the create sets it. An attribute added to the schema without a row, or
// with a row but missing from one of those places, fails here.
func TestProjectAttributesHaveTheirPlaces(t *testing.T) {
	answer := map[string]any{
		"identifier": "e8b2d0a1c3f4e5d6a7b8c9d0", "name": "研发项目", "customCode": "DEMO", "scope": "private",
		"description": "the research team", "logicalStatus": "NORMAL", "creator": "1900000000000001",
		"gmtCreate": 1623916393000, "gmtModified": 1623916394000, "organizationIdentifier": "5ebbc0228123212b59xxxxx",
	}
	in := client.CreateProjectInput{TemplateIdentifier: "tmpl0001", Name: "研发项目", Scope: "private", CustomCode: "DEMO"}
	attrtest.Check(t, attrtest.ResourceAttributes(t, yunxiao.New("test")(), "yunxiao_project"), attrtest.Table[client.Project, client.CreateProjectInput]{
		Resource: "yunxiao_project",
		Places: "internal/yunxiao/client/projects.go (wireProject and project(), Project, CreateProjectInput, Project.Matches), " +
			"the mock, and the steps of CONTRIBUTING.md's \"Adding an attribute, end to end\"",
		Rows: map[string]attrtest.Row{
			"id":                  {Wire: "identifier"},
			"organization_id":     {Why: "the organization of the calls' paths, kept from the configuration"},
			"name":                {Wire: "name", Input: "name"},
			"custom_code":         {Wire: "customCode", Input: "customCode"},
			"scope":               {Wire: "scope", Input: "scope"},
			"template_identifier": {Input: "templateIdentifier", Why: "the API never returns it, so Matches cannot compare it"},
			"description":         {Wire: "description"},
			"status":              {Wire: "logicalStatus"},
			"creator":             {Wire: "creator"},
			"created_at":          {Wire: "gmtCreate"},
		},
		Answer:  answer,
		Input:   in,
		Decode:  client.DecodeProject,
		Matches: client.Project.Matches,
	})

	// A deleted project is no create's, whatever its attributes.
	answer["logicalStatus"] = "DELETED"
	deleted, err := json.Marshal(answer)
	if err != nil {
		t.Fatal(err)
	}
	if p, _, err := client.DecodeProject(deleted); err != nil || p.Matches(in) {
		t.Errorf("a deleted project matches the create input (%v)", err)
	}
}

// A create answer stands for the project without a read-back only when it is complete by the
// rule the list snapshot uses too: a missing key (the description, which may be empty but must
// be there, or the creator) makes it incomplete; an empty description or creator does not.
func TestCreateAnswerCompleteness(t *testing.T) {
	drop := func(key string) func([]byte) []byte {
		re := regexp.MustCompile(`"` + key + `":"[^"]*",?`)
		return func(b []byte) []byte { return re.ReplaceAll(b, nil) }
	}
	empty := func(key string) func([]byte) []byte {
		re := regexp.MustCompile(`"` + key + `":"[^"]*"`)
		return func(b []byte) []byte { return re.ReplaceAll(b, []byte(`"`+key+`":""`)) }
	}
	for _, tc := range []struct {
		name     string
		edit     func([]byte) []byte
		complete bool
	}{
		{"whole", func(b []byte) []byte { return b }, true},
		{"without description", drop("description"), false},
		{"without creator", drop("creator"), false},
		{"without logicalStatus", drop("logicalStatus"), false},
		{"empty description", empty("description"), true},
		{"empty creator", empty("creator"), true},
		{"empty name", empty("name"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, srv := setup(t)
			m.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Rewrite, Edit: tc.edit})
			p, err := newClient(t, srv).CreateProject(context.Background(), org,
				client.CreateProjectInput{TemplateIdentifier: template, Name: "n", Scope: "private", CustomCode: "CMPL"})
			if err != nil {
				t.Fatal(err)
			}
			if p.Complete() != tc.complete {
				t.Errorf("Complete() = %v, want %v for %+v", p.Complete(), tc.complete, p)
			}
		})
	}
}
