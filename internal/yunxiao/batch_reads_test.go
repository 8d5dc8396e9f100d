package yunxiao

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// batchCode is the custom code of the i-th project of batchConfig (4 upper-case letters).
func batchCode(i int) string { return fmt.Sprintf("BT%c%c", 'A'+i/26, 'A'+i%26) }

// batchConfig is count projects under a provider with batch_reads as given, no client-side
// limit, no credentials or conflict check (so that every ListProjects counted is the
// snapshot's).
func batchConfig(url string, batch bool, count int) string {
	var codes []string
	for i := range count {
		codes = append(codes, fmt.Sprintf("%q", batchCode(i)))
	}
	return fmt.Sprintf(`
provider "yunxiao" {
  access_key_id               = %q
  access_key_secret           = %q
  organization_id             = %q
  endpoint                    = %q
  max_requests_per_second     = 1000
  skip_credentials_validation = true
  skip_conflict_check         = true
  batch_reads                 = %t
}

resource "yunxiao_project" "p" {
  for_each            = toset([%s])
  name                = "batch-${each.key}"
  custom_code         = each.key
  template_identifier = %q
  description         = "managed"
}
`, testAccessKeyID, testAccessKeySecret, testOrg, url, batch, strings.Join(codes, ", "), testTemplate)
}

// batchWorkdir applies count projects against a mock without rate limit and returns the
// working directory and the ids by index.
func batchWorkdir(t *testing.T, count int) (*testEnv, *acctest.Workdir, []string) {
	t.Helper()
	acctest.RequireAcc(t)
	e := newTestEnv(t)
	w := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(testProvider()), batchConfig(e.url, true, count))
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	// A saved refresh that sees every project: from then on a project missing from a refresh is
	// gone, not one created moments ago and not visible yet (which a refresh waits for).
	w.MustRun("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	ids := make([]string, count)
	for i := range ids {
		ids[i] = w.State()[fmt.Sprintf("yunxiao_project.p[%q]", batchCode(i))].ID
	}
	return e, w, ids
}

// batchPlan plans with batch_reads as given and returns the plan's resource changes (from
// `terraform show -json`) and the GetProjectInfo and ListProjects calls it sent.
func batchPlan(t *testing.T, e *testEnv, w *acctest.Workdir, batch bool, count int) (changes []planChange, reads, lists int) {
	t.Helper()
	w.WriteMain(batchConfig(e.url, batch, count))
	reads0, lists0 := e.mock.Requests("GetProjectInfo"), e.mock.Requests("ListProjects")
	if out, code := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan"); code != 0 && code != 2 {
		t.Fatalf("plan (batch_reads = %t) exited %d:\n%s", batch, code, out)
	}
	reads, lists = e.mock.Requests("GetProjectInfo")-reads0, e.mock.Requests("ListProjects")-lists0
	t.Logf("plan with batch_reads = %t: %d reads by id, %d list calls", batch, reads, lists)
	var plan struct {
		ResourceChanges []planChange `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(w.MustRun("show", "-json", "-no-color", "tfplan")), &plan); err != nil {
		t.Fatal(err)
	}
	return plan.ResourceChanges, reads, lists
}

// planChange is a resource change of `terraform show -json`.
type planChange struct {
	Address string `json:"address"`
	Change  struct {
		Actions      []string `json:"actions"`
		Before       any      `json:"before"`
		After        any      `json:"after"`
		AfterUnknown any      `json:"after_unknown"`
	} `json:"change"`
}

// actions maps each resource change's address to its actions joined, leaving out no-ops.
func actions(changes []planChange) map[string]string {
	out := map[string]string{}
	for _, c := range changes {
		if a := strings.Join(c.Change.Actions, ","); a != "no-op" {
			out[c.Address] = a
		}
	}
	return out
}

// A batched plan (one ListProjects page serving most of the refresh) sees an out-of-band
// change and an out-of-band delete of managed projects exactly as a plan without batching does:
// the same resource changes in `terraform show -json`.
func TestAccBatchReads_outOfBandChangesSeen(t *testing.T) {
	const count = 15
	e, w, ids := batchWorkdir(t, count)
	// Within the read-after-create window a project missing from a read is waited for; past
	// it, the delete below is seen at once, as in an account whose projects are not new.
	time.Sleep(newProjectGrace.MaxWait)

	changed, _ := e.mock.Project(testOrg, ids[3])
	changed.Description = "changed in the console"
	e.mock.PutProject(testOrg, changed)
	e.mock.RemoveProject(testOrg, ids[11])

	batched, reads, lists := batchPlan(t, e, w, true, count)
	if reads >= count || lists != 1 {
		t.Errorf("the batched refresh of %d projects sent %d GetProjectInfo and %d ListProjects, want fewer than %d and 1", count, reads, lists, count)
	}
	want := map[string]string{fmt.Sprintf("yunxiao_project.p[%q]", batchCode(3)): "update", fmt.Sprintf("yunxiao_project.p[%q]", batchCode(11)): "create"}
	if got := actions(batched); !reflect.DeepEqual(got, want) {
		t.Errorf("batched plan: %v, want %v", got, want)
	}
	unbatched, reads, lists := batchPlan(t, e, w, false, count)
	if reads != count || lists != 0 {
		t.Errorf("the unbatched refresh sent %d GetProjectInfo and %d ListProjects, want %d and 0", reads, lists, count)
	}
	if !reflect.DeepEqual(batched, unbatched) {
		t.Errorf("the batched and unbatched plans differ:\nbatched:   %v\nunbatched: %v", batched, unbatched)
	}
}

// A project missing from the list (created moments ago, the list lagging behind) is read by
// itself and stays in the state: the plan shows no change.
func TestAccBatchReads_missingFromListReadDirectly(t *testing.T) {
	const count = 15
	e, w, ids := batchWorkdir(t, count)
	// Ten of fifteen: nine reads go direct before the list, so at least one of these is read
	// after the snapshot was fetched, whatever the order of the refresh.
	for _, id := range ids[5:] {
		e.mock.HideFromList(id)
	}

	changes, reads, lists := batchPlan(t, e, w, true, count)
	if got := actions(changes); len(got) != 0 {
		t.Errorf("plan with projects missing from the list: %v, want no changes", got)
	}
	if lists != 1 || reads < 10 {
		t.Errorf("the refresh sent %d GetProjectInfo and %d ListProjects, want at least 10 and 1", reads, lists)
	}
	if n := len(w.State()); n != count {
		t.Errorf("the state holds %d projects, want %d", n, count)
	}
}

// A state of 3 projects in an account of 500 never lists the account.
func TestAccBatchReads_smallStateDoesNotList(t *testing.T) {
	e, w, _ := batchWorkdir(t, 3)
	for i := range 500 {
		e.mock.PutProject(testOrg, client.Project{Name: fmt.Sprintf("other-%03d", i), CustomCode: fmt.Sprintf("OT%c%c", 'A'+i/26, 'A'+i%26)})
	}
	changes, reads, lists := batchPlan(t, e, w, true, 3)
	if got := actions(changes); len(got) != 0 {
		t.Errorf("plan: %v, want no changes", got)
	}
	if reads != 3 || lists != 0 {
		t.Errorf("the refresh of 3 projects sent %d GetProjectInfo and %d ListProjects, want 3 and 0", reads, lists)
	}
}
