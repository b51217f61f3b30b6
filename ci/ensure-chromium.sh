#!/usr/bin/env bash
# Makes sure Debian's chromium is installed, for the run-report browser test (RunReportBrowserTest).
# Idempotent: does nothing when chromium is already on the PATH. Installs with apt-get as root (or
# through sudo when it is available without a password); otherwise it says what to run and fails.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null || echo present) at $(command -v chromium)"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "chromium is not installed and this user cannot install it: run as root" \
       "'apt-get update && apt-get install -y --no-install-recommends chromium'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
echo "chromium: $(chromium --version 2>/dev/null) at $(command -v chromium)"
