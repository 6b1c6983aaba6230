#!/usr/bin/env python3
"""Writes a duplicate-heavy data set for compare.py: clustered unique rows plus repeated vectors, with exact truth.

    .venv/bin/python Benchmarks/compare/duplicates.py --out bench-out/dup --unique 5000 --distinct 40 --copies 250 \\
        --placement first
    .venv/bin/python Benchmarks/compare/compare.py ... --base bench-out/dup/base.fvecs --queries bench-out/dup/query.fvecs \\
        --truth bench-out/dup/gt.ivecs --truth-distances bench-out/dup/gt_dist.fvecs

Knowledge bases repeat text (FAQ templates, footers, a chunk ingested twice), so the same vector appears many times.
`--placement` puts the copies before the unique rows, after them, or shuffled among them; `--near-noise` makes each
copy differ from its original by that much relative noise per component (1e-6 is float rounding), 0 makes exact
copies. Truth is computed exactly in float64 (cosine, unit-length rows); because copies tie, recall must be measured
tie-aware from gt_dist.fvecs (`--truth-distances`), which `vecd bench ann` and anchors.py both do.
"""

import argparse
import json
import os

import numpy as np


def clustered(rng, rows, dim, centres, spread=0.35):
    picks = rng.integers(0, len(centres), size=rows)
    return (centres[picks] + spread * rng.standard_normal((rows, dim))).astype(np.float32)


def write_vecs(path, matrix, dtype):
    matrix = np.ascontiguousarray(matrix, dtype=dtype)
    rows = np.empty((matrix.shape[0], matrix.shape[1] + 1), dtype=np.int32)
    rows[:, 0] = matrix.shape[1]
    rows[:, 1:] = matrix.view(np.int32)
    rows.tofile(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--unique", type=int, default=5000)
    parser.add_argument("--distinct", type=int, default=40)
    parser.add_argument("--copies", type=int, default=250)
    parser.add_argument("--placement", choices=["first", "last", "mixed"], default="first")
    parser.add_argument("--near-noise", type=float, default=0.0)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--k", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    centres = rng.standard_normal((20, args.dim))
    unique = clustered(rng, args.unique, args.dim, centres)
    originals = clustered(rng, args.distinct, args.dim, centres)
    repeated = np.tile(originals, (args.copies, 1))
    if args.near_noise > 0:
        repeated = repeated * (1 + args.near_noise * rng.standard_normal(repeated.shape)).astype(np.float32)
    if args.placement == "first":
        base = np.vstack([repeated, unique])
    elif args.placement == "last":
        base = np.vstack([unique, repeated])
    else:
        base = np.vstack([unique, repeated])[rng.permutation(len(unique) + len(repeated))]
    base = (base / np.linalg.norm(base, axis=1, keepdims=True)).astype(np.float32)
    queries = clustered(rng, args.queries, args.dim, centres)
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)

    distances = 1.0 - queries.astype(np.float64) @ base.astype(np.float64).T
    truth = np.argsort(distances, axis=1, kind="stable")[:, : args.k]
    truth_distances = np.take_along_axis(distances, truth, axis=1)

    os.makedirs(args.out, exist_ok=True)
    write_vecs(os.path.join(args.out, "base.fvecs"), base, np.float32)
    write_vecs(os.path.join(args.out, "query.fvecs"), queries, np.float32)
    write_vecs(os.path.join(args.out, "gt.ivecs"), truth.astype(np.int32), np.int32)
    write_vecs(os.path.join(args.out, "gt_dist.fvecs"), truth_distances.astype(np.float32), np.float32)
    meta = {key: value for key, value in vars(args).items() if key != "out"}
    meta["rows"] = int(len(base))
    meta["duplicate_fraction"] = round(len(repeated) / len(base), 4)
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(f"wrote {len(base)} rows ({meta['duplicate_fraction']:.0%} copies), {len(queries)} queries to {args.out}")


if __name__ == "__main__":
    main()
