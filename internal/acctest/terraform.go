package acctest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Reattach serves each provider (keyed by its registry address, e.g.
// "registry.terraform.io/projectkit/trro") in this process for as long as the test runs, and
// returns the TF_REATTACH_PROVIDERS environment entry that points terraform at them. Tests use it
// to run terraform commands terraform-plugin-testing cannot, such as -generate-config-out,
// with no provider binary, no registry and no dev_overrides.
func Reattach(t *testing.T, providers map[string]func() tfprotov6.ProviderServer) string {
	t.Helper()
	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	all := map[string]reattach{}
	for address, factory := range providers {
		ctx, cancel := context.WithCancel(context.Background())
		configCh := make(chan *plugin.ReattachConfig, 1)
		closeCh := make(chan struct{})
		errCh := make(chan error, 1)
		go func() {
			errCh <- tf6server.Serve(address, factory,
				tf6server.WithDebug(ctx, configCh, closeCh),
				tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
				// Provider logs follow TF_LOG like terraform-plugin-testing's; silent by default.
				tf6server.WithLoggingSink(t),
				tf6server.WithoutLogStderrOverride())
		}()
		var cfg *plugin.ReattachConfig
		select {
		case cfg = <-configCh:
		case err := <-errCh:
			cancel()
			t.Fatalf("serving %s: %v", address, err)
		}
		t.Cleanup(func() {
			cancel()
			<-closeCh
		})
		all[address] = reattach{
			Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: true,
			Addr: addr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
		}
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return "TF_REATTACH_PROVIDERS=" + string(b)
}

// Workdir is a directory in which a test runs the terraform CLI.
type Workdir struct {
	t   *testing.T
	Dir string
	env []string
}

// NewWorkdir writes files (name → content) into a fresh temporary directory.
func NewWorkdir(t *testing.T, files map[string]string, env ...string) *Workdir {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return &Workdir{t: t, Dir: dir, env: append(os.Environ(), env...)}
}

// Run runs terraform with args and returns its combined output and exit code; it fails the
// test only when terraform cannot be started.
func (w *Workdir) Run(args ...string) (string, int) {
	w.t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	cmd := exec.Command(bin, args...) //nolint:gosec // G702: runs the terraform the test environment names, by design
	cmd.Dir = w.Dir
	cmd.Env = append(w.env, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errorAs(err, &exit):
		return string(out), exit.ExitCode()
	default:
		w.t.Fatalf("running terraform %v: %v", args, err)
		return "", -1
	}
}

// MustRun runs terraform and fails the test unless it exits 0.
func (w *Workdir) MustRun(args ...string) string {
	w.t.Helper()
	out, code := w.Run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %v exited %d:\n%s", args, code, out)
	}
	return out
}

// ReadFile returns a file of the working directory.
func (w *Workdir) ReadFile(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.Dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}
