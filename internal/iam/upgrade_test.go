package iam

// A state written by the 0.1.0 provider (testdata/state-0.1.0/state.json, made by TestWriteState010 below
// with a 0.1.0 build and Terraform 1.11 against the mock) refreshes and plans clean with this
// provider, and a refresh by Terraform 1.12 or later (which sends no identity for such a state)
// gets each project's identity.
//
// The IAM mock gives accounts and projects random ids, so the tests create the fixture's
// projects again and put their new ids into the fixture's state in place of the old ones.

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// state010 is the fixture: main.tf and the state the 0.1.0 provider wrote.
var state010 = acctest.StateFixture{Dir: "testdata/state-0.1.0", ProviderType: TypeName, ResourceType: projectType, Version: "0.1.0"}

// state010Projects are the projects the fixture's state holds, as the mock (OTC) held them, by
// resource name.
var state010Projects = map[string]client.Project{
	"payments":  {Name: "eu-de_payments", Description: "Payments team", Status: client.StatusNormal},
	"analytics": {Name: "eu-nl_analytics", Status: client.StatusNormal},
	"archive":   {Name: "eu-de_archive", Description: "old things", Status: client.StatusSuspended},
}

// putState010Projects creates the fixture's projects in the mock and returns their ids by
// resource name.
func (e *testEnv) putState010Projects() map[string]string {
	ids := map[string]string{}
	for name, p := range state010Projects {
		ids[name] = e.mock.PutProject(client.Project{DomainID: e.fx.DomainID, Name: p.Name, Description: p.Description})
		status := p.Status
		e.mock.UpdateProject(ids[name], func(p *client.Project) { p.Status = status })
	}
	return ids
}

// state010 is the fixture's state with the ids of the mock's account and projects (ids, by
// resource name) in place of those of the mock that made it.
func (e *testEnv) state010(t *testing.T, ids map[string]string) string {
	t.Helper()
	state := state010.State(t)
	replace := map[string]string{}
	for name, raw := range state010.Instances(t, state) {
		var old struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			ParentID string `json:"parent_id"`
			DomainID string `json:"domain_id"`
		}
		if err := json.Unmarshal(raw, &old); err != nil {
			t.Fatal(err)
		}
		if ids[name] == "" {
			t.Fatalf("the fixture holds iam_project.%s, which state010Projects lacks", name)
		}
		replace[old.ID] = ids[name]
		replace[old.ParentID] = e.mock.RegionProjectID(e.fx.DomainID, regionOf(old.Name))
		replace[old.DomainID] = e.fx.DomainID
	}
	for old, now := range replace {
		if now == "" {
			t.Fatalf("no id in the mock for %s", old)
		}
		state = strings.ReplaceAll(state, old, now)
	}
	return state
}

// importBlocks imports each project (ids by resource name).
func importBlocks(ids map[string]string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(ids)) {
		fmt.Fprintf(&b, "import {\n  to = iam_project.%s\n  id = %q\n}\n\n", name, ids[name])
	}
	return b.String()
}

// TestWriteState010 remakes testdata/state-0.1.0/state.json with the 0.1.0 provider (see
// acctest.StateFixture.Remake).
func TestWriteState010(t *testing.T) {
	e := newTestEnv(t, mock.OTC)
	state010.Remake(t, e.passwordProvider(), map[string]string{"imports.tf": importBlocks(e.putState010Projects())}, len(state010Projects))
}

// The 0.1.0 state refreshes and plans clean with Terraform 1.11 and this provider, and the
// apply changes nothing.
func TestAccUpgrade_state010(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	state010.CheckRefresh(t, providerserver.NewProtocol6(&Provider{version: "test"}), e.passwordProvider(), e.state010(t, e.putState010Projects()))
	if n := len(e.created()); n != len(state010Projects) {
		t.Errorf("the mock holds %d projects, want %d", n, len(state010Projects))
	}
}

// A refresh of the 0.1.0 state by Terraform 1.12 or later, which has no identity for it,
// answers each project's identity and keeps the state as it is.
func TestProtocol_state010Identity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, mock.OTC)
	state := e.state010(t, e.putState010Projects())
	state010.CheckIdentities(t, e.newProtoServer(), state, len(state010Projects), func(attrs map[string]string) map[string]string {
		return map[string]string{"id": attrs["id"]}
	})
}
