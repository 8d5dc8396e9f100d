package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// A page cut short while totalCount counts the project it lacks: the walk starts again and
// returns the whole list; pages cut short on every walk end in an IncompleteListError, never
// in a partial list.
func TestListProjectsTruncatedPage(t *testing.T) {
	m, c, _ := newBatchClient(t, false, 250, nil)
	m.TruncatePages(1)
	all, err := c.ListProjects(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 250 || len(m.Projects(org)) != 250 {
		t.Fatalf("ListProjects returned %d projects after one short page, want 250", len(all))
	}
	m.TruncatePages(1000)
	all, err = c.ListProjects(context.Background(), org)
	if !client.IsIncompleteList(err) || all != nil {
		t.Fatalf("every page short: %d projects, error %v; want an IncompleteListError and no list", len(all), err)
	}
}

// A project created between two page reads lands on a later page (the mock lists in creation
// order): the grown totalCount is no reason to walk again, and the one walk returns it too.
func TestListProjectsCreationBetweenPages(t *testing.T) {
	m, c, _ := newBatchClient(t, false, 250, nil)
	m.CreateBetweenPages(client.Project{Name: "created meanwhile", CustomCode: "MEANW"})
	all, err := c.ListProjects(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 251 || len(m.Projects(org)) != 251 {
		t.Fatalf("ListProjects returned %d projects, the mock holds %d: want all 251, the one created between pages too", len(all), len(m.Projects(org)))
	}
	if n := m.Requests("ListProjects"); n != 2 {
		t.Errorf("ListProjects was sent %d times, want 2 (one walk of two pages)", n)
	}
}

// FindProjectByCustomCode finds a project on the second page although the first was cut short.
func TestFindProjectByCustomCodeAfterAShortPage(t *testing.T) {
	m, c, ids := newBatchClient(t, false, 250, nil)
	last, _ := m.Project(org, ids[249])
	m.TruncatePages(1)
	p, err := c.FindProjectByCustomCode(context.Background(), org, last.CustomCode)
	if err != nil || p.Identifier != ids[249] {
		t.Fatalf("FindProjectByCustomCode(%s) = %+v, %v; want %s", last.CustomCode, p, err, ids[249])
	}
}

// A lagging list hides a project created after LagLists once; the next lookup lists again
// (never from a snapshot) and finds it.
func TestFindProjectByCustomCodeLaggingList(t *testing.T) {
	m, c, _ := newBatchClient(t, true, 3, nil)
	m.LagLists(1)
	id := m.PutProject(org, client.Project{Name: "late", CustomCode: "LATE", Description: "d", Creator: "u1"})
	if _, err := c.FindProjectByCustomCode(context.Background(), org, "LATE"); !client.IsNotFound(err) {
		t.Fatalf("the lagging answer: %v, want not found", err)
	}
	p, err := c.FindProjectByCustomCode(context.Background(), org, "LATE")
	if err != nil || p.Identifier != id {
		t.Fatalf("after the lag: %+v, %v; want %s", p, err, id)
	}
}

// Two live projects with one customCode in an answer is an error naming both, not a pick.
func TestFindProjectByCustomCodeDuplicateIsAnError(t *testing.T) {
	m, c, ids := newBatchClient(t, false, 2, nil)
	first, _ := m.Project(org, ids[0])
	second, _ := m.Project(org, ids[1])
	second.CustomCode = first.CustomCode
	m.PutProject(org, second) // out of band: the mock's own check is bypassed, as a broken answer would be
	p, err := c.FindProjectByCustomCode(context.Background(), org, first.CustomCode)
	if !client.IsDuplicateKey(err) || p != nil {
		t.Fatalf("FindProjectByCustomCode = %+v, %v; want a DuplicateKeyError", p, err)
	}
	if !strings.Contains(err.Error(), ids[0]) || !strings.Contains(err.Error(), ids[1]) {
		t.Errorf("error %q does not name both projects", err)
	}
}
