#!/usr/bin/env bash
# make release-snapshot: the release .goreleaser.yml describes, built locally with plain
# `go build` and nothing published. For each provider type in the GNUmakefile's PROVIDERS and
# each of linux, darwin, windows x amd64, arm64, dist/ gets
#
#   terraform-provider-<type>_<version>_<os>_<arch>.zip   holding terraform-provider-<type>_v<version>[.exe]
#   terraform-provider-<type>_<version>_manifest.json     the registry manifest
#   terraform-provider-<type>_<version>_SHA256SUMS        checksums of the above (unsigned)
#
# The program is compiled once per platform (every type is the same program, see main.go) with
# the version stamped in by -ldflags "-X main.version=<version>"; tools/releasepkg zips it under
# each type's name. VERSION and PROVIDERS can be overridden: VERSION=0.2.0 make release-snapshot.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${VERSION:-$(make --no-print-directory -s print-version)}
version=${version#v}
read -r -a types <<<"${PROVIDERS:-$(make --no-print-directory -s print-providers)}"
targets=(linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64)

[ -n "$version" ] || { echo "error: no version" >&2; exit 1; }
[ "${#types[@]}" -gt 0 ] || { echo "error: no provider types" >&2; exit 1; }

rm -rf dist
mkdir -p dist/.build
echo "==> release snapshot $version of ${types[*]} for ${targets[*]}"
for target in "${targets[@]}"; do
  goos=${target%_*}
  goarch=${target#*_}
  exe=terraform-provider-projectkit
  [ "$goos" = windows ] && exe+=.exe
  echo "    go build $goos/$goarch"
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath \
    -ldflags "-s -w -X main.version=$version" \
    -o "dist/.build/$target/$exe" .
done

# Zips, manifests and SHA256SUMS per type; releasepkg then checks the layout it wrote (every
# checksum verifies, each zip holds just terraform-provider-<type>_v<version>[.exe]).
go run ./tools/releasepkg -builds dist/.build -dist dist -version "$version" \
  -manifest terraform-registry-manifest.json "${types[@]}" >/dev/null
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
echo "==> dist/ holds the registry layout for ${types[*]} $version (unsigned; goreleaser signs SHA256SUMS in a real release)"
