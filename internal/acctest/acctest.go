// Package acctest is what every cloud's acceptance tests share: a TestMain that finds the
// terraform binary (never downloading one), keeps terraform offline and keeps the provider's
// environment variables out; terraform working directories served in-process; diagnostics
// patterns; and checks against the mock servers.
package acctest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// Main runs the package's tests. It first unsets env, the environment variables the package's
// provider reads, so that no test reads the environment of whoever runs the tests: tests pass
// credentials and settings through the provider block, and may then run in parallel (only the
// tests of the environment fallbacks themselves set variables, with t.Setenv, and stay serial).
//
// With TF_ACC set it requires a terraform binary from TF_ACC_TERRAFORM_PATH or PATH, so
// terraform-plugin-testing never tries to download one, turns off terraform's update check, and
// gives terraform an empty CLI configuration of its own. TF_ACC_TERRAFORM_PATH may name an
// OpenTofu binary: TF_ACC_PROVIDER_HOST then defaults to registry.opentofu.org.
func Main(m *testing.M, env ...string) {
	for _, name := range env {
		_ = os.Unsetenv(name)
	}
	code := run(m)
	for _, cleanup := range cleanups {
		cleanup()
	}
	os.Exit(code)
}

func run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		bin, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests (TF_ACC=1) need the terraform CLI, and none is on PATH. "+
				"Install Terraform >= 1.5 and put it on PATH, or set TF_ACC_TERRAFORM_PATH to its path.")
			return 1
		}
		_ = os.Setenv("TF_ACC_TERRAFORM_PATH", bin)
	}
	c, err := findCLI()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// OpenTofu resolves provider sources under its own registry host: serve the providers
	// there, in this package's working directories and in terraform-plugin-testing's.
	if c.OpenTofu && os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_HOST", OpenTofuRegistry)
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	dir, err := os.MkdirTemp("", "projectkit-acctest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	cliConfig := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_ = os.Setenv("TF_CLI_CONFIG_FILE", cliConfig)
	return m.Run()
}

// RequireAcc skips a test that runs terraform itself unless TF_ACC is set, as
// terraform-plugin-testing's resource.Test does for the others.
func RequireAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
}

func errorAs(err error, target **exec.ExitError) bool {
	return errors.As(err, target)
}

// ErrorPattern compiles the regular expression a diagnostic must match, letting each space
// match any run of white space (terraform wraps long diagnostic lines wherever a space falls)
// and "." match line breaks. Literal text goes in through Literal.
func ErrorPattern(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// Literal is the part of an ErrorPattern that matches texts literally, in this order with
// anything between them, however terraform wrapped them.
func Literal(texts ...string) string {
	parts := make([]string, len(texts))
	for i, text := range texts {
		words := strings.Fields(text)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, " ")
	}
	return strings.Join(parts, ".*")
}

// WantOutput fails the test unless out (what terraform printed, described by what) holds every
// text, however terraform wrapped it.
func WantOutput(t *testing.T, what, out string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if !ErrorPattern(Literal(text)).MatchString(out) {
			t.Errorf("%s lacks %q:\n%s", what, text, out)
		}
	}
}

// HCLString quotes s for HCL, escaping every character that is not printable ASCII (HCL has
// no \x escapes), so that control and invisible characters reach the provider exactly as
// written in the test.
func HCLString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			fmt.Fprintf(&b, `\U%08X`, r)
		default:
			fmt.Fprintf(&b, `\u%04X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FreePort returns a loopback address on which nothing listens.
func FreePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// WaitFor polls cond until it holds, failing the test after 90 seconds (what is waited for
// takes moments when idle; the margin is for a loaded machine).
func WaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// RequestCounter is what every mock counts: the requests of an operation, or of all
// (mockserver.AnyOperation).
type RequestCounter interface {
	Requests(operation string) int
}

// CheckNoRequests fails the test if any request reached the mock, besides those of the
// operations allowed (such as the credential check at configure).
func CheckNoRequests(t *testing.T, mock RequestCounter, allowed ...string) {
	t.Helper()
	n := mock.Requests(mockserver.AnyOperation)
	for _, op := range allowed {
		n -= mock.Requests(op)
	}
	if n != 0 {
		if len(allowed) == 0 {
			t.Errorf("the mock received %d request(s); want none", n)
		} else {
			t.Errorf("the mock received %d request(s) besides %s; want none", n, strings.Join(allowed, " and "))
		}
	}
}

// CheckRequests asserts how often each operation reached the mock so far.
func CheckRequests(mock RequestCounter, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for op, n := range want {
			if got := mock.Requests(op); got != n {
				return fmt.Errorf("%s was sent %d times, want %d", op, got, n)
			}
		}
		return nil
	}
}

// CheckRequestsAtLeast asserts that each operation was sent at least as often as want says:
// for lookups repeated while the read-after-create wait lasts, whose number depends on timing.
func CheckRequestsAtLeast(mock RequestCounter, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for op, n := range want {
			if got := mock.Requests(op); got < n {
				return fmt.Errorf("%s was sent %d times, want at least %d", op, got, n)
			}
		}
		return nil
	}
}

// RequestWindow counts the requests a test step sends: Start as the step's PreConfig, then
// Check in its Check, which runs after the step's apply and before its closing plan.
type RequestWindow struct {
	mock  RequestCounter
	start map[string]int
}

// NewRequestWindow returns a window on mock's counters.
func NewRequestWindow(mock RequestCounter) *RequestWindow {
	return &RequestWindow{mock: mock}
}

// Start remembers the counters of every operation that Check will be asked about.
func (w *RequestWindow) Start(operations ...string) func() {
	return func() {
		w.start = map[string]int{}
		for _, op := range operations {
			w.start[op] = w.mock.Requests(op)
		}
	}
}

// Check asserts how often each operation was sent since Start.
func (w *RequestWindow) Check(want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for op, n := range want {
			base, ok := w.start[op]
			if !ok {
				return fmt.Errorf("RequestWindow: %s was not named at Start", op)
			}
			if got := w.mock.Requests(op) - base; got != n {
				return fmt.Errorf("%s was sent %d times during the step, want %d", op, got, n)
			}
		}
		return nil
	}
}

// TraceLog turns on terraform's TRACE log, the provider's included, for the rest of the test
// (which must not be parallel), and returns what reads the test's log once terraform has run.
func TraceLog(t *testing.T) func() string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	return func() string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, t.Name()+".log"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
}
