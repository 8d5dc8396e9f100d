package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Reattach serves each provider (keyed by its registry address, e.g.
// "registry.terraform.io/projectkit/trro", see ProviderAddress) in this process for as long as the test runs, and
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

// TerraformBlock is the terraform block that takes the provider of providerType from
// projectkit, as Reattach serves it (ProviderAddress: <host>/projectkit/<type>).
func TerraformBlock(providerType string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    %s = {
      source = "projectkit/%s"
    }
  }
}
`, providerType, providerType)
}

// Workdir is a directory in which a test runs the terraform CLI.
type Workdir struct {
	t   *testing.T
	Dir string
	env []string
	// header is what WriteMain puts before the configuration: ServeWorkdir's terraform block.
	header string
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

// ServeWorkdir serves the provider of providerType in the test's process for the whole test
// (server is called once; the provider reads the test's environment, not terraform's), writes
// main.tf (TerraformBlock, then config) into a fresh directory and runs terraform init: for tests
// that need exit codes, timings, signals, -parallelism, `terraform show` or commands that
// terraform-plugin-testing does not run. env is added to terraform's environment.
func ServeWorkdir(t *testing.T, providerType string, server func() tfprotov6.ProviderServer, config string, env ...string) *Workdir {
	t.Helper()
	reattach := Reattach(t, map[string]func() tfprotov6.ProviderServer{ProviderAddress(providerType): server})
	header := TerraformBlock(providerType)
	w := NewWorkdir(t, map[string]string{"main.tf": header + config}, append(env, reattach)...)
	w.header = header
	w.MustRun("init", "-input=false", "-no-color")
	return w
}

func (w *Workdir) command(args ...string) *exec.Cmd {
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	cmd := exec.Command(bin, args...) //nolint:gosec // G702: runs the terraform the test environment names, by design
	cmd.Dir = w.Dir
	cmd.Env = append(w.env, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return cmd
}

// Run runs terraform with args and returns its combined output and exit code; it fails the
// test only when terraform cannot be started.
func (w *Workdir) Run(args ...string) (string, int) {
	w.t.Helper()
	out, err := w.command(args...).CombinedOutput()
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

// Timed is Run that also says how long terraform took.
func (w *Workdir) Timed(args ...string) (string, int, time.Duration) {
	w.t.Helper()
	start := time.Now()
	out, code := w.Run(args...)
	return out, code, time.Since(start)
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

// ExpectNoDrift runs the checks a pipeline runs after an apply, each with -detailed-exitcode:
// `plan -refresh-only` (a drift check), `plan`, and `plan -refresh-only` again; the test fails
// unless each exits 0 (no changes).
func (w *Workdir) ExpectNoDrift() {
	w.t.Helper()
	for _, args := range [][]string{{"plan", "-refresh-only"}, {"plan"}, {"plan", "-refresh-only"}} {
		if out, code := w.Run(append(args, "-input=false", "-no-color", "-detailed-exitcode")...); code != 0 {
			w.t.Errorf("terraform %v exited %d, want 0 (no changes):\n%s", args, code, out)
		}
	}
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

// WriteFile adds or replaces a file of the working directory.
func (w *Workdir) WriteFile(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// WriteMain replaces main.tf's configuration, after the terraform block ServeWorkdir wrote.
func (w *Workdir) WriteMain(config string) {
	w.t.Helper()
	w.WriteFile("main.tf", w.header+config)
}

// StateFile returns terraform.tfstate as it is ("" when there is none).
func (w *Workdir) StateFile() string {
	b, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if err != nil {
		return ""
	}
	return string(b)
}

// StateResource is one managed resource instance as `terraform show -json` shows it.
type StateResource struct {
	Address string
	// ID is the instance's id attribute ("" when it has none).
	ID      string
	Tainted bool
	Values  map[string]any
}

// State returns the managed resource instances of the state by address (data sources left
// out), from `terraform show -json`.
func (w *Workdir) State() map[string]StateResource {
	w.t.Helper()
	out := w.MustRun("show", "-json", "-no-color")
	var shown struct {
		Values *struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Mode    string         `json:"mode"`
					Tainted bool           `json:"tainted"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		w.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	resources := map[string]StateResource{}
	if shown.Values != nil {
		for _, r := range shown.Values.RootModule.Resources {
			if r.Mode == "managed" {
				id, _ := r.Values["id"].(string)
				resources[r.Address] = StateResource{Address: r.Address, ID: id, Tainted: r.Tainted, Values: r.Values}
			}
		}
	}
	return resources
}

// Process is terraform started by Start.
type Process struct {
	t    *testing.T
	args []string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	err  error
}

// Start starts terraform with args without waiting for it, for a test that interrupts it. A
// terraform still running when the test ends is killed.
func (w *Workdir) Start(args ...string) *Process {
	w.t.Helper()
	p := &Process{t: w.t, args: args, cmd: w.command(args...), out: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		w.t.Fatalf("starting terraform %v: %v", args, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	w.t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// Output is what terraform printed so far.
func (p *Process) Output() string { return p.out.String() }

// Interrupt sends terraform SIGINT, as Ctrl-C does.
func (p *Process) Interrupt() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		p.t.Fatalf("interrupting terraform %v: %v", p.args, err)
	}
}

// Wait waits up to limit for terraform to end and returns its output and exit code; it kills
// terraform and fails the test when the limit passes.
func (p *Process) Wait(limit time.Duration) (string, int) {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(limit):
		_ = p.cmd.Process.Kill()
		<-p.done
		p.t.Fatalf("terraform %v did not end within %s:\n%s", p.args, limit, p.Output())
	}
	var exit *exec.ExitError
	switch {
	case p.err == nil:
		return p.Output(), 0
	case errorAs(p.err, &exit):
		return p.Output(), exit.ExitCode()
	default:
		p.t.Fatalf("terraform %v: %v", p.args, p.err)
		return p.Output(), -1
	}
}

// lockedBuffer is the output of a running terraform, which a test may read meanwhile.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Example returns the main.tf of examples/<providerType>/<name>, read from a cloud package's
// directory, for tests that run an example as users find it.
func Example(t *testing.T, providerType, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", providerType, name, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ServeExample is ServeWorkdir for an example's configuration kept as it is (its own terraform
// block included): only a provider_override.tf holding providerBlock, which points the
// example's provider block at the mock, is added.
func ServeExample(t *testing.T, providerType string, server func() tfprotov6.ProviderServer, config, providerBlock string) *Workdir {
	t.Helper()
	reattach := Reattach(t, map[string]func() tfprotov6.ProviderServer{ProviderAddress(providerType): server})
	w := NewWorkdir(t, map[string]string{"main.tf": config, "provider_override.tf": providerBlock}, reattach)
	w.MustRun("init", "-input=false", "-no-color")
	return w
}

// ApplyImports applies a configuration that imports resources: the plan imports imports and
// changes changes of them, adding and destroying nothing; the apply says it did so; and the
// plan after it is empty.
func (w *Workdir) ApplyImports(imports, changes int) {
	w.t.Helper()
	out := w.MustRun("plan", "-input=false", "-no-color")
	if summary := fmt.Sprintf("Plan: %d to import, 0 to add, %d to change, 0 to destroy.", imports, changes); !strings.Contains(out, summary) {
		w.t.Fatalf("the plan is not %q:\n%s", summary, out)
	}
	out = w.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if summary := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, %d changed, 0 destroyed.", imports, changes); !strings.Contains(out, summary) {
		w.t.Errorf("the apply did not say %q:\n%s", summary, out)
	}
	if out, code := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		w.t.Errorf("the plan after the imports is not empty (exit %d):\n%s", code, out)
	}
}

// ApplyConcurrently runs `terraform apply -auto-approve` in every directory at once, as two
// pipelines applying one configuration would, and returns each one's output and exit code.
func ApplyConcurrently(dirs ...*Workdir) (outs []string, codes []int) {
	outs, codes = make([]string, len(dirs)), make([]int, len(dirs))
	var wg sync.WaitGroup
	for i, d := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], codes[i] = d.Run("apply", "-input=false", "-no-color", "-auto-approve")
		}()
	}
	wg.Wait()
	return outs, codes
}

// InterruptApplyWhen starts `terraform apply -auto-approve`, presses Ctrl-C (SIGINT) once cond
// holds, and returns what the interrupted apply printed.
func InterruptApplyWhen(t *testing.T, w *Workdir, what string, cond func() bool) string {
	t.Helper()
	apply := w.Start("apply", "-input=false", "-no-color", "-auto-approve")
	WaitFor(t, what, cond)
	apply.Interrupt()
	out, _ := apply.Wait(time.Minute)
	return out
}
