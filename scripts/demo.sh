#!/usr/bin/env bash
# make demo: build the providers, start the local fake cloud, and run init, apply, a plan that
# must show no changes, and destroy on examples/demo. Everything it writes stays in .demo/ (git
# ignores it), and the fake cloud is stopped however the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

command -v terraform >/dev/null 2>&1 || { echo "error: terraform is not on PATH; install Terraform >= 1.5 first." >&2; exit 1; }
export CHECKPOINT_DISABLE=1

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building the providers"
make --no-print-directory build
go build -o bin/fakecloud ./cmd/fakecloud

demo=$root/.demo
rm -rf "$demo"
mkdir -p "$demo/work"

step "Starting the fake cloud on loopback"
bin/fakecloud -env-file "$demo/fakecloud.env" >"$demo/fakecloud.log" 2>&1 &
fakecloud_pid=$!
stop_fakecloud() {
  kill "$fakecloud_pid" 2>/dev/null || true
  wait "$fakecloud_pid" 2>/dev/null || true
}
trap stop_fakecloud EXIT
for _ in $(seq 100); do
  [ -s "$demo/fakecloud.env" ] && break
  kill -0 "$fakecloud_pid" 2>/dev/null || { cat "$demo/fakecloud.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$demo/fakecloud.env" ] || { echo "error: the fake cloud did not start" >&2; cat "$demo/fakecloud.log" >&2; exit 1; }
cat "$demo/fakecloud.log"
# shellcheck disable=SC1091
source "$demo/fakecloud.env"

# Terraform installs the freshly built providers from a local filesystem mirror, exactly as
# `terraform init` installs released ones, and never asks the registry for them.
version=$(make --no-print-directory -s print-version)
os_arch=$(go env GOOS)_$(go env GOARCH)
for bin in bin/terraform-provider-*; do
  type=${bin##*/terraform-provider-}
  dir=$demo/mirror/registry.terraform.io/projectkit/$type/$version/$os_arch
  mkdir -p "$dir"
  cp "$bin" "$dir/terraform-provider-${type}_v$version"
done
cat >"$demo/terraformrc" <<CONFIG
provider_installation {
  filesystem_mirror {
    path    = "$demo/mirror"
    include = ["registry.terraform.io/projectkit/*"]
  }
}
CONFIG
export TF_CLI_CONFIG_FILE=$demo/terraformrc
export TF_IN_AUTOMATION=1

cp examples/demo/*.tf "$demo/work/"
cd "$demo/work"

step "terraform init"
terraform init -input=false

step "terraform apply"
terraform apply -auto-approve -input=false

step "terraform plan (must show no changes)"
set +e
terraform plan -detailed-exitcode -input=false
code=$?
set -e
if [ "$code" -ne 0 ]; then
  echo "error: the plan after apply is not empty (exit code $code)" >&2
  exit 1
fi

step "terraform destroy"
terraform destroy -auto-approve -input=false

step "Demo finished: created, verified and destroyed against the fake cloud"
