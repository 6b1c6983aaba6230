#!/usr/bin/env bash
# Runs a command with the private PostgreSQL + pgvector up and VECD_TEST_POSTGRES_URL set, then stops the
# server again if this script started it. Example: bash scripts/postgres/with-postgres.sh swift test --disable-xctest
# When VECD_TEST_POSTGRES_URL is already set, the command runs against that server and nothing is started.
set -euo pipefail
here="$(dirname "$0")"
[ "$#" -gt 0 ] || { echo "usage: with-postgres.sh COMMAND [ARGS...]" >&2; exit 2; }

if [ -n "${VECD_TEST_POSTGRES_URL:-}" ]; then
    exec "$@"
fi
source "$here/common.sh"
was_running=false
[ -f "$vecd_pg_data/postmaster.pid" ] && was_running=true
VECD_TEST_POSTGRES_URL="$(bash "$here/start.sh")"
export VECD_TEST_POSTGRES_URL
if ! $was_running; then trap 'bash "$here/stop.sh"' EXIT; fi
"$@"
