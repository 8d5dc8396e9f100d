package trro

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// The importing guide's bulk import, examples/trro/bulk-import/main.tf as it is: trro_projects
// lists the projects made in the console, an import block with for_each and a resource with the
// same for_each adopt all of them in one apply, and the next plan is empty. Only a
// provider_override.tf pointing the example's provider block at the mock is added.
func TestAccBulkImport(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t)
	const teams = 30
	want := map[string]client.Project{}
	for i := range teams {
		p := client.Project{Name: fmt.Sprintf("team-%02d", i), PolicyMode: []string{"black", "white"}[i%2]}
		if i%3 == 0 {
			p.Description = fmt.Sprintf("made in the console, %d", i)
		}
		p.ID = e.mock.PutProject(p)
		want[p.ID] = p
	}
	// Not matched by name_regex: left alone.
	e.mock.PutProject(client.Project{Name: "factory-floor", PolicyMode: "white"})
	e.mock.PutProject(client.Project{Name: "my-team-01", PolicyMode: "black"})

	wd := acctest.ServeExample(t, TypeName, providerserver.NewProtocol6(testProvider()), acctest.Example(t, TypeName, "bulk-import"), providerBlockFor(e.url))
	wd.ApplyImports(teams, 0)

	if n := len(e.mock.Projects()); n != teams+2 {
		t.Errorf("the mock holds %d projects, want the %d it had", n, teams+2)
	}
	for _, op := range []string{"CreateProject", "ModifyProject", "DeleteProject"} {
		if n := e.mock.Requests(op); n != 0 {
			t.Errorf("the bulk import sent %s %d times", op, n)
		}
	}
	state := wd.State()
	if len(state) != teams {
		t.Errorf("the state holds %d trro_project instances, want %d", len(state), teams)
	}
	for id, p := range want {
		r, ok := state[fmt.Sprintf("trro_project.team[%q]", id)]
		got := r.Values
		switch {
		case !ok:
			t.Errorf("project %s (%s) is not in the state as trro_project.team[%q]", id, p.Name, id)
		case got["id"] != id || got["name"] != p.Name || got["description"] != p.Description || got["policy_mode"] != p.PolicyMode:
			t.Errorf("trro_project.team[%q] = %v, want %+v", id, got, p)
		}
	}
}
