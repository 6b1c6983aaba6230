#!/usr/bin/env bash
# Times the C reference kernels and vecd's Swift kernels under the same protocol, and prints Swift/C ratios.
#
#   Benchmarks/reference/run.sh [--vecd PATH] [--out DIR] [--dims 384,1536,383] [--rows 100000]
#
# Builds bench_kernels with `clang -O3 -march=x86-64-v3` (the level vecd's release build targets), and also with
# `-march=native` when the CPU has AVX-512 (where native differs from v3), runs each, then runs
# `vecd bench kernels --json` (default vecd: .build/release/vecd). Results: DIR/c-x86-64-v3.json, DIR/c-native.json,
# DIR/swift.json (default DIR: a temporary folder). A ratio above 1 means the Swift kernel is slower than C.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
vecd="$repo_root/.build/release/vecd"
out=""
dims="384,1536,383"
rows="100000"
while [ $# -gt 0 ]; do
    case "$1" in
        --vecd) vecd="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --dims) dims="$2"; shift 2 ;;
        --rows) rows="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$out" ]; then out="$(mktemp -d "${TMPDIR:-/tmp}/vecd-kernels.XXXXXX")"; fi
mkdir -p "$out"
cc="${CC:-clang}"

marches=("x86-64-v3")
if [ "$(uname -m)" != "x86_64" ]; then
    marches=("native")  # aarch64: NEON is baseline; native is the only meaningful level
elif grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
    marches+=("native")
fi

c_files=()
for march in "${marches[@]}"; do
    binary="$out/bench_kernels-$march"
    "$cc" -O3 -march="$march" -std=c11 -Wall -Wextra -DMARCH_LABEL="\"$march\"" \
        -o "$binary" "$here/kernels.c" "$here/bench_kernels.c" -lm
    echo "C reference, -march=$march:" >&2
    "$binary" --dims "$dims" --rows "$rows" > "$out/c-$march.json"
    c_files+=("$out/c-$march.json")
done

swift_file=""
if [ -x "$vecd" ]; then
    echo "Swift kernels: $vecd bench kernels" >&2
    if "$vecd" bench kernels --dims "$dims" --rows "$rows" --json "$out/swift.json" >&2; then
        swift_file="$out/swift.json"
    else
        echo "run.sh: '$vecd bench kernels' failed (is the subcommand registered in this build?); C only" >&2
    fi
else
    echo "run.sh: $vecd not found (build it with swift build -c release, or pass --vecd); C only" >&2
fi

python3 - "$swift_file" "${c_files[@]}" <<'PY'
import json, sys

swift_path, c_paths = sys.argv[1], sys.argv[2:]
swift = {}
if swift_path:
    for r in json.load(open(swift_path))["results"]:
        swift[(r["kernel"], r["dim"])] = r
for path in c_paths:
    c = json.load(open(path))
    print(f"\n## Swift / C ({c['march']}), ns per distance; ratio > 1: Swift slower\n")
    print("| kernel | dim | C hot | Swift hot | hot ratio | C scan | Swift scan | scan ratio | check agrees |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in c["results"]:
        s = swift.get((r["kernel"], r["dim"]))
        if s is None:
            print(f"| {r['kernel']} | {r['dim']} | {r['hot_ns']:.2f} | — | — | {r['scan_ns']:.2f} | — | — | — |")
            continue
        scale = max(abs(r["check"]), 1e-6)
        agrees = "yes" if abs(s["check"] - r["check"]) <= 1e-3 * scale else f"NO ({s['check']:.6g} vs {r['check']:.6g})"
        print(f"| {r['kernel']} | {r['dim']} | {r['hot_ns']:.2f} | {s['hot_ns']:.2f} | {s['hot_ns'] / r['hot_ns']:.2f} "
              f"| {r['scan_ns']:.2f} | {s['scan_ns']:.2f} | {s['scan_ns'] / r['scan_ns']:.2f} | {agrees} |")
PY
echo "raw results in $out" >&2
