#!/usr/bin/env python3
"""Runs vecd and the anchor engines one after the other in one run, then reports vecd's ratios to them.

    python3 compare.py --vecd .build/release/vecd --base B.fvecs --queries Q.fvecs --truth T.ivecs --out DIR
    python3 compare.py --report-only --out DIR     # rebuild DIR/report.md from the JSON files already there
    python3 compare.py --self-test                 # checks the recall/QPS interpolation

Runs (each its own process, never two at once): `vecd bench ann` with f32 storage on 1 and N build threads, with f16
and int8 storage on 1 build thread, then Benchmarks/compare/anchors.py (hnswlib, FAISS, USearch f32/f16/i8).
Engines are compared at equal recall, never at equal efSearch: single-thread QPS is interpolated linearly on each
engine's recall/QPS curve at recall@k 0.90 and 0.95.

Only the standard library is needed here; anchors.py needs the venv from Benchmarks/setup-venv.sh (pass --python).
"""

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli import int_list  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = (0.90, 0.95)
QUANTIZED_EF_FLOOR = 64  # recall loss of f16/int8 is reported from this efSearch up, where recall is high enough to matter
VECD_RUNS = [  # (file name, storage, threads: "1" or "n")
    ("vecd-1t.json", "f32", "1"),
    ("vecd-nt.json", "f32", "n"),
    ("vecd-f16.json", "f16", "1"),
    ("vecd-int8.json", "int8", "1"),
]


# ---------------------------------------------------------------------------------------------- interpolation


def qps_at_recall(rows, target):
    """Single-thread QPS at `target` recall, interpolated linearly between the two efSearch points around it.

    `rows` are dicts with ef_search, recall and qps. They are walked in efSearch order; the first point whose recall
    reaches `target` and the point before it bound the interpolation (a noisy, non-monotonic curve is read at its
    first crossing). Returns (qps, note): qps is None with note "not reached" when no point reaches the target, and
    note is "lower bound" when even the smallest efSearch already exceeds it (the true QPS at the target may be
    higher); otherwise note is "".
    """
    points = sorted((r for r in rows if r.get("recall") is not None and r.get("qps") is not None),
                    key=lambda r: r["ef_search"])
    for i, point in enumerate(points):
        if point["recall"] >= target:
            if point["recall"] == target:
                return point["qps"], ""
            if i == 0:
                return point["qps"], "lower bound"
            low = points[i - 1]
            fraction = (target - low["recall"]) / (point["recall"] - low["recall"])
            return low["qps"] + fraction * (point["qps"] - low["qps"]), ""
    return None, "not reached"


def max_recall(rows):
    return max((r["recall"] for r in rows), default=None)


def ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def self_test():
    """Checks qps_at_recall on hand-made curves; exits non-zero on the first failure."""
    curve = [{"ef_search": 10, "recall": 0.80, "qps": 5000.0},
             {"ef_search": 40, "recall": 0.90, "qps": 3000.0},
             {"ef_search": 100, "recall": 0.96, "qps": 1000.0}]
    cases = [
        ("exact point", curve, 0.90, (3000.0, "")),
        ("midway", curve, 0.85, (4000.0, "")),
        ("between the last two", curve, 0.93, (2000.0, "")),
        ("not reached", curve, 0.97, (None, "not reached")),
        ("first point above", curve, 0.70, (5000.0, "lower bound")),
        ("unsorted input", list(reversed(curve)), 0.85, (4000.0, "")),
        ("empty curve", [], 0.90, (None, "not reached")),
        ("first crossing of a noisy curve",
         [{"ef_search": 10, "recall": 0.88, "qps": 4000.0}, {"ef_search": 20, "recall": 0.92, "qps": 3000.0},
          {"ef_search": 40, "recall": 0.91, "qps": 2000.0}, {"ef_search": 80, "recall": 0.95, "qps": 1000.0}],
         0.90, (3500.0, "")),
    ]
    failures = 0
    for name, rows, target, (want_qps, want_note) in cases:
        got_qps, got_note = qps_at_recall(rows, target)
        same = got_note == want_note and (
            (got_qps is None and want_qps is None)
            or (got_qps is not None and want_qps is not None and abs(got_qps - want_qps) < 1e-6))
        if not same:
            failures += 1
            print(f"FAIL {name}: qps_at_recall(…, {target}) = ({got_qps}, {got_note!r}), want ({want_qps}, {want_note!r})")
    if ratio(10.0, 0.0) is not None or ratio(None, 2.0) is not None or ratio(3.0, 2.0) != 1.5:
        failures += 1
        print("FAIL ratio")
    total = len(cases) + 1
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------- running


def load_average():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def wait_for_quiet(max_load, max_wait):
    """Waits (up to `max_wait` seconds) until the 1-minute load average is below `max_load`; no-op when unset."""
    if max_load is None:
        return
    deadline = time.time() + max_wait
    while (load_average() or 0) >= max_load and time.time() < deadline:
        print(f"  waiting: load average {load_average()} ≥ {max_load}", flush=True)
        time.sleep(15)


def run_logged(command, log_path, runs):
    """Runs `command`, echoing its output and saving it to `log_path`; raises on a non-zero exit.

    Appends the command, the 1-minute load average before it and its wall time to `runs`: a load above ~1 before
    a single-thread measurement on a 2-core machine means another job shared the CPUs.
    """
    print("$ " + " ".join(command), flush=True)
    record = {"command": command, "load_average_before": load_average(), "started": time.strftime("%H:%M:%S")}
    start = time.perf_counter()
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in process.stdout:
            sys.stdout.write("  " + line)
            sys.stdout.flush()
            log.write(line)
        code = process.wait()
    record["seconds"] = round(time.perf_counter() - start, 1)
    record["exit_status"] = code
    runs.append(record)
    if code != 0:
        raise SystemExit(f"{command[0]} exited with status {code}; its output is in {log_path}")


def run_key(storage, threads):
    """The --vecd-runs name of one vecd run: "1t" and "nt" for the f32 builds, the storage name otherwise."""
    return threads + "t" if storage == "f32" else storage


def run_all(args):
    os.makedirs(args.out, exist_ok=True)
    ef_list = ",".join(str(ef) for ef in args.ef_search)
    common = ["--base", args.base, "--queries", args.queries, "--truth", args.truth, "--k", str(args.k),
              "--m", str(args.m), "--ef-construction", str(args.ef_construction), "--ef-search", ef_list]
    if args.truth_distances:
        common += ["--truth-distances", args.truth_distances]  # tie-aware recall, for sets with duplicate vectors
    started = time.time()
    runs = []
    runs_path = os.path.join(args.out, "runs.json")
    for file_name, storage, threads in VECD_RUNS:
        if threads == "n" and args.threads == 1:
            continue
        if run_key(storage, threads) not in args.vecd_runs:
            continue
        thread_count = str(args.threads if threads == "n" else 1)
        command = [args.vecd, "bench", "ann", *common, "--metric", "cosine", "--threads", thread_count,
                   "--json", os.path.join(args.out, file_name)]
        if storage != "f32":
            command += ["--storage", storage]
        wait_for_quiet(args.max_load, args.max_wait)
        try:
            run_logged(command, os.path.join(args.out, file_name.replace(".json", ".log")), runs)
        finally:
            write_json(runs_path, runs)
    if args.engines:
        command = [args.python, os.path.join(HERE, "anchors.py"), *common, "--threads", str(args.threads),
                   "--engines", args.engines, "--json", os.path.join(args.out, "anchors.json")]
        wait_for_quiet(args.max_load, args.max_wait)
        try:
            run_logged(command, os.path.join(args.out, "anchors.log"), runs)
        finally:
            write_json(runs_path, runs)
    print(f"all runs took {time.time() - started:.0f} s", flush=True)


# ---------------------------------------------------------------------------------------------- report


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except json.JSONDecodeError as error:
        raise SystemExit(f"{path}: not valid JSON ({error})") from None


def load_engines(out):
    """Every run in `out` as {name: {build_seconds, rows, ...}}; missing files and optional keys are tolerated."""
    engines = {}
    names = {"vecd-1t.json": "vecd", "vecd-f16.json": "vecd-f16", "vecd-int8.json": "vecd-int8"}
    for file_name, name in names.items():
        data = load_json(os.path.join(out, file_name))
        if data is not None:
            engines[name] = dict(data, engine=name)
    vecd_nt = load_json(os.path.join(out, "vecd-nt.json"))
    if "vecd" in engines:
        vecd = engines["vecd"]
        vecd["build_seconds_1t"] = vecd.get("build_seconds")
        vecd["build_cpu_seconds_1t"] = vecd.get("build_cpu_seconds")
        if vecd_nt is not None:
            vecd["build_seconds_nt"] = vecd_nt.get("build_seconds")
            vecd["build_cpu_seconds_nt"] = vecd_nt.get("build_cpu_seconds")
            vecd["threads_nt"] = vecd_nt.get("threads")
            vecd["speedup"] = ratio(vecd["build_seconds_1t"], vecd["build_seconds_nt"])
    anchors = load_json(os.path.join(out, "anchors.json")) or {"engines": []}
    for entry in anchors.get("engines", []):
        entry = dict(entry)
        entry["threads_nt"] = entry.get("threads")
        engines[entry["engine"]] = entry
    for entry in engines.values():
        entry.setdefault("rows", [])
    return engines


def fmt_qps(value, note=""):
    if value is None:
        return note or "—"
    text = f"{value:,.0f}"
    return f"≥ {text}" if note == "lower bound" else text


def fmt_ratio(value):
    return "—" if value is None else f"{value:.2f}×"


def fmt_seconds(value):
    return "—" if value is None else f"{value:.2f} s"


def fmt_recall(value):
    return "—" if value is None else f"{value:.4f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def run_label(command):
    """A short name for a run: the program, its subcommand words, and the flags that tell the runs apart."""
    words = [os.path.basename(command[0])]
    rest = command[1:]
    if words[0].startswith("python"):
        words, rest = [os.path.basename(rest[0])], rest[1:]
    for word in rest:  # subcommand words: everything before the first flag
        if word.startswith("-"):
            break
        words.append(word)
    for flag in ("--threads", "--storage"):
        if flag in rest:
            words += [flag, rest[rest.index(flag) + 1]]
    return " ".join(words)


def cpu_time_rows(rows):
    """The rows with QPS per CPU second of the query loop (qps / cpu_per_wall), or None when a row lacks cpu_per_wall.

    On a shared machine another process takes part of the core during the query loop; wall-clock QPS then drops
    with the load, while CPU-time QPS moves much less (cache and memory-bandwidth contention still show).
    """
    if not rows or any(not r.get("cpu_per_wall") for r in rows):
        return None
    return [dict(r, qps=r["qps"] / r["cpu_per_wall"]) for r in rows]


# (vecd run, anchor) pairs compared at equal recall.
PAIRS = [("vecd", "hnswlib"), ("vecd", "faiss"), ("vecd-f16", "usearch-f16"), ("vecd-int8", "usearch-i8")]


def build_report(engines, args):
    """The markdown report and a machine-readable summary of the same ratios."""
    summary = {"qps_at_recall": {}, "cpu_time_qps_at_recall": {}, "ratios": {}, "build": {}, "quantized": {},
               "max_recall": {}}
    for name, entry in engines.items():
        summary["qps_at_recall"][name] = {str(t): qps_at_recall(entry["rows"], t) for t in TARGETS}
        cpu_rows = cpu_time_rows(entry["rows"])
        if cpu_rows is not None:
            summary["cpu_time_qps_at_recall"][name] = {str(t): qps_at_recall(cpu_rows, t) for t in TARGETS}
        summary["max_recall"][name] = max_recall(entry["rows"])
    with_cpu = bool(summary["cpu_time_qps_at_recall"])
    out = [f"# vecd vs anchors: {args.title}", ""]

    out += ["## Single-thread QPS at equal recall@k (linear interpolation on each recall/QPS curve)", ""]
    rows = []
    for name, entry in engines.items():
        cells = [name, entry.get("storage", "—")]
        for t in TARGETS:
            cells.append(fmt_qps(*summary["qps_at_recall"][name][str(t)]))
        if with_cpu:
            cpu = summary["cpu_time_qps_at_recall"].get(name)
            cells += [fmt_qps(*cpu[str(t)]) if cpu else "—" for t in TARGETS]
        cells.append(fmt_recall(summary["max_recall"][name]))
        rows.append(cells)
    header = ["engine", "storage"] + [f"QPS @ {t:.2f}" for t in TARGETS]
    if with_cpu:
        header += [f"CPU-time QPS @ {t:.2f}" for t in TARGETS]
    out += [table(header + ["max recall"], rows), ""]
    if with_cpu:
        out += ["CPU-time QPS = QPS / (CPU time / wall time of the query loop), for runs that report cpu_per_wall: "
                "steadier than wall-clock QPS when other jobs share the CPUs.", ""]

    ratio_rows = []
    for mine_name, anchor in PAIRS:
        if mine_name not in engines or anchor not in engines:
            continue
        cells = [f"{mine_name} / {anchor}"]
        for kind in ("qps_at_recall", "cpu_time_qps_at_recall") if with_cpu else ("qps_at_recall",):
            for t in TARGETS:
                mine = summary[kind].get(mine_name, {}).get(str(t), (None, ""))[0]
                theirs = summary[kind].get(anchor, {}).get(str(t), (None, ""))[0]
                value = ratio(mine, theirs)
                prefix = "qps" if kind == "qps_at_recall" else "cpu_time_qps"
                summary["ratios"][f"{prefix}_{mine_name}_over_{anchor}@{t}"] = value
                cells.append(fmt_ratio(value))
        mine_build = engines[mine_name].get("build_seconds_1t", engines[mine_name].get("build_seconds"))
        build = ratio(mine_build, engines[anchor].get("build_seconds_1t"))
        summary["ratios"][f"build_1t_{mine_name}_over_{anchor}"] = build
        cells.append(fmt_ratio(build))
        ratio_rows.append(cells)
    if ratio_rows:
        header = ["pair"] + [f"QPS ratio @ {t:.2f}" for t in TARGETS]
        if with_cpu:
            header += [f"CPU-time QPS ratio @ {t:.2f}" for t in TARGETS]
        out += ["## Ratios (QPS: above 1 means vecd is faster; build time: below 1 means vecd builds faster)", "",
                table(header + ["build time ratio, 1 thread"], ratio_rows),
                "", "A ratio is — when either engine does not reach that recall (see the table above), or, for "
                "CPU-time QPS, when either run does not report cpu_per_wall.", ""]

    out += ["## Build", ""]
    build_rows = []
    for name, entry in engines.items():
        one = entry.get("build_seconds_1t", entry.get("build_seconds"))
        many = entry.get("build_seconds_nt")
        threads = entry.get("threads_nt")
        speedup = entry.get("speedup") if many is not None else None
        cpu_one, cpu_many = entry.get("build_cpu_seconds_1t"), entry.get("build_cpu_seconds_nt")
        summary["build"][name] = {"seconds_1t": one, "seconds_nt": many, "threads": threads, "speedup": speedup,
                                  "cpu_seconds_1t": cpu_one, "cpu_seconds_nt": cpu_many}
        memory = entry.get("memory_bytes")
        build_rows.append([name, fmt_seconds(one), fmt_seconds(many), threads if many is not None else "—",
                           fmt_ratio(speedup), fmt_seconds(cpu_one), fmt_seconds(cpu_many),
                           "—" if memory is None else f"{memory / 1048576:.1f}"])
    out += [table(["engine", "build 1 thread", "build N threads", "N", "speed-up", "CPU 1 thread", "CPU N threads",
                   "memory MiB"], build_rows), "",
            "vecd memory: the index's own allocations; anchors: the saved index file (graph + vectors). "
            "f16/int8 runs build on 1 thread. CPU: process CPU seconds (all threads) during the build; a 1-thread "
            "build whose CPU time is well below its wall time waited for a core, which inflates its speed-up.", ""]

    quantized_rows = []
    for quantized, reference in (("vecd-f16", "vecd"), ("vecd-int8", "vecd"), ("usearch-f16", "usearch-f32"),
                                 ("usearch-i8", "usearch-f32")):
        if quantized not in engines or reference not in engines:
            continue
        reference_by_ef = {r["ef_search"]: r["recall"] for r in engines[reference]["rows"]}
        losses = {}
        for row in sorted(engines[quantized]["rows"], key=lambda r: r["ef_search"]):
            ef = row["ef_search"]
            if ef >= QUANTIZED_EF_FLOOR and ef in reference_by_ef:
                losses[ef] = reference_by_ef[ef] - row["recall"]
        summary["quantized"][quantized] = {str(ef): loss for ef, loss in losses.items()}
        quantized_rows.append((f"{quantized} vs {reference}", losses))
    if quantized_rows:
        efs = sorted({ef for _, losses in quantized_rows for ef in losses})
        out += [f"## Recall@k lost by quantized storage (f32 recall − quantized recall, efSearch ≥ {QUANTIZED_EF_FLOOR})",
                "", table(["pair"] + [f"ef {ef}" for ef in efs],
                          [[name] + [("—" if ef not in losses else f"{losses[ef]:+.4f}") for ef in efs]
                           for name, losses in quantized_rows]), ""]

    runs = load_json(os.path.join(args.out, "runs.json")) or []
    if runs:
        out += ["## Runs (one after the other; load average before each, 1 minute)", "",
                table(["started", "run", "load before", "seconds"],
                      [[r.get("started", "—"), run_label(r["command"]), r.get("load_average_before", "—"),
                        r.get("seconds", "—")] for r in runs]), ""]
    anchor_cpu = [(name, min((row.get("cpu_per_wall") or 1.0) for row in entry["rows"]))
                  for name, entry in engines.items() if entry["rows"] and "cpu_per_wall" in entry["rows"][0]]
    shared = [f"{name} {value:.2f}" for name, value in anchor_cpu if value < 0.95]
    if shared:
        out += ["Anchor query loops that did not have their core to themselves (lowest CPU/wall): "
                + ", ".join(shared) + ".", ""]

    out += ["## Per efSearch", ""]
    detail = []
    for name, entry in engines.items():
        for row in sorted(entry["rows"], key=lambda r: r["ef_search"]):
            detail.append([name, row["ef_search"], fmt_recall(row.get("recall")), fmt_qps(row.get("qps")),
                           f"{row['p50_ms']:.3f}" if row.get("p50_ms") is not None else "—",
                           f"{row['p99_ms']:.3f}" if row.get("p99_ms") is not None else "—",
                           f"{row['distances_per_query']:.0f}" if row.get("distances_per_query") is not None else "—"])
    out += [table(["engine", "ef_search", "recall", "QPS", "p50 ms", "p99 ms", "distances/query"], detail), ""]
    return "\n".join(out), summary


# ---------------------------------------------------------------------------------------------- command line


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="check the interpolation and exit")
    parser.add_argument("--report-only", action="store_true", help="only rebuild the report from JSON files in --out")
    parser.add_argument("--vecd", help="path to the vecd executable (a release build)")
    parser.add_argument("--python", default=sys.executable, help="Python with the anchors' packages (the venv's)")
    parser.add_argument("--base")
    parser.add_argument("--queries")
    parser.add_argument("--truth")
    parser.add_argument("--truth-distances", help="exact distances of the truth rows (.fvecs): tie-aware recall")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--m", type=int, default=16)
    parser.add_argument("--ef-construction", type=int, default=64)
    parser.add_argument("--ef-search", type=int_list, default=int_list("10,20,40,64,100,200,400,800"))
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="threads of the second build")
    parser.add_argument("--vecd-runs", type=lambda text: [w for w in text.split(",") if w],
                        default=["1t", "nt", "f16", "int8"],
                        help="vecd runs to make: 1t and nt (f32 builds on 1 and --threads threads), f16, int8")
    parser.add_argument("--engines", default="hnswlib,faiss,usearch-f32,usearch-f16,usearch-i8",
                        help="anchor engines (empty: vecd only)")
    parser.add_argument("--max-load", type=float, default=None,
                        help="before each run, wait until the 1-minute load average is below this (shared machines)")
    parser.add_argument("--max-wait", type=float, default=600, help="longest wait for --max-load, in seconds")
    parser.add_argument("--title", default=None, help="report title (default: the base file's folder name)")
    parser.add_argument("--out", help="folder for the JSON files, logs and report.md")
    args = parser.parse_args(argv)
    if args.self_test:
        return args
    if not args.out:
        parser.error("--out is required")
    if not args.report_only:
        missing = [flag for flag in ("vecd", "base", "queries", "truth") if getattr(args, flag) is None]
        if missing:
            parser.error("missing " + ", ".join("--" + flag for flag in missing))
        if not os.access(args.vecd, os.X_OK):
            parser.error(f"--vecd {args.vecd} is not an executable file")
    if args.title is None:
        args.title = os.path.basename(os.path.dirname(os.path.abspath(args.base))) if args.base else \
            os.path.basename(os.path.abspath(args.out))
    return args


def main(argv=None):
    args = parse_arguments(argv)
    if args.self_test:
        return self_test()
    if not args.report_only:
        run_all(args)
    engines = load_engines(args.out)
    if not engines:
        raise SystemExit(f"no results in {args.out}")
    report, summary = build_report(engines, args)
    print(report)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(report)
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(f"wrote {os.path.join(args.out, 'report.md')} and summary.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
