package trro

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// faultTest applies projectConfig("faulty", ...) with faults injected first, and asserts that
// exactly one project results, with the calls counted as want.
func faultTest(t *testing.T, inject func(m *testEnv), wantCalls map[string]int) {
	e := newTestEnv(t)
	inject(e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: e.config(projectConfig("faulty", "survives faults", "")),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkMockProject(projectAddr, client.Project{Name: "faulty", Description: "survives faults", PolicyMode: "black"}, 1),
				func(*terraform.State) error {
					for op, n := range wantCalls {
						if got := e.mock.Requests(op); got != n {
							return fmt.Errorf("%s was called %d times, want %d", op, got, n)
						}
					}
					return nil
				},
			),
		}},
	})
}

func TestAccReliability_throttlingBurst(t *testing.T) {
	throttle := mockserver.Fault{Kind: mockserver.Throttle}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", throttle, throttle, throttle, throttle)
		e.mock.Inject("DescribeProjectInfo", throttle, throttle)
		e.mock.Inject("DeleteProject", throttle, throttle)
	}, map[string]int{"CreateProject": 5, "DescribeProjectList": 0})
}

// A 5xx on a create may or may not have acted: the provider looks before it sends again.
func TestAccReliability_serverErrorsThenSuccess(t *testing.T) {
	faultTest(t, func(e *testEnv) {
		for _, op := range []string{"CreateProject", "DescribeProjectInfo", "DeleteProject"} {
			e.mock.Inject(op,
				mockserver.Fault{Kind: mockserver.ServerError, Status: 500},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 502},
				mockserver.Fault{Kind: mockserver.ServerError, Status: 503})
		}
	}, map[string]int{"CreateProject": 4, "DescribeProjectList": 3})
}

func TestAccReliability_connectionReset(t *testing.T) {
	reset := mockserver.Fault{Kind: mockserver.ResetConnection}
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", reset)
		e.mock.Inject("DescribeProjectInfo", reset, reset)
		e.mock.Inject("DeleteProject", reset)
	}, map[string]int{"CreateProject": 2, "DescribeProjectList": 1})
}

// The server creates the project but the answer is lost: the provider adopts it instead of
// creating a second one.
func TestAccReliability_lostCreateResponse(t *testing.T) {
	faultTest(t, func(e *testEnv) {
		e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	}, map[string]int{"CreateProject": 1, "DescribeProjectList": 1})
}

// When the lost create leaves several identical projects, the provider cannot tell which is
// its own: it fails, naming them, and creates no third.
func TestAccReliability_lostCreateResponseAmbiguous(t *testing.T) {
	e := newTestEnv(t)
	twin := e.mock.PutProject(client.Project{Name: "faulty", Description: "survives faults", PolicyMode: "black"})
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:      e.config(projectConfig("faulty", "survives faults", "")),
			ExpectError: regexp.MustCompile(`(?s)Several existing projects match.*` + twin + `.*terraform import <address>`),
		}},
	})
	if n := len(e.mock.Projects()); n != 2 {
		t.Errorf("the mock holds %d projects, want 2 (the twin and the one whose answer was lost)", n)
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
			ExpectError: regexp.MustCompile(`(?s)Error creating TRRO project.*CreateProject: timed out: the operation's\s+timeout of 1s ran out.*raise the\s+resource's timeouts`),
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
	e := newTestEnv(t)
	e.mock.HideNewProjects(3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
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
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if testing.Short() {
		t.Skip("takes about 30 seconds")
	}
	const count, parallelism = 200, 50
	e := newTestEnv(t)
	var probe acctest.ConcurrencyProbe
	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/trro": func() tfprotov6.ProviderServer {
			return probe.Wrap(e.factoriesServer())
		},
	})
	wd := acctest.NewWorkdir(t, map[string]string{"main.tf": reattachTerraformBlock + e.config(fmt.Sprintf(`
resource "trro_project" "bulk" {
  count = %d
  name  = "bulk-${count.index}"
}
`, count))}, reattach)
	par := fmt.Sprintf("-parallelism=%d", parallelism)
	wd.MustRun("init", "-input=false")
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
	dir := t.TempDir()
	// Secrets come from the environment, as they usually do: the test harness logs the HCL it
	// writes, so secrets in the configuration text would show up in its own log lines.
	t.Setenv(EnvSecretID, secretID)
	t.Setenv(EnvSecretKey, secretKey)
	t.Setenv(EnvSecurityToken, token)
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkDestroy,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "trro" {
  endpoint = %q
}
`, e.url) + projectConfig("logged", "", ""),
			Check: e.checkMockProject(projectAddr, client.Project{Name: "logged", PolicyMode: "black"}, 1),
		}},
	})
	logs, err := os.ReadFile(filepath.Join(dir, t.Name()+".log"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(logs)
	// The log must really hold the provider's API traces, or this test proves nothing.
	for _, want := range []string{`API request headers`, `operation=CreateProject`, `X-Tc-Token:***`, `Authorization:***`, `request_id=`} {
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
