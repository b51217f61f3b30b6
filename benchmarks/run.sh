#!/usr/bin/env bash
# The benchmark (prints figures and writes benchmarks/RESULTS.md; not a test):
#   benchmarks/run.sh [--workloads W1,W2,W3] [--sizes 5000000,20000000]
#                     [--engines direct,spark,cluster,sparksql,duckdb] [--heap 4g] [--repeat 1]
#                     [--direct-max-rows 5000000] [--work benchmarks/target/bench]
# Builds the modules (test-compile, so the transforms test-jar resolves from the reactor; no mvn install), copies their classes aside (a rebuild during
# a long run cannot change what it runs), then runs dev.nightshift.benchmarks.Bench. Each engine
# runs in a JVM of its own; see benchmarks/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP_FILE="benchmarks/target/classpath.txt"
mvn -B -ntp -q -pl benchmarks -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
SNAP="benchmarks/target/bench-classes"
rm -rf "$SNAP" && mkdir -p "$SNAP"
for m in benchmarks pipelines transforms schemas; do cp -r "$m/target/classes" "$SNAP/$m"; done
DEPS="$(tr ':' '\n' < "$CP_FILE" | grep -v '/target/classes$' | paste -sd: -)"
CP="$SNAP/benchmarks:$SNAP/pipelines:$SNAP/transforms:$SNAP/schemas:$DEPS"
exec java -Xmx2g -cp "$CP" dev.nightshift.benchmarks.Bench "$@"
