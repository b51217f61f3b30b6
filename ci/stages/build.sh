#!/usr/bin/env bash
# Stage build: compile every module (main and test sources) and package the jars, tests skipped.
# Leaves pipelines/target/nightshift-all.jar (the launcher's) and nightshift-spark.jar (spark-submit).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn -B -ntp package -DskipTests
