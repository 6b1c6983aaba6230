#!/usr/bin/env bash
# Low-RAM figures (issue 4): memory_bytes, RSS, page cache and recall@10 for f32, f16 and int8 at 100k and 1M vectors
# of 384 dims, grown from debian-384 with `vecd bench dataset` (rows interpolated towards each source row's nearest
# neighbours, plus noise, so that nearest-neighbour distances follow the source's; exact ground truth from vecd's
# exact index). Benchmarks/lowram/neighbour_contrast.py checks how a grown set's top-10 is spread.
#
#   Benchmarks/lowram/run.sh VECD DATASET_DIR WORK_DIR OUT_DIR [ROWS...]
#
# VECD: a release vecd; DATASET_DIR: debian-384 (base.fvecs, query.fvecs); WORK_DIR: room for the grown sets and
# segment files (1M × 384 takes ~1.5 GB per file); OUT_DIR: where the JSON reports and logs go.
# ROWS defaults to "100000 1000000". EF_SEARCH (default 64,128,256,512) sets the efSearch values, STORAGE (default
# f32,int8,f16; f32 first) the modes, M and EF_CONSTRUCTION (default 16 and 64) the graph, METHOD (default
# interpolate; or noisy-copies) how `vecd bench dataset` grows the set. Outputs are named by size, method and graph.
# One graph per size is built in f32 and written as an f32, an int8 and an f16 segment (the modes differ only in what
# the walk reads); each segment is served by its own fresh process, compact ones in low-RAM mode (rows by pread).
# Then the int8 query phase runs again under a cgroup memory limit of 40% of f32's memory_bytes (serve-limited.sh).
set -euo pipefail
vecd=$1 dataset=$2 work=$3 out=$4
shift 4
sizes=${*:-100000 1000000}
ef=${EF_SEARCH:-64,128,256,512}
storage=${STORAGE:-f32,int8,f16}
m=${M:-16} efc=${EF_CONSTRUCTION:-64} method=${METHOD:-interpolate}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work" "$out"
for rows in $sizes; do
    data="$work/grown-$rows-$method"
    if [ ! -f "$data/gt.ivecs" ]; then
        "$vecd" bench dataset --base "$dataset/base.fvecs" --queries "$dataset/query.fvecs" --rows "$rows" \
            --method "$method" --out "$data" 2>&1 | tee "$out/dataset-$rows-$method.log"
        cp "$data/neighbor-distances.json" "$out/neighbor-distances-$rows-$method.json"
    fi
    name="$rows-$method-m$m-efc$efc"
    { uptime; git -C "$here" rev-parse HEAD; } > "$out/lowram-$name.context"
    "$vecd" bench lowram --base "$data/base.fvecs" --queries "$data/query.fvecs" --truth "$data/gt.ivecs" \
        --storage "$storage" --ef-search "$ef" --m "$m" --ef-construction "$efc" --segment "$work/segment-$rows" \
        --json "$out/lowram-$name.json" 2>&1 | tee "$out/lowram-$name.log"
    # 40% of f32's memory_bytes, as the in-memory f32 index measured it. SKIP_LIMITED=1 leaves this phase out.
    if [ -z "${SKIP_LIMITED:-}" ]; then
        limit=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(int(r['in_memory']['memory_bytes']*0.4))" \
            "$out/lowram-$name.json")
        "$here/serve-limited.sh" "$vecd" "$work/segment-$rows.int8" "$data/query.fvecs" "$data/gt.ivecs" "$limit" \
            "$ef" "$out/lowram-$name-int8-limited.json" 2>&1 | tee "$out/lowram-$name-int8-limited.log" || true
    fi
    uptime >> "$out/lowram-$name.context"
    rm -f "$work/segment-$rows".{f32,int8,f16}
done
