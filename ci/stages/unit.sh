#!/usr/bin/env bash
# Stage unit: every test of the schemas, transforms and pipelines modules (Direct Runner, the
# reference models, the real samples, Spark local[2] where a pipeline test uses it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn -B -ntp test -pl schemas,transforms,pipelines
