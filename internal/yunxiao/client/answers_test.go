package client_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// badBodies are successful answers that prove nothing: each must be a bad answer for every call.
var badBodies = map[string]string{
	"empty":                       ``,
	"empty object":                `{}`,
	"not JSON":                    `<html><body>OK</body></html>`,
	"truncated":                   `{"requestId":"ABC","success":true,"project":{"identifier":"e8b2`,
	"JSON array":                  `[]`,
	"error envelope":              `{"requestId":"R-1","success":false,"errorCode":"Openapi.RequestError","errorMessage":"project does not exist"}`,
	"gateway envelope":            `{"RequestId":"R-2","Code":"InternalError","Message":"oops"}`,
	"success without the payload": `{"requestId":"R-3","success":true}`,
}

// Every call checks the shape of a 2xx answer before using it: a body that is empty, not JSON,
// an error envelope or without what was asked is a bad answer (transport.IsBadAnswer), never an
// empty result and never "not found".
func TestBadAnswersAreNeverResults(t *testing.T) {
	calls := map[string]func(c *client.Client, id string) error{
		"CreateProject": func(c *client.Client, _ string) error {
			_, err := c.CreateProject(context.Background(), org, client.CreateProjectInput{TemplateIdentifier: template, Name: "n", Scope: "public", CustomCode: "BADA"})
			return err
		},
		"GetProjectInfo": func(c *client.Client, id string) error {
			_, err := c.GetProject(context.Background(), org, id)
			return err
		},
		"UpdateProjectField": func(c *client.Client, id string) error {
			_, err := c.UpdateProjectFields(context.Background(), org, id, []client.FieldUpdate{{Key: client.FieldName, Value: "x"}})
			return err
		},
		"DeleteProject": func(c *client.Client, id string) error { return c.DeleteProject(context.Background(), org, id) },
		"ListProjects": func(c *client.Client, _ string) error {
			_, err := c.ListProjects(context.Background(), org)
			return err
		},
		"ListProjectTemplates": func(c *client.Client, _ string) error {
			_, err := c.ListProjectTemplates(context.Background(), org)
			return err
		},
		"ListJoinedOrganizations": func(c *client.Client, _ string) error {
			_, err := c.ListJoinedOrganizations(context.Background())
			return err
		},
	}
	for op, call := range calls {
		for kind, body := range badBodies {
			if body == `{"requestId":"R-3","success":true}` && (op == "UpdateProjectField" || op == "DeleteProject") {
				continue // a bare success is these calls' documented answer
			}
			t.Run(op+"/"+kind, func(t *testing.T) {
				m, srv := setup(t)
				id := m.PutProject(org, client.Project{Name: "kept", CustomCode: "KEPT"})
				m.Inject(op, mockserver.Fault{Kind: mockserver.RawAnswer, Body: body})
				err := call(newClient(t, srv), id)
				var bad *transport.BadAnswerError
				if !errors.As(err, &bad) || client.IsNotFound(err) {
					t.Fatalf("%s answered %q: got %v, want a bad answer that is not \"not found\"", op, body, err)
				}
				if !transport.MayHaveActed(err) || bad.Operation != op || bad.StatusCode != 200 {
					t.Errorf("bad answer %+v", bad)
				}
				if strings.Contains(body, "R-1") && bad.RequestID != "R-1" {
					t.Errorf("the request id of the error envelope is lost: %+v", bad)
				}
				if m.Requests(op) != 1 {
					t.Errorf("%s was sent %d times; a bad answer is not retried", op, m.Requests(op))
				}
				if p, ok := m.Project(org, id); !ok || p.Name != "kept" {
					t.Errorf("the project changed: %+v", p)
				}
			})
		}
	}
}

// A read answering with another project than the one asked for is a bad answer naming both; so
// is an update answer about another project and a create answer with another custom code.
func TestAnswersAboutAnotherProject(t *testing.T) {
	m, srv := setup(t)
	c := newClient(t, srv)
	ctx := context.Background()
	a := m.PutProject(org, client.Project{Name: "a", CustomCode: "AAAA"})
	b := m.PutProject(org, client.Project{Name: "b", CustomCode: "BBBB"})
	swap := mockserver.Fault{Kind: mockserver.Rewrite, Edit: func(body []byte) []byte { return bytes.ReplaceAll(body, []byte(a), []byte(b)) }}

	m.Inject("GetProjectInfo", swap)
	_, err := c.GetProject(ctx, org, a)
	if !transport.IsBadAnswer(err) || !strings.Contains(err.Error(), "it describes project "+b+", not project "+a+" as asked") {
		t.Errorf("GetProject with another project's answer: %v", err)
	}
	m.Inject("UpdateProjectField", swap)
	_, err = c.UpdateProjectFields(ctx, org, a, []client.FieldUpdate{{Key: client.FieldDescription, Value: "d"}})
	if !transport.IsBadAnswer(err) {
		t.Errorf("UpdateProjectFields with another project's answer: %v", err)
	}
	m.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Rewrite, Edit: func(body []byte) []byte {
		return bytes.ReplaceAll(body, []byte(`"customCode":"NEWC"`), []byte(`"customCode":"OTHR"`))
	}})
	_, err = c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "n", Scope: "public", CustomCode: "NEWC"})
	if !transport.IsBadAnswer(err) || !transport.MayHaveActed(err) || !strings.Contains(err.Error(), "has custom code OTHR, not NEWC as created") {
		t.Errorf("CreateProject answered with another custom code: %v", err)
	}
	// A project without an identifier in a list is not silently kept.
	m.Inject("ListProjects", mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"requestId":"R","success":true,"projects":[{"name":"x"}]}`})
	if _, err := c.ListProjects(ctx, org); !transport.IsBadAnswer(err) || !strings.Contains(err.Error(), "has no identifier") {
		t.Errorf("ListProjects with a project without identifier: %v", err)
	}
	// A page decoded in one pass still names the project whose types are wrong.
	m.Inject("ListProjects", mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"requestId":"R","success":true,"projects":[{"identifier":"a","name":"x"},{"identifier":"b","name":7}]}`})
	if _, err := c.ListProjects(ctx, org); !transport.IsBadAnswer(err) || !strings.Contains(err.Error(), "project 1 of the page does not have the documented types") {
		t.Errorf("ListProjects with a project whose name is a number: %v", err)
	}
	m.Inject("ListProjects", mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"requestId":"R","success":true,"projects":{"identifier":"a"}}`})
	if _, err := c.ListProjects(ctx, org); !transport.IsBadAnswer(err) || !strings.Contains(err.Error(), "does not have the shape of a ListProjects answer") {
		t.Errorf("ListProjects whose projects are no list: %v", err)
	}
}

// Not found comes only from the API's own error envelopes; a 404 page of another service is
// named as such, and a deleted project's status counts as not found.
func TestNotFoundOnlyFromTheAPI(t *testing.T) {
	m, srv := setup(t)
	c := newClient(t, srv, func(cfg *client.Config) { cfg.EndpointSetting = "endpoint (YUNXIAO_ENDPOINT)" })
	ctx := context.Background()
	_, err := c.GetProject(ctx, org, "000000000000000000000000")
	if !client.IsNotFound(err) {
		t.Errorf("a missing project: %v", err)
	}
	m.Inject("GetProjectInfo", mockserver.Fault{Kind: mockserver.RawAnswer, Status: 404, Body: "<html><h1>404 Not Found</h1></html>"})
	_, err = c.GetProject(ctx, org, "000000000000000000000000")
	if client.IsNotFound(err) || !client.IsWrongService(err) || !strings.Contains(providerDetail(err), "the endpoint does not look like the yunxiao API") ||
		!strings.Contains(providerDetail(err), "endpoint (YUNXIAO_ENDPOINT)") {
		t.Errorf("a 404 page: %v", providerDetail(err))
	}
	deleted := m.PutProject(org, client.Project{Name: "gone", CustomCode: "GONE", LogicalStatus: "DELETED"})
	if _, err := c.GetProject(ctx, org, deleted); !client.IsNotFound(err) {
		t.Errorf("a deleted project: %v", err)
	}
}

func providerDetail(err error) string {
	if e, ok := transport.AsAPIError(err); ok {
		return e.Detail()
	}
	return err.Error()
}

// ListJoinedOrganizations lists the key's organizations; a 200 from another service is a bad
// answer that names the wrong endpoint.
func TestListJoinedOrganizations(t *testing.T) {
	m, srv := setup(t)
	orgs, err := newClient(t, srv).ListJoinedOrganizations(context.Background())
	if err != nil || len(orgs) != 1 || orgs[0].ID != org {
		t.Fatalf("ListJoinedOrganizations = %+v, %v", orgs, err)
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok","data":[]}`))
	}))
	defer other.Close()
	_, err = newClient(t, other).ListJoinedOrganizations(context.Background())
	if !client.IsWrongService(err) || !strings.Contains(err.Error(), "the endpoint does not look like the yunxiao API") {
		t.Errorf("another service: %v", err)
	}
	_ = m
}
