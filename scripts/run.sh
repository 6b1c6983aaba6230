#!/usr/bin/env bash
# The main job: build vecd (release, with the kernel flags from Package.swift) and run it on its embedded default.
# Extra arguments go to vecd; with none, it runs the ANN benchmark on a generated data set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

swift build -c release --product vecd
if (($#)); then
    exec .build/release/vecd "$@"
fi
exec .build/release/vecd bench ann --generate 20000 --dimension 384 --query-count 500 \
    --ef-search 10,20,40,64,100,200
