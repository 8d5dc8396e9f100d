package iam

import (
	"net/http"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// A name whose region prefix is a typo (eu-dee_) fails the plan, naming the nearest region and
// every region the account has projects of (from the listing the conflict check makes anyway);
// nothing is created.
func TestAccProject_unknownRegionFailsAtPlan(t *testing.T) {
	acctest.RequireAcc(t)
	acctest.UseTerraformCommand(t)
	e := newTestEnv(t, mock.OTC)
	wd := e.workdir(e.passwordProvider() + projectConfig("eu-dee_payments"))
	out, code := wd.Run("plan", "-input=false", "-no-color")
	if code != 1 {
		t.Fatalf("plan exited %d, want 1:\n%s", code, out)
	}
	acctest.WantOutput(t, "the plan", out, "Unknown region in IAM project name", `starts with "eu-dee_"`,
		`Did you mean "eu-de"?`, "The account's regions are: ", "eu-de")
	if n := e.mock.Requests(client.OpCreateProject); n != 0 {
		t.Errorf("CreateProject sent %d times by a plan", n)
	}
	if ps := e.created(); len(ps) != 0 {
		t.Errorf("the mock holds %+v after a failed plan", ps)
	}
}

// A 403 on the plan-time listing of the account's projects fails the plan with an error that
// says permission, with the API's status, not a warning that the lookup could not finish.
func TestAccProject_conflictLookupForbidden(t *testing.T) {
	acctest.RequireAcc(t)
	acctest.UseTerraformCommand(t)
	e := newTestEnv(t, mock.OTC)
	e.mock.Inject(client.OpListProjects, mockserver.Times(mockserver.Fault{Kind: mockserver.RawAnswer, Status: http.StatusForbidden,
		Body: `{"error":{"code":403,"message":"You are not authorized to list the projects of domain d.","title":"Forbidden"}}`}, 20)...)
	wd := e.workdir(e.passwordProvider() + projectConfig("eu-de_payments"))
	out, code := wd.Run("plan", "-input=false", "-no-color")
	if code != 1 {
		t.Fatalf("plan exited %d, want 1:\n%s", code, out)
	}
	acctest.WantOutput(t, "the plan", out, "Permission denied: listing the account's IAM projects", "for permission", "HTTP status: 403")
	if strings.Contains(out, "Could not check whether the IAM project name is free") {
		t.Errorf("the permission error is reported as a failed lookup:\n%s", out)
	}
	if ps := e.created(); len(ps) != 0 {
		t.Errorf("the mock holds %+v after a failed plan", ps)
	}
}
