#!/usr/bin/env bash
# Runs vecd's whole test suite: installs the system packages it needs, builds once (debug), runs every test.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

swift build --build-tests
swift test --skip-build --disable-xctest
