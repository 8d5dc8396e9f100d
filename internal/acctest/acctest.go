// Package acctest is what every cloud's acceptance tests share: a TestMain that finds the
// terraform binary (never downloading one) and keeps terraform offline, and small checks
// against the mock servers.
package acctest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Main runs the package's tests. With TF_ACC set it requires a terraform binary from
// TF_ACC_TERRAFORM_PATH or PATH, so terraform-plugin-testing never tries to download one, turns
// off terraform's update check, and gives terraform an empty CLI configuration of its own.
func Main(m *testing.M) {
	os.Exit(run(m))
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

func errorAs(err error, target **exec.ExitError) bool {
	return errors.As(err, target)
}

// ErrorPattern compiles a diagnostic's expected text, letting each space match any run of
// white space: terraform wraps long diagnostic lines wherever a space falls.
func ErrorPattern(text string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(text, " ", `\s+`))
}
