package iam

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// Issue 6's fault-injection tests for iam. Covered elsewhere, not repeated here: a create whose
// answer is lost (TestAccProject_createOutcomeUnknown), a project that stays invisible after
// create (TestAccProject_invisibleAfterCreate), projects changed or deleted out of band
// (TestAccProject_changedOrDeletedOutOfBand), wrong credentials (TestAccProvider_authFailures)
// and a cached token that expires mid-run (TestAccProvider_expiredTokenIsRenewed).

// faultTest applies one project with faults injected first and destroys it, asserting that
// exactly one project results, that no project was adopted (nothing was left unconfirmed) and
// that the operations were sent as often as want says by the time the apply ends.
func faultTest(t *testing.T, inject func(e *testEnv), want map[string]int, atLeast ...map[string]int) {
	t.Helper()
	e := newTestEnv(t, mock.OTC)
	inject(e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: e.config(projectConfig("eu-de_faulty", `description = "survives faults"`)),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkMockProject(projectAddr, client.Project{Name: "eu-de_faulty", Description: "survives faults"}, 1),
				acctest.CheckRequests(e.mock, want),
				func(*terraform.State) error {
					for _, floor := range atLeast {
						if err := acctest.CheckRequestsAtLeast(e.mock, floor)(nil); err != nil {
							return err
						}
					}
					return nil
				},
				func(*terraform.State) error { return e.checkWarnings(0) },
			),
		}},
	})
}

// Until the apply ends, ListProjects serves two plan-time name checks (the pre-apply plan's and
// the apply's, whose listing holds the region's project, the create's parent) and the create's
// lookup before it is sent.
const listsPerApply = 3

// Throttled calls are refused before the server acts, so even a create is simply sent again.
func TestAccReliability_throttlingBurst(t *testing.T) {
	t.Parallel()
	throttle := mockserver.Fault{Kind: mockserver.Throttle}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject(client.OpListProjects, throttle, throttle)
		e.mock.Inject(client.OpCreateProject, throttle, throttle, throttle, throttle)
		e.mock.Inject(client.OpShowProjectStatus, throttle, throttle)
		e.mock.Inject(client.OpDeleteProject, throttle, throttle)
	}, map[string]int{client.OpCreateProject: 5, client.OpListProjects: listsPerApply + 2})
}

// Throttling that outlasts the retries fails with a hint on how to lower the rate, and leaves
// nothing behind.
func TestAccReliability_throttledTooLong(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	throttle := mockserver.Fault{Kind: mockserver.Throttle}
	e.mock.Inject(client.OpCreateProject, throttle, throttle, throttle, throttle, throttle, throttle)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(projectConfig("eu-de_throttled")),
			ExpectError: acctest.ErrorPattern(`Error creating IAM project "eu-de_throttled".*HTTP status: 429.*Error code: APIGW.0308` +
				`.*Lower the provider's max_requests_per_second or run terraform with a lower -parallelism.*gave up after 6 attempts`),
		}},
	})
	if n := len(e.created()); n != 0 {
		t.Errorf("the mock holds %d projects after throttled creates", n)
	}
}

// A 5xx on a create may or may not have acted: the provider looks the name up before it sends
// the create again. Reads and deletes are retried as they are.
func TestAccReliability_serverErrorsThenSuccess(t *testing.T) {
	t.Parallel()
	faultTest(t, func(e *testEnv) {
		for _, op := range []string{client.OpCreateProject, client.OpShowProjectStatus, client.OpDeleteProject} {
			e.mock.Inject(op,
				mockserver.Fault{Kind: mockserver.ServerError, Status: 500},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 502},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 503})
		}
	}, map[string]int{client.OpCreateProject: 4}, map[string]int{client.OpListProjects: listsPerApply + 3*2})
}

// A connection reset after the create was sent leaves its outcome unknown: lookups for the
// read-after-create wait, then the create again.
func TestAccReliability_connectionReset(t *testing.T) {
	t.Parallel()
	reset := mockserver.Fault{Kind: mockserver.ResetConnection}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject(client.OpListProjects, reset)
		e.mock.Inject(client.OpCreateProject, reset)
		e.mock.Inject(client.OpShowProjectStatus, reset, reset)
		e.mock.Inject(client.OpDeleteProject, reset)
	}, map[string]int{client.OpCreateProject: 2}, map[string]int{client.OpListProjects: listsPerApply + 1 + 2})
}

// A create slower than the resource's create timeout fails clearly and soon, and the lookup
// that follows finds nothing to adopt (the server never acted), so nothing is left behind.
func TestAccReliability_timeout(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.Delay, Delay: 30 * time.Second})
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "iam_project" "test" {
  name = "eu-de_slow"
  timeouts {
    create = "2s"
  }
}
`),
			ExpectError: acctest.ErrorPattern(`Error creating IAM project "eu-de_slow".*CreateProject: timed out after 2s, the operation's timeout.*raise the resource's timeouts`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 15*time.Second {
		t.Errorf("the timed-out apply took %s; it should end soon after the 2s timeout", elapsed)
	}
	if n := len(e.created()); n != 0 {
		t.Errorf("the mock holds %d projects after a create that timed out before the server acted", n)
	}
	if n := e.mock.Requests(client.OpCreateProject); n != 1 {
		t.Errorf("CreateProject sent %d times, want once: a timed-out create is not sent again", n)
	}
}

// A token given as it is and expired since cannot be renewed: the error says which setting to
// change, and nothing is created.
func TestAccReliability_expiredToken(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	token := e.mock.IssueToken(e.fx.DomainName, e.fx.AdminUser)
	e.mock.ExpireTokens()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.tokenProvider(token) + projectConfig("eu-de_expired"),
			ExpectError: acctest.ErrorPattern(`HTTP status: 401.*Request ID: [0-9a-f-]{36}.*HW_AUTH_TOKEN`),
		}},
	})
	if n := len(e.created()); n != 0 {
		t.Errorf("%d projects created with an expired token", n)
	}
	if n := e.mock.Requests(client.OpCreateProject); n != 0 {
		t.Errorf("CreateProject sent %d times with an expired token; the plan-time lookup should have failed first", n)
	}
}

// On Open Telekom Cloud every delete revokes the account's tokens. Destroying many projects at
// once with a password must not send calls with a token that a concurrent delete revokes: no
// request is refused, every project is deleted.
func TestAccReliability_parallelDeletesRevokeTokens(t *testing.T) {
	t.Parallel()
	const count = 30
	e := newTestEnv(t, mock.OTC)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: func(s *terraform.State) error {
			if err := acctest.CheckDestroyed(e.created)(s); err != nil {
				return err
			}
			if n := e.mock.Requests(client.OpDeleteProject); n != count {
				return fmt.Errorf("DeleteProject sent %d times, want %d", n, count)
			}
			if n := e.mock.Unauthorized(); n != 0 {
				return fmt.Errorf("%d requests were refused with 401: a call went out with a token a delete had revoked", n)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
resource "iam_project" "bulk" {
  count = %d
  name  = "eu-de_bulk-${count.index}"
}
`, count)),
			Check: func(*terraform.State) error {
				if n := len(e.created()); n != count {
					return fmt.Errorf("the mock holds %d projects, want %d", n, count)
				}
				return nil
			},
		}},
	})
}

// 200 projects at -parallelism=50, with the mock refusing more than 20 requests per second of
// one operation and max_requests_per_second = 20: no failures, and the client-side limiter uses
// at least 90% of the limit. terraform-plugin-testing cannot run this: terraform-exec always
// passes -parallelism=10, which overrides TF_CLI_ARGS_apply, so the test runs terraform itself.
func TestAccReliability_rateLimit(t *testing.T) {
	acctest.RequireAcc(t)
	if testing.Short() {
		t.Skip("takes about 40 seconds")
	}
	t.Parallel()
	const count, limit, parallelism = 200, 20, 50
	e := newTestEnv(t, mock.OTC)
	e.mock.SetRateLimit(limit)
	var probe acctest.ConcurrencyProbe
	p := &Provider{version: "test", configureClient: func(c *client.Config) {
		c.Retry = transport.RetryPolicy{MaxAttempts: 6, BaseDelay: 10 * time.Millisecond, MaxDelay: 100 * time.Millisecond}
	}}
	// AK/SK signs each request: no token for 50 concurrent calls to share.
	wd := acctest.ServeWorkdir(t, TypeName, func() tfprotov6.ProviderServer {
		return probe.Wrap(providerserver.NewProtocol6(p)())
	}, fmt.Sprintf(`
provider "iam" {
  auth_url                = %q
  access_key              = %q
  secret_key              = %q
  domain_id               = %q
  max_requests_per_second = %d
}
resource "iam_project" "bulk" {
  count = %d
  name  = "eu-de_bulk-${count.index}"
}
`, e.url, e.fx.AccessKey, e.fx.SecretKey, e.fx.DomainID, limit, count))
	par := fmt.Sprintf("-parallelism=%d", parallelism)
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve", par)
	if n := len(e.created()); n != count {
		t.Errorf("the mock holds %d projects, want %d", n, count)
	}
	for _, op := range []string{client.OpListProjects, client.OpCreateProject, client.OpShowProjectStatus} {
		st := e.mock.OperationStats(op)
		t.Logf("%s: %d requests, %d throttled, %.1f requests/s", op, st.Requests, st.Throttled, float64(st.Requests-1)/st.Last.Sub(st.First).Seconds())
	}
	st := e.mock.OperationStats(client.OpCreateProject)
	rate := float64(st.Requests-1) / st.Last.Sub(st.First).Seconds()
	if st.Requests-st.Throttled != count {
		t.Errorf("%d CreateProject requests were accepted, want %d", st.Requests-st.Throttled, count)
	}
	if rate < 0.9*limit {
		t.Errorf("the provider reached %.1f CreateProject requests/s, under 90%% of the limit of %d", rate, limit)
	}
	// Terraform's default -parallelism is 10; a node's PlanResourceChange and
	// ApplyResourceChange both count, since each waits in the provider's rate limiter.
	t.Logf("at most %d resource changes were planned or applied at once", probe.Peak())
	if n := probe.Peak(); n <= 2*10 {
		t.Errorf("at most %d resource changes ran at once; -parallelism=%d did not take effect", n, parallelism)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve", par)
	if n := len(e.created()); n != 0 {
		t.Errorf("the mock holds %d projects after destroy", n)
	}
	if st := e.mock.OperationStats(client.OpDeleteProject); st.Requests-st.Throttled != count {
		t.Errorf("%d DeleteProject requests were accepted, want %d", st.Requests-st.Throttled, count)
	}
}

// Under TF_LOG=TRACE, with secrets of all three kinds given through the environment, a parallel
// apply of several projects logs API lines that each name Terraform's request (tf_req_id,
// tf_rpc, tf_resource_type: "provider.iam" for the credential check at configure) and the
// project served, with the request and response bodies, but none of the secrets, nor any token.
func TestAccReliability_traceLogsHaveNoSecrets(t *testing.T) {
	e := newTestEnv(t, mock.OTC)
	token := e.mock.IssueToken(e.fx.DomainName, e.fx.AdminUser)
	// Secrets come from the environment, as they usually do: the test harness logs the HCL it
	// writes, so secrets in the configuration text would show up in its own log lines.
	t.Setenv("HW_USER_NAME", e.fx.AdminUser)
	t.Setenv("HW_USER_PASSWORD", e.fx.AdminPassword)
	t.Setenv("HW_DOMAIN_NAME", e.fx.DomainName)
	traceLog := acctest.TraceLog(t)
	provider := fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n}\n", e.url)
	step := func(description string) string {
		return provider + fmt.Sprintf(`
resource "iam_project" "logged" {
  count       = 3
  name        = "eu-de_logged-${count.index}"
  description = %q
}
`, description)
	}
	check := func(description string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for _, p := range e.created() {
				if p.Description != description {
					return fmt.Errorf("project %s has description %q, want %q", p.Name, p.Description, description)
				}
			}
			if n := len(e.created()); n != 3 {
				return fmt.Errorf("the mock holds %d projects, want 3", n)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				// The password, exchanged for a token (X-Subject-Token in the answer).
				Config: step("password"),
				Check:  check("password"),
			},
			{
				// A temporary access key, which takes precedence.
				PreConfig: func() {
					t.Setenv("HW_ACCESS_KEY", e.fx.TempAccessKey)
					t.Setenv("HW_SECRET_KEY", e.fx.TempSecretKey)
					t.Setenv("HW_SECURITY_TOKEN", e.fx.STToken)
					t.Setenv("HW_DOMAIN_ID", e.fx.DomainID)
				},
				Config: step("aksk"),
				Check:  check("aksk"),
			},
			{
				// A token, which takes precedence over both (X-Auth-Token in every request).
				PreConfig: func() { t.Setenv("HW_AUTH_TOKEN", token) },
				Config:    step("token"),
				Check:     check("token"),
			},
			{
				// On OTC the first delete revokes every token: destroy with the access key.
				PreConfig: func() { t.Setenv("HW_AUTH_TOKEN", "") },
				Config:    step("token"),
				Check:     check("token"),
			},
		},
	})
	logs := traceLog()
	text := logs
	// The log must really hold the provider's API traces, or this test proves nothing.
	for _, want := range []string{
		`API request body`, `API response body`, `operation=CreateProject`, `operation=CreateToken`, `operation=UpdateProject`,
		`operation=ListProjects`, `path="/v3/projects?`, `per_page=`, `request_id=`, `X-Auth-Token:***`, `X-Subject-Token:***`,
		`Authorization:***`, `X-Security-Token:***`, `"description":"aksk"`, `project_name=eu-de_logged-1`, `project_id=`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the TRACE log lacks %s", want)
		}
	}
	apiLines := 0
	for _, line := range logEntries(text) {
		if !strings.Contains(line, "API request") && !strings.Contains(line, "API response") {
			continue
		}
		apiLines++
		if !strings.Contains(line, "tf_req_id=") || !strings.Contains(line, "tf_rpc=") || !strings.Contains(line, "tf_resource_type=") {
			t.Errorf("an API line lacks Terraform's request fields: %.300s", line)
			continue
		}
		// The credential check runs when the provider is configured, for no resource.
		want := "tf_resource_type=iam_project"
		if strings.Contains(line, "tf_rpc=ConfigureProvider") {
			want = "tf_resource_type=provider.iam"
		}
		if !strings.Contains(line, want) {
			t.Errorf("an API line lacks %s: %.300s", want, line)
		}
		if strings.Contains(line, "operation=CreateProject") && !strings.Contains(line, "project_name=eu-de_logged-") {
			t.Errorf("a CreateProject line does not name the project: %.300s", line)
		}
	}
	if apiLines < 20 {
		t.Errorf("only %d API lines in the log", apiLines)
	}
	for _, secret := range []string{e.fx.AdminPassword, e.fx.TempSecretKey, e.fx.STToken, token, "MIIE", "Signature="} {
		if strings.Contains(text, secret) {
			t.Errorf("the TRACE log (%d bytes) contains the secret %q", len(logs), secret)
		}
	}
}

// logEntries splits a log into its entries: each starts with a timestamp, and a field whose
// value spans several lines continues on the lines that follow.
func logEntries(log string) []string {
	var entries []string
	for _, line := range strings.Split(log, "\n") {
		if logEntryStart.MatchString(line) || len(entries) == 0 {
			entries = append(entries, line)
			continue
		}
		entries[len(entries)-1] += "\n" + line
	}
	return entries
}

var logEntryStart = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)

// Another run's deletes revoke the account's tokens right before each of our first three
// creates: the create renews its token each time and succeeds, with one project. Revoked before
// every attempt, the apply fails saying the tokens are being revoked (not blaming the password),
// and nothing was created.
func TestAccReliability_createUnderTokenRevocation(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for _, tc := range []struct {
		name    string
		revoked int
		want    int // projects in the mock after the apply
	}{{"renewed", 3, 1}, {"persistent", 100, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, mock.OTC)
			e.mock.RevokeTokensBefore(client.OpCreateProject, tc.revoked)
			wd := e.workdir(e.passwordProvider(skipCheck) + projectConfig("eu-de_revoked"))
			out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
			ps := e.created()
			if len(ps) != tc.want {
				t.Fatalf("the mock holds %+v, want %d project(s):\n%s", ps, tc.want, out)
			}
			if tc.want == 1 && (code != 0 || wd.State()[projectAddr].ID != ps[0].ID) {
				t.Errorf("apply exited %d, state %+v; want the created project %s in it:\n%s", code, wd.State(), ps[0].ID, out)
			}
			if tc.want == 0 && (code != 1 || !acctest.ErrorPattern(`tokens are being revoked`).MatchString(out) || strings.Contains(out, "HW_USER_PASSWORD")) {
				t.Errorf("apply exited %d; want an error saying the tokens are being revoked:\n%s", code, out)
			}
			wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
			if ps := e.created(); len(ps) != 0 {
				t.Errorf("after the destroy the mock holds %+v", ps)
			}
		})
	}
}
