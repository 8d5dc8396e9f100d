package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The layout the registry expects, from stand-in binaries: fast, so it runs with the unit tests.
func TestPackageRegistryLayout(t *testing.T) {
	tmp := t.TempDir()
	builds := filepath.Join(tmp, "build")
	for _, target := range []string{"linux_amd64", "windows_arm64"} {
		dir := filepath.Join(builds, target)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "terraform-provider-projectkit"), []byte("binary for "+target), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	manifest := filepath.Join(tmp, "terraform-registry-manifest.json")
	if err := os.WriteFile(manifest, []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(tmp, "dist")

	written, err := Package(builds, dist, "1.2.3", manifest, []string{"trro", "iam"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"terraform-provider-iam_1.2.3_SHA256SUMS",
		"terraform-provider-iam_1.2.3_linux_amd64.zip",
		"terraform-provider-iam_1.2.3_manifest.json",
		"terraform-provider-iam_1.2.3_windows_arm64.zip",
		"terraform-provider-trro_1.2.3_SHA256SUMS",
		"terraform-provider-trro_1.2.3_linux_amd64.zip",
		"terraform-provider-trro_1.2.3_manifest.json",
		"terraform-provider-trro_1.2.3_windows_arm64.zip",
	}
	if !reflect.DeepEqual(written, want) {
		t.Fatalf("wrote %q, want %q", written, want)
	}

	for zipName, entry := range map[string]string{
		"terraform-provider-trro_1.2.3_linux_amd64.zip":  "terraform-provider-trro_v1.2.3",
		"terraform-provider-iam_1.2.3_windows_arm64.zip": "terraform-provider-iam_v1.2.3.exe",
	} {
		zr, err := zip.OpenReader(filepath.Join(dist, zipName))
		if err != nil {
			t.Fatal(err)
		}
		if len(zr.File) != 1 || zr.File[0].Name != entry {
			t.Errorf("%s holds %v, want just %s", zipName, zr.File, entry)
		} else if mode := zr.File[0].Mode(); mode&0o111 == 0 {
			t.Errorf("%s: %s is not executable (%v)", zipName, entry, mode)
		}
		_ = zr.Close()
	}

	sums, err := os.ReadFile(filepath.Join(dist, "terraform-provider-trro_1.2.3_SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(sums)), "\n")
	if len(lines) != 3 {
		t.Fatalf("trro SHA256SUMS has %d lines, want 3 (two zips and the manifest):\n%s", len(lines), sums)
	}
	for _, line := range lines {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || !strings.HasPrefix(name, "terraform-provider-trro_1.2.3_") {
			t.Errorf("SHA256SUMS line %q is not `<sha256>  terraform-provider-trro_1.2.3_...`", line)
			continue
		}
		b, err := fs.ReadFile(os.DirFS(dist), name)
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("SHA256SUMS has the wrong sum for %s", name)
		}
	}

	if err := Verify(dist, "1.2.3", []string{"trro", "iam"}); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dist, "terraform-provider-iam_1.2.3_manifest.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dist, "1.2.3", []string{"iam"}); err == nil || !strings.Contains(err.Error(), "wrong checksum") {
		t.Errorf("Verify of a changed manifest: %v, want a wrong checksum error", err)
	}

	// Packaging the same binaries again gives the same bytes (fixed zip timestamps).
	if _, err := Package(builds, dist, "1.2.3", manifest, []string{"trro"}); err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(filepath.Join(dist, "terraform-provider-trro_1.2.3_SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(sums) {
		t.Errorf("repackaging changed the checksums:\n%s\nthen\n%s", sums, again)
	}

	if _, err := Package(builds, dist, "v1.2.3", manifest, []string{"trro"}); err == nil {
		t.Error("a version with a leading v was accepted")
	}
}
