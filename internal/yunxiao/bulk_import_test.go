package yunxiao

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// The importing guide's bulk import, examples/yunxiao/bulk-import/main.tf as it is:
// yunxiao_projects lists the organization's projects made in the console, an import block with
// for_each (ids <organization_id>/<identifier>) and a resource with the same for_each adopt all
// of them in one apply, and the next plan is empty. Only a provider_override.tf pointing the
// example's provider block at the mock is added.
func TestAccBulkImport(t *testing.T) {
	acctest.RequireAcc(t)
	t.Parallel()
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

	wd := acctest.ServeExample(t, TypeName, providerserver.NewProtocol6(testProvider()), acctest.Example(t, TypeName, "bulk-import"), e.providerBlock(testAccessKeySecret))
	wd.ApplyImports(count, 0)

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
	state := wd.State()
	if len(state) != count {
		t.Errorf("the state holds %d yunxiao_project instances, want %d", len(state), count)
	}
	for code, p := range want {
		r, ok := state[fmt.Sprintf("yunxiao_project.payments[%q]", code)]
		got := r.Values
		switch {
		case !ok:
			t.Errorf("project %s (%s) is not in the state as yunxiao_project.payments[%q]", p.Identifier, p.Name, code)
		case got["id"] != p.Identifier || got["organization_id"] != testOrg || got["name"] != p.Name ||
			got["custom_code"] != code || got["scope"] != p.Scope || got["description"] != p.Description:
			t.Errorf("yunxiao_project.payments[%q] = %v, want %+v in organization %s", code, got, p, testOrg)
		}
	}
}
