#!/usr/bin/env python3
"""Anchor ANN engines (hnswlib, FAISS HNSWFlat, USearch f32/f16/i8) under the protocol `vecd bench ann` uses.

Each engine builds an HNSW index on L2-normalized base vectors with cosine distance (M, efConstruction as given),
once with one thread and once with N threads (the speed-up is reported), then answers the queries one per call on
one thread, after 200 warm-up queries, for each efSearch. Searches run on the index built with one thread.

Output: {"engines": [...]} in the JSON schema of `vecd bench ann` (build_seconds, threads, memory_bytes, rows with
ef_search, recall, qps, p50_ms, p99_ms), plus anchor-only keys (build_seconds_1t/_nt, speedup, versions, load).

Needs numpy, hnswlib, faiss-cpu and usearch: Benchmarks/setup-venv.sh installs the pinned versions.
"""

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli import int_list  # noqa: E402

ALL_ENGINES = ["hnswlib", "faiss", "usearch-f32", "usearch-f16", "usearch-i8"]
WARMUP_QUERIES = 200


# ---------------------------------------------------------------------------------------------- data files


def read_vecs(path, dtype):
    """Reads a TEXMEX .fvecs/.ivecs file: per row an int32 dimension, then that many 4-byte values."""
    raw = np.fromfile(path, dtype=np.int32)
    if raw.size == 0:
        raise SystemExit(f"{path}: empty file")
    dim = int(raw[0])
    if dim <= 0 or raw.size % (dim + 1) != 0:
        raise SystemExit(f"{path}: not a TEXMEX vecs file (first dimension {dim}, {raw.size * 4} bytes)")
    rows = raw.reshape(-1, dim + 1)
    if not np.all(rows[:, 0] == dim):
        raise SystemExit(f"{path}: rows have different dimensions")
    return np.ascontiguousarray(rows[:, 1:]).view(dtype)


def normalized(vectors):
    """Unit-length rows (zero rows stay zero), as float32: cosine then equals inner product for every engine."""
    vectors = vectors.astype(np.float32, copy=True)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


# ---------------------------------------------------------------------------------------------- measurement


def resident_bytes():
    """This process's resident set size (VmRSS), or 0 where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def percentile(sorted_values, p):
    """Nearest-rank percentile, the same rule as vecd's `Percentile.of`."""
    if not sorted_values:
        return 0.0
    rank = int(np.ceil(p * len(sorted_values))) - 1
    return sorted_values[min(max(rank, 0), len(sorted_values) - 1)]


def recall_at_k(found, truth, k):
    """Mean |found top-k ∩ exact top-k| / k over the queries."""
    hits = 0
    for row, exact in zip(found, truth):
        hits += len(set(int(x) for x in row[:k]) & set(int(x) for x in exact[:k]))
    return hits / (k * len(truth))


def tie_aware_recall_at_k(found, base, queries, truth_distances, k):
    """Mean share of each query's first k results whose exact cosine distance is the true k-th or closer (within
    1e-5): a copy of a true neighbour counts the same as the neighbour. `base` and `queries` are unit length."""
    hits = 0
    for q, row in enumerate(found):
        ids = [int(x) for x in row[:k] if 0 <= int(x) < len(base)]
        if ids:
            distances = 1.0 - base[ids].astype(np.float64) @ queries[q].astype(np.float64)
            hits += int(np.sum(distances <= float(truth_distances[q][k - 1]) + 1e-5))
    return hits / (k * len(found))


def measure_queries(search, queries, truth, k, recall=None):
    """One query per call on this thread: warm-up, then every query timed on its own."""
    for q in queries[: min(WARMUP_QUERIES, len(queries))]:
        search(q)
    latencies = []
    found = []
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    for q in queries:
        t0 = time.perf_counter()
        ids = search(q)
        latencies.append((time.perf_counter() - t0) * 1000.0)
        found.append(ids)
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    latencies.sort()
    return {
        "recall": round(recall(found) if recall else recall_at_k(found, truth, k), 6),
        "qps": round(len(queries) / wall, 2),
        "p50_ms": round(percentile(latencies, 0.50), 4),
        "p99_ms": round(percentile(latencies, 0.99), 4),
        "mean_ms": round(sum(latencies) / len(latencies), 4),
        # Below ~0.95 another process took this core part of the time: the QPS is then pessimistic.
        "cpu_per_wall": round(cpu / wall, 3) if wall > 0 else None,
    }


def file_size_after(save):
    """Size in bytes of the file `save(path)` writes: the index's graph and vectors as the engine stores them."""
    with tempfile.TemporaryDirectory(prefix="vecd-anchor-") as directory:
        path = os.path.join(directory, "index")
        save(path)
        return os.path.getsize(path)


# ---------------------------------------------------------------------------------------------- engines
# Each engine is a small adapter: build(vectors, threads) -> index, prepare(index, ef), search(index, q) -> ids,
# save(index, path). The query vectors passed to `search` are 1-D float32 rows of a contiguous array.


class Hnswlib:
    name = "hnswlib"
    storage = "f32"

    def __init__(self, args):
        import hnswlib

        self.lib = hnswlib
        self.args = args
        self.version = getattr(hnswlib, "__version__", None) or package_version("hnswlib")

    def build(self, vectors, threads):
        index = self.lib.Index(space="cosine", dim=vectors.shape[1])
        index.init_index(max_elements=len(vectors), ef_construction=self.args.ef_construction, M=self.args.m,
                         random_seed=100)
        index.add_items(vectors, np.arange(len(vectors)), num_threads=threads)
        return index

    def prepare(self, index, ef):
        index.set_ef(ef)
        index.set_num_threads(1)

    def search(self, index, q, k):
        labels, _ = index.knn_query(q, k=k, num_threads=1)
        return labels[0]

    def memory(self, index):
        return file_size_after(index.save_index)


class Faiss:
    name = "faiss"
    storage = "f32"

    def __init__(self, args):
        import faiss

        self.lib = faiss
        self.args = args
        self.version = faiss.__version__

    def build(self, vectors, threads):
        self.lib.omp_set_num_threads(threads)
        # Inner product on unit vectors orders neighbours exactly as cosine distance does.
        index = self.lib.IndexHNSWFlat(vectors.shape[1], self.args.m, self.lib.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = self.args.ef_construction
        index.add(vectors)
        return index

    def prepare(self, index, ef):
        self.lib.omp_set_num_threads(1)
        index.hnsw.efSearch = ef

    def search(self, index, q, k):
        _, labels = index.search(q.reshape(1, -1), k)
        return labels[0]

    def memory(self, index):
        return file_size_after(lambda path: self.lib.write_index(index, path))


class USearch:
    storage = None

    def __init__(self, args, dtype):
        import usearch
        from usearch.index import Index

        self.index_type = Index
        self.args = args
        self.dtype = dtype
        self.name = f"usearch-{dtype}"
        self.storage = {"f32": "f32", "f16": "f16", "i8": "int8"}[dtype]
        self.version = usearch.__version__

    def build(self, vectors, threads):
        # connectivity = M; USearch keeps 2·M links on the ground layer, as hnswlib and FAISS do.
        index = self.index_type(ndim=vectors.shape[1], metric="cos", dtype=self.dtype,
                                connectivity=self.args.m, expansion_add=self.args.ef_construction)
        index.add(np.arange(len(vectors), dtype=np.uint64), vectors, threads=threads)
        return index

    def prepare(self, index, ef):
        index.expansion_search = ef

    def search(self, index, q, k):
        return index.search(q, k, threads=1).keys

    def memory(self, index):
        return file_size_after(index.save)


def package_version(name):
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001 - a missing version string must not stop a benchmark
        return None


def make_engine(name, args):
    if name == "hnswlib":
        return Hnswlib(args)
    if name == "faiss":
        return Faiss(args)
    if name.startswith("usearch-"):
        return USearch(args, name.split("-", 1)[1])
    raise SystemExit(f"unknown engine {name!r}; choose from {', '.join(ALL_ENGINES)}")


def process_cpu_seconds():
    """User + system CPU time of this process, all threads: a build whose wall time exceeds it waited for a core."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_engine(engine, base, queries, truth, args, log):
    """Builds with 1 and N threads, then measures every efSearch on the 1-thread index."""
    result = {"engine": engine.name, "version": engine.version, "storage": engine.storage, "metric": "cosine",
              "m": args.m, "ef_construction": args.ef_construction, "k": args.k, "base_rows": len(base),
              "query_rows": len(queries), "dimension": base.shape[1], "threads": args.threads,
              "load_average_before": load_average()}
    if args.threads > 1:
        start, cpu_start = time.perf_counter(), process_cpu_seconds()
        index = engine.build(base, args.threads)
        result["build_seconds_nt"] = round(time.perf_counter() - start, 3)
        result["build_cpu_seconds_nt"] = round(process_cpu_seconds() - cpu_start, 3)
        log(f"{engine.name}: build {result['build_seconds_nt']:.2f} s on {args.threads} threads")
        del index
        gc.collect()

    rss_before = resident_bytes()
    start, cpu_start = time.perf_counter(), process_cpu_seconds()
    index = engine.build(base, 1)
    result["build_seconds_1t"] = round(time.perf_counter() - start, 3)
    result["build_cpu_seconds_1t"] = round(process_cpu_seconds() - cpu_start, 3)
    result["rss_growth_bytes"] = resident_bytes() - rss_before
    result["build_seconds"] = result["build_seconds_1t"]
    if args.threads == 1:
        result["build_seconds_nt"] = result["build_seconds_1t"]
    result["speedup"] = round(result["build_seconds_1t"] / result["build_seconds_nt"], 3)
    log(f"{engine.name}: build {result['build_seconds_1t']:.2f} s on 1 thread "
        f"(speed-up with {args.threads}: {result['speedup']:.2f}x)")
    result["memory_bytes"] = engine.memory(index)
    result["memory_source"] = "saved index file (graph + vectors)"

    rows = []
    for ef in args.ef_search:
        engine.prepare(index, ef)
        row = {"ef_search": ef}
        tie_aware = None
        if args.truth_distances_matrix is not None:
            def tie_aware(found):
                return tie_aware_recall_at_k(found, base, queries, args.truth_distances_matrix, args.k)
        row.update(measure_queries(lambda q: engine.search(index, q, args.k), queries, truth, args.k, tie_aware))
        rows.append(row)
        log(f"{engine.name}: ef_search {ef:4d}  recall {row['recall']:.4f}  qps {row['qps']:9.1f}  "
            f"p50 {row['p50_ms']:.3f} ms  p99 {row['p99_ms']:.3f} ms  cpu/wall {row['cpu_per_wall']}")
    result["rows"] = rows
    del index
    gc.collect()
    return result


# ---------------------------------------------------------------------------------------------- command line


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="base vectors (.fvecs)")
    parser.add_argument("--queries", required=True, help="query vectors (.fvecs)")
    parser.add_argument("--truth", required=True, help="exact neighbour ids (.ivecs), row i for query i")
    parser.add_argument("--truth-distances", help="their exact cosine distances (.fvecs): recall then counts ties "
                        "with the k-th as right answers, as `vecd bench ann --truth-distances` does")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--m", type=int, default=16)
    parser.add_argument("--ef-construction", type=int, default=64)
    parser.add_argument("--ef-search", type=int_list, default=int_list("10,20,40,64,100,200,400,800"))
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="threads of the second build")
    parser.add_argument("--engines", default=",".join(ALL_ENGINES), help="comma-separated: " + ", ".join(ALL_ENGINES))
    parser.add_argument("--json", required=True, help="write the results here")
    args = parser.parse_args(argv)
    args.engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = [name for name in args.engines if name not in ALL_ENGINES]
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ALL_ENGINES)}")
    if args.k <= 0 or args.m <= 1 or args.ef_construction <= 0 or args.threads <= 0:
        parser.error("--k, --ef-construction and --threads must be positive, --m at least 2")
    return args


def main(argv=None):
    args = parse_arguments(argv)

    def log(line):
        print(line, flush=True)

    base = normalized(read_vecs(args.base, np.float32))
    queries = normalized(read_vecs(args.queries, np.float32))
    truth = read_vecs(args.truth, np.int32)
    if base.shape[1] != queries.shape[1]:
        raise SystemExit(f"base has {base.shape[1]} dimensions, queries {queries.shape[1]}")
    if len(truth) < len(queries) or truth.shape[1] < args.k:
        raise SystemExit(f"truth has {truth.shape[0]}×{truth.shape[1]}; need {len(queries)} rows of at least k={args.k}")
    truth = truth[: len(queries)]
    args.truth_distances_matrix = read_vecs(args.truth_distances, np.float32) if args.truth_distances else None
    log(f"anchors: {len(base)} base × {base.shape[1]}, {len(queries)} queries, k={args.k}, m={args.m}, "
        f"ef_construction={args.ef_construction}, threads 1 and {args.threads}, engines {', '.join(args.engines)}")

    report = {"numpy": np.__version__, "python": sys.version.split()[0], "cpu_count": os.cpu_count(), "engines": []}
    for name in args.engines:
        engine = make_engine(name, args)
        report["engines"].append(run_engine(engine, base, queries, truth, args, log))
        # Written after each engine so that a long run interrupted late still leaves the engines it finished.
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2)
    log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
