#!/usr/bin/env bash
# Fuzzes a real `vecd serve --ephemeral` against formats/openapi.yaml with schemathesis (pinned, in .venv/fuzz).
# Fails when the server answers 5xx, answers a status, content type, header or body the spec does not document,
# accepts a request the spec forbids, or dies. Bounded: well under 2 minutes on 2 cores with the defaults.
#
# Environment (all optional):
#   VECD_BIN                 the vecd binary (default: the debug build, `swift build --show-bin-path`/vecd)
#   VECD_FUZZ_MAX_EXAMPLES   generated cases per operation and phase (default 12)
#   VECD_FUZZ_SEED           hypothesis seed, so a failure can be replayed (default 20261123)
#   VECD_FUZZ_WORKERS        concurrent workers (default 1: with 2, Python 3.11's parser raced in two threads
#                            inside hypothesis — "SystemError: AST constructor recursion depth mismatch" — and
#                            failed a run whose 742 cases had all passed)
#   VECD_FUZZ_PHASES         schemathesis phases (default examples,fuzzing; add `coverage` for its boundary
#                            values, which takes several minutes more)
#   VECD_FUZZ_REPORT_DIR     where the JUnit report goes (default: a temporary directory, printed at the end)
#   VECD_FUZZ_REPORTS        schemathesis report formats (default junit; junit,har also keeps every request and answer)
# Before fuzzing, scripts/fuzz/seed.py creates rows through the API and writes the schemathesis configuration that
# points generated collection names and ids at them.
set -euo pipefail
cd "$(dirname "$0")/../.."

schemathesis_version="4.32.5"
venv=".venv/fuzz"
max_examples="${VECD_FUZZ_MAX_EXAMPLES:-12}"
seed="${VECD_FUZZ_SEED:-20261123}"
workers="${VECD_FUZZ_WORKERS:-1}"
phases="${VECD_FUZZ_PHASES:-examples,fuzzing}"
# Maintenance routes are left out: a fuzzed backup destination would write directories anywhere on the host, and
# compact/reindex only slow the run down without taking input worth fuzzing.
excluded='^/v1/admin/(backup|compact|reindex)$'
checks="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance"
checks="$checks,response_schema_conformance"
# The server refuses what the spec forbids (unknown members and parameters, wrong types, blank values): a request
# schemathesis made invalid on purpose must not be answered 2xx.
checks="$checks,negative_data_rejection"

say() { echo "vecd-fuzz: $*" >&2; }

vecd_bin="${VECD_BIN:-}"
if [ -z "$vecd_bin" ]; then vecd_bin="$(swift build --show-bin-path)/vecd"; fi
[ -x "$vecd_bin" ] || { say "no vecd binary at $vecd_bin (build first, or set VECD_BIN)"; exit 1; }

if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$schemathesis_version"; then
    say "installing schemathesis $schemathesis_version into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

work="$(mktemp -d)"
report_dir="${VECD_FUZZ_REPORT_DIR:-$work/report}"
"$vecd_bin" serve --ephemeral --log-level warning >"$work/stdout" 2>"$work/stderr" &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    [ -n "${VECD_FUZZ_REPORT_DIR:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# The server prints `vecd listening on http://HOST:PORT` as its first line once the port accepts connections.
url=""
for _ in $(seq 1 300); do
    line="$(head -n 1 "$work/stdout" 2>/dev/null || true)"
    if [ -n "$line" ]; then url="${line#vecd listening on }"; break; fi
    kill -0 "$server" 2>/dev/null || { say "vecd serve exited before listening:"; cat "$work/stderr" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { say "vecd serve printed no address within 30 s"; exit 1; }
# Seeded rows give the routes that take a collection name, document, job or knowledge id something to find.
"$venv/bin/python" scripts/fuzz/seed.py "$url" >"$work/schemathesis.toml" \
    || { say "seeding the server failed; its stderr:"; tail -n 20 "$work/stderr" >&2; exit 1; }
say "fuzzing $url (phases $phases, $max_examples examples per operation, seed $seed, checks $checks)"

status=0
"$venv/bin/st" --config-file "$work/schemathesis.toml" run formats/openapi.yaml --url "$url" \
    --checks "$checks" \
    --phases "$phases" --exclude-path-regex "$excluded" \
    --max-examples "$max_examples" --seed "$seed" --workers "$workers" \
    --request-timeout 20 --no-shrink \
    --suppress-health-check all \
    --report "${VECD_FUZZ_REPORTS:-junit}" --report-dir "$report_dir" || status=$?

# A crash shows as a dead process (or one that no longer answers), whatever schemathesis concluded.
if ! kill -0 "$server" 2>/dev/null; then
    say "vecd serve died during the run; its stderr:"
    tail -n 40 "$work/stderr" >&2
    exit 1
fi
if ! "$venv/bin/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/healthz', timeout=5)" "$url"; then
    say "vecd serve stopped answering /healthz after the run"
    exit 1
fi
if [ "$status" -ne 0 ]; then
    say "schemathesis found problems (exit $status); server log tail:"
    tail -n 20 "$work/stderr" >&2
    exit "$status"
fi
say "no 5xx, no undocumented status or shape, server alive"
