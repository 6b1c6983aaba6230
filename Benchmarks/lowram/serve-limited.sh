#!/usr/bin/env bash
# Serves an int8 (or f16) segment in low-RAM mode under a cgroup-v1 memory limit, from a cold page cache, and reports
# the cgroup's peak usage and limit hits beside recall and QPS.
#
#   Benchmarks/lowram/serve-limited.sh VECD SEGMENT QUERIES TRUTH LIMIT_BYTES EF_SEARCH OUT_JSON
#
# The limit group is created inside this shell's own memory cgroup (so it nests under whatever limits that has) and
# removed afterwards. The segment is dropped from the page cache first (`--drop-cache`): otherwise its pages would
# stay charged to whoever wrote them, and the limit would not see them. Exits 2 when cgroup v1 memory is not writable.
set -euo pipefail
vecd=$1 segment=$2 queries=$3 truth=$4 limit=$5 ef=$6 json=$7
parent=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
group="$parent/vecd-lowram-$$"
if ! mkdir "$group" 2>/dev/null; then
    echo "cgroup v1 memory is not writable here ($parent); no limited run" >&2
    exit 2
fi
trap 'rmdir "$group" 2>/dev/null || true' EXIT
echo "$limit" > "$group/memory.limit_in_bytes"
storage=$(basename "$segment" | sed 's/.*\.//')
echo "memory limit $limit bytes ($(awk -v b="$limit" 'BEGIN { printf "%.1f MiB", b / 1048576 }')) in $group"
sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' limited "$group" \
    "$vecd" bench lowram --serve --drop-cache --segment "$segment" --queries "$queries" --truth "$truth" \
    --storage "$storage" --ef-search "$ef" --json "$json"
echo "cgroup: limit $(cat "$group/memory.limit_in_bytes"), peak usage $(cat "$group/memory.max_usage_in_bytes"), limit hits $(cat "$group/memory.failcnt")"
grep -E '^(total_)?(cache|rss|mapped_file|pgmajfault) ' "$group/memory.stat" || true
