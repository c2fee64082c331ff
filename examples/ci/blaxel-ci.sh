#!/usr/bin/env bash
# blaxel-ci.sh: the one script behind the CI workflow (github-actions.yml) of a blaxel-constructs app.
#
#   blaxel-ci.sh plan ENVIRONMENT...   read-only: what would change in each environment, in order
#   blaxel-ci.sh apply ENVIRONMENT     deploy one environment (its stack of the cdktf app)
#
# Run from anywhere, with the app's directory in APP_DIR (default: the current directory), and on PATH:
# blaxel-constructs (the app's venv), terraform, and node with the app's pinned cdktf CLI (npm ci).
# Every value comes from the environment, as a CI system's secret store sets it: BL_API_KEY (or
# BL_CLIENT_CREDENTIALS) and BL_WORKSPACE for Blaxel, TF_VAR_<NAME> for each Secret.from_env("<NAME>"),
# BLAXEL_STATE_PG (and PGPASSWORD) for the state in PostgreSQL. Nothing is interactive: stdin is not read,
# no prompt is ever shown, and every failure ends the script with a non-zero exit code.
#
# plan  never writes: it takes no state lock (-lock=false: a pull request's plan never blocks an apply),
#       creates no schema or table (the pg backend's skip_* options: the plan's database role can only
#       read), and needs no secret (a write-only secret is sent only by an apply, so a stand-in is passed
#       for each one that is unset). An environment whose state does not exist yet is planned against an
#       empty state. Exit 0 whether there are changes or not; the plan is also written to the job summary.
# Each init is -reconfigure: a CI job starts from a fresh checkout, and the state lives in the backend alone.
# apply waits up to 10 minutes for another apply of the same environment (-lock-timeout), then applies.
#       A secret that is not set fails the plan at once, naming its TF_VAR_ variable.
set -euo pipefail

usage() {
  echo "usage: $0 plan ENVIRONMENT... | apply ENVIRONMENT" >&2
  exit 64
}
[ $# -ge 2 ] || usage
mode=$1
shift
case $mode in
  plan) ;;
  apply) [ $# -eq 1 ] || usage ;;
  *) usage ;;
esac

export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export TF_IN_AUTOMATION=1 TF_INPUT=0
cd "${APP_DIR:-.}"

# The provider, for this job's venv (idempotent; the lock file it matches is written by the synth below).
blaxel-constructs install-provider >/dev/null
# One synth for every environment: cdktf.out/stacks/<environment>/ holds cdk.tf.json and .terraform.lock.hcl.
# (cdktf's progress display is noise in a CI log: its output is shown when it fails.)
synth_log=$(mktemp)
trap 'rm -f "$synth_log"' EXIT
echo "== synth"
npx --no cdktf synth </dev/null >"$synth_log" 2>&1 || { cat "$synth_log" >&2; exit 1; }

stack_dir() {
  local dir="cdktf.out/stacks/$1"
  [ -f "$dir/cdk.tf.json" ] || { echo "error: the app has no stack named '$1' (looked for $dir/cdk.tf.json)" >&2; exit 1; }
  echo "$dir"
}

# What a stack's cdk.tf.json says: "backend" (its kind) or "secrets" (its ephemeral variables, one a line).
stack_info() {
  python3 - "$1/cdk.tf.json" "$2" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
if sys.argv[2] == "backend":
    print(next(iter(document.get("terraform", {}).get("backend", {"local": {}}))))
else:
    print("\n".join(name for name, spec in document.get("variable", {}).items() if spec.get("ephemeral")))
PY
}

summary() {  # append to the GitHub Actions job summary, when there is one
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat >>"$GITHUB_STEP_SUMMARY"; else cat >/dev/null; fi
}

plan_one() {
  local environment=$1 dir name variable code
  dir=$(stack_dir "$environment")
  for name in $(stack_info "$dir" secrets); do
    variable="TF_VAR_$name"
    if [ -z "${!variable:-}" ]; then export "$variable=unused-by-a-plan"; fi
  done
  local backend_flags=()
  if [ "$(stack_info "$dir" backend)" = pg ]; then
    backend_flags=(-backend-config=skip_schema_creation=true -backend-config=skip_table_creation=true
      -backend-config=skip_index_creation=true)
  fi
  # ${a[@]+"${a[@]}"}: an empty array under set -u, for the bash 3.2 of macOS too.
  if ! terraform -chdir="$dir" init -input=false -no-color -reconfigure -lock=false ${backend_flags[@]+"${backend_flags[@]}"} \
    >"$dir/init.log" 2>&1; then
    if grep -q 'does not exist' "$dir/init.log"; then
      echo "== $environment has no state yet: planning against an empty state"
      dir=$(without_backend "$dir")
      terraform -chdir="$dir" init -input=false -no-color -reconfigure >/dev/null
    else
      cat "$dir/init.log" >&2
      exit 1
    fi
  fi
  echo "== plan $environment"
  code=0
  terraform -chdir="$dir" plan -input=false -no-color -lock=false -detailed-exitcode -out=plan.tfplan || code=$?
  case $code in
    0) echo "== $environment: no changes" ;;
    2) echo "== $environment: changes (above)" ;;
    *) exit "$code" ;;
  esac
  { echo "### $environment"; echo '```'; terraform -chdir="$dir" show -no-color plan.tfplan; echo '```'; } | summary
}

# A copy of a stack without its backend, for an environment whose state does not exist yet (never applied).
without_backend() {
  local copy="$1.no-state"
  rm -rf "$copy" && mkdir -p "$copy"
  cp "$1/.terraform.lock.hcl" "$copy/"
  python3 - "$1/cdk.tf.json" "$copy/cdk.tf.json" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
document.get("terraform", {}).pop("backend", None)
json.dump(document, open(sys.argv[2], "w"), indent=2)
PY
  echo "$copy"
}

apply_one() {
  local environment=$1 dir
  dir=$(stack_dir "$environment")
  echo "== apply $environment"
  terraform -chdir="$dir" init -input=false -no-color -reconfigure
  terraform -chdir="$dir" apply -input=false -no-color -auto-approve -lock-timeout=10m
}

for environment in "$@"; do
  "${mode}_one" "$environment"
done
