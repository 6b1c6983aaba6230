#!/usr/bin/env python3
"""Runs compare.py several times in a row and reports the median of each ratio, with its spread.

    python3 repeat.py --runs 3 --out DIR -- --vecd .build/release/vecd --base B.fvecs --queries Q.fvecs --truth T.ivecs
    python3 repeat.py --report-only --out DIR

Everything after `--` goes to compare.py unchanged; run i writes DIR/run-i. One run of compare.py measures every
engine one after the other, so a burst of load from another job lands on whichever engine ran at that moment;
repeating whole runs alternates the engines, and the median of the per-run ratios is far steadier than any single
run's (the figures BENCHMARKS.md quotes for vecd vs the anchors come from here).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run_dirs(out):
    names = sorted((n for n in os.listdir(out) if n.startswith("run-")), key=lambda n: int(n.split("-")[1]))
    return [os.path.join(out, n) for n in names]


def load_summaries(out):
    summaries = []
    for directory in run_dirs(out):
        path = os.path.join(directory, "summary.json")
        if os.path.exists(path):
            with open(path) as f:
                summaries.append((os.path.basename(directory), json.load(f)))
    return summaries


def spread(values):
    """(median, min, max, count) of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return statistics.median(present), min(present), max(present), len(present)


def fmt(stat, unit=""):
    if stat is None:
        return "—"
    median, low, high, count = stat
    return f"{median:,.2f}{unit} ({low:,.2f}–{high:,.2f}, n={count})"


def aggregate(summaries):
    """Median and range over the runs of every ratio, every QPS at recall and every build figure."""
    keys = sorted({k for _, s in summaries for k in s.get("ratios", {})})
    ratios = {k: spread([s["ratios"].get(k) for _, s in summaries]) for k in keys}
    engines = sorted({e for _, s in summaries for e in s.get("qps_at_recall", {})})
    qps = {}
    for engine in engines:
        for target in ("0.9", "0.95"):
            values = [(s["qps_at_recall"].get(engine, {}).get(target) or [None])[0] for _, s in summaries]
            qps[f"{engine}@{target}"] = spread(values)
    build = {}
    for engine in sorted({e for _, s in summaries for e in s.get("build", {})}):
        for field in ("seconds_1t", "seconds_nt", "speedup"):
            build[f"{engine} {field}"] = spread([s["build"].get(engine, {}).get(field) for _, s in summaries])
    speedup_pairs = {}
    for _, s in summaries:
        mine = s.get("build", {}).get("vecd", {}).get("speedup")
        for engine, entry in s.get("build", {}).items():
            if engine != "vecd" and mine is not None and entry.get("speedup"):
                speedup_pairs.setdefault(engine, []).append(mine / entry["speedup"])
    speedup_ratios = {engine: spread(values) for engine, values in speedup_pairs.items()}
    return {"ratios": ratios, "qps_at_recall": qps, "build": build, "speedup_ratio_vecd_over": speedup_ratios}


def report(out, summaries):
    result = aggregate(summaries)
    lines = [f"# vecd vs anchors: median of {len(summaries)} runs ({', '.join(n for n, _ in summaries)})", "",
             "Each cell: median (min–max, number of runs that reached the point). Per-run reports: run-*/report.md.",
             "", "## Ratios (QPS above 1: vecd faster; build time below 1: vecd faster)", "",
             "| ratio | median (range) |", "|---|---|"]
    lines += [f"| {k} | {fmt(v, '×')} |" for k, v in result["ratios"].items()]
    lines += ["", "## 2-thread build speed-up, vecd's divided by the anchor's (same run)", "",
              "| anchor | median (range) |", "|---|---|"]
    lines += [f"| {k} | {fmt(v, '×')} |" for k, v in result["speedup_ratio_vecd_over"].items()]
    lines += ["", "## Single-thread QPS at recall", "", "| engine@recall | median (range) |", "|---|---|"]
    lines += [f"| {k} | {fmt(v)} |" for k, v in result["qps_at_recall"].items()]
    lines += ["", "## Build", "", "| engine figure | median (range) |", "|---|---|"]
    lines += [f"| {k} | {fmt(v)} |" for k, v in result["build"].items()]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(result, f, indent=2)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", required=True)
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("compare_args", nargs=argparse.REMAINDER, help="-- then compare.py's arguments")
    args = parser.parse_args()
    forwarded = args.compare_args[1:] if args.compare_args[:1] == ["--"] else args.compare_args
    os.makedirs(args.out, exist_ok=True)
    if not args.report_only:
        if not forwarded:
            parser.error("pass compare.py's arguments after --")
        first = len(run_dirs(args.out)) + 1
        for i in range(first, first + args.runs):
            command = [sys.executable, os.path.join(HERE, "compare.py"), *forwarded,
                       "--out", os.path.join(args.out, f"run-{i}")]
            print(f"== run {i}: " + " ".join(command), flush=True)
            subprocess.run(command, check=True)
    summaries = load_summaries(args.out)
    if not summaries:
        raise SystemExit(f"no run-*/summary.json in {args.out}")
    print(report(args.out, summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
