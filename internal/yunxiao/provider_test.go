package yunxiao

import (
	"encoding/pem"
	"fmt"
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
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/mock"
)

const (
	testAccessKeyID     = "LTAI5tProjectkitTestKey0"
	testAccessKeySecret = "pkTestAccessKeySecret000000000x"
	// testOrg is the provider's organization; secondOrg another one the key may use;
	// forbiddenOrg exists but the key may not use it.
	testOrg      = "5ebbc0228123212b59aaaaaa"
	secondOrg    = "5ebbc0228123212b59bbbbbb"
	forbiddenOrg = "66aa0000000000000000ffff"
	testTemplate = "704ea00000005efede61aaa5"
	otherTmpl    = "704ea00000005efede61bbb6"
	// testRetries is the retry policy's attempt count in tests.
	testRetries = 5
)

// TestMain keeps every variable the provider reads out of the tests' environment: credentials
// and settings come from the provider block, so that tests may run in parallel.
func TestMain(m *testing.M) {
	readAfterCreate = providerutil.ReadAfterCreate{MaxWait: time.Second, FirstDelay: 20 * time.Millisecond}
	newProjectGrace = providerutil.ReadAfterCreate{MaxWait: 3 * time.Second, FirstDelay: 20 * time.Millisecond}
	acctest.Main(m, env.All()...)
}

// testEnv is one mock Yunxiao server and the provider configured against it.
type testEnv struct {
	t    *testing.T
	mock *mock.Server
	url  string
	// srv serves the mock (over TLS when newTLSTestEnv made it).
	srv *httptest.Server
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, false)
}

// newTLSTestEnv is newTestEnv with the mock served over TLS, with httptest's self-signed
// certificate, which no system trusts.
func newTLSTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, true)
}

func newTestEnvWith(t *testing.T, tls bool) *testEnv {
	t.Helper()
	m := mock.New()
	for _, org := range []string{testOrg, secondOrg, forbiddenOrg} {
		m.AddOrganization(org, testTemplate, otherTmpl)
	}
	m.AddKey(testAccessKeyID, testAccessKeySecret, "", testOrg, secondOrg)
	srv := httptest.NewUnstartedServer(m)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return &testEnv{t: t, mock: m, url: srv.URL, srv: srv}
}

// testProvider is the provider with retry delays short enough for tests.
func testProvider() *Provider {
	return &Provider{version: "test", configureClient: func(c *client.Config) {
		c.Retry = transport.RetryPolicy{MaxAttempts: testRetries, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
	}}
}

// factories serve the provider in-process for terraform-plugin-testing.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		TypeName: providerserver.NewProtocol6WithError(testProvider()),
	}
}

// providerBlock configures the provider for the mock with secret and the default organization.
func (e *testEnv) providerBlock(secret string) string {
	return fmt.Sprintf(`
provider "yunxiao" {
  access_key_id     = %q
  access_key_secret = %q
  organization_id   = %q
  endpoint          = %q
}
`, testAccessKeyID, secret, testOrg, e.url)
}

// config is the provider block followed by body.
func (e *testEnv) config(body string) string {
	return e.providerBlock(testAccessKeySecret) + body
}

// configWith is config with extra arguments in the provider block, e.g. skip_conflict_check.
func (e *testEnv) configWith(providerArgs, body string) string {
	b := e.providerBlock(testAccessKeySecret)
	return b[:strings.LastIndex(b, "}")] + "  " + providerArgs + "\n}\n" + body
}

// created returns the projects of every organization of the mock (acctest.CheckDestroyed's
// list).
func (e *testEnv) created() []client.Project {
	var out []client.Project
	for _, org := range []string{testOrg, secondOrg, forbiddenOrg} {
		out = append(out, e.mock.Projects(org)...)
	}
	return out
}

// checkMockProject asserts that the project in state at addr exists in org of the mock with
// want's name, custom code, scope and description, and that org holds exactly count projects.
func (e *testEnv) checkMockProject(addr, org string, want client.Project, count int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		got, ok := e.mock.Project(org, rs.Primary.ID)
		if !ok {
			return fmt.Errorf("project %s of %s is not in organization %s of the mock", rs.Primary.ID, addr, org)
		}
		if got.Name != want.Name || got.CustomCode != want.CustomCode || got.Scope != want.Scope || got.Description != want.Description {
			return fmt.Errorf("mock project = %+v, want name %q, custom code %q, scope %q, description %q",
				got, want.Name, want.CustomCode, want.Scope, want.Description)
		}
		if n := len(e.mock.Projects(org)); n != count {
			return fmt.Errorf("organization %s holds %d projects, want %d", org, n, count)
		}
		return nil
	}
}

// validationCall is the operation the provider checks credentials with when it is configured.
const validationCall = "ListJoinedOrganizations"

// requestID matches the diagnostic line with the mock's request id.
const requestID = `Request ID: [0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`

const minimalProject = `
resource "yunxiao_project" "test" {
  name                = "creds"
  custom_code         = "CRED"
  template_identifier = "` + testTemplate + `"
}
`

func TestAccProvider_missingCredentials(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "yunxiao" {
  organization_id = %q
  endpoint        = %q
}
`, testOrg, e.url) + minimalProject,
			ExpectError: acctest.ErrorPattern(`Missing yunxiao provider credentials.*` +
				acctest.Literal(`"access_key_id" (or the environment variable ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY)`) + `.*` +
				acctest.Literal(`"access_key_secret" (or the environment variable ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY)`)),
		}},
	})
	acctest.CheckNoRequests(t, e.mock)
}

// The legacy ALICLOUD_* names work when the ALIBABA_CLOUD_* ones are unset, and the
// organization and endpoint come from YUNXIAO_*.
func TestAccProvider_environmentSettings(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv("ALICLOUD_ACCESS_KEY", testAccessKeyID)
	t.Setenv("ALICLOUD_SECRET_KEY", testAccessKeySecret)
	t.Setenv(EnvOrganizationID, testOrg)
	t.Setenv("YUNXIAO_ENDPOINT", e.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: `provider "yunxiao" {}` + minimalProject,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("yunxiao_project.test", tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrg)),
			},
			Check: e.checkMockProject("yunxiao_project.test", testOrg, client.Project{Name: "creds", CustomCode: "CRED", Scope: "private"}, 1),
		}},
	})
}

// ALIBABA_CLOUD_* wins over ALICLOUD_*: a wrong legacy secret is not used.
func TestAccProvider_environmentPrecedence(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", testAccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", testAccessKeySecret)
	t.Setenv("ALICLOUD_ACCESS_KEY", "LTAIlegacy")
	t.Setenv("ALICLOUD_SECRET_KEY", "legacy-wrong")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"yunxiao\" {\n  organization_id = %q\n  endpoint = %q\n}\n", testOrg, e.url) + minimalProject,
			Check:  e.checkMockProject("yunxiao_project.test", testOrg, client.Project{Name: "creds", CustomCode: "CRED", Scope: "private"}, 1),
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
provider "yunxiao" {
  access_key_id     = %q
  access_key_secret = terraform_data.key.output
  organization_id   = %q
  endpoint          = %q
}
`, testAccessKeySecret, testAccessKeyID, testOrg, e.url) + minimalProject
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: func() { acctest.CheckNoRequests(t, e.mock) },
				Config:    cfg,
				Check:     e.checkMockProject("yunxiao_project.test", testOrg, client.Project{Name: "creds", CustomCode: "CRED", Scope: "private"}, 1),
			},
		},
	})
}

// Wrong credentials fail the plan, when the provider is configured, with Yunxiao's code, the
// request id, a hint and the settings to check; nothing is created, and the credential check
// is not retried.
func TestAccProvider_authFailures(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	settings := acctest.Literal(`Check these settings:`) + `\s+` + acctest.Literal(`- "access_key_id" (or the environment variable ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY)`) +
		`\s+` + acctest.Literal(`- "access_key_secret" (or the environment variable ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY)`) +
		`\s+` + acctest.Literal(`- "security_token" (or the environment variable ALIBABA_CLOUD_SECURITY_TOKEN or ALICLOUD_SECURITY_TOKEN)`) +
		`\s+` + acctest.Literal(`- "endpoint" (or the environment variable YUNXIAO_ENDPOINT)`) + `.*` + `set skip_credentials_validation = true`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config:   e.providerBlock("a-wrong-secret") + minimalProject,
				PlanOnly: true,
				ExpectError: acctest.ErrorPattern(`Invalid yunxiao provider credentials.*Operation: Yunxiao ListJoinedOrganizations.*HTTP status: 400.*` +
					`Error code: SignatureDoesNotMatch.*Message: Specified signature does not match our calculation.*` + requestID + `.*Check access_key_secret.*` + settings),
			},
			{
				Config: fmt.Sprintf(`
provider "yunxiao" {
  access_key_id     = "LTAIunknown"
  access_key_secret = %q
  organization_id   = %q
  endpoint          = %q
}
`, testAccessKeySecret, testOrg, e.url) + minimalProject,
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(`Invalid yunxiao provider credentials.*HTTP status: 404.*Error code: InvalidAccessKeyId\.NotFound.*` + requestID + `.*Check access_key_id`),
			},
			{
				// STS credentials whose security token is stale (replaced by a newer one).
				PreConfig: func() { e.mock.AddKey("STS.pkExpired", testAccessKeySecret, "the-current-token", testOrg) },
				Config: fmt.Sprintf(`
provider "yunxiao" {
  access_key_id     = "STS.pkExpired"
  access_key_secret = %q
  security_token    = "an-expired-token"
  organization_id   = %q
  endpoint          = %q
}
`, testAccessKeySecret, testOrg, e.url) + minimalProject,
				PlanOnly: true,
				ExpectError: acctest.ErrorPattern(`Error code: InvalidSecurityToken\.Mismatch.*` + requestID + `.*` +
					acctest.Literal(`Check security_token (ALIBABA_CLOUD_SECURITY_TOKEN): temporary credentials need their current token.`)),
			},
			{
				// A clock 20 minutes off makes every signature stale.
				PreConfig:   func() { e.mock.Now = func() time.Time { return time.Now().Add(20 * time.Minute) } },
				Config:      e.config(minimalProject),
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(`Error code: InvalidTimeStamp\.Expired.*` + requestID + `.*` + `Check this machine's clock`),
			},
			{
				// Without the check, the apply's create reports the same failure.
				PreConfig: func() { e.mock.Now = time.Now },
				Config:    strings.Replace(e.providerBlock("a-wrong-secret"), "}", "  skip_credentials_validation = true\n}", 1) + minimalProject,
				ExpectError: acctest.ErrorPattern(`Error creating Yunxiao project.*Operation: Yunxiao CreateProject.*HTTP status: 400.*` +
					`Error code: SignatureDoesNotMatch.*` + requestID + `.*Check access_key_secret`),
			},
		},
	})
	// No credential failure leaves a project behind, and none is retried.
	if n := len(e.mock.Projects(testOrg)); n != 0 {
		t.Errorf("the mock holds %d projects after the credential failures", n)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("CreateProject was sent %d times, want 1 (only with skip_credentials_validation)", n)
	}
	if n := e.mock.Requests(validationCall); n != 4 {
		t.Errorf("%s was sent %d times, want 4 (one per failing step, no retries)", validationCall, n)
	}
}

func TestAccProvider_forbiddenOrganization(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "yunxiao_project" "test" {
  organization_id     = "` + forbiddenOrg + `"
  name                = "elsewhere"
  custom_code         = "ELSE"
  template_identifier = "` + testTemplate + `"
}
`),
			ExpectError: acctest.ErrorPattern(`Error creating Yunxiao project.*Operation: Yunxiao CreateProject.*HTTP status: 403.*` +
				`Error code: Operate\.NoPermission.*Message: NoPermission.*` + requestID + `.*` + `check organization_id`),
		}},
	})
}

func TestAccProvider_invalidSettings(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ block, want string }{
		"endpoint without scheme": {
			`endpoint = "devops.cn-hangzhou.aliyuncs.com"`,
			`Invalid endpoint.*` + acctest.Literal(`"devops.cn-hangzhou.aliyuncs.com" is not a full URL such as https://devops.cn-hangzhou.aliyuncs.com`),
		},
		"endpoint with path": {
			`endpoint = "https://devops.cn-hangzhou.aliyuncs.com/api"`,
			`Invalid endpoint.*` + `must be a scheme and host only`,
		},
		"organization with slash": {
			`organization_id = "a/b"`,
			`organization_id ` + acctest.Literal(`must be a Yunxiao organization id, e.g. 5ebbc0228123212b59xxxxx: no spaces or "/"`),
		},
		"rate limit": {
			`max_requests_per_second = 0`,
			`max_requests_per_second ` + `value must be between`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "yunxiao" {
  access_key_id     = %q
  access_key_secret = %q
  %s
}
`, testAccessKeyID, testAccessKeySecret, tc.block) + minimalProject,
					PlanOnly:    true,
					ExpectError: acctest.ErrorPattern(tc.want),
				}},
			})
			acctest.CheckNoRequests(t, e.mock)
		})
	}
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

// failFastLimit is how long a failure that cannot heal may take, with a wide margin for a
// loaded machine (they take about a second).
const failFastLimit = 10 * time.Second

// A wrong key fails `terraform plan` (exit 1, not 2 "changes present") when the provider is
// configured, with Yunxiao's code, the request id and the settings to check.
// skip_credentials_validation (or its variable) turns the check off; a set of credentials is
// checked once per process however many commands configure the provider.
func TestAccProvider_credentialsValidation(t *testing.T) {
	acctest.RequireAcc(t)
	e := newTestEnv(t)
	wrong := e.workdirWith(&Provider{version: "test"}, e.providerBlock("a-wrong-secret")+minimalProject)
	out, code, took := wrong.Timed("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 1 || took > failFastLimit || !acctest.ErrorPattern(`Error: Invalid yunxiao provider credentials.*Operation: Yunxiao ListJoinedOrganizations.*`+
		`Error code: SignatureDoesNotMatch.*Request ID: [0-9A-F-]{36}.*Check these settings:.*"access_key_secret" \(or the environment variable `+
		`ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY\).*skip_credentials_validation = true`).MatchString(out) {
		t.Errorf("plan with a wrong secret: exit %d after %s, want 1 naming the code, request id and settings:\n%s", code, took, out)
	}
	if n := e.mock.Requests("ListProjects") + e.mock.Requests("CreateProject"); n != 0 {
		t.Errorf("%d project calls were sent with wrong credentials", n)
	}

	// Turned off by the variable, the plan goes on (the conflict check only warns).
	t.Setenv("YUNXIAO_SKIP_CREDENTIALS_VALIDATION", "true")
	out, code = wrong.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !strings.Contains(out, "Could not check whether custom_code is free") {
		t.Errorf("plan with the check skipped: exit %d, want 2 with the conflict check's warning:\n%s", code, out)
	}
	t.Setenv("YUNXIAO_SKIP_CREDENTIALS_VALIDATION", "")

	right := e.workdirWith(&Provider{version: "test"}, e.config(minimalProject))
	before := e.mock.Requests(validationCall)
	for range 2 {
		if out, code := right.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 2 {
			t.Errorf("plan with the right credentials: exit %d:\n%s", code, out)
		}
	}
	if n := e.mock.Requests(validationCall) - before; n != 1 {
		t.Errorf("two plans checked the same credentials %d times, want once per process", n)
	}
}

// Failures that cannot heal fail within seconds, exit 1, and name the argument and its
// variable: a host that does not resolve, a refused port, a TLS failure (TestAccProvider_tls),
// and another service answering at the endpoint (a 404 page, a 200 that is not Yunxiao's
// envelope, another Alibaba Cloud API that does not know the call).
func TestAccProvider_endpointFailuresFailFast(t *testing.T) {
	acctest.RequireAcc(t)
	refused := func() string { return "http://" + acctest.FreePort(t) }
	serve := func(status int, contentType, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	wrongService := `the endpoint does not look like the yunxiao API.*endpoint \(YUNXIAO_ENDPOINT\)`
	for name, tc := range map[string]struct{ endpoint, want string }{
		"unresolvable host": {"https://devops.example.invalid", `Cannot use the yunxiao provider's endpoint.*cannot use https://devops.example.invalid: .*no such host.*Check endpoint \(YUNXIAO_ENDPOINT\)`},
		"refused port":      {refused(), `Cannot use the yunxiao provider's endpoint.*connection refused.*Check endpoint \(YUNXIAO_ENDPOINT\)`},
		"404 page":          {serve(http.StatusNotFound, "text/html", "<html><body><h1>404 Not Found</h1>nginx</body></html>"), `HTTP status: 404.*` + wrongService},
		"200 of another service": {serve(http.StatusOK, "application/json", `{"status":"UP","version":"2.7.1"}`),
			`The yunxiao provider's endpoint is not the Yunxiao API.*` + wrongService},
		"another Alibaba Cloud API": {serve(http.StatusNotFound, "application/json",
			`{"RequestId":"5E7B6B2C-0000-4000-8000-00000000ABCD","Code":"InvalidAction.NotFound","Message":"Specified api is not found, please check your url and method."}`),
			`Error code: InvalidAction.NotFound.*Request ID: 5E7B6B2C-0000-4000-8000-00000000ABCD.*` + wrongService},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			cfg := strings.Replace(e.config(minimalProject), e.url, tc.endpoint, 1)
			wd := e.workdirWith(&Provider{version: "test"}, cfg)
			out, code, took := wd.Timed("plan", "-input=false", "-no-color", "-detailed-exitcode")
			if code != 1 || took > failFastLimit || !acctest.ErrorPattern(tc.want).MatchString(out) {
				t.Errorf("plan against %s: exit %d after %s, want 1 within %s matching %q:\n%s", tc.endpoint, code, took, failFastLimit, tc.want, out)
			}
		})
	}
}

// tlsErrorPattern matches the error of an untrusted certificate: not retried, naming the
// endpoint and the TLS settings with their variables.
var tlsErrorPattern = acctest.ErrorPattern(`Cannot use the yunxiao provider's endpoint.*Yunxiao ListJoinedOrganizations: cannot use https://127\.0\.0\.1:\d+: .*certificate.*` +
	acctest.Literal(`Check endpoint (YUNXIAO_ENDPOINT) and ca_file (YUNXIAO_CA_FILE) or insecure (YUNXIAO_INSECURE)`))

// An endpoint whose certificate is not trusted fails at once, naming ca_file and insecure; with
// ca_file pointing at the certificate (argument or YUNXIAO_CA_FILE) it works; with insecure it
// works and warns. A CA file that cannot be read fails the configuration, naming ca_file.
func TestAccProvider_tls(t *testing.T) {
	e := newTLSTestEnv(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	var started time.Time
	var untrustedTook time.Duration
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){TypeName: providerserver.NewProtocol6WithError(&Provider{version: "test"})},
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { started = time.Now() },
				Config:      e.config(base("secure", "SECU").String()),
				PlanOnly:    true,
				ExpectError: tlsErrorPattern,
			},
			{
				PreConfig: func() {
					untrustedTook = time.Since(started)
					if n := e.mock.Requests(mockserver.AnyOperation); n != 0 {
						t.Errorf("%d requests reached the mock through an untrusted certificate", n)
					}
				},
				Config:      e.configWith(`ca_file = "/nonexistent/ca.pem"`, base("secure", "SECU").String()),
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(`Invalid yunxiao provider ca_file.*reading the CA file.*` + acctest.Literal(`Check ca_file (YUNXIAO_CA_FILE)`)),
			},
			{
				Config: e.configWith(fmt.Sprintf("ca_file = %q", caFile), base("secure", "SECU").String()),
				Check:  e.checkMockProject(projectAddr, testOrg, client.Project{Name: "secure", CustomCode: "SECU", Scope: "private"}, 1),
			},
			{
				PreConfig: func() { t.Setenv("YUNXIAO_CA_FILE", caFile) },
				Config:    e.config(base("secure", "SECU").String()),
				PlanOnly:  true,
			},
		},
	})
	if untrustedTook > failFastLimit {
		t.Errorf("the untrusted certificate took %s to fail; it must not be retried", untrustedTook)
	}
	t.Setenv("YUNXIAO_CA_FILE", "")
	// insecure: the plan works, with a warning that terraform shows.
	wd := e.workdirWith(&Provider{version: "test"}, e.configWith("insecure = true", base("insecure", "INSC").String()))
	out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !acctest.ErrorPattern(`Warning: TLS certificate verification is off.*insecure = true \(or YUNXIAO_INSECURE\) makes the yunxiao provider accept any certificate`).MatchString(out) {
		t.Errorf("plan with insecure = true (exit %d):\n%s", code, out)
	}
}

// An http:// endpoint whose host is not loopback is refused when the provider is configured,
// before any request, naming what would travel in clear and the opt-in; with
// allow_plaintext_http (or YUNXIAO_ALLOW_PLAINTEXT_HTTP) it is used, and a host that does not
// resolve then fails at once naming endpoint and YUNXIAO_ENDPOINT. Loopback stays allowed (every
// other test).
func TestAccProvider_plaintextHTTP(t *testing.T) {
	e := newTestEnv(t)
	block := func(extra string) string {
		return fmt.Sprintf("provider \"yunxiao\" {\n  access_key_id = %q\n  access_key_secret = %q\n  organization_id = %q\n  endpoint = \"http://example.invalid\"\n  %s\n}\n",
			testAccessKeyID, testAccessKeySecret, testOrg, extra) + minimalProject
	}
	unresolvable := acctest.ErrorPattern(`Cannot use the yunxiao provider's endpoint.*cannot use http://example\.invalid: .*no such host.*` + acctest.Literal(`Check endpoint (YUNXIAO_ENDPOINT)`))
	var stamps []time.Time
	timed := func() { stamps = append(stamps, time.Now()) }
	p := &Provider{version: "test"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){TypeName: providerserver.NewProtocol6WithError(p)},
		Steps: []resource.TestStep{
			{
				Config:   block(""),
				PlanOnly: true,
				ExpectError: acctest.ErrorPattern(`Plain HTTP endpoint refused.*` + acctest.Literal(`The yunxiao provider's endpoint (YUNXIAO_ENDPOINT) http://example.invalid uses plain http:// to example.invalid, a host that is not loopback: `+
					`the AccessKey ID, the request signatures, the security token and all project data would travel in clear. Use https://, or set allow_plaintext_http = true (or YUNXIAO_ALLOW_PLAINTEXT_HTTP=true) if this network is trusted`)),
			},
			{PreConfig: timed, Config: block("allow_plaintext_http = true"), PlanOnly: true, ExpectError: unresolvable},
			{
				PreConfig: func() {
					timed()
					t.Setenv("YUNXIAO_ALLOW_PLAINTEXT_HTTP", "true")
				},
				Config:      block(""),
				PlanOnly:    true,
				ExpectError: unresolvable,
			},
			{
				PreConfig: func() {
					timed()
					t.Setenv("YUNXIAO_ALLOW_PLAINTEXT_HTTP", "yes please")
				},
				Config:   block(""),
				PlanOnly: true,
				ExpectError: acctest.ErrorPattern(acctest.Literal(`Invalid environment variable YUNXIAO_ALLOW_PLAINTEXT_HTTP`,
					`The environment variable YUNXIAO_ALLOW_PLAINTEXT_HTTP (the fallback of allow_plaintext_http) must be true or false, not "yes please".`)),
			},
		},
	})
	for i := 1; i < len(stamps); i++ {
		if d := stamps[i].Sub(stamps[i-1]); d > failFastLimit {
			t.Errorf("step %d took %s; an unresolvable host must fail at once", i+1, d)
		}
	}
	acctest.CheckNoRequests(t, e.mock)
}

// A plan against an API that hangs on the conflict check's listing waits at most
// providerutil.PlanLookupTimeout (15 s) once, whatever the number of planned creates, and warns.
func TestAccProvider_hungAPIBoundsThePlan(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.mock.Inject("ListProjects", mockserver.Fault{Kind: mockserver.Delay, Delay: 3 * time.Minute})
	var body strings.Builder
	for i, code := range []string{"HUNGA", "HUNGB", "HUNGC"} {
		fmt.Fprintf(&body, "resource \"yunxiao_project\" \"p%d\" {\n  name = \"hung-%d\"\n  custom_code = %q\n  template_identifier = %q\n}\n", i, i, code, testTemplate)
	}
	wd := e.workdir(e.config(body.String()))
	out, code, took := wd.Timed("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !acctest.ErrorPattern(`Warning: Could not check whether custom_code is free.*bounded to 15s.*timed out after 15s`).MatchString(out) {
		t.Errorf("plan against a hung listing: exit %d, want 2 with the warning:\n%s", code, out)
	}
	if took > 45*time.Second || took < 15*time.Second {
		t.Errorf("the plan took %s; the bounded lookup should end it after about 15s", took)
	}
	if n := e.mock.Requests("ListProjects"); n != 1 {
		t.Errorf("ListProjects was sent %d times, want once for the three resources", n)
	}
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
// requests go (endpoint, ca_file, insecure) or of a credential is checked again.
func TestCredentialCheckSet(t *testing.T) {
	base := client.Config{AccessKeyID: "id", AccessKeySecret: "secret", Endpoint: "https://devops.example.com"}
	key := func(cfg client.Config) string {
		cfg.HTTPClient = &http.Client{} // the TLS settings are not used to build one here
		c, err := client.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return credentialCheck(c, cfg).Set.Key()
	}
	for name, change := range map[string]func(*client.Config){
		"endpoint":          func(c *client.Config) { c.Endpoint = client.DefaultEndpoint },
		"ca_file":           func(c *client.Config) { c.TLS.CAFile = "/ca.pem" },
		"insecure":          func(c *client.Config) { c.TLS.Insecure = true },
		"access_key_id":     func(c *client.Config) { c.AccessKeyID = "other" },
		"access_key_secret": func(c *client.Config) { c.AccessKeySecret = "other" },
		"security_token":    func(c *client.Config) { c.SecurityToken = "token" },
	} {
		cfg := base
		change(&cfg)
		if key(cfg) == key(base) {
			t.Errorf("a different %s is the same credential set", name)
		}
	}
}
