#!/usr/bin/env python3
"""Start-to-first-200 of `vecd serve --ephemeral`: the time from spawning the process to the first 200 answer of
GET /healthz, over N runs (default 20). Also reports the time to the listening line. Standard library only.

    swift build -c release --product vecd
    python3 scripts/serve-startup.py .build/release/vecd --runs 20
"""
import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import time


def one_run(binary):
    started = time.perf_counter()
    child = subprocess.Popen([binary, "serve", "--ephemeral"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = child.stdout.readline().decode()
    listening = time.perf_counter()
    if not line.startswith("vecd listening on http://"):
        child.kill()
        sys.exit(f"unexpected first line: {line!r}")
    port = int(line.strip().rsplit(":", 1)[1])
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
    ready = time.perf_counter()
    child.send_signal(signal.SIGTERM)
    if child.wait(timeout=30) != 0:
        sys.exit("vecd serve did not exit 0 on SIGTERM")
    return (listening - started) * 1000, (ready - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default=".build/release/vecd")
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    if not os.access(arguments.binary, os.X_OK):
        sys.exit(f"no executable at {arguments.binary}")
    one_run(arguments.binary)  # warm the page cache; not counted
    runs = [one_run(arguments.binary) for _ in range(arguments.runs)]
    for name, values in (("listening line", [r[0] for r in runs]), ("first 200", [r[1] for r in runs])):
        values.sort()
        print(f"{name}: p50 {statistics.median(values):.1f} ms, min {values[0]:.1f} ms, "
              f"max {values[-1]:.1f} ms over {len(values)} runs")


if __name__ == "__main__":
    main()
