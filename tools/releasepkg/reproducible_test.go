package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	trromock "github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

// The TRRO mock's key for this test's plans.
//
//nolint:gosec // G101: made-up credentials of a local mock
const (
	trroSecretID  = "AKIDreproduciblebuild000000000000"
	trroSecretKey = "reproducible-build-secret-key-00"
)

func trroAPI() *trromock.Server {
	m := trromock.New()
	m.AddKey(trroSecretID, trroSecretKey, "")
	return m
}

// isolatedEnv is the environment of a make or terraform run as another machine would have it:
// its own HOME (so its own ~/.terraform.d/plugins), no CLI configuration, no variable that
// chooses versions, providers or plugin directories, and no network (the proxy is a closed
// loopback port). Go keeps this machine's caches, so builds stay warm.
func isolatedEnv(t *testing.T, home string) []string {
	t.Helper()
	env := []string{"HOME=" + home, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY="}
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
		out, err := exec.Command("go", "env", name).Output() //nolint:gosec // G204: go env with this test's own variable names
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		env = append(env, name+"="+strings.TrimSpace(string(out)))
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "GO"),
			strings.HasSuffix(strings.ToUpper(name), "_PROXY"), name == "XDG_DATA_HOME", name == "XDG_DATA_DIRS",
			name == "MAKEFLAGS", name == "MFLAGS", name == "MAKELEVEL", name == "VERSION", name == "PROVIDERS",
			name == "PLUGIN_DIR", name == "PLUGIN_HOST", name == "SOURCE", name == "TARGETS", name == "CGO_ENABLED":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// requireAccTools skips the test unless TF_ACC is set and make and terraform are at hand, and
// returns their paths.
func requireAccTools(t *testing.T) (makeBin, terraform string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (it runs make and terraform)")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the GNUmakefile's targets need a Unix shell")
	}
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not on PATH")
	}
	terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set")
		}
	}
	return makeBin, terraform
}

// copyCheckout copies the repository at root to dir as a checkout without its git metadata and
// without build output or local state.
func copyCheckout(t *testing.T, root, dir string) {
	t.Helper()
	skip := map[string]bool{".git": true, "bin": true, "dist": true, ".local": true, ".demo": true, ".bench": true}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if (skip[rel] && !strings.Contains(rel, string(filepath.Separator))) || d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o750)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path) //nolint:gosec // G304: the repository's own files
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, info.Mode().Perm()) //nolint:gosec // G306: a copy keeps the file's mode (scripts stay executable)
	})
	if err != nil {
		t.Fatalf("copying the checkout to %s: %v", dir, err)
	}
}

func sha256Of(t *testing.T, b []byte) string {
	t.Helper()
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path) //nolint:gosec // G304: the test's own files
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zipEntry returns the content of the zip's only file, which must be named entry.
func zipEntry(t *testing.T, path, entry string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	if len(zr.File) != 1 || zr.File[0].Name != entry {
		t.Fatalf("%s holds %d files, want just %s", path, len(zr.File), entry)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The GNUmakefile builds every binary one way (GO_BUILD: -trimpath, -buildvcs=false,
// CGO_ENABLED=0, an empty GOFLAGS, -s -w and the version through -X main.version), and
// .goreleaser.yml, which cannot read the GNUmakefile, must say the same in its own syntax.
func TestGoreleaserBuildsLikeMake(t *testing.T) {
	root := filepath.Join("..", "..")
	makefile := string(readFile(t, filepath.Join(root, "GNUmakefile")))
	flags := regexp.MustCompile(`(?m)^GO_BUILD_FLAGS := (.+)$`).FindStringSubmatch(makefile)
	ldflags := regexp.MustCompile(`(?m)^GO_LDFLAGS = (.+)$`).FindStringSubmatch(makefile)
	build := regexp.MustCompile(`(?m)^GO_BUILD = (.+)$`).FindStringSubmatch(makefile)
	if flags == nil || ldflags == nil || build == nil {
		t.Fatal("the GNUmakefile lacks GO_BUILD_FLAGS, GO_LDFLAGS or GO_BUILD")
	}
	for _, want := range []string{"CGO_ENABLED=0 ", "GOFLAGS= ", "$(GO_BUILD_FLAGS)", `-ldflags "$(GO_LDFLAGS)"`} {
		if !strings.Contains(build[1], want) {
			t.Errorf("GO_BUILD = %s lacks %s", build[1], want)
		}
	}

	// The anchored first build, which the other types' builds merge in.
	goreleaser := string(readFile(t, filepath.Join(root, ".goreleaser.yml")))
	start := strings.Index(goreleaser, "  - &build\n")
	end := strings.Index(goreleaser, "  - <<: *build")
	if start < 0 || end < start {
		t.Fatal(".goreleaser.yml has no anchored build (- &build) before the merged ones (- <<: *build)")
	}
	lists := map[string][]string{}
	var key string
	sc := bufio.NewScanner(strings.NewReader(goreleaser[start:end]))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     ") && strings.HasSuffix(line, ":"):
			key = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case strings.HasPrefix(line, "      - "):
			lists[key] = append(lists[key], strings.TrimPrefix(line, "      - "))
		case strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     "):
			key = ""
		}
	}
	if got, want := strings.Join(lists["flags"], " "), flags[1]; got != want {
		t.Errorf(".goreleaser.yml's flags are %q, the GNUmakefile's GO_BUILD_FLAGS %q", got, want)
	}
	if got, want := strings.Join(lists["ldflags"], " "), strings.ReplaceAll(ldflags[1], "$(VERSION)", "{{ .Version }}"); got != want {
		t.Errorf(".goreleaser.yml's ldflags are %q, want the GNUmakefile's GO_LDFLAGS %q", got, want)
	}
	for _, want := range []string{"CGO_ENABLED=0", "GOFLAGS="} {
		if !strings.Contains(strings.Join(lists["env"], "\n")+"\n", want+"\n") {
			t.Errorf(".goreleaser.yml's env %q lacks %s", lists["env"], want)
		}
	}

	// release-snapshot builds through the GNUmakefile, not with flags of its own.
	script := string(readFile(t, filepath.Join(root, "scripts", "release-snapshot.sh")))
	if !strings.Contains(script, "make --no-print-directory -s binary") || strings.Contains(script, "go build -") {
		t.Error("scripts/release-snapshot.sh must build with make binary, not go build flags of its own")
	}
}

// Two machines that check the repository out at different paths build byte-identical providers
// with make build, make install and make release-snapshot, so a lock file written on one
// works on the other and for the release zips, in both directions; a binary of other bytes is
// refused (the check this rests on is real). No binary holds a machine path, and no @caller of
// the provider's DEBUG log does.
func TestAccReproducibleBuilds(t *testing.T) {
	makeBin, terraform := requireAccTools(t)
	if testing.Short() {
		t.Skip("builds the providers from two copies of the checkout and a release snapshot (CI runs it)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	version := strings.TrimSpace(string(readFile(t, filepath.Join(root, "VERSION"))))
	osArch := runtime.GOOS + "_" + runtime.GOARCH
	types := []string{"iam", "trro", "yunxiao"}

	// Alice's laptop and a CI runner: different checkout paths and homes.
	tmp := t.TempDir()
	checkoutA := filepath.Join(tmp, "alice", "src", "projectkit")
	checkoutB := filepath.Join(tmp, "runner", "_work", "infra", "checkout", "terraform-provider-projectkit")
	homeA, homeB := filepath.Join(tmp, "home-alice"), filepath.Join(tmp, "home-runner")
	for _, dir := range []string{homeA, homeB} {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	copyCheckout(t, root, checkoutA)
	copyCheckout(t, root, checkoutB)
	runMake := func(home, dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(makeBin, append([]string{"--no-print-directory", "-C", dir}, args...)...) //nolint:gosec // G204: make from PATH with the test's arguments
		cmd.Env = isolatedEnv(t, home)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
		}
	}
	runMake(homeA, checkoutA, "install")
	runMake(homeB, checkoutB, "install")
	// This platform only: every other one costs a cross-compilation of everything, and the
	// lock below records other platforms from their zips all the same.
	runMake(homeA, checkoutA, "release-snapshot", "TARGETS="+osArch)

	installed := func(home, typ string) string {
		return filepath.Join(home, ".terraform.d", "plugins", "registry.terraform.io", "projectkit", typ, version, osArch, "terraform-provider-"+typ+"_v"+version)
	}
	binaries := map[string][]byte{
		"make build (A)":   readFile(t, filepath.Join(checkoutA, "bin", "terraform-provider-trro")),
		"make build (B)":   readFile(t, filepath.Join(checkoutB, "bin", "terraform-provider-trro")),
		"make install (A)": readFile(t, installed(homeA, "trro")),
		"make install (B)": readFile(t, installed(homeB, "trro")),
		"release zip (A)": zipEntry(t, filepath.Join(checkoutA, "dist", "terraform-provider-trro_"+version+"_"+osArch+".zip"),
			"terraform-provider-trro_v"+version),
	}
	want := sha256Of(t, binaries["make install (A)"])
	for what, b := range binaries {
		if got := sha256Of(t, b); got != want {
			t.Errorf("%s: sha256 %s, make install (A): %s", what, got, want)
		}
	}
	t.Logf("every build of terraform-provider-trro %s for %s: sha256 %s", version, osArch, want)

	// No machine path: not the checkouts', not Go's, not the homes'.
	var machinePaths []string
	for _, name := range []string{"GOROOT", "GOMODCACHE", "GOPATH", "GOCACHE"} {
		out, err := exec.Command("go", "env", name).Output() //nolint:gosec // G204: go env with this test's own variable names
		if err != nil {
			t.Fatal(err)
		}
		if p := strings.TrimSpace(string(out)); p != "" {
			machinePaths = append(machinePaths, p)
		}
	}
	machinePaths = append(machinePaths, root, checkoutA, checkoutB, tmp)
	if h, err := os.UserHomeDir(); err == nil && len(h) > 1 {
		machinePaths = append(machinePaths, h+string(filepath.Separator))
	}
	for _, p := range machinePaths {
		if bytes.Contains(binaries["make install (A)"], []byte(p)) {
			t.Errorf("the provider binary holds the machine path %s", p)
		}
	}

	// A configuration that requires all three, as a team commits it; its trro data source calls
	// a TRRO mock, so that the DEBUG log below has the provider's own API log lines.
	api := httptest.NewServer(trroAPI())
	t.Cleanup(api.Close)
	config := `
terraform {
  required_version = ">= 1.5"
  required_providers {
    trro    = { source = "projectkit/trro", version = "` + version + `" }
    iam     = { source = "projectkit/iam", version = "` + version + `" }
    yunxiao = { source = "projectkit/yunxiao", version = "` + version + `" }
  }
}

provider "trro" {
  region     = "ap-guangzhou"
  endpoint   = "` + api.URL + `"
  secret_id  = "` + trroSecretID + `"
  secret_key = "` + trroSecretKey + `"
}

data "trro_projects" "all" {}
`
	tfIn := func(dir string, env []string, args ...string) (string, error) {
		cmd := exec.Command(terraform, args...) //nolint:gosec // G204: the terraform the test environment names
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	repo := func(lock []byte) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		if lock != nil {
			if err := os.WriteFile(filepath.Join(dir, ".terraform.lock.hcl"), lock, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	envA, envB := isolatedEnv(t, homeA), isolatedEnv(t, homeB)

	// Alice writes the lock file with her make install; the runner's make install satisfies it.
	dirA := repo(nil)
	if out, err := tfIn(dirA, envA, "init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform init on A: %v\n%s", err, out)
	}
	lockA := readFile(t, filepath.Join(dirA, ".terraform.lock.hcl"))
	dirB := repo(lockA)
	if out, err := tfIn(dirB, envB, "init", "-input=false", "-no-color"); err != nil {
		t.Errorf("terraform init on B with A's lock file: %v\n%s\n%s", err, out, lockA)
	}
	if got := readFile(t, filepath.Join(dirB, ".terraform.lock.hcl")); !bytes.Equal(got, lockA) {
		t.Errorf("terraform init on B changed A's lock file:\n%s\nwas:\n%s", got, lockA)
	}

	// The lock file of the release zips (a packed filesystem mirror, every platform of the lock)
	// serves make install users, and A's lock file serves users of the zips.
	mirror := filepath.Join(tmp, "mirror")
	for _, typ := range types {
		dir := filepath.Join(mirror, "registry.terraform.io", "projectkit", typ)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		name := "terraform-provider-" + typ + "_" + version + "_" + osArch + ".zip"
		if err := copyFile(filepath.Join(checkoutA, "dist", name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	homeZ := filepath.Join(tmp, "home-zips")
	if err := os.MkdirAll(homeZ, 0o750); err != nil {
		t.Fatal(err)
	}
	envZ := isolatedEnv(t, homeZ)
	dirZ := repo(nil)
	if out, err := tfIn(dirZ, envZ, "providers", "lock", "-no-color", "-fs-mirror="+mirror, "-platform="+osArch); err != nil {
		t.Fatalf("terraform providers lock -fs-mirror against the release zips: %v\n%s", err, out)
	}
	lockZ := readFile(t, filepath.Join(dirZ, ".terraform.lock.hcl"))
	if out, err := tfIn(repo(lockZ), envB, "init", "-input=false", "-no-color"); err != nil {
		t.Errorf("terraform init from make install with the release zips' lock file: %v\n%s\n%s", err, out, lockZ)
	}
	cliConfig := filepath.Join(homeZ, "zips.tfrc")
	if err := os.WriteFile(cliConfig, []byte(`provider_installation {
  filesystem_mirror {
    path = "`+filepath.ToSlash(mirror)+`"
  }
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := tfIn(repo(lockA), append(envZ, "TF_CLI_CONFIG_FILE="+cliConfig), "init", "-input=false", "-no-color"); err != nil {
		t.Errorf("terraform init from the release zips with make install's lock file: %v\n%s\n%s", err, out, lockA)
	}

	// Other bytes under the same version are refused: the check above is real.
	homeC := filepath.Join(tmp, "home-other-build")
	for _, typ := range types {
		b := readFile(t, installed(homeA, typ))
		if typ == "trro" {
			b = append(b, 0)
		}
		if err := os.MkdirAll(filepath.Dir(installed(homeC, typ)), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(installed(homeC, typ), b, 0o700); err != nil { //nolint:gosec // G306: a provider must be executable
			t.Fatal(err)
		}
	}
	if out, err := tfIn(repo(lockA), isolatedEnv(t, homeC), "init", "-input=false", "-no-color"); err == nil {
		t.Errorf("terraform init accepted a different trro binary under A's lock file:\n%s", out)
	} else if !strings.Contains(out, "projectkit/trro") || !strings.Contains(out, "checksums") {
		t.Errorf("terraform init refused a different binary without naming trro's checksums:\n%s", out)
	}

	// The provider's DEBUG log: every @caller names a module path, never a file on this machine.
	out, err := tfIn(dirA, append(envA, "TF_LOG=DEBUG"), "plan", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("terraform plan with TF_LOG=DEBUG: %v\n%s", err, out)
	}
	caller := regexp.MustCompile(`"@caller":\s*"([^"]*)"|@caller=(\S+)`)
	var callers, own int
	for _, m := range caller.FindAllStringSubmatch(out, -1) {
		c := m[1] + m[2]
		callers++
		if strings.HasPrefix(c, "github.com/projectkit/") {
			own++
		}
		if filepath.IsAbs(c) {
			t.Errorf("a DEBUG log line's @caller is a machine path: %s", c)
		}
		for _, p := range machinePaths {
			if strings.Contains(c, p) {
				t.Errorf("a DEBUG log line's @caller holds the machine path %s: %s", p, c)
			}
		}
	}
	if callers == 0 || own == 0 {
		t.Errorf("the DEBUG log has %d @caller fields, %d of them the provider's own code; want some of each:\n%s", callers, own, out)
	}
}
