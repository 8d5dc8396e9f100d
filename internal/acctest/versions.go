package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"
)

// Provider source addresses. OpenTofu reads `source = "projectkit/trro"` (and the implied
// hashicorp/<type> of a configuration without required_providers) as registry.opentofu.org/…,
// Terraform as registry.terraform.io/…; the in-process providers must be served under the
// address the CLI resolves, or it does not find them.
const (
	TerraformRegistry = "registry.terraform.io"
	OpenTofuRegistry  = "registry.opentofu.org"
)

// CLI is the terraform binary the acceptance tests run: Terraform or OpenTofu, at a version.
type CLI struct {
	Path string
	// OpenTofu is true for OpenTofu, false for Terraform.
	OpenTofu bool
	// Major, Minor and Patch are the version; Version the whole of it as printed, e.g. "1.14.9".
	Major, Minor, Patch int
	Version             string
}

// Name is the product and version, e.g. "Terraform 1.14.9" or "OpenTofu 1.10.10".
func (c CLI) Name() string {
	if c.OpenTofu {
		return "OpenTofu " + c.Version
	}
	return "Terraform " + c.Version
}

// AtLeast says whether the version is major.minor or later.
func (c CLI) AtLeast(major, minor int) bool {
	return c.Major > major || (c.Major == major && c.Minor >= minor)
}

// firstVersionLine matches the first line of `terraform version` and `tofu version`.
var firstVersionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)(\S*)`)

// ParseVersion reads the output of `<binary> version`.
func ParseVersion(path, out string) (CLI, error) {
	m := firstVersionLine.FindStringSubmatch(out)
	if m == nil {
		return CLI{}, fmt.Errorf("%s version printed neither a Terraform nor an OpenTofu version: %.200q", path, out)
	}
	c := CLI{Path: path, OpenTofu: m[1] == "OpenTofu", Version: m[2] + "." + m[3] + "." + m[4] + m[5]}
	c.Major, _ = strconv.Atoi(m[2])
	c.Minor, _ = strconv.Atoi(m[3])
	c.Patch, _ = strconv.Atoi(m[4])
	return c, nil
}

var (
	cliOnce sync.Once
	cli     CLI
	cliErr  error
)

// findCLI runs the binary of TF_ACC_TERRAFORM_PATH (else terraform from PATH) once for its
// version.
func findCLI() (CLI, error) {
	cliOnce.Do(func() {
		path := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if path == "" {
			if path, cliErr = exec.LookPath("terraform"); cliErr != nil {
				return
			}
		}
		cmd := exec.Command(path, "version") //nolint:gosec // G204: runs the terraform the test environment names, by design
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			cliErr = fmt.Errorf("%s version: %w", path, err)
			return
		}
		cli, cliErr = ParseVersion(path, string(out))
	})
	return cli, cliErr
}

// Terraform is the terraform (or tofu) the acceptance tests run; it fails the test when there
// is none.
func Terraform(t *testing.T) CLI {
	t.Helper()
	c, err := findCLI()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// RequireTerraform skips a test that needs Terraform major.minor or later for feature (e.g.
// "terraform query"), naming the version it found, so that a run against an older Terraform or
// against OpenTofu says what it did not test. Without TF_ACC it skips as RequireAcc does.
func RequireTerraform(t *testing.T, major, minor int, feature string) CLI {
	t.Helper()
	RequireAcc(t)
	c := Terraform(t)
	if c.OpenTofu || !c.AtLeast(major, minor) {
		t.Skipf("%s needs Terraform %d.%d or later; TF_ACC_TERRAFORM_PATH is %s (%s)", feature, major, minor, c.Name(), c.Path)
	}
	return c
}

// RequireOpenTofu skips a test of OpenTofu's own behaviour unless the tests run OpenTofu.
func RequireOpenTofu(t *testing.T) CLI {
	t.Helper()
	RequireAcc(t)
	c := Terraform(t)
	if !c.OpenTofu {
		t.Skipf("an OpenTofu test; TF_ACC_TERRAFORM_PATH is %s (%s): set it to a tofu binary", c.Name(), c.Path)
	}
	return c
}

// ProviderHost is the registry host of the providers' source addresses: TF_ACC_PROVIDER_HOST
// (terraform-plugin-testing's variable) when set, which Main sets to registry.opentofu.org for
// OpenTofu.
func ProviderHost() string {
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		return h
	}
	return TerraformRegistry
}

// ProviderAddress is the source address under which the CLI looks for projectkit's provider
// of providerType, e.g. registry.terraform.io/projectkit/trro.
func ProviderAddress(providerType string) string {
	return ProviderHost() + "/projectkit/" + providerType
}
