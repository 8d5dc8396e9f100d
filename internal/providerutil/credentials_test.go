package providerutil

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// Every setting that decides where and how the requests go, and every credential, makes a set
// of its own; the key keeps no secret.
func TestCredentialSetKey(t *testing.T) {
	base := CredentialSet{Endpoint: "https://api.example.com", Region: "r1", TLS: transport.TLSSettings{CAFile: "/ca.pem"},
		Identity: []string{"id", "secret", ""}}
	key := base.Key()
	if strings.Contains(key, "secret") || key != base.Key() {
		t.Fatalf("Key = %s", key)
	}
	variants := map[string]func(s *CredentialSet){
		"endpoint":                      func(s *CredentialSet) { s.Endpoint = "https://other.example.com" },
		"region":                        func(s *CredentialSet) { s.Region = "r2" },
		"ca_file":                       func(s *CredentialSet) { s.TLS.CAFile = "/other.pem" },
		"PEM text":                      func(s *CredentialSet) { s.TLS.CAPEM = "-----BEGIN CERTIFICATE-----" },
		"insecure":                      func(s *CredentialSet) { s.TLS.Insecure = true },
		"secret":                        func(s *CredentialSet) { s.Identity = []string{"id", "other", ""} },
		"token":                         func(s *CredentialSet) { s.Identity = []string{"id", "secret", "token"} },
		"the same text in other places": func(s *CredentialSet) { s.Identity = []string{"idsecret", "", ""} },
		"a part moved":                  func(s *CredentialSet) { s.Identity = []string{"", "id", "secret"} },
	}
	for name, change := range variants {
		s := base
		s.Identity = append([]string(nil), base.Identity...)
		change(&s)
		if s.Key() == key {
			t.Errorf("a different %s has the same key", name)
		}
	}
}

// testCheck is a provider's check: its predicates recognise TRRO-like codes.
func testCheck(run func(context.Context) (any, error)) CredentialCheck {
	hasPrefix := func(prefix string) func(error) bool {
		return func(err error) bool {
			api, ok := transport.AsAPIError(err)
			return ok && strings.HasPrefix(api.Code, prefix)
		}
	}
	return CredentialCheck{
		Provider: "test", Service: "Test", Call: "ListThings",
		Set:               CredentialSet{Endpoint: "https://api.example.com", Identity: []string{"id", "secret"}},
		EndpointAttribute: "endpoint", EndpointSetting: "endpoint (TEST_ENDPOINT)", EndpointShouldBe: "the Test API, such as https://api.example.com",
		Settings:           []Setting{{Argument: "secret", Env: []string{"TEST_SECRET"}}},
		Skip:               "skip_credentials_validation = true (or TEST_SKIP=true)",
		PermissionNote:     "Creates need it.",
		Run:                run,
		IsAuthFailure:      hasPrefix("AuthFailure"),
		IsPermissionDenied: hasPrefix("UnauthorizedOperation"),
		IsWrongService:     hasPrefix("InvalidAction"),
	}
}

func foreign(status int, contentType string, err error) error {
	return transport.ForeignAnswer("https://api.example.com", &transport.Response{StatusCode: status,
		Header: http.Header{"Content-Type": {contentType}}}, err)
}

func apiError(status int, code string) *transport.APIError {
	return &transport.APIError{Service: "Test", Operation: "ListThings", StatusCode: status, Code: code, Message: "the message of " + code,
		RequestID: "req-" + code}
}

// The one classification: what each answer to the credential check becomes, and what its
// diagnostic shows.
func TestCredentialCheckClassification(t *testing.T) {
	throttled := apiError(429, "RequestLimitExceeded")
	throttled.Throttled = true
	serverFault := apiError(503, "InternalError")
	serverFault.Temporary = true
	pageFault := &transport.APIError{Service: "Test", Operation: "ListThings", StatusCode: 502, Message: "<html>bad gateway</html>", Temporary: true}
	page := &transport.APIError{Service: "Test", Operation: "ListThings", StatusCode: 404, Message: "<html><title>404 Not Found</title></html>"}
	bad := &transport.BadAnswerError{Service: "Test", Operation: "ListThings", StatusCode: 200, RequestID: "req-bad",
		Reason: "it has no things list", Excerpt: `{"items":["private-item"]}`}
	for _, tc := range []struct {
		name    string
		err     error
		want    CredentialOutcome
		detail  []string // in the diagnostic's detail
		notWant string
	}{
		{"success", nil, CredentialsProved, nil, ""},
		{"cloud's auth code", apiError(200, "AuthFailure.SignatureFailure"), CredentialsRefused,
			[]string{"Error code: AuthFailure.SignatureFailure", "Message: the message of AuthFailure.SignatureFailure", "Request ID: req-AuthFailure.SignatureFailure", `"secret" (or the environment variable TEST_SECRET)`, "skip_credentials_validation = true"}, ""},
		{"HTTP 401", apiError(401, "APIGW.0301"), CredentialsRefused, []string{"HTTP status: 401", "Error code: APIGW.0301", "Request ID: req-APIGW.0301"}, ""},
		{"cloud's permission code", apiError(200, "UnauthorizedOperation"), CredentialsLackPermission,
			[]string{"Error code: UnauthorizedOperation", "Request ID: req-UnauthorizedOperation", "Creates need it."}, ""},
		{"HTTP 403", apiError(403, "Forbidden"), CredentialsLackPermission, []string{"HTTP status: 403", "Error code: Forbidden"}, ""},
		{"throttled", throttled, CheckThrottled, []string{"Error code: RequestLimitExceeded", "Request ID: req-RequestLimitExceeded"}, ""},
		{"throttled until the timeout", &transport.TimeoutError{Operation: "ListThings", Limit: PlanLookupTimeout, Err: throttled}, CheckThrottled, nil, ""},
		{"timed out", &transport.TimeoutError{Operation: "ListThings", Limit: PlanLookupTimeout, Elapsed: PlanLookupTimeout, Sent: true, Err: context.DeadlineExceeded},
			CheckTimedOut, []string{"within 15s"}, ""},
		{"server fault", serverFault, CheckFailed, []string{"HTTP status: 503", "Request ID: req-InternalError"}, ""},
		{"a load balancer's 502 page", foreign(502, "text/html", pageFault), CheckFailed, nil, ""},
		{"connection reset", &transport.NetworkError{Operation: "ListThings", Err: io.ErrUnexpectedEOF}, CheckFailed, nil, ""},
		{"interrupted", &transport.InterruptedError{Operation: "ListThings", Err: context.Canceled}, CheckFailed, nil, ""},
		{"unresolvable host", &transport.EndpointError{Service: "Test", Operation: "ListThings", URL: "https://api.example.com",
			Setting: "endpoint (TEST_ENDPOINT)", Err: errors.New("no such host")}, EndpointUnusable, []string{"no such host", "Check endpoint (TEST_ENDPOINT)"}, ""},
		{"redirect", &transport.RedirectError{Service: "Test", Operation: "ListThings", StatusCode: 308, Location: "https://elsewhere.example.com",
			Setting: "endpoint (TEST_ENDPOINT)"}, EndpointUnusable, []string{"HTTP 308", "https://elsewhere.example.com"}, ""},
		{"a web server's page", foreign(404, "text/html", page), EndpointNotTheAPI,
			[]string{"with HTTP 404 (text/html)", "HTTP status: 404 (text/html)", "does not look like the test API", "Check endpoint (TEST_ENDPOINT)"}, "<title>"},
		{"a proxy's 401 page", foreign(401, "text/html", &transport.APIError{Service: "Test", Operation: "ListThings", StatusCode: 401, Message: "<html>login</html>"}),
			EndpointNotTheAPI, []string{"HTTP status: 401 (text/html)"}, "login"},
		{"another service's 200", foreign(200, "application/json", bad), EndpointNotTheAPI,
			[]string{"HTTP status: 200 (application/json)", "Request ID: req-bad", "it has no things list"}, "private-item"},
		{"another API of the cloud", apiError(200, "InvalidAction"), EndpointNotTheAPI,
			[]string{"as no Test API would", "Error code: InvalidAction", "Message: the message of InvalidAction", "Request ID: req-InvalidAction"}, ""},
		{"a gateway's envelope", foreign(404, "application/json", apiError(404, "InvalidAction.NotFound")), EndpointNotTheAPI,
			[]string{"Error code: InvalidAction.NotFound", "Request ID: req-InvalidAction.NotFound"}, ""},
		{"a bad answer", bad, AnswerUntrustworthy, []string{"it has no things list", "req-bad", "Check endpoint (TEST_ENDPOINT)"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			c := testCheck(func(context.Context) (any, error) { calls++; return "answer", tc.err })
			if got := c.Classify(tc.err); got != tc.want {
				t.Fatalf("Classify = %s, want %s", got, tc.want)
			}
			var checked CheckedCredentials
			var diags diag.Diagnostics
			answer := checked.Check(context.Background(), c, &diags)
			if tc.want == CredentialsProved {
				if answer != "answer" || len(diags) != 0 || checked.Check(context.Background(), c, &diags) != "answer" || calls != 1 {
					t.Errorf("a success: answer %v, diagnostics %v, %d calls for two checks; want the answer kept and one call", answer, diags, calls)
				}
				return
			}
			if answer != nil || len(diags) != 1 || diags.HasError() != tc.want.IsError() {
				t.Fatalf("answer %v, diagnostics %v; want one %s", answer, diags, map[bool]string{true: "error", false: "warning"}[tc.want.IsError()])
			}
			d := diags[0]
			for _, want := range append(tc.detail, "To skip this check, set skip_credentials_validation = true (or TEST_SKIP=true).") {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("the detail lacks %q:\n%s: %s", want, d.Summary(), d.Detail())
				}
			}
			if tc.notWant != "" && strings.Contains(d.Detail(), tc.notWant) {
				t.Errorf("the detail dumps the answer (%q):\n%s", tc.notWant, d.Detail())
			}
			withPath, ok := d.(diag.DiagnosticWithPath)
			endpointAttached := ok && withPath.Path().Equal(path.Root("endpoint"))
			if wantAttached := tc.want == EndpointUnusable || tc.want == EndpointNotTheAPI || tc.want == AnswerUntrustworthy; endpointAttached != wantAttached {
				t.Errorf("attached to the endpoint argument: %v, want %v", endpointAttached, wantAttached)
			}
			// What did not prove the credentials is checked again by the next configuration.
			checked.Check(context.Background(), c, &diags)
			if calls != 2 {
				t.Errorf("%d calls for two checks, want 2", calls)
			}
		})
	}
}

// The summaries every provider shares, with its type and service in them.
func TestCredentialCheckSummaries(t *testing.T) {
	c := testCheck(nil)
	want := map[CredentialOutcome]string{
		EndpointUnusable:          "Cannot use the test provider's endpoint",
		EndpointNotTheAPI:         "The test provider's endpoint is not the Test API",
		CredentialsRefused:        "Invalid test provider credentials",
		AnswerUntrustworthy:       "Untrustworthy answer to the test provider's credential check",
		CredentialsLackPermission: "test provider credentials not fully checked",
		CheckThrottled:            "test provider credentials not checked",
		CheckTimedOut:             "test provider credentials not checked",
		CheckFailed:               "test provider credentials not checked",
	}
	for outcome, summary := range want {
		var diags diag.Diagnostics
		c.report(outcome, errors.New("x"), &diags)
		if len(diags) != 1 || diags[0].Summary() != summary {
			t.Errorf("%s: %v, want %q", outcome, diags, summary)
		}
	}
}

// The check is bounded by PlanLookupTimeout and its log lines name the provider.
func TestCredentialCheckContext(t *testing.T) {
	c := testCheck(func(ctx context.Context) (any, error) {
		deadline, ok := ctx.Deadline()
		if !ok || time.Until(deadline) > PlanLookupTimeout {
			t.Errorf("the check's deadline: %v, %v", deadline, ok)
		}
		return nil, nil
	})
	var checked CheckedCredentials
	var diags diag.Diagnostics
	checked.Check(context.Background(), c, &diags)
	if !checked.Checked(c.Set.Key()) || len(diags) != 0 {
		t.Errorf("a success is not remembered: %v", diags)
	}
}
