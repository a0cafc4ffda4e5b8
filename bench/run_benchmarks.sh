#!/usr/bin/env bash
# Builds the release preset and runs the maillage_bench suite (see
# bench/maillage_bench.cc for the sizes, counters and filters), printing the
# console table and writing JSON to build/release/bench/results.json.
#
#   bench/run_benchmarks.sh [--national] [--quick] [-- EXTRA BENCHMARK FLAGS]
#
# By default everything runs except the national allocation
# (BM_Allocate/3, ~25 s per run); --national includes it. The default run
# still starts one national allocation session (one full solve, ~25 s) for
# the session-event benchmarks: expect ~10 min (+2 min with --national).
# --quick runs sizes 0-1 only (about a minute). Default: 3 repetitions; the
# table shows the aggregates (mean, median, stddev, cv), the JSON also keeps
# every repetition.
# Benchmark flags after -- override these.
set -euo pipefail
cd "$(dirname "$0")/.."

national=0
quick=0
extra=()
while (($#)); do
  case "$1" in
    --national) national=1 ;;
    --quick) quick=1 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run_benchmarks.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

cmake --preset release >/dev/null
cmake --build --preset release

if ((quick)); then
  filter='/[01]$'
elif ((national)); then
  filter='.'
else
  filter='-BM_Allocate/3'
fi

out=build/release/bench/results.json
build/release/bench/maillage_bench \
  --benchmark_filter="$filter" \
  --benchmark_repetitions=3 --benchmark_display_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json \
  "${extra[@]}"
echo "run_benchmarks.sh: JSON written to $out"
