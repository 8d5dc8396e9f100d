package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

const testID, testKey = "AKIDclientTEST", "client-test-secret"

var fastRetry = transport.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

func newClient(t *testing.T, h http.Handler) *client.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{SecretID: testID, SecretKey: testKey, Endpoint: srv.URL, Retry: fastRetry,
		EndpointSetting: "endpoint (TRRO_ENDPOINT)"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newMock(t *testing.T) (*mock.Server, *client.Client) {
	t.Helper()
	m := mock.New()
	m.AddKey(testID, testKey, "")
	return m, newClient(t, m)
}

// Every 2xx answer that does not prove success is a bad answer: never a project with empty
// fields, never "not found", and (for a create) an outcome to look up.
func TestBadReadAnswers(t *testing.T) {
	ctx := context.Background()
	for name, body := range map[string]string{
		"empty":                         "",
		"white space":                   " \n",
		"empty object":                  "{}",
		"null Response":                 `{"Response":null}`,
		"Response not an object":        `{"Response":"ok"}`,
		"not JSON":                      "<html>maintenance</html>",
		"truncated":                     `{"Response":{"ProjectName":"a`,
		"another cloud's envelope":      `{"error_code":"APIGW.0101","error_msg":"The API does not exist"}`,
		"error without a code":          `{"Response":{"Error":{"Message":"odd"},"RequestId":"r"}}`,
		"no request id":                 `{"Response":{"ProjectName":"a","PolicyMode":"black"}}`,
		"no project":                    `{"Response":{"RequestId":"r"}}`,
		"empty name":                    `{"Response":{"ProjectName":"","PolicyMode":"black","RequestId":"r"}}`,
		"no policy mode":                `{"Response":{"ProjectName":"a","RequestId":"r"}}`,
		"wrong types":                   `{"Response":{"ProjectName":7,"PolicyMode":"black","RequestId":"r"}}`,
		"another project":               `{"Response":{"ProjectId":"bbbbbbbbbbbbbbbb","ProjectName":"b","PolicyMode":"black","RequestId":"r"}}`,
		"another project, other fields": `{"Response":{"ProjectId":"","ProjectName":"b","PolicyMode":"black","RequestId":"r"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t)
			id := m.PutProject(client.Project{ID: "aaaaaaaaaaaaaaaa", Name: "a", PolicyMode: "black"})
			m.Inject(client.ActionDescribeProjectInfo, mockserver.Fault{Kind: mockserver.RawAnswer, Body: body})
			p, err := c.DescribeProject(ctx, id)
			if !transport.IsBadAnswer(err) || client.IsNotFound(err) || p != nil {
				t.Fatalf("DescribeProject = %+v, %v; want a bad answer, not a project or not found", p, err)
			}
			if !transport.MayHaveActed(err) {
				t.Errorf("a bad answer must count as an unknown outcome")
			}
			if n := m.Requests(client.ActionDescribeProjectInfo); n != 1 {
				t.Errorf("a bad answer was retried: %d requests", n)
			}
		})
	}
}

func TestReadNamingAnotherProjectIsRefused(t *testing.T) {
	m, c := newMock(t)
	mine := m.PutProject(client.Project{Name: "mine", PolicyMode: "black"})
	other := m.PutProject(client.Project{Name: "other", PolicyMode: "white"})
	m.Inject(client.ActionDescribeProjectInfo, mockserver.Fault{Kind: mockserver.Rewrite, Edit: func(b []byte) []byte {
		return []byte(strings.Replace(string(b), `"Response":{`, `"Response":{"ProjectId":"`+other+`",`, 1))
	}})
	_, err := c.DescribeProject(context.Background(), mine)
	var bad *transport.BadAnswerError
	if !errors.As(err, &bad) || !strings.Contains(bad.Reason, other) || bad.RequestID == "" {
		t.Fatalf("DescribeProject = %v; want a bad answer naming %s, with the request id", err, other)
	}
	// The same answer naming the project asked for is fine.
	m.Inject(client.ActionDescribeProjectInfo, mockserver.Fault{Kind: mockserver.Rewrite, Edit: func(b []byte) []byte {
		return []byte(strings.Replace(string(b), `"Response":{`, `"Response":{"ProjectId":"`+mine+`",`, 1))
	}})
	if p, err := c.DescribeProject(context.Background(), mine); err != nil || p.Name != "mine" || p.ID != mine {
		t.Fatalf("DescribeProject = %+v, %v", p, err)
	}
}

func TestNotFoundOnlyFromTheDocumentedAnswer(t *testing.T) {
	_, c := newMock(t)
	_, err := c.DescribeProject(context.Background(), "zzzzzzzzzzzzzzzz")
	if !client.IsNotFound(err) || transport.IsBadAnswer(err) {
		t.Fatalf("DescribeProject of a missing project = %v; want not found", err)
	}
	if err := c.DeleteProject(context.Background(), "zzzzzzzzzzzzzzzz"); !client.IsNotFound(err) {
		t.Fatalf("DeleteProject of a missing project = %v; want not found", err)
	}
	_, err = c.FindProjectsByName(context.Background(), "nobody")
	var nf *client.NotFoundError
	if !errors.As(err, &nf) || !client.IsNotFound(err) {
		t.Fatalf("FindProjectsByName of an unused name = %v; want a *NotFoundError", err)
	}
}

// A create that acted and answered badly is an unknown outcome, not a failure: the caller looks
// the project up.
func TestGarbledCreateAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"empty":           "",
		"truncated":       `{"Response":{"ProjectId":"ab`,
		"no ProjectId":    `{"Response":{"RequestId":"r"}}`,
		"empty ProjectId": `{"Response":{"ProjectId":"","RequestId":"r"}}`,
		"odd ProjectId":   `{"Response":{"ProjectId":"a b\n","RequestId":"r"}}`,
		// Cut at the transport's 8 MiB bound, so no longer JSON.
		"huge": `{"Response":{"ProjectId":"abcdefgh12345678","Padding":"` + strings.Repeat("x", 9<<20) + `","RequestId":"r"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t)
			m.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.ActThenRawAnswer, Body: body})
			id, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "garbled", PolicyMode: "black"})
			if id != "" || !transport.MayHaveActed(err) || !transport.IsBadAnswer(err) {
				t.Fatalf("CreateProject = %q, %v; want a bad answer whose outcome is unknown", id, err)
			}
			if n := len(m.Projects()); n != 1 {
				t.Fatalf("the mock holds %d projects, want the 1 created", n)
			}
		})
	}
}

func TestBadListAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"no Total":           `{"Response":{"Projects":[],"RequestId":"r"}}`,
		"no Projects":        `{"Response":{"Total":3,"RequestId":"r"}}`,
		"project without id": `{"Response":{"Projects":[{"ProjectName":"a","PolicyMode":"black"}],"Total":1,"RequestId":"r"}}`,
		"not a list":         `{"Response":{"Projects":{},"Total":1,"RequestId":"r"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			m, c := newMock(t)
			m.Inject(client.ActionDescribeProjectList, mockserver.Fault{Kind: mockserver.RawAnswer, Body: body})
			if ps, err := c.ListProjects(context.Background()); !transport.IsBadAnswer(err) || ps != nil {
				t.Fatalf("ListProjects = %+v, %v; want a bad answer", ps, err)
			}
		})
	}
	// An empty account may answer a null list.
	m, c := newMock(t)
	m.Inject(client.ActionDescribeProjectList, mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"Response":{"Projects":null,"Total":0,"RequestId":"r"}}`})
	if ps, err := c.ListProjects(context.Background()); err != nil || len(ps) != 0 {
		t.Fatalf("ListProjects of an empty account = %+v, %v", ps, err)
	}
}

func TestModifyAndDeleteAnswersAreChecked(t *testing.T) {
	m, c := newMock(t)
	id := m.PutProject(client.Project{Name: "a", PolicyMode: "black"})
	m.Inject(client.ActionModifyProject, mockserver.Fault{Kind: mockserver.RawAnswer, Body: "{}"})
	name := "b"
	if err := c.ModifyProject(context.Background(), client.ModifyProjectInput{ID: id, Name: &name}); !transport.IsBadAnswer(err) {
		t.Fatalf("ModifyProject answered {} = %v; want a bad answer", err)
	}
	m.Inject(client.ActionDeleteProject, mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"Response":{}}`})
	if err := c.DeleteProject(context.Background(), id); !transport.IsBadAnswer(err) {
		t.Fatalf("DeleteProject answered without a RequestId = %v; want a bad answer", err)
	}
}

// Something other than TRRO at the endpoint is named as such, without retries, and its answer
// is not dumped; a gateway's 5xx page is a server fault and retried.
func TestForeignAnswers(t *testing.T) {
	var calls int
	page := "<html><title>404 Not Found</title></html>"
	c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(page))
	}))
	err := c.ValidateCredentials(context.Background())
	f, ok := transport.AsForeignAnswer(err)
	if !ok || !client.IsWrongService(err) || f.Summary() != "HTTP 404 (text/html)" || calls != 1 {
		t.Fatalf("ValidateCredentials against a web server = %v (%d calls); want a foreign answer, not retried", err, calls)
	}
	if strings.Contains(err.Error(), "<title>") || !strings.Contains(err.Error(), "the endpoint does not look like the trro API") {
		t.Errorf("the error dumps the page or does not say what is wrong: %v", err)
	}

	calls = 0
	c = newClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls++
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
	}))
	err = c.ValidateCredentials(context.Background())
	if api, ok := transport.AsAPIError(err); !ok || !api.Temporary || calls != fastRetry.MaxAttempts || client.IsWrongService(err) {
		t.Fatalf("ValidateCredentials against a 502 page = %v (%d calls); want a temporary error, retried", err, calls)
	}

	c = newClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"Response":{"Error":{"Code":"InvalidAction","Message":"no such action"},"RequestId":"r"}}`))
	}))
	if err := c.ValidateCredentials(context.Background()); !client.IsWrongService(err) {
		t.Fatalf("ValidateCredentials against another Tencent Cloud API = %v; want the wrong service", err)
	}
}

func TestErrorClassification(t *testing.T) {
	m, c := newMock(t)
	ctx := context.Background()
	m.Inject(client.ActionDescribeProjectList, mockserver.Fault{Kind: mockserver.Throttle})
	if _, err := c.ListProjects(ctx); err != nil || m.Requests(client.ActionDescribeProjectList) != 2 {
		t.Fatalf("a throttled list = %v after %d calls; want retried once and fine", err, m.Requests(client.ActionDescribeProjectList))
	}
	// A create answered 5xx may have acted: it is not resent by the client.
	m.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.ServerError, Status: 502})
	if _, err := c.CreateProject(ctx, client.CreateProjectInput{Name: "x", PolicyMode: "black"}); !transport.IsOutcomeUnknown(err) ||
		m.Requests(client.ActionCreateProject) != 1 {
		t.Fatalf("CreateProject answered 502 = %v; want an unknown outcome, not resent", err)
	}

	wrong, err := client.New(client.Config{SecretID: testID, SecretKey: "wrong", Endpoint: c.Endpoint(), Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	err = wrong.ValidateCredentials(ctx)
	if api, ok := transport.AsAPIError(err); !ok || !client.IsAuthFailure(err) || api.RequestID == "" || !strings.Contains(api.Hint, "secret_key") {
		t.Fatalf("ValidateCredentials with a wrong key = %v; want AuthFailure with a request id and a hint", err)
	}
	denied := &transport.APIError{Code: "AuthFailure.UnauthorizedOperation"}
	if client.IsAuthFailure(denied) || !client.IsPermissionDenied(denied) {
		t.Errorf("AuthFailure.UnauthorizedOperation is a missing permission, not wrong credentials")
	}
}

func TestRedirectIsRefused(t *testing.T) {
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere++ }))
	t.Cleanup(other.Close)
	m, c := newMock(t)
	m.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.Redirect, Status: http.StatusTemporaryRedirect, Location: other.URL})
	_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "x", PolicyMode: "black"})
	var redirect *transport.RedirectError
	if !errors.As(err, &redirect) || redirect.Location != other.URL || elsewhere != 0 || len(m.Projects()) != 0 {
		t.Fatalf("CreateProject redirected = %v; the other host got %d requests", err, elsewhere)
	}
}

// A Response of the wrong types is named as the decoding of the Response by itself names it,
// whatever pass found it (the check decodes only the envelope's head).
func TestWrongTypesNameTheField(t *testing.T) {
	m, c := newMock(t)
	id := m.PutProject(client.Project{ID: "aaaaaaaaaaaaaaaa", Name: "a", PolicyMode: "black"})
	m.Inject(client.ActionDescribeProjectInfo, mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"Response":{"ProjectName":7,"PolicyMode":"black","RequestId":"r"}}`})
	if _, err := c.DescribeProject(context.Background(), id); !transport.IsBadAnswer(err) ||
		!strings.Contains(err.Error(), "(json: cannot unmarshal number into Go struct field wireProject.ProjectName of type string)") {
		t.Errorf("DescribeProject of a number for a name = %v", err)
	}
	m.Inject(client.ActionDescribeProjectList, mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"Response":{"Projects":{},"Total":1,"RequestId":"r"}}`})
	if _, err := c.ListProjects(context.Background()); !transport.IsBadAnswer(err) ||
		!strings.Contains(err.Error(), "(json: cannot unmarshal object into Go struct field .Projects of type []client.wireProject)") {
		t.Errorf("ListProjects of an object for the list = %v", err)
	}
}
