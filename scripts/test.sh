#!/usr/bin/env bash
# Installs what is missing, builds maillage with its tests (dev preset:
# debug, -Werror) and runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev -j "$(nproc)" "$@"
