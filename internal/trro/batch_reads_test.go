package trro

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// batchConfig is count projects under a provider with batch_reads as given, no client-side
// limit and no credentials check (so that every DescribeProjectList counted is the snapshot's).
func batchConfig(url string, batch bool, count int) string {
	return fmt.Sprintf(`
provider "trro" {
  secret_id                   = %q
  secret_key                  = %q
  endpoint                    = %q
  max_requests_per_second     = 1000
  skip_credentials_validation = true
  batch_reads                 = %t
}

resource "trro_project" "p" {
  count       = %d
  name        = format("batch-%%02d", count.index)
  description = "managed"
}
`, testSecretID, testSecretKey, url, batch, count)
}

// batchWorkdir applies count projects against a mock without rate limit and returns the
// working directory and the ids by index.
func batchWorkdir(t *testing.T, count int) (*testEnv, *acctest.Workdir, []string) {
	t.Helper()
	acctest.RequireAcc(t)
	e := newTestEnv(t)
	e.mock.SetRateLimit(0)
	w := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(testProvider()), batchConfig(e.url, true, count))
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	ids := make([]string, count)
	for i := range ids {
		ids[i] = w.State()[fmt.Sprintf("trro_project.p[%d]", i)].ID
	}
	return e, w, ids
}

// batchPlan plans with batch_reads as given and returns the plan's resource changes (from
// `terraform show -json`) and the DescribeProjectInfo and DescribeProjectList calls it sent.
func batchPlan(t *testing.T, e *testEnv, w *acctest.Workdir, batch bool, count int) (changes []planChange, reads, lists int) {
	t.Helper()
	w.WriteMain(batchConfig(e.url, batch, count))
	reads0, lists0 := e.mock.Requests(client.ActionDescribeProjectInfo), e.mock.Requests(client.ActionDescribeProjectList)
	if out, code := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan"); code != 0 && code != 2 {
		t.Fatalf("plan (batch_reads = %t) exited %d:\n%s", batch, code, out)
	}
	reads, lists = e.mock.Requests(client.ActionDescribeProjectInfo)-reads0, e.mock.Requests(client.ActionDescribeProjectList)-lists0
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

// A batched plan (one DescribeProjectList page serving most of the refresh) sees an out-of-band
// change and an out-of-band delete of managed projects exactly as a plan without batching does:
// the same resource changes in `terraform show -json`.
func TestAccBatchReads_outOfBandChangesSeen(t *testing.T) {
	const count = 15
	e, w, ids := batchWorkdir(t, count)

	changed, _ := e.mock.Project(ids[3])
	changed.Description = "changed in the console"
	e.mock.PutProject(changed)
	e.mock.RemoveProject(ids[11])

	batched, reads, lists := batchPlan(t, e, w, true, count)
	if reads >= count || lists != 1 {
		t.Errorf("the batched refresh of %d projects sent %d DescribeProjectInfo and %d DescribeProjectList, want fewer than %d and 1", count, reads, lists, count)
	}
	want := map[string]string{"trro_project.p[3]": "update", "trro_project.p[11]": "create"}
	if got := actions(batched); !reflect.DeepEqual(got, want) {
		t.Errorf("batched plan: %v, want %v", got, want)
	}
	unbatched, reads, lists := batchPlan(t, e, w, false, count)
	if reads != count || lists != 0 {
		t.Errorf("the unbatched refresh sent %d DescribeProjectInfo and %d DescribeProjectList, want %d and 0", reads, lists, count)
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
		t.Errorf("the refresh sent %d DescribeProjectInfo and %d DescribeProjectList, want at least 10 and 1", reads, lists)
	}
	if n := len(w.State()); n != count {
		t.Errorf("the state holds %d projects, want %d", n, count)
	}
}

// A state of 3 projects in an account of 500 never lists the account.
func TestAccBatchReads_smallStateDoesNotList(t *testing.T) {
	e, w, _ := batchWorkdir(t, 3)
	for i := range 500 {
		e.mock.PutProject(client.Project{Name: fmt.Sprintf("other-%03d", i), PolicyMode: "black"})
	}
	changes, reads, lists := batchPlan(t, e, w, true, 3)
	if got := actions(changes); len(got) != 0 {
		t.Errorf("plan: %v, want no changes", got)
	}
	if reads != 3 || lists != 0 {
		t.Errorf("the refresh of 3 projects sent %d DescribeProjectInfo and %d DescribeProjectList, want 3 and 0", reads, lists)
	}
}
