#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL server binaries are installed: the reference-data tests start a
# real server from them (initdb + postgres under /usr/lib/postgresql/<version>/bin). Idempotent:
# does nothing when they are there. Installing needs root (CI runs as root).
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null && compgen -G "/usr/lib/postgresql/*/bin/postgres" > /dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ci/ensure-postgres.sh: PostgreSQL is not installed; run as root, or: sudo apt-get install -y postgresql" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends postgresql
# The Debian package starts a cluster of its own on port 5432; the tests do not use it (each run
# starts a private server on a free port), so it is stopped to leave the port and memory free.
if command -v pg_ctlcluster > /dev/null; then
  for conf in /etc/postgresql/*/main; do
    [ -d "$conf" ] || continue
    version=$(basename "$(dirname "$conf")")
    pg_ctlcluster "$version" main stop 2> /dev/null || true
  done
fi
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null
