#!/usr/bin/env bash
# vecd against pgvector on a TEXMEX data set (base.fvecs, query.fvecs, gt.ivecs), both engines in one run:
#
#   Benchmarks/pgvector/run.sh DATASET_DIR [OUT_DIR] [extra `vecd bench pgvector` flags…]
#
# Starts the private PostgreSQL 18.6 + pgvector 0.8.6 (scripts/postgres/start.sh), builds vecd in release mode,
# runs `vecd bench pgvector` (ANN protocol on both engines, alternating per efSearch, then the churn protocol on
# both) and writes OUT_DIR/pgvector.json and OUT_DIR/pgvector.log (default OUT_DIR: bench-out/pgvector). Pass
# `--engines pgvector` to measure pgvector alone, `--protocol ann` to skip the churn protocol. The server is left
# running for reruns; stop it with scripts/postgres/stop.sh (VECD_PG_PORT picks another server's port). Record the
# load average beside the figures: the machine's other jobs skew QPS.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dataset="${1:?usage: run.sh DATASET_DIR [OUT_DIR] [flags...]}"
out="${2:-$repo/bench-out/pgvector}"
shift $(( $# >= 2 ? 2 : 1 ))
mkdir -p "$out"

url="$(bash "$repo/scripts/postgres/start.sh")"
(cd "$repo" && swift build -c release --product vecd)
{
    echo "# $(date -u +%FT%TZ) $(git -C "$repo" rev-parse --short HEAD) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# $*"
    "$repo/.build/release/vecd" bench pgvector --url "$url" --base "$dataset/base.fvecs" \
        --queries "$dataset/query.fvecs" --truth "$dataset/gt.ivecs" --json "$out/pgvector.json" "$@"
    echo "# finished $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out/pgvector.log"
