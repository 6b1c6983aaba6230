#!/usr/bin/env python3
"""Serving benchmark: vecd serve vs PostgreSQL + pgvector under the same concurrent search load, in one run.

Loads the same base vectors into a `vecd serve` process (POST /v1/collections/load/documents, raw vectors) and into a
pgvector table with an HNSW index (m=16, ef_construction=64), measures recall@10 of both on the same queries, then
drives each with the same number of concurrent clients for the same time: wrk against vecd's HTTP search, pgbench
against the SQL `ORDER BY embedding <=> q LIMIT 10`. Reports throughput, p50 and p99, and their ratios. A second
vecd phase mixes search, memory writes and cache lookups and checks that every acknowledged write is stored.

Standard library only; needs wrk and pgbench on PATH (apt-get install wrk postgresql-client) and a PostgreSQL with
pgvector (scripts/postgres/start.sh prints a URL for a private one).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def read_vecs(path, kind="f", limit=None):
    rows = []
    with open(path, "rb") as f:
        while limit is None or len(rows) < limit:
            head = f.read(4)
            if not head:
                break
            (dim,) = struct.unpack("<i", head)
            rows.append(list(struct.unpack(f"<{dim}{kind}", f.read(4 * dim))))
    return rows


def http(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def start_vecd(binary, data_dir, embedder_dimension=None):
    """Starts `vecd serve` on a free port; `embedder_dimension` sets the offline embedder's dimension (the memory
    writes of the mixed phase send raw vectors of the data's dimension, which the store's own collections take only
    at the embedder's dimension)."""
    environment = dict(os.environ)
    if embedder_dimension is not None:
        environment["VECD_EMBEDDER"] = json.dumps({"provider": "hashing", "dimension": embedder_dimension})
    process = subprocess.Popen(
        [binary, "serve", "--data", data_dir, "--port", "0", "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment)
    line = process.stdout.readline().strip()
    match = re.match(r"vecd listening on (http://\S+)", line)
    if not match:
        process.kill()
        sys.exit(f"vecd did not start: {line!r}")
    return process, match.group(1)


def load_vecd(base, vectors, batch):
    http(base, "POST", "/v1/collections", {"name": "load", "dimension": len(vectors[0]), "metric": "cosine"})
    started = time.monotonic()
    for start in range(0, len(vectors), batch):
        documents = [{"id": f"row-{i}", "title": f"row {i}", "content": f"row {i}", "vector": vectors[i]}
                     for i in range(start, min(start + batch, len(vectors)))]
        http(base, "POST", "/v1/collections/load/documents", {"documents": documents, "wait": True})
    return time.monotonic() - started


def hit_id(hit):
    """The row number of a search hit, wherever the server put the document id."""
    for key in ("document_id", "id"):
        value = hit.get(key)
        if isinstance(value, str) and value.startswith("row-"):
            return int(value[4:])
    document = hit.get("document") or {}
    value = document.get("id", "")
    return int(value[4:]) if value.startswith("row-") else -1


def search_body(query, k, ef_search):
    """A vecd search request; ef_search None leaves the server's default (64)."""
    body = {"vector": query, "k": k}
    if ef_search is not None:
        body["ef_search"] = ef_search
    return body


def vecd_recall(base, queries, truth, k, ef_search=None):
    found = 0
    for query, expected in zip(queries, truth):
        answer = http(base, "POST", "/v1/collections/load/search", search_body(query, k, ef_search))
        ids = {hit_id(hit) for hit in answer["results"]}
        found += len(ids & set(expected[:k]))
    return found / (k * len(queries))


def psql(url, psql_bin, sql, stdin=None):
    result = subprocess.run([psql_bin, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                            input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"psql failed: {result.stderr}")
    return result.stdout


def vector_text(vector):
    return "[" + ",".join(repr(x) for x in vector) + "]"


def load_pgvector(url, psql_bin, vectors, queries, ef_search):
    psql(url, psql_bin, "DROP TABLE IF EXISTS load_items; DROP TABLE IF EXISTS load_queries; "
         f"CREATE TABLE load_items (id int PRIMARY KEY, embedding vector({len(vectors[0])})); "
         f"CREATE TABLE load_queries (qid int PRIMARY KEY, v vector({len(vectors[0])}));")
    started = time.monotonic()
    rows = "".join(f"{i}\t{vector_text(v)}\n" for i, v in enumerate(vectors))
    subprocess.run([psql_bin, "-X", "-q", "-d", url, "-c", "COPY load_items FROM STDIN"], input=rows, text=True,
                   check=True)
    psql(url, psql_bin, "CREATE INDEX ON load_items USING hnsw (embedding vector_cosine_ops) "
         "WITH (m = 16, ef_construction = 64)")
    seconds = time.monotonic() - started
    rows = "".join(f"{i + 1}\t{vector_text(v)}\n" for i, v in enumerate(queries))
    subprocess.run([psql_bin, "-X", "-q", "-d", url, "-c", "COPY load_queries FROM STDIN"], input=rows, text=True,
                   check=True)
    database = psql(url, psql_bin, "SELECT current_database()").strip()
    psql(url, psql_bin, f'ALTER DATABASE "{database}" SET hnsw.ef_search = {ef_search}')
    return seconds


def pgvector_recall(url, psql_bin, truth, k):
    sql = "".join(
        f"SELECT array_to_string(ARRAY(SELECT id FROM load_items ORDER BY embedding <=> "
        f"(SELECT v FROM load_queries WHERE qid = {q + 1}) LIMIT {k}), ',');\n" for q in range(len(truth)))
    result = subprocess.run([psql_bin, "-X", "-q", "-At", "-d", url], input=sql, capture_output=True, text=True,
                            check=True)
    found = 0
    for line, expected in zip(result.stdout.splitlines(), truth):
        ids = {int(x) for x in line.split(",") if x}
        found += len(ids & set(expected[:k]))
    return found / (k * len(truth))


def parse_wrk(output):
    qps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {}
    for label, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M):
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        percentiles[label] = float(value) * scale
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(r"Socket errors:.*", output)
    return {"qps": qps, "p50_ms": percentiles.get("50"), "p99_ms": percentiles.get("99"),
            "non_2xx": int(errors.group(1)) if errors else 0, "socket_errors": socket.group(0) if socket else None}


def run_wrk(base, script, args, clients, seconds, path="/v1/collections/load/search"):
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", script, base + path, "--"] + args
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def run_pgbench(url, pgbench_bin, clients, seconds, query_count, work):
    script = os.path.join(work, "search.sql")
    with open(script, "w") as f:
        f.write(f"\\set q random(1, {query_count})\n"
                "SELECT id FROM load_items ORDER BY embedding <=> (SELECT v FROM load_queries WHERE qid = :q) "
                "LIMIT 10;\n")
    log_dir = os.path.join(work, "pgbench-log")
    os.makedirs(log_dir, exist_ok=True)
    command = [pgbench_bin, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", script, "-l",
               "--log-prefix", os.path.join(log_dir, "tx"), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=work).stdout
    latencies = []
    for name in os.listdir(log_dir):
        with open(os.path.join(log_dir, name)) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3:
                    latencies.append(int(parts[2]) / 1000.0)
    latencies.sort()
    tps = float(re.search(r"tps = ([\d.]+)", output).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", output)
    return {"qps": tps, "p50_ms": latencies[len(latencies) // 2],
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "failed": int(failed.group(1)) if failed else 0}


def count_load_memories(base):
    total, offset = 0, 0
    while True:
        page = http(base, "GET", f"/v1/memories?limit=1000&offset={offset}&tags=load")
        items = page.get("memories") or page.get("results") or []
        total += len(items)
        if len(items) < 1000:
            return total
        offset += len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vecd", required=True, help="path of the vecd binary (release build)")
    parser.add_argument("--base", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--rows", type=int, help="base rows to load (default: all; truth must cover them)")
    parser.add_argument("--recall-queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--ef-search", type=int, default=64, help="pgvector hnsw.ef_search (vecd serves with 64)")
    parser.add_argument("--vecd-ef-search", type=int,
                        help="ef_search sent with each vecd search (default: the server's 64); compare engines at "
                             "equal recall, e.g. vecd 100 against pgvector 64 on debian-384")
    parser.add_argument("--pg-url", help="PostgreSQL with pgvector; omit to measure vecd only")
    parser.add_argument("--pg-bin", help="directory holding psql and pgbench (default: PATH)")
    parser.add_argument("--out", help="write the JSON report here")
    args = parser.parse_args()

    vectors = read_vecs(args.base, limit=args.rows)
    queries = read_vecs(args.queries)
    truth = read_vecs(args.truth, kind="i")
    sample = args.recall_queries
    work = tempfile.mkdtemp(prefix="vecd-load-")
    bodies = os.path.join(work, "bodies.jsonl")
    with open(bodies, "w") as f:
        for query in queries:
            f.write(json.dumps(search_body(query, 10, args.vecd_ef_search)) + "\n")
    report = {"rows": len(vectors), "dimension": len(vectors[0]), "clients": args.clients, "seconds": args.seconds,
              "ef_search": args.ef_search, "vecd_ef_search": args.vecd_ef_search, "machine_cores": os.cpu_count()}

    process, base = start_vecd(args.vecd, os.path.join(work, "vecd-data"), embedder_dimension=len(vectors[0]))
    try:
        report["vecd_load_seconds"] = load_vecd(base, vectors, 500)
        report["vecd_recall_at_10"] = vecd_recall(base, queries[:sample], truth[:sample], 10, args.vecd_ef_search)
        report["vecd_search"] = parse_wrk(run_wrk(base, os.path.join(HERE, "search.lua"), [bodies], args.clients,
                                                  args.seconds))
        if args.pg_url:
            pg_bin = args.pg_bin or ""
            psql_bin = os.path.join(pg_bin, "psql") if pg_bin else "psql"
            pgbench_bin = os.path.join(pg_bin, "pgbench") if pg_bin else "pgbench"
            report["pgvector_load_seconds"] = load_pgvector(args.pg_url, psql_bin, vectors, queries, args.ef_search)
            report["pgvector_recall_at_10"] = pgvector_recall(args.pg_url, psql_bin, truth[:sample], 10)
            report["pgvector_search"] = run_pgbench(args.pg_url, pgbench_bin, args.clients, args.seconds,
                                                    len(queries), work)
            report["ratio_qps_vecd_over_pgvector"] = report["vecd_search"]["qps"] / report["pgvector_search"]["qps"]
            report["ratio_p99_vecd_over_pgvector"] = (report["vecd_search"]["p99_ms"]
                                                      / report["pgvector_search"]["p99_ms"])
        mixed = run_wrk(base, os.path.join(HERE, "mixed.lua"), [bodies, str(len(vectors[0]))], args.clients,
                        args.seconds, path="/")
        report["vecd_mixed"] = parse_wrk(mixed)
        acknowledged = int(re.search(r"ACKNOWLEDGED_WRITES (\d+)", mixed).group(1))
        report["vecd_mixed"]["acknowledged_writes"] = acknowledged
        merged = int(re.search(r"MERGED_WRITES (\d+)", mixed).group(1))
        report["vecd_mixed"]["merged_writes"] = merged
        report["vecd_mixed"]["failed_requests"] = int(re.search(r"FAILED_REQUESTS (\d+)", mixed).group(1))
        report["vecd_mixed"]["stored_memories"] = count_load_memories(base)
        # A merged write updates an earlier memory instead of adding one.
        report["vecd_mixed"]["lost_writes"] = acknowledged - merged - report["vecd_mixed"]["stored_memories"]
    finally:
        # What was measured is printed even when a later phase fails.
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
        text = json.dumps(report, indent=2)
        print(text)
        if args.out:
            with open(args.out, "w") as f:
                f.write(text + "\n")


if __name__ == "__main__":
    main()
