#!/usr/bin/env bash
# Installs what building and testing vecd needs on Debian/Ubuntu: the system libraries named by the design and
# python3-venv (for the benchmark and test tools installed from PyPI into .venv). Safe to run repeatedly.
set -euo pipefail

packages=(libsqlite3-dev liblz4-dev libcurl4-openssl-dev libpq-dev python3-venv pkg-config curl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "vecd bootstrap: installing ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$candidate/swift" ] && export PATH="$candidate:$PATH"
    done
fi
command -v swift >/dev/null 2>&1 || { echo "vecd bootstrap: Swift 6.3 is required (swift not on PATH)" >&2; exit 1; }
