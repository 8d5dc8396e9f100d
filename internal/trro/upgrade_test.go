package trro

// A state written by the 0.1.0 provider (testdata/state-0.1.0/state.json, made by TestWriteState010 below
// with a 0.1.0 build and Terraform 1.11 against the mock) refreshes and plans clean with this
// provider, and a refresh by Terraform 1.12 or later (which sends no identity for such a state)
// gets each project's identity.

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

// state010 is the fixture: main.tf and the state the 0.1.0 provider wrote.
var state010 = acctest.StateFixture{Dir: "testdata/state-0.1.0", ProviderType: TypeName, ResourceType: projectType, Version: "0.1.0"}

// state010Projects are the projects the fixture's state holds, as the mock held them.
var state010Projects = []client.Project{
	{ID: "pk010trro0000001", Name: "factory-floor", Description: "Remote operation of the forklifts in hall 3", PolicyMode: "white"},
	{ID: "pk010trro0000002", Name: "控制室", PolicyMode: "black"},
	{ID: "pk010trro0000003", Name: "yard", Description: "made in the console", PolicyMode: "black"},
}

// putState010Projects puts the fixture's projects into the mock.
func putState010Projects(m *mock.Server) {
	for _, p := range state010Projects {
		m.PutProject(p)
	}
}

// TestWriteState010 remakes testdata/state-0.1.0/state.json with the 0.1.0 provider (see
// acctest.StateFixture.Remake).
func TestWriteState010(t *testing.T) {
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.Remake(t, providerBlockFor(e.url), nil, len(state010Projects))
}

// The 0.1.0 state refreshes and plans clean with Terraform 1.11 and this provider, and the
// apply changes nothing.
func TestAccUpgrade_state010(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.CheckRefresh(t, providerserver.NewProtocol6(testProvider()), providerBlockFor(e.url), state010.State(t))
	if n := len(e.mock.Projects()); n != len(state010Projects) {
		t.Errorf("the mock holds %d projects, want %d", n, len(state010Projects))
	}
}

// A refresh of the 0.1.0 state by Terraform 1.12 or later, which has no identity for it,
// answers each project's identity and keeps the state as it is.
func TestProtocol_state010Identity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.CheckIdentities(t, e.newProtoServer(), state010.State(t), len(state010Projects), func(attrs map[string]string) map[string]string {
		return map[string]string{"id": attrs["id"]}
	})
}
