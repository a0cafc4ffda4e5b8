#!/usr/bin/python3
"""maillage's network simplex against LEMON's NetworkSimplex on the classic
min-cost flow families (bench/flow_families.py): NETGEN, GRIDGEN, GOTO and
grids, at two sizes, several seeds each. Each instance is solved by both
solvers in their own processes (`flow_compare --solver`), in turn, so that
a slow spell of a shared machine hits both; prints one Markdown table (also
written to WORK/families.md, raw lines to WORK/families.txt).

  bench/compare_families.py [--bin build/release] [--work DIR]
                            [--seeds 3] [--rounds 2] [--reps 3]
                            [--sizes small,large] [--keep-files]

Per family and size: the sum over the instances of each solver's median
time, their ratio (LEMON / maillage: above 1, maillage is faster), the
lowest ratio of any one instance, the largest peak memory, and whether
every objective is the same. bench/compare.sh --families runs it after the
referral sizes. The instances are written to WORK and deleted after
(--keep-files keeps them); none is kept in the repository.
"""

import argparse
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = {  # nodes, arcs (grid: about 4 arcs per node)
    "small": (4000, 40000),
    "large": (40000, 400000),
}
FAMILIES = ["netgen", "gridgen", "goto", "grid"]


def fields(line):
    return dict(kv.split("=", 1) for kv in line.split() if "=" in kv)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--work", default="build/release/compare-families")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sizes", default="small,large")
    ap.add_argument("--keep-files", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    flow_compare = os.path.join(a.bin, "bench", "flow_compare")
    raw = open(os.path.join(a.work, "families.txt"), "w")
    rows = []
    for size in a.sizes.split(","):
        nodes, arcs = SIZES[size]
        for family in FAMILIES:
            total = {"maillage": 0.0, "lemon-ns": 0.0}
            peak = {"maillage": 0, "lemon-ns": 0}
            worst, equal, shape = None, True, None
            for seed in range(1, a.seeds + 1):
                path = os.path.join(a.work, f"{family}-{size}-{seed}.min")
                subprocess.run(
                    [sys.executable, os.path.join(HERE, "flow_families.py"),
                     family, "--nodes", str(nodes), "--arcs", str(arcs),
                     "--seed", str(seed), "--out", path], check=True)
                times = {"maillage": [], "lemon-ns": []}
                objectives = set()
                for _ in range(a.rounds):
                    for solver in times:
                        out = subprocess.run(
                            [flow_compare, path, "--solver", solver,
                             "--reps", str(a.reps)],
                            capture_output=True, text=True)
                        line = out.stdout.strip()
                        raw.write(f"{family} {size} seed={seed} {line}\n")
                        f = fields(line)
                        if f.get("status") != "optimal":
                            sys.exit(f"{path}: {solver} failed: {out.stderr}")
                        times[solver] += [float(t) for t in
                                          f["times_s"].split(",")]
                        peak[solver] = max(peak[solver], int(f["peak_rss_kb"]))
                        objectives.add(f["objective"])
                        shape = (int(f["nodes"]), int(f["arcs"]))
                equal = equal and len(objectives) == 1
                med = {s: statistics.median(t) for s, t in times.items()}
                for s in total:
                    total[s] += med[s]
                ratio = med["lemon-ns"] / med["maillage"]
                worst = ratio if worst is None else min(worst, ratio)
                if not a.keep_files:
                    os.remove(path)
            rows.append((family, size, shape, total, peak, worst, equal))
            print(f"{family} {size}: ratio "
                  f"{total['lemon-ns'] / total['maillage']:.2f}",
                  file=sys.stderr)
    table = [
        "| family | size (nodes, arcs) | instances | maillage | LEMON NS | "
        "LEMON / maillage | lowest one | peak MiB maillage / LEMON | "
        "objectives equal |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for family, size, shape, total, peak, worst, equal in rows:
        table.append(
            f"| {family} | {size} ({shape[0]:,}, {shape[1]:,}) | {a.seeds} | "
            f"{total['maillage']:.3f} s | {total['lemon-ns']:.3f} s | "
            f"{total['lemon-ns'] / total['maillage']:.2f} | {worst:.2f} | "
            f"{peak['maillage'] / 1024:.0f} / {peak['lemon-ns'] / 1024:.0f} | "
            f"{'yes' if equal else 'NO'} |")
    text = "\n".join(table) + "\n"
    open(os.path.join(a.work, "families.md"), "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
