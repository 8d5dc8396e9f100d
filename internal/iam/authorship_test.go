package iam

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

const lookAlikeName = "eu-de_look-alike"

// putLookAlike makes someone else's project with the name the test's configuration uses.
func (e *testEnv) putLookAlike() string {
	return e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: lookAlikeName, Description: "another team's"})
}

func (e *testEnv) lookAlikeConfig(timeouts string) string {
	body := projectConfig(lookAlikeName)
	if timeouts != "" {
		body = strings.Replace(body, "}\n", "  timeouts {\n    create = \""+timeouts+"\"\n  }\n}\n", 1)
	}
	return e.passwordProvider(skipCheck) + body
}

// assertOnlyStranger checks that the account holds the stranger's project alone, unchanged.
func assertOnlyStranger(t *testing.T, e *testEnv, id string) {
	t.Helper()
	ps := e.created()
	if len(ps) != 1 || ps[0].ID != id || ps[0].Name != lookAlikeName || ps[0].Description != "another team's" {
		t.Errorf("the mock holds %+v, want only the stranger's project %s, unchanged", ps, id)
	}
}

// Authorship, not resemblance. The account already holds someone else's project with our name;
// a create that fails without acting (a 5xx, a reset connection, throttling until the timeout,
// Ctrl-C before it was sent) never adopts it: the apply fails, nothing is in the state, and after
// the destroy the stranger's project is still there, unchanged.
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
		{"5xx", []mockserver.Fault{{Kind: mockserver.ServerError, Status: 503}}, "", `IAM project name "` + lookAlikeName + `" is already taken`},
		{"reset", []mockserver.Fault{{Kind: mockserver.ResetConnection}}, "", `IAM project name "` + lookAlikeName + `" is already taken`},
		{"throttled until the timeout", throttled, "3s", `CreateProject was not carried out: timed out after 3s.*APIGW\.0308`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, mock.OTC)
			stranger := e.putLookAlike()
			e.mock.Inject(client.OpCreateProject, tc.faults...)
			wd := e.workdir(e.lookAlikeConfig(tc.timeouts))
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
		e := newTestEnv(t, mock.OTC)
		stranger := e.putLookAlike()
		e.mock.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.Delay, Delay: time.Minute})
		wd := e.workdir(e.lookAlikeConfig(""))
		out := acctest.InterruptApplyWhen(t, wd, "a lookup before the create", func() bool { return e.mock.Requests(client.OpListProjects) > 0 })
		if !regexp.MustCompile(`interrupted|stopped before the create was sent`).MatchString(out) || strings.Contains(out, "Adopted") {
			t.Errorf("the interrupted apply does not say what happened:\n%s", out)
		}
		if n := e.mock.Requests(client.OpCreateProject); n != 0 {
			t.Errorf("CreateProject was sent %d times after Ctrl-C", n)
		}
		wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
		assertOnlyStranger(t, e, stranger)
	})
}

// A same-name project that someone else makes while the API answers our create with a 503 is
// named, not taken; the state stays empty, and the destroy and the next plan leave it alone.
func TestAccAuthorship_lookAlikeAppearingDuringTheCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	var stranger string
	e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.ServerError, Status: 503, Before: func() { stranger = e.putLookAlike() }})
	wd := e.workdir(e.lookAlikeConfig(""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 1 || !acctest.ErrorPattern(`APIGW\.0202.*yet a matching object with id `+stranger+` appeared meanwhile.*was not taken`).MatchString(out) {
		t.Errorf("apply exited %d:\n%s", code, out)
	}
	if st := wd.State(); len(st) != 0 {
		t.Errorf("the state holds %+v, want nothing", st)
	}
	if n := e.mock.Requests(client.OpCreateProject); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	assertOnlyStranger(t, e, stranger)
}

// A same-name project that someone else makes while our create's answer is lost (the create
// then meets the taken name): it has another description than the create sends, so it is not
// this create's. It is named, not adopted (adopting it would put another team's project in this
// state, and the next apply would rewrite its description), and the create is not sent again.
func TestAccAuthorship_differingLookAlikeAppearingDuringALostCreate(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	var stranger string
	e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.LoseResponse, Before: func() { stranger = e.putLookAlike() }})
	wd := e.workdir(e.lookAlikeConfig(""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if code != 1 || strings.Contains(out, "Adopted") ||
		!acctest.ErrorPattern(`id `+stranger+` appeared meanwhile.*but it differs from what this create sends.*was not taken.*terraform import iam_project\.<name> `+stranger).MatchString(out) {
		t.Errorf("apply exited %d, want 1 naming the stranger's project and no adoption:\n%s", code, out)
	}
	if st := wd.State(); len(st) != 0 {
		t.Errorf("the state holds %+v, want nothing", st)
	}
	if n := e.mock.Requests(client.OpCreateProject); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	assertOnlyStranger(t, e, stranger)
}

// Two applies of one configuration from two directories at once: names are unique, so exactly
// one project exists, held by exactly one state; the other apply fails with the conflict.
func TestAccAuthorship_twoConcurrentAppliesOfOneConfig(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	cfg := e.lookAlikeConfig("")
	dirs := []*acctest.Workdir{e.workdir(cfg), e.workdir(cfg)}
	outs, codes := acctest.ApplyConcurrently(dirs...)
	ps := e.created()
	var owners []string
	for _, d := range dirs {
		if r, ok := d.State()[projectAddr]; ok {
			owners = append(owners, r.ID)
		}
	}
	if len(ps) != 1 || len(owners) != 1 || owners[0] != ps[0].ID || codes[0]+codes[1] != 1 {
		t.Fatalf("mock %+v, states %v, exit codes %v: want one project held by one state, one apply failed\n%s\n%s", ps, owners, codes, outs[0], outs[1])
	}
	for _, d := range dirs {
		d.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	}
	if ps := e.created(); len(ps) != 0 {
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
	e := newTestEnv(t, mock.OTC)
	e.mock.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.LoseResponse, Before: func() { e.mock.LagLists(1) }})
	wd := e.workdir(e.lookAlikeConfig(""))
	out, code := wd.Run("apply", "-input=false", "-no-color", "-auto-approve")
	ps := e.created()
	if code != 0 || len(ps) != 1 || wd.State()[projectAddr].ID != ps[0].ID {
		t.Fatalf("apply exited %d, the mock holds %+v, the state %+v; want the one project created, in the state:\n%s", code, ps, wd.State(), out)
	}
	if n := e.mock.Requests(client.OpCreateProject); n != 1 {
		t.Errorf("CreateProject sent %d times, want 1", n)
	}
	wd.MustRun("destroy", "-input=false", "-no-color", "-auto-approve")
	if ps := e.created(); len(ps) != 0 {
		t.Errorf("after the destroy the mock holds %+v, want nothing (OTC deletes)", ps)
	}
}
