package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

// listIDs returns ListProjects' ids, sorted, failing the test on an error.
func listIDs(t *testing.T, c *client.Client) []string {
	t.Helper()
	projects, err := c.ListProjects(context.Background())
	if err != nil {
		t.Fatalf("ListProjects: %v", err)
	}
	ids := make([]string, len(projects))
	for i, p := range projects {
		ids[i] = p.ID
	}
	sort.Strings(ids)
	return ids
}

// mockIDs returns the ids the mock holds, sorted.
func mockIDs(m *mock.Server) []string {
	var ids []string
	for _, p := range m.Projects() {
		ids = append(ids, p.ID)
	}
	sort.Strings(ids)
	return ids
}

func sameIDs(a, b []string) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// A project deleted between two page reads shifts the next page's first project onto the page
// already read: the walk sees the Total change and walks again, returning the whole list.
func TestListProjectsDeletionBetweenPagesRewalks(t *testing.T) {
	m, c, ids := newBatchClient(t, false, 150)
	m.DeleteBetweenPages(1, ids[3])
	got := listIDs(t, c)
	if want := mockIDs(m); !sameIDs(got, want) || len(got) != 149 {
		t.Fatalf("ListProjects returned %d projects, the mock holds %d: a shifted page was taken as read", len(got), len(want))
	}
	if _, ok := m.Project(ids[3]); ok {
		t.Fatal("the mock still holds the project deleted between pages")
	}
	// Two walks of two pages each.
	if n := m.Requests(client.ActionDescribeProjectList); n != 4 {
		t.Errorf("DescribeProjectList was called %d times, want 4 (a walk that did not add up, then one that did)", n)
	}
}

// A project created between two page reads: where it lands on a page not read yet (the mock
// lists in creation order), the grown Total is no reason to walk again, and the one walk
// returns it too; where it shifts the others towards the last page (a list that shows the
// newest first), a project moves onto the next page again and the pages hold one distinct
// project fewer than the Total, so the walk is made again. Either way the whole list comes back.
func TestListProjectsCreationBetweenPages(t *testing.T) {
	for _, tc := range []struct {
		name        string
		newestFirst bool
		requests    int
	}{
		{"on a later page", false, 2},        // one walk of two pages
		{"shifting the others", true, 3 + 2}, // pages 1–3 (the third empty), then a walk of two
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c, _ := newBatchClient(t, false, 150)
			m.ListNewestFirst(tc.newestFirst)
			m.CreateBetweenPages(1, client.Project{Name: "created-meanwhile", PolicyMode: "black"})
			got := listIDs(t, c)
			if want := mockIDs(m); !sameIDs(got, want) || len(got) != 151 {
				t.Fatalf("ListProjects returned %d projects, the mock holds %d: want all of them, the one created between pages too", len(got), len(want))
			}
			if n := m.Requests(client.ActionDescribeProjectList); n != tc.requests {
				t.Errorf("DescribeProjectList was called %d times, want %d", n, tc.requests)
			}
		})
	}
}

// A short page is not the last while the Total says more: a page cut short once makes the
// walk start again; pages cut short on every walk end in an IncompleteListError, never in a
// partial list.
func TestListProjectsTruncatedPage(t *testing.T) {
	m, c, _ := newBatchClient(t, false, 5)
	m.TruncatePages(1)
	if got := listIDs(t, c); !sameIDs(got, mockIDs(m)) || len(got) != 5 {
		t.Fatalf("ListProjects returned %d projects after one short page, want all 5", len(got))
	}

	m.TruncatePages(100)
	projects, err := c.ListProjects(context.Background())
	if !client.IsIncompleteList(err) {
		t.Fatalf("ListProjects with every page short: got %d projects and error %v, want an IncompleteListError", len(projects), err)
	}
	if projects != nil {
		t.Errorf("ListProjects returned %d projects with its error; a partial list must never be returned", len(projects))
	}
	t.Log(err)
	if len(m.Projects()) != 5 {
		t.Errorf("the mock holds %d projects, want 5 (a list changes nothing)", len(m.Projects()))
	}
}

// Across pages: 150 projects, the first page cut short; the second page is read although the
// first was short, and the missing project is found by walking again.
func TestListProjectsTruncatedFirstOfTwoPages(t *testing.T) {
	m, c, _ := newBatchClient(t, false, 150)
	m.TruncatePages(1)
	if got := listIDs(t, c); len(got) != 150 || !sameIDs(got, mockIDs(m)) {
		t.Fatalf("ListProjects returned %d projects, want 150", len(got))
	}
}

// A list item without ProjectDescription is read by id: its description is what the API holds,
// not "" (a lookup matching every attribute would otherwise miss it). The snapshot path (batch
// reads) does the same.
func TestListProjectsItemMissingAttributeIsReadByID(t *testing.T) {
	m, c, ids := newBatchClient(t, true, 12)
	p, _ := m.Project(ids[0])
	p.Description = "kept"
	m.PutProject(p)
	m.OmitListField("ProjectDescription")
	projects, err := c.ListProjects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) != 12 {
		t.Fatalf("ListProjects returned %d projects, want 12", len(projects))
	}
	for _, got := range projects {
		if got.ID == ids[0] && got.Description != "kept" {
			t.Errorf("project %s listed without ProjectDescription came back with %q, want %q (read by id)", got.ID, got.Description, "kept")
		}
	}
	if n := m.Requests(client.ActionDescribeProjectInfo); n != 12 {
		t.Errorf("DescribeProjectInfo was called %d times, want 12 (every item lacks an attribute)", n)
	}

	// Batch reads: no item lacking an attribute serves a read.
	before := m.Requests(client.ActionDescribeProjectInfo)
	for _, id := range ids {
		if got := describe(t, c, id); id == ids[0] && got.Description != "kept" {
			t.Errorf("DescribeProject(%s) returned description %q from a list item without one, want %q", id, got.Description, "kept")
		}
	}
	if n := m.Requests(client.ActionDescribeProjectInfo) - before; n != 12 {
		t.Errorf("DescribeProjectInfo was called %d times for 12 reads, want 12 (incomplete items are read by id)", n)
	}
}

// A lagging list answer omits a project created after LagLists; the next answer shows it.
// ListProjects never serves from a snapshot, even right after a refresh took one.
func TestListProjectsLaggingListAndNoSnapshot(t *testing.T) {
	m, c, ids := newBatchClient(t, true, 12)
	for _, id := range ids {
		describe(t, c, id) // takes a snapshot after ten reads
	}
	m.LagLists(1)
	fresh := m.PutProject(client.Project{Name: "fresh", PolicyMode: "white"})
	if got := listIDs(t, c); len(got) != 12 {
		t.Fatalf("the lagging answer listed %d projects, want 12 (the new one missing)", len(got))
	}
	before := m.Requests(client.ActionDescribeProjectList)
	got := listIDs(t, c)
	if len(got) != 13 || !sameIDs(got, mockIDs(m)) {
		t.Fatalf("ListProjects after the lag returned %d projects, want 13 with %s", len(got), fresh)
	}
	if m.Requests(client.ActionDescribeProjectList) != before+1 {
		t.Error("ListProjects did not call DescribeProjectList: a snapshot served a lookup")
	}
}

// Behind an API slow to answer, a walk asks for the pages the last walk's Total needs at once
// (one round trip instead of one per page); where the API answers at once, pages at once would
// only split the list operation's slots, so they are asked one by one. Both walks return every
// project.
func TestListProjectsAsksPagesAtOnceOnlyWhereAnswersAreSlow(t *testing.T) {
	for _, tc := range []struct {
		name        string
		delay       time.Duration
		secondWalks int32 // pages of the second walk in flight at once, at most
	}{
		{"slow answers", 40 * time.Millisecond, 3},
		{"answers at once", 5 * time.Millisecond, 1}, // under listSlowAnswer, yet long enough for pages asked at once to meet
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mock.New()
			m.AddKey(testID, testKey, "")
			m.SetRateLimit(0)
			var inFlight, most atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-TC-Action") == client.ActionDescribeProjectList {
					n := inFlight.Add(1)
					defer inFlight.Add(-1)
					for o := most.Load(); n > o && !most.CompareAndSwap(o, n); o = most.Load() {
					}
					time.Sleep(tc.delay)
				}
				m.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			c, err := client.New(client.Config{SecretID: testID, SecretKey: testKey, Endpoint: srv.URL, Retry: fastRetry, RequestsPerSecond: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 250 {
				m.PutProject(client.Project{Name: fmt.Sprintf("p%03d", i), PolicyMode: "black"})
			}
			if got := listIDs(t, c); len(got) != 250 {
				t.Fatalf("the first walk returned %d projects, want 250", len(got))
			}
			if n := most.Swap(0); n != 1 {
				t.Errorf("the first walk had %d pages in flight at once, want 1 (nothing is known of the API yet)", n)
			}
			if got := listIDs(t, c); !sameIDs(got, mockIDs(m)) {
				t.Fatalf("the second walk returned %d projects, want all 250", len(got))
			}
			if n := most.Load(); n != tc.secondWalks {
				t.Errorf("the second walk had %d pages in flight at once, want %d", n, tc.secondWalks)
			}
			if n := m.Requests(client.ActionDescribeProjectList); n != 6 {
				t.Errorf("DescribeProjectList was called %d times, want 6 (two walks of three pages)", n)
			}
		})
	}
}
