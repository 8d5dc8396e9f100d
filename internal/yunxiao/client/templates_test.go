package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// ListProjectTemplates decodes the answer as Alibaba Cloud documents it (the sample of the API
// reference, gmtCreate as a number, type 0/4/16) and asks for category=Project.
func TestListProjectTemplatesDecodesTheDocumentedAnswer(t *testing.T) {
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Path + "?" + r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"requestId":"ASSDS-ASSASX-XSAXSA-XSAXSAXS","success":true,"templates":[
{"creator":"19xx7043xxxxxxx914","description":"迭代的具体信息","gmtCreate":1623916393000,"gmtModified":1623916393000,"type":4,
 "icon":"https://img.xxxx.png","identifier":"e8bxxxxxxxxxxxxxxxx23","modifier":"19xx7043xxxxxxx914","name":"专用模板","nameEn":"Test Template",
 "resourceCategory":"Project","copyFrom":null,"resourceType":null,"spaceIdentifier":null,"spaceType":null},
{"identifier":"sys0001","name":"Scrum 敏捷交付空间","type":0}]}`))
	}))
	t.Cleanup(srv.Close)
	ts, err := newClient(t, srv).ListProjectTemplates(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	if query != "/organization/"+org+"/projects/listTemplates?category=Project" {
		t.Errorf("requested %s", query)
	}
	if len(ts) != 2 {
		t.Fatalf("got %d templates, want 2", len(ts))
	}
	got := ts[0]
	if got.Identifier != "e8bxxxxxxxxxxxxxxxx23" || got.Name != "专用模板" || got.NameEn != "Test Template" || got.Description != "迭代的具体信息" ||
		got.GmtCreate.RFC3339() != "2021-06-17T07:53:13Z" || client.TemplateTypeName(got.Type) != "custom" {
		t.Errorf("decoded %+v", got)
	}
	if client.TemplateTypeName(ts[1].Type) != "system" || client.TemplateTypeName(16) != "instance" || client.TemplateTypeName(7) != "unknown" {
		t.Errorf("type names: %s", client.TemplateTypeName(ts[1].Type))
	}
}

// The mock serves the organization's templates, sorted by identifier, and refuses another category.
func TestMockListProjectTemplates(t *testing.T) {
	m, srv := setup(t)
	m.AddTemplate(org, client.Template{Identifier: "e8b2scrum", Name: "Scrum 敏捷交付空间", NameEn: "Scrum", Type: 0})
	ts, err := newClient(t, srv).ListProjectTemplates(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Identifier != template || ts[1].Identifier != "e8b2scrum" || ts[1].Name != "Scrum 敏捷交付空间" || ts[1].ResourceCategory != "Project" {
		t.Fatalf("got %+v", ts)
	}
}

// A mock told to hide new projects answers not found to their first reads, like an eventually
// consistent API.
func TestMockHidesNewProjects(t *testing.T) {
	m, srv := setup(t)
	m.HideNewProjects(2)
	c := newClient(t, srv)
	ctx := context.Background()
	p, err := c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "eventual", Scope: "private", CustomCode: "EVNT"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := c.GetProject(ctx, org, p.Identifier); !client.IsNotFound(err) {
			t.Fatalf("read %d: want not found, got %v", i+1, err)
		}
	}
	if _, err := c.GetProject(ctx, org, p.Identifier); err != nil {
		t.Fatalf("third read: %v", err)
	}
}
