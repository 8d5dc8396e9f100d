package trro

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// validationCalls is how many DescribeProjectList calls the credentials check at Configure makes
// in one test case: one, cached for the provider instance the test case shares.
const validationCalls = 1

// faultTest applies projectConfig("faulty", ...) with faults injected first, and asserts that
// exactly one project results, with the calls counted as want and DescribeProjectList (the
// lookups: one before the create, and those after an unknown outcome, to which the credentials
// check is added) at least minLookups times.
func faultTest(t *testing.T, inject func(m *testEnv), wantCalls map[string]int, minLookups int) {
	t.Helper()
	if _, ok := wantCalls[client.ActionDescribeProjectList]; ok {
		wantCalls[client.ActionDescribeProjectList] += validationCalls
	}
	e := newTestEnv(t)
	inject(e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: e.config(projectConfig("faulty", "survives faults", "")),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkMockProject(projectAddr, client.Project{Name: "faulty", Description: "survives faults", PolicyMode: "black"}, 1),
				acctest.CheckRequests(e.mock, wantCalls),
				acctest.CheckRequestsAtLeast(e.mock, map[string]int{client.ActionDescribeProjectList: validationCalls + minLookups}),
			),
		}},
	})
}

func TestAccReliability_throttlingBurst(t *testing.T) {
	t.Parallel()
	throttle := mockserver.Fault{Kind: mockserver.Throttle}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", throttle, throttle, throttle, throttle)
		e.mock.Inject("DescribeProjectInfo", throttle, throttle)
		e.mock.Inject("DeleteProject", throttle, throttle)
	}, map[string]int{"CreateProject": 5, "DescribeProjectList": 1}, 1) // throttled creates did not act: only the lookup before
}

// A 5xx on a create may or may not have acted: the provider looks, repeatedly for the
// read-after-create wait, before it sends again.
func TestAccReliability_serverErrorsThenSuccess(t *testing.T) {
	t.Parallel()
	faultTest(t, func(e *testEnv) {
		for _, op := range []string{"CreateProject", "DescribeProjectInfo", "DeleteProject"} {
			e.mock.Inject(op,
				mockserver.Fault{Kind: mockserver.ServerError, Status: 500},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 502},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 503})
		}
	}, map[string]int{"CreateProject": 4}, 1+3*2)
}

func TestAccReliability_connectionReset(t *testing.T) {
	t.Parallel()
	reset := mockserver.Fault{Kind: mockserver.ResetConnection}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", reset)
		e.mock.Inject("DescribeProjectInfo", reset, reset)
		e.mock.Inject("DeleteProject", reset)
	}, map[string]int{"CreateProject": 2}, 1+2)
}

// The server creates the project but the answer is lost: the provider adopts it instead of
// creating a second one.
func TestAccReliability_lostCreateResponse(t *testing.T) {
	t.Parallel()
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	}, map[string]int{"CreateProject": 1, "DescribeProjectList": 2}, 2) // before, and the one that finds it
}

// A lost create in an account that already holds an identical project: the twin existed before
// the create was sent, so it is not this create's; the new one is adopted, the twin untouched.
func TestAccReliability_lostCreateResponseBesideATwin(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	twin := e.mock.PutProject(client.Project{Name: "faulty", Description: "survives faults", PolicyMode: "black"})
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(projectConfig("faulty", "survives faults", "")),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttrWith(projectAddr, "id", func(id string) error {
					if id == twin {
						return fmt.Errorf("the twin %s, which existed before the create, was adopted", id)
					}
					return nil
				}),
				e.checkMockProject(projectAddr, client.Project{Name: "faulty", Description: "survives faults", PolicyMode: "black"}, 2),
			),
		}},
	})
	if ps := e.mock.Projects(); len(ps) != 1 || ps[0].ID != twin {
		t.Errorf("after the destroy the mock holds %+v, want only the twin %s", ps, twin)
	}
}

func TestAccReliability_timeout(t *testing.T) {
	e := newTestEnv(t)
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Delay, Delay: 20 * time.Second})
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "trro_project" "test" {
  name = "slow"
  timeouts {
    create = "1s"
  }
}
`),
			ExpectError: acctest.ErrorPattern(`Error creating TRRO project.*CreateProject: timed out after 1s, the\s+operation's timeout.*raise the\s+resource's timeouts`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the timed-out apply took %s; it should end soon after the 1s timeout", elapsed)
	}
	if n := len(e.mock.Projects()); n != 0 {
		t.Errorf("the mock holds %d projects after a create that timed out before the server acted", n)
	}
}

// A new project that is not yet visible is waited for, not reported as an inconsistency.
func TestAccReliability_readAfterCreate(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mock.HideNewProjects(3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: e.config(projectConfig("eventual", "", "")),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkMockProject(projectAddr, client.Project{Name: "eventual", PolicyMode: "black"}, 1),
				func(*terraform.State) error {
					if n := e.mock.Requests("DescribeProjectInfo"); n < 4 {
						return fmt.Errorf("DescribeProjectInfo was called %d times; the provider did not wait for the hidden project", n)
					}
					return nil
				},
			),
		}},
	})
}

// 200 projects at -parallelism=50 against TRRO's 20 requests per second per action: no
// failures, and the client-side limiter uses at least 90% of the limit. terraform runs directly
// (terraform-plugin-testing always passes -parallelism=10), and a probe proves more than 10
// resource changes were in flight.
func TestAccReliability_rateLimit(t *testing.T) {
	acctest.RequireAcc(t)
	if testing.Short() {
		t.Skip("takes about 30 seconds")
	}
	const count, parallelism = 200, 50
	e := newTestEnv(t)
	var probe acctest.ConcurrencyProbe
	wd := acctest.ServeWorkdir(t, TypeName, func() tfprotov6.ProviderServer {
		return probe.Wrap(providerserver.NewProtocol6(testProvider())())
	}, e.config(fmt.Sprintf(`
resource "trro_project" "bulk" {
  count = %d
  name  = "bulk-${count.index}"
}
`, count)))
	par := fmt.Sprintf("-parallelism=%d", parallelism)
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve", par)

	if n := len(e.mock.Projects()); n != count {
		t.Errorf("the mock holds %d projects, want %d", n, count)
	}
	st := e.mock.OperationStats("CreateProject")
	rate := float64(st.Requests-1) / st.Last.Sub(st.First).Seconds()
	t.Logf("CreateProject: %d requests, %d throttled, %.1f requests/s; at most %d resource changes at once", st.Requests, st.Throttled, rate, probe.Peak())
	if st.Requests-st.Throttled != count {
		t.Errorf("%d CreateProject requests were accepted, want %d", st.Requests-st.Throttled, count)
	}
	if rate < 0.9*client.DocumentedRateLimit {
		t.Errorf("the provider reached %.1f requests/s, under 90%% of the limit of %d", rate, client.DocumentedRateLimit)
	}
	if probe.Peak() <= 2*10 {
		t.Errorf("at most %d resource changes ran at once; -parallelism=%d did not take effect", probe.Peak(), parallelism)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve", par)
	if n := len(e.mock.Projects()); n != 0 {
		t.Errorf("the mock holds %d projects after destroy", n)
	}
}

// Under TF_LOG=TRACE, with the provider's own API logging on, no secret appears in the logs.
func TestAccReliability_traceLogsHaveNoSecrets(t *testing.T) {
	e := newTestEnv(t)
	const secretID, secretKey, token = "AKIDtraceTEST000000000000000000000", "trace-secret-key-MUST-NOT-LEAK-1", "trace-session-token-MUST-NOT-LEAK-2"
	e.mock.AddKey(secretID, secretKey, token)
	// Secrets come from the environment, as they usually do: the test harness logs the HCL it
	// writes, so secrets in the configuration text would show up in its own log lines.
	t.Setenv("TENCENTCLOUD_SECRET_ID", secretID)
	t.Setenv("TENCENTCLOUD_SECRET_KEY", secretKey)
	t.Setenv("TENCENTCLOUD_SECURITY_TOKEN", token)
	traceLog := acctest.TraceLog(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "trro" {
  endpoint = %q
}
`, e.url) + projectConfig("logged", "", ""),
			Check: e.checkMockProject(projectAddr, client.Project{Name: "logged", PolicyMode: "black"}, 1),
		}},
	})
	logs := traceLog()
	text := logs
	// The log must really hold the provider's API traces, or this test proves nothing.
	for _, want := range []string{`API request body`, `operation=CreateProject`, `X-Tc-Token:***`, `Authorization:***`, `request_id=`} {
		if !strings.Contains(text, want) {
			t.Errorf("the TRACE log lacks %s", want)
		}
	}
	for _, secret := range []string{secretKey, token} {
		if strings.Contains(text, secret) {
			t.Errorf("the TRACE log (%d bytes) contains the secret %q", len(logs), secret)
		}
	}
}

// projectIDValue checks that a state value is a project id as the mock makes them.
var projectIDValue = knownvalue.StringRegexp(regexp.MustCompile(`^[a-z0-9]{16}$`))

// A refresh whose DescribeProjectInfo answer does not prove itself fails, and changes nothing:
// the state keeps the project (no removal, no replace planned), and the mock holds the same
// projects, untouched.
func TestAccTrust_badReadAnswers(t *testing.T) {
	t.Parallel()
	const answer = `"ProjectName":"read-me","ProjectDescription":"kept","PolicyMode":"white","ModifyTime":"2026-01-02 03:04:05"`
	raw := func(body string) func(string) mockserver.Fault {
		return func(string) mockserver.Fault { return mockserver.Fault{Kind: mockserver.RawAnswer, Body: body} }
	}
	for _, tc := range []struct {
		name  string
		fault func(otherID string) mockserver.Fault
		want  []string
	}{
		{"empty 200", raw(""), []string{"the API answered HTTP 200, but the body is empty"}},
		{"empty object", raw(`{}`), []string{"the API answered HTTP 200, but the body is not a TRRO API 3.0 answer"}},
		{"not JSON", raw(`<html><body>maintenance</body></html>`), []string{"the API answered HTTP 200, but the body is not JSON"}},
		{"truncated", raw(`{"Response":{` + answer[:40]), []string{"the API answered HTTP 200, but the body is not JSON"}},
		{"another cloud's error envelope", raw(`{"error_code":"APIGW.0101","error_msg":"The API does not exist"}`),
			[]string{"the body is not a TRRO API 3.0 answer"}},
		{"error envelope without a code", raw(`{"Response":{"Error":{"Message":"odd"},"RequestId":"6f0e0a52-0000-4000-8000-000000000001"}}`),
			[]string{"its Error object has no Code", "request id 6f0e0a52-0000-4000-8000-000000000001"}},
		{"error envelope", raw(`{"Response":{"Error":{"Code":"FailedOperation","Message":"Busy."},"RequestId":"6f0e0a52-0000-4000-8000-000000000002"}}`),
			[]string{"Error code: FailedOperation", "Request ID: 6f0e0a52-0000-4000-8000-000000000002"}},
		{"no project", raw(`{"Response":{"RequestId":"6f0e0a52-0000-4000-8000-000000000003"}}`),
			[]string{"it carries no project (no ProjectName)"}},
		{"no request id", raw(`{"Response":{` + answer + `}}`), []string{"it carries no RequestId"}},
		{"another project's id", func(other string) mockserver.Fault {
			return mockserver.Fault{Kind: mockserver.Rewrite, Edit: func(body []byte) []byte {
				return []byte(strings.Replace(string(body), `"Response":{`, `"Response":{"ProjectId":"`+other+`",`, 1))
			}}
		}, []string{"it describes project"}},
		{"another project entirely", func(other string) mockserver.Fault {
			return mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"Response":{"ProjectId":"` + other +
				`","ProjectName":"bystander","ProjectDescription":"","PolicyMode":"black","ModifyTime":"2026-01-02 03:04:05","RequestId":"6f0e0a52-0000-4000-8000-000000000004"}}`}
		}, []string{"it describes project"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			other := e.mock.PutProject(client.Project{Name: "bystander", PolicyMode: "black"})
			cfg := e.config(projectConfig("read-me", "kept", "white"))
			sameID := statecheck.CompareValue(compare.ValuesSame())
			var before []client.Project
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{
					{
						Config:            cfg,
						ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(projectAddr, tfjsonpath.New("id"))},
					},
					{
						PreConfig: func() {
							before = e.mock.Projects()
							e.mock.Inject(client.ActionDescribeProjectInfo, tc.fault(other))
						},
						Config:      cfg,
						ExpectError: acctest.ErrorPattern(acctest.Literal(append([]string{"Error reading TRRO project", "DescribeProjectInfo"}, tc.want...)...)),
					},
					{
						// The state is as it was: same project, nothing to change or replace.
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionNoop),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(projectAddr, tfjsonpath.New("id")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("name"), knownvalue.StringExact("read-me")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact("kept")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("policy_mode"), knownvalue.StringExact("white")),
						},
						Check: func(*terraform.State) error {
							if after := e.mock.Projects(); fmt.Sprint(after) != fmt.Sprint(before) {
								return fmt.Errorf("the mock's projects changed:\nbefore %+v\nafter  %+v", before, after)
							}
							for _, op := range []string{client.ActionModifyProject, client.ActionDeleteProject} {
								if n := e.mock.Requests(op); n != 0 {
									return fmt.Errorf("%s was called %d times", op, n)
								}
							}
							if n := e.mock.Requests(client.ActionCreateProject); n != 1 {
								return fmt.Errorf("CreateProject was called %d times, want 1", n)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// A create that acted but whose answer is garbled is adopted, completely: one project, in the
// state, not tainted (the apply succeeds), and the next plan is empty.
func TestAccTrust_garbledCreateAnswerIsAdopted(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"empty":             "",
		"empty object":      "{}",
		"not JSON":          "<html><body>502 Bad Gateway</body></html>",
		"truncated":         `{"Response":{"ProjectId":"ab`,
		"no ProjectId":      `{"Response":{"RequestId":"6f0e0a52-0000-4000-8000-000000000005"}}`,
		"empty ProjectId":   `{"Response":{"ProjectId":"","RequestId":"6f0e0a52-0000-4000-8000-000000000006"}}`,
		"ProjectId garbled": `{"Response":{"ProjectId":"\u0000\n","RequestId":"6f0e0a52-0000-4000-8000-000000000007"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.mock.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.ActThenRawAnswer, Body: body})
			cfg := e.config(projectConfig("garbled", "answer lost", "white"))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             acctest.CheckDestroyed(e.created),
				Steps: []resource.TestStep{
					{
						Config:            cfg,
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), projectIDValue)},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkMockProject(projectAddr, client.Project{Name: "garbled", Description: "answer lost", PolicyMode: "white"}, 1),
							func(*terraform.State) error {
								if n := e.mock.Requests(client.ActionCreateProject); n != 1 {
									return fmt.Errorf("CreateProject was called %d times, want 1", n)
								}
								return nil
							},
						),
					},
					{Config: cfg, PlanOnly: true},
				},
			})
		})
	}
}

// When even the read-back of a created project fails, the project stays in the state with
// everything known, tainted, and the next apply replaces it: never an orphan.
func TestAccTrust_readBackFailureKeepsTheProject(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.mock.Inject(client.ActionDescribeProjectInfo, mockserver.Fault{Kind: mockserver.RawAnswer, Body: "{}"})
	d := e.workdir(e.config(projectConfig("half", "read back fails", "white")))
	out, code := d.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 1 {
		t.Fatalf("apply exited %d, want 1:\n%s", code, out)
	}
	acctest.WantOutput(t, "the apply", out, "was created but could not be read back", "the body is not a TRRO API 3.0 answer")
	projects := e.mock.Projects()
	st, ok := d.State()[projectAddr]
	if len(projects) != 1 || !ok {
		t.Fatalf("mock %+v, state %+v: want the one project, in the state", projects, st)
	}
	want := map[string]any{"id": projects[0].ID, "name": "half", "description": "read back fails", "policy_mode": "white"}
	for k, v := range want {
		if st.Values[k] != v {
			t.Errorf("state %s = %v, want %v", k, st.Values[k], v)
		}
	}
	if !st.Tainted {
		t.Errorf("the half-created project is not tainted: %+v", st)
	}
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	projects = e.mock.Projects()
	st = d.State()[projectAddr]
	if len(projects) != 1 || st.ID != projects[0].ID || st.Tainted {
		t.Errorf("after the replace: mock %+v, state %+v; want one project, in the state, not tainted", projects, st)
	}
}

// Ctrl-C while a create is in flight: whether or not the API acted, one more apply leaves exactly
// one project, in the state, not tainted, and a clean plan. When it acted, the interrupted apply
// already adopted it completely.
func TestAccTrust_interruptedCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for _, acted := range []bool{false, true} {
		t.Run(map[bool]string{false: "before the API acted", true: "after the API acted"}[acted], func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			if acted {
				e.mock.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.Hold, Delay: 3 * time.Minute})
			} else {
				e.mock.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.Delay, Delay: 5 * time.Minute})
			}
			d := e.workdir(e.config(projectConfig("interrupted", "", "")))
			apply := d.Start("apply", "-input=false", "-no-color", "-auto-approve")
			acctest.WaitFor(t, "the create to reach the mock", func() bool {
				return e.mock.Requests(client.ActionCreateProject) == 1 && (!acted || len(e.mock.Projects()) == 1)
			})
			apply.Interrupt()
			out, _ := apply.Wait(2 * time.Minute)
			if acted {
				acctest.WantOutput(t, "the interrupted apply", out, "Adopted an object whose creation was not confirmed", "interrupted")
				st, ok := d.State()[projectAddr]
				if !ok || st.Tainted || len(e.mock.Projects()) != 1 || st.ID != e.mock.Projects()[0].ID {
					t.Fatalf("after the interrupt: state %+v, mock %+v; want the project adopted, not tainted", st, e.mock.Projects())
				}
			} else {
				acctest.WantOutput(t, "the interrupted apply", out, "Error creating TRRO project", "CreateProject: interrupted")
				if n := len(d.State()); n != 0 || len(e.mock.Projects()) != 0 {
					t.Fatalf("after the interrupt: %d resources in the state, mock %+v; want none", n, e.mock.Projects())
				}
			}

			d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
			projects := e.mock.Projects()
			st, ok := d.State()[projectAddr]
			if len(projects) != 1 || !ok || st.ID != projects[0].ID || st.Tainted {
				t.Fatalf("after one more apply: mock %+v, state %+v; want one project, in the state, not tainted", projects, st)
			}
			if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
				t.Errorf("the plan after the apply exited %d, want 0:\n%s", code, out)
			}
			if n := e.mock.Requests(client.ActionCreateProject); n != map[bool]int{false: 2, true: 1}[acted] {
				t.Errorf("CreateProject was called %d times", n)
			}
		})
	}
}

// A create that acted but answers after the resource's create timeout is adopted and read back
// after the timeout, so the state is complete and not tainted; the warning says it timed out.
func TestAccTrust_createTimeoutAfterTheAPIActed(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.mock.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.Hold, Delay: 3 * time.Minute})
	d := e.workdir(e.config(`
resource "trro_project" "test" {
  name = "late-answer"
  timeouts {
    create = "2s"
  }
}
`))
	out := d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	acctest.WantOutput(t, "the apply", out, "Adopted an object whose creation was not confirmed", "CreateProject: timed out after 2s")
	projects := e.mock.Projects()
	st, ok := d.State()[projectAddr]
	if len(projects) != 1 || !ok || st.Tainted || st.ID != projects[0].ID || st.Values["name"] != "late-answer" {
		t.Fatalf("mock %+v, state %+v; want the project adopted, complete, not tainted", projects, st)
	}
	if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the apply exited %d, want 0:\n%s", code, out)
	}
}

// Resends of a create that provably had no effect (each 502 was followed by a lookup that found
// nothing) pause for the client's backoff: the first and last attempt are at least the sum of
// the backoff floors apart. After the resend limit (10 attempts, as for any call) the create
// fails, creating none.
func TestAccTrust_createResendBackoff(t *testing.T) {
	retry := transport.RetryPolicy{MaxAttempts: 6, BaseDelay: 200 * time.Millisecond, MaxDelay: 800 * time.Millisecond}
	// floors(k) is the least time k pauses take: Backoff(n) waits at least half of
	// min(BaseDelay*2^(n-1), MaxDelay).
	floors := func(k int) time.Duration {
		var d time.Duration
		for n := 1; n <= k; n++ {
			d += min(retry.BaseDelay<<(n-1), retry.MaxDelay) / 2
		}
		return d
	}
	const maxSends = 10
	badGateway := mockserver.Fault{Kind: mockserver.ServerError, Status: 502}
	for _, tc := range []struct {
		faults   int
		projects int
		err      *regexp.Regexp
	}{
		{faults: 5, projects: 1},
		{faults: maxSends, projects: 0, err: acctest.ErrorPattern(acctest.Literal("Error creating TRRO project", "HTTP 502"))},
	} {
		t.Run(fmt.Sprintf("%d answers 502", tc.faults), func(t *testing.T) {
			e := newTestEnv(t)
			for range tc.faults {
				e.mock.Inject(client.ActionCreateProject, badGateway)
			}
			p := &Provider{version: "test", configureClient: func(c *client.Config) { c.Retry = retry }}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factoriesFor(p),
				CheckDestroy:             acctest.CheckDestroyed(e.created),
				Steps: []resource.TestStep{{
					Config:      e.config(projectConfig("resent", "", "")),
					ExpectError: tc.err,
					Check: func(*terraform.State) error {
						if n := len(e.mock.Projects()); n != tc.projects {
							return fmt.Errorf("the mock holds %d projects, want %d", n, tc.projects)
						}
						return nil
					},
				}},
			})
			sends := min(tc.faults+1, maxSends)
			st := e.mock.OperationStats(client.ActionCreateProject)
			if st.Requests != sends {
				t.Errorf("CreateProject was sent %d times, want %d", st.Requests, sends)
			}
			if spread := st.Last.Sub(st.First); spread < floors(sends-1) {
				t.Errorf("the %d creates were sent within %s, under the backoff floors' sum %s", sends, spread, floors(sends-1))
			}
			if n := e.mock.Requests(client.ActionDescribeProjectList); n < validationCalls+1+2*min(tc.faults, maxSends) {
				t.Errorf("DescribeProjectList was called %d times, want one before the create, repeated lookups after each 502 and the credentials check", n)
			}
			if tc.projects == 0 && len(e.mock.Projects()) != 0 {
				t.Errorf("the mock holds %+v after the failed create", e.mock.Projects())
			}
		})
	}
}

// No redirect is followed: a 3xx on a create, a read or the credentials check fails with the
// status and Location, and the host it points to (here another port of the same host, so the
// signed Authorization would be valid there) receives nothing.
func TestAccTrust_redirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	capture := acctest.NewCaptureServer(t)
	redirect := func(status int) mockserver.Fault {
		return mockserver.Fault{Kind: mockserver.Redirect, Status: status, Location: capture.URL + "/steal"}
	}
	refused := func(summary string, status int) *regexp.Regexp {
		return acctest.ErrorPattern(acctest.Literal(summary, fmt.Sprintf("the API answered HTTP %d, a redirect to %q", status, capture.URL+"/steal"),
			"Redirects are never followed", "nothing was sent there. Check endpoint (TRRO_ENDPOINT)"))
	}

	e := newTestEnv(t)
	cfg := e.config(projectConfig("stays-home", "", ""))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { e.mock.Inject(client.ActionCreateProject, redirect(http.StatusTemporaryRedirect)) },
				Config:      cfg,
				ExpectError: refused("Error creating TRRO project", http.StatusTemporaryRedirect),
			},
			{Config: cfg, Check: e.checkMockProject(projectAddr, client.Project{Name: "stays-home", PolicyMode: "black"}, 1)},
			{
				PreConfig:   func() { e.mock.Inject(client.ActionDescribeProjectInfo, redirect(http.StatusFound)) },
				Config:      cfg,
				ExpectError: refused("Error reading TRRO project", http.StatusFound),
			},
			{Config: cfg, PlanOnly: true},
		},
	})

	fresh := newTestEnv(t)
	fresh.mock.Inject(client.ActionDescribeProjectList, redirect(http.StatusPermanentRedirect))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: fresh.factories(),
		Steps: []resource.TestStep{{
			Config:      fresh.config(oneProject),
			PlanOnly:    true,
			ExpectError: refused("Cannot use the trro provider's endpoint", http.StatusPermanentRedirect),
		}},
	})
	capture.CheckNothingReceived(t)
}

// Every API log line names what it served: Terraform's request fields, the resource type and
// the project; list calls show their query; TRACE shows the bodies and no secret.
func TestAccReliability_logsNameEachCall(t *testing.T) {
	e := newTestEnv(t)
	const secretID, secretKey, token = "AKIDlogsTEST00000000000000000000000", "logs-secret-key-MUST-NOT-LEAK-3", "logs-session-token-MUST-NOT-LEAK-4"
	e.mock.AddKey(secretID, secretKey, token)
	t.Setenv("TENCENTCLOUD_SECRET_ID", secretID)
	t.Setenv("TENCENTCLOUD_SECRET_KEY", secretKey)
	t.Setenv("TENCENTCLOUD_SECURITY_TOKEN", token)
	traceLog := acctest.TraceLog(t)
	// A lost create makes the provider list the projects, so list calls are logged too.
	e.mock.Inject(client.ActionCreateProject, mockserver.Fault{Kind: mockserver.LoseResponse})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "trro" {
  endpoint = %q
}
resource "trro_project" "test" {
  count = 4
  name  = "parallel-${count.index}"
}
`, e.url),
			Check: func(*terraform.State) error {
				if n := len(e.mock.Projects()); n != 4 {
					return fmt.Errorf("the mock holds %d projects, want 4", n)
				}
				return nil
			},
		}},
	})
	logs := traceLog()
	names := map[string]bool{}
	var requests, lists int
	for _, line := range strings.Split(logs, "\n") {
		switch {
		case strings.Contains(line, "trro: API request:"):
			requests++
			for _, field := range []string{"tf_req_id=", "tf_rpc=", "tf_resource_type=", "operation="} {
				if !strings.Contains(line, field) {
					t.Errorf("an API request line lacks %s: %s", field, line)
				}
			}
			if m := regexp.MustCompile(`project_name=(parallel-\d)`).FindStringSubmatch(line); m != nil {
				names[m[1]] = true
			}
			if strings.Contains(line, "operation=DescribeProjectInfo") && !strings.Contains(line, "project_id=") {
				t.Errorf("a DescribeProjectInfo line lacks the project id: %s", line)
			}
			if strings.Contains(line, "operation=DescribeProjectList") {
				lists++
				if !strings.Contains(line, "query=") {
					t.Errorf("a list call's line lacks its query: %s", line)
				}
			}
		}
	}
	// Bodies: one for each request, one for each answer (the lost create had none); a body with
	// a line break is written on the lines after its "body=".
	bodies := strings.Count(logs, "body=")
	if requests < 12 || bodies < 2*requests-1 || lists < 2 {
		t.Errorf("the log holds %d API request lines, %d body lines, %d list calls; want the calls of 4 creates, reads and deletes, with their bodies",
			requests, bodies, lists)
	}
	if len(names) != 4 {
		t.Errorf("project names on the API lines: %v, want parallel-0 to parallel-3", names)
	}
	for _, secret := range []string{secretKey, token} {
		if strings.Contains(logs, secret) {
			t.Errorf("the TRACE log contains the secret %q", secret)
		}
	}
}

// A drift check right after an apply finds nothing: `terraform plan -refresh-only
// -detailed-exitcode` exits 0, as does a plan.
func TestAccReliability_driftCheckCleanAfterApply(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	d := e.workdir(e.config(projectConfig("drift", "", "")))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	d.ExpectNoDrift()
	if got := e.created(); len(got) != 1 || got[0].Name != "drift" {
		t.Errorf("the mock holds %+v, want the one project drift", got)
	}
}
