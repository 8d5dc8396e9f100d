package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/mock"
)

const (
	keyID    = "LTAI5tTestKeyId"
	secret   = "TestSecret0123456789abcdef"
	org      = "5ebbc0228123212b59aaaaaa"
	otherOrg = "66aa00000000000000bbbbbb"
	template = "704ea00000005efede61aaa5"
)

var fastRetry = transport.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}

func setup(t *testing.T) (*mock.Server, *httptest.Server) {
	t.Helper()
	m := mock.New()
	m.AddOrganization(org, template)
	m.AddOrganization(otherOrg, template)
	m.AddKey(keyID, secret, "", org)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, srv
}

func newClient(t *testing.T, srv *httptest.Server, mutate ...func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{AccessKeyID: keyID, AccessKeySecret: secret, Endpoint: srv.URL, Retry: fastRetry, RequestsPerSecond: 1000}
	for _, f := range mutate {
		f(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func apiError(t *testing.T, err error) *transport.APIError {
	t.Helper()
	e, ok := transport.AsAPIError(err)
	if !ok {
		t.Fatalf("want an *APIError, got %T: %v", err, err)
	}
	return e
}

func TestProjectLifecycle(t *testing.T) {
	m, srv := setup(t)
	c := newClient(t, srv)
	ctx := context.Background()

	p, err := c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "研发项目 demo", Scope: "private", CustomCode: "DEMO"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Identifier == "" || p.Name != "研发项目 demo" || p.CustomCode != "DEMO" || p.Scope != "private" || p.LogicalStatus != "NORMAL" || p.GmtCreate == 0 {
		t.Fatalf("created %+v", p)
	}

	answered, err := c.UpdateProjectFields(ctx, org, p.Identifier, []client.FieldUpdate{
		{Key: client.FieldDescription, Value: "说明 & more/100%"},
		{Key: client.FieldName, Value: "renamed"},
		{Key: client.FieldScope, Value: "public"},
		{Key: client.FieldCustomCode, Value: "DEMOB"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The answer documents the updated project: the resource keeps it instead of reading back.
	if answered == nil || answered.Name != "renamed" || answered.Description != "说明 & more/100%" || answered.Identifier != p.Identifier {
		t.Fatalf("UpdateProjectFields answered %+v, want the updated project", answered)
	}
	got, err := c.GetProject(ctx, org, p.Identifier)
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != "说明 & more/100%" || got.Name != "renamed" || got.Scope != "public" || got.CustomCode != "DEMOB" || got.GmtCreate != p.GmtCreate {
		t.Fatalf("after update %+v", got)
	}

	found, err := c.FindProjectByCustomCode(ctx, org, "DEMOB")
	if err != nil || found == nil || found.Identifier != p.Identifier {
		t.Fatalf("FindProjectByCustomCode = %+v, %v", found, err)
	}
	if none, err := c.FindProjectByCustomCode(ctx, org, "NONE"); !client.IsNotFound(err) || none != nil {
		t.Fatalf("FindProjectByCustomCode(NONE) = %+v, %v; want a not-found error", none, err)
	}

	if err := c.DeleteProject(ctx, org, p.Identifier); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Project(org, p.Identifier); ok {
		t.Fatal("the project is still there after DeleteProject")
	}
	if _, err := c.GetProject(ctx, org, p.Identifier); !client.IsNotFound(err) {
		t.Fatalf("GetProject after delete: %v", err)
	}
	if err := c.DeleteProject(ctx, org, p.Identifier); !client.IsNotFound(err) {
		t.Fatalf("second DeleteProject: %v", err)
	}
}

func TestCreateRejectsBadAndDuplicateCustomCode(t *testing.T) {
	m, srv := setup(t)
	c := newClient(t, srv)
	ctx := context.Background()
	m.PutProject(org, client.Project{Name: "existing", CustomCode: "TAKEN", Scope: "public"})

	_, err := c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "x", Scope: "public", CustomCode: "TAKEN"})
	e := apiError(t, err)
	if e.StatusCode != 400 || e.Code != "Openapi.RequestError" || !strings.Contains(e.Message, "TAKEN") || e.RequestID == "" || !client.IsRequestError(err) {
		t.Fatalf("duplicate customCode: %+v", e)
	}
	_, err = c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "x", Scope: "public", CustomCode: "abc1"})
	if e := apiError(t, err); e.StatusCode != 400 || !strings.Contains(e.Message, "4 to 6 upper-case letters") {
		t.Fatalf("bad customCode: %+v", e)
	}
	if n := len(m.Projects(org)); n != 1 {
		t.Fatalf("%d projects after two failed creates", n)
	}
	// Changing a project's code to another project's code is refused too; keeping its own is not.
	id := m.PutProject(org, client.Project{Name: "second", CustomCode: "SECOND"})
	if _, err := c.UpdateProjectFields(ctx, org, id, []client.FieldUpdate{{Key: client.FieldCustomCode, Value: "TAKEN"}}); !client.IsRequestError(err) {
		t.Fatalf("update to a taken code: %v", err)
	}
	if _, err := c.UpdateProjectFields(ctx, org, id, []client.FieldUpdate{{Key: client.FieldCustomCode, Value: "SECOND"}}); err != nil {
		t.Fatalf("update to its own code: %v", err)
	}
}

func TestCredentialAndPermissionErrors(t *testing.T) {
	_, srv := setup(t)
	ctx := context.Background()

	_, err := newClient(t, srv, func(c *client.Config) { c.AccessKeySecret = "wrong" }).GetProject(ctx, org, "x")
	e := apiError(t, err)
	if e.Code != "SignatureDoesNotMatch" || e.StatusCode != 400 || e.RequestID == "" || !client.IsAuthFailure(err) ||
		!strings.Contains(e.Hint, "access_key_secret") || client.IsNotFound(err) {
		t.Fatalf("wrong secret: %+v", e)
	}

	_, err = newClient(t, srv, func(c *client.Config) { c.AccessKeyID = "LTAIunknown" }).GetProject(ctx, org, "x")
	e = apiError(t, err)
	if e.Code != "InvalidAccessKeyId.NotFound" || e.StatusCode != 404 || !client.IsAuthFailure(err) || client.IsNotFound(err) {
		t.Fatalf("unknown key: %+v", e)
	}

	_, err = newClient(t, srv).CreateProject(ctx, otherOrg, client.CreateProjectInput{TemplateIdentifier: template, Name: "x", Scope: "public", CustomCode: "ABCD"})
	e = apiError(t, err)
	if e.Code != "Operate.NoPermission" || e.StatusCode != 403 || !client.IsPermissionDenied(err) || !strings.Contains(e.Hint, "organization_id") {
		t.Fatalf("forbidden organization: %+v", e)
	}
	for _, want := range []string{"Operation: Yunxiao CreateProject", "HTTP status: 403", "Error code: Operate.NoPermission", "Message: NoPermission", "Request ID: " + e.RequestID} {
		if !strings.Contains(e.Detail(), want) {
			t.Errorf("Detail() lacks %q:\n%s", want, e.Detail())
		}
	}
}

func TestSecurityTokenIsRequiredForSTSKeys(t *testing.T) {
	m, srv := setup(t)
	m.AddKey("STS.key", "stssecret", "token-1", org)
	ctx := context.Background()
	_, err := newClient(t, srv, func(c *client.Config) { c.AccessKeyID, c.AccessKeySecret = "STS.key", "stssecret" }).ListProjects(ctx, org)
	if e := apiError(t, err); !strings.HasPrefix(e.Code, "InvalidSecurityToken") || !strings.Contains(e.Hint, "security_token") {
		t.Fatalf("no token: %+v", e)
	}
	_, err = newClient(t, srv, func(c *client.Config) {
		c.AccessKeyID, c.AccessKeySecret, c.SecurityToken = "STS.key", "stssecret", "token-1"
	}).ListProjects(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
}

func TestMockRejectsUnsignedStaleAndReplayedRequests(t *testing.T) {
	m, srv := setup(t)
	ctx := context.Background()

	resp, err := http.Get(srv.URL + "/organization/" + org + "/listProjects?category=Project")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("unsigned request: HTTP %d", resp.StatusCode)
	}

	stale := newClient(t, srv, func(c *client.Config) { c.Now = func() time.Time { return time.Now().Add(-20 * time.Minute) } })
	_, err = stale.ListProjects(ctx, org)
	if e := apiError(t, err); e.Code != "InvalidTimeStamp.Expired" {
		t.Fatalf("stale date: %+v", e)
	}

	fixed := newClient(t, srv, func(c *client.Config) { c.Nonce = func() string { return "same-nonce" } })
	if _, err := fixed.ListProjects(ctx, org); err != nil {
		t.Fatal(err)
	}
	_, err = fixed.ListProjects(ctx, org)
	if e := apiError(t, err); e.Code != "SignatureNonceUsed" {
		t.Fatalf("replayed nonce: %+v", e)
	}
	if m.Requests(mockserver.AnyOperation) != 4 {
		t.Fatalf("%d requests", m.Requests(mockserver.AnyOperation))
	}
}

func TestRetriesThrottlingAndNetworkFailures(t *testing.T) {
	m, srv := setup(t)
	c := newClient(t, srv)
	ctx := context.Background()
	id := m.PutProject(org, client.Project{Name: "p", CustomCode: "PROJ"})

	// Throttling is retried for every call, even create, and each attempt gets a fresh nonce
	// (the mock refuses a reused one).
	m.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Throttle}, mockserver.Fault{Kind: mockserver.Throttle})
	if _, err := c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "n", Scope: "public", CustomCode: "NEWP"}); err != nil {
		t.Fatal(err)
	}
	if n := m.Requests("CreateProject"); n != 3 {
		t.Fatalf("CreateProject sent %d times, want 3", n)
	}

	m.Inject("GetProjectInfo", mockserver.Fault{Kind: mockserver.ResetConnection}, mockserver.Fault{Kind: mockserver.ServerError, Status: 503})
	if _, err := c.GetProject(ctx, org, id); err != nil {
		t.Fatal(err)
	}
	if n := m.Requests("GetProjectInfo"); n != 3 {
		t.Fatalf("GetProjectInfo sent %d times, want 3", n)
	}

	// Retries are bounded.
	for range 4 {
		m.Inject("ListProjects", mockserver.Fault{Kind: mockserver.Throttle})
	}
	_, err := c.ListProjects(ctx, org)
	if e := apiError(t, err); !e.Throttled || e.Code != "Throttling.User" || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Fatalf("persistent throttling: %v", err)
	}
}

func TestCreateWithLostAnswerIsOutcomeUnknownAndFindable(t *testing.T) {
	m, srv := setup(t)
	c := newClient(t, srv)
	ctx := context.Background()

	m.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	_, err := c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "lost", Scope: "public", CustomCode: "LOST"})
	if !transport.IsOutcomeUnknown(err) {
		t.Fatalf("want an unknown outcome, got %v", err)
	}
	if n := m.Requests("CreateProject"); n != 1 {
		t.Fatalf("a create with an unknown outcome was sent %d times", n)
	}
	p, err := c.FindProjectByCustomCode(ctx, org, "LOST")
	if err != nil || p == nil || p.Name != "lost" {
		t.Fatalf("FindProjectByCustomCode = %+v, %v", p, err)
	}

	m.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ServerError, Status: 500})
	_, err = c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "x", Scope: "public", CustomCode: "FIVE"})
	if !transport.IsOutcomeUnknown(err) || m.Requests("CreateProject") != 2 {
		t.Fatalf("create after a 500: %v (%d requests)", err, m.Requests("CreateProject"))
	}
}

func TestListProjectsFollowsPages(t *testing.T) {
	m, srv := setup(t)
	c := newClient(t, srv)
	for i := range 450 {
		m.PutProject(org, client.Project{Name: fmt.Sprint("p", i), CustomCode: code(i)})
	}
	all, err := c.ListProjects(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 450 || all[0].Name != "p0" || all[449].Name != "p449" {
		t.Fatalf("got %d projects", len(all))
	}
	if n := m.Requests("ListProjects"); n != 3 {
		t.Fatalf("%d ListProjects requests, want 3", n)
	}
}

func code(i int) string {
	b := []byte("AAAA")
	for j := 3; j >= 0; j-- {
		b[j] = byte('A' + i%26)
		i /= 26
	}
	return string(b)
}

// Yunxiao does not document how a missing project is reported; every plausible answer counts.
func TestIsNotFound(t *testing.T) {
	for _, tc := range []struct {
		e    *transport.APIError
		want bool
	}{
		{&transport.APIError{StatusCode: 404, Code: "Openapi.RequestError", Message: "x"}, true},
		{&transport.APIError{StatusCode: 400, Code: "Project.NotFound"}, true},
		{&transport.APIError{StatusCode: 400, Code: "ProjectNotExist"}, true},
		{&transport.APIError{StatusCode: 400, Code: "Openapi.RequestError", Message: "项目不存在"}, true},
		{&transport.APIError{StatusCode: 400, Code: "Openapi.RequestError", Message: "project does not exist"}, true},
		{&transport.APIError{StatusCode: 400, Code: "Openapi.RequestError", Message: "customCode is invalid"}, false},
		{&transport.APIError{StatusCode: 404, Code: "InvalidAccessKeyId.NotFound"}, false},
		{&transport.APIError{StatusCode: 404, Code: "InvalidAction.NotFound"}, false},
		{&transport.APIError{StatusCode: 403, Code: "Operate.NoPermission"}, false},
		{&transport.APIError{StatusCode: 503, Code: "ServiceUnavailable", Message: "not found", Temporary: true}, false},
	} {
		if got := client.IsNotFound(tc.e); got != tc.want {
			t.Errorf("IsNotFound(%+v) = %v", tc.e, got)
		}
	}
	if !client.IsNotFound(fmt.Errorf("wrapped: %w", &client.NotFoundError{})) || client.IsNotFound(errors.New("other")) {
		t.Error("IsNotFound on plain errors")
	}
	// Finders say what they looked for in a *NotFoundError, as in the other clouds.
	nf := fmt.Errorf("wrapped: %w", &client.NotFoundError{What: "project with custom code ABCD"})
	var target *client.NotFoundError
	if !client.IsNotFound(nf) || !errors.As(nf, &target) || nf.Error() != "wrapped: Yunxiao has no project with custom code ABCD" {
		t.Errorf("NotFoundError: %v", nf)
	}
}

func TestMillis(t *testing.T) {
	var p client.Project
	for _, body := range []string{`{"gmtCreate": 1623916393000}`, `{"gmtCreate": "1623916393000"}`} {
		if err := jsonUnmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		if got := p.GmtCreate.RFC3339(); got != "2021-06-17T07:53:13Z" {
			t.Errorf("%s -> %s", body, got)
		}
	}
	if err := jsonUnmarshal(`{"gmtCreate": null}`, &p); err != nil || p.GmtCreate.RFC3339() != "" {
		t.Errorf("null -> %v %q", err, p.GmtCreate.RFC3339())
	}
	if err := jsonUnmarshal(`{"gmtCreate": "yesterday"}`, &p); err == nil {
		t.Error("a non-numeric timestamp decoded")
	}
}

func TestNewChecksConfig(t *testing.T) {
	if _, err := client.New(client.Config{AccessKeyID: "a"}); err == nil {
		t.Error("no secret accepted")
	}
	for _, ep := range []string{"devops.cn-hangzhou.aliyuncs.com", "ftp://x", "https://x/api", "https://x/?a=b"} {
		if _, err := client.New(client.Config{AccessKeyID: "a", AccessKeySecret: "b", Endpoint: ep}); err == nil {
			t.Errorf("endpoint %q accepted", ep)
		}
	}
	if _, err := client.New(client.Config{AccessKeyID: "a", AccessKeySecret: "b", Endpoint: "https://devops.cn-hangzhou.aliyuncs.com/"}); err != nil {
		t.Error(err)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
