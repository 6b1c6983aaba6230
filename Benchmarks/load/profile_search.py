#!/usr/bin/env python3
"""CPU profile of `vecd serve` under the search load of load.py: where a search request's time goes.

Loads the first --rows base vectors into --data once (over HTTP, as load.py does; later runs reuse the directory, so
several binaries can be profiled on the same store), then serves it, drives POST /v1/collections/load/search with wrk
(search.lua, the same bodies as load.py) and samples the server with `perf record -g`. Prints wrk's figures and the
share of samples per shared object and per symbol group (`perf report --sort dso,sym`).

Standard library only; needs wrk and perf on PATH.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import load  # noqa: E402  (the loader, body format and wrk parsing of the serving benchmark)

# Symbol groups, matched on the demangled name or the shared object; the first match wins.
GROUPS = [
    ("search body scanner and answer writer (vecd)", ("JSONByteScanner", "JSONDecimal", "SearchRequestScanner",
                                                      "JSONByteWriter", "SearchResponseWriter")),
    ("Foundation JSON and Codable", ("JSONDecoder", "JSONEncoder", "JSONMap", "JSONScanner", "JSONWriter",
                                     "__JSONEncoder", "JSONDecoderImpl", "_JSONUnkeyedDecodingContainer",
                                     "JSONUnkeyedDecoder", "JSONKeyedDecoder", "_JSONKeyedDecodingContainer")),
    ("HNSW walk and distance kernels (vecd)", ("searchLayer", "HNSWGraph", "Kernel", "distance", "cosine")),
    ("strtof / strtod", ("strtof", "strtod", "____strtof", "____strtod", "__mpn_", "round_and_return")),
    ("malloc / free", ("malloc", "free", "_int_malloc", "_int_free", "cfree", "realloc")),
    ("SQLite", ("sqlite3",)),
]


def group_of(dso, symbol):
    for name, needles in GROUPS:
        if any(needle in symbol for needle in needles):
            return name
    if "libswiftCore" in dso or "swift_" in symbol:
        return "Swift runtime (retain/release, metadata, other stdlib)"
    if "Foundation" in dso:
        return "Foundation, other"
    if dso == "[kernel]" or dso.startswith("[kernel"):
        return "kernel"
    if "vecd" in dso:
        return "vecd, other"
    return "other: " + dso


def profile(perf_data):
    report = subprocess.run(
        ["perf", "report", "-i", perf_data, "--no-children", "--sort", "dso,sym", "--stdio", "--percent-limit", "0"],
        capture_output=True, text=True, check=True).stdout
    groups = collections.Counter()
    top = []
    for line in report.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or not line[0].isdigit():
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or not parts[0].endswith("%"):
            continue
        share = float(parts[0][:-1])
        # Columns: overhead, shared object, then "[.] symbol" (user space) or "[k] symbol" (kernel).
        dso = parts[1]
        kind, _, symbol = parts[2].partition(" ")
        if kind == "[k]":
            dso = "[kernel]"
        symbol = symbol.strip()
        groups[group_of(dso, symbol)] += share
        if len(top) < 25:
            top.append((share, dso, symbol[:110]))
    return groups, top


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vecd", required=True, help="path of the vecd binary (release build)")
    parser.add_argument("--data", required=True, help="store directory; loaded on first use, reused after")
    parser.add_argument("--base", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--vecd-ef-search", type=int, help="ef_search sent with each search (default: the server's)")
    parser.add_argument("--perf-data", required=True, help="where perf record writes its samples")
    parser.add_argument("--out", help="write the JSON report here")
    args = parser.parse_args()

    queries = load.read_vecs(args.queries)
    work = tempfile.mkdtemp(prefix="vecd-profile-")
    bodies = os.path.join(work, "bodies.jsonl")
    with open(bodies, "w") as f:
        for query in queries:
            f.write(json.dumps(load.search_body(query, 10, args.vecd_ef_search)) + "\n")
    fresh = not os.path.exists(os.path.join(args.data, "vecd.sqlite"))
    process, base = load.start_vecd(args.vecd, args.data)
    try:
        if fresh:
            load.load_vecd(base, load.read_vecs(args.base, limit=args.rows), 500)
        # Warm-up: the first searches map the segment and fill caches.
        load.run_wrk(base, os.path.join(HERE, "search.lua"), [bodies], args.clients, 2)
        perf = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-p", str(process.pid), "-o", args.perf_data,
                                 "--", "sleep", str(args.seconds)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        wrk = load.parse_wrk(load.run_wrk(base, os.path.join(HERE, "search.lua"), [bodies], args.clients,
                                          args.seconds))
        perf.wait(timeout=120)
    finally:
        process.terminate()
        process.wait(timeout=60)
    groups, top = profile(args.perf_data)
    report = {"vecd": args.vecd, "rows": args.rows, "clients": args.clients, "seconds": args.seconds,
              "vecd_ef_search": args.vecd_ef_search, "search": wrk,
              "cpu_share_percent": dict(sorted(groups.items(), key=lambda item: -item[1])),
              "top_symbols": [{"percent": share, "dso": dso, "symbol": symbol} for share, dso, symbol in top]}
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
