package yunxiao

// A state written by the 0.1.0 provider (testdata/state-0.1.0/state.json, made by TestWriteState010 below
// with a 0.1.0 build and Terraform 1.11 against the mock) refreshes and plans clean with this
// provider, and a refresh by Terraform 1.12 or later (which sends no identity for such a state)
// gets each project's identity.

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/mock"
)

// state010Dir holds the fixture: main.tf and the state (state.json, since .gitignore keeps
// *.tfstate files out of git), which the tests copy to terraform.tfstate in a working dir.
const (
	state010Dir = "testdata/state-0.1.0"
	stateFile   = "state.json"
)

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

// state010Provider is the terraform and provider blocks for the mock, in the 0.1.0 schema.
func (e *testEnv) state010Provider() string {
	return `
terraform {
  required_providers {
    yunxiao = {
      source = "projectkit/yunxiao"
    }
  }
}

provider "yunxiao" {
  access_key_id     = "` + testAccessKeyID + `"
  access_key_secret = "` + testAccessKeySecret + `"
  organization_id   = "` + testOrg + `"
  endpoint          = "` + e.url + `"
}
`
}

// afterImport marks the lines of the fixture's main.tf that the 0.1.0 provider applied as an
// update after importing the projects, so that both its import and its update wrote the state.
var afterImport = regexp.MustCompile(`(?m)^.*# added after the import\n`)

// TestWriteState010 remakes testdata/state-0.1.0/state.json with the 0.1.0 provider. It
// runs only when PROJECTKIT_PROVIDERS_010 names a directory holding terraform-provider-yunxiao
// built from the v0.1.0 commit (go build -ldflags "-X main.version=0.1.0"), with TF_ACC set.
func TestWriteState010(t *testing.T) {
	bin := os.Getenv("PROJECTKIT_PROVIDERS_010")
	if bin == "" || os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 and PROJECTKIT_PROVIDERS_010 to a directory with the 0.1.0 provider binaries to remake the fixture")
	}
	e := newTestEnv(t)
	putState010Projects(e.mock)
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"projectkit/yunxiao\" = %q\n  }\n  direct {}\n}\n", bin)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil { //nolint:gosec // G703: a file in the test's own temporary directory
		t.Fatal(err)
	}
	mainTF := readFixture(t, "main.tf")
	wd := acctest.NewWorkdir(t, map[string]string{"provider.tf": e.state010Provider(), "main.tf": afterImport.ReplaceAllString(mainTF, "")},
		"TF_CLI_CONFIG_FILE="+cliConfig)
	out := wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if !strings.Contains(out, fmt.Sprintf("%d imported", len(state010Projects))) || !strings.Contains(out, bin) {
		t.Fatalf("the 0.1.0 provider (a dev override) did not import the projects:\n%s", out)
	}
	if err := os.WriteFile(filepath.Join(wd.Dir, "main.tf"), []byte(mainTF), 0o600); err != nil {
		t.Fatal(err)
	}
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the 0.1.0 plan after the apply is not empty (exit %d):\n%s", code, out)
	}
	if err := os.WriteFile(filepath.Join(state010Dir, stateFile), []byte(wd.ReadFile("terraform.tfstate")), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The 0.1.0 state refreshes and plans clean with Terraform 1.11 and this provider, and the
// apply changes nothing.
func TestAccUpgrade_state010(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	e := newTestEnv(t)
	putState010Projects(e.mock)
	before := readFixture(t, stateFile)
	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/yunxiao": providerserver.NewProtocol6(testProvider()),
	})
	wd := acctest.NewWorkdir(t, map[string]string{
		"provider.tf": e.state010Provider(), "main.tf": readFixture(t, "main.tf"), "terraform.tfstate": before,
	}, reattach)
	wd.MustRun("init", "-input=false", "-no-color")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-refresh=true", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the plan of the 0.1.0 state shows changes or fails (exit %d):\n%s", code, out)
	}
	out := wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if !strings.Contains(out, "No changes.") {
		t.Errorf("the apply of the 0.1.0 state changed something:\n%s", out)
	}
	// Terraform 1.11 keeps no identity in its state; what it stores is what 0.1.0 stored.
	if got, want := stateAttributes(t, wd.ReadFile("terraform.tfstate")), stateAttributes(t, before); got != want {
		t.Errorf("the refreshed state differs from the 0.1.0 state:\n%s\nwant\n%s", got, want)
	}
	if n := len(e.mock.Projects(testOrg)) + len(e.mock.Projects(secondOrg)); n != len(state010Projects) {
		t.Errorf("the mock holds %d projects, want %d", n, len(state010Projects))
	}
}

// A refresh of the 0.1.0 state by Terraform 1.12 or later, which has no identity for it,
// answers each project's identity and keeps the state as it is.
func TestProtocol_state010Identity(t *testing.T) {
	e := newTestEnv(t)
	putState010Projects(e.mock)
	p := e.newProtoServer()
	instances := state010Instances(t, readFixture(t, stateFile))
	if len(instances) != len(state010Projects) {
		t.Fatalf("the fixture holds %d yunxiao_project instances, want %d", len(instances), len(state010Projects))
	}
	for name, raw := range instances {
		upgraded, err := p.server.UpgradeResourceState(t.Context(), &tfprotov6.UpgradeResourceStateRequest{
			TypeName: protoResourceType, Version: 0, RawState: &tfprotov6.RawState{JSON: raw},
		})
		if err != nil {
			t.Fatal(err)
		}
		p.noErrors("UpgradeResourceState", upgraded.Diagnostics)
		read := p.read(upgraded.UpgradedState, nil)
		p.noErrors("ReadResource", read.Diagnostics)
		attrs := p.stringAttrs(upgraded.UpgradedState, p.resourceType())
		want := map[string]string{"organization_id": attrs["organization_id"], "id": attrs["id"]}
		if got := p.identityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) || want["organization_id"] == "" {
			t.Errorf("%s: identity = %v, want %v", name, got, want)
		}
		if !p.resourceValue(read.NewState).Equal(p.resourceValue(upgraded.UpgradedState)) {
			t.Errorf("%s: the refresh changed the state:\n%s\nwant\n%s", name, p.resourceValue(read.NewState), p.resourceValue(upgraded.UpgradedState))
		}
	}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(state010Dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tfstate is the part of a terraform.tfstate file these tests read.
type tfstate struct {
	Resources []struct {
		Mode, Type, Name string
		Instances        []struct {
			SchemaVersion int             `json:"schema_version"`
			Attributes    json.RawMessage `json:"attributes"`
		}
	}
}

// state010Instances returns the attributes (JSON) of each trro_project instance, by name.
func state010Instances(t *testing.T, state string) map[string][]byte {
	t.Helper()
	var s tfstate
	if err := json.Unmarshal([]byte(state), &s); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, r := range s.Resources {
		if r.Mode != "managed" || r.Type != protoResourceType {
			continue
		}
		for _, inst := range r.Instances {
			if inst.SchemaVersion != 0 {
				t.Fatalf("%s has schema version %d, want 0", r.Name, inst.SchemaVersion)
			}
			out[r.Name] = inst.Attributes
		}
	}
	return out
}

// stateAttributes renders every instance's attributes, for comparing two states.
func stateAttributes(t *testing.T, state string) string {
	t.Helper()
	var b strings.Builder
	instances := state010Instances(t, state)
	for _, name := range slices.Sorted(maps.Keys(instances)) {
		var v any
		if err := json.Unmarshal(instances[name], &v); err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(v)
		fmt.Fprintf(&b, "%s: %s\n", name, j)
	}
	return b.String()
}
