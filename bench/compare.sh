#!/usr/bin/env bash
# Side-by-side comparison of min-cost flow solvers on the flow problem that
# `maillage allocate` builds, at the four generated sizes. Builds the release
# preset, then for each size: generates the network (fixed seed), exports the
# flow problem (`allocate --export-dimacs`), runs the allocate pipeline once
# more without the export under bench/peak_rss, and runs each solver in its
# own process (`flow_compare FILE --solver NAME`, so that its peak memory is
# its own): maillage's network simplex, LEMON's NetworkSimplex and
# CostScaling, Boost.Graph's successive shortest path. Prints one Markdown
# table (also written to WORK/comparison.md, raw results to
# WORK/results.txt).
#
#   bench/compare.sh [--quick] [--sizes LIST] [--skip-national] [--rounds K]
#                    [--reps N] [--no-cost-scaling-above ARCS]
#                    [--no-boost-above ARCS] [--seed N] [--work DIR]
#                    [--keep-files] [--families] [--families-only]
#
#   --quick              territory and all Convergence only (~2 min)
#   --sizes LIST         comma-separated among territory,all,departement,
#                        national (default: all four, ~25 min)
#   --skip-national      drop national from the sizes
#   --rounds K           solver processes per solver, run in turn (maillage,
#                        LEMON NS, ..., maillage, ...) so that a slow spell of
#                        a shared machine hits every solver (default: 3, and 2
#                        for national)
#   --reps N             repetitions in each process (default: 5 for
#                        territory and all, 1 for the two large sizes, whose
#                        file takes seconds to read); the median is over all
#                        K x N times
#   --no-cost-scaling-above ARCS
#                        skip LEMON CostScaling above ARCS arcs (default
#                        20000000: it runs on the département network, not on
#                        the national one, where it takes many minutes)
#   --no-boost-above ARCS
#                        skip Boost's successive shortest path above ARCS arcs
#                        (default 100000: the two small sizes; it is three
#                        orders of magnitude slower)
#   --seed N             generator seed (default 1)
#   --work DIR           working folder (default build/release/compare)
#   --keep-files         keep each size's network and DIMACS file (the
#                        national one is about 0.7 GB)
#   --families           then the literature's families (NETGEN, GRIDGEN,
#                        GOTO, grids) through bench/compare_families.py, a
#                        second table (~10 min)
#   --families-only      the families alone
#
# Times are medians, of the solve only (the file is read and, for LEMON and
# Boost, the graph built before the clock starts). Peak memory is the peak
# resident set while solving, the problem in memory included (flow_compare
# resets the peak after reading the file); the maximum over the K processes.
# "objectives equal" compares the exact integer objectives of every solver
# that ran and of the allocate pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=territory,all,departement,national
reps=
rounds=
cs_max_arcs=20000000
ssp_max_arcs=100000
seed=1
work=build/release/compare
keep=0
skip_national=0
families=0
while (($#)); do
  case "$1" in
    --quick) sizes=territory,all ;;
    --sizes) sizes=$2; shift ;;
    --skip-national) skip_national=1 ;;
    --reps) reps=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --no-cost-scaling-above) cs_max_arcs=$2; shift ;;
    --no-boost-above) ssp_max_arcs=$2; shift ;;
    --seed) seed=$2; shift ;;
    --work) work=$2; shift ;;
    --keep-files) keep=1 ;;
    --families) families=1 ;;
    --families-only) families=1 sizes= ;;
    -h|--help) sed -n '2,53p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if ((skip_national)); then
  sizes=$(tr ',' '\n' <<<"$sizes" | grep -vx national | paste -sd, -)
fi

cmake --preset release >/dev/null
cmake --build --preset release --target maillage_cli flow_compare peak_rss \
  >/dev/null
bin=build/release
mkdir -p "$work"
results=$work/results.txt
: >"$results"

log() { echo "compare.sh: $*" >&2; }

# Field KEY of a key=value line.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

# Seconds as a short human-readable time.
fmt_time() {
  awk -v s="$1" 'BEGIN {
    if (s < 0.01) printf "%.2f ms", s * 1000;
    else if (s < 0.1) printf "%.1f ms", s * 1000;
    else if (s < 10) printf "%.2f s", s;
    else printf "%.1f s", s }'
}

# Kilobytes as MiB.
fmt_mib() {
  awk -v k="$1" 'BEGIN { m = k / 1024; printf(m < 100 ? "%.1f" : "%.0f", m) }'
}

# Thousands separators.
fmt_int() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

solvers=(maillage lemon-ns lemon-cs boost-ssp)
rows=()
for size in ${sizes//,/ }; do
  case "$size" in
    territory) gen=(--territory lyon) label='territory (`--territory lyon`)'
               r=5 k=3 ;;
    all) gen=(--all) label='all Convergence (`--all`)' r=5 k=3 ;;
    departement) gen=(--territory lyon --scale 80)
                 label='département (`--territory lyon --scale 80`)' r=1 k=3 ;;
    national) gen=(--national) label='national (`--national`)' r=1 k=2 ;;
    *) echo "compare.sh: unknown size $size" >&2; exit 2 ;;
  esac
  [[ -n "$reps" ]] && r=$reps
  [[ -n "$rounds" ]] && k=$rounds
  dir=$work/$size
  rm -rf "$dir"
  mkdir -p "$dir"

  log "$size: generating"
  gen_out=$("$bin/maillage" generate "${gen[@]}" --seed "$seed" \
    --out "$dir/net")
  echo "$size generate: $gen_out" >>"$results"
  people=$(sed -n 's/.* \([0-9]*\) people,.*/\1/p' <<<"$gen_out")

  log "$size: exporting the flow problem"
  "$bin/maillage" allocate "$dir/net" --out "$dir/plan" \
    --export-dimacs "$dir/flow.min" >"$dir/export.log"

  log "$size: allocate pipeline under peak_rss"
  "$bin/bench/peak_rss" "$bin/maillage" allocate "$dir/net" \
    --out "$dir/plan" >"$dir/allocate.log" 2>"$dir/allocate.err"
  pipe=$(grep '^peak_rss:' "$dir/allocate.err")
  pipe_rss=$(field maxrss_kb "$pipe")
  pipe_wall=$(field wall_s "$pipe")
  pipe_obj=$(sed -n 's/^objective: \(-\?[0-9]*\) .*/\1/p' "$dir/allocate.log")
  echo "$size allocate: $pipe objective=$pipe_obj" >>"$results"

  read -r _ _ nodes arcs < <(grep -m1 '^p min' "$dir/flow.min")
  declare -A times=() rss=() obj=() st=()
  for s in "${solvers[@]}"; do
    max=$arcs
    [[ $s == lemon-cs ]] && max=$cs_max_arcs
    [[ $s == boost-ssp ]] && max=$ssp_max_arcs
    ((arcs > max)) && st[$s]='not run'
  done
  for ((round = 1; round <= k; ++round)); do
    for s in "${solvers[@]}"; do
      [[ ${st[$s]:-} == 'not run' || ${st[$s]:-} == failed ]] && continue
      log "$size: $s, $r repetitions (round $round of $k)"
      if line=$("$bin/bench/flow_compare" "$dir/flow.min" --solver "$s" \
                  --reps "$r" 2>"$dir/$s.err"); then :; fi
      echo "$size $line" >>"$results"
      if [[ $(field status "$line") != optimal ]]; then
        st[$s]=failed
        log "$size: $s failed: $(cat "$dir/$s.err")"
        continue
      fi
      st[$s]=optimal
      times[$s]=${times[$s]:+${times[$s]},}$(field times_s "$line")
      kb=$(field peak_rss_kb "$line")
      ((kb > ${rss[$s]:-0})) && rss[$s]=$kb
      o=$(field objective "$line")
      if [[ -n ${obj[$s]:-} && ${obj[$s]} != "$o" ]]; then
        st[$s]=failed
        log "$size: $s: objective differs between rounds"
      fi
      obj[$s]=$o
    done
  done
  declare -A med=()
  for s in "${solvers[@]}"; do
    [[ ${st[$s]} == optimal ]] || continue
    med[$s]=$(tr ',' '\n' <<<"${times[$s]}" | sort -g |
      awk '{ v[NR] = $1 } END {
        print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  done

  # Exact comparison of the integer objectives (as strings).
  equal=yes
  for s in "${solvers[@]}"; do
    [[ ${st[$s]} == 'not run' ]] && continue
    if [[ ${st[$s]} != optimal || ${obj[$s]} != "$pipe_obj" ]]; then
      equal="NO ($s)"
    fi
  done

  cells=() mem=()
  for s in "${solvers[@]}"; do
    case "${st[$s]}" in
      optimal) cells+=("$(fmt_time "${med[$s]}")")
               mem+=("$(fmt_mib "${rss[$s]}")") ;;
      *) cells+=("${st[$s]}") mem+=("—") ;;
    esac
  done
  ratio=—
  if [[ ${st[maillage]} == optimal && ${st[lemon-ns]} == optimal ]]; then
    ratio=$(awk -v a="${med[lemon-ns]}" -v b="${med[maillage]}" \
      'BEGIN { printf "%.2f", a / b }')
  fi
  mem_cell=$(IFS=/; echo "${mem[*]}" | sed 's#/# / #g')
  rows+=("| $label | $(fmt_int "$people") | $(fmt_int "$nodes") | $(fmt_int "$arcs") | $k × $r | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} | $ratio | $equal | $mem_cell | $(fmt_time "$pipe_wall"), $(fmt_mib "$pipe_rss") |")
  unset med times rss obj st

  ((keep)) || rm -rf "$dir/net" "$dir/plan" "$dir/flow.min"
done

if [[ -n "$sizes" ]]; then
{
  echo "| size | people | nodes | arcs | runs × reps | maillage | LEMON NetworkSimplex | LEMON CostScaling | Boost SSP | LEMON NS / maillage | objectives equal | peak RSS MiB (maillage / NS / CS / SSP) | \`maillage allocate\`: wall, peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$work/comparison.md"
log "table written to $work/comparison.md, raw results to $results"
fi
if ((families)); then
  log "families: NETGEN, GRIDGEN, GOTO, grids (bench/compare_families.py)"
  /usr/bin/python3 bench/compare_families.py --bin "$bin" \
    --work "$work/families" $( ((keep)) && echo --keep-files)
fi
