package yunxiao

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// The importing guide's bulk import, examples/yunxiao/bulk-import/main.tf as it is:
// yunxiao_projects lists the organization's projects made in the console, an import block with
// for_each (ids <organization_id>/<identifier>) and a resource with the same for_each adopt all
// of them in one apply, and the next plan is empty. Only a provider_override.tf pointing the
// example's provider block at the mock is added.
func TestAccBulkImport(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "yunxiao", "bulk-import", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t)
	const count = 30
	want := map[string]client.Project{} // by custom_code
	for i := range count {
		p := client.Project{
			Name:       fmt.Sprintf("payments-%02d 支付", i),
			CustomCode: fmt.Sprintf("PAY%c%c", 'A'+i/26, 'A'+i%26),
			Scope:      []string{"private", "public"}[i%2],
		}
		if i%3 == 0 {
			p.Description = fmt.Sprintf("made in the console, %d", i)
		}
		p.Identifier = e.mock.PutProject(testOrg, p)
		want[p.CustomCode] = p
	}
	// Not matched: another name, or another organization.
	e.mock.PutProject(testOrg, client.Project{Name: "platform", CustomCode: "PLAT", Scope: "private"})
	e.mock.PutProject(secondOrg, client.Project{Name: "payments-elsewhere", CustomCode: "PAYX", Scope: "private"})

	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/yunxiao": providerserver.NewProtocol6(testProvider()),
	})
	wd := acctest.NewWorkdir(t, map[string]string{
		"main.tf": string(example),
		"provider_override.tf": fmt.Sprintf(`
provider "yunxiao" {
  access_key_id     = %q
  access_key_secret = %q
  organization_id   = %q
  endpoint          = %q
}
`, testAccessKeyID, testAccessKeySecret, testOrg, e.url),
	}, reattach)

	wd.MustRun("init", "-input=false", "-no-color")
	out := wd.MustRun("plan", "-input=false", "-no-color")
	if summary := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", count); !strings.Contains(out, summary) {
		t.Fatalf("the plan is not %q:\n%s", summary, out)
	}
	out = wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if summary := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", count); !strings.Contains(out, summary) {
		t.Errorf("the apply did not say %q:\n%s", summary, out)
	}
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the bulk import is not empty (exit %d):\n%s", code, out)
	}

	if n := len(e.mock.Projects(testOrg)); n != count+1 {
		t.Errorf("the organization holds %d projects, want the %d it had", n, count+1)
	}
	if n := len(e.mock.Projects(secondOrg)); n != 1 {
		t.Errorf("the second organization holds %d projects, want the 1 it had", n)
	}
	for _, op := range []string{"CreateProject", "UpdateProjectField", "DeleteProject"} {
		if n := e.mock.Requests(op); n != 0 {
			t.Errorf("the bulk import sent %s %d times", op, n)
		}
	}
	state := bulkImportState(t, wd)
	if len(state) != count {
		t.Errorf("the state holds %d yunxiao_project instances, want %d", len(state), count)
	}
	for code, p := range want {
		got, ok := state[fmt.Sprintf("yunxiao_project.payments[%q]", code)]
		switch {
		case !ok:
			t.Errorf("project %s (%s) is not in the state as yunxiao_project.payments[%q]", p.Identifier, p.Name, code)
		case got["id"] != p.Identifier || got["organization_id"] != testOrg || got["name"] != p.Name ||
			got["custom_code"] != code || got["scope"] != p.Scope || got["description"] != p.Description:
			t.Errorf("yunxiao_project.payments[%q] = %v, want %+v in organization %s", code, got, p, testOrg)
		}
	}
}

// bulkImportState returns the managed resource instances in the state by address, with their
// attributes, from terraform show -json.
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
