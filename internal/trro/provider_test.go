package trro

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

const (
	testSecretID  = "AKIDprojectkitTESTKEY0000000000000"
	testSecretKey = "pkTestSecretKey0000000000000000x"
)

func TestMain(m *testing.M) {
	acctest.Main(m)
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
	// Credentials come from the provider block only.
	for _, env := range []string{EnvSecretID, EnvSecretKey, EnvSecurityToken, EnvRegion, EnvEndpoint} {
		t.Setenv(env, "")
	}
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

// factoriesServer is one provider server, for tests that run terraform through acctest.Reattach.
func (e *testEnv) factoriesServer() tfprotov6.ProviderServer {
	return providerserver.NewProtocol6(testProvider())()
}

// reattachTerraformBlock takes the trro provider from projectkit, as acctest.Reattach serves it.
const reattachTerraformBlock = `
terraform {
  required_providers {
    trro = {
      source = "projectkit/trro"
    }
  }
}
`

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

// checkDestroy asserts that the mock holds no project.
func (e *testEnv) checkDestroy(*terraform.State) error {
	if n := len(e.mock.Projects()); n != 0 {
		return fmt.Errorf("the mock still holds %d project(s) after destroy: %+v", n, e.mock.Projects())
	}
	return nil
}

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

// checkNoRequests asserts that nothing reached the mock.
func (e *testEnv) checkNoRequests() {
	e.t.Helper()
	if n := e.mock.Requests(mockserver.AnyOperation); n != 0 {
		e.t.Errorf("the mock received %d request(s); a plan-time validation must send none", n)
	}
}

func TestAccProvider_missingCredentials(t *testing.T) {
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
			ExpectError: regexp.MustCompile(`(?s)Missing trro provider credentials.*"secret_id" \(or the environment variable\s+TENCENTCLOUD_SECRET_ID\).*"secret_key" \(or the environment variable\s+TENCENTCLOUD_SECRET_KEY\)`),
		}},
	})
	e.checkNoRequests()
}

func TestAccProvider_environmentCredentials(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv(EnvSecretID, testSecretID)
	t.Setenv(EnvSecretKey, testSecretKey)
	t.Setenv(EnvEndpoint, e.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
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
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: e.checkNoRequests,
				Config:    cfg,
				Check:     e.checkMockProject("trro_project.test", client.Project{Name: "late-credentials", PolicyMode: "black"}, 1),
			},
		},
	})
}

func TestAccProvider_authFailures(t *testing.T) {
	e := newTestEnv(t)
	body := `
resource "trro_project" "test" {
  name = "auth"
}
`
	requestID := `Request ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{
			{
				Config:      e.providerBlock("a-wrong-secret-key") + body,
				ExpectError: regexp.MustCompile(`(?s)Error creating TRRO project.*Operation: TRRO CreateProject.*Error code: AuthFailure\.SignatureFailure.*` + requestID + `.*Check secret_key`),
			},
			{
				Config: fmt.Sprintf(`
provider "trro" {
  secret_id  = "AKIDunknown"
  secret_key = %q
  endpoint   = %q
}
`, testSecretKey, e.url) + body,
				ExpectError: regexp.MustCompile(`(?s)Error code: AuthFailure\.SecretIdNotFound.*` + requestID),
			},
			{
				// A clock 10 minutes off makes every signature stale.
				PreConfig:   func() { e.mock.Now = func() time.Time { return time.Now().Add(10 * time.Minute) } },
				Config:      e.config(body),
				ExpectError: regexp.MustCompile(`(?s)Error code: AuthFailure\.SignatureExpire.*` + requestID + `.*Check this\s+machine's clock`),
			},
		},
	})
}
