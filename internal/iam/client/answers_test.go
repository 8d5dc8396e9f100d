package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// Every successful status whose body does not prove success is a bad answer, never an empty
// project and never "not found", on every call that reads an answer.
func TestBadAnswersAreErrors(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.aksk())
	ctx := context.Background()
	mine := e.create(t, c, "eu-de_mine")
	other := e.create(t, c, "eu-de_other")
	otherBody, _ := json.Marshal(map[string]any{"project": other})
	bodies := map[string]string{
		"empty":            "",
		"empty object":     "{}",
		"not JSON":         "<html>moved</html>",
		"JSON array":       "[]",
		"truncated":        string(otherBody[:30]),
		"gateway envelope": `{"error_msg":"oops","error_code":"IAM.0001","request_id":"r-1"}`,
		"keystone error":   `{"error":{"code":500,"message":"oops","title":"Internal Server Error"}}`,
		"null project":     `{"project":null}`,
		"incomplete":       `{"project":{"id":"` + mine.ID + `","name":"eu-de_mine"}}`,
	}
	calls := map[string]struct {
		op   string
		call func() error
	}{
		"read": {client.OpShowProjectStatus, func() error { _, err := c.GetProject(ctx, mine.ID); return err }},
		"update": {client.OpUpdateProject, func() error {
			d := "x"
			_, err := c.UpdateProject(ctx, mine.ID, client.UpdateProjectInput{Description: &d})
			return err
		}},
		"list":             {client.OpListProjects, func() error { _, err := c.ListProjects(ctx, client.ListProjectsInput{}); return err }},
		"credential check": {client.OpListAuthDomains, func() error { return c.ValidateCredentials(ctx) }},
	}
	for callName, call := range calls {
		for kind, body := range bodies {
			if kind == "empty object" && callName == "list" {
				body = `{"links":{}}`
			}
			e.srv.Inject(call.op, mockserver.Fault{Kind: mockserver.RawAnswer, Body: body})
			err := call.call()
			if !transport.IsBadAnswer(err) || client.IsNotFound(err) {
				t.Errorf("%s answered %s: want a bad answer, got %v", callName, kind, err)
				continue
			}
			if !strings.Contains(err.Error(), "cannot be trusted") || !strings.Contains(err.Error(), "IAM "+call.op) {
				t.Errorf("%s answered %s: %v", callName, kind, err)
			}
		}
	}
	// A read or an update answered with another project never hands that project back.
	e.srv.Inject(client.OpShowProjectStatus, mockserver.Fault{Kind: mockserver.RawAnswer, Body: string(otherBody)})
	if p, err := c.GetProject(ctx, mine.ID); !transport.IsBadAnswer(err) || !strings.Contains(err.Error(), "names project "+other.ID+", not "+mine.ID) {
		t.Errorf("a read answered with another project: %+v, %v", p, err)
	}
	e.srv.Inject(client.OpUpdateProject, mockserver.Fault{Kind: mockserver.Rewrite, Edit: func([]byte) []byte { return otherBody }})
	d := "changed"
	if p, err := c.UpdateProject(ctx, mine.ID, client.UpdateProjectInput{Description: &d}); !transport.IsBadAnswer(err) {
		t.Errorf("an update answered with another project: %+v, %v", p, err)
	}
	// A list naming an incomplete project is not trusted either.
	e.srv.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"projects":[{"name":"eu-de_x"}]}`})
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); !transport.IsBadAnswer(err) || !strings.Contains(err.Error(), "project #1 is not complete") {
		t.Errorf("a list with an incomplete project: %v", err)
	}
}

// A create whose answer is garbled after the server acted, or names another project, may have
// acted: the caller must look the name up.
func TestCreateWithBadAnswerMayHaveActed(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.aksk())
	parent := e.srv.RegionProjectID(e.fx.DomainID, "eu-de")
	other := e.create(t, c, "eu-de_other")
	otherBody, _ := json.Marshal(map[string]any{"project": other})
	for i, body := range []string{"", "{", `{"project":{}}`, string(otherBody)} {
		e.srv.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.ActThenRawAnswer, Status: http.StatusCreated, Body: body})
		name := "eu-de_garbled-" + string(rune('a'+i))
		_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: name, ParentID: parent})
		if !transport.IsBadAnswer(err) || !transport.MayHaveActed(err) {
			t.Errorf("create answered %q: want a bad answer that may have acted, got %v", body, err)
		}
		if _, ok := e.srv.ProjectByName(e.fx.DomainID, name); !ok {
			t.Errorf("the mock did not act on the create answered %q", body)
		}
	}
}

// The token request's answer must carry the token and its body; the credential check's must be
// IAM's. An HTML 404 is no proof that a project is gone: it is a foreign answer.
func TestTokenAndForeignAnswers(t *testing.T) {
	e := newEnv(t, mock.OTC)
	e.srv.Inject(client.OpCreateToken, mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusCreated, Body: `{"token":{"expires_at":"2030-01-01T00:00:00Z"}}`})
	err := newClient(t, e.password()).ValidateCredentials(context.Background())
	if !transport.IsBadAnswer(err) || !strings.Contains(err.Error(), "X-Subject-Token") {
		t.Errorf("a token answer without the token: %v", err)
	}

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html><h1>404 Not Found</h1></html>"))
	}))
	defer html.Close()
	c := newClient(t, client.Config{AuthURL: html.URL + "/v3", Token: "t", Retry: fastRetry})
	_, err = c.GetProject(context.Background(), "0123456789abcdef0123456789abcdef")
	if client.IsNotFound(err) || !client.IsWrongService(err) {
		t.Errorf("an HTML 404 on a read: not found %v, foreign %v: %v", client.IsNotFound(err), client.IsWrongService(err), err)
	}
	if err := c.ValidateCredentials(context.Background()); !client.IsWrongService(err) {
		t.Errorf("an HTML 404 on the credential check is not foreign: %v", err)
	}

	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Response":{"RequestId":"abc"}}`))
	}))
	defer other.Close()
	err = newClient(t, client.Config{AuthURL: other.URL + "/v3", Token: "t", Retry: fastRetry}).ValidateCredentials(context.Background())
	if !client.IsWrongService(err) || !strings.Contains(err.Error(), "no domains list") {
		t.Errorf("another API's 200 on the credential check: %v", err)
	}
}

// Wrong auth_url paths are refused before any call, naming the setting.
func TestParseAuthURLRefusesWrongPaths(t *testing.T) {
	for _, raw := range []string{"https://iam.example.com/v2", "https://iam.example.com/v2.0/", "https://iam.example.com/identity/v2.0",
		"https://iam.example.com/v3/projects", "https://iam.example.com/v3/auth/tokens", "https://iam.example.com/V1"} {
		_, err := client.ParseAuthURL(raw)
		if err == nil || !strings.Contains(err.Error(), "auth_url (HW_AUTH_URL or OS_AUTH_URL)") {
			t.Errorf("ParseAuthURL(%q) = %v, want an error naming auth_url and its variables", raw, err)
		}
	}
	for _, raw := range []string{"https://iam.example.com/V3", "https://iam.example.com/identity/v3/"} {
		if _, err := client.ParseAuthURL(raw); err != nil {
			t.Errorf("ParseAuthURL(%q): %v", raw, err)
		}
	}
}
