package iam

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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
	acctest.RequireAcc(t)
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	const count = 30
	want := map[string]client.Project{} // by name
	for i := range count {
		name := fmt.Sprintf("eu-de_team-%02d", i)
		description := ""
		if i%3 == 0 {
			description = fmt.Sprintf("made in the console, %d", i)
		}
		id := e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: name, Description: description})
		if i%10 == 9 {
			e.mock.UpdateProject(id, func(p *client.Project) { p.Status = client.StatusSuspended })
		}
		p, _ := e.mock.Project(id)
		want[name] = p
	}
	// Not matched by name_regex: left alone.
	e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-de_payments"})
	e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: "eu-nl_team-00"})
	before := len(e.mock.Projects(e.fx.DomainID))

	p := &Provider{version: "test", configureClient: func(c *client.Config) {
		c.Retry = transport.RetryPolicy{MaxAttempts: 6, BaseDelay: 10 * time.Millisecond, MaxDelay: 100 * time.Millisecond}
		c.RequestsPerSecond = 1000
	}}
	wd := acctest.ServeExample(t, TypeName, providerserver.NewProtocol6(p), acctest.Example(t, TypeName, "bulk-import"), e.passwordProvider())
	wd.ApplyImports(count, 0)

	if n := len(e.mock.Projects(e.fx.DomainID)); n != before {
		t.Errorf("the account holds %d projects, want the %d it had", n, before)
	}
	for _, op := range []string{client.OpCreateProject, client.OpUpdateProject, client.OpUpdateProjectStatus, client.OpDeleteProject} {
		if n := e.mock.Requests(op); n != 0 {
			t.Errorf("the bulk import sent %s %d times", op, n)
		}
	}
	state := wd.State()
	if len(state) != count {
		t.Errorf("the state holds %d iam_project instances, want %d", len(state), count)
	}
	for name, p := range want {
		r, ok := state[fmt.Sprintf("iam_project.team[%q]", name)]
		got := r.Values
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
	acctest.RequireAcc(t)
	t.Parallel()
	config := acctest.Example(t, TypeName, "bulk-import")
	for old, repl := range map[string]string{`"^eu-de_team-"`: `"^ap-southeast-1_team-"`, `deletion_policy = "delete"`: `deletion_policy = "suspend"`} {
		if !strings.Contains(config, old) {
			t.Fatalf("the example no longer contains %s:\n%s", old, config)
		}
		config = strings.Replace(config, old, repl, 1)
	}
	e := newTestEnv(t, mock.Huawei)
	const count = 5
	for i := range count {
		e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: fmt.Sprintf("ap-southeast-1_team-%d", i)})
	}
	wd := acctest.ServeExample(t, TypeName, providerserver.NewProtocol6(&Provider{version: "test", configureClient: func(c *client.Config) {
		c.RequestsPerSecond = 1000
	}}), config, e.passwordProvider())
	wd.ApplyImports(count, count)
	for _, op := range []string{client.OpCreateProject, client.OpUpdateProject, client.OpUpdateProjectStatus, client.OpDeleteProject} {
		if n := e.mock.Requests(op); n != 0 {
			t.Errorf("the bulk import sent %s %d times", op, n)
		}
	}
	for addr, r := range wd.State() {
		if r.Values["deletion_policy"] != "suspend" {
			t.Errorf("%s has deletion_policy %v, want suspend", addr, r.Values["deletion_policy"])
		}
	}
}
