#!/usr/bin/env bash
# The C++ test suite under AddressSanitizer + UndefinedBehaviorSanitizer
# (preset asan-ubsan), then the threads test under ThreadSanitizer (preset
# tsan). Any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan
# The installed-package test rebuilds a consumer without the sanitizers.
ctest --preset asan-ubsan -j "$(nproc)" -E package_consumer
cmake --preset tsan >/dev/null
cmake --build --preset tsan
ctest --preset tsan
