#!/usr/bin/env bash
# CI entry point: every stage in order, stopping at the first failure. `.ci/run` calls exactly this.
# Each stage also runs alone: bash ci/stages/<stage>.sh (see README.md, section CI).
#   terraform  offline terraform checks (seconds: run first so a broken configuration fails fast)
#   build      compile and package, no tests
#   unit       schemas, transforms and pipelines tests
#   e2e        the ci module: launcher, Direct = Spark, Spark standalone cluster
# Together the Maven stages run every test of `mvn -B -ntp verify` exactly once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

declare -a timings=()
started=$SECONDS

run_stage() {
  local name=$1 start=$SECONDS
  echo
  echo "=== stage $name: bash ci/stages/$name.sh ==="
  if ! bash "$ROOT/ci/stages/$name.sh"; then
    echo "=== stage $name FAILED after $((SECONDS - start)) s (rerun it alone: bash ci/stages/$name.sh) ===" >&2
    exit 1
  fi
  timings+=("$name $((SECONDS - start))s")
  echo "=== stage $name passed in $((SECONDS - start)) s ==="
}

run_stage terraform
run_stage build

# --- Database setup hook ---------------------------------------------------------------------
# The unit stage starts private PostgreSQL servers (reference data from JdbcIO) from Debian's
# binaries: ci/ensure-postgres.sh installs them when missing (run, not sourced: it exits).
echo
echo "=== database: bash ci/ensure-postgres.sh ==="
bash "$ROOT/ci/ensure-postgres.sh"
# ---------------------------------------------------------------------------------------------

run_stage unit
run_stage e2e

echo
echo "=== CI passed in $((SECONDS - started)) s: ${timings[*]} ==="
