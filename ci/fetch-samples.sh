#!/usr/bin/env bash
# Puts the real public sample files where the tests look for them (../shared/samples, beside the
# checkout), for machines that do not have the project's shared/ folder (the GitHub workflow).
# Each file is downloaded from its origin at the pinned commit listed in shared/samples/README.md
# and checked against its SHA-256; a mismatch fails. Files already present and correct are kept.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-$ROOT/../shared/samples}"

# target path | repository | commit | path in the repository | sha256
SAMPLES=(
  "finance/camt053.v2.multi.statement.xml|genkgo/camt|c99e4fe3|test/data/camt053.v2.multi.statement.xml|4c50c6601224e21234c66fe155b1b49e895a7645846c04263d4505c82c5c58bb"
  "finance/mt940_ing_iban_fin.txt|zilverline/mt940|2d269599|spec/fixtures/ing/mt940_iban.txt|e1cfa987cf6cb4e989a59133c3513739be7e2235d4ef78f221e7770ab22ca33c"
  "healthcare/synthea_r4_bundle_Bob965_Keeling57.json|google/fhir-data-pipes|903480f9|synthea-hiv/sample_data/Bob965_Keeling57_3f6fd0bb-6cd3-eb3f-4401-cd38ace25f2b.json|b8ac75a05cb464e5a209da55ac94aee74b9f6193dad635256cf6b707a053299f"
  "healthcare/x12_837p_5010_single_claim_pretty.edi|xlate/staedi|76718ac4|src/test/resources/x12/sample837-original.edi|22ebdc30038a5f89203fdeca7bda91cb51f7adab0df9d73eac800abe3013d736"
  "healthcare/x12_835_5010_remittance.txt|azoner/pyx12|8893c59f|pyx12/tests/835_mult_loops.txt|1ac99cd3df59de7eeeb6dd2bfe3bf9302de133277e43fe46565715e79b517472"
  "retail/online_retail_2010-12-01.csv|databricks/Spark-The-Definitive-Guide|4ba5601e|data/retail-data/by-day/2010-12-01.csv|45ca8842daf556b96947109ad92d666391410a2a3e894bab7644773d1ff539b3"
)

for entry in "${SAMPLES[@]}"; do
  IFS='|' read -r target repo commit src sha <<<"$entry"
  file="$DEST/$target"
  if [[ -f "$file" ]] && echo "$sha  $file" | sha256sum -c --status; then
    echo "ok      $target"
    continue
  fi
  mkdir -p "$(dirname "$file")"
  curl -fsSL --retry 3 -o "$file.part" "https://raw.githubusercontent.com/$repo/$commit/$src"
  if ! echo "$sha  $file.part" | sha256sum -c --status; then
    echo "SHA-256 mismatch for $target from $repo@$commit:$src" >&2
    rm -f "$file.part"
    exit 1
  fi
  mv "$file.part" "$file"
  echo "fetched $target ($repo@$commit)"
done
