#!/usr/bin/env bash
# Instruction count of the query loop only (build excluded): prints callgrind's total and the harness's checksum
# (returned ids plus distance counts, equal across changes that keep the same results).
# Usage: Benchmarks/callgrind/run.sh BASE.fvecs QUERIES.fvecs ROWS QUERY_COUNT EF
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release >/dev/null
out="$(mktemp)"
valgrind --tool=callgrind --toggle-collect='*runQueries*' --callgrind-out-file="$out" \
    .build/release/walk-harness "$@" 2>&1 | grep -E 'Collected|checksum'
rm -f "$out"
