package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The SHA256SUMS signature verifies with nothing but the public key, as the registry and
// terraform init check it: a throwaway RSA key (the registry takes RSA and DSA keys) signs in one
// keyring, and a second keyring that holds only the exported public key verifies. Needs gpg;
// skipped with a message where it is not installed.
func TestSignSHA256SUMS(t *testing.T) {
	gpg, err := exec.LookPath("gpg")
	if err != nil {
		t.Skip("gpg (GnuPG) is not installed, so the release signature cannot be checked here; install gnupg to run this test")
	}
	tmp := t.TempDir()
	builds := filepath.Join(tmp, "build", "linux_amd64")
	if err := os.MkdirAll(builds, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(builds, "terraform-provider-projectkit"), []byte("stand-in binary"), 0o600); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(tmp, "manifest.json")
	if err := os.WriteFile(manifest, []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(tmp, "dist")
	if _, err := Package(filepath.Dir(builds), dist, "0.2.0", manifest, []string{"trro", "iam"}); err != nil {
		t.Fatal(err)
	}

	// The signer's keyring, with a throwaway key without passphrase.
	signer := gnupgHome(t, gpg)
	run(t, gpg, "--batch", "--passphrase", "", "--quick-generate-key", "projectkit release test <release-test@example.invalid>", "rsa2048", "sign", "1d")
	fingerprint := ""
	for _, line := range strings.Split(run(t, gpg, "--batch", "--with-colons", "--list-secret-keys"), "\n") {
		if f := strings.Split(line, ":"); f[0] == "fpr" && len(f) > 9 {
			fingerprint = f[9]
			break
		}
	}
	if fingerprint == "" {
		t.Fatal("gpg listed no fingerprint for the throwaway key")
	}
	publicKey := filepath.Join(tmp, "public.asc")
	run(t, gpg, "--batch", "--armor", "--output", publicKey, "--export", fingerprint)

	sigs, err := Sign(dist, "0.2.0", []string{"trro", "iam"}, fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"terraform-provider-iam_0.2.0_SHA256SUMS.sig", "terraform-provider-trro_0.2.0_SHA256SUMS.sig"}
	if strings.Join(sigs, " ") != strings.Join(want, " ") {
		t.Fatalf("Sign wrote %q, want %q", sigs, want)
	}
	sig := filepath.Join(dist, "terraform-provider-trro_0.2.0_SHA256SUMS.sig")
	sums := filepath.Join(dist, "terraform-provider-trro_0.2.0_SHA256SUMS")
	b, err := os.ReadFile(sig) //nolint:gosec // G304: the test's own file
	if err != nil {
		t.Fatal(err)
	}
	// The registry wants the binary form, not ASCII armor.
	if strings.HasPrefix(string(b), "-----BEGIN") {
		t.Errorf("%s is ASCII-armored; the registry expects a binary detached signature", filepath.Base(sig))
	}

	// A verifier that knows only the public key, as the registry does.
	gnupgHome(t, gpg)
	run(t, gpg, "--batch", "--import", publicKey)
	if out, err := exec.Command(gpg, "--batch", "--status-fd", "1", "--verify", sig, sums).CombinedOutput(); err != nil { //nolint:gosec // G204: the test's own gpg call
		t.Fatalf("gpg --verify with the public key alone failed: %v\n%s", err, out)
	} else if !strings.Contains(string(out), "[GNUPG:] VALIDSIG "+fingerprint) {
		t.Errorf("gpg --verify did not report a valid signature by %s:\n%s", fingerprint, out)
	}

	// A changed SHA256SUMS no longer verifies.
	if err := os.WriteFile(sums, []byte("0000  terraform-provider-trro_0.2.0_linux_amd64.zip\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gpg, "--batch", "--verify", sig, sums).CombinedOutput(); err == nil { //nolint:gosec // G204: the test's own gpg call
		t.Errorf("gpg --verify accepted a changed SHA256SUMS:\n%s", out)
	}

	// Signing with a key the keyring lacks fails and says which key.
	t.Setenv("GNUPGHOME", signer)
	if _, err := Sign(dist, "0.2.0", []string{"trro"}, "0000000000000000000000000000000000000000"); err == nil || !strings.Contains(err.Error(), "0000000000000000000000000000000000000000") {
		t.Errorf("Sign with an unknown key: %v, want an error naming the key", err)
	}
}

// gnupgHome points GNUPGHOME at a fresh keyring for the rest of the test and stops the gpg-agent
// gpg starts there when the test ends. It returns the directory.
func gnupgHome(t *testing.T, gpg string) string {
	t.Helper()
	// gpg-agent's socket path must stay short (about 100 bytes), so not under a long TMPDIR.
	dir, err := os.MkdirTemp("/tmp", "pkgpg") //nolint:usetesting // t.TempDir's path can be too long for gpg-agent's socket
	if err != nil {
		dir, err = os.MkdirTemp("", "pkgpg") //nolint:usetesting // as above
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		kill := exec.Command(filepath.Join(filepath.Dir(gpg), "gpgconf"), "--kill", "all") //nolint:gosec // G204: gpgconf beside the gpg found on PATH
		kill.Env = append(os.Environ(), "GNUPGHOME="+dir)
		_ = kill.Run()
		_ = os.RemoveAll(dir)
	})
	t.Setenv("GNUPGHOME", dir)
	return dir
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput() //nolint:gosec // G204: the test's own gpg calls
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
