package trro

import (
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

const (
	testSecretID  = "AKIDprojectkitTESTKEY0000000000000"
	testSecretKey = "pkTestSecretKey0000000000000000x"
)

// TestMain keeps every variable the provider reads out of the tests' environment: credentials
// and settings come from the provider block, so that tests may run in parallel.
func TestMain(m *testing.M) {
	readAfterCreate = providerutil.ReadAfterCreate{MaxWait: time.Second, FirstDelay: 20 * time.Millisecond}
	acctest.Main(m, env.All()...)
}

// testEnv is one mock TRRO server and the provider configured against it.
type testEnv struct {
	t    *testing.T
	mock *mock.Server
	url  string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	m := mock.New()
	m.AddKey(testSecretID, testSecretKey, "")
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, mock: m, url: srv.URL}
}

// testProvider is the provider with retry delays short enough for tests.
func testProvider() *Provider {
	return &Provider{version: "test", configureClient: func(c *client.Config) {
		c.Retry = transport.RetryPolicy{MaxAttempts: 6, BaseDelay: 10 * time.Millisecond, MaxDelay: 100 * time.Millisecond}
	}}
}

// factories serve the provider in-process for terraform-plugin-testing.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		TypeName: providerserver.NewProtocol6WithError(testProvider()),
	}
}

// providerBlock configures the provider for the mock with secretKey.
func (e *testEnv) providerBlock(secretKey string) string {
	return fmt.Sprintf(`
provider "trro" {
  secret_id  = %q
  secret_key = %q
  region     = "ap-guangzhou"
  endpoint   = %q
}
`, testSecretID, secretKey, e.url)
}

// config is the provider block followed by body.
func (e *testEnv) config(body string) string {
	return e.providerBlock(testSecretKey) + body
}

// created returns the projects the mock holds (acctest.CheckDestroyed's list).
func (e *testEnv) created() []client.Project { return e.mock.Projects() }

// checkMockProject asserts that the project in state at addr exists in the mock as want
// (want.ID is ignored) and that the mock holds exactly count projects.
func (e *testEnv) checkMockProject(addr string, want client.Project, count int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		got, ok := e.mock.Project(rs.Primary.ID)
		if !ok {
			return fmt.Errorf("project %s of %s is not in the mock", rs.Primary.ID, addr)
		}
		want.ID, want.ModifyTime = got.ID, got.ModifyTime
		if got != want {
			return fmt.Errorf("mock project = %+v, want %+v", got, want)
		}
		if n := len(e.mock.Projects()); n != count {
			return fmt.Errorf("the mock holds %d projects, want %d", n, count)
		}
		return nil
	}
}

func TestAccProvider_missingCredentials(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "trro" {
  endpoint = %q
}
resource "trro_project" "test" {
  name = "creds"
}
`, e.url),
			ExpectError: acctest.ErrorPattern(`Missing trro provider credentials.*"secret_id" \(or the environment variable\s+TENCENTCLOUD_SECRET_ID\).*"secret_key" \(or the environment variable\s+TENCENTCLOUD_SECRET_KEY\)`),
		}},
	})
	acctest.CheckNoRequests(t, e.mock)
}

func TestAccProvider_environmentCredentials(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv("TENCENTCLOUD_SECRET_ID", testSecretID)
	t.Setenv("TENCENTCLOUD_SECRET_KEY", testSecretKey)
	t.Setenv("TRRO_ENDPOINT", e.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: `
provider "trro" {}
resource "trro_project" "test" {
  name = "from-env"
}
`,
			Check: e.checkMockProject("trro_project.test", client.Project{Name: "from-env", PolicyMode: "black"}, 1),
		}},
	})
}

// A provider configuration that depends on a resource not yet created is unknown during the
// plan: planning must work without calling the API, and the apply must then succeed.
func TestAccProvider_unknownConfiguration(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	cfg := fmt.Sprintf(`
resource "terraform_data" "key" {
  input = %q
}
provider "trro" {
  secret_id  = %q
  secret_key = terraform_data.key.output
  endpoint   = %q
}
resource "trro_project" "test" {
  name = "late-credentials"
}
`, testSecretKey, testSecretID, e.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: func() { acctest.CheckNoRequests(t, e.mock) },
				Config:    cfg,
				Check:     e.checkMockProject("trro_project.test", client.Project{Name: "late-credentials", PolicyMode: "black"}, 1),
			},
		},
	})
}

func TestAccProvider_authFailures(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	body := `
resource "trro_project" "test" {
  name = "auth"
}
`
	requestID := `Request ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				// The credentials check at Configure fails the plan, before any create.
				Config:      e.providerBlock("a-wrong-secret-key") + body,
				ExpectError: acctest.ErrorPattern(`Invalid trro provider credentials.*Operation: TRRO DescribeProjectList.*Error code: AuthFailure\.SignatureFailure.*` + requestID + `.*Check secret_key.*TENCENTCLOUD_SECRET_KEY`),
			},
			{
				Config: fmt.Sprintf(`
provider "trro" {
  secret_id  = "AKIDunknown"
  secret_key = %q
  endpoint   = %q
}
`, testSecretKey, e.url) + body,
				ExpectError: acctest.ErrorPattern(`Error code: AuthFailure\.SecretIdNotFound.*` + requestID),
			},
			{
				// A clock 10 minutes off makes every signature stale.
				PreConfig:   func() { e.mock.Now = func() time.Time { return time.Now().Add(10 * time.Minute) } },
				Config:      e.config(body),
				ExpectError: acctest.ErrorPattern(`Error code: AuthFailure\.SignatureExpire.*` + requestID + `.*Check this\s+machine's clock`),
			},
		},
	})
}

// factoriesFor serves p (for tests that need other client settings than testProvider's).
func factoriesFor(p *Provider) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){TypeName: providerserver.NewProtocol6WithError(p)}
}

// workdir serves testProvider() in the test's process for the whole test and returns an
// initialised terraform working directory whose main.tf holds config: for exit codes, timings,
// signals and `terraform show`. The provider reads the test's environment, not terraform's.
func (e *testEnv) workdir(config string) *acctest.Workdir {
	e.t.Helper()
	return e.workdirWith(testProvider(), config)
}

// workdirWith is workdir for another provider than testProvider().
func (e *testEnv) workdirWith(p *Provider, config string) *acctest.Workdir {
	e.t.Helper()
	return acctest.ServeWorkdir(e.t, TypeName, providerserver.NewProtocol6(p), config)
}

// providerBlockFor configures the provider with the test key for endpoint, plus extra lines.
func providerBlockFor(endpoint string, extra ...string) string {
	return fmt.Sprintf(`
provider "trro" {
  secret_id  = %q
  secret_key = %q
  endpoint   = %q
%s
}
`, testSecretID, testSecretKey, endpoint, strings.Join(extra, "\n"))
}

const oneProject = `
resource "trro_project" "test" {
  name = "checked"
}
`

// A wrong key fails `terraform plan` itself (exit 1, not 2 "changes present"), with the code,
// the request id and the settings to check; skip_credentials_validation and its variable turn
// the check off; the check runs once per credential set in a provider process.
func TestAccProvider_credentialsValidation(t *testing.T) {
	acctest.RequireAcc(t)
	plan := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
	t.Run("wrong key", func(t *testing.T) {
		e := newTestEnv(t)
		d := e.workdir(e.providerBlock("a-wrong-secret-key") + oneProject)
		out, code := d.Run(plan...)
		if code != 1 {
			t.Fatalf("plan with a wrong key exited %d, want 1:\n%s", code, out)
		}
		acctest.WantOutput(t, "the plan", out, "Invalid trro provider credentials", "Error code: AuthFailure.SignatureFailure", "Request ID:",
			`"secret_key" (or the environment variable TENCENTCLOUD_SECRET_KEY)`, `"secret_id" (or the environment variable TENCENTCLOUD_SECRET_ID)`,
			"skip_credentials_validation = true")
		if n, lists := e.mock.Requests(mockserver.AnyOperation), e.mock.Requests(client.ActionDescribeProjectList); n != lists || n < 1 {
			t.Errorf("the mock received %d requests, %d of them DescribeProjectList; want only the check", n, lists)
		}
	})
	for name, setup := range map[string]func(t *testing.T) string{
		"skipped by argument":    func(*testing.T) string { return "  skip_credentials_validation = true" },
		"skipped by environment": func(t *testing.T) string { t.Setenv("TRRO_SKIP_CREDENTIALS_VALIDATION", "true"); return "" },
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			body := strings.Replace(e.providerBlock("a-wrong-secret-key"), "}", setup(t)+"\n}", 1) + oneProject
			d := e.workdir(body)
			if out, code := d.Run(plan...); code != 2 {
				t.Fatalf("plan without the check exited %d, want 2 (changes, nothing called):\n%s", code, out)
			}
			acctest.CheckNoRequests(t, e.mock)
		})
	}
	t.Run("once per credential set", func(t *testing.T) {
		e := newTestEnv(t)
		d := e.workdir(e.config(oneProject))
		for range 2 {
			if out, code := d.Run(plan...); code != 2 {
				t.Fatalf("plan exited %d, want 2:\n%s", code, out)
			}
		}
		if n := e.mock.Requests(client.ActionDescribeProjectList); n != 1 {
			t.Errorf("two plans in one provider process checked the credentials %d times, want once", n)
		}
		// Another key is checked in its turn.
		e.mock.AddKey("AKIDsecondTESTKEY00000000000000000", "second-test-secret-key", "")
		other := fmt.Sprintf(`
provider "trro" {
  secret_id  = "AKIDsecondTESTKEY00000000000000000"
  secret_key = "second-test-secret-key"
  endpoint   = %q
}
`, e.url) + oneProject
		d.WriteMain(other)
		if out, code := d.Run(plan...); code != 2 {
			t.Fatalf("plan with the second key exited %d, want 2:\n%s", code, out)
		}
		if n := e.mock.Requests(client.ActionDescribeProjectList); n != 2 {
			t.Errorf("DescribeProjectList was called %d times after a second key, want 2", n)
		}
	})
}

// Failures that cannot heal end the plan within seconds, naming the argument and variable to
// fix; an answer from another service is named as such without dumping it.
func TestAccProvider_endpointFailuresFailFast(t *testing.T) {
	acctest.RequireAcc(t)
	serve := func(t *testing.T, status int, contentType, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	const otherJSON = `{"status":"ok","items":[{"name":"not-a-trro-project"}]}`
	const otherPage = `<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>`
	for _, tc := range []struct {
		name     string
		endpoint func(t *testing.T, e *testEnv) string
		want     []string
		notWant  string
	}{
		{"unresolvable host", func(*testing.T, *testEnv) string { return "https://trro.example.invalid" },
			[]string{"Cannot use the trro provider's endpoint", "no such host", "Check endpoint (TRRO_ENDPOINT)"}, ""},
		{"refused port", func(t *testing.T, _ *testEnv) string { return "http://" + acctest.FreePort(t) },
			[]string{"Cannot use the trro provider's endpoint", "connection refused", "Check endpoint (TRRO_ENDPOINT)"}, ""},
		{"untrusted certificate", func(t *testing.T, e *testEnv) string {
			srv := httptest.NewTLSServer(e.mock)
			t.Cleanup(srv.Close)
			return srv.URL
		}, []string{"certificate", "Check endpoint (TRRO_ENDPOINT) and ca_file (TRRO_CA_FILE) or insecure (TRRO_INSECURE)"}, ""},
		{"another service answering 200", func(t *testing.T, _ *testEnv) string { return serve(t, 200, "application/json", otherJSON) },
			[]string{"is not the TRRO API", "HTTP 200 (application/json)", "the endpoint does not look like the trro API", "Check endpoint (TRRO_ENDPOINT)"},
			`"not-a-trro-project"`},
		{"a web server's 404 page", func(t *testing.T, _ *testEnv) string { return serve(t, 404, "text/html", otherPage) },
			[]string{"is not the TRRO API", "HTTP 404 (text/html)", "the endpoint does not look like the trro API", "Check endpoint (TRRO_ENDPOINT)"},
			"<title>"},
		{"another Tencent Cloud API", func(t *testing.T, _ *testEnv) string {
			return serve(t, 200, "application/json",
				`{"Response":{"Error":{"Code":"InvalidAction","Message":"The action DescribeProjectList does not exist."},"RequestId":"3b4e1c55-0000-4000-8000-000000000001"}}`)
		}, []string{"is not the TRRO API", "InvalidAction", "the endpoint does not look like the trro API", "Check endpoint (TRRO_ENDPOINT)"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			d := e.workdir(providerBlockFor(tc.endpoint(t, e)) + oneProject)
			out, code, took := d.Timed("plan", "-input=false", "-no-color", "-detailed-exitcode")
			if code != 1 {
				t.Fatalf("plan exited %d, want 1:\n%s", code, out)
			}
			// About a second at most when idle; the margin is for a loaded machine.
			if took > 10*time.Second {
				t.Errorf("plan took %s to fail, want under 10s", took)
			}
			acctest.WantOutput(t, "the plan", out, tc.want...)
			if tc.notWant != "" && strings.Contains(out, tc.notWant) {
				t.Errorf("the plan dumps the foreign answer (%s):\n%s", tc.notWant, out)
			}
		})
	}
}

// ca_file trusts a private CA, insecure skips verification with a warning, and without either an
// untrusted certificate is refused at once (see TestAccProvider_endpointFailuresFailFast).
func TestAccProvider_tls(t *testing.T) {
	acctest.RequireAcc(t)
	e := newTestEnv(t)
	srv := httptest.NewTLSServer(e.mock)
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("ca_file", func(t *testing.T) {
		d := e.workdir(providerBlockFor(srv.URL, fmt.Sprintf("  ca_file = %q", caFile)) + projectConfig("over-tls", "", ""))
		out := d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
		if strings.Contains(out, "Warning") {
			t.Errorf("a trusted CA file gives a warning:\n%s", out)
		}
		st := d.State()["trro_project.test"]
		if _, ok := e.mock.Project(fmt.Sprint(st.Values["id"])); !ok || len(e.mock.Projects()) != 1 {
			t.Errorf("state %+v, mock %+v: want the one project created over TLS", st, e.mock.Projects())
		}
		d.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	})
	t.Run("ca_file from the environment", func(t *testing.T) {
		t.Setenv("TRRO_CA_FILE", caFile)
		d := e.workdir(providerBlockFor(srv.URL) + oneProject)
		if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 2 {
			t.Fatalf("plan with TRRO_CA_FILE exited %d, want 2:\n%s", code, out)
		}
	})
	t.Run("unreadable ca_file", func(t *testing.T) {
		d := e.workdir(providerBlockFor(srv.URL, `  ca_file = "/nonexistent/ca.pem"`) + oneProject)
		out, code := d.Run("plan", "-input=false", "-no-color")
		if code != 1 {
			t.Fatalf("plan exited %d, want 1:\n%s", code, out)
		}
		acctest.WantOutput(t, "the plan", out, "Invalid trro provider ca_file", "Check ca_file (TRRO_CA_FILE)")
	})
	t.Run("insecure", func(t *testing.T) {
		d := e.workdir(providerBlockFor(srv.URL, "  insecure = true") + projectConfig("unverified", "", ""))
		out := d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
		acctest.WantOutput(t, "the apply", out, "Warning: TLS certificate verification is off", "insecure = true (or TRRO_INSECURE)")
		if st := d.State()["trro_project.test"]; st.Values["name"] != "unverified" {
			t.Errorf("state = %+v, want the project", st)
		}
		d.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	})
	if n := len(e.mock.Projects()); n != 0 {
		t.Errorf("the mock holds %d projects after the destroys", n)
	}
}

// An http:// endpoint on a host that is not loopback is refused before any request, naming what
// would travel in clear, unless allow_plaintext_http (or its variable) says otherwise.
func TestAccProvider_plaintextHTTP(t *testing.T) {
	e := newTestEnv(t)
	remote := "http://trro.example.invalid"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:   providerBlockFor(remote, `  security_token = "a-session-token"`) + oneProject,
				PlanOnly: true,
				ExpectError: acctest.ErrorPattern(acctest.Literal("Plain HTTP endpoint refused", "http://trro.example.invalid uses plain http:// to trro.example.invalid, "+
					"a host that is not loopback: the security token (X-TC-Token), the signed requests (Authorization) and every project's data "+
					"would travel in clear. Use https://, or set allow_plaintext_http = true (or TRRO_ALLOW_PLAINTEXT_HTTP=true)")),
			},
			{
				// Allowed, the provider goes on to the host, which does not exist.
				Config:      providerBlockFor(remote, "  allow_plaintext_http = true") + oneProject,
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(acctest.Literal("cannot use http://trro.example.invalid")),
			},
			{
				PreConfig:   func() { t.Setenv("TRRO_ALLOW_PLAINTEXT_HTTP", "true") },
				Config:      providerBlockFor(remote) + oneProject,
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(acctest.Literal("cannot use http://trro.example.invalid")),
			},
		},
	})
	acctest.CheckNoRequests(t, e.mock)
}

// A hung API delays a plan by the plan-time lookup bound (15s), not minutes: the credentials
// check gives up with a warning and the plan goes on.
func TestAccProvider_hungAPIBoundsThePlan(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	if testing.Short() {
		t.Skip("takes 15 seconds")
	}
	e := newTestEnv(t)
	e.mock.Inject(client.ActionDescribeProjectList, mockserver.Fault{Kind: mockserver.Delay, Delay: 5 * time.Minute})
	d := e.workdir(e.config(`
resource "trro_project" "test" {
  count = 3
  name  = "hung-${count.index}"
}
`))
	out, code, took := d.Timed("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 {
		t.Fatalf("plan exited %d, want 2 (three creates):\n%s", code, out)
	}
	if took < providerutil.PlanLookupTimeout || took > 60*time.Second {
		t.Errorf("the plan took %s; want the %s bound, well under a minute", took, providerutil.PlanLookupTimeout)
	}
	acctest.WantOutput(t, "the plan", out, "Warning: trro provider credentials not checked", "within 15s")
}

// Every argument the environment table names is one of the provider block's.
func TestEnvDeclaresProviderArguments(t *testing.T) {
	var resp provider.SchemaResponse
	(&Provider{}).Schema(t.Context(), provider.SchemaRequest{}, &resp)
	for argument := range env {
		if _, ok := resp.Schema.Attributes[argument]; !ok {
			t.Errorf("env declares variables for %q, which the provider block does not have", argument)
		}
	}
}

// The credential check proves one set: a change of any setting that decides where and how the
// requests go (endpoint, region, ca_file, insecure) or of a credential is checked again.
func TestCredentialCheckSet(t *testing.T) {
	base := client.Config{SecretID: "id", SecretKey: "key", Endpoint: "https://trro.example.com", Region: "ap-guangzhou"}
	key := func(cfg client.Config) string {
		cfg.HTTPClient = &http.Client{} // the TLS settings are not used to build one here
		c, err := client.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return credentialCheck(c, cfg).Set.Key()
	}
	for name, change := range map[string]func(*client.Config){
		"endpoint":       func(c *client.Config) { c.Endpoint = "https://trro.intl.tencentcloudapi.com" },
		"region":         func(c *client.Config) { c.Region = "ap-beijing" },
		"ca_file":        func(c *client.Config) { c.TLS.CAFile = "/ca.pem" },
		"insecure":       func(c *client.Config) { c.TLS.Insecure = true },
		"secret_id":      func(c *client.Config) { c.SecretID = "other" },
		"secret_key":     func(c *client.Config) { c.SecretKey = "other" },
		"security_token": func(c *client.Config) { c.SecurityToken = "token" },
	} {
		cfg := base
		change(&cfg)
		if key(cfg) == key(base) {
			t.Errorf("a different %s is the same credential set", name)
		}
	}
}
