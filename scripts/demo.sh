#!/usr/bin/env bash
# Installs what is missing, builds maillage (release) and runs `maillage demo`
# on the embedded 8-territory Convergence network. Extra arguments go to demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/maillage demo "$@"
