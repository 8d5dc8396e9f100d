package yunxiao

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// faultProject is what faultTest applies: with a description, so that create also sends
// UpdateProjectField.
var faultProject = project{name: "faulty", code: "FALT", template: testTemplate, description: "survives faults"}

// faultTest applies faultProject with faults injected first and asserts that exactly one project
// results, with the calls counted as want, and ListProjects at least minLookups times. The
// plan-time conflict check is off, so that ListProjects counts only the lookups of the create:
// one before it is sent, and those after an unknown outcome.
func faultTest(t *testing.T, inject func(e *testEnv), wantCalls map[string]int, minLookups int) {
	e := newTestEnv(t)
	inject(e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: e.configWith("skip_conflict_check = true", faultProject.String()),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkMockProject(projectAddr, testOrg, client.Project{Name: "faulty", CustomCode: "FALT", Scope: "private", Description: "survives faults"}, 1),
				acctest.CheckRequests(e.mock, wantCalls),
				acctest.CheckRequestsAtLeast(e.mock, map[string]int{"ListProjects": minLookups}),
			),
		}},
	})
}

// A burst of Throttling.User answers is waited out; a throttled create never acted, so it is
// simply sent again.
func TestAccReliability_throttlingBurst(t *testing.T) {
	t.Parallel()
	throttle := mockserver.Fault{Kind: mockserver.Throttle}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", throttle, throttle, throttle, throttle)
		e.mock.Inject("UpdateProjectField", throttle, throttle)
		e.mock.Inject("GetProjectInfo", throttle, throttle)
		e.mock.Inject("DeleteProject", throttle, throttle)
	}, map[string]int{"CreateProject": 5, "ListProjects": 1}, 1) // throttled creates did not act: only the lookup before
}

// A 5xx on createProject may or may not have acted: the provider looks the custom code up
// before it sends the create again. Idempotent calls are simply retried.
func TestAccReliability_serverErrorsThenSuccess(t *testing.T) {
	t.Parallel()
	faultTest(t, func(e *testEnv) {
		for _, op := range []string{"CreateProject", "UpdateProjectField", "GetProjectInfo", "DeleteProject"} {
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
		e.mock.Inject("UpdateProjectField", reset)
		e.mock.Inject("GetProjectInfo", reset, reset)
		e.mock.Inject("DeleteProject", reset)
	}, map[string]int{"CreateProject": 2}, 1+2)
}

// createProject acts but its answer is lost: the project is found by its custom code and
// adopted, not created twice.
func TestAccReliability_lostCreateResponse(t *testing.T) {
	t.Parallel()
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	}, map[string]int{"CreateProject": 1, "ListProjects": 2}, 2) // before, and the one that finds it
}

// After an unconfirmed create, a project with the custom code but another name is not this
// create's: it is not adopted, and the create sent again fails with the conflict, naming it.
func TestAccReliability_unconfirmedCreateDoesNotAdoptAnotherProject(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	other := e.mock.PutProject(testOrg, client.Project{Name: "someone else's", CustomCode: "FALT"})
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ServerError, Status: 500})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.configWith("skip_conflict_check = true", faultProject.String()),
			ExpectError: acctest.ErrorPattern(`Custom code FALT is already used in organization ` + testOrg + `.*` +
				acctest.Literal(`Project `+other+` ("someone else's") already has custom code FALT`)),
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
	t.Parallel()
	e := newTestEnv(t)
	for range testRetries {
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Throttle})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(faultProject.String()),
			ExpectError: acctest.ErrorPattern(`Error creating Yunxiao project.*Error code: Throttling\.User.*` + requestID + `.*` +
				acctest.Literal(`Lower the provider's max_requests_per_second or run terraform with a lower -parallelism.`) + `.*` +
				(fmt.Sprintf(`gave up after %d attempts`, testRetries))),
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
			ExpectError: acctest.ErrorPattern(`Error creating Yunxiao project.*CreateProject: ` + `timed out after 1s, the operation's timeout.*raise the resource's timeouts`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the timed-out apply took %s; it should end soon after the 1s timeout", elapsed)
	}
	if n := len(e.mock.Projects(testOrg)); n != 0 {
		t.Errorf("the mock holds %d projects after a create that timed out before the server acted", n)
	}
}

// A new project that GetProjectInfo does not show yet is waited for, not reported as missing:
// the create keeps createProject's answer without a read-back, so it is the first refresh (the
// plan right after the apply) that meets the hidden project, and waits for it instead of
// removing it from the state.
func TestAccReliability_readAfterCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.mock.HideNewProjects(3)
	wd := e.workdir(e.config(base("eventual", "EVENT").String()))
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if n := e.mock.Requests("GetProjectInfo"); n != 0 {
		t.Errorf("the create read the project back %d times; createProject's answer is the whole project", n)
	}
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan right after the create is not empty (exit %d):\n%s", code, out)
	}
	if n := e.mock.Requests("GetProjectInfo"); n < 4 {
		t.Errorf("GetProjectInfo was called %d times; the refresh did not wait for the hidden project", n)
	}
	ps := e.mock.Projects(testOrg)
	if r := wd.State()[projectAddr]; len(ps) != 1 || r.ID != ps[0].Identifier || r.Tainted {
		t.Errorf("mock %+v, state %+v: want the one project in the state", ps, r)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	// Past the read-after-create window, a project missing from a refresh is gone: no wait.
	// (A read never drops the create's mark, so that a drift check after the apply finds no
	// change; the mark expires by its age.)
	if out, code := wd.Run("plan", "-refresh-only", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the drift check after the apply (exit %d), want no change:\n%s", code, out)
	}
	time.Sleep(newProjectGrace.MaxWait)
	e.mock.RemoveProject(testOrg, ps[0].Identifier)
	start := time.Now()
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 2 {
		t.Errorf("the plan after an out-of-band delete (exit %d), want a create:\n%s", code, out)
	}
	if elapsed := time.Since(start); elapsed > newProjectGrace.MaxWait {
		t.Errorf("the plan took %s: a project past the read-after-create window must not be waited for", elapsed)
	}
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
	acctest.RequireAcc(t)
	if testing.Short() {
		t.Skip("takes about a minute")
	}
	const count, limit, parallelism = 200, 20, 50
	e := newTestEnv(t)
	e.mock.SetRateLimit(limit)
	var probe acctest.ConcurrencyProbe
	codes := `"` + strings.Join(bulkCodes(count), `", "`) + `"`
	wd := acctest.ServeWorkdir(t, TypeName, func() tfprotov6.ProviderServer {
		return probe.Wrap(providerserver.NewProtocol6(testProvider())())
	}, e.configWith(fmt.Sprintf("max_requests_per_second = %d", limit), fmt.Sprintf(`
locals {
  codes = [%s]
}
resource "yunxiao_project" "bulk" {
  count               = %d
  name                = "bulk-${count.index}"
  custom_code         = local.codes[count.index]
  template_identifier = %q
}
`, codes, count, testTemplate)))
	par := fmt.Sprintf("-parallelism=%d", parallelism)
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
	// From the environment, as they usually are: the test harness logs the configuration it
	// writes, so secrets in the configuration text would show up in its own log lines.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", keyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", token)
	traceLog := acctest.TraceLog(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
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
	logs := traceLog()
	text := logs
	// The log must really hold the provider's API traces, or this test proves nothing.
	for _, want := range []string{`API request body`, `operation=CreateProject`, `operation=ListProjects`, `X-Acs-Security-Token:***`,
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

// A refresh whose GetProjectInfo answer proves nothing (empty, not JSON, an error envelope with
// 200, no project, another project) fails `terraform plan` and `terraform apply`; the mock keeps
// the same projects and the state stays exactly as it was: nothing is removed, replaced or
// re-pointed at the other project.
func TestAccTrust_badReadAnswers(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	other := e.mock.PutProject(testOrg, client.Project{Name: "someone else's", CustomCode: "OTHR", Description: "not mine"})
	p := base("trusted", "TRST")
	p.description = "kept as it is"
	wd := e.workdir(e.config(p.String()))
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	before := wd.State()[projectAddr]
	mine := before.ID
	if mine == "" || mine == other {
		t.Fatalf("state after apply: %+v", before)
	}
	projectsBefore := e.mock.Projects(testOrg)
	otherAnswer, _ := json.Marshal(map[string]any{"requestId": "B0D0A0C0-0000-4000-8000-000000000001", "success": true, "project": projectsBefore[0]})
	faults := map[string]mockserver.Fault{
		"empty 200":                {Kind: mockserver.RawAnswer},
		"empty object":             {Kind: mockserver.RawAnswer, Body: `{}`},
		"not JSON":                 {Kind: mockserver.RawAnswer, Body: `<html><body>Service OK</body></html>`},
		"error envelope with 200":  {Kind: mockserver.RawAnswer, Body: `{"requestId":"B0D0A0C0-0000-4000-8000-000000000002","success":false,"errorCode":"Openapi.RequestError","errorMessage":"project does not exist"}`},
		"no project":               {Kind: mockserver.RawAnswer, Body: `{"requestId":"B0D0A0C0-0000-4000-8000-000000000003","success":true}`},
		"another project's answer": {Kind: mockserver.RawAnswer, Body: string(otherAnswer)},
		"another project's id": {Kind: mockserver.Rewrite, Edit: func(b []byte) []byte {
			return bytes.ReplaceAll(b, []byte(mine), []byte(other))
		}},
	}
	for name, fault := range faults {
		for _, cmd := range [][]string{{"plan", "-detailed-exitcode"}, {"apply", "-auto-approve"}} {
			e.mock.Inject("GetProjectInfo", fault)
			out, code := wd.Run(append(cmd, "-input=false", "-no-color")...)
			if code != 1 || !acctest.ErrorPattern(`Error reading Yunxiao project `+mine+` in organization `+testOrg+`.*`+
				`Yunxiao GetProjectInfo: the API answered HTTP 200, but .* so the answer cannot be trusted`).MatchString(out) {
				t.Errorf("%s, terraform %s: exit %d, want 1 and the bad answer named:\n%s", name, cmd[0], code, out)
			}
			if got := e.mock.Projects(testOrg); !reflect.DeepEqual(got, projectsBefore) {
				t.Errorf("%s, terraform %s: the mock holds %+v, want %+v", name, cmd[0], got, projectsBefore)
			}
			if after := wd.State(); len(after) != 1 || !reflect.DeepEqual(after[projectAddr], before) {
				t.Errorf("%s, terraform %s: the state changed to %+v, want %+v", name, cmd[0], after, before)
			}
		}
	}
	if n := e.mock.Requests("CreateProject") + e.mock.Requests("DeleteProject"); n != 1 {
		t.Errorf("%d create and delete calls, want only the first create", n)
	}
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the bad answers is not empty (exit %d):\n%s", code, out)
	}
}

// A create that acted but whose answer is garbled (empty, not JSON, truncated, without the
// project, an error envelope) is adopted: exactly one project in the mock, in the state with
// every attribute, not tainted, and the next plan is empty.
func TestAccTrust_garbledCreateAnswerIsAdopted(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"empty":          ``,
		"empty object":   `{}`,
		"not JSON":       `<html>created</html>`,
		"truncated":      `{"requestId":"B0D0A0C0-0000-4000-8000-000000000004","success":true,"project":{"identifier":"e8b2`,
		"no project":     `{"requestId":"B0D0A0C0-0000-4000-8000-000000000005","success":true}`,
		"error envelope": `{"requestId":"B0D0A0C0-0000-4000-8000-000000000006","success":false,"errorCode":"InternalError","errorMsg":"busy"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ActThenRawAnswer, Body: body})
			p := base("adopted", "ADPT")
			p.description = "set after adoption"
			cfg := e.configWith("skip_conflict_check = true", p.String())
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             acctest.CheckDestroyed(e.created),
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("custom_code"), knownvalue.StringExact("ADPT")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("description"), knownvalue.StringExact("set after adoption")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("status"), knownvalue.StringExact("NORMAL")),
							statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-`))),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkMockProject(projectAddr, testOrg, client.Project{Name: "adopted", CustomCode: "ADPT", Scope: "private", Description: "set after adoption"}, 1),
							acctest.CheckRequests(e.mock, map[string]int{"CreateProject": 1, "ListProjects": 2}), // before, and the one that finds it
						),
					},
					// Not tainted: a tainted project would plan a replacement.
					{Config: cfg, PlanOnly: true},
				},
			})
		})
	}
}

// A project not visible yet to calls by id right after its create: setting its description
// waits for it (the description is set, not lost or tainted), and a destroy right after the
// create (without a refresh) waits for it too rather than take "not found" for gone and leave the
// project behind.
func TestAccReliability_newProjectNotVisibleYet(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for name, description := range map[string]string{"with a description": "set once visible", "destroyed at once": ""} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.mock.HideNewProjects(2)
			p := base("eventual", "EVENT")
			p.description = description
			wd := e.workdir(e.configWith("skip_conflict_check = true", p.String()))
			wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
			ps := e.mock.Projects(testOrg)
			r := wd.State()[projectAddr]
			if len(ps) != 1 || r.ID != ps[0].Identifier || r.Tainted || ps[0].Description != description || r.Values["description"] != description {
				t.Fatalf("mock %+v, state %+v: want the project, with description %q, in the state", ps, r, description)
			}
			if description != "" {
				if n := e.mock.Requests("UpdateProjectField"); n != 3 {
					t.Errorf("UpdateProjectField sent %d times, want 3 (2 answered not found)", n)
				}
				return
			}
			e.mock.HideNewProjects(0)
			wd.MustRun("destroy", "-refresh=false", "-input=false", "-no-color", "-auto-approve")
			if n := e.mock.Requests("DeleteProject"); n != 3 {
				t.Errorf("DeleteProject sent %d times, want 3 (2 answered not found)", n)
			}
			if left := e.mock.Projects(testOrg); len(left) != 0 {
				t.Errorf("after the destroy the mock holds %+v", left)
			}
		})
	}
}

// A create answer is kept without a read-back only when it carries everything the state stores.
// When one lacks something (here the creator) and the project then cannot be read back (its
// GetProjectInfo answer is bad), it is kept in the state, tainted, with every attribute the
// create answered; it is never orphaned, and the next apply replaces it, leaving one project.
func TestAccTrust_readBackFailureKeepsTheProject(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	wd := e.workdir(e.configWith("skip_conflict_check = true", base("unread", "UNRD").String()))
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Rewrite, Edit: func(b []byte) []byte {
		return regexp.MustCompile(`"creator":"[^"]*",?`).ReplaceAll(b, nil)
	}})
	e.mock.Inject("GetProjectInfo", mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"requestId":"B0D0A0C0-0000-4000-8000-000000000007","success":true}`})
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 1 || !acctest.ErrorPattern(`Error: Yunxiao project [0-9a-f]{24} was created but could not be read back.*it has no project, so the answer cannot be trusted.*marked tainted`).MatchString(out) {
		t.Errorf("apply (exit %d):\n%s", code, out)
	}
	ps := e.mock.Projects(testOrg)
	r := wd.State()[projectAddr]
	if len(ps) != 1 || r.ID != ps[0].Identifier || !r.Tainted || r.Values["name"] != "unread" || r.Values["custom_code"] != "UNRD" ||
		r.Values["status"] != "NORMAL" || r.Values["creator"] != "" || r.Values["created_at"] == nil {
		t.Fatalf("mock %+v, state %+v: want the project in the state, tainted, with every attribute", ps, r)
	}
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	after := e.mock.Projects(testOrg)
	if len(after) != 1 || after[0].Identifier == ps[0].Identifier || wd.State()[projectAddr].ID != after[0].Identifier {
		t.Errorf("after the second apply the mock holds %+v, want one new project in the state", after)
	}
}

// interruptedCreate runs `terraform apply`, sends it SIGINT once the create is in flight at the
// mock, waits for it to end, then applies again: exactly one project must exist, in the state,
// not tainted, and the plan after that is empty.
func interruptedCreate(t *testing.T, e *testEnv, wantFirst *regexp.Regexp) {
	p := base("interrupted", "INTR")
	p.description = "finished after Ctrl-C"
	wd := e.workdir(e.configWith("skip_conflict_check = true", p.String()))
	apply := wd.Start("apply", "-input=false", "-no-color", "-auto-approve")
	acctest.WaitFor(t, "the create to reach the mock", func() bool { return e.mock.Requests("CreateProject") > 0 })
	time.Sleep(300 * time.Millisecond) // let the request settle in the mock's handler
	apply.Interrupt()
	out, _ := apply.Wait(3 * time.Minute)
	t.Logf("the interrupted apply:\n%s", out)
	if !wantFirst.MatchString(out) {
		t.Errorf("the interrupted apply does not say what happened:\n%s", out)
	}
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	ps := e.mock.Projects(testOrg)
	if len(ps) != 1 || ps[0].Description != "finished after Ctrl-C" {
		t.Fatalf("the mock holds %+v, want exactly one project with its description", ps)
	}
	st := wd.State()
	if r := st[projectAddr]; len(st) != 1 || r.ID != ps[0].Identifier || r.Tainted || r.Values["status"] != "NORMAL" {
		t.Errorf("state %+v: want project %s, complete and not tainted", st, ps[0].Identifier)
	}
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the second apply is not empty (exit %d):\n%s", code, out)
	}
	if n := e.mock.Requests("DeleteProject"); n != 0 {
		t.Errorf("%d projects were deleted", n)
	}
}

// Ctrl-C while createProject is in flight. Before the server acted: the error says
// "interrupted", nothing is left, and the next apply creates the one project. After it acted
// (its answer held back): the project is adopted, its description set and read back on the
// detached context, so the state holds it complete and not tainted, and the next apply changes
// nothing.
func TestAccTrust_interruptedCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	t.Run("before the API acted", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Delay, Delay: 2 * time.Minute})
		interruptedCreate(t, e, acctest.ErrorPattern(`Error creating Yunxiao project.*CreateProject: interrupted before the API answered`))
	})
	t.Run("after the API acted", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Hold, Delay: 3 * time.Minute})
		interruptedCreate(t, e, acctest.ErrorPattern(`Warning: Adopted an object whose creation was not confirmed.*CreateProject: interrupted before the API answered`))
	})
}

// A create whose time runs out after the server acted (its answer held back) is adopted: the
// warning says "timed out after 2s", and the project is in the state, complete and not tainted.
func TestAccTrust_createTimeoutAfterTheAPIActed(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Hold, Delay: time.Minute})
	p := base("late", "LATE")
	p.description = "set after the timeout"
	cfg := e.configWith("skip_conflict_check = true", strings.Replace(p.String(), "}\n", "  timeouts {\n    create = \"2s\"\n  }\n}\n", 1))
	wd := e.workdir(cfg)
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 0 || !acctest.ErrorPattern(`Warning: Adopted an object whose creation was not confirmed.*CreateProject: timed out after 2s, the operation's timeout`).MatchString(out) {
		t.Errorf("apply (exit %d) lacks the adoption after the timeout:\n%s", code, out)
	}
	ps := e.mock.Projects(testOrg)
	st := wd.State()
	if len(ps) != 1 || ps[0].Description != "set after the timeout" || st[projectAddr].ID != ps[0].Identifier || st[projectAddr].Tainted {
		t.Errorf("mock %+v, state %+v: want one project, with its description, in the state and not tainted", ps, st)
	}
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the adoption is not empty (exit %d):\n%s", code, out)
	}
}

// A create answered 502 is sent again after the lookup finds nothing, pausing at least the
// backoff floors of the client's retry policy between attempts: five 502s end with exactly one
// project. A create that never succeeds stops at the resend limit with the last 502 and leaves
// none.
func TestAccTrust_createResendBackoff(t *testing.T) {
	factories := func(policy transport.RetryPolicy) map[string]func() (tfprotov6.ProviderServer, error) {
		p := &Provider{version: "test", configureClient: func(c *client.Config) { c.Retry = policy }}
		return map[string]func() (tfprotov6.ProviderServer, error){TypeName: providerserver.NewProtocol6WithError(p)}
	}
	cfg := func(e *testEnv) string {
		return e.configWith("skip_conflict_check = true", base("resent", "RSNT").String())
	}
	t.Run("5 answers 502", func(t *testing.T) {
		e := newTestEnv(t)
		policy := transport.RetryPolicy{MaxAttempts: testRetries, BaseDelay: 200 * time.Millisecond, MaxDelay: 2 * time.Second}
		var floors time.Duration
		for n := 1; n <= 5; n++ {
			e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ServerError, Status: 502})
			floors += min(policy.BaseDelay<<(n-1), policy.MaxDelay) / 2 // Backoff(n) is at least half its step
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(policy),
			CheckDestroy:             acctest.CheckDestroyed(e.created),
			Steps: []resource.TestStep{{
				Config: cfg(e),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkMockProject(projectAddr, testOrg, client.Project{Name: "resent", CustomCode: "RSNT", Scope: "private"}, 1),
					acctest.CheckRequests(e.mock, map[string]int{"CreateProject": 6}),
					acctest.CheckRequestsAtLeast(e.mock, map[string]int{"ListProjects": 1 + 5*2}),
					func(*terraform.State) error {
						st := e.mock.OperationStats("CreateProject")
						if d := st.Last.Sub(st.First); d < floors {
							return fmt.Errorf("the 6 creates were sent within %s, under the backoff floors' sum of %s", d, floors)
						}
						return nil
					},
				),
			}},
		})
	})
	t.Run("502 every time", func(t *testing.T) {
		e := newTestEnv(t)
		const faults = 30
		for range faults {
			e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ServerError, Status: 502})
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(transport.RetryPolicy{MaxAttempts: testRetries, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond}),
			Steps: []resource.TestStep{{
				Config:      cfg(e),
				ExpectError: acctest.ErrorPattern(`Error creating Yunxiao project.*HTTP status: 502.*Error code: InternalError.*` + requestID),
			}},
		})
		if n, m := e.mock.Requests("CreateProject"), len(e.mock.Projects(testOrg)); n < 6 || n >= faults || m != 0 {
			t.Errorf("CreateProject sent %d times, %d projects; want a bounded number of attempts (more than 5) and none", n, m)
		}
	})
}

// redirectError matches the error of a refused redirect to loc.
func redirectError(op string, status int, loc string) string {
	return `Yunxiao ` + op + `: ` + (fmt.Sprintf(`the API answered HTTP %d, a redirect to`, status)) + `\s+"` +
		regexp.QuoteMeta(loc) + `"\.\s+` + acctest.Literal(`Redirects are never followed, so that credentials reach only the configured host; nothing was sent there.`) +
		`\s+` + acctest.Literal(`Check endpoint (YUNXIAO_ENDPOINT)`)
}

// No call follows a redirect: a 307 or 302 to a server on another port fails with the status and
// the Location named, and that server receives nothing (no signed header, no token, no body),
// whether the redirect answers the create, a refresh or the credential check.
func TestAccTrust_redirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	t.Run("create", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		cp := acctest.NewCaptureServer(t)
		loc := cp.URL + "/organization/" + testOrg + "/projects/createProject"
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.Redirect, Status: http.StatusTemporaryRedirect, Location: loc})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      e.configWith("security_token = \"sts-token-must-stay-home\"", base("redirected", "RDRC").String()),
				ExpectError: acctest.ErrorPattern(`Error creating Yunxiao project.*` + redirectError("CreateProject", 307, loc)),
			}},
		})
		cp.CheckNothingReceived(t)
		if n := len(e.mock.Projects(testOrg)); n != 0 {
			t.Errorf("the mock holds %d projects", n)
		}
	})
	t.Run("refresh", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		cp := acctest.NewCaptureServer(t)
		loc := cp.URL + "/elsewhere"
		var id string
		cfg := e.config(base("redirected", "RDRC").String())
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			CheckDestroy:             acctest.CheckDestroyed(e.created),
			Steps: []resource.TestStep{
				{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{acctest.SaveString(projectAddr, "id", &id)}},
				{
					PreConfig: func() {
						e.mock.Inject("GetProjectInfo", mockserver.Fault{Kind: mockserver.Redirect, Status: http.StatusFound, Location: loc})
					},
					Config:      cfg,
					PlanOnly:    true,
					ExpectError: acctest.ErrorPattern(`Error reading Yunxiao project.*` + redirectError("GetProjectInfo", 302, loc)),
				},
				{
					// The state still holds the project: the next apply changes nothing.
					Config:            cfg,
					ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("name"), knownvalue.StringExact("redirected"))},
					Check: func(s *terraform.State) error {
						if got := s.RootModule().Resources[projectAddr].Primary.ID; got != id {
							return fmt.Errorf("the state holds %s after the refused redirect, want %s", got, id)
						}
						return nil
					},
				},
			},
		})
		cp.CheckNothingReceived(t)
	})
	t.Run("credential check", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		cp := acctest.NewCaptureServer(t)
		loc := cp.URL + "/users/joinedOrgs"
		e.mock.Inject(validationCall, mockserver.Fault{Kind: mockserver.Redirect, Status: http.StatusTemporaryRedirect, Location: loc})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      e.config(base("redirected", "RDRC").String()),
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(`Cannot use the yunxiao provider's endpoint.*` + redirectError(validationCall, 307, loc)),
			}},
		})
		cp.CheckNothingReceived(t)
		acctest.CheckNoRequests(t, e.mock, validationCall)
	})
}

// A parallel apply under TF_LOG=TRACE: every API request line carries Terraform's request id and
// a resource type (provider.yunxiao for the credential check), those of projects the project's
// name or id, list calls their query, the TRACE lines the bodies, and no secret appears anywhere.
func TestAccReliability_logsNameEachCall(t *testing.T) {
	e := newTestEnv(t)
	const keyID, secret, token = "STS.pkLogKey", "log-secret-MUST-NOT-LEAK-000000001", "log-security-token-MUST-NOT-LEAK-02"
	e.mock.AddKey(keyID, secret, token, testOrg)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", keyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", token)
	traceLog := acctest.TraceLog(t)
	var body strings.Builder
	for i, code := range []string{"LOGA", "LOGB", "LOGC"} {
		fmt.Fprintf(&body, "resource \"yunxiao_project\" \"p%d\" {\n  name = \"logged-%d\"\n  custom_code = %q\n  template_identifier = %q\n}\n", i, i, code, testTemplate)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             acctest.CheckDestroyed(e.created),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"yunxiao\" {\n  organization_id = %q\n  endpoint = %q\n}\n", testOrg, e.url) + body.String(),
			Check: func(*terraform.State) error {
				if n := len(e.mock.Projects(testOrg)); n != 3 {
					return fmt.Errorf("the mock holds %d projects, want 3", n)
				}
				return nil
			},
		}},
	})
	logs := traceLog()
	text := logs
	requests := 0
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, "yunxiao: API request:") {
			continue
		}
		requests++
		if !regexp.MustCompile(`tf_req_id=[0-9a-f-]{36}`).MatchString(line) || !strings.Contains(line, "tf_rpc=") {
			t.Errorf("an API request line lacks tf_req_id or tf_rpc: %s", line)
		}
		checkProvider := strings.Contains(line, "tf_rpc=ConfigureProvider") && strings.Contains(line, "tf_resource_type=provider.yunxiao")
		if !strings.Contains(line, "tf_resource_type=yunxiao_project") && !checkProvider {
			t.Errorf("an API request line lacks tf_resource_type: %s", line)
		}
		if strings.Contains(line, "operation=CreateProject") && !regexp.MustCompile(`project_name=logged-\d`).MatchString(line) {
			t.Errorf("a CreateProject line lacks project_name: %s", line)
		}
		if strings.Contains(line, "operation=GetProjectInfo") && !regexp.MustCompile(`project_id=[0-9a-f]{24}`).MatchString(line) {
			t.Errorf("a GetProjectInfo line lacks project_id: %s", line)
		}
	}
	if requests < 10 {
		t.Errorf("the log holds %d API request lines; the test proves nothing", requests)
	}
	for _, want := range []string{`path="/organization/` + testOrg + `/listProjects?category=Project&maxResults=200"`, `API request body`, `API response body`,
		`body="{\"templateIdentifier\":`, `"customCode\":\"LOGB\"`, `X-Acs-Security-Token:***`, `Authorization:***`} {
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

// A drift check right after an apply finds nothing: `terraform plan -refresh-only
// -detailed-exitcode` exits 0, as does a plan. (The first read used to drop the mark a create
// leaves for the read-after-create wait; that change of the private state made a refresh-only
// plan exit 2 with "No changes".)
func TestAccReliability_driftCheckCleanAfterApply(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	d := e.workdir(e.config(base("drift", "DRFT").String()))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	d.ExpectNoDrift()
	if got := e.created(); len(got) != 1 || got[0].Name != "drift" {
		t.Errorf("the mock holds %+v, want the one project drift", got)
	}
}
