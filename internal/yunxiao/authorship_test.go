package yunxiao

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// lookAlike is someone else's project with exactly what faultProject would make: same name,
// custom code and scope.
var lookAlike = client.Project{Name: "look-alike", CustomCode: "LOOK", Scope: "private", Description: "another team's"}

func lookAlikeConfig(e *testEnv, timeouts string) string {
	p := base("look-alike", "LOOK")
	body := p.String()
	if timeouts != "" {
		body = strings.Replace(body, "}\n", "  timeouts {\n    create = \""+timeouts+"\"\n  }\n}\n", 1)
	}
	return e.configWith("skip_conflict_check = true", body)
}

// assertOnlyStranger checks that the organization holds the stranger's project alone, unchanged.
func assertOnlyStranger(t *testing.T, e *testEnv, id string) {
	t.Helper()
	ps := e.mock.Projects(testOrg)
	if len(ps) != 1 || ps[0].Identifier != id || ps[0].Name != lookAlike.Name || ps[0].Description != lookAlike.Description {
		t.Errorf("the mock holds %+v, want only the stranger's project %s, unchanged", ps, id)
	}
}

// Authorship, not resemblance. The organization already holds someone else's project with our
// name and custom code; a create that fails without acting (a 5xx, a reset connection,
// throttling until the timeout, Ctrl-C before it was sent) never adopts it: the apply fails
// naming it, nothing is in the state, and after the destroy the stranger's project is still
// there, unchanged.
func TestAccAuthorship_neverAdoptsAProjectThatExistedBefore(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	throttled := mockserver.Times(mockserver.Fault{Kind: mockserver.Throttle}, 200)
	for _, tc := range []struct {
		name     string
		faults   []mockserver.Fault
		timeouts string
		want     string
	}{
		{"5xx", []mockserver.Fault{{Kind: mockserver.ServerError, Status: 503}}, "", `Custom code LOOK is already used in organization`},
		{"reset", []mockserver.Fault{{Kind: mockserver.ResetConnection}}, "", `Custom code LOOK is already used in organization`},
		{"throttled until the timeout", throttled, "3s", `CreateProject was not carried out: timed out after 3s.*Throttling\.User`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			stranger := e.mock.PutProject(testOrg, lookAlike)
			e.mock.Inject("CreateProject", tc.faults...)
			wd := e.workdir(lookAlikeConfig(e, tc.timeouts))
			out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
			if code != 1 || !acctest.ErrorPattern(tc.want).MatchString(out) || strings.Contains(out, "Adopted") {
				t.Errorf("apply exited %d, want 1 matching %q and no adoption:\n%s", code, tc.want, out)
			}
			if st := wd.State(); len(st) != 0 {
				t.Errorf("the state holds %+v, want nothing", st)
			}
			wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
			assertOnlyStranger(t, e, stranger)
		})
	}
	t.Run("Ctrl-C before the create was sent", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		stranger := e.mock.PutProject(testOrg, lookAlike)
		// The lookup before the create hangs; Ctrl-C comes while it does.
		e.mock.Inject("ListProjects", mockserver.Fault{Kind: mockserver.Delay, Delay: time.Minute})
		wd := e.workdir(lookAlikeConfig(e, ""))
		out := acctest.InterruptApplyWhen(t, wd, "the lookup before the create", func() bool { return e.mock.Requests("ListProjects") > 0 })
		if !acctest.ErrorPattern(`was not created: stopped before the create was sent`).MatchString(out) || strings.Contains(out, "Adopted") {
			t.Errorf("the interrupted apply does not say that nothing was sent:\n%s", out)
		}
		if n := e.mock.Requests("CreateProject"); n != 0 {
			t.Errorf("CreateProject was sent %d times after Ctrl-C", n)
		}
		wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
		assertOnlyStranger(t, e, stranger)
	})
}

// A project with our custom code but another name, which someone else makes while our create's
// answer is lost, is under our key but not this create's: it is named, not adopted, and the
// create is not sent over it.
func TestAccAuthorship_differingLookAlikeAppearingDuringALostCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	var stranger string
	differing := lookAlike
	differing.Name = "another team's look-alike"
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse, Before: func() {
		stranger = e.mock.PutProject(testOrg, differing)
	}})
	wd := e.workdir(lookAlikeConfig(e, ""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 1 || strings.Contains(out, "Adopted") ||
		!acctest.ErrorPattern(`id `+stranger+` appeared meanwhile.*but it differs from what this create sends.*was not taken.*terraform import yunxiao_project\.<name> `).MatchString(out) {
		t.Errorf("apply exited %d, want 1 naming the stranger's project and no adoption:\n%s", code, out)
	}
	if st := wd.State(); len(st) != 0 {
		t.Errorf("the state holds %+v, want nothing", st)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	if ps := e.mock.Projects(testOrg); len(ps) != 1 || ps[0].Identifier != stranger || ps[0].Name != differing.Name {
		t.Errorf("the mock holds %+v, want only the stranger's project %s, unchanged", ps, stranger)
	}
}

// A look-alike that someone else makes while the API answers our create with its own 5xx is
// named, not taken: the API said the create failed.
func TestAccAuthorship_lookAlikeAppearingDuringTheCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	var stranger string
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.ServerError, Status: 503, Before: func() {
		stranger = e.mock.PutProject(testOrg, lookAlike)
	}})
	wd := e.workdir(lookAlikeConfig(e, ""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 1 || !acctest.ErrorPattern(`ServiceUnavailable.*yet a matching object with id `+stranger+` appeared meanwhile.*was not taken`).MatchString(out) {
		t.Errorf("apply exited %d:\n%s", code, out)
	}
	if st := wd.State(); len(st) != 0 {
		t.Errorf("the state holds %+v, want nothing", st)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1 (never resent over a match)", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	assertOnlyStranger(t, e, stranger)
}

// Two applies of one configuration from two directories at once: exactly one project exists,
// held by exactly one state; the other apply fails with the conflict. Destroying both leaves none.
func TestAccAuthorship_twoConcurrentAppliesOfOneConfig(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	cfg := lookAlikeConfig(e, "")
	dirs := []*acctest.Workdir{e.workdir(cfg), e.workdir(cfg)}
	outs, codes := acctest.ApplyConcurrently(dirs...)
	ps := e.mock.Projects(testOrg)
	var owners []string
	for _, d := range dirs {
		if r, ok := d.State()[projectAddr]; ok {
			owners = append(owners, r.ID)
		}
	}
	if len(ps) != 1 || len(owners) != 1 || owners[0] != ps[0].Identifier || codes[0]+codes[1] != 1 {
		t.Fatalf("mock %+v, states %v, exit codes %v: want one project held by one state, one apply failed\n%s\n%s", ps, owners, codes, outs[0], outs[1])
	}
	loser := outs[0]
	if codes[1] != 0 {
		loser = outs[1]
	}
	if !regexp.MustCompile(`Custom code LOOK is already used`).MatchString(loser) {
		t.Errorf("the failed apply does not name the conflict:\n%s", loser)
	}
	for _, d := range dirs {
		d.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	}
	if ps := e.mock.Projects(testOrg); len(ps) != 0 {
		t.Errorf("after both destroys the mock holds %+v", ps)
	}
}

// "Not in the list" is not "not created": the create acts but its answer is lost, and the next
// listing lags behind it (the new project missing once). The lookups repeat for the
// read-after-create wait and adopt the project instead of resending (which would fail with a
// conflict and orphan it): one create, the project in the state, none left after the destroy.
func TestAccAuthorship_lostCreateWithALaggingList(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	e.mock.Inject("CreateProject", mockserver.Fault{Kind: mockserver.LoseResponse, Before: func() { e.mock.LagLists(1) }})
	wd := e.workdir(lookAlikeConfig(e, ""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	ps := e.mock.Projects(testOrg)
	if code != 0 || len(ps) != 1 || wd.State()[projectAddr].ID != ps[0].Identifier {
		t.Fatalf("apply exited %d, the mock holds %+v, the state %+v; want the one project created, in the state:\n%s", code, ps, wd.State(), out)
	}
	if n := e.mock.Requests("CreateProject"); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	if ps := e.mock.Projects(testOrg); len(ps) != 0 {
		t.Errorf("after the destroy the mock holds %+v, want nothing", ps)
	}
}
