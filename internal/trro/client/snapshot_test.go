package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

// newBatchClient is a client with batch_reads as given against a fresh mock holding n projects
// (ids returned in creation order), with no rate limit on either side.
func newBatchClient(t *testing.T, batch bool, n int) (*mock.Server, *client.Client, []string) {
	t.Helper()
	m := mock.New()
	m.AddKey(testID, testKey, "")
	m.SetRateLimit(0)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{SecretID: testID, SecretKey: testKey, Endpoint: srv.URL, Retry: fastRetry,
		RequestsPerSecond: 1000, BatchReads: batch})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = m.PutProject(client.Project{Name: fmt.Sprintf("p%03d", i), PolicyMode: "black"})
	}
	return m, c, ids
}

func describe(t *testing.T, c *client.Client, id string) *client.Project {
	t.Helper()
	p, err := c.DescribeProject(context.Background(), id)
	if err != nil {
		t.Fatalf("DescribeProject(%s): %v", id, err)
	}
	return p
}

// After ten reads one by one the rest of a refresh is served from DescribeProjectList; a
// project written by the client (ModifyProject, DeleteProject, CreateProject) is read from the
// API again, and so is every project after a write (snapshots taken before it are dead).
func TestSnapshotWritesAreNeverServedStale(t *testing.T) {
	ctx := context.Background()
	m, c, ids := newBatchClient(t, true, 30)
	for _, id := range ids[:20] {
		describe(t, c, id)
	}
	if got := m.Requests(client.ActionDescribeProjectList); got != 1 {
		t.Fatalf("DescribeProjectList was called %d times, want 1 (30 projects: one page)", got)
	}
	direct := m.Requests(client.ActionDescribeProjectInfo)
	if direct != 9 {
		t.Fatalf("DescribeProjectInfo was called %d times for 20 reads, want 9 (then the snapshot serves)", direct)
	}

	// Written by this client: read directly, with the new value.
	newName := "renamed"
	if err := c.ModifyProject(ctx, client.ModifyProjectInput{ID: ids[0], Name: &newName}); err != nil {
		t.Fatal(err)
	}
	if p := describe(t, c, ids[0]); p.Name != newName {
		t.Errorf("after ModifyProject the read returned name %q, want %q", p.Name, newName)
	}
	if got := m.Requests(client.ActionDescribeProjectInfo); got != direct+1 {
		t.Errorf("the read after ModifyProject sent %d DescribeProjectInfo, want 1", got-direct)
	}

	// The snapshot taken before the write is dead: an out-of-band change made after it is seen.
	p := describe(t, c, ids[1])
	p.Description = "changed out of band"
	m.PutProject(*p)
	if got := describe(t, c, ids[1]); got.Description != p.Description {
		t.Errorf("read after a write returned description %q, want %q (a stale snapshot served it)", got.Description, p.Description)
	}

	// Deleted by this client: the API's not-found decides.
	if err := c.DeleteProject(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeProject(ctx, ids[2]); !client.IsNotFound(err) {
		t.Errorf("read of a deleted project: %v, want not found", err)
	}

	// Created by this client: read directly.
	id, err := c.CreateProject(ctx, client.CreateProjectInput{Name: "new", PolicyMode: "white"})
	if err != nil {
		t.Fatal(err)
	}
	before := m.Requests(client.ActionDescribeProjectInfo)
	if p := describe(t, c, id); p.PolicyMode != "white" {
		t.Errorf("new project read as %+v", p)
	}
	if got := m.Requests(client.ActionDescribeProjectInfo); got != before+1 {
		t.Errorf("the read of a created project sent %d DescribeProjectInfo, want 1", got-before)
	}

	// Wrote (the adoption path) likewise.
	for _, id := range ids[3:20] {
		describe(t, c, id)
	}
	c.Wrote(ids[25])
	before = m.Requests(client.ActionDescribeProjectInfo)
	describe(t, c, ids[25])
	if got := m.Requests(client.ActionDescribeProjectInfo); got != before+1 {
		t.Errorf("the read of a project passed to Wrote sent %d DescribeProjectInfo, want 1", got-before)
	}
}

// A listed project that DescribeProject would refuse (no PolicyMode) is left out of the
// snapshot: its read goes to the API and fails as a bad answer, as without batching.
func TestSnapshotLeavesOutWhatTheReadRefuses(t *testing.T) {
	m, c, ids := newBatchClient(t, true, 20)
	broken := m.PutProject(client.Project{Name: "no-mode"})
	for _, id := range ids {
		describe(t, c, id)
	}
	if m.Requests(client.ActionDescribeProjectList) != 1 {
		t.Fatalf("DescribeProjectList was called %d times, want 1", m.Requests(client.ActionDescribeProjectList))
	}
	before := m.Requests(client.ActionDescribeProjectInfo)
	if _, err := c.DescribeProject(context.Background(), broken); err == nil || client.IsNotFound(err) {
		t.Errorf("read of a project without PolicyMode: %v, want a bad answer", err)
	}
	if m.Requests(client.ActionDescribeProjectInfo) != before+1 {
		t.Error("the project without PolicyMode was not read directly")
	}
}

// batch_reads = false: one DescribeProjectInfo per read and no list.
func TestSnapshotDisabled(t *testing.T) {
	m, c, ids := newBatchClient(t, false, 30)
	for _, id := range ids {
		describe(t, c, id)
	}
	if got, lists := m.Requests(client.ActionDescribeProjectInfo), m.Requests(client.ActionDescribeProjectList); got != 30 || lists != 0 {
		t.Errorf("30 reads sent %d DescribeProjectInfo and %d DescribeProjectList, want 30 and 0", got, lists)
	}
}

// A project missing from the list (created moments ago, the list lagging) is read directly;
// one deleted out of band is then not found, as without batching.
func TestSnapshotMissingFromListReadDirectly(t *testing.T) {
	m, c, ids := newBatchClient(t, true, 20)
	m.HideFromList(ids[19])
	m.RemoveProject(ids[18])
	for _, id := range ids[:15] {
		describe(t, c, id)
	}
	before := m.Requests(client.ActionDescribeProjectInfo)
	if p := describe(t, c, ids[19]); p.ID != ids[19] {
		t.Errorf("read of a project missing from the list returned %+v", p)
	}
	if _, err := c.DescribeProject(context.Background(), ids[18]); !client.IsNotFound(err) {
		t.Errorf("read of a project deleted out of band: %v, want not found", err)
	}
	describe(t, c, ids[16])
	if got := m.Requests(client.ActionDescribeProjectInfo) - before; got != 2 {
		t.Errorf("three reads after the snapshot sent %d DescribeProjectInfo, want 2 (the hidden and the deleted project)", got)
	}
}
