package iam

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// batchConfig is count projects under a provider with batch_reads as given, without the
// credentials and conflict checks (so that every list counted is the snapshot's).
func batchConfig(e *testEnv, batch bool, count int) string {
	return e.passwordProvider("skip_conflict_check = true", "skip_credentials_validation = true", fmt.Sprintf("batch_reads = %t", batch)) + fmt.Sprintf(`
resource "iam_project" "p" {
  count       = %d
  name        = format("eu-de_batch%%02d", count.index)
  description = "managed"
}
`, count)
}

// batchWorkdir applies count projects against an Open Telekom Cloud mock, with /v3-ext as
// given, and returns the working directory and the ids by index.
func batchWorkdir(t *testing.T, ext bool, count int) (*testEnv, *acctest.Workdir, []string) {
	t.Helper()
	acctest.RequireAcc(t)
	e := newTestEnv(t, mock.OTC)
	e.mock.SetExtAPI(ext)
	w := e.workdir(batchConfig(e, true, count))
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	// A refresh saved in the state ends the new projects' read-after-create window, in which a
	// project not found is read again for a while (which would blur the counts below).
	w.MustRun("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	ids := make([]string, count)
	for i := range ids {
		ids[i] = w.State()[fmt.Sprintf("iam_project.p[%d]", i)].ID
	}
	return e, w, ids
}

// projectReads is how many projects were read by id without status (GET /v3/projects/{id}):
// on a cloud without /v3-ext every read by id ends there once; the status calls that fail
// (each client's first reads, that learn /v3-ext is missing) are not counted.
func projectReads(e *testEnv) int {
	return e.mock.Requests(client.OpShowProject)
}

// batchPlan plans with batch_reads as given and returns the plan's resource changes (from
// `terraform show -json`) and the project reads and ListProjects calls it sent.
func batchPlan(t *testing.T, e *testEnv, w *acctest.Workdir, batch bool, count int) (changes []planChange, reads, lists int) {
	t.Helper()
	w.WriteMain(batchConfig(e, batch, count))
	reads0, lists0 := projectReads(e), e.mock.Requests(client.OpListProjects)
	if out, code := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan"); code != 0 && code != 2 {
		t.Fatalf("plan (batch_reads = %t) exited %d:\n%s", batch, code, out)
	}
	reads, lists = projectReads(e)-reads0, e.mock.Requests(client.OpListProjects)-lists0
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

// Where the cloud has no /v3-ext, a batched plan (one list page serving most of the refresh)
// sees an out-of-band change and an out-of-band delete of managed projects exactly as a plan
// without batching does: the same resource changes in `terraform show -json`. (The first ten
// reads, in flight while the client learns that /v3-ext is missing, are not counted by the
// snapshot, so this needs more than 20 projects to list.)
func TestAccBatchReads_outOfBandChangesSeen(t *testing.T) {
	const count = 30
	e, w, ids := batchWorkdir(t, false, count)
	// Within the read-after-create window a project missing from a read is waited for; past
	// it, the delete below is seen at once, as in an account whose projects are not new.
	time.Sleep(newProjectGrace)

	e.mock.UpdateProject(ids[3], func(p *client.Project) { p.Description = "changed in the console" })
	e.mock.RemoveProject(ids[11])

	batched, batchedReads, lists := batchPlan(t, e, w, true, count)
	if lists != 1 {
		t.Errorf("the batched refresh of %d projects sent %d ListProjects, want 1", count, lists)
	}
	want := map[string]string{"iam_project.p[3]": "update", "iam_project.p[11]": "create"}
	if got := actions(batched); !reflect.DeepEqual(got, want) {
		t.Errorf("batched plan: %v, want %v", got, want)
	}
	unbatched, reads, lists := batchPlan(t, e, w, false, count)
	if reads != count || lists != 0 || batchedReads > count-5 {
		t.Errorf("the unbatched refresh sent %d project reads and %d ListProjects, want %d and 0; the batched one %d reads, want at most %d",
			reads, lists, count, batchedReads, count-5)
	}
	if !reflect.DeepEqual(batched, unbatched) {
		t.Errorf("the batched and unbatched plans differ:\nbatched:   %v\nunbatched: %v", batched, unbatched)
	}
}

// A project missing from the list (created moments ago, the list lagging behind) is read by
// itself and stays in the state: the plan shows no change.
func TestAccBatchReads_missingFromListReadDirectly(t *testing.T) {
	const count = 30
	e, w, ids := batchWorkdir(t, false, count)
	// Within the read-after-create window a project missing from a read is waited for; past
	// it, the delete below is seen at once, as in an account whose projects are not new.
	time.Sleep(newProjectGrace)
	// Twenty of thirty: some are read after the snapshot was fetched, whatever the order.
	for _, id := range ids[10:] {
		e.mock.HideFromList(id)
	}

	changes, _, lists := batchPlan(t, e, w, true, count)
	if got := actions(changes); len(got) != 0 {
		t.Errorf("plan with projects missing from the list: %v, want no changes", got)
	}
	if lists != 1 {
		t.Errorf("the refresh sent %d ListProjects, want 1", lists)
	}
	if n := len(w.State()); n != count {
		t.Errorf("the state holds %d projects, want %d", n, count)
	}
}

// Where the cloud offers /v3-ext (status), the list cannot carry what the resource stores:
// batch_reads changes nothing, every project is read with its status and nothing is listed.
func TestAccBatchReads_extCloudReadsEachProject(t *testing.T) {
	const count = 15
	e, w, _ := batchWorkdir(t, true, count)
	changes, _, lists := batchPlan(t, e, w, true, count)
	if got := actions(changes); len(got) != 0 {
		t.Errorf("plan: %v, want no changes", got)
	}
	if reads := e.mock.Requests(client.OpShowProjectStatus); lists != 0 || reads < count {
		t.Errorf("the refresh sent %d ListProjects and %d status reads, want 0 and %d", lists, reads, count)
	}
}

// A state of 3 projects in an account of 500 never lists the account.
func TestAccBatchReads_smallStateDoesNotList(t *testing.T) {
	e, w, _ := batchWorkdir(t, false, 3)
	for i := range 500 {
		e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: fmt.Sprintf("eu-de_other%03d", i)})
	}
	changes, reads, lists := batchPlan(t, e, w, true, 3)
	if got := actions(changes); len(got) != 0 {
		t.Errorf("plan: %v, want no changes", got)
	}
	if lists != 0 || reads != 3 {
		t.Errorf("the refresh of 3 projects sent %d project reads and %d ListProjects, want 3 and 0", reads, lists)
	}
}
