package iam

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// TestMain keeps every variable the provider reads out of the tests' environment: credentials
// and settings come from the provider block, so that tests may run in parallel.
func TestMain(m *testing.M) {
	readAfterCreate = providerutil.ReadAfterCreate{MaxWait: time.Second, FirstDelay: 20 * time.Millisecond}
	newProjectGrace = 5 * time.Second
	acctest.Main(m, env.All()...)
}

// testEnv is one mock IAM server and the provider configured against it.
type testEnv struct {
	t    *testing.T
	mock *mock.Server
	fx   mock.Fixture
	url  string // the auth URL, ending in /v3
	// pageSize is the client's page size for project listings; 0 is the client's default.
	pageSize int
	// retry replaces the tests' retry policy when set.
	retry transport.RetryPolicy
	// warnings are those of the provider's configuration, plans and applies.
	warnings acctest.Warnings
}

func newTestEnv(t *testing.T, flavour mock.Flavour) *testEnv {
	t.Helper()
	m := mock.New(flavour)
	fx := m.Seed()
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, mock: m, fx: fx, url: srv.URL + "/v3"}
}

// testRetry is the retry policy of the tests' clients: delays short enough for tests.
var testRetry = transport.RetryPolicy{MaxAttempts: 6, BaseDelay: 10 * time.Millisecond, MaxDelay: 100 * time.Millisecond}

// provider is the provider with the tests' retry policy and rate.
func (e *testEnv) provider() *Provider {
	return &Provider{version: "test", configureClient: func(c *client.Config) {
		c.Retry = testRetry
		if e.retry != (transport.RetryPolicy{}) {
			c.Retry = e.retry
		}
		if c.RequestsPerSecond == 0 {
			c.RequestsPerSecond = 1000 // unless max_requests_per_second is set
		}
		c.ListPageSize = e.pageSize
	}}
}

// factories serve the provider in-process, with retry delays short enough for tests.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	p := e.provider()
	return map[string]func() (tfprotov6.ProviderServer, error){
		TypeName: func() (tfprotov6.ProviderServer, error) {
			s, err := providerserver.NewProtocol6WithError(p)()
			return e.warnings.Wrap(s), err
		},
	}
}

// workdir serves the provider (with the tests' retry policy, warnings recorded) in the test's
// process for the whole test and returns an initialised terraform working directory whose
// main.tf holds config: for exit codes, timings, signals and `terraform show`.
func (e *testEnv) workdir(config string) *acctest.Workdir {
	e.t.Helper()
	p := e.provider()
	return acctest.ServeWorkdir(e.t, TypeName, func() tfprotov6.ProviderServer {
		return e.warnings.Wrap(providerserver.NewProtocol6(p)())
	}, config)
}

// expectInMock returns state checks that addr holds a project the mock has, named name, and
// that the mock holds count projects the tests made.
func (e *testEnv) expectInMock(addr, name string, count int) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
			p, ok := e.mock.Project(id)
			if !ok || p.Name != name {
				return fmt.Errorf("the mock has no project %s named %s (found %v: %+v)", id, name, ok, p)
			}
			if n := len(e.created()); n != count {
				return fmt.Errorf("the mock holds %d projects, want %d", n, count)
			}
			return nil
		})),
	}
}

// passwordProvider configures the provider with the admin's password; extra are more argument
// lines, e.g. "skip_conflict_check = true".
func (e *testEnv) passwordProvider(extra ...string) string {
	var more string
	for _, x := range extra {
		more += "  " + x + "\n"
	}
	return fmt.Sprintf(`
provider "iam" {
  auth_url    = %q
  user_name   = %q
  password    = %q
  domain_name = %q
%s}
`, e.url, e.fx.AdminUser, e.fx.AdminPassword, e.fx.DomainName, more)
}

// skipCheck is the provider block with the plan-time conflict check off.
const skipCheck = "skip_conflict_check = true"

// tokenProvider configures the provider with a token.
func (e *testEnv) tokenProvider(token string) string {
	return fmt.Sprintf(`
provider "iam" {
  auth_url = %q
  token    = %q
}
`, e.url, token)
}

// config is the password provider block followed by body.
func (e *testEnv) config(body string) string {
	return e.passwordProvider() + body
}

// created returns the projects the tests made (region projects excluded; acctest.CheckDestroyed's
// list).
func (e *testEnv) created() []client.Project {
	var out []client.Project
	for _, p := range e.mock.Projects(e.fx.DomainID) {
		if p.ParentID != p.DomainID {
			out = append(out, p)
		}
	}
	return out
}

// checkMockProject asserts that the project in state at addr exists in the mock as want
// (want.ID, want.DomainID and want.Enabled are filled in) and that count projects were made.
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
		want.ID, want.DomainID, want.Enabled = got.ID, e.fx.DomainID, true
		if want.ParentID == "" {
			want.ParentID = e.mock.RegionProjectID(e.fx.DomainID, regionOf(want.Name))
		}
		if want.Status == "" {
			want.Status = client.StatusNormal
		}
		if got != want {
			return fmt.Errorf("mock project = %+v, want %+v", got, want)
		}
		if n := len(e.created()); n != count {
			return fmt.Errorf("the mock holds %d projects, want %d", n, count)
		}
		return nil
	}
}

const simpleProject = `
resource "iam_project" "test" {
  name = "eu-de_creds"
}
`

func TestAccProvider_missingCredentials(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n}\n", e.url) + simpleProject,
				ExpectError: acctest.ErrorPattern(`Missing iam provider credentials.*a token: "token" \(or the environment variable HW_AUTH_TOKEN or OS_AUTH_TOKEN or OS_TOKEN\)` +
					`.*an access key: "access_key" .*HW_ACCESS_KEY or OS_ACCESS_KEY.*"secret_key".*"domain_id" \(or the environment variable HW_DOMAIN_ID\)` +
					`.*a password: "user_name" .*HW_USER_NAME or OS_USERNAME.*"password" .*HW_USER_PASSWORD or OS_PASSWORD.*"domain_name" .*HW_DOMAIN_NAME or OS_DOMAIN_NAME or OS_USER_DOMAIN_NAME`),
			},
			{
				// An access key without its secret key and account id.
				Config: fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  access_key = %q\n  user_name = %q\n  password = %q\n  domain_name = %q\n}\n",
					e.url, e.fx.AccessKey, e.fx.AdminUser, e.fx.AdminPassword, e.fx.DomainName) + simpleProject,
				ExpectError: acctest.ErrorPattern(`Incomplete iam provider credentials.*AK/SK credentials are partly given.*"secret_key" \(or the environment variable HW_SECRET_KEY or OS_SECRET_KEY\)` +
					`.*"domain_id" \(or the environment variable HW_DOMAIN_ID\)`),
			},
			{
				Config:      fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  user_name = %q\n}\n", e.url, e.fx.AdminUser) + simpleProject,
				ExpectError: acctest.ErrorPattern(`Password credentials are partly given.*"password" \(or the environment variable HW_USER_PASSWORD or OS_PASSWORD\).*"domain_name"`),
			},
			{
				Config:      "provider \"iam\" {\n  auth_url = \"iam.example.com/v3\"\n  token = \"t\"\n}\n" + simpleProject,
				ExpectError: acctest.ErrorPattern(`auth_url "iam.example.com/v3" is not a full URL such as https://iam.myhuaweicloud.com/v3`),
			},
		},
	})
	acctest.CheckNoRequests(t, e.mock)
}

// Each credential kind, from the provider block or from the environment under the huaweicloud
// provider's and OpenStack's names.
func TestAccProvider_credentialKinds(t *testing.T) {
	for _, tc := range []struct {
		name     string
		flavour  mock.Flavour
		provider func(e *testEnv) string
		env      func(e *testEnv) map[string]string
	}{
		{
			name: "token in the provider block, auth_url without /v3", flavour: mock.Huawei,
			provider: func(e *testEnv) string {
				return fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  token = %q\n}\n",
					strings.TrimSuffix(e.url, "/v3"), e.mock.IssueToken(e.fx.DomainName, e.fx.AdminUser))
			},
		},
		{
			name: "token from OS_TOKEN", flavour: mock.OTC,
			provider: func(*testEnv) string { return "provider \"iam\" {}\n" },
			env: func(e *testEnv) map[string]string {
				return map[string]string{"OS_AUTH_URL": e.url, "OS_TOKEN": e.mock.IssueToken(e.fx.DomainName, e.fx.AdminUser)}
			},
		},
		{
			name: "AK/SK in the provider block", flavour: mock.Huawei,
			provider: func(e *testEnv) string {
				return fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  access_key = %q\n  secret_key = %q\n  domain_id = %q\n}\n",
					e.url, e.fx.AccessKey, e.fx.SecretKey, e.fx.DomainID)
			},
		},
		{
			name: "temporary AK/SK from HW_ variables", flavour: mock.OTC,
			provider: func(*testEnv) string { return "provider \"iam\" {}\n" },
			env: func(e *testEnv) map[string]string {
				return map[string]string{"HW_AUTH_URL": e.url, "HW_ACCESS_KEY": e.fx.TempAccessKey, "HW_SECRET_KEY": e.fx.TempSecretKey,
					"HW_SECURITY_TOKEN": e.fx.STToken, "HW_DOMAIN_ID": e.fx.DomainID}
			},
		},
		{
			name: "password from OS_ variables", flavour: mock.OTC,
			provider: func(*testEnv) string { return "provider \"iam\" {}\n" },
			env: func(e *testEnv) map[string]string {
				return map[string]string{"OS_AUTH_URL": e.url, "OS_USERNAME": e.fx.AdminUser, "OS_PASSWORD": e.fx.AdminPassword, "OS_USER_DOMAIN_NAME": e.fx.DomainName}
			},
		},
		{
			// A token wins over a (wrong) password.
			name: "token before password", flavour: mock.Huawei,
			provider: func(e *testEnv) string {
				return fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  token = %q\n  user_name = %q\n  password = \"wrong\"\n  domain_name = %q\n}\n",
					e.url, e.mock.IssueToken(e.fx.DomainName, e.fx.AdminUser), e.fx.AdminUser, e.fx.DomainName)
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, tc.flavour)
			if tc.env != nil {
				for k, v := range tc.env(e) {
					t.Setenv(k, v)
				}
			} else {
				t.Parallel()
			}
			name := e.mock.Flavour().Regions()[0] + "_creds"
			cfg := tc.provider(e) + fmt.Sprintf("resource \"iam_project\" \"test\" {\n  name = %q\n  deletion_policy = \"abandon\"\n}\n", name)
			issued := e.mock.TokensIssued()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: cfg,
					Check: resource.ComposeAggregateTestCheckFunc(
						e.checkMockProject("iam_project.test", client.Project{Name: name}, 1),
						func(*terraform.State) error {
							if n := e.mock.Unauthorized(); n != 0 {
								return fmt.Errorf("%d requests were refused with 401", n)
							}
							if tc.name != "password from OS_ variables" && e.mock.TokensIssued() != issued {
								return fmt.Errorf("a token was fetched although the credentials need none")
							}
							return nil
						},
					),
				}},
			})
		})
	}
}

// A password client meets an expired token in the middle of an apply: it fetches a new one
// once and the apply succeeds.
func TestAccProvider_expiredTokenIsRenewed(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	var refused, issued int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: e.config(`
resource "iam_project" "test" {
  name = "eu-de_renew"
}
`)},
			{
				PreConfig: func() {
					refused, issued = e.mock.Unauthorized(), e.mock.TokensIssued()
					e.mock.ExpireTokensBefore(client.OpUpdateProject)
				},
				Config: e.config(`
resource "iam_project" "test" {
  name        = "eu-de_renew"
  description = "after renewal"
}
`),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject("iam_project.test", client.Project{Name: "eu-de_renew", Description: "after renewal"}, 1),
					func(*terraform.State) error {
						if n := e.mock.Unauthorized() - refused; n != 1 {
							return fmt.Errorf("%d requests refused with 401 during the update, want exactly 1 (the expired token's)", n)
						}
						// plan, apply (the token that expired) and apply again after the 401.
						if n := e.mock.TokensIssued() - issued; n < 3 {
							return fmt.Errorf("%d tokens fetched during the step; the expired one was not replaced", n)
						}
						if n := e.mock.Requests(client.OpUpdateProject); n != 2 {
							return fmt.Errorf("UpdateProject sent %d times, want 2 (refused, then with the new token)", n)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccProvider_authFailures(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.Huawei)
	parent := e.mock.RegionProjectID(e.fx.DomainID, "cn-north-4")
	body := fmt.Sprintf(`
resource "iam_project" "test" {
  name      = "cn-north-4_auth"
  parent_id = %q
}
`, parent)
	requestID := `Request ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				// A token without Security Administrator rights.
				Config: e.tokenProvider(e.mock.IssueToken(e.fx.DomainName, e.fx.ReaderUser)) + body,
				ExpectError: acctest.ErrorPattern(`Error creating IAM project "cn-north-4_auth".*Operation: IAM CreateProject \(POST /v3/projects\).*HTTP status: 403` +
					`.*Error code: Forbidden.*Message: You are not authorized.*` + requestID + `.*Security Administrator`),
			},
			{
				Config:      e.tokenProvider("MIIEnot-a-token") + body,
				ExpectError: acctest.ErrorPattern(`HTTP status: 401.*The request you have made requires authentication.*` + requestID + `.*HW_AUTH_TOKEN`),
			},
			{
				Config: fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  user_name = %q\n  password = \"wrong\"\n  domain_name = %q\n}\n",
					e.url, e.fx.AdminUser, e.fx.DomainName) + body,
				ExpectError: acctest.ErrorPattern(`Operation: IAM CreateToken \(POST /v3/auth/tokens\).*HTTP status: 401.*The username or password is wrong.*HW_USER_PASSWORD`),
			},
			{
				Config: fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  access_key = %q\n  secret_key = \"wrong\"\n  domain_id = %q\n}\n",
					e.url, e.fx.AccessKey, e.fx.DomainID) + body,
				ExpectError: acctest.ErrorPattern(`HTTP status: 401.*Error code: APIGW.0301.*verify aksk signature fail.*` + requestID + `.*HW_SECRET_KEY`),
			},
		},
	})
	if n := len(e.created()); n != 0 {
		t.Errorf("%d projects created with failing credentials", n)
	}
}

// A provider configuration that depends on a resource not yet created is unknown during the
// plan: planning must work without calling the API, and the apply must then succeed.
func TestAccProvider_unknownConfiguration(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	cfg := fmt.Sprintf(`
resource "terraform_data" "password" {
  input = %q
}
provider "iam" {
  auth_url    = %q
  user_name   = %q
  password    = terraform_data.password.output
  domain_name = %q
}
resource "iam_project" "test" {
  name = "eu-nl_late"
}
`, e.fx.AdminPassword, e.url, e.fx.AdminUser, e.fx.DomainName)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: func() { acctest.CheckNoRequests(t, e.mock) },
				Config:    cfg,
				Check:     e.checkMockProject("iam_project.test", client.Project{Name: "eu-nl_late"}, 1),
			},
		},
	})
}

// Unit tests of the credential choice, without Terraform.
func TestCredentialChoice(t *testing.T) {
	type want struct {
		kind    client.CredentialKind
		summary string
		detail  []string
	}
	for _, tc := range []struct {
		name  string
		model providerModel
		env   map[string]string
		want  want
	}{
		{
			name: "nothing",
			want: want{summary: "Missing iam provider credentials", detail: []string{`"token" (or the environment variable HW_AUTH_TOKEN or OS_AUTH_TOKEN or OS_TOKEN)`,
				`"domain_id" (or the environment variable HW_DOMAIN_ID)`, `"domain_name" (or the environment variable HW_DOMAIN_NAME or OS_DOMAIN_NAME or OS_USER_DOMAIN_NAME)`}},
		},
		{name: "token from OS_AUTH_TOKEN", env: map[string]string{"OS_AUTH_TOKEN": "t"}, want: want{kind: client.CredentialToken}},
		{
			name:  "token wins over complete AK/SK and password",
			model: providerModel{Token: types.StringValue("t"), AccessKey: types.StringValue("ak"), SecretKey: types.StringValue("sk"), DomainID: types.StringValue("d")},
			env:   map[string]string{"HW_USER_NAME": "u", "HW_USER_PASSWORD": "p", "HW_DOMAIN_NAME": "n"},
			want:  want{kind: client.CredentialToken},
		},
		{
			name: "AK/SK wins over password",
			env:  map[string]string{"HW_ACCESS_KEY": "ak", "OS_SECRET_KEY": "sk", "HW_DOMAIN_ID": "d", "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_DOMAIN_NAME": "n"},
			want: want{kind: client.CredentialAKSK},
		},
		{
			name:  "AK/SK without the account id",
			model: providerModel{SecretKey: types.StringValue("sk")},
			env:   map[string]string{"HW_ACCESS_KEY": "ak"},
			want:  want{summary: "Incomplete iam provider credentials", detail: []string{"AK/SK credentials are partly given", `"domain_id" (or the environment variable HW_DOMAIN_ID)`}},
		},
		{
			name:  "password with the domain from OS_USER_DOMAIN_NAME",
			model: providerModel{UserName: types.StringValue("u"), Password: types.StringValue("p")},
			env:   map[string]string{"OS_USER_DOMAIN_NAME": "n"},
			want:  want{kind: client.CredentialPassword},
		},
		{
			name:  "password without user name",
			model: providerModel{Password: types.StringValue("p"), DomainName: types.StringValue("n")},
			want:  want{summary: "Incomplete iam provider credentials", detail: []string{"Password credentials are partly given", `"user_name" (or the environment variable HW_USER_NAME or OS_USERNAME)`}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var diags diag.Diagnostics
			kind := resolve(tc.model).check(&diags)
			if kind != tc.want.kind {
				t.Errorf("kind %v, want %v", kind, tc.want.kind)
			}
			if tc.want.summary == "" {
				if diags.HasError() {
					t.Errorf("unexpected error: %v", diags)
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary() != tc.want.summary {
				t.Fatalf("diagnostics %v, want one %q", diags, tc.want.summary)
			}
			for _, d := range tc.want.detail {
				if !strings.Contains(diags[0].Detail(), d) {
					t.Errorf("detail does not contain %q:\n%s", d, diags[0].Detail())
				}
			}
		})
	}
}

func TestEnvironmentFallbackOrder(t *testing.T) {
	t.Setenv("HW_AUTH_URL", "https://hw.example.com/v3")
	t.Setenv("OS_AUTH_URL", "https://os.example.com/v3")
	t.Setenv("OS_PASSWORD", "from-os")
	if got := resolve(providerModel{}).authURL; got != "https://hw.example.com/v3" {
		t.Errorf("auth_url %q, want the HW_ variable first", got)
	}
	if got := resolve(providerModel{AuthURL: types.StringValue("https://block.example.com")}).authURL; got != "https://block.example.com" {
		t.Errorf("auth_url %q, want the provider block's", got)
	}
	if got := resolve(providerModel{}).password; got != "from-os" {
		t.Errorf("password %q, want OS_PASSWORD's", got)
	}
}

// The provider's switches fall back to their environment variables, which must read as
// booleans; the CA certificates fall back to OS_CACERT.
func TestOptionsFromEnvironment(t *testing.T) {
	t.Setenv("HW_SKIP_CREDENTIALS_VALIDATION", "true")
	t.Setenv("OS_INSECURE", "1")
	t.Setenv("HW_ALLOW_PLAINTEXT_HTTP", "false")
	t.Setenv("OS_CACERT", "/etc/ca.pem")
	var diags diag.Diagnostics
	got := resolveOptions(providerModel{}, &diags)
	if want := (options{caCert: "/etc/ca.pem", caAttribute: "cacert_file", insecure: true, skipValidation: true}); got != want || diags.HasError() {
		t.Errorf("options %+v (%v), want %+v", got, diags, want)
	}
	got = resolveOptions(providerModel{SkipCredentialsValidation: types.BoolValue(false), CAFile: types.StringValue("/mine.pem")}, &diags)
	if got.skipValidation || got.caCert != "/mine.pem" {
		t.Errorf("the provider block does not win over the environment: %+v", got)
	}
	t.Setenv("HW_INSECURE", "yes please")
	resolveOptions(providerModel{}, &diags)
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), `HW_INSECURE (the fallback of insecure) must be true or false, not "yes please"`) {
		t.Errorf("an unreadable boolean variable: %v", diags)
	}
	diags = nil
	resolveOptions(providerModel{CACertFile: types.StringValue("/a.pem"), CAFile: types.StringValue("/b.pem")}, &diags)
	if !diags.HasError() {
		t.Error("cacert_file and ca_file differ, and no error")
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
// requests go (auth_url, the CA certificates, insecure) or of a credential is checked again.
func TestCredentialCheckSet(t *testing.T) {
	base := client.Config{AuthURL: "https://iam.example.com/v3", AccessKey: "ak", SecretKey: "sk", DomainID: "d"}
	key := func(cfg client.Config) string {
		cfg.HTTPClient = &http.Client{} // the TLS settings are not used to build one here
		c, err := client.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return credentialCheck(c, cfg).Set.Key()
	}
	for name, change := range map[string]func(*client.Config){
		"auth_url":       func(c *client.Config) { c.AuthURL = client.DefaultAuthURL },
		"cacert_file":    func(c *client.Config) { c.TLS.CAFile = "/ca.pem" },
		"PEM text":       func(c *client.Config) { c.TLS.CAPEM = "-----BEGIN CERTIFICATE-----" },
		"insecure":       func(c *client.Config) { c.TLS.Insecure = true },
		"secret_key":     func(c *client.Config) { c.SecretKey = "other" },
		"security_token": func(c *client.Config) { c.SecurityToken = "token" },
		"a token":        func(c *client.Config) { c.Token = "t" },
	} {
		cfg := base
		change(&cfg)
		if key(cfg) == key(base) {
			t.Errorf("a different %s is the same credential set", name)
		}
	}
	// cacert_file is PEM text when it holds a PEM header, else a file's path.
	if got := (options{caCert: "-----BEGIN CERTIFICATE-----\nx"}).tls(); got.CAPEM == "" || got.CAFile != "" {
		t.Errorf("PEM text read as %+v", got)
	}
	if got := (options{caCert: "/etc/ca.pem", insecure: true}).tls(); got != (transport.TLSSettings{CAFile: "/etc/ca.pem", Insecure: true}) {
		t.Errorf("a path read as %+v", got)
	}
}
