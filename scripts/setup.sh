#!/usr/bin/env bash
# Installs the Debian packages maillage needs to build, test, fuzz and
# benchmark, and those of its Python package (bindings/python).
# Idempotent: installs only what is missing. Run as root (or with sudo) on Debian 12.
set -euo pipefail

packages=(
  build-essential cmake ninja-build git pkg-config
  libabsl-dev libboost-graph-dev libcli11-dev nlohmann-json3-dev
  libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev liblemon-dev
  pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest
  python3-matplotlib python3-distributed python3-pip python3-setuptools
  python3-wheel python3-venv python3-hypothesis python3-geojson
  python3-tqdm python3-openpyxl
  chromium
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
