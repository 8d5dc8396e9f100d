package iam

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// The importing guide's bulk import, examples/iam/bulk-import/main.tf as it is: iam_projects
// with name_regex lists the projects made in the console (not the region's own project, not
// other regions' or other names), an import block with for_each and a resource with the same
// for_each adopt all of them in one apply, and the next plan is empty. Only a
// provider_override.tf pointing the example's provider block at the mock is added.
func TestAccBulkImport(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "iam", "bulk-import", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, mock.OTC)
	const count = 30
	want := map[string]client.Project{} // by name
	for i := range count {
		name := fmt.Sprintf("eu-de_team-%02d", i)
		description := ""
		if i%3 == 0 {
			description = fmt.Sprintf("made in the console, %d", i)
		}
		id := e.mock.AddProject(e.fx.DomainID, name, description)
		if i%10 == 9 {
			e.mock.UpdateProject(id, func(p *client.Project) { p.Status = client.StatusSuspended })
		}
		p, _ := e.mock.Project(id)
		want[name] = p
	}
	// Not matched by name_regex: left alone.
	e.mock.AddProject(e.fx.DomainID, "eu-de_payments", "")
	e.mock.AddProject(e.fx.DomainID, "eu-nl_team-00", "")
	before := len(e.mock.Projects(e.fx.DomainID))

	p := &Provider{version: "test", configureClient: func(c *client.Config) {
		c.Retry = transport.RetryPolicy{MaxAttempts: 6, BaseDelay: 10 * time.Millisecond, MaxDelay: 100 * time.Millisecond}
		c.RequestsPerSecond = 1000
	}}
	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/iam": providerserver.NewProtocol6(p),
	})
	wd := acctest.NewWorkdir(t, map[string]string{
		"main.tf": string(example),
		"provider_override.tf": fmt.Sprintf(`
provider "iam" {
  auth_url    = %q
  user_name   = %q
  password    = %q
  domain_name = %q
}
`, e.url, e.fx.AdminUser, e.fx.AdminPassword, e.fx.DomainName),
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

	if n := len(e.mock.Projects(e.fx.DomainID)); n != before {
		t.Errorf("the account holds %d projects, want the %d it had", n, before)
	}
	for _, op := range []string{client.OpCreateProject, client.OpUpdateProject, client.OpUpdateProjectStatus, client.OpDeleteProject} {
		if n := e.mock.Requests(op); n != 0 {
			t.Errorf("the bulk import sent %s %d times", op, n)
		}
	}
	state := bulkImportState(t, wd)
	if len(state) != count {
		t.Errorf("the state holds %d iam_project instances, want %d", len(state), count)
	}
	for name, p := range want {
		got, ok := state[fmt.Sprintf("iam_project.team[%q]", name)]
		switch {
		case !ok:
			t.Errorf("project %s (%s) is not in the state as iam_project.team[%q]", p.ID, name, name)
		case got["id"] != p.ID || got["name"] != name || got["description"] != p.Description || got["parent_id"] != p.ParentID ||
			got["domain_id"] != e.fx.DomainID || got["status"] != p.Status || got["deletion_policy"] != "delete":
			t.Errorf("iam_project.team[%q] = %v, want %+v", name, got, p)
		}
	}
}

// On Huawei Cloud the guide sets deletion_policy in the resource block: the first apply imports
// every project and records the policy, without any call that changes a project, and the next
// plan is empty.
func TestAccBulkImport_huaweiDeletionPolicy(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "iam", "bulk-import", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	config := string(example)
	for old, repl := range map[string]string{`"^eu-de_team-"`: `"^ap-southeast-1_team-"`, `deletion_policy = "delete"`: `deletion_policy = "suspend"`} {
		if !strings.Contains(config, old) {
			t.Fatalf("the example no longer contains %s:\n%s", old, config)
		}
		config = strings.Replace(config, old, repl, 1)
	}
	e := newTestEnv(t, mock.Huawei)
	const count = 5
	for i := range count {
		e.mock.AddProject(e.fx.DomainID, fmt.Sprintf("ap-southeast-1_team-%d", i), "")
	}
	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/iam": providerserver.NewProtocol6(&Provider{version: "test", configureClient: func(c *client.Config) {
			c.RequestsPerSecond = 1000
		}}),
	})
	wd := acctest.NewWorkdir(t, map[string]string{
		"main.tf": config,
		"provider_override.tf": fmt.Sprintf(`
provider "iam" {
  auth_url    = %q
  user_name   = %q
  password    = %q
  domain_name = %q
}
`, e.url, e.fx.AdminUser, e.fx.AdminPassword, e.fx.DomainName),
	}, reattach)
	wd.MustRun("init", "-input=false", "-no-color")
	out := wd.MustRun("plan", "-input=false", "-no-color")
	if summary := fmt.Sprintf("Plan: %d to import, 0 to add, %d to change, 0 to destroy.", count, count); !strings.Contains(out, summary) {
		t.Fatalf("the plan is not %q:\n%s", summary, out)
	}
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the bulk import is not empty (exit %d):\n%s", code, out)
	}
	for _, op := range []string{client.OpCreateProject, client.OpUpdateProject, client.OpUpdateProjectStatus, client.OpDeleteProject} {
		if n := e.mock.Requests(op); n != 0 {
			t.Errorf("the bulk import sent %s %d times", op, n)
		}
	}
	for addr, r := range bulkImportState(t, wd) {
		if r["deletion_policy"] != "suspend" {
			t.Errorf("%s has deletion_policy %v, want suspend", addr, r["deletion_policy"])
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
