package yunxiao

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
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

func TestMain(m *testing.M) {
	acctest.Main(m)
}

// testEnv is one mock Yunxiao server and the provider configured against it.
type testEnv struct {
	t    *testing.T
	mock *mock.Server
	url  string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	m := mock.New()
	for _, org := range []string{testOrg, secondOrg, forbiddenOrg} {
		m.AddOrganization(org, testTemplate, otherTmpl)
	}
	m.AddKey(testAccessKeyID, testAccessKeySecret, "", testOrg, secondOrg)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	// Credentials and settings come from the provider block only.
	for _, env := range []string{EnvAccessKeyID, EnvAccessKeyIDLegacy, EnvAccessKeySecret, EnvAccessKeySecretLegacy,
		EnvSecurityToken, EnvSecurityTokenLegacy, EnvOrganizationID, EnvEndpoint} {
		t.Setenv(env, "")
	}
	return &testEnv{t: t, mock: m, url: srv.URL}
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

// checkDestroy asserts that no organization of the mock holds a project.
func (e *testEnv) checkDestroy(*terraform.State) error {
	for _, org := range []string{testOrg, secondOrg, forbiddenOrg} {
		if n := len(e.mock.Projects(org)); n != 0 {
			return fmt.Errorf("organization %s still holds %d project(s) after destroy: %+v", org, n, e.mock.Projects(org))
		}
	}
	return nil
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

// checkNoRequests asserts that nothing reached the mock.
func (e *testEnv) checkNoRequests() {
	e.t.Helper()
	if n := e.mock.Requests(mockserver.AnyOperation); n != 0 {
		e.t.Errorf("the mock received %d request(s); a plan-time validation must send none", n)
	}
}

// requestID matches the diagnostic line with the mock's request id.
const requestID = `Request ID: [0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`

// ws lets a regexp match text that Terraform wrapped onto several lines.
func ws(s string) string { return strings.ReplaceAll(s, " ", `\s+`) }

// wsq is ws for literal text.
func wsq(s string) string { return ws(regexp.QuoteMeta(s)) }

const minimalProject = `
resource "yunxiao_project" "test" {
  name                = "creds"
  custom_code         = "CRED"
  template_identifier = "` + testTemplate + `"
}
`

func TestAccProvider_missingCredentials(t *testing.T) {
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
			ExpectError: regexp.MustCompile(`(?s)Missing yunxiao provider credentials.*` +
				wsq(`"access_key_id" (or the environment variable ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY)`) + `.*` +
				wsq(`"access_key_secret" (or the environment variable ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY)`)),
		}},
	})
	e.checkNoRequests()
}

// The legacy ALICLOUD_* names work when the ALIBABA_CLOUD_* ones are unset, and the
// organization and endpoint come from YUNXIAO_*.
func TestAccProvider_environmentSettings(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv(EnvAccessKeyIDLegacy, testAccessKeyID)
	t.Setenv(EnvAccessKeySecretLegacy, testAccessKeySecret)
	t.Setenv(EnvOrganizationID, testOrg)
	t.Setenv(EnvEndpoint, e.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: `provider "yunxiao" {}` + minimalProject,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("yunxiao_project.test", "organization_id", testOrg),
				e.checkMockProject("yunxiao_project.test", testOrg, client.Project{Name: "creds", CustomCode: "CRED", Scope: "private"}, 1),
			),
		}},
	})
}

// ALIBABA_CLOUD_* wins over ALICLOUD_*: a wrong legacy secret is not used.
func TestAccProvider_environmentPrecedence(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv(EnvAccessKeyID, testAccessKeyID)
	t.Setenv(EnvAccessKeySecret, testAccessKeySecret)
	t.Setenv(EnvAccessKeyIDLegacy, "LTAIlegacy")
	t.Setenv(EnvAccessKeySecretLegacy, "legacy-wrong")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"yunxiao\" {\n  organization_id = %q\n  endpoint = %q\n}\n", testOrg, e.url) + minimalProject,
			Check:  e.checkMockProject("yunxiao_project.test", testOrg, client.Project{Name: "creds", CustomCode: "CRED", Scope: "private"}, 1),
		}},
	})
}

// A provider configuration that depends on a resource not yet created is unknown during the
// plan: planning must work without calling the API, and the apply must then succeed.
func TestAccProvider_unknownConfiguration(t *testing.T) {
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
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: e.checkNoRequests,
				Config:    cfg,
				Check:     e.checkMockProject("yunxiao_project.test", testOrg, client.Project{Name: "creds", CustomCode: "CRED", Scope: "private"}, 1),
			},
		},
	})
}

func TestAccProvider_authFailures(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{
			{
				Config: e.providerBlock("a-wrong-secret") + minimalProject,
				ExpectError: regexp.MustCompile(`(?s)Error creating Yunxiao project.*Operation: Yunxiao CreateProject.*HTTP status: 400.*` +
					`Error code: SignatureDoesNotMatch.*Message: Specified signature does not match our calculation.*` + requestID + `.*Check access_key_secret`),
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
				ExpectError: regexp.MustCompile(`(?s)HTTP status: 404.*Error code: InvalidAccessKeyId\.NotFound.*` + requestID + `.*Check access_key_id`),
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
				ExpectError: regexp.MustCompile(`(?s)Error code: InvalidSecurityToken\.Mismatch.*` + requestID + `.*` +
					wsq(`Check security_token (ALIBABA_CLOUD_SECURITY_TOKEN): temporary credentials need their current token.`)),
			},
			{
				// A clock 20 minutes off makes every signature stale.
				PreConfig:   func() { e.mock.Now = func() time.Time { return time.Now().Add(20 * time.Minute) } },
				Config:      e.config(minimalProject),
				ExpectError: regexp.MustCompile(`(?s)Error code: InvalidTimeStamp\.Expired.*` + requestID + `.*` + ws(`Check this machine's clock`)),
			},
		},
	})
	// No credential failure leaves a project behind, and none is retried.
	if n := len(e.mock.Projects(testOrg)); n != 0 {
		t.Errorf("the mock holds %d projects after the credential failures", n)
	}
	if n := e.mock.Requests("CreateProject"); n != 4 {
		t.Errorf("CreateProject was sent %d times, want 4 (one per failing step, no retries)", n)
	}
}

func TestAccProvider_forbiddenOrganization(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "yunxiao_project" "test" {
  organization_id     = "` + forbiddenOrg + `"
  name                = "elsewhere"
  custom_code         = "ELSE"
  template_identifier = "` + testTemplate + `"
}
`),
			ExpectError: regexp.MustCompile(`(?s)Error creating Yunxiao project.*Operation: Yunxiao CreateProject.*HTTP status: 403.*` +
				`Error code: Operate\.NoPermission.*Message: NoPermission.*` + requestID + `.*` + ws(`check organization_id`)),
		}},
	})
}

func TestAccProvider_invalidSettings(t *testing.T) {
	for name, tc := range map[string]struct{ block, want string }{
		"endpoint without scheme": {
			`endpoint = "devops.cn-hangzhou.aliyuncs.com"`,
			`(?s)Invalid endpoint.*` + wsq(`"devops.cn-hangzhou.aliyuncs.com" is not a full URL such as https://devops.cn-hangzhou.aliyuncs.com`),
		},
		"endpoint with path": {
			`endpoint = "https://devops.cn-hangzhou.aliyuncs.com/api"`,
			`(?s)Invalid endpoint.*` + ws(`must be a scheme and host only`),
		},
		"organization with slash": {
			`organization_id = "a/b"`,
			`(?s)organization_id ` + wsq(`must be a Yunxiao organization id, e.g. 5ebbc0228123212b59xxxxx: no spaces or "/"`),
		},
		"rate limit": {
			`max_requests_per_second = 0`,
			`(?s)max_requests_per_second ` + ws(`value must be between`),
		},
	} {
		t.Run(name, func(t *testing.T) {
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
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			e.checkNoRequests()
		})
	}
}
