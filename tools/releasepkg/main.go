// Command releasepkg packages cross-compiled provider binaries the way the Terraform registry
// expects a release, as goreleaser does with .goreleaser.yml, for scripts/release-snapshot.sh:
//
//	dist/terraform-provider-<type>_<version>_<os>_<arch>.zip   (holds terraform-provider-<type>_v<version>[.exe])
//	dist/terraform-provider-<type>_<version>_manifest.json     (a copy of terraform-registry-manifest.json)
//	dist/terraform-provider-<type>_<version>_SHA256SUMS        (the zips and the manifest)
//
// One program serves every provider type (main.go picks the type from the executable's name), so
// each target's single binary goes into every type's zip under that type's name.
//
//	go run ./tools/releasepkg -builds dist/.build -dist dist -version 0.1.0 -manifest terraform-registry-manifest.json trro iam yunxiao
//
// where dist/.build/<os>_<arch>/ holds the binary for that target (any one file).
package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	builds := flag.String("builds", "dist/.build", "directory with one <os>_<arch>/ subdirectory per target, each holding the built binary")
	dist := flag.String("dist", "dist", "output directory")
	version := flag.String("version", "", "release version without the leading v, such as 0.1.0")
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the registry manifest to publish with each provider")
	flag.Parse()
	if *version == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: releasepkg -version X.Y.Z [-builds dir] [-dist dir] [-manifest file] <type>...")
		os.Exit(2)
	}
	files, err := Package(*builds, *dist, *version, *manifest, flag.Args())
	if err == nil {
		err = Verify(*dist, *version, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasepkg:", err)
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Println(filepath.Join(*dist, f))
	}
}

// zipTime is the modification time stored in the zips, so a rebuild of the same binaries gives
// byte-identical archives and checksums.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Package writes every type's zips, manifest copy and SHA256SUMS into dist and returns the names
// of the files it wrote, sorted.
func Package(buildsDir, distDir, version, manifestPath string, types []string) ([]string, error) {
	if strings.HasPrefix(version, "v") {
		return nil, fmt.Errorf("version %q: give it without the leading v", version)
	}
	targets, err := os.ReadDir(buildsDir)
	if err != nil {
		return nil, err
	}
	manifest, err := os.ReadFile(manifestPath)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(distDir, 0o755); err != nil { //nolint:gosec // G301: release files are public
		return nil, err
	}
	var written []string
	for _, typ := range types {
		project := "terraform-provider-" + typ
		var release []string
		for _, target := range targets {
			if !target.IsDir() {
				continue
			}
			osArch := target.Name()
			goos, _, ok := strings.Cut(osArch, "_")
			if !ok {
				return nil, fmt.Errorf("%s: target directories are named <os>_<arch>", filepath.Join(buildsDir, osArch))
			}
			binary, err := onlyFile(filepath.Join(buildsDir, osArch))
			if err != nil {
				return nil, err
			}
			entry := fmt.Sprintf("%s_v%s", project, version)
			if goos == "windows" {
				entry += ".exe"
			}
			name := fmt.Sprintf("%s_%s_%s.zip", project, version, osArch)
			if err := writeZip(filepath.Join(distDir, name), entry, binary); err != nil {
				return nil, err
			}
			release = append(release, name)
		}
		if len(release) == 0 {
			return nil, fmt.Errorf("%s has no <os>_<arch> target directories", buildsDir)
		}
		manifestName := fmt.Sprintf("%s_%s_manifest.json", project, version)
		if err := os.WriteFile(filepath.Join(distDir, manifestName), manifest, 0o644); err != nil { //nolint:gosec // G306: release files are public
			return nil, err
		}
		release = append(release, manifestName)
		sums := fmt.Sprintf("%s_%s_SHA256SUMS", project, version)
		if err := writeSums(distDir, sums, release); err != nil {
			return nil, err
		}
		written = append(written, release...)
		written = append(written, sums)
	}
	sort.Strings(written)
	return written, nil
}

// Verify checks each type's release in distDir as the registry reads it: SHA256SUMS lists the
// manifest and at least one zip, every sum matches, and each zip holds just the binary
// terraform-provider-<type>_v<version> (.exe on windows), executable.
func Verify(distDir, version string, types []string) error {
	for _, typ := range types {
		project := "terraform-provider-" + typ
		prefix := fmt.Sprintf("%s_%s_", project, version)
		sums, err := os.ReadFile(filepath.Join(distDir, prefix+"SHA256SUMS"))
		if err != nil {
			return err
		}
		zips, manifests := 0, 0
		for _, line := range strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n") {
			sum, name, ok := strings.Cut(line, "  ")
			if !ok || !strings.HasPrefix(name, prefix) {
				return fmt.Errorf("%sSHA256SUMS: line %q is not `<sha256>  %s...`", prefix, line, prefix)
			}
			got, err := sha256File(distDir, name)
			if err != nil {
				return err
			}
			if got != sum {
				return fmt.Errorf("%sSHA256SUMS: wrong checksum for %s", prefix, name)
			}
			switch {
			case name == prefix+"manifest.json":
				manifests++
			case strings.HasSuffix(name, ".zip"):
				zips++
				osArch := strings.TrimSuffix(strings.TrimPrefix(name, prefix), ".zip")
				entry := fmt.Sprintf("%s_v%s", project, version)
				if strings.HasPrefix(osArch, "windows_") {
					entry += ".exe"
				}
				if err := checkZip(filepath.Join(distDir, name), entry); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%sSHA256SUMS lists %s, which is neither a zip nor the manifest", prefix, name)
			}
		}
		if zips == 0 || manifests != 1 {
			return fmt.Errorf("%sSHA256SUMS lists %d zips and %d manifests, want some zips and one manifest", prefix, zips, manifests)
		}
	}
	return nil
}

// checkZip checks the zip at path holds exactly entry, executable.
func checkZip(path, entry string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer func() { _ = zr.Close() }()
	if len(zr.File) != 1 || zr.File[0].Name != entry {
		names := make([]string, 0, len(zr.File))
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		return fmt.Errorf("%s holds %q, want just %q", filepath.Base(path), names, entry)
	}
	if zr.File[0].Mode()&0o111 == 0 {
		return fmt.Errorf("%s: %s is not executable", filepath.Base(path), entry)
	}
	return nil
}

// onlyFile returns the one regular file in dir.
func onlyFile(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) != 1 {
		return "", fmt.Errorf("%s: want exactly one binary, found %d files", dir, len(files))
	}
	return files[0], nil
}

// writeZip writes a zip holding binary as entry, executable.
func writeZip(path, entry, binary string) (err error) {
	in, err := os.Open(filepath.Clean(binary))
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.Create(filepath.Clean(path))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := zip.NewWriter(out)
	h := &zip.FileHeader{Name: entry, Method: zip.Deflate, Modified: zipTime}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, in); err != nil {
		return err
	}
	return zw.Close()
}

// writeSums writes "<sha256>  <name>" lines for files in dir, sorted by name, as sha256sum does.
func writeSums(dir, name string, files []string) error {
	sorted := append([]string(nil), files...)
	sort.Strings(sorted)
	var b strings.Builder
	for _, f := range sorted {
		sum, err := sha256File(dir, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, f)
	}
	return os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644) //nolint:gosec // G306: release files are public
}

// sha256File returns the hex SHA-256 of the file name in dir; names cannot leave dir.
func sha256File(dir, name string) (string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", err
	}
	defer func() { _ = root.Close() }()
	f, err := root.Open(name)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
