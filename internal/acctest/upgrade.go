package acctest

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

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// StateFixture is a state that an older release of a provider wrote with Terraform 1.11
// against the mock, kept to prove that this version reads it: a directory (such as
// testdata/state-0.1.0) holding the configuration, main.tf, and the state, state.json
// (.gitignore keeps *.tfstate files out of git). The provider block is the test's.
type StateFixture struct {
	// Dir is the fixture's directory.
	Dir string
	// ProviderType is the provider's type, e.g. "trro"; ResourceType the resource type of the
	// state's instances, e.g. "trro_project".
	ProviderType, ResourceType string
	// Version is the release that wrote the state, e.g. "0.1.0".
	Version string
}

// stateFile is the fixture's state.
const stateFile = "state.json"

// afterImport marks the lines of a fixture's main.tf that the old provider applied as an
// update after importing the resources, so that both its import and its update wrote the state.
var afterImport = regexp.MustCompile(`(?m)^.*# added after the import\n`)

// Read returns a file of the fixture.
func (f StateFixture) Read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.Dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// State returns the fixture's state.
func (f StateFixture) State(t *testing.T) string {
	t.Helper()
	return f.Read(t, stateFile)
}

// Instances returns the attributes (JSON) of each instance of ResourceType in state, by
// resource name. Every instance must be at schema version 0.
func (f StateFixture) Instances(t *testing.T, state string) map[string][]byte {
	t.Helper()
	var s struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				SchemaVersion int             `json:"schema_version"`
				Attributes    json.RawMessage `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal([]byte(state), &s); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, r := range s.Resources {
		if r.Mode != "managed" || r.Type != f.ResourceType {
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

// Attributes renders every instance's attributes, for comparing two states.
func (f StateFixture) Attributes(t *testing.T, state string) string {
	t.Helper()
	var b strings.Builder
	instances := f.Instances(t, state)
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

// Remake writes the fixture's state anew with the old release's provider, against the mock
// that providerBlock points at (which must hold the projects main.tf imports). It runs only
// when PROJECTKIT_PROVIDERS_010 names a directory holding terraform-provider-<type> built from
// the release's commit (go build -ldflags "-X main.version=<version>"), with TF_ACC set. files
// are written beside main.tf (e.g. import blocks); imported is how many resources the first
// apply must import.
func (f StateFixture) Remake(t *testing.T, providerBlock string, files map[string]string, imported int) {
	t.Helper()
	bin := os.Getenv("PROJECTKIT_PROVIDERS_010")
	if bin == "" || os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 and PROJECTKIT_PROVIDERS_010 to a directory with the " + f.Version + " provider binaries to remake the fixture")
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"projectkit/%s\" = %q\n  }\n  direct {}\n}\n", f.ProviderType, bin)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil { //nolint:gosec // G703: a file in the test's own temporary directory
		t.Fatal(err)
	}
	mainTF := f.Read(t, "main.tf")
	all := map[string]string{"provider.tf": TerraformBlock(f.ProviderType) + providerBlock, "main.tf": afterImport.ReplaceAllString(mainTF, "")}
	maps.Copy(all, files)
	wd := NewWorkdir(t, all, "TF_CLI_CONFIG_FILE="+cliConfig)
	out := wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if !strings.Contains(out, fmt.Sprintf("%d imported", imported)) || !strings.Contains(out, bin) {
		t.Fatalf("the %s provider (a dev override) did not import the resources:\n%s", f.Version, out)
	}
	wd.WriteFile("main.tf", mainTF)
	wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the %s plan after the apply is not empty (exit %d):\n%s", f.Version, code, out)
	}
	if err := os.WriteFile(filepath.Join(f.Dir, stateFile), []byte(wd.ReadFile("terraform.tfstate")), 0o600); err != nil {
		t.Fatal(err)
	}
}

// CheckRefresh proves that state (the fixture's, or a copy of it fitted to the mock) refreshes
// and plans clean with Terraform 1.11 and this version's provider (server, configured by
// providerBlock), that the apply changes nothing, and that the refreshed state keeps every
// attribute (Terraform 1.11 keeps no identity in its state).
func (f StateFixture) CheckRefresh(t *testing.T, server func() tfprotov6.ProviderServer, providerBlock, state string) {
	t.Helper()
	RequireAcc(t)
	reattach := Reattach(t, map[string]func() tfprotov6.ProviderServer{ProviderAddress(f.ProviderType): server})
	wd := NewWorkdir(t, map[string]string{
		"provider.tf": TerraformBlock(f.ProviderType) + providerBlock, "main.tf": f.Read(t, "main.tf"), "terraform.tfstate": state,
	}, reattach)
	wd.MustRun("init", "-input=false", "-no-color")
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-refresh=true", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the plan of the %s state shows changes or fails (exit %d):\n%s", f.Version, code, out)
	}
	out := wd.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if !strings.Contains(out, "No changes.") {
		t.Errorf("the apply of the %s state changed something:\n%s", f.Version, out)
	}
	if got, want := f.Attributes(t, wd.ReadFile("terraform.tfstate")), f.Attributes(t, state); got != want {
		t.Errorf("the refreshed state differs from the %s state:\n%s\nwant\n%s", f.Version, got, want)
	}
}

// CheckIdentities proves that a refresh of state's instances by Terraform 1.12 or later (which
// has no identity for them) keeps each instance as it is and answers the identity that
// identity derives from its attributes. p must be configured for the mock holding the
// resources.
func (f StateFixture) CheckIdentities(t *testing.T, p *ProtoServer, state string, count int, identity func(attrs map[string]string) map[string]string) {
	t.Helper()
	instances := f.Instances(t, state)
	if len(instances) != count {
		t.Fatalf("the fixture holds %d %s instances, want %d", len(instances), f.ResourceType, count)
	}
	for name, raw := range instances {
		upgraded, read := p.UpgradeState(raw, 0)
		want := identity(p.StringAttrs(upgraded, p.ResourceType()))
		if got := p.IdentityOf(read.NewIdentity); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: identity = %v, want %v", name, got, want)
		}
		if !p.ResourceValue(read.NewState).Equal(p.ResourceValue(upgraded)) {
			t.Errorf("%s: the refresh changed the state:\n%s\nwant\n%s", name, p.ResourceValue(read.NewState), p.ResourceValue(upgraded))
		}
	}
}

// CheckRefreshAddsIdentities proves with a real Terraform 1.12 or later that a refresh-only
// apply of state (written by Terraform 1.11, so without identities) stores in the state each
// instance's identity, as identity derives it from the instance's attributes, changes no
// attribute, and leaves a plan with no changes. It skips for older Terraform and OpenTofu.
func (f StateFixture) CheckRefreshAddsIdentities(t *testing.T, server func() tfprotov6.ProviderServer, providerBlock, state string, identity func(attrs map[string]any) map[string]any) {
	t.Helper()
	RequireTerraform(t, 1, 12, "storing resource identities in the state")
	var written struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(state), &written); err != nil || !strings.HasPrefix(written.TerraformVersion, "1.11.") {
		t.Fatalf("the %s state was not written by Terraform 1.11 (terraform_version %q, %v)", f.Version, written.TerraformVersion, err)
	}
	reattach := Reattach(t, map[string]func() tfprotov6.ProviderServer{ProviderAddress(f.ProviderType): server})
	wd := NewWorkdir(t, map[string]string{
		"provider.tf": TerraformBlock(f.ProviderType) + providerBlock, "main.tf": f.Read(t, "main.tf"), "terraform.tfstate": state,
	}, reattach)
	before := wd.StateInstances()
	for addr, inst := range before {
		if inst.Identity != nil {
			t.Fatalf("%s has an identity in the %s state already: %v", addr, f.Version, inst.Identity)
		}
	}
	wd.MustRun("init", "-input=false", "-no-color")
	wd.MustRun("apply", "-refresh-only", "-input=false", "-no-color", "-auto-approve")
	after := wd.StateInstances()
	if len(after) != len(before) || len(after) == 0 {
		t.Fatalf("the refresh left %d instances of %d", len(after), len(before))
	}
	for addr, inst := range after {
		if want := identity(inst.Attributes); fmt.Sprint(inst.Identity) != fmt.Sprint(want) {
			t.Errorf("%s: identity after the refresh = %v, want %v", addr, inst.Identity, want)
		}
		if got, want := fmt.Sprint(inst.Attributes), fmt.Sprint(before[addr].Attributes); got != want {
			t.Errorf("%s: the refresh changed the attributes:\n%s\nwant\n%s", addr, got, want)
		}
	}
	if out, code := wd.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the refresh is not empty (exit %d):\n%s", code, out)
	}
}
