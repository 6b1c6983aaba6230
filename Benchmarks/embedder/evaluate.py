#!/usr/bin/env python3
"""Recall@10 of vecd's offline embedder against SQLite FTS5 bm25, both measured against the exact e5 top-10 of
debian-384 (the dataset's README describes it).

    Benchmarks/embedder/evaluate.py [--data /work/shared/datasets/debian-384] [--dimension 384] [--skip-bm25]

Builds Benchmarks/embedder (release) and runs its EmbedderEvaluation executable, which embeds base.txt and
queries.txt with HashingEmbedder, searches exactly by cosine and reports recall and single-thread throughput. Recall is also given for the first
half of the queries (0–499, the half recipes are tuned on) and the held-out second half.
bm25 uses Python's sqlite3 (FTS5): each query's words joined with OR (FTS5's default AND returns fewer than ten rows
for most synopses, which would flatter the embedder), with the unicode61 and porter tokenizers, plus the AND form
for reference. Prints one JSON object.
"""
import argparse
import json
import os
import re
import sqlite3
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../.."))


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def read_truth(path, k=10):
    import struct
    rows = []
    with open(path, "rb") as handle:
        data = handle.read()
    offset = 0
    while offset < len(data):
        (width,) = struct.unpack_from("<i", data, offset)
        rows.append(list(struct.unpack_from(f"<{min(k, width)}i", data, offset + 4)))
        offset += 4 + 4 * width
    return rows


def bm25_recall(base, queries, truth, tokenizer, operator):
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE passages USING fts5(body, tokenize='{tokenizer}')")
    connection.executemany("INSERT INTO passages(rowid, body) VALUES (?, ?)", enumerate(base))
    hits = [0] * len(queries)
    started = time.perf_counter()
    for index, query in enumerate(queries):
        words = re.findall(r"\w+", query.lower())
        if not words:
            continue
        match = f" {operator} ".join('"%s"' % word for word in words)
        rows = connection.execute(
            "SELECT rowid FROM passages WHERE passages MATCH ? ORDER BY bm25(passages) LIMIT 10", (match,))
        hits[index] = len({row[0] for row in rows} & set(truth[index]))
    seconds = time.perf_counter() - started
    half = len(queries) // 2
    return {"recall_at_10": sum(hits) / (10 * len(queries)),
            "recall_at_10_tuning_half": sum(hits[:half]) / (10 * half),
            "recall_at_10_held_out_half": sum(hits[half:]) / (10 * (len(queries) - half)),
            "queries_per_second": len(queries) / seconds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/work/shared/datasets/debian-384")
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--recipe", help="word,pair,characterGrams,rarityExponent,leadBoost,leadWords,termFrequencyScale")
    parser.add_argument("--skip-bm25", action="store_true")
    arguments = parser.parse_args()
    base_path = os.path.join(arguments.data, "base.txt")
    query_path = os.path.join(arguments.data, "queries.txt")
    truth_path = os.path.join(arguments.data, "gt.ivecs")

    scratch = os.path.join(ROOT, ".build-embedder-evaluation")
    subprocess.run(["swift", "build", "-c", "release", "--package-path", HERE, "--scratch-path", scratch],
                   check=True, stdout=subprocess.DEVNULL)
    command = [os.path.join(scratch, "release", "EmbedderEvaluation"), "--base", base_path, "--queries", query_path,
               "--truth", truth_path, "--dimension", str(arguments.dimension)]
    if arguments.recipe:
        command += ["--recipe", arguments.recipe]
    report = {"hashing_embedder": json.loads(subprocess.run(command, check=True, capture_output=True).stdout)}

    if not arguments.skip_bm25:
        base, queries, truth = read_lines(base_path), read_lines(query_path), read_truth(truth_path)
        report["fts5_bm25_or_unicode61"] = bm25_recall(base, queries, truth, "unicode61", "OR")
        report["fts5_bm25_or_porter"] = bm25_recall(base, queries, truth, "porter unicode61", "OR")
        report["fts5_bm25_and_unicode61"] = bm25_recall(base, queries, truth, "unicode61", "AND")
    print(json.dumps(report, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
