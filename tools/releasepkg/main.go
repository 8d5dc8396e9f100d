// Command releasepkg packages cross-compiled provider binaries the way the Terraform registry
// expects a release, as goreleaser does with .goreleaser.yml, for scripts/release-snapshot.sh:
//
//	dist/terraform-provider-<type>_<version>_<os>_<arch>.zip   (holds terraform-provider-<type>_v<version>[.exe])
//	dist/terraform-provider-<type>_<version>_manifest.json     (a copy of terraform-registry-manifest.json)
//	dist/terraform-provider-<type>_<version>_SHA256SUMS        (the zips and the manifest)
//	dist/terraform-provider-<type>_<version>_SHA256SUMS.sig    (with -gpg-key: gpg's detached binary signature)
//
// and, with -network-mirror dir, the same zips laid out as a provider network mirror (the JSON
// files of Terraform's provider network mirror protocol beside the zips), to serve over HTTPS:
//
//	dir/registry.terraform.io/projectkit/<type>/index.json
//	dir/registry.terraform.io/projectkit/<type>/<version>.json
//	dir/registry.terraform.io/projectkit/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip
//
// One program serves every provider type (main.go picks the type from the executable's name), so
// each target's single binary goes into every type's zip under that type's name.
//
//	go run ./tools/releasepkg -builds dist/.build -dist dist -version 0.2.0 -manifest terraform-registry-manifest.json trro iam yunxiao
//
// where dist/.build/<os>_<arch>/ holds the binary for that target (any one file). With
// -gpg-key <key id or fingerprint> it signs each SHA256SUMS with gpg (GNUPGHOME as usual), as the
// Terraform registry requires, and checks each signature with gpg --verify.
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	builds := flag.String("builds", "dist/.build", "directory with one <os>_<arch>/ subdirectory per target, each holding the built binary")
	dist := flag.String("dist", "dist", "output directory")
	version := flag.String("version", "", "release version without the leading v, such as 0.2.0")
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the registry manifest to publish with each provider")
	gpgKey := flag.String("gpg-key", "", "sign each SHA256SUMS with this GPG key (id, fingerprint or user id) into SHA256SUMS.sig")
	mirror := flag.String("network-mirror", "", "also lay the zips out as a provider network mirror in this directory (adds to what it holds)")
	mirrorHost := flag.String("mirror-hostname", "registry.terraform.io", "the registry hostname of the providers' source address, for -network-mirror")
	namespace := flag.String("namespace", "projectkit", "the providers' namespace, for -network-mirror")
	flag.Parse()
	if *version == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: releasepkg -version X.Y.Z [-builds dir] [-dist dir] [-manifest file] [-gpg-key id] <type>...")
		os.Exit(2)
	}
	files, err := Package(*builds, *dist, *version, *manifest, flag.Args())
	if err == nil {
		err = Verify(*dist, *version, flag.Args())
	}
	if err == nil && *gpgKey != "" {
		var sigs []string
		sigs, err = Sign(*dist, *version, flag.Args(), *gpgKey)
		files = append(files, sigs...)
		sort.Strings(files)
	}
	if err == nil && *mirror != "" {
		var mirrored []string
		mirrored, err = NetworkMirror(*dist, *mirror, *mirrorHost, *namespace, *version, flag.Args())
		for _, f := range mirrored {
			fmt.Println(f)
		}
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

// mirrorVersion is a <version>.json of the provider network mirror protocol.
type mirrorVersion struct {
	Archives map[string]mirrorArchive `json:"archives"`
}

type mirrorArchive struct {
	URL    string   `json:"url"`
	Hashes []string `json:"hashes"`
}

// NetworkMirror copies each type's zips from distDir into mirrorDir/<hostname>/<namespace>/<type>/
// and writes the provider network mirror protocol's <version>.json (each platform's zip, by a
// relative URL, with its "zh:" hash: the SHA-256 from SHA256SUMS) and index.json (adding
// version to the versions already there). It returns the paths it wrote, sorted.
func NetworkMirror(distDir, mirrorDir, hostname, namespace, version string, types []string) ([]string, error) {
	var written []string
	for _, typ := range types {
		prefix := fmt.Sprintf("terraform-provider-%s_%s_", typ, version)
		sums, err := os.ReadFile(filepath.Join(distDir, prefix+"SHA256SUMS"))
		if err != nil {
			return nil, err
		}
		dir := filepath.Join(mirrorDir, hostname, namespace, typ)
		if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // G301: a mirror is public
			return nil, err
		}
		doc := mirrorVersion{Archives: map[string]mirrorArchive{}}
		for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
			sum, name, ok := strings.Cut(line, "  ")
			if !ok || !strings.HasSuffix(name, ".zip") {
				continue
			}
			osArch := strings.TrimSuffix(strings.TrimPrefix(name, prefix), ".zip")
			if got, err := sha256File(distDir, name); err != nil {
				return nil, err
			} else if got != sum {
				return nil, fmt.Errorf("%sSHA256SUMS: wrong checksum for %s", prefix, name)
			}
			if err := copyFile(filepath.Join(distDir, name), filepath.Join(dir, name)); err != nil {
				return nil, err
			}
			doc.Archives[osArch] = mirrorArchive{URL: name, Hashes: []string{"zh:" + sum}}
			written = append(written, filepath.Join(dir, name))
		}
		if len(doc.Archives) == 0 {
			return nil, fmt.Errorf("%sSHA256SUMS lists no zips", prefix)
		}
		if err := writeJSON(filepath.Join(dir, version+".json"), doc); err != nil {
			return nil, err
		}
		index := struct {
			Versions map[string]struct{} `json:"versions"`
		}{Versions: map[string]struct{}{}}
		indexPath := filepath.Join(dir, "index.json")
		if b, err := os.ReadFile(indexPath); err == nil { //nolint:gosec // G304: the mirror this run writes
			if err := json.Unmarshal(b, &index); err != nil {
				return nil, fmt.Errorf("%s: %w", indexPath, err)
			}
			if index.Versions == nil {
				index.Versions = map[string]struct{}{}
			}
		}
		index.Versions[version] = struct{}{}
		if err := writeJSON(indexPath, index); err != nil {
			return nil, err
		}
		written = append(written, filepath.Join(dir, version+".json"), indexPath)
	}
	sort.Strings(written)
	return written, nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644) //nolint:gosec // G306: a mirror is public
}

func copyFile(from, to string) (err error) {
	in, err := os.Open(filepath.Clean(from)) //nolint:gosec // G703: paths of the release build, chosen by the Makefile
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.Create(filepath.Clean(to)) //nolint:gosec // G703: paths of the release build, chosen by the Makefile
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}

// GPG is the gpg program Sign runs.
var GPG = "gpg"

// Sign writes each type's detached binary signature of its SHA256SUMS, as the Terraform registry
// expects it (terraform-provider-<type>_<version>_SHA256SUMS.sig, what `gpg --detach-sign`
// writes), with key from the keyring in GNUPGHOME, then checks it with `gpg --verify`. It returns
// the names of the signatures, sorted.
func Sign(distDir, version string, types []string, key string) ([]string, error) {
	if key == "" {
		return nil, errors.New("no GPG key to sign with")
	}
	if _, err := exec.LookPath(GPG); err != nil {
		return nil, fmt.Errorf("signing SHA256SUMS needs gpg (GnuPG): %w", err)
	}
	var sigs []string
	for _, typ := range types {
		sums := filepath.Join(distDir, fmt.Sprintf("terraform-provider-%s_%s_SHA256SUMS", typ, version))
		if _, err := os.Stat(sums); err != nil {
			return nil, err
		}
		sig := sums + ".sig"
		if err := runGPG("--batch", "--yes", "--local-user", key, "--output", sig, "--detach-sign", sums); err != nil {
			return nil, fmt.Errorf("signing %s with key %s: %w", filepath.Base(sums), key, err)
		}
		if err := runGPG("--batch", "--verify", sig, sums); err != nil {
			return nil, fmt.Errorf("the signature %s does not verify: %w", filepath.Base(sig), err)
		}
		sigs = append(sigs, filepath.Base(sig))
	}
	sort.Strings(sigs)
	return sigs, nil
}

// runGPG runs gpg with args; its error carries gpg's messages.
func runGPG(args ...string) error {
	var out bytes.Buffer
	cmd := exec.Command(GPG, args...) //nolint:gosec // G204: gpg with this program's own arguments
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(out.String()))
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
