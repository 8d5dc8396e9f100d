package main

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// mirrorRelease packages stand-in binaries for this platform and one other as release 0.2.0 of
// trro and iam, and returns the dist directory.
func mirrorRelease(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	for _, target := range []string{runtime.GOOS + "_" + runtime.GOARCH, "windows_arm64"} {
		dir := filepath.Join(tmp, "build", target)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "terraform-provider-projectkit"), []byte("stand-in for "+target), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	manifest := filepath.Join(tmp, "manifest.json")
	if err := os.WriteFile(manifest, []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(tmp, "dist")
	if _, err := Package(filepath.Join(tmp, "build"), dist, "0.2.0", manifest, []string{"trro", "iam"}); err != nil {
		t.Fatal(err)
	}
	return dist
}

// The network mirror layout: index.json lists the versions (old ones kept), <version>.json each
// platform's zip with its zh: hash from SHA256SUMS, and the zips beside them.
func TestNetworkMirrorLayout(t *testing.T) {
	dist := mirrorRelease(t)
	mirror := t.TempDir()
	dir := filepath.Join(mirror, "registry.terraform.io", "projectkit", "trro")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(`{"versions": {"0.1.0": {}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NetworkMirror(dist, mirror, "registry.terraform.io", "projectkit", "0.2.0", []string{"trro", "iam"}); err != nil {
		t.Fatal(err)
	}
	var index struct{ Versions map[string]any }
	readJSON(t, filepath.Join(dir, "index.json"), &index)
	if len(index.Versions) != 2 || index.Versions["0.1.0"] == nil || index.Versions["0.2.0"] == nil {
		t.Errorf("index.json lists %v, want 0.1.0 and 0.2.0", index.Versions)
	}
	var doc mirrorVersion
	readJSON(t, filepath.Join(dir, "0.2.0.json"), &doc)
	sums, err := os.ReadFile(filepath.Join(dist, "terraform-provider-trro_0.2.0_SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, osArch := range []string{runtime.GOOS + "_" + runtime.GOARCH, "windows_arm64"} {
		a, ok := doc.Archives[osArch]
		name := "terraform-provider-trro_0.2.0_" + osArch + ".zip"
		if !ok || a.URL != name || len(a.Hashes) != 1 || !strings.HasPrefix(a.Hashes[0], "zh:") ||
			!strings.Contains(string(sums), strings.TrimPrefix(a.Hashes[0], "zh:")+"  "+name) {
			t.Errorf("0.2.0.json has %+v for %s, want %s with its zh: hash from SHA256SUMS:\n%s", a, osArch, name, sums)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("the mirror lacks %s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(mirror, "registry.terraform.io", "projectkit", "iam", "0.2.0.json")); err != nil {
		t.Errorf("the mirror lacks iam: %v", err)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path) //nolint:gosec // G304: the test's own files
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
}

// terraform init installs a provider from the mirror served over HTTPS, as users configure it in
// docs/publishing.md, and records the mirror's zh: hash in the lock file.
func TestAccNetworkMirrorTerraformInit(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (it runs terraform init)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("trusting the test's certificate through SSL_CERT_FILE works on Linux only")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set")
		}
	}
	dist := mirrorRelease(t)
	mirror := t.TempDir()
	if _, err := NetworkMirror(dist, mirror, "registry.terraform.io", "projectkit", "0.2.0", []string{"trro"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.FileServer(http.Dir(mirror)))
	t.Cleanup(srv.Close)

	tmp := t.TempDir()
	certFile := filepath.Join(tmp, "mirror.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(cliConfig, fmt.Appendf(nil, `
provider_installation {
  network_mirror {
    url     = "%s/"
    include = ["registry.terraform.io/projectkit/*"]
  }
}
`, srv.URL), 0o600); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(tmp, "repo")
	if err := os.MkdirAll(repo, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "main.tf"), []byte(`
terraform {
  required_version = ">= 1.5"
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "~> 0.2"
    }
  }
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "SSL_CERT_FILE="+certFile, "CHECKPOINT_DISABLE=1",
		"TF_PLUGIN_CACHE_DIR=", "HOME="+tmp, "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
	tf := func(args ...string) (string, error) {
		cmd := exec.Command(terraform, args...) //nolint:gosec // G204: the terraform the test environment names
		cmd.Dir = repo
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := tf("init", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("terraform init from the network mirror: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Installed projectkit/trro v0.2.0") {
		t.Errorf("terraform init did not install projectkit/trro v0.2.0:\n%s", out)
	}
	// The lock file gets this platform's checksum from init, and every platform's from
	// terraform providers lock, which downloads each package from the mirror.
	host := runtime.GOOS + "_" + runtime.GOARCH
	if out, err := tf("providers", "lock", "-no-color", "-net-mirror="+srv.URL+"/", "-platform="+host, "-platform=windows_arm64"); err != nil {
		t.Fatalf("terraform providers lock -net-mirror: %v\n%s", err, out)
	}
	lock, err := os.ReadFile(filepath.Join(repo, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(lock), `"h1:`); n != 2 {
		t.Errorf("the lock file holds %d h1: hashes, want one per platform (2):\n%s", n, lock)
	}

	// The mirror's zh: hashes are checked: a zip that differs from its hash is refused.
	zip := filepath.Join(mirror, "registry.terraform.io", "projectkit", "trro", "terraform-provider-trro_0.2.0_"+host+".zip")
	other := filepath.Join(mirror, "registry.terraform.io", "projectkit", "trro", "terraform-provider-trro_0.2.0_windows_arm64.zip")
	b, err := os.ReadFile(other) //nolint:gosec // G304: the test's own files
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zip, b, 0o600); err != nil { //nolint:gosec // G703: a file in the test's temporary folder
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(repo, ".terraform")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(repo, ".terraform.lock.hcl")); err != nil {
		t.Fatal(err)
	}
	if out, err := tf("init", "-input=false", "-no-color"); err == nil {
		t.Errorf("terraform init accepted a zip whose checksum is not the mirror's:\n%s", out)
	} else if !strings.Contains(out, "checksum") {
		t.Errorf("terraform init failed, but not for the checksum:\n%s", out)
	}
}
