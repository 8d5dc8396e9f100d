#!/usr/bin/env bash
# make testacc-matrix: the acceptance tests of each package against each Terraform or OpenTofu
# binary in TF_BINARIES (names on PATH or paths), one after the other, then a table of version x
# package: passed, skipped (tests that need a newer Terraform, or OpenTofu, name the version they
# found) and failed tests, and the time each run took. The logs and the table (markdown, as
# docs/compatibility.md shows it) stay under .local/testacc-matrix/ (MATRIX_OUT). Exits 1 if any
# run failed.
#
#   make testacc-matrix TF_BINARIES="terraform /work/tfbin/terraform-1.14 /work/tfbin/tofu-1.10"
#
# Nothing here downloads a binary: each must exist. OpenTofu is recognised by its version line;
# the tests then serve the providers under registry.opentofu.org (TF_ACC_PROVIDER_HOST).
set -uo pipefail
cd "$(dirname "$0")/.."

binaries=${TF_BINARIES:-terraform}
packages=${MATRIX_PACKAGES:-./internal/trro ./internal/iam ./internal/yunxiao}
timeout=${TEST_TIMEOUT:-15m}
# MATRIX_RUN, when set, is go test's -run: a subset for a quick matrix on a busy machine.
run_args=()
[ -n "${MATRIX_RUN:-}" ] && run_args=(-run "$MATRIX_RUN")
out=${MATRIX_OUT:-.local/testacc-matrix}
mkdir -p "$out"
export CHECKPOINT_DISABLE=1

rows=()
failed=0
for bin in $binaries; do
  path=$(command -v "$bin") || { echo "error: $bin is neither on PATH nor a path to an executable" >&2; exit 2; }
  path=$(realpath "$path")
  version=$("$path" version 2>/dev/null | head -n1)
  case $version in
    "Terraform v"* | "OpenTofu v"*) ;;
    *) echo "error: $path version printed neither a Terraform nor an OpenTofu version: $version" >&2; exit 2 ;;
  esac
  version=${version/ v/ }
  host=registry.terraform.io
  [[ $version == OpenTofu* ]] && host=registry.opentofu.org
  for pkg in $packages; do
    log=$out/$(tr ' /.' '___' <<<"$version")$(tr '/.' '__' <<<"$pkg").log
    echo "==> $version ($path): go test $pkg"
    start=$(date +%s)
    TF_ACC=1 TF_ACC_TERRAFORM_PATH=$path TF_ACC_PROVIDER_HOST=$host \
      go test "$pkg" "${run_args[@]}" -count=1 -v -timeout "$timeout" >"$log" 2>&1
    code=$?
    seconds=$(($(date +%s) - start))
    pass=$(grep -c '^--- PASS' "$log")
    skip=$(grep -c '^--- SKIP' "$log")
    fail=$(grep -c '^--- FAIL' "$log")
    result=pass
    if [ "$code" -ne 0 ]; then
      result=FAIL
      failed=1
      grep -E '^(--- FAIL|FAIL|panic)' "$log" | head -n 20 >&2
    fi
    rows+=("| $version | ${pkg#./} | $result | $pass | $skip | $fail | ${seconds}s |")
    echo "    $result: $pass passed, $skip skipped, $fail failed in ${seconds}s (log: $log)"
  done
done

{
  echo "| Terraform / OpenTofu | package | result | passed | skipped | failed | time |"
  echo "|---|---|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >"$out/table.md"
echo
echo "go test ${run_args[*]}, TF_ACC=1, $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d):"
cat "$out/table.md"
exit "$failed"
