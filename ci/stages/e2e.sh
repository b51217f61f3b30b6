#!/usr/bin/env bash
# Stage e2e: the ci module's tests: the ./nightshift launcher and its fat jar as a user runs them,
# Direct = Spark byte-for-byte for every pipeline, and the Spark standalone cluster (a real master
# and worker on 127.0.0.1:7077, started and stopped by the tests).
#
# They need the packaged jars. When the build stage has just made them (no source newer than the
# jars), the upstream modules are only compiled (up to date) and not packaged again; otherwise this
# stage packages them first. Either way only the ci module's tests run (-Dtest), so no upstream
# test runs twice in `bash ci/run-all.sh`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

jars_fresh() {
  local launcher="$ROOT/pipelines/target/nightshift-all.jar" spark="$ROOT/pipelines/target/nightshift-spark.jar"
  [[ -f "$launcher" && -f "$spark" ]] || return 1
  # The launcher script's own rule (./nightshift): any source or build file newer than its jar.
  [[ -z "$(find "$ROOT/pom.xml" "$ROOT/schemas" "$ROOT/transforms" "$ROOT/pipelines" \
      \( -path '*/target' -prune \) -o \( -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) -newer "$launcher" -print \) \
      2>/dev/null | head -n 1)" ]]
}

if jars_fresh; then
  phase=test
  echo "e2e: the packaged jars are up to date; running the ci module's tests against them"
else
  phase=verify
  echo "e2e: packaging the jars first (missing or older than the sources)"
fi
mvn -B -ntp "$phase" -pl ci -am -Dtest='dev/nightshift/ci/**/*Test' -Dsurefire.failIfNoSpecifiedTests=false
