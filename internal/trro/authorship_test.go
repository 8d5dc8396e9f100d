package trro

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// lookAlike is someone else's project with every attribute the test's configuration sets: TRRO
// names are not unique, so it is exactly what the create would make.
var lookAlike = client.Project{Name: "look-alike", Description: "same as ours", PolicyMode: "black"}

func lookAlikeConfig(e *testEnv, providerArgs, timeouts string) string {
	body := projectConfig(lookAlike.Name, lookAlike.Description, "")
	if timeouts != "" {
		body = strings.Replace(body, "}\n", "  timeouts {\n    create = \""+timeouts+"\"\n  }\n}\n", 1)
	}
	b := e.providerBlock(testSecretKey)
	return b[:strings.LastIndex(b, "}")] + "  " + providerArgs + "\n}\n" + body
}

// mockIDs returns the ids the mock holds, in creation order.
func (e *testEnv) mockIDs() []string {
	var ids []string
	for _, p := range e.mock.Projects() {
		ids = append(ids, p.ID)
	}
	return ids
}

// assertStrangerUntouched checks that the stranger's project is still there, unchanged, and
// that the mock holds want projects in all.
func assertStrangerUntouched(t *testing.T, e *testEnv, id string, want int) {
	t.Helper()
	ps := e.mock.Projects()
	found := false
	for _, p := range ps {
		if p.ID == id {
			found = p.Name == lookAlike.Name && p.Description == lookAlike.Description && p.PolicyMode == lookAlike.PolicyMode
		}
	}
	if !found || len(ps) != want {
		t.Errorf("the mock holds %+v; want the stranger's project %s unchanged among %d", ps, id, want)
	}
}

// Authorship, not resemblance. The account already holds someone else's project identical to
// ours. A create that fails without acting (a 5xx, a reset connection) is looked up, the
// stranger's project is not taken for ours, and the create is sent again: our own project is
// created and destroyed, the stranger's stays. A create throttled until its timeout, or stopped
// by Ctrl-C before it was sent, creates nothing and adopts nothing.
func TestAccAuthorship_neverAdoptsAProjectThatExistedBefore(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault mockserver.Fault
	}{
		{"5xx", mockserver.Fault{Kind: mockserver.ServerError, Status: 502}},
		{"reset", mockserver.Fault{Kind: mockserver.ResetConnection}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			stranger := e.mock.PutProject(lookAlike)
			e.mock.Inject("CreateProject", tc.fault)
			wd := e.workdir(lookAlikeConfig(e, "", ""))
			out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
			ours := wd.State()[projectAddr].ID
			if code != 0 || strings.Contains(out, "Adopted") || ours == "" || ours == stranger {
				t.Fatalf("apply exited %d, state id %q (stranger %s); want our own project created:\n%s", code, ours, stranger, out)
			}
			if n := e.mock.Requests("CreateProject"); n != 2 {
				t.Errorf("CreateProject sent %d times, want 2 (the failed one, then the resend)", n)
			}
			assertStrangerUntouched(t, e, stranger, 2)
			wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
			assertStrangerUntouched(t, e, stranger, 1)
		})
	}
	t.Run("throttled until the timeout", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		stranger := e.mock.PutProject(lookAlike)
		e.mock.Inject("CreateProject", mockserver.Times(mockserver.Fault{Kind: mockserver.Throttle}, 200)...)
		wd := e.workdir(lookAlikeConfig(e, "", "3s"))
		out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
		if code != 1 || !acctest.ErrorPattern(`CreateProject was not carried out: timed out after 3s.*RequestLimitExceeded`).MatchString(out) || strings.Contains(out, "Adopted") {
			t.Errorf("apply exited %d:\n%s", code, out)
		}
		if st := wd.State(); len(st) != 0 {
			t.Errorf("the state holds %+v, want nothing", st)
		}
		wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
		assertStrangerUntouched(t, e, stranger, 1)
	})
	t.Run("Ctrl-C before the create was sent", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		stranger := e.mock.PutProject(lookAlike)
		e.mock.Inject("DescribeProjectList", mockserver.Fault{Kind: mockserver.Delay, Delay: time.Minute})
		wd := e.workdir(lookAlikeConfig(e, "skip_credentials_validation = true", ""))
		out := acctest.InterruptApplyWhen(t, wd, "the lookup before the create", func() bool { return e.mock.Requests("DescribeProjectList") > 0 })
		if !acctest.ErrorPattern(`was not created: stopped before the create was sent`).MatchString(out) || strings.Contains(out, "Adopted") {
			t.Errorf("the interrupted apply does not say that nothing was sent:\n%s", out)
		}
		if n := e.mock.Requests("CreateProject"); n != 0 {
			t.Errorf("CreateProject was sent %d times after Ctrl-C", n)
		}
		wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
		assertStrangerUntouched(t, e, stranger, 1)
	})
}

// A look-alike that someone else makes while the API answers our create with its own error is
// named, not taken, and not created over.
func TestAccAuthorship_lookAlikeAppearingDuringTheCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	var stranger string
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ServerError, Status: 500, Before: func() {
		stranger = e.mock.PutProject(lookAlike)
	}})
	wd := e.workdir(lookAlikeConfig(e, "", ""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 1 || !acctest.ErrorPattern(`InternalError.*yet a matching object with id `+stranger+` appeared meanwhile.*was not taken`).MatchString(out) {
		t.Errorf("apply exited %d:\n%s", code, out)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	assertStrangerUntouched(t, e, stranger, 1)
}

// Two applies of one configuration from two directories at once: TRRO names are not unique, so
// each makes its own project and each state holds its own; destroying both leaves none.
func TestAccAuthorship_twoConcurrentAppliesOfOneConfig(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := lookAlikeConfig(e, "", "")
	dirs := []*acctest.Workdir{e.workdir(cfg), e.workdir(cfg)}
	if outs, codes := acctest.ApplyConcurrently(dirs...); codes[0]+codes[1] != 0 {
		t.Fatalf("the applies exited %v:\n%s\n%s", codes, outs[0], outs[1])
	}
	a, b := dirs[0].State()[projectAddr].ID, dirs[1].State()[projectAddr].ID
	if ids := e.mockIDs(); len(ids) != 2 || a == b || a == "" || b == "" {
		t.Fatalf("states hold %q and %q, the mock %v: want two projects, one in each state", a, b, ids)
	}
	for _, d := range dirs {
		d.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	}
	if ids := e.mockIDs(); len(ids) != 0 {
		t.Errorf("after both destroys the mock holds %v", ids)
	}
}

// "Not in the list" is not "not created": the create acts but its answer is lost, and the next
// listing lags behind it (the new project missing once). The lookups repeat for the
// read-after-create wait, find the project and adopt it: one CreateProject, one project, the
// one in the state, and no second project left orphaned.
func TestAccAuthorship_lostCreateWithALaggingList(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse, Before: func() { e.mock.LagLists(1) }})
	wd := e.workdir(lookAlikeConfig(e, "", ""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	ids := e.mockIDs()
	if code != 0 || len(ids) != 1 || wd.State()[projectAddr].ID != ids[0] {
		t.Fatalf("apply exited %d, the mock holds %v, the state %+v; want the one project created, in the state:\n%s", code, ids, wd.State(), out)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	if ids := e.mockIDs(); len(ids) != 0 {
		t.Errorf("after the destroy the mock holds %v, want nothing", ids)
	}
}

// A lost create answer, then a listing that cannot be taken at its word: a project deleted
// between two pages (ours, the 101st, shifts onto the page already read), a page cut short
// while the Total counts it, or list items without ProjectDescription (read by id). Each walk is
// redone or completed, the project is found and adopted: one CreateProject, no orphan, and
// the other projects untouched.
func TestAccAuthorship_lostCreateWithAnUntrustworthyListing(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	for _, tc := range []struct {
		name   string
		others int
		arm    func(e *testEnv, others []string)
	}{
		{"deleted between pages", 100, func(e *testEnv, others []string) { e.mock.DeleteBetweenPages(1, others[0]) }},
		{"page cut short", 0, func(e *testEnv, _ []string) { e.mock.TruncatePages(1) }},
		{"items lacking the description", 0, func(e *testEnv, _ []string) { e.mock.OmitListField("ProjectDescription") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			var others []string
			for i := range tc.others {
				others = append(others, e.mock.PutProject(client.Project{Name: fmt.Sprintf("other-%03d", i), PolicyMode: "white"}))
			}
			e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse, Before: func() { tc.arm(e, others) }})
			wd := e.workdir(lookAlikeConfig(e, "skip_credentials_validation = true", ""))
			out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
			var ours []string
			for _, p := range e.mock.Projects() {
				if p.Name == lookAlike.Name {
					ours = append(ours, p.ID)
				}
			}
			if code != 0 || len(ours) != 1 || wd.State()[projectAddr].ID != ours[0] {
				t.Fatalf("apply exited %d, the mock holds %v named %q, the state %+v; want the one project, in the state:\n%s", code, ours, lookAlike.Name, wd.State(), out)
			}
			if n := e.mock.Requests("CreateProject"); n != 1 {
				t.Errorf("CreateProject sent %d times, want 1", n)
			}
			wantOthers := max(tc.others-1, 0) // one deleted between pages
			wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
			if ids := e.mockIDs(); len(ids) != wantOthers {
				t.Errorf("after the destroy the mock holds %d projects, want the %d others", len(ids), wantOthers)
			}
		})
	}
}
