#!/usr/bin/env bash
# Benchmark (prints figures; not a test): settles N generated trades on the Direct Runner and on
# the Spark Runner (local[2]) with the launcher, and checks both wrote the same bytes.
#   bash ci/settlement-scale.sh [N=1000000] [WORKDIR=/tmp/nightshift-scale]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000000}"
WORK="${2:-/tmp/nightshift-scale}"
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$WORK"
"$ROOT/nightshift" generate finance-trades --size "$N" --out in --seed 7 --bad-rate 0.01
run() {
  local name="$1"; shift
  local start end
  start=$(date +%s.%N)
  "$ROOT/nightshift" run trade-settlement --inputDir=in --output="$name" "$@" > "$name.log" 2>&1
  end=$(date +%s.%N)
  printf '%-8s %8.1f s wall  (%s)\n' "$name" "$(echo "$end - $start" | bc)" "$(grep -o 'SUCCEEDED on [A-Za-z]* in [0-9.]* s' "$name.log")"
}
echo "trades: $N"
run direct
run spark --runner=SparkRunner --sparkMaster='local[2]'
echo "netting keys (instructions): $(($(wc -l < direct/instructions.csv) - 1))"
for f in instructions.csv cash_positions.csv settlement_report.csv dead_letters.jsonl; do
  cmp -s "direct/$f" "spark/$f" && echo "same bytes: $f" || { echo "DIFFERENT: $f"; exit 1; }
done
