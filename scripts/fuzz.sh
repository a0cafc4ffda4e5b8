#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang-14, address and undefined
# behaviour sanitizers) and runs each for SECONDS seconds (default 60) from
# seed corpora made of tests/testdata. A crash, leak or failed invariant stops
# the run with exit 1; the input that caused it is left in build/fuzz/crashes/.
#   bash scripts/fuzz.sh            # every target, 60 s each
#   bash scripts/fuzz.sh 3600 folder_fuzzer
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(csv_fuzzer folder_fuzzer dimacs_fuzzer import_fuzzer events_fuzzer)
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

work=build/fuzz/run
rm -rf "$work/seeds"
mkdir -p "$work/seeds"/{csv_fuzzer,folder_fuzzer,dimacs_fuzzer,import_fuzzer,events_fuzzer} \
  build/fuzz/crashes
# CSV: every table of the corpus. DIMACS: the flow problems.
find tests/testdata -name '*.csv' -exec sh -c \
  'for f; do cp "$f" "$0/$(echo "$f" | tr / _)"; done' \
  "$work/seeds/csv_fuzzer" {} +
cp tests/testdata/flow/*.min "$work/seeds/dimacs_fuzzer/"
# Events: the events files, applied to tests/testdata/valid.
cp tests/testdata/events/*.csv "$work/seeds/events_fuzzer/"
# Folders: the 8 files of each folder of the corpus, separated by 0x1E.
tables=(sites partners services persons needs supports partnerships travel_times)
for dir in tests/testdata/valid tests/testdata/valid_crlf_bom \
           tests/testdata/warnings_only tests/testdata/bad/*; do
  out="$work/seeds/folder_fuzzer/$(basename "$dir")"
  : >"$out"
  for i in "${!tables[@]}"; do
    ((i > 0)) && printf '\x1e' >>"$out"
    [[ -f "$dir/${tables[$i]}.csv" ]] && cat "$dir/${tables[$i]}.csv" >>"$out"
  done
done
# Imports: structures, services and capacities of each sample, separated by
# 0x1E.
for dir in tests/testdata/import/v1 tests/testdata/import/v0; do
  out="$work/seeds/import_fuzzer/$(basename "$dir")"
  cat "$dir"/structures.* >"$out"
  printf '\x1e' >>"$out"
  cat "$dir"/services.* >>"$out"
  printf '\x1e' >>"$out"
  cat tests/testdata/import/capacities.csv >>"$out"
done

status=0
for t in "${targets[@]}"; do
  dict="fuzz/${t%_fuzzer}.dict"
  mkdir -p "$work/corpus/$t"
  echo "fuzz: $t for ${seconds} s"
  if ! build/fuzz/fuzz/"$t" "$work/corpus/$t" "$work/seeds/$t" \
      -dict="$dict" -max_total_time="$seconds" -max_len=65536 \
      -rss_limit_mb=3000 -timeout=20 -print_final_stats=1 \
      -artifact_prefix=build/fuzz/crashes/"$t"- \
      >"$work/$t.log" 2>&1; then
    status=1
    tail -40 "$work/$t.log"
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$t.log" |
    sed "s/^/fuzz: $t /"
done
exit $status
