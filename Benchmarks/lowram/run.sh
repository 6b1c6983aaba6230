#!/usr/bin/env bash
# Low-RAM figures (issue 4): memory_bytes, RSS and recall@10 at efSearch 64/128/256 for f32, f16 and int8 at
# 100k and 1M vectors of 384 dims, grown from debian-384 with `vecd bench dataset` (noisy copies whose
# nearest-neighbour distances follow the source's; exact ground truth from FlatIndex).
#
#   Benchmarks/lowram/run.sh VECD DATASET_DIR WORK_DIR OUT_DIR [ROWS...]
#
# VECD: a release vecd; DATASET_DIR: debian-384 (base.fvecs, query.fvecs); WORK_DIR: room for the grown sets and
# segment files (1M × 384 takes ~1.5 GB per file); OUT_DIR: where the JSON reports and logs go.
# ROWS defaults to "100000 1000000". Each storage mode runs in its own process (and its mapped phase in a child).
set -euo pipefail
vecd=$1 dataset=$2 work=$3 out=$4
shift 4
sizes=${*:-100000 1000000}
mkdir -p "$work" "$out"
for rows in $sizes; do
    data="$work/grown-$rows"
    if [ ! -f "$data/gt.ivecs" ]; then
        "$vecd" bench dataset --base "$dataset/base.fvecs" --queries "$dataset/query.fvecs" --rows "$rows" \
            --out "$data" 2>&1 | tee "$out/dataset-$rows.log"
        cp "$data/neighbor-distances.json" "$out/neighbor-distances-$rows.json"
    fi
    for storage in int8 f32 f16; do
        "$vecd" bench lowram --base "$data/base.fvecs" --queries "$data/query.fvecs" --truth "$data/gt.ivecs" \
            --storage "$storage" --ef-search 64,128,256 --segment "$work/segment-$rows-$storage.vseg" \
            --json "$out/lowram-$rows-$storage.json" 2>&1 | tee "$out/lowram-$rows-$storage.log"
        rm -f "$work/segment-$rows-$storage.vseg"
    done
done
