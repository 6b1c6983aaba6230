#!/usr/bin/env python3
"""Resident memory of `vecd serve` over an already loaded data directory: idle after start, during a wrk search load,
and idle again after it. Reads VmRSS, RssAnon, RssFile and VmHWM from /proc/PID/status.

Load the directory first (one segment file, nothing left to re-apply), e.g.:

    vecd debug load-vectors --data DIR --base base100k.fvecs --storage int8
    python3 Benchmarks/load/serve-rss.py --vecd .build/release/vecd --data DIR --queries query.fvecs

Standard library only; needs wrk on PATH. The data directory is not changed except by the server's own start.
"""
import argparse
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ("VmRSS", "RssAnon", "RssFile", "VmHWM")


def memory_mib(pid):
    figures = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name = line.split(":", 1)[0]
            if name in FIELDS:
                figures[name] = int(line.split()[1]) / 1024
    return figures


def read_fvecs(path, limit):
    rows = []
    with open(path, "rb") as f:
        while len(rows) < limit:
            head = f.read(4)
            if not head:
                break
            (dim,) = struct.unpack("<i", head)
            rows.append(list(struct.unpack(f"<{dim}f", f.read(4 * dim))))
    return rows


def start(binary, data):
    began = time.monotonic()
    child = subprocess.Popen([binary, "serve", "--data", data, "--port", "0", "--log-level", "warning"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = child.stdout.readline().strip()
    match = re.match(r"vecd listening on (http://\S+)", line)
    if not match:
        child.kill()
        sys.exit(f"vecd did not start: {line!r}")
    return child, match.group(1), time.monotonic() - began


def search(base, collection, vector, k):
    body = json.dumps({"vector": vector, "k": k}).encode()
    request = urllib.request.Request(f"{base}/v1/collections/{collection}/search", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def sample_peak(pid, stop, peaks):
    while not stop.is_set():
        for name, value in memory_mib(pid).items():
            peaks[name] = max(peaks.get(name, 0), value)
        time.sleep(0.25)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vecd", required=True, help="the vecd binary (release build)")
    parser.add_argument("--data", required=True, help="a data directory loaded by vecd debug load-vectors")
    parser.add_argument("--queries", required=True, help=".fvecs of query vectors")
    parser.add_argument("--collection", default="load")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--out", help="write the JSON report here")
    arguments = parser.parse_args()

    queries = read_fvecs(arguments.queries, 1000)
    child, base, listen_seconds = start(arguments.vecd, arguments.data)
    report = {"listen_seconds": round(listen_seconds, 3), "clients": arguments.clients, "seconds": arguments.seconds}
    try:
        time.sleep(arguments.idle_seconds)
        report["idle_after_start"] = memory_mib(child.pid)
        began = time.monotonic()
        search(base, arguments.collection, queries[0], arguments.k)
        report["first_search_ms"] = round((time.monotonic() - began) * 1000, 1)
        report["after_first_search"] = memory_mib(child.pid)

        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as bodies:
            for vector in queries:
                bodies.write(json.dumps({"vector": vector, "k": arguments.k}) + "\n")
        stop, peaks = threading.Event(), {}
        sampler = threading.Thread(target=sample_peak, args=(child.pid, stop, peaks))
        sampler.start()
        wrk = subprocess.run(
            ["wrk", "-t2", f"-c{arguments.clients}", f"-d{arguments.seconds}s", "--latency",
             "-s", os.path.join(HERE, "search.lua"), f"{base}/v1/collections/{arguments.collection}/search", "--",
             bodies.name], capture_output=True, text=True, check=True).stdout
        report["end_of_load"] = memory_mib(child.pid)
        stop.set()
        sampler.join()
        os.unlink(bodies.name)
        report["peak_during_load"] = {name: round(value, 1) for name, value in peaks.items()}
        qps = re.search(r"Requests/sec:\s+([\d.]+)", wrk)
        non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", wrk)
        report["load"] = {"qps": float(qps.group(1)) if qps else None,
                          "non_2xx": int(non2xx.group(1)) if non2xx else 0}
        for label, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", wrk, re.M):
            report["load"][f"p{label}_ms"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        time.sleep(arguments.idle_seconds)
        report["idle_after_load"] = memory_mib(child.pid)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=120)
    text = json.dumps(report, indent=2)
    print(text)
    if arguments.out:
        with open(arguments.out, "w") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
