package yunxiao

import (
	"fmt"
	"os"
	"path/filepath"
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
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// faultProject is what faultTest applies: with a description, so that create also sends
// UpdateProjectField.
var faultProject = project{name: "faulty", code: "FALT", template: testTemplate, description: "survives faults"}

// faultTest applies faultProject with faults injected first and asserts that exactly one project
// results, with the calls counted as want. The plan-time conflict check is off, so that
// ListProjects counts only the lookups of an unconfirmed create.
func faultTest(t *testing.T, inject func(e *testEnv), wantCalls map[string]int) {
	e := newTestEnv(t)
	inject(e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: e.configWith("skip_conflict_check = true", faultProject.String()),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkMockProject(projectAddr, testOrg, client.Project{Name: "faulty", CustomCode: "FALT", Scope: "private", Description: "survives faults"}, 1),
				e.checkCalls(wantCalls),
			),
		}},
	})
}

// checkCalls asserts how often each operation reached the mock.
func (e *testEnv) checkCalls(want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for op, n := range want {
			if got := e.mock.Requests(op); got != n {
				return fmt.Errorf("%s was called %d times, want %d", op, got, n)
			}
		}
		return nil
	}
}

// A burst of Throttling.User answers is waited out; a throttled create never acted, so it is
// simply sent again.
func TestAccReliability_throttlingBurst(t *testing.T) {
	throttle := mockserver.Fault{Kind: mockserver.Throttle}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", throttle, throttle, throttle, throttle)
		e.mock.Inject("UpdateProjectField", throttle, throttle)
		e.mock.Inject("GetProjectInfo", throttle, throttle)
		e.mock.Inject("DeleteProject", throttle, throttle)
	}, map[string]int{"CreateProject": 5, "ListProjects": 0})
}

// A 5xx on createProject may or may not have acted: the provider looks the custom code up
// before it sends the create again. Idempotent calls are simply retried.
func TestAccReliability_serverErrorsThenSuccess(t *testing.T) {
	faultTest(t, func(e *testEnv) {
		for _, op := range []string{"CreateProject", "UpdateProjectField", "GetProjectInfo", "DeleteProject"} {
			e.mock.Inject(op,
				mockserver.Fault{Kind: mockserver.ServerError, Status: 500},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 502},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 503})
		}
	}, map[string]int{"CreateProject": 4, "ListProjects": 3})
}

func TestAccReliability_connectionReset(t *testing.T) {
	reset := mockserver.Fault{Kind: mockserver.ResetConnection}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", reset)
		e.mock.Inject("UpdateProjectField", reset)
		e.mock.Inject("GetProjectInfo", reset, reset)
		e.mock.Inject("DeleteProject", reset)
	}, map[string]int{"CreateProject": 2, "ListProjects": 1})
}

// createProject acts but its answer is lost: the project is found by its custom code and
// adopted, not created twice.
func TestAccReliability_lostCreateResponse(t *testing.T) {
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	}, map[string]int{"CreateProject": 1, "ListProjects": 1})
}

// After an unconfirmed create, a project with the custom code but another name is not this
// create's: it is not adopted, and the create sent again fails with the conflict, naming it.
func TestAccReliability_unconfirmedCreateDoesNotAdoptAnotherProject(t *testing.T) {
	e := newTestEnv(t)
	other := e.mock.PutProject(testOrg, client.Project{Name: "someone else's", CustomCode: "FALT"})
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ServerError, Status: 500})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.configWith("skip_conflict_check = true", faultProject.String()),
			ExpectError: regexp.MustCompile(`(?s)Custom code FALT is already used in organization ` + testOrg + `.*` +
				wsq(`Project `+other+` ("someone else's") already has custom code FALT`)),
		}},
	})
	if ps := e.mock.Projects(testOrg); len(ps) != 1 || ps[0].Identifier != other || ps[0].Name != "someone else's" {
		t.Errorf("the mock holds %+v, want only the other project, unchanged", ps)
	}
	if n := e.mock.Requests("CreateProject"); n != 2 {
		t.Errorf("CreateProject was called %d times, want 2 (the 500, then the refused retry)", n)
	}
}

// Throttling that outlasts the retries fails with a hint on how to lower the rate.
func TestAccReliability_throttledHint(t *testing.T) {
	e := newTestEnv(t)
	for range testRetries {
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Throttle})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(faultProject.String()),
			ExpectError: regexp.MustCompile(`(?s)Error creating Yunxiao project.*Error code: Throttling\.User.*` + requestID + `.*` +
				wsq(`Lower the provider's max_requests_per_second or run terraform with a lower -parallelism.`) + `.*` +
				ws(fmt.Sprintf(`gave up after %d attempts`, testRetries))),
		}},
	})
	if n := len(e.mock.Projects(testOrg)); n != 0 {
		t.Errorf("the mock holds %d projects after throttled creates", n)
	}
}

// A create slower than its timeout fails soon after the timeout with an error that says so; the
// lookup that follows finds nothing, so nothing is left behind.
func TestAccReliability_timeout(t *testing.T) {
	e := newTestEnv(t)
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Delay, Delay: 20 * time.Second})
	p := strings.Replace(base("slow", "SLOW").String(), "}\n", "  timeouts {\n    create = \"1s\"\n  }\n}\n", 1)
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config(p),
			ExpectError: regexp.MustCompile(`(?s)Error creating Yunxiao project.*CreateProject: ` + ws(`timed out: the operation's timeout of 1s ran out.*raise the resource's timeouts`)),
		}},
	})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the timed-out apply took %s; it should end soon after the 1s timeout", elapsed)
	}
	if n := len(e.mock.Projects(testOrg)); n != 0 {
		t.Errorf("the mock holds %d projects after a create that timed out before the server acted", n)
	}
}

// A new project that GetProjectInfo does not show yet is waited for, not reported as missing.
func TestAccReliability_readAfterCreate(t *testing.T) {
	e := newTestEnv(t)
	e.mock.HideNewProjects(3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: e.config(base("eventual", "EVENT").String()),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkMockProject(projectAddr, testOrg, client.Project{Name: "eventual", CustomCode: "EVENT", Scope: "private"}, 1),
				func(*terraform.State) error {
					if n := e.mock.Requests("GetProjectInfo"); n < 4 {
						return fmt.Errorf("GetProjectInfo was called %d times; the provider did not wait for the hidden project", n)
					}
					return nil
				},
			),
		}},
	})
}

// bulkCodes returns n distinct custom codes: BK followed by three letters.
func bulkCodes(n int) []string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("BK%c%c%c", 'A'+i/676, 'A'+i/26%26, 'A'+i%26)
	}
	return codes
}

// 200 projects at -parallelism=50 against a mock that allows 20 requests per second per
// operation, with the provider limited to the same: no failures, and at least 90% of the limit
// used. The plan-time conflict check stays on. terraform runs directly (terraform-plugin-testing
// always passes -parallelism=10), and a probe proves more than 10 resource changes ran at once.
func TestAccReliability_rateLimit(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if testing.Short() {
		t.Skip("takes about a minute")
	}
	const count, limit, parallelism = 200, 20, 50
	e := newTestEnv(t)
	e.mock.SetRateLimit(limit)
	var probe acctest.ConcurrencyProbe
	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/yunxiao": func() tfprotov6.ProviderServer {
			return probe.Wrap(providerserver.NewProtocol6(testProvider())())
		},
	})
	codes := `"` + strings.Join(bulkCodes(count), `", "`) + `"`
	wd := acctest.NewWorkdir(t, map[string]string{"main.tf": terraformBlock + e.configWith(fmt.Sprintf("max_requests_per_second = %d", limit), fmt.Sprintf(`
locals {
  codes = [%s]
}
resource "yunxiao_project" "bulk" {
  count               = %d
  name                = "bulk-${count.index}"
  custom_code         = local.codes[count.index]
  template_identifier = %q
}
`, codes, count, testTemplate))}, reattach)
	par := fmt.Sprintf("-parallelism=%d", parallelism)
	wd.MustRun("init", "-input=false")
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve", par)

	if n := len(e.mock.Projects(testOrg)); n != count {
		t.Errorf("the mock holds %d projects, want %d", n, count)
	}
	for _, op := range []string{"ListProjects", "GetProjectInfo"} {
		st := e.mock.OperationStats(op)
		t.Logf("%s: %d requests, %d throttled (and retried)", op, st.Requests, st.Throttled)
	}
	st := e.mock.OperationStats("CreateProject")
	rate := float64(st.Requests-1) / st.Last.Sub(st.First).Seconds()
	t.Logf("CreateProject: %d requests, %d throttled (and retried), %.1f requests/s; at most %d resource changes at once",
		st.Requests, st.Throttled, rate, probe.Peak())
	// A throttled create never acted and is sent again; what must hold is that every project
	// was created once.
	if st.Requests-st.Throttled != count {
		t.Errorf("%d CreateProject requests were accepted, want %d", st.Requests-st.Throttled, count)
	}
	if rate < 0.9*limit {
		t.Errorf("the provider reached %.1f requests/s, under 90%% of the limit of %d", rate, limit)
	}
	if probe.Peak() <= 2*10 {
		t.Errorf("at most %d resource changes ran at once; -parallelism=%d did not take effect", probe.Peak(), parallelism)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve", par)
	if n := len(e.mock.Projects(testOrg)); n != 0 {
		t.Errorf("the mock holds %d projects after destroy", n)
	}
	if st := e.mock.OperationStats("DeleteProject"); st.Requests-st.Throttled != count {
		t.Errorf("%d DeleteProject requests were accepted, want %d", st.Requests-st.Throttled, count)
	}
}

// Under TF_LOG=TRACE, with the provider's API logging on and the credentials in the environment,
// no secret appears anywhere in the captured log.
func TestAccReliability_traceLogsHaveNoSecrets(t *testing.T) {
	e := newTestEnv(t)
	const keyID, secret, token = "STS.pkTraceKey", "trace-secret-MUST-NOT-LEAK-0000001", "trace-security-token-MUST-NOT-LEAK-02"
	e.mock.AddKey(keyID, secret, token, testOrg)
	dir := t.TempDir()
	// From the environment, as they usually are: the test harness logs the configuration it
	// writes, so secrets in the configuration text would show up in its own log lines.
	t.Setenv(EnvAccessKeyID, keyID)
	t.Setenv(EnvAccessKeySecret, secret)
	t.Setenv(EnvSecurityToken, token)
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "yunxiao" {
  organization_id = %q
  endpoint        = %q
}
`, testOrg, e.url) + minimalProject,
			Check: e.checkMockProject(projectAddr, testOrg, client.Project{Name: "creds", CustomCode: "CRED", Scope: "private"}, 1),
		}},
	})
	logs, err := os.ReadFile(filepath.Join(dir, t.Name()+".log"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(logs)
	// The log must really hold the provider's API traces, or this test proves nothing.
	for _, want := range []string{`API request headers`, `operation=CreateProject`, `operation=ListProjects`, `X-Acs-Security-Token:***`,
		`Authorization:***`, `request_id=`} {
		if !strings.Contains(text, want) {
			t.Errorf("the TRACE log lacks %s", want)
		}
	}
	for _, s := range []string{secret, token, "Signature="} {
		if strings.Contains(text, s) {
			t.Errorf("the TRACE log (%d bytes) contains %q", len(logs), s)
		}
	}
}
