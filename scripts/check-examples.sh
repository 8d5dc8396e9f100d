#!/usr/bin/env bash
# make examples-check: the examples, and every HCL block of the docs and the README, are real
# configurations. Checks that the examples are formatted (terraform fmt -check) and that every
# example directory passes `terraform validate` against the providers `make build` just built,
# installed from a local filesystem mirror; then that every HCL block of README.md and docs/
# is formatted and valid, that each complete one plans against the fake cloud, and that the
# terraform test files the guides show pass; and that the pages' relative links resolve.
#
# Resource examples (examples/<type>/resources/<name>/resource.tf) are fragments without a
# terraform block, so the examples tree is copied to a work dir under .local/ (git ignores it;
# the copy keeps the layout, so module calls such as source = "../modules/trro_project" resolve)
# and each directory without required_providers of its own gets a generated terraform block for
# the provider types its blocks use. Every other directory (configurations, modules) must pin
# both Terraform (required_version) and every provider it requires (a version constraint); the
# check fails when one does not. Nothing contacts the network: CHECKPOINT_DISABLE=1 and the CLI
# config installs projectkit/* only from the mirror and has no other installation method.
#
# The docs' blocks: tools/docexamples takes them out of the pages (how it groups them, how it
# recognises fragments, and the <!-- examples-check: ... --> markers that lower a block to
# validate-only or fmt-only are described there) into directories beside the examples' copy.
# The fake cloud (bin/fakecloud, built here) is started on loopback, seeded through the
# providers with the projects the docs look up (see seed.tf below), and stopped when the script
# ends, however it ends. Plans run with its environment, plus TF_VAR_* values for the endpoint
# and organization variables the documented configurations declare (huawei_auth_url,
# otc_auth_url, group_organization_id, subsidiary_organization_id).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

command -v terraform >/dev/null 2>&1 || { echo "error: terraform is not on PATH; install Terraform >= 1.5 first." >&2; exit 1; }
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_INPUT=0
# Ignore any TF_* from the caller's shell that would change what init or validate do.
unset TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_validate TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE

work=$root/.local/examples-check
rm -rf "$work"
mkdir -p "$work/mirror" "$work/tree" "$work/bin"
go build -o "$work/bin/docexamples" ./tools/docexamples

pages=(README.md docs/*.md docs/*/*.md docs/*/*/*.md)
echo "==> relative links of README.md and docs/"
if ! "$work/bin/docexamples" -links "${pages[@]}"; then
  echo "error: fix the links above (a page's link names the file with its .md)" >&2
  exit 1
fi
# Terraform reads only this CLI config; the mirror's provider_installation goes in below.
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE=$work/terraformrc

echo "==> terraform fmt -check -recursive examples"
if ! terraform fmt -check -recursive -diff examples; then
  echo "error: the examples are not formatted; run 'terraform fmt -recursive examples' (or make fmt)" >&2
  exit 1
fi

echo "==> building the providers and the fake cloud"
make --no-print-directory -s build >/dev/null
go build -o "$work/bin/fakecloud" ./cmd/fakecloud

# The freshly built providers, laid out as an unpacked filesystem mirror (as scripts/demo.sh does).
version=$(make --no-print-directory -s print-version)
# The constraint the generated terraform blocks pin, as the examples do: ~> <major>.<minor>.
constraint="~> $(cut -d. -f1-2 <<<"$version")"
os_arch=$(go env GOOS)_$(go env GOARCH)
built=()
for bin in bin/terraform-provider-*; do
  [ -f "$bin" ] || continue
  type=${bin##*/terraform-provider-}
  dir=$work/mirror/registry.terraform.io/projectkit/$type/$version/$os_arch
  mkdir -p "$dir"
  cp "$bin" "$dir/terraform-provider-${type}_v$version"
  built+=("$type")
done
[ "${#built[@]}" -gt 0 ] || { echo "error: make build produced no bin/terraform-provider-*" >&2; exit 1; }

cat >"$work/terraformrc" <<CONFIG
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/projectkit/*"]
  }
}
CONFIG

# Every directory under examples/ that holds .tf files.
mapfile -t dirs < <(find examples -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)
[ "${#dirs[@]}" -gt 0 ] || { echo "error: no example directories found" >&2; exit 1; }
# The .tf files of the whole tree, in their places (no .terraform, state or lock files).
while IFS= read -r -d '' f; do
  mkdir -p "$work/tree/$(dirname "$f")"
  cp "$f" "$work/tree/$f"
done < <(find examples -name '*.tf' -not -path '*/.terraform/*' -print0)

# The docs' blocks, beside the examples' copy (so that ../modules/<name> resolves); the manifest
# lists one configuration a line: mode, directory under tree/examples, pages and lines (reason).
"$work/bin/docexamples" -out "$work/tree/examples" -constraint "$constraint" "${pages[@]}" >"$work/docs-manifest.tsv"
mapfile -t doc_lines <"$work/docs-manifest.tsv"
[ "${#doc_lines[@]}" -gt 0 ] || { echo "error: no HCL blocks found in the docs" >&2; exit 1; }

# unpinned prints what a directory's configuration (with its modules) leaves unpinned, from
# `terraform providers` (a requirement without a constraint) and its required_version.
unpinned() {
  local out
  out=$(terraform providers -no-color 2>&1) || { printf '%s\n' "$out"; return; }
  # Terraform's built-in provider (terraform_data) has no versions to pin.
  grep -E 'provider\[[^]]+\][[:space:]]*$' <<<"$out" | grep -v 'terraform\.io/builtin/' |
    sed -E 's/^[^p]*(provider\[[^]]+\]).*/\1 has no version constraint/' || true
  grep -qs 'required_version' ./*.tf || echo "no required_version in the terraform block"
}

failed=()
# check_config runs init, validate and the version pins in one directory of the tree, printing
# ok or what failed; label names it in the output.
check_config() {
  local dst=$1 label=$2 out
  printf '==> %-60s ' "$label"
  if ! out=$(cd "$dst" && terraform init -backend=false -input=false -no-color 2>&1); then
    echo "FAILED (terraform init)"
  elif ! out=$(cd "$dst" && terraform validate -no-color 2>&1); then
    echo "FAILED (terraform validate)"
  elif out=$(cd "$dst" && unpinned) && [ -n "$out" ]; then
    echo "FAILED (version pins)"
  else
    echo "ok"
    return 0
  fi
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  failed+=("$label")
  return 1
}

for src in "${dirs[@]}"; do
  dst=$work/tree/$src
  if ! grep -qs 'required_providers' "$src"/*.tf; then
    # The provider types the fragment uses: the prefix of its resource, data, ephemeral and
    # provider blocks (trro_project -> trro). Examples only use projectkit's providers.
    mapfile -t types < <(sed -nE 's/^[[:space:]]*(resource|data|ephemeral|list)[[:space:]]+"([a-z0-9]+)_[^"]*".*/\2/p; s/^[[:space:]]*provider[[:space:]]+"([a-z0-9]+)".*/\1/p' "$src"/*.tf | sort -u)
    {
      echo "# Generated by scripts/check-examples.sh: the examples omit the terraform block."
      echo "terraform {"
      echo '  required_version = ">= 1.5"'
      echo "  required_providers {"
      for t in "${types[@]}"; do
        printf '    %s = {\n      source  = "projectkit/%s"\n      version = "%s"\n    }\n' "$t" "$t" "$constraint"
      done
      echo "  }"
      echo "}"
    } >"$dst/zz_generated_providers.tf"
  fi
  check_config "$dst" "$src" || true
done

# The fake cloud, for the plans and tests; stopped however the script ends.
fake=$work/fakecloud
mkdir -p "$fake"
"$work/bin/fakecloud" -env-file "$fake/env" >"$fake/log" 2>&1 &
fakecloud_pid=$!
stop_fakecloud() {
  kill "$fakecloud_pid" 2>/dev/null || true
  wait "$fakecloud_pid" 2>/dev/null || true
}
trap stop_fakecloud EXIT
for _ in $(seq 100); do
  [ -s "$fake/env" ] && break
  kill -0 "$fakecloud_pid" 2>/dev/null || { cat "$fake/log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$fake/env" ] || { echo "error: the fake cloud did not start" >&2; cat "$fake/log" >&2; exit 1; }
# Only the fake cloud's settings reach the providers: no credentials of the caller's shell.
unset TENCENTCLOUD_SECRET_ID TENCENTCLOUD_SECRET_KEY TENCENTCLOUD_SECURITY_TOKEN TENCENTCLOUD_REGION TRRO_ENDPOINT \
  HW_AUTH_URL OS_AUTH_URL HW_AUTH_TOKEN OS_AUTH_TOKEN OS_TOKEN HW_ACCESS_KEY OS_ACCESS_KEY HW_SECRET_KEY OS_SECRET_KEY \
  HW_SECURITY_TOKEN HW_DOMAIN_ID HW_USER_NAME OS_USERNAME HW_USER_PASSWORD OS_PASSWORD HW_DOMAIN_NAME OS_DOMAIN_NAME \
  OS_USER_DOMAIN_NAME ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_SECURITY_TOKEN \
  ALICLOUD_ACCESS_KEY ALICLOUD_SECRET_KEY ALICLOUD_SECURITY_TOKEN YUNXIAO_ORGANIZATION_ID YUNXIAO_ENDPOINT
# shellcheck disable=SC1091
source "$fake/env"
export TF_VAR_huawei_auth_url=$FAKECLOUD_HUAWEI_AUTH_URL TF_VAR_otc_auth_url=$FAKECLOUD_OTC_AUTH_URL
export TF_VAR_group_organization_id=$YUNXIAO_ORGANIZATION_ID TF_VAR_subsidiary_organization_id=$YUNXIAO_ORGANIZATION_ID

# The projects the docs look up by name, created through the providers (HW_AUTH_URL is Open
# Telekom Cloud's): the data sources find them and the bulk imports plan to import them.
mkdir -p "$fake/seed"
cat >"$fake/seed/seed.tf" <<SEED
terraform {
  required_providers {
    trro = {
      source  = "projectkit/trro"
      version = "$constraint"
    }
    iam = {
      source  = "projectkit/iam"
      version = "$constraint"
    }
    yunxiao = {
      source  = "projectkit/yunxiao"
      version = "$constraint"
    }
  }
}

resource "trro_project" "seed" {
  for_each = toset(["factory-floor", "team-forklifts", "team-cranes"])
  name     = each.key
}

resource "iam_project" "seed" {
  for_each = toset(["eu-de_payments", "eu-de_team-search", "eu-de_team-risk"])
  name     = each.key
}

resource "yunxiao_project" "seed" {
  for_each = {
    PAYM = "payments-gateway"
    PLDG = "payments-ledger"
  }
  name                = each.value
  custom_code         = each.key
  template_identifier = one(data.yunxiao_project_templates.scrum.identifiers)
}

data "yunxiao_project_templates" "scrum" {
  name = "Scrum"
}
SEED
printf '==> %-60s ' "seeding the fake cloud"
if ! out=$(cd "$fake/seed" && terraform init -input=false -no-color 2>&1 && terraform apply -auto-approve -input=false -no-color 2>&1); then
  echo "FAILED"
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  exit 1
fi
echo "ok"

# The docs' blocks, each configuration in one pass: fmt for every one; then init and the version
# pins (of what the page itself declares; the generated terraform block of a fragment pins by
# construction); then validate (validate-only), terraform test (a configuration with .tftest.hcl
# files, whose variables the tests set) or plan against the seeded fake cloud.
planned=0
tested=0
for line in "${doc_lines[@]}"; do
  IFS=$'\t' read -r mode dir where <<<"$line"
  dst=$work/tree/examples/$dir
  # The first block's page and line names the configuration; the reason, if any, follows.
  label=${where%%,*}
  [[ $label != *" ("* && $where == *" ("* ]] && label="$label (${where#* (}"
  printf '==> %-60s ' "$label"
  step=""
  if ! out=$(cd "$dst" && terraform fmt -check -recursive -diff -no-color 2>&1); then
    step="terraform fmt: the block is not formatted"
  elif [ "$mode" = fmt-only ]; then
    echo "ok (fmt only)"
    continue
  elif ! out=$(cd "$dst" && terraform init -backend=false -input=false -no-color 2>&1); then
    step="terraform init"
  elif [ ! -f "$dst/zz_generated_providers.tf" ] && out=$(cd "$dst" && unpinned) && [ -n "$out" ]; then
    step="version pins"
  elif [ "$mode" = validate-only ]; then
    if out=$(cd "$dst" && terraform validate -no-color 2>&1); then
      echo "ok (validated)"
      continue
    fi
    step="terraform validate"
  elif compgen -G "$dst/*.tftest.hcl" >/dev/null || compgen -G "$dst/tests/*.tftest.hcl" >/dev/null; then
    if out=$(cd "$dst" && terraform test -no-color 2>&1); then
      echo "ok (terraform test: $(grep -oE '[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -1))"
      tested=$((tested + 1))
      continue
    fi
    step="terraform test against the fake cloud and with mock_provider"
  else
    if out=$(cd "$dst" && terraform plan -input=false -lock=false -no-color 2>&1); then
      echo "ok (planned)"
      planned=$((planned + 1))
      continue
    fi
    step="terraform plan against the fake cloud"
  fi
  echo "FAILED ($step)"
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  failed+=("$where")
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "error: ${#failed[@]} check(s) failed: ${failed[*]}" >&2
  echo "(providers built: ${built[*]}; add a type to PROVIDERS in the GNUmakefile if its examples need it)" >&2
  exit 1
fi
echo "All ${#dirs[@]} example directories are formatted, valid and pinned; the docs' ${#doc_lines[@]} configurations are formatted and valid, $planned planned against the fake cloud and $tested tested (providers: ${built[*]})."
