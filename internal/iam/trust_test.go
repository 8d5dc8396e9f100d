package iam

// Issue 13's tests for iam: bad answers, interrupted and unknown creates, backoff between
// resends, redirects, TLS, plain HTTP and input. Each asserts the mock's final state (projects
// and their ids), the Terraform state and what the user is told, not only the exit code.

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// projectBody is what GET /v3-ext/projects/{id} answers for p.
func projectBody(p client.Project) string {
	b, err := json.Marshal(map[string]any{"project": p})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// badBodies are 200 answers that do not prove what they claim, by kind; other is another
// project of the account.
var badBodies = map[string]func(other client.Project) string{
	"empty body":   func(client.Project) string { return "" },
	"empty object": func(client.Project) string { return "{}" },
	"not JSON":     func(client.Project) string { return "<html><body>Service temporarily moved</body></html>" },
	"truncated":    func(other client.Project) string { return projectBody(other)[:40] },
	"error envelope": func(client.Project) string {
		return `{"error_msg":"Internal error","error_code":"IAM.0001","request_id":"0f0f0f0f"}`
	},
	"keystone error": func(client.Project) string {
		return `{"error":{"code":500,"message":"Internal error","title":"Internal Server Error"}}`
	},
	"no project": func(client.Project) string { return `{"project":null}` },
	"project without id": func(other client.Project) string {
		return strings.Replace(projectBody(other), `"id":"`+other.ID+`",`, "", 1)
	},
	"another project": projectBody,
	"project list, not one": func(other client.Project) string {
		return `{"projects":[` + strings.TrimSuffix(strings.TrimPrefix(projectBody(other), `{"project":`), "}") + `]}`
	},
}

// A refresh answered with a bad 200 fails `terraform plan` and `terraform apply`: the state is
// left exactly as it was (never re-pointed at another project, never removed), no replacement is
// planned, and the mock still holds the same projects. Once the API answers properly again, the
// plan is clean.
func TestAccTrust_badAnswerOnRefresh(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for kind, body := range badBodies {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, mock.OTC)
			otherID := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_other", Description: "someone else's"})
			other, _ := e.mock.Project(otherID)
			d := e.workdir(e.passwordProvider() + projectConfig("eu-de_mine", `description = "mine"`))
			d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
			mine := d.State()[projectAddr].ID
			stateBefore, projectsBefore := d.StateFile(), e.mock.Projects(e.fx.DomainID)

			fault := mockserver.Fault{Kind: mockserver.RawAnswer, Body: body(other)}
			e.mock.Inject(client.OpShowProjectStatus, fault, fault)
			for _, args := range [][]string{{"plan", "-input=false", "-no-color"}, {"apply", "-input=false", "-no-color", "-auto-approve"}} {
				out, code := d.Run(args...)
				if code != 1 {
					t.Errorf("terraform %s exited %d, want 1:\n%s", args[0], code, out)
				}
				want := `Error reading IAM project ` + mine + `.*IAM ShowProjectStatus \(GET /v3-ext/projects/` + mine + `\): the API answered HTTP 200, but .*so the answer cannot be trusted`
				if !acctest.ErrorPattern(want).MatchString(out) {
					t.Errorf("terraform %s does not say the answer cannot be trusted:\n%s", args[0], out)
				}
				for _, never := range []string{"must be replaced", "will be destroyed", "will be created", "Apply complete"} {
					if strings.Contains(out, never) {
						t.Errorf("terraform %s says %q after a bad answer:\n%s", args[0], never, out)
					}
				}
			}
			if after := d.StateFile(); after != stateBefore {
				t.Errorf("the state changed after a bad answer:\nbefore: %s\nafter: %s", stateBefore, after)
			}
			if after := e.mock.Projects(e.fx.DomainID); fmt.Sprint(after) != fmt.Sprint(projectsBefore) {
				t.Errorf("the mock's projects changed:\nbefore: %+v\nafter: %+v", projectsBefore, after)
			}
			if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
				t.Errorf("with proper answers again, the plan is not clean (exit %d):\n%s", code, out)
			}
			if got := d.State()[projectAddr].Values["id"]; got != mine {
				t.Errorf("the state holds project %v, want %s", got, mine)
			}
		})
	}
}

// A create that acts but whose answer is garbled (empty, not JSON, an error envelope, without
// the project, naming another project) is resolved by looking the name up: the project is
// adopted with a warning, exactly once, completely and not tainted (the plan after the apply is
// empty), and the create is not sent again.
func TestAccTrust_badAnswerOnCreateIsAdopted(t *testing.T) {
	for kind, body := range badBodies {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, mock.OTC)
			otherID := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_other", Description: "someone else's"})
			other, _ := e.mock.Project(otherID)
			e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.ActThenRawAnswer, Status: http.StatusCreated, Body: body(other)})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             func(*terraform.State) error { return e.checkOnly("eu-de_other") },
				Steps: []resource.TestStep{{
					Config: e.config(projectConfig("eu-de_garbled", `description = "adopted"`)),
					ConfigStateChecks: append(e.expectInMock(projectAddr, "eu-de_garbled", 2),
						statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact("adopted")),
						statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("normal")),
						statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
							if id == otherID {
								return fmt.Errorf("the state took the other project %s named in the answer", id)
							}
							return nil
						})),
					),
					Check: func(*terraform.State) error {
						if n := e.mock.Requests(client.OpCreateProject); n != 1 {
							return fmt.Errorf("CreateProject sent %d times, want once", n)
						}
						return e.checkWarnings(1, `Adopted an object whose creation was not confirmed`, `the answer cannot be trusted`)
					},
				}},
			})
		})
	}
}

// checkOnly asserts that the projects the tests made are exactly those named.
func (e *testEnv) checkOnly(names ...string) error {
	var got []string
	for _, p := range e.created() {
		got = append(got, p.Name)
	}
	slices.Sort(got)
	names = slices.Sorted(slices.Values(names))
	if strings.Join(got, ",") != strings.Join(names, ",") {
		return fmt.Errorf("the mock holds %v, want %v", got, names)
	}
	return nil
}

// Ctrl-C while a create is in flight: terraform stops at once, and one more apply ends with
// exactly one project, in the state, not tainted, and a clean plan. When the server acted
// before the interrupt, the first apply already adopted the project completely (its answer was
// awaited on a context that outlives the interrupt); when it had not, the first apply says
// "interrupted" and the next one creates the project.
func TestAccTrust_interruptedCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for _, tc := range []struct {
		name string
		// acted says the server created the project before the interrupt.
		acted  bool
		inject func(e *testEnv)
	}{
		{"the server acted, its answer is late", true, func(e *testEnv) {
			e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.Hold, Delay: time.Minute})
		}},
		{"the server had not acted yet", false, func(e *testEnv) {
			e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.Delay, Delay: time.Minute})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, mock.OTC)
			d := e.workdir(e.passwordProvider() + projectConfig("eu-de_interrupted", `description = "kept"`))
			tc.inject(e)
			apply := d.Start("apply", "-input=false", "-no-color", "-auto-approve")
			acctest.WaitFor(t, "the create to reach the mock", func() bool { return e.mock.Requests(client.OpCreateProject) > 0 })
			time.Sleep(300 * time.Millisecond) // the create is in flight at the mock
			interrupted := time.Now()
			apply.Interrupt()
			out, _ := apply.Wait(45 * time.Second)
			t.Logf("terraform stopped %s after Ctrl-C", time.Since(interrupted).Round(time.Millisecond))
			first := d.State()
			if tc.acted {
				r, ok := first[projectAddr]
				if !ok || r.Tainted || r.Values["status"] != "normal" || r.Values["description"] != "kept" {
					t.Errorf("after Ctrl-C the adopted project is not complete and untainted in the state: %+v\n%s", r, out)
				}
				if !strings.Contains(out, "Adopted an object whose creation was not confirmed") {
					t.Errorf("the interrupted apply does not say the project was adopted:\n%s", out)
				}
			} else {
				if _, ok := first[projectAddr]; ok || len(e.created()) != 0 {
					t.Errorf("a create the server never acted on left %d projects and state %+v", len(e.created()), first)
				}
				if !acctest.ErrorPattern(`Error creating IAM project "eu-de_interrupted".*interrupted`).MatchString(out) {
					t.Errorf("the interrupted apply does not say it was interrupted:\n%s", out)
				}
			}
			if strings.Contains(out, "timed out") {
				t.Errorf("an interrupt is reported as a timeout:\n%s", out)
			}

			d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
			if err := e.checkOnly("eu-de_interrupted"); err != nil {
				t.Error(err)
			}
			p, _ := e.mock.ProjectByName(e.fx.DomainID, "eu-de_interrupted")
			r := d.State()[projectAddr]
			if r.Values["id"] != p.ID || r.Tainted {
				t.Errorf("the state holds %v (tainted %v), want project %s untainted", r.Values["id"], r.Tainted, p.ID)
			}
			if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
				t.Errorf("the plan after the second apply is not clean (exit %d):\n%s", code, out)
			}
			want := map[bool]int{true: 1, false: 2}[tc.acted]
			if n := e.mock.Requests(client.OpCreateProject); n != want {
				t.Errorf("CreateProject sent %d times, want %d", n, want)
			}
		})
	}
}

// A create answered 502 is looked up, then sent again only after a pause that grows as the
// client's retries do (the same capped exponential backoff with jitter): the pauses between the
// creates the mock received are at least the backoff's floors, and one project results.
func TestAccTrust_createResendsBackOff(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	e.retry = testRetry
	e.retry.BaseDelay, e.retry.MaxDelay = 400*time.Millisecond, 2*time.Second
	const failures = 4 // the fifth create, the last one allowed, succeeds
	for range failures {
		e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.ServerError, Status: http.StatusBadGateway})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config:            e.config(projectConfig("eu-de_backoff")),
			ConfigStateChecks: e.expectInMock(projectAddr, "eu-de_backoff", 1),
			Check: func(*terraform.State) error {
				arrivals := e.mock.Arrivals(client.OpCreateProject)
				if len(arrivals) != failures+1 {
					return fmt.Errorf("CreateProject sent %d times, want %d", len(arrivals), failures+1)
				}
				var total time.Duration
				for n := 1; n < len(arrivals); n++ {
					// Backoff(n) is at least half of min(BaseDelay * 2^(n-1), MaxDelay).
					floor := min(e.retry.BaseDelay<<(n-1), e.retry.MaxDelay) / 2
					gap := arrivals[n].Sub(arrivals[n-1])
					total += gap
					if gap < floor {
						return fmt.Errorf("create %d came %s after the one before, under the backoff's floor of %s", n+1, gap, floor)
					}
				}
				t.Logf("%d creates over %s", len(arrivals), total)
				return e.checkWarnings(0)
			},
		}},
	})
}

// A 3xx from the API is never followed: a create, a read and the token request (whose body
// holds the password) redirected to another port fail with the status and the Location, and
// the other port receives nothing, neither a header nor a body.
func TestAccTrust_redirectsAreRefused(t *testing.T) {
	t.Parallel()
	redirected := func(status int, location string) string {
		return fmt.Sprintf(`the API answered HTTP %d, a redirect to "%s". Redirects are never followed, so that credentials reach only the configured host; nothing was sent there. Check auth_url \(HW_AUTH_URL or OS_AUTH_URL\)`,
			status, strings.ReplaceAll(location, ".", `\.`))
	}
	t.Run("create", func(t *testing.T) {
		t.Parallel()
		e, capture := newTestEnv(t, mock.OTC), acctest.NewCaptureServer(t)
		location := capture.URL + "/v3/projects"
		e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.Redirect, Status: http.StatusTemporaryRedirect, Location: location})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      e.config(projectConfig("eu-de_redirected")),
				ExpectError: acctest.ErrorPattern(`Error creating IAM project "eu-de_redirected".*IAM CreateProject: ` + redirected(307, location)),
			}},
		})
		capture.CheckNothingReceived(t)
		if n := len(e.created()); n != 0 {
			t.Errorf("the mock holds %d projects after a redirected create", n)
		}
	})
	t.Run("read", func(t *testing.T) {
		t.Parallel()
		e, capture := newTestEnv(t, mock.OTC), acctest.NewCaptureServer(t)
		location := capture.URL + "/v3-ext/projects/x"
		cfg := e.config(projectConfig("eu-de_read"))
		var id string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			CheckDestroy:             acctest.CheckDestroyed(e.created),
			Steps: []resource.TestStep{
				{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
				{
					PreConfig: func() {
						e.mock.Inject(client.OpShowProjectStatus, mockserver.Fault{Kind: mockserver.Redirect, Status: http.StatusFound, Location: location})
					},
					Config:      cfg,
					ExpectError: acctest.ErrorPattern(`Error reading IAM project [0-9a-f]{32}.*IAM ShowProjectStatus: ` + redirected(302, location)),
				},
				{
					// The state was left as it was.
					Config:            cfg,
					ConfigStateChecks: append(e.expectInMock(projectAddr, "eu-de_read", 1), acctest.SameString(projectAddr, "id", &id)),
				},
			},
		})
		capture.CheckNothingReceived(t)
	})
	t.Run("token request", func(t *testing.T) {
		t.Parallel()
		e, capture := newTestEnv(t, mock.OTC), acctest.NewCaptureServer(t)
		location := capture.URL + "/v3/auth/tokens"
		e.mock.Inject(client.OpCreateToken, mockserver.Fault{Kind: mockserver.Redirect, Status: http.StatusTemporaryRedirect, Location: location})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      e.config(projectConfig("eu-de_token")),
				ExpectError: acctest.ErrorPattern(`Cannot use the iam provider's endpoint.*IAM CreateToken: ` + redirected(307, location)),
			}},
		})
		capture.CheckNothingReceived(t) // the password's request among them
		acctest.CheckNoRequests(t, e.mock, client.OpListAuthDomains, client.OpCreateToken)
	})
}

// newTLSTestEnv serves the mock over HTTPS with httptest's own certificate, which no system
// trusts, and writes that certificate as a PEM file.
func newTLSTestEnv(t *testing.T) (e *testEnv, certFile, certPEM string) {
	t.Helper()
	m := mock.New(mock.OTC)
	fx := m.Seed()
	srv := httptest.NewTLSServer(m)
	t.Cleanup(srv.Close)
	certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	certFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(certFile, []byte(certPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParseCertificate(srv.Certificate().Raw); err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, mock: m, fx: fx, url: srv.URL + "/v3"}, certFile, certPEM
}

// An endpoint whose certificate is not trusted fails at once, without retries, naming the TLS
// settings; with the certificate in cacert_file (a path or PEM text) it works; with insecure it
// works and the provider warns.
func TestAccTrust_tls(t *testing.T) {
	t.Parallel()
	e, certFile, certPEM := newTLSTestEnv(t)
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(projectConfig("eu-de_tls")),
			ExpectError: acctest.ErrorPattern(`Cannot use the iam provider's endpoint.*IAM CreateToken: cannot use https://127\.0\.0\.1:[0-9]+: .*certificate.*` +
				`Check auth_url \(HW_AUTH_URL or OS_AUTH_URL\) and cacert_file or ca_file \(OS_CACERT\), or insecure \(HW_INSECURE or OS_INSECURE\)`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("an untrusted certificate took %s to fail; it must not be retried", elapsed)
	}
	acctest.CheckNoRequests(t, e.mock) // the handshake failed: no HTTP request reached the mock

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				Config:            e.passwordProvider(fmt.Sprintf("cacert_file = %q", certFile)) + projectConfig("eu-de_tls"),
				ConfigStateChecks: e.expectInMock(projectAddr, "eu-de_tls", 1),
			},
			{
				// PEM text, as the huaweicloud provider also takes it, under the other name.
				Config:            e.passwordProvider("ca_file = <<-EOT\n"+certPEM+"EOT") + projectConfig("eu-de_tls"),
				ConfigStateChecks: e.expectInMock(projectAddr, "eu-de_tls", 1),
			},
			{
				PreConfig: func() {
					for _, w := range e.warnings.Configure() {
						t.Errorf("a trusted certificate gave a warning: %s", w)
					}
				},
				Config:            e.passwordProvider("insecure = true") + projectConfig("eu-de_tls", `description = "insecure"`),
				ConfigStateChecks: e.expectInMock(projectAddr, "eu-de_tls", 1),
				Check: func(*terraform.State) error {
					warnings := e.warnings.Configure()
					if len(warnings) == 0 || !acctest.ErrorPattern(`TLS certificate verification is off.*insecure = true \(or HW_INSECURE or OS_INSECURE\) makes the iam provider accept any certificate`).MatchString(warnings[0]) {
						return fmt.Errorf("insecure = true gave no warning: %q", warnings)
					}
					return nil
				},
			},
		},
	})
}

// An http:// auth_url on a host that is not loopback is refused when the provider is
// configured, before any request, naming what would travel in clear and the opt-in; with the
// opt-in the provider goes on (and here fails fast on a host that does not resolve).
func TestAccTrust_plaintextRefused(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	remote := "http://example.invalid/v3"
	password := fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  user_name = %q\n  password = %q\n  domain_name = %q\n", remote,
		e.fx.AdminUser, e.fx.AdminPassword, e.fx.DomainName)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: password + "}\n" + projectConfig("eu-de_clear"),
				ExpectError: acctest.ErrorPattern(`Refusing to send the iam provider's credentials in clear.*http://example\.invalid uses plain http:// to example\.invalid, ` +
					`a host that is not loopback: the password \(in POST /v3/auth/tokens\) and the tokens it is exchanged for would travel in clear.*` +
					`set allow_plaintext_http = true in the provider block \(or HW_ALLOW_PLAINTEXT_HTTP=true\)`),
			},
			{
				Config:      fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  token = \"t\"\n}\n", remote) + projectConfig("eu-de_clear"),
				ExpectError: acctest.ErrorPattern(`the token \(X-Auth-Token of every request\) would travel in clear`),
			},
			{
				Config: password + "  allow_plaintext_http = true\n}\n" + projectConfig("eu-de_clear"),
				ExpectError: acctest.ErrorPattern(`Cannot use the iam provider's endpoint.*cannot use http://example\.invalid: .*no such host.*` +
					`Check auth_url \(HW_AUTH_URL or OS_AUTH_URL\)`),
			},
		},
	})
	acctest.CheckNoRequests(t, e.mock)
}
