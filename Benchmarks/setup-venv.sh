#!/usr/bin/env bash
# Creates a Python virtual environment with the anchor engines the ANN benchmarks compare vecd against,
# pinned to the versions the published anchor figures were measured with (shared datasets' ANCHORS.md).
#
#   Benchmarks/setup-venv.sh [VENV]        # default: .venv at the repository root
#
# Works on a fresh Debian machine: installs python3-venv through apt when `python3 -m venv` is unavailable.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$repo_root/.venv}"

# Pinned: a newer wheel can change graph construction or kernels, and with them the anchor figures.
packages=(
    "numpy==2.4.6"
    "hnswlib==0.8.0"
    "faiss-cpu==1.15.1"
    "usearch==2.26.6"
)

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "python3-venv is missing; installing it with apt-get" >&2
    sudo_prefix=""
    if [ "$(id -u)" -ne 0 ]; then sudo_prefix="sudo"; fi
    $sudo_prefix apt-get update -qq
    $sudo_prefix env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip
fi

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "${packages[@]}"
"$venv/bin/python" - <<'PY'
import faiss, hnswlib, numpy, usearch
print("anchors ready: numpy", numpy.__version__, "| hnswlib", getattr(hnswlib, "__version__", "0.8.0"),
      "| faiss", faiss.__version__, "| usearch", usearch.__version__)
PY
echo "venv: $venv  (run the anchors with $venv/bin/python Benchmarks/compare/anchors.py --help)"
