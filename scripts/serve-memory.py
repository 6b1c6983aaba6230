#!/usr/bin/env python3
"""Resident memory of `vecd serve`: idle on an empty store, after loading N memories with random 384-dimension
vectors (POST /memory/add with "vector"), while C clients search for T seconds, and idle after a restart over the
loaded data directory. Standard library only; the data directory is temporary.

    swift build -c release --product vecd
    python3 scripts/serve-memory.py .build/release/vecd --vectors 100000 --clients 4 --seconds 20
"""
import argparse
import http.client
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start(binary, data):
    child = subprocess.Popen([binary, "serve", "--data", data, "--port", "0", "--log-level", "warning"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = child.stdout.readline().decode()
    if not line.startswith("vecd listening on http://"):
        sys.exit(f"unexpected first line: {line!r}")
    return child, int(line.strip().rsplit(":", 1)[1])


def stop(child):
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=120)


def post_all(port, bodies, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for body in bodies:
        connection.request("POST", "/memory/add", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            errors.append(response.status)


def search_until(port, deadline, words, counts, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rng = random.Random(threading.get_ident())
    done = 0
    while time.monotonic() < deadline:
        query = "%20".join(rng.choice(words) for _ in range(4))
        connection.request("GET", f"/memory/search?query={query}&limit=10")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            errors.append(response.status)
        done += 1
    counts.append(done)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default=".build/release/vecd")
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    arguments = parser.parse_args()
    data = tempfile.mkdtemp(prefix="vecd-memory-")
    words = "amber basil cedar delta ember fjord garnet harbor indigo juniper kettle lantern meadow".split()
    try:
        child, port = start(arguments.binary, data)
        time.sleep(1)
        print(f"idle, empty store: {rss_kib(child.pid) / 1024:.1f} MiB")

        rng = random.Random(7)
        bodies = []
        for index in range(arguments.vectors):
            vector = [round(rng.gauss(0, 1), 5) for _ in range(arguments.dimension)]
            bodies.append(json.dumps({"content": f"memory {index}", "vector": vector}))
        errors = []
        began = time.monotonic()
        threads = [threading.Thread(target=post_all, args=(port, bodies[i::arguments.clients], errors))
                   for i in range(arguments.clients)]
        peak = 0
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            peak = max(peak, rss_kib(child.pid))
            time.sleep(0.5)
        load_seconds = time.monotonic() - began
        print(f"loaded {arguments.vectors} x {arguments.dimension} in {load_seconds:.1f} s "
              f"({arguments.vectors / load_seconds:.0f}/s, {len(errors)} errors); peak while loading "
              f"{peak / 1024:.1f} MiB; after: {rss_kib(child.pid) / 1024:.1f} MiB")

        counts, errors = [], []
        deadline = time.monotonic() + arguments.seconds
        threads = [threading.Thread(target=search_until, args=(port, deadline, words, counts, errors))
                   for _ in range(arguments.clients)]
        peak = 0
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            peak = max(peak, rss_kib(child.pid))
            time.sleep(0.5)
        print(f"search load: {sum(counts) / arguments.seconds:.0f} searches/s with {arguments.clients} clients, "
              f"{len(errors)} errors; peak {peak / 1024:.1f} MiB")
        stop(child)

        began = time.monotonic()
        child, port = start(arguments.binary, data)
        print(f"restart over the loaded directory: listening after {time.monotonic() - began:.2f} s")
        time.sleep(1)
        print(f"idle after restart: {rss_kib(child.pid) / 1024:.1f} MiB")
        stop(child)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
