package trro

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// The importing guide's bulk import, examples/trro/bulk-import/main.tf as it is: trro_projects
// lists the projects made in the console, an import block with for_each and a resource with the
// same for_each adopt all of them in one apply, and the next plan is empty. Only a
// provider_override.tf pointing the example's provider block at the mock is added.
func TestAccBulkImport(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "trro", "bulk-import", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
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

	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/trro": e.factoriesServer,
	})
	wd := acctest.NewWorkdir(t, map[string]string{
		"main.tf": string(example),
		"provider_override.tf": fmt.Sprintf(`
provider "trro" {
  secret_id  = %q
  secret_key = %q
  endpoint   = %q
}
`, testSecretID, testSecretKey, e.url),
	}, reattach)

	wd.MustRun("init", "-input=false", "-no-color")
	out := wd.MustRun("plan", "-input=false", "-no-color")
	if summary := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", teams); !strings.Contains(out, summary) {
		t.Fatalf("the plan is not %q:\n%s", summary, out)
	}
	out = wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if summary := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", teams); !strings.Contains(out, summary) {
		t.Errorf("the apply did not say %q:\n%s", summary, out)
	}
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the bulk import is not empty (exit %d):\n%s", code, out)
	}

	if n := len(e.mock.Projects()); n != teams+2 {
		t.Errorf("the mock holds %d projects, want the %d it had", n, teams+2)
	}
	for _, op := range []string{"CreateProject", "ModifyProject", "DeleteProject"} {
		if n := e.mock.Requests(op); n != 0 {
			t.Errorf("the bulk import sent %s %d times", op, n)
		}
	}
	state := bulkImportState(t, wd)
	if len(state) != teams {
		t.Errorf("the state holds %d trro_project instances, want %d", len(state), teams)
	}
	for id, p := range want {
		got, ok := state[fmt.Sprintf("trro_project.team[%q]", id)]
		switch {
		case !ok:
			t.Errorf("project %s (%s) is not in the state as trro_project.team[%q]", id, p.Name, id)
		case got["id"] != id || got["name"] != p.Name || got["description"] != p.Description || got["policy_mode"] != p.PolicyMode:
			t.Errorf("trro_project.team[%q] = %v, want %+v", id, got, p)
		}
	}
}

// bulkImportState returns the managed resource instances in the state by address, with their
// string attributes, from terraform show -json.
func bulkImportState(t *testing.T, wd *acctest.Workdir) map[string]map[string]any {
	t.Helper()
	var show struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Mode    string         `json:"mode"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	out := wd.MustRun("show", "-json", "-no-color")
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	resources := map[string]map[string]any{}
	var addresses []string
	for _, r := range show.Values.RootModule.Resources {
		if r.Mode == "managed" {
			resources[r.Address] = r.Values
			addresses = append(addresses, r.Address)
		}
	}
	sort.Strings(addresses)
	t.Logf("state: %s", strings.Join(addresses, ", "))
	return resources
}
