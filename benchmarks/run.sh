#!/usr/bin/env bash
# The benchmark (prints figures and writes benchmarks/RESULTS.md; not a test):
#   benchmarks/run.sh [--workloads W1,W3] [--sizes 5000000,20000000]
#                     [--engines direct,spark,cluster,sparksql,duckdb] [--heap 4g] [--repeat 1]
# Builds the modules (compile only: no mvn install), then runs dev.nightshift.benchmarks.Bench on the
# benchmarks module's classpath. Each engine runs in a JVM of its own.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP_FILE="benchmarks/target/classpath.txt"
mvn -B -ntp -q -pl benchmarks -am compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
CP="benchmarks/target/classes:pipelines/target/classes:transforms/target/classes:schemas/target/classes:$(cat "$CP_FILE")"
exec java -Xmx2g -cp "$CP" dev.nightshift.benchmarks.Bench "$@"
