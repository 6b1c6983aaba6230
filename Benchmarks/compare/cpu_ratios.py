#!/usr/bin/env python3
"""QPS at equal recall on CPU time, from the JSON files compare.py leaves in its --out folder.

On a shared machine the wall-clock QPS of a one-thread query loop drops with whatever else runs; the CPU time the
query thread itself used does not (cache contention aside). Each engine's CPU-time QPS is its wall QPS divided by
the loop's cpu/wall: vecd reports it per efSearch (`cpu_qps`), anchors.py reports `cpu_per_wall` per efSearch.

    python3 Benchmarks/compare/cpu_ratios.py --out bench-out/debian-384
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import load_engines, qps_at_recall  # noqa: E402

TARGETS = (0.90, 0.95)


def cpu_rows(entry):
    rows = []
    for row in entry["rows"]:
        if row.get("cpu_qps"):
            qps = row["cpu_qps"]
        elif row.get("cpu_per_wall"):
            qps = row["qps"] / row["cpu_per_wall"]
        else:
            return None
        rows.append({"ef_search": row["ef_search"], "recall": row["recall"], "qps": qps,
                     "cpu_per_wall": row.get("cpu_per_wall")})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the folder compare.py wrote")
    args = parser.parse_args()
    engines = load_engines(args.out)
    curves = {name: cpu_rows(entry) for name, entry in engines.items()}
    print("| engine | CPU-time QPS @ 0.90 | CPU-time QPS @ 0.95 | lowest cpu/wall |")
    print("|---|---|---|---|")
    at = {}
    for name, rows in curves.items():
        if rows is None:
            print(f"| {name} | no CPU time recorded | | |")
            continue
        at[name] = {t: qps_at_recall(rows, t)[0] for t in TARGETS}
        lowest = min((r["cpu_per_wall"] or 1.0) for r in rows)
        cells = [f"{at[name][t]:,.0f}" if at[name][t] else "not reached" for t in TARGETS]
        print(f"| {name} | {cells[0]} | {cells[1]} | {lowest:.2f} |")
    print()
    print("| pair | CPU-time QPS ratio @ 0.90 | @ 0.95 |")
    print("|---|---|---|")
    for mine, theirs in (("vecd", "hnswlib"), ("vecd", "faiss"), ("vecd", "usearch-f32"),
                         ("vecd-f16", "usearch-f16"), ("vecd-int8", "usearch-i8")):
        if mine in at and theirs in at:
            cells = [f"{at[mine][t] / at[theirs][t]:.2f}×" if at[mine][t] and at[theirs][t] else "—" for t in TARGETS]
            print(f"| {mine} / {theirs} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
