#!/usr/bin/env python3
"""How hard a grown set's top-10 is to get right: per query, the exact cosine distances to the 10th and 11th nearest
base rows (d11/d10: 1.0 means the 10th and 11th are tied and noise decides recall), and how many of the true top-10
come from one source row (row j of a grown set is anchored on source row j mod SOURCE_ROWS; `vecd bench dataset`
keeps that order for every method).

    neighbour_contrast.py BASE.fvecs QUERY.fvecs SOURCE_ROWS [--json OUT]

Exact scan in float32 with numpy (1M x 1,000 queries: about a minute on 2 cores). Prints one JSON object.
"""
import json
import sys

import numpy as np


def read_fvecs(path):
    raw = np.memmap(path, dtype=np.int32, mode="r")
    dim = int(raw[0])
    return np.asarray(raw.reshape(-1, dim + 1)[:, 1:].view(np.float32))


def normalized(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def top_k(base, queries, k, chunk=100_000):
    best_d = np.full((len(queries), 0), np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(base), chunk):
        block = normalized(base[start:start + chunk].astype(np.float32))
        d = 1.0 - queries @ block.T
        part = np.argpartition(d, k, axis=1)[:, :k]
        best_d = np.concatenate([best_d, np.take_along_axis(d, part, 1)], axis=1)
        best_i = np.concatenate([best_i, part + start], axis=1)
        keep = np.argsort(best_d, axis=1)[:, :k]
        best_d = np.take_along_axis(best_d, keep, 1)
        best_i = np.take_along_axis(best_i, keep, 1)
    return best_d, best_i


def quantiles(values):
    q = np.quantile(values, [0.1, 0.25, 0.5, 0.75, 0.9])
    return {"p10": float(q[0]), "p25": float(q[1]), "p50": float(q[2]), "p75": float(q[3]), "p90": float(q[4]),
            "mean": float(np.mean(values))}


def main():
    base_path, query_path, source_rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base = read_fvecs(base_path)
    queries = normalized(read_fvecs(query_path).astype(np.float32))
    d, ids = top_k(base, queries, 11)
    d = np.maximum(d, 1e-9)
    ratio = d[:, 10] / d[:, 9]
    sources = ids[:, :10] % source_rows
    largest_share = np.array([np.bincount(np.unique(s, return_inverse=True)[1]).max() for s in sources])
    report = {
        "base": base_path, "rows": int(len(base)), "queries": int(len(queries)), "source_rows": source_rows,
        "d10": quantiles(d[:, 9]), "d11_over_d10": quantiles(ratio),
        "d10_over_d1": quantiles(d[:, 9] / d[:, 0]),
        "queries_with_d11_within_1pct_of_d10": float(np.mean(ratio < 1.01)),
        "top10_largest_share_of_one_source": quantiles(largest_share),
        "queries_with_top10_from_one_source": float(np.mean(largest_share == 10)),
    }
    text = json.dumps(report, indent=1)
    print(text)
    if "--json" in sys.argv:
        with open(sys.argv[sys.argv.index("--json") + 1], "w") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
