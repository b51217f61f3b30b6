#!/usr/bin/env bash
# Stage terraform: offline checks of terraform/ (no provider download, no cloud account).
#   1. terraform fmt -check -recursive, when a terraform binary is on PATH (skipped otherwise);
#   2. HCL parse of every .tf/.tfvars file, and the reference check: every var., local., module.,
#      data. and resource reference, module input and tfvars key is declared;
#   3. policy tests: no public member, no primitive role, every bucket with uniform access,
#      enforced public access prevention and versioning (or retention), the archive bucket retained;
#   4. self-tests: the real configuration passes, and each broken fixture
#      (ci/terraform-checks/fixtures) fails the check it targets.
# Needs Node.js 20 and npm (the HCL parser, @cdktf/hcl2json, comes from the npm registry).
# `terraform init` + `terraform validate` need the provider download: the GitHub workflow runs them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECKS="$ROOT/ci/terraform-checks"

if ! command -v node >/dev/null 2>&1; then
  echo "terraform checks need Node.js 20 and npm (node is not on PATH)" >&2
  exit 1
fi

if command -v terraform >/dev/null 2>&1; then
  echo "terraform fmt -check -recursive terraform/ ($(terraform version 2>/dev/null | head -n 1))"
  # The CLI may warn about a missing config file on stderr; only the verdict matters.
  terraform fmt -check -recursive -diff -no-color "$ROOT/terraform" 2>/dev/null || {
    echo "terraform fmt: the files above are not formatted (run: terraform fmt -recursive terraform)" >&2
    exit 1
  }
  echo "ok   fmt: every file formatted"
else
  echo "SKIPPED terraform fmt: no terraform binary on PATH (the GitHub workflow runs it)"
fi

(cd "$CHECKS" && npm ci --no-audit --no-fund --loglevel=error)
node "$CHECKS/check.js" "$ROOT/terraform"
(cd "$CHECKS" && node --test test/)
