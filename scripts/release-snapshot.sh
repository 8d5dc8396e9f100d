#!/usr/bin/env bash
# make release-snapshot: the release .goreleaser.yml describes, built locally with plain
# `go build` and nothing published. For each provider type in the GNUmakefile's PROVIDERS and
# each of linux, darwin, windows x amd64, arm64, dist/ gets
#
#   terraform-provider-<type>_<version>_<os>_<arch>.zip   holding terraform-provider-<type>_v<version>[.exe]
#   terraform-provider-<type>_<version>_manifest.json     the registry manifest
#   terraform-provider-<type>_<version>_SHA256SUMS        checksums of the above
#   terraform-provider-<type>_<version>_SHA256SUMS.sig    with GPG_FINGERPRINT set: its detached signature
#
# The program is compiled once per platform (every type is the same program, see main.go) by the
# GNUmakefile's binary target, with the flags of make build and make install (-trimpath,
# -buildvcs=false, CGO_ENABLED=0, -ldflags "-s -w -X main.version=<version>"), so the binary in a
# zip is byte for byte the one make install puts in place for that version and platform, and one
# lock file serves both; tools/releasepkg zips it under each type's name. VERSION, PROVIDERS
# and TARGETS (<os>_<arch> ..., default all six) can be overridden: VERSION=0.3.0 make release-snapshot.
# GPG_FINGERPRINT=<key id or fingerprint> signs each SHA256SUMS with that key from gpg's keyring
# (GNUPGHOME), as the Terraform registry requires; see docs/publishing.md.
# NETWORK_MIRROR=<dir> also lays the zips out there as a provider network mirror (index.json and
# <version>.json per type, added to what the directory holds), ready to serve over HTTPS.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${VERSION:-$(make --no-print-directory -s print-version)}
version=${version#v}
read -r -a types <<<"${PROVIDERS:-$(make --no-print-directory -s print-providers)}"
read -r -a targets <<<"${TARGETS:-linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64}"

[ -n "$version" ] || { echo "error: no version" >&2; exit 1; }
[ "${#types[@]}" -gt 0 ] || { echo "error: no provider types" >&2; exit 1; }
[ "${#targets[@]}" -gt 0 ] || { echo "error: no targets" >&2; exit 1; }
sign=()
if [ -n "${GPG_FINGERPRINT:-}" ]; then
  command -v gpg >/dev/null 2>&1 || { echo "error: GPG_FINGERPRINT is set but gpg (GnuPG) is not on PATH" >&2; exit 1; }
  # Fail before the builds, not after them, when the key is not in the keyring.
  gpg --batch --list-secret-keys "$GPG_FINGERPRINT" >/dev/null 2>&1 ||
    { echo "error: gpg has no secret key $GPG_FINGERPRINT (GNUPGHOME=${GNUPGHOME:-~/.gnupg})" >&2; exit 1; }
  sign=(-gpg-key "$GPG_FINGERPRINT")
fi
mirror=()
if [ -n "${NETWORK_MIRROR:-}" ]; then
  mkdir -p "$NETWORK_MIRROR"
  mirror=(-network-mirror "$(cd "$NETWORK_MIRROR" && pwd)")
fi

rm -rf dist
mkdir -p dist/.build
echo "==> release snapshot $version of ${types[*]} for ${targets[*]}"
for target in "${targets[@]}"; do
  goos=${target%_*}
  goarch=${target#*_}
  exe=terraform-provider-projectkit
  [ "$goos" = windows ] && exe+=.exe
  echo "    go build $goos/$goarch"
  # MAKEFLAGS cleared: a make release-snapshot VERSION=v1.2.3 must not pass its v-prefixed VERSION on.
  MAKEFLAGS= GOOS=$goos GOARCH=$goarch make --no-print-directory -s binary VERSION="$version" OUT="dist/.build/$target/$exe"
done

# Zips, manifests and SHA256SUMS per type; releasepkg then checks the layout it wrote (every
# checksum verifies, each zip holds just terraform-provider-<type>_v<version>[.exe]) and, with a
# key, signs each SHA256SUMS and checks the signature with gpg --verify.
go run ./tools/releasepkg -builds dist/.build -dist dist -version "$version" \
  -manifest terraform-registry-manifest.json "${sign[@]}" "${mirror[@]}" "${types[@]}" >/dev/null
for type in "${types[@]}"; do
  for target in "${targets[@]}"; do
    zip=dist/terraform-provider-${type}_${version}_$target.zip
    [ -f "$zip" ] || { echo "error: $zip is missing" >&2; exit 1; }
  done
done

host=$(go env GOOS)_$(go env GOARCH)
if [ -d "dist/.build/$host" ] && [ "$(go env GOOS)" != windows ]; then
  for type in "${types[@]}"; do
    # A provider run by hand (not by Terraform) says so and exits 1; a name main.go does not
    # serve exits 2 instead, which would mean a release nobody can use.
    bin=dist/.build/$host/terraform-provider-${type}_v$version
    cp "dist/.build/$host/terraform-provider-projectkit" "$bin"
    set +e
    "$bin" >/dev/null 2>&1
    code=$?
    set -e
    rm -f "$bin"
    [ "$code" -ne 2 ] || { echo "error: the binary does not serve the provider type '$type' (main.go's providers map)" >&2; exit 1; }
  done
fi
rm -rf dist/.build

ls -1 dist
[ "${#mirror[@]}" -eq 0 ] || echo "==> $NETWORK_MIRROR holds the network mirror of ${types[*]} $version"
if [ "${#sign[@]}" -gt 0 ]; then
  echo "==> dist/ holds the registry layout for ${types[*]} $version, SHA256SUMS signed by $GPG_FINGERPRINT"
else
  echo "==> dist/ holds the registry layout for ${types[*]} $version (unsigned: set GPG_FINGERPRINT to sign SHA256SUMS)"
fi
