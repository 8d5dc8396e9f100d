package iam

// Issue 14's tests for iam, each with real terraform run as CI runs it: destroys that always
// work, credentials checked at plan, failures that cannot heal failing fast and naming the fix,
// bounded plan-time lookups, Huawei Cloud's projects that destroy cannot delete, and the calls
// each create costs. (The log fields are tested in TestAccReliability_traceLogsHaveNoSecrets.)

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// `terraform plan -destroy` and `terraform destroy` succeed when the configuration also holds
// a resource not in the state whose name is taken: the conflict is a warning in the normal plan
// (which a destroy runs first), the project in the state is deleted, and the other project is
// untouched.
func TestAccPipelines_destroyDespiteConflict(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	d := e.workdir(e.passwordProvider() + projectConfig("eu-de_mine"))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	taken := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_taken", Description: "made in the console"})
	d.WriteMain(e.passwordProvider() + projectConfig("eu-de_mine") + strings.ReplaceAll(projectConfig("eu-de_taken"), `"test"`, `"second"`))

	out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !acctest.ErrorPattern(`Warning: IAM project name "eu-de_taken" is already taken.*Creating this resource will fail: IAM project `+taken+
		`.*terraform import iam_project.<name> `+taken).MatchString(out) {
		t.Errorf("the plan (exit %d) does not warn about the taken name:\n%s", code, out)
	}
	if out, code := d.Run("plan", "-destroy", "-input=false", "-no-color"); code != 0 {
		t.Errorf("terraform plan -destroy exited %d:\n%s", code, out)
	}
	if out, code := d.Run("destroy", "-input=false", "-no-color", "-auto-approve"); code != 0 {
		t.Errorf("terraform destroy exited %d:\n%s", code, out)
	}
	if err := e.checkOnly("eu-de_taken"); err != nil {
		t.Error(err)
	}
	if p, ok := e.mock.Project(taken); !ok || p.Description != "made in the console" {
		t.Errorf("the console's project was touched: %+v (exists %v)", p, ok)
	}
	if st := d.State(); len(st) != 0 {
		t.Errorf("the state still holds %v after destroy", st)
	}
}

// A tainted resource's own project is never reported as a conflict: the plan replaces it
// quietly, and the apply leaves one project, in the state, untainted.
func TestAccPipelines_taintedOwnProjectIsNoConflict(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	d := e.workdir(e.passwordProvider() + projectConfig("eu-de_tainted"))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	old := d.State()[projectAddr].Values["id"]
	d.MustRun("taint", "-no-color", projectAddr)
	out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !strings.Contains(out, "is tainted, so must be replaced") {
		t.Errorf("the plan (exit %d) does not replace the tainted project:\n%s", code, out)
	}
	if strings.Contains(out, "is already taken") || strings.Contains(out, "Warning") {
		t.Errorf("the plan reports the tainted resource's own project:\n%s", out)
	}
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if err := e.checkOnly("eu-de_tainted"); err != nil {
		t.Error(err)
	}
	r := d.State()[projectAddr]
	if r.Tainted || r.Values["id"] == old {
		t.Errorf("after the apply the state holds %v (tainted %v), want a new untainted project", r.Values["id"], r.Tainted)
	}
	if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the replacement is not clean (exit %d):\n%s", code, out)
	}
}

// Wrong credentials fail `terraform plan` (exit 1, not 2), at configure, with the cloud's code,
// its request id and the settings to check; the check is made once per credential set and
// provider process; skip_credentials_validation turns it off (its variable: TestOptionsFromEnvironment).
func TestAccPipelines_credentialsCheckedAtPlan(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.Huawei)
	aksk := func(secret string, extra ...string) string {
		return fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  access_key = %q\n  secret_key = %q\n  domain_id = %q\n  %s\n}\n",
			e.url, e.fx.AccessKey, secret, e.fx.DomainID, strings.Join(extra, "\n  ")) + projectConfig("cn-north-4_creds")
	}
	d := e.workdir(aksk("wrong-secret"))
	start := time.Now()
	out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the plan with a wrong secret key took %s", elapsed)
	}
	want := `Error: Invalid iam provider credentials.*HTTP status: 401.*Error code: APIGW.0301.*verify aksk signature fail.*` +
		`Request ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*HW_SECRET_KEY.*Check these settings:.*` +
		`"secret_key" \(or the environment variable HW_SECRET_KEY or OS_SECRET_KEY\)`
	if code != 1 || !acctest.ErrorPattern(want).MatchString(out) {
		t.Errorf("the plan with a wrong secret key exited %d:\n%s", code, out)
	}
	if n := e.mock.Requests(client.OpListProjects) + e.mock.Requests(client.OpCreateProject); n != 0 {
		t.Errorf("%d project requests after the credentials were refused", n)
	}

	// Skipped: the plan goes on, and only the conflict check's lookup fails, with a warning.
	checks := e.mock.Requests(client.OpListAuthDomains)
	d.WriteMain(aksk("wrong-secret", "skip_credentials_validation = true"))
	out, code = d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !strings.Contains(out, "Could not check whether the IAM project name is free") {
		t.Errorf("the plan with skip_credentials_validation exited %d:\n%s", code, out)
	}
	if n := e.mock.Requests(client.OpListAuthDomains); n != checks {
		t.Errorf("skip_credentials_validation = true still checked the credentials (%d calls)", n-checks)
	}

	// Right credentials: checked once for all the commands this provider process serves.
	d.WriteMain(aksk(e.fx.SecretKey))
	for range 2 {
		if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 2 {
			t.Errorf("the plan with the right credentials exited %d:\n%s", code, out)
		}
	}
	if n := e.mock.Requests(client.OpListAuthDomains) - checks; n != 1 {
		t.Errorf("the right credentials were checked %d times for two plans in one process, want once", n)
	}
}

// What cannot heal fails within 10 seconds, at configure, naming auth_url and its variables: a
// host that does not resolve, a refused port, an untrusted certificate, a path of another API
// version or of another service, and another service answering at the endpoint.
func TestAccPipelines_failFast(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	refused := "http://" + acctest.FreePort(t) + "/v3"
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html><body><h1>404 Not Found</h1>nginx</body></html>"))
	}))
	t.Cleanup(html.Close)
	otherAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Response":{"RequestId":"6b1b6d0e-37c2-4bfb-8a19-0f4a52b7c2f1"}}`))
	}))
	t.Cleanup(otherAPI.Close)
	tlsEnv, _, _ := newTLSTestEnv(t)
	e := newTestEnv(t, mock.OTC)
	base := strings.TrimSuffix(e.url, "/v3")
	const names = `auth_url \(HW_AUTH_URL or OS_AUTH_URL\)`
	for _, tc := range []struct {
		name, authURL, want string
	}{
		{"host that does not resolve", "https://iam.eu-de.example.invalid/v3", `Cannot use the iam provider's endpoint.*no such host.*` + names},
		{"refused port", refused, `Cannot use the iam provider's endpoint.*connection refused.*` + names},
		{"untrusted certificate", tlsEnv.url, `Cannot use the iam provider's endpoint.*certificate.*` + names + ` and cacert_file or ca_file`},
		{"another API version", base + "/v2.0", `Invalid auth_url.*names the API version v2.0.*end it in /v3.*` + names},
		{"a path after /v3", base + "/v3/projects", `Invalid auth_url.*goes on after /v3 \(/projects\).*` + names},
		{"a path the API does not serve", base + "/identity/v3", `the endpoint does not look like the iam API.*` + names + `.*APIGW.0101`},
		{"an HTML 404", html.URL + "/v3", `the endpoint does not look like the iam API.*` + names + `.*HTTP status: 404 \(text/html\)`},
		{"another service's 200", otherAPI.URL + "/v3", `the endpoint does not look like the iam API.*` + names + `.*no domains list`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := e.workdir(fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  access_key = %q\n  secret_key = %q\n  domain_id = %q\n}\n",
				tc.authURL, e.fx.AccessKey, e.fx.SecretKey, e.fx.DomainID) + projectConfig("eu-de_fast"))
			start := time.Now()
			out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
			elapsed := time.Since(start)
			if code != 1 || !acctest.ErrorPattern(tc.want).MatchString(out) || !strings.Contains(out, "OS_AUTH_URL") {
				t.Errorf("terraform plan exited %d:\n%s", code, out)
			}
			if elapsed > 10*time.Second {
				t.Errorf("terraform plan took %s to fail", elapsed)
			}
			t.Logf("failed in %s", elapsed.Round(time.Millisecond))
		})
	}
}

// A hung API delays a plan by the plan-time lookup's bound (15 s), once, however many creates
// it plans, and the plan warns and goes on.
func TestAccPipelines_planLookupIsBounded(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	d := e.workdir(e.passwordProvider() + projectConfig("eu-de_hung") + strings.ReplaceAll(projectConfig("eu-nl_hung"), `"test"`, `"second"`) +
		strings.ReplaceAll(projectConfig("eu-ch2_hung"), `"test"`, `"third"`))
	e.mock.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.Delay, Delay: 2 * time.Minute})
	start := time.Now()
	out, code := d.Run("plan", "-input=false", "-no-color")
	elapsed := time.Since(start)
	if code != 0 || !acctest.ErrorPattern(`Warning: Could not check whether the IAM project name is free.*Plan-time lookups give up after 15s.*timed out after 15s`).MatchString(out) {
		t.Errorf("the plan against a hung API exited %d:\n%s", code, out)
	}
	if !strings.Contains(out, "Plan: 3 to add") {
		t.Errorf("the plan did not plan the creates:\n%s", out)
	}
	if elapsed > 45*time.Second {
		t.Errorf("the plan against a hung API took %s for 3 planned creates", elapsed)
	}
	if n := e.mock.Requests(client.OpListProjects); n != 1 {
		t.Errorf("ListProjects sent %d times, want once for the plan", n)
	}
	t.Logf("the plan took %s", elapsed.Round(time.Millisecond))
}

// On Huawei Cloud, which cannot delete IAM projects, `terraform plan -destroy` says which
// projects will stay and how to import them again (exit 0), as does a plan that replaces one;
// a project whose deletion_policy says what is meant, and any project on OTC, plan quietly.
func TestAccPipelines_huaweiDestroyWarnsAtPlan(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.Huawei)
	config := func(kept string) string {
		return e.passwordProvider() + projectConfig(kept) +
			strings.ReplaceAll(projectConfig("cn-north-4_abandoned", `deletion_policy = "abandon"`), `"test"`, `"abandoned"`)
	}
	d := e.workdir(config("cn-north-4_kept"))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	kept := d.State()[projectAddr].ID
	out, code := d.Run("plan", "-destroy", "-input=false", "-no-color")
	want := `Warning: IAM project "cn-north-4_kept" will stay in Huawei Cloud.*Destroying this iam_project will not delete project "cn-north-4_kept" \(id ` + kept +
		`\).*Huawei Cloud cannot delete IAM projects.*To use the project again, import it:.*terraform import iam_project.<name> ` + kept +
		`.*id = "` + kept + `".*deletion_policy = "suspend".*"abandon"`
	if code != 0 || !acctest.ErrorPattern(want).MatchString(out) {
		t.Errorf("terraform plan -destroy exited %d:\n%s", code, out)
	}
	if strings.Contains(out, `"cn-north-4_abandoned" will stay`) {
		t.Errorf("a project with deletion_policy = \"abandon\" was warned about:\n%s", out)
	}
	// A new region prefix replaces the project: the plan says the old one stays.
	d.WriteMain(config("ap-southeast-1_kept"))
	out, code = d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !acctest.ErrorPattern(`IAM project "cn-north-4_kept" will stay in Huawei Cloud.*Replacing this iam_project will not delete`).MatchString(out) {
		t.Errorf("the replacing plan exited %d:\n%s", code, out)
	}
	// A tainted project's replacement would fail here, since the project stays: the plan says so.
	d.WriteMain(config("cn-north-4_kept"))
	d.MustRun("taint", "-no-color", projectAddr)
	out, code = d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !acctest.ErrorPattern(`IAM project "cn-north-4_kept" will stay in Huawei Cloud.*Project `+kept+`, held in the state.*will fail with HTTP 409.*terraform untaint`).MatchString(out) {
		t.Errorf("the plan replacing a tainted project on Huawei Cloud exited %d:\n%s", code, out)
	}
	d.MustRun("untaint", "-no-color", projectAddr)
	if out, code := d.Run("destroy", "-input=false", "-no-color", "-auto-approve"); code != 0 || !strings.Contains(out, "will stay in Huawei Cloud") {
		t.Errorf("terraform destroy exited %d:\n%s", code, out)
	}
	if err := e.checkOnly("cn-north-4_kept", "cn-north-4_abandoned"); err != nil {
		t.Error(err)
	}

	otc := newTestEnv(t, mock.OTC)
	od := otc.workdir(otc.passwordProvider() + projectConfig("eu-de_deleted"))
	od.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := od.Run("plan", "-destroy", "-input=false", "-no-color"); code != 0 || strings.Contains(out, "Warning") {
		t.Errorf("terraform plan -destroy on OTC exited %d:\n%s", code, out)
	}
}

// Each create costs one CreateProject: the create's answer carries the project, the region's
// project is looked up once, the name check lists once per plan, and whether the cloud offers
// /v3-ext (for the status) is learnt from one read for all creates, or from none when the
// status is configured.
func TestAccPipelines_callsPerCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	const count = 5
	for _, tc := range []struct {
		status string
		reads  int
	}{{"", 1}, {`status = "normal"`, 0}} {
		t.Run(fmt.Sprintf("status %q", tc.status), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, mock.OTC)
			d := e.workdir(e.passwordProvider() + fmt.Sprintf("resource \"iam_project\" \"many\" {\n  count = %d\n  name = \"eu-de_many-${count.index}\"\n  %s\n}\n", count, tc.status))
			d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
			got := map[string]int{}
			for _, op := range []string{client.OpCreateProject, client.OpListProjects, client.OpShowProjectStatus, client.OpShowProject, client.OpListAuthDomains} {
				got[op] = e.mock.Requests(op)
			}
			t.Logf("calls for %d creates: %v", count, got)
			// ListProjects: the plan's and the apply's name checks (whose listing holds the
			// region's project, so it is not looked up), and the creates' lookups before they are
			// sent (one per name: IAM's filter is by name).
			if n := got[client.OpListProjects]; n != 2+count {
				t.Errorf("ListProjects sent %d times for %d creates, want 2 and %d lookups before the creates", n, count, count)
			}
			want := map[string]int{client.OpCreateProject: count, client.OpShowProjectStatus: tc.reads, client.OpShowProject: 0, client.OpListAuthDomains: 1}
			for op, n := range want {
				if got[op] != n {
					t.Errorf("%s sent %d times for %d creates, want %d", op, got[op], count, n)
				}
			}
			if err := e.checkOnly(func() []string {
				var names []string
				for i := range count {
					names = append(names, fmt.Sprintf("eu-de_many-%d", i))
				}
				return names
			}()...); err != nil {
				t.Error(err)
			}
			if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
				t.Errorf("the plan after the creates is not clean (exit %d):\n%s", code, out)
			}
		})
	}
}

// `-replace` of a project whose deletion_policy keeps it ("abandon") fails at plan: the
// replacement's create would fail while the old project keeps the name (Terraform shows no
// warning from the successor's plan, so it is an error), and nothing is forgotten. With
// "delete" on OTC the replacement plans.
func TestAccPipelines_replaceWithAbandonFailsAtPlan(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	d := e.workdir(e.passwordProvider() + projectConfig("eu-de_abandoned", `deletion_policy = "abandon"`))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	old := d.State()[projectAddr].ID
	want := acctest.ErrorPattern(`Error: IAM project "eu-de_abandoned" keeps its name: its replacement would fail.*Terraform plans to replace project ` + old +
		`.*deletion_policy is "abandon".*would fail with HTTP 409`)
	for _, cmd := range []string{"plan", "apply"} {
		args := []string{cmd, "-input=false", "-no-color", "-replace=" + projectAddr}
		if cmd == "apply" {
			args = append(args, "-auto-approve")
		}
		if out, code := d.Run(args...); code != 1 || !want.MatchString(out) {
			t.Errorf("terraform %s -replace exited %d:\n%s", cmd, code, out)
		}
	}
	if r := d.State()[projectAddr]; r.ID != old {
		t.Errorf("after the refused replacement the state holds %+v, want project %s", r, old)
	}
	if p := e.created(); len(p) != 1 || p[0].ID != old {
		t.Errorf("the mock holds %+v, want only project %s", p, old)
	}
	// With "delete" on OTC the replacement deletes the project first: it plans.
	d.WriteMain(e.passwordProvider() + projectConfig("eu-de_abandoned", `deletion_policy = "delete"`))
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := d.Run("plan", "-input=false", "-no-color", "-detailed-exitcode", "-replace="+projectAddr); code != 2 || strings.Contains(out, "keeps its name") {
		t.Errorf("a replacing plan with deletion_policy = \"delete\" on OTC exited %d:\n%s", code, out)
	}
}

// A drift check right after an apply finds nothing: `terraform plan -refresh-only
// -detailed-exitcode` exits 0, as does a plan. (The first read used to drop the mark a create
// leaves for the read-after-create wait; that change of the private state made a refresh-only
// plan exit 2 with "No changes".)
func TestAccPipelines_driftCheckCleanAfterApply(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	d := e.workdir(e.passwordProvider() + "resource \"iam_project\" \"many\" {\n  count = 2\n  name = \"eu-de_drift-${count.index}\"\n}\n")
	d.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	d.ExpectNoDrift()
	if err := e.checkOnly("eu-de_drift-0", "eu-de_drift-1"); err != nil {
		t.Error(err)
	}
}
