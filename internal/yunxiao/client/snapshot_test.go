package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/mock"
)

// newBatchClient is a client with batch_reads as given against a fresh mock whose organization
// org holds n projects (ids returned in creation order); wrap, when given, wraps the mock.
func newBatchClient(t *testing.T, batch bool, n int, wrap func(http.Handler) http.Handler) (*mock.Server, *client.Client, []string) {
	t.Helper()
	m := mock.New()
	m.AddOrganization(org, template)
	m.AddKey(keyID, secret, "", org)
	var h http.Handler = m
	if wrap != nil {
		h = wrap(m)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{AccessKeyID: keyID, AccessKeySecret: secret, Endpoint: srv.URL, Retry: fastRetry,
		RequestsPerSecond: 1000, BatchReads: batch})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = m.PutProject(org, client.Project{Name: fmt.Sprintf("p%03d", i), CustomCode: fmt.Sprintf("PC%c%c", 'A'+i/26, 'A'+i%26),
			Description: "d", Creator: "u1"})
	}
	return m, c, ids
}

func get(t *testing.T, c *client.Client, id string) *client.Project {
	t.Helper()
	p, err := c.GetProject(context.Background(), org, id)
	if err != nil {
		t.Fatalf("GetProject(%s): %v", id, err)
	}
	return p
}

// After ten reads one by one the rest of a refresh is served from ListProjects; a project
// written by the client is read from the API again, and so is every project after a write.
func TestSnapshotWritesAreNeverServedStale(t *testing.T) {
	ctx := context.Background()
	m, c, ids := newBatchClient(t, true, 30, nil)
	for _, id := range ids[:20] {
		if p := get(t, c, id); p.Description != "d" || p.Creator != "u1" || p.GmtCreate == 0 {
			t.Fatalf("read %+v", p)
		}
	}
	if got, lists := m.Requests("GetProjectInfo"), m.Requests("ListProjects"); got != 9 || lists != 1 {
		t.Fatalf("20 reads sent %d GetProjectInfo and %d ListProjects, want 9 and 1", got, lists)
	}
	direct := m.Requests("GetProjectInfo")

	if _, err := c.UpdateProjectFields(ctx, org, ids[0], []client.FieldUpdate{{Key: client.FieldDescription, Value: "new"}}); err != nil {
		t.Fatal(err)
	}
	if p := get(t, c, ids[0]); p.Description != "new" {
		t.Errorf("after UpdateProjectFields the read returned description %q", p.Description)
	}
	if got := m.Requests("GetProjectInfo"); got != direct+1 {
		t.Errorf("the read after an update sent %d GetProjectInfo, want 1", got-direct)
	}

	// The snapshot taken before the write is dead: an out-of-band change after it is seen.
	p := get(t, c, ids[1])
	p.Description = "changed out of band"
	m.PutProject(org, *p)
	if got := get(t, c, ids[1]); got.Description != p.Description {
		t.Errorf("read after a write returned description %q, want %q", got.Description, p.Description)
	}

	if err := c.DeleteProject(ctx, org, ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProject(ctx, org, ids[2]); !client.IsNotFound(err) {
		t.Errorf("read of a deleted project: %v, want not found", err)
	}

	created, err := c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: template, Name: "new", Scope: "private", CustomCode: "NEWP"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[3:20] {
		get(t, c, id)
	}
	before := m.Requests("GetProjectInfo")
	get(t, c, created.Identifier)
	c.Wrote(ids[25])
	get(t, c, ids[25])
	if got := m.Requests("GetProjectInfo"); got != before+2 {
		t.Errorf("the reads of a created project and of one passed to Wrote sent %d GetProjectInfo, want 2", got-before)
	}
}

// A listed project whose logical status says deleted is left out of the snapshot: its read
// goes to the API, which calls it not found.
func TestSnapshotLeavesOutDeletedProjects(t *testing.T) {
	m, c, ids := newBatchClient(t, true, 20, nil)
	gone := m.PutProject(org, client.Project{Name: "gone", CustomCode: "GONE", LogicalStatus: "DELETED"})
	for _, id := range ids {
		get(t, c, id)
	}
	before := m.Requests("GetProjectInfo")
	if _, err := c.GetProject(context.Background(), org, gone); !client.IsNotFound(err) {
		t.Errorf("read of a project whose status is DELETED: %v, want not found", err)
	}
	if m.Requests("GetProjectInfo") != before+1 {
		t.Error("the deleted project was not read directly")
	}
}

// Where the list's items lack a field GetProjectInfo returns (API-NOTES describe them only as
// the create answer's), those items are read by themselves: the refresh is as without
// batching, never a state with that field emptied.
func TestSnapshotIncompleteListItemsReadDirectly(t *testing.T) {
	withoutDescription := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			var answer map[string]json.RawMessage
			var projects []map[string]json.RawMessage
			if r.Method == http.MethodGet && bytes.Contains([]byte(r.URL.Path), []byte("/listProjects")) &&
				json.Unmarshal(body, &answer) == nil && json.Unmarshal(answer["projects"], &projects) == nil {
				for _, p := range projects {
					delete(p, "description")
				}
				answer["projects"], _ = json.Marshal(projects)
				body, _ = json.Marshal(answer)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
	m, c, ids := newBatchClient(t, true, 30, withoutDescription)
	for _, id := range ids {
		if p := get(t, c, id); p.Description != "d" {
			t.Fatalf("project %s read with description %q, want %q", id, p.Description, "d")
		}
	}
	if got, lists := m.Requests("GetProjectInfo"), m.Requests("ListProjects"); got != 30 || lists != 1 {
		t.Errorf("30 reads sent %d GetProjectInfo and %d ListProjects, want 30 and 1", got, lists)
	}
}

// batch_reads = false: one GetProjectInfo per read and no list.
func TestSnapshotDisabled(t *testing.T) {
	m, c, ids := newBatchClient(t, false, 30, nil)
	for _, id := range ids {
		get(t, c, id)
	}
	if got, lists := m.Requests("GetProjectInfo"), m.Requests("ListProjects"); got != 30 || lists != 0 {
		t.Errorf("30 reads sent %d GetProjectInfo and %d ListProjects, want 30 and 0", got, lists)
	}
}
