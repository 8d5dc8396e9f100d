package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// newBatchClient is an AK/SK client with batch_reads as given against a fresh Open Telekom
// Cloud mock, with /v3-ext as given, whose account holds n projects (ids in creation order).
func newBatchClient(t *testing.T, batch, ext bool, n int) (*mock.Server, *client.Client, []string) {
	t.Helper()
	m := mock.New(mock.OTC)
	fx := m.Seed()
	m.SetExtAPI(ext)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{AuthURL: srv.URL + "/v3", AccessKey: fx.AccessKey, SecretKey: fx.SecretKey, DomainID: fx.DomainID,
		Retry: fastRetry, RequestsPerSecond: 1000, BatchReads: batch})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = m.PutProject(client.Project{DomainID: fx.DomainID, Name: fmt.Sprintf("eu-de_p%03d", i), Description: "d"})
	}
	return m, c, ids
}

func getProject(t *testing.T, c *client.Client, id string) *client.Project {
	t.Helper()
	p, err := c.GetProject(context.Background(), id)
	if err != nil {
		t.Fatalf("GetProject(%s): %v", id, err)
	}
	return p
}

// Without /v3-ext, after ten reads one by one the rest of a refresh is served from
// GET /v3/projects, without status as the direct read; a project written by the client is read
// from the API again, and so is every project after a write.
func TestSnapshotWritesAreNeverServedStale(t *testing.T) {
	ctx := context.Background()
	m, c, ids := newBatchClient(t, true, false, 30)
	getProject(t, c, ids[29]) // learns that /v3-ext is missing
	for _, id := range ids[:20] {
		if p := getProject(t, c, id); p.Status != "" || p.Description != "d" || !p.Enabled || p.ParentID == "" {
			t.Fatalf("read %+v", p)
		}
	}
	if got, lists := m.Requests(client.OpShowProject), m.Requests(client.OpListProjects); got != 10 || lists != 1 {
		t.Fatalf("21 reads sent %d GET /v3/projects/{id} and %d lists, want 10 and 1", got, lists)
	}
	direct := m.Requests(client.OpShowProject)

	newName := "eu-de_renamed"
	if _, err := c.UpdateProject(ctx, ids[0], client.UpdateProjectInput{Name: &newName}); err != nil {
		t.Fatal(err)
	}
	if p := getProject(t, c, ids[0]); p.Name != newName {
		t.Errorf("after UpdateProject the read returned name %q", p.Name)
	}
	if got := m.Requests(client.OpShowProject); got != direct+1 {
		t.Errorf("the read after an update sent %d reads, want 1", got-direct)
	}

	// The snapshot taken before the write is dead: an out-of-band change after it is seen.
	m.UpdateProject(ids[1], func(p *client.Project) { p.Description = "changed out of band" })
	if got := getProject(t, c, ids[1]); got.Description != "changed out of band" {
		t.Errorf("read after a write returned description %q", got.Description)
	}

	if err := c.DeleteProject(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProject(ctx, ids[2]); !client.IsNotFound(err) {
		t.Errorf("read of a deleted project: %v, want not found", err)
	}

	for _, id := range ids[3:20] {
		getProject(t, c, id)
	}
	before := m.Requests(client.OpShowProject)
	c.Wrote(ids[25])
	getProject(t, c, ids[25])
	if got := m.Requests(client.OpShowProject); got != before+1 {
		t.Errorf("the read of a project passed to Wrote sent %d reads, want 1", got-before)
	}
}

// With /v3-ext, the list cannot carry the status: every read goes to /v3-ext, nothing is listed.
func TestSnapshotNotUsedWithExt(t *testing.T) {
	m, c, ids := newBatchClient(t, true, true, 30)
	for _, id := range ids {
		if p := getProject(t, c, id); p.Status != client.StatusNormal {
			t.Fatalf("read %+v, want status normal", p)
		}
	}
	if got, lists := m.Requests(client.OpShowProjectStatus), m.Requests(client.OpListProjects); got != 30 || lists != 0 {
		t.Errorf("30 reads sent %d status reads and %d lists, want 30 and 0", got, lists)
	}
}

// batch_reads = false: one read per project and no list, also without /v3-ext.
func TestSnapshotDisabled(t *testing.T) {
	m, c, ids := newBatchClient(t, false, false, 30)
	for _, id := range ids {
		getProject(t, c, id)
	}
	if got, lists := m.Requests(client.OpShowProject), m.Requests(client.OpListProjects); got != 30 || lists != 0 {
		t.Errorf("30 reads sent %d reads and %d lists, want 30 and 0", got, lists)
	}
}
