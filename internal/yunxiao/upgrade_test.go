package yunxiao

// A state written by the 0.1.0 provider (testdata/state-0.1.0/state.json, made by TestWriteState010 below
// with a 0.1.0 build and Terraform 1.11 against the mock) refreshes and plans clean with this
// provider, and a refresh by Terraform 1.12 or later (which sends no identity for such a state)
// gets each project's identity.

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/mock"
)

// state010 is the fixture: main.tf and the state the 0.1.0 provider wrote.
var state010 = acctest.StateFixture{Dir: "testdata/state-0.1.0", ProviderType: TypeName, ResourceType: projectType, Version: "0.1.0"}

// state010Project is one project of the fixture's state, as the mock held it.
type state010Project struct {
	org string
	client.Project
}

// state010Projects are the projects the fixture's state holds.
var state010Projects = []state010Project{
	{testOrg, client.Project{Identifier: "pk010yx00000000000000aa1", Name: "研发项目", CustomCode: "RDPJ", Scope: "private",
		Description: "R&D", Creator: "1900000000000001", GmtCreate: 1700000000000}},
	{testOrg, client.Project{Identifier: "pk010yx00000000000000aa2", Name: "payments", CustomCode: "PAYS", Scope: "public",
		Creator: "1900000000000002", GmtCreate: 1700000360000}},
	{secondOrg, client.Project{Identifier: "pk010yx00000000000000bb1", Name: "other organization", CustomCode: "OTHR", Scope: "private",
		Description: "in the second organization", Creator: "1900000000000001", GmtCreate: 1700000720000}},
}

// putState010Projects puts the fixture's projects into the mock.
func putState010Projects(m *mock.Server) {
	for _, p := range state010Projects {
		m.PutProject(p.org, p.Project)
	}
}

// state010Provider is the provider block for the mock, in the 0.1.0 schema.
func (e *testEnv) state010Provider() string {
	return `
provider "yunxiao" {
  access_key_id     = "` + testAccessKeyID + `"
  access_key_secret = "` + testAccessKeySecret + `"
  organization_id   = "` + testOrg + `"
  endpoint          = "` + e.url + `"
}
`
}

// TestWriteState010 remakes testdata/state-0.1.0/state.json with the 0.1.0 provider (see
// acctest.StateFixture.Remake).
func TestWriteState010(t *testing.T) {
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.Remake(t, e.state010Provider(), nil, len(state010Projects))
}

// The 0.1.0 state refreshes and plans clean with Terraform 1.11 and this provider, and the
// apply changes nothing.
func TestAccUpgrade_state010(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.CheckRefresh(t, providerserver.NewProtocol6(testProvider()), e.state010Provider(), state010.State(t))
	if n := len(e.mock.Projects(testOrg)) + len(e.mock.Projects(secondOrg)); n != len(state010Projects) {
		t.Errorf("the mock holds %d projects, want %d", n, len(state010Projects))
	}
}

// A refresh of the 0.1.0 state by Terraform 1.12 or later, which has no identity for it,
// answers each project's identity (organization and identifier) and keeps the state as it is.
func TestProtocol_state010Identity(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	putState010Projects(e.mock)
	state010.CheckIdentities(t, e.newProtoServer(), state010.State(t), len(state010Projects), func(attrs map[string]string) map[string]string {
		if attrs["organization_id"] == "" {
			t.Errorf("project %s has no organization_id", attrs["id"])
		}
		return map[string]string{"organization_id": attrs["organization_id"], "id": attrs["id"]}
	})
}
