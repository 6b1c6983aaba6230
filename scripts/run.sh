#!/usr/bin/env bash
# The main job: build vecd (release, with the kernel flags from Package.swift) and run it on its embedded default:
# `vecd serve` on 127.0.0.1:8080 over ./vecd-data with the offline embedder. Extra arguments go to vecd instead
# (e.g. `bash scripts/run.sh bench ann --generate 20000`, or `bash scripts/run.sh serve --ephemeral`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

swift build -c release --product vecd
if (($#)); then
    exec .build/release/vecd "$@"
fi
exec .build/release/vecd serve
