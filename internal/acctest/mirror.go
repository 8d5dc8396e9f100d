package acctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// MirrorVersion is the version under which MirrorWorkdir installs the providers.
const MirrorVersion = "0.0.1"

var (
	buildOnce   sync.Once
	builtBinary string
	buildOutput string
	buildErr    error
)

// buildProvider builds the module's provider program once per test process (from a cloud
// package's directory, the module root is ../..), into a directory removed when Main ends.
func buildProvider(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "projectkit-provider-") //nolint:usetesting // shared by every test of the process, removed when Main ends, not when the first test does
		if err != nil {
			buildErr = err
			return
		}
		cleanups = append(cleanups, func() { _ = os.RemoveAll(dir) })
		builtBinary = filepath.Join(dir, "terraform-provider-projectkit")
		cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+MirrorVersion, "-o", builtBinary, ".") //nolint:gosec // G204: go build with fixed arguments
		cmd.Dir = filepath.Join("..", "..")
		out, err := cmd.CombinedOutput()
		buildOutput, buildErr = string(out), err
	})
	if buildErr != nil {
		t.Fatalf("building the provider: %v\n%s", buildErr, buildOutput)
	}
	return builtBinary
}

// cleanups run when Main ends.
var cleanups []func()

// MirrorWorkdir installs the provider of providerType, built from this module, in the implied
// local mirror of a fresh HOME (~/.terraform.d/plugins/<ProviderHost>/projectkit/<type>/
// MirrorVersion/<os>_<arch>/), as `make install PLUGIN_HOST=…` does for a user, writes files
// into a fresh working directory and runs terraform init there, with no CLI configuration, no
// reattached provider and no network: the provider runs as terraform's plugin process, as it
// does for users. It returns the working directory and init's output.
func MirrorWorkdir(t *testing.T, providerType string, files map[string]string) (*Workdir, string) {
	t.Helper()
	bin := buildProvider(t)
	home := t.TempDir()
	dir := filepath.Join(home, ".terraform.d", "plugins", ProviderHost(), "projectkit", providerType, MirrorVersion, runtime.GOOS+"_"+runtime.GOARCH)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(bin) //nolint:gosec // G304: the binary this process built
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform-provider-"+providerType+"_v"+MirrorVersion), b, 0o700); err != nil { //nolint:gosec // G306: an executable, in the test's temporary HOME
		t.Fatal(err)
	}
	w := NewWorkdir(t, files, "HOME="+home, "XDG_DATA_HOME=", "TF_PLUGIN_CACHE_DIR=", "TF_REATTACH_PROVIDERS=",
		// Anything that tried the network would fail at once: the proxy is a closed loopback port.
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=127.0.0.1,localhost")
	out := w.MustRun("init", "-input=false", "-no-color")
	if lock := w.ReadFile(".terraform.lock.hcl"); !strings.Contains(lock, `provider "`+ProviderAddress(providerType)+`"`) {
		t.Fatalf("the lock file does not record %s:\n%s\ninit said:\n%s", ProviderAddress(providerType), lock, out)
	}
	return w, out
}
