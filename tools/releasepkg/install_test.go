package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// `make install` puts every provider into Terraform's implied local mirror, so that terraform
// init finds them with no CLI configuration at all: in a fresh HOME, a repository with a module
// and a local backend initializes offline, its lock file records each provider at the VERSION
// file's version, and a version constraint the installed version does not meet fails.
// Runs with TF_ACC set (make test), since it builds the providers and runs terraform.
func TestAccMakeInstallImpliedMirror(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (it runs make install and terraform init)")
	}
	if runtime.GOOS == "windows" {
		t.Skip("make install is a GNUmakefile target; on Windows copy the binaries by hand (docs/publishing.md)")
	}
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not on PATH")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set")
		}
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	version := strings.TrimSpace(string(b))
	home := t.TempDir()

	// A fresh HOME and no CLI configuration; Go keeps its caches where they are, so the build is warm.
	env := isolatedEnv(t, home)

	install := exec.Command(makeBin, "--no-print-directory", "-C", root, "install") //nolint:gosec // G204: make from PATH with fixed arguments
	install.Env = env
	out, err := install.CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	osArch := runtime.GOOS + "_" + runtime.GOARCH
	types := []string{"iam", "trro", "yunxiao"}
	for _, typ := range types {
		bin := filepath.Join(home, ".terraform.d", "plugins", "registry.terraform.io", "projectkit", typ, version, osArch,
			"terraform-provider-"+typ+"_v"+version)
		st, err := os.Stat(bin) //nolint:gosec // G703: a path under the test's temporary HOME
		if err != nil {
			t.Fatalf("make install did not write %s: %v\n%s", bin, err, out)
		}
		if st.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable", bin)
		}
	}

	// A repository as users have them: a local backend, a module, version constraints.
	repo := t.TempDir()
	files := map[string]string{
		"main.tf": `
terraform {
  required_version = ">= 1.5"
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "~> 0.2"
    }
  }
  backend "local" {
    path = "state/terraform.tfstate"
  }
}

module "teams" {
  source = "./modules/teams"
}
`,
		"modules/teams/main.tf": `
terraform {
  required_version = ">= 1.5"
  required_providers {
    iam = {
      source  = "projectkit/iam"
      version = "~> 0.2"
    }
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = ">= 0.2, < 1.0"
    }
  }
}
`,
	}
	for name, content := range files {
		path := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tf := func(args ...string) (string, error) {
		cmd := exec.Command(terraform, args...) //nolint:gosec // G204: the terraform the test environment names
		cmd.Dir = repo
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := tf("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform init with only the implied local mirror: %v\n%s", err, out)
	}
	lock, err := os.ReadFile(filepath.Join(repo, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatalf("terraform init wrote no lock file: %v", err)
	}
	for _, typ := range types {
		block := regexp.MustCompile(`(?s)provider "registry\.terraform\.io/projectkit/` + typ + `" \{\s*version\s*=\s*"` +
			regexp.QuoteMeta(version) + `"\s*constraints\s*=\s*"[^"]+"\s*hashes\s*=\s*\[\s*"h1:[A-Za-z0-9+/=]+",?\s*\]`)
		if !block.Match(lock) {
			t.Errorf("the lock file does not record projectkit/%s %s with its h1: hash:\n%s", typ, version, lock)
		}
	}
	if !strings.Contains(string(lock), `constraints = "~> 0.2"`) {
		t.Errorf("the lock file does not keep the constraint ~> 0.2:\n%s", lock)
	}
	if out, err := tf("validate", "-no-color"); err != nil {
		t.Errorf("terraform validate: %v\n%s", err, out)
	}

	// A constraint the installed version does not meet is refused, not silently ignored.
	if err := os.WriteFile(filepath.Join(repo, "main.tf"), []byte(strings.Replace(files["main.tf"], `"~> 0.2"`, `"~> 9.0"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := tf("init", "-input=false", "-no-color", "-upgrade"); err == nil {
		t.Errorf("terraform init accepted version ~> 9.0 with only %s installed:\n%s", version, out)
	} else if !strings.Contains(out, "projectkit/trro") {
		t.Errorf("terraform init failed without naming projectkit/trro:\n%s", out)
	}
}
