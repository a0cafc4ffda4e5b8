#!/usr/bin/env python3
"""Times one allocation from Python and from the maillage tool, same network, one run.

    cmake --preset release && cmake --build --preset release
    PYTHONPATH=build/release/bindings/python nice -n 10 /usr/bin/python3 bench/python_vs_cli.py --national --reps 3

Generates the network once with the tool (`maillage generate --national
--seed 1`; or --territory NAME, --all, --folder DIR), then --reps times,
the two taking turns (the order swapped every repetition, so that a slow
spell of a shared machine hits both):

- the tool: `maillage allocate DIR --out OUT` in a process of its own: its
  wall time and the times it prints (load, rank, build, solve);
- Python, in this process: `maillage.read_folder(DIR)`, `net.allocate()`,
  `plan.write(OUT)`, each timed.

The two plans must be the same (assignments.csv and unmatched.csv equal byte
for byte). Prints the medians and the ratios Python / tool:

- (a) build + solve: `net.allocate()` (ranking, model, solve, results handed
  to Python) against the tool's rank + build + solve;
- (b) read + allocate + write against the tool's wall time (process start,
  load, rank, build, solve, write, printing);
- the baseline: the build + solve seconds the library itself records in the
  plan's summary, Python's against the tool's. The same C++ code in both: its
  distance from 1 is the noise of the run, against which (a) and (b) are read.

`import maillage` (pandas, numpy) is timed once in a fresh interpreter and
counted in neither ratio.
"""

from __future__ import annotations

import argparse
import filecmp
import gc
import json
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

import maillage

TIME_LINE = re.compile(r"^time: load ([\d.]+) s, rank ([\d.]+) s, build ([\d.]+) s, "
                       r"solve ([\d.]+) s", re.M)


def default_cli() -> pathlib.Path:
    # build/<preset>/bindings/python/maillage/__init__.py -> build/<preset>/maillage
    return pathlib.Path(maillage.__file__).resolve().parents[3] / "maillage"


def run_cli(cli: pathlib.Path, folder: pathlib.Path, out: pathlib.Path,
            log: pathlib.Path) -> dict:
    """`maillage allocate`: wall time and the times it prints."""
    with open(log, "w") as f:
        start = time.perf_counter()
        done = subprocess.run([str(cli), "allocate", str(folder), "--out", str(out)],
                              stdout=f, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - start
    text = log.read_text()
    if done.returncode != 0:
        sys.exit(f"maillage allocate failed ({done.returncode}):\n{text}")
    m = TIME_LINE.search(text)
    if not m:
        sys.exit(f"no 'time:' line in the output of maillage allocate:\n{text}")
    load, rank, build, solve = map(float, m.groups())
    summary = json.loads((out / "summary.json").read_text())
    return {"wall": wall, "load": load, "rank": rank, "build": build, "solve": solve,
            "rank_build_solve": rank + build + solve,
            "lib_build_solve": summary["seconds"]["build"] + summary["seconds"]["solve"]}


def run_python(folder: pathlib.Path, out: pathlib.Path) -> dict:
    """read_folder, allocate, write, in this process."""
    gc.collect()
    t0 = time.perf_counter()
    net = maillage.read_folder(folder)
    t1 = time.perf_counter()
    plan = net.allocate()
    t2 = time.perf_counter()
    plan.write(out)
    t3 = time.perf_counter()
    seconds = plan.summary["seconds"]
    counts = net.counts
    del plan, net
    gc.collect()
    return {"read": t1 - t0, "allocate": t2 - t1, "write": t3 - t2, "total": t3 - t0,
            "lib_build_solve": seconds["build"] + seconds["solve"], "counts": counts}


def same_plan(a: pathlib.Path, b: pathlib.Path) -> None:
    for name in ("assignments.csv", "unmatched.csv"):
        if not filecmp.cmp(a / name, b / name, shallow=False):
            sys.exit(f"the plans differ: {a / name} and {b / name}")


def import_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import maillage"], check=True)
    return time.perf_counter() - start


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--national", action="store_true")
    size.add_argument("--all", action="store_true", help="the 8 Convergence territories")
    size.add_argument("--territory", help="one territory, e.g. lyon")
    size.add_argument("--folder", type=pathlib.Path, help="a folder in the native format")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cli", type=pathlib.Path, default=None,
                        help="the maillage tool (default: the one of the build "
                             "the package is imported from)")
    args = parser.parse_args()
    cli = (args.cli or default_cli()).resolve()
    if not cli.exists():
        sys.exit(f"no maillage tool at {cli}: give --cli")

    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as tmp_name:
        tmp = pathlib.Path(tmp_name)
        folder = args.folder
        what = f"folder {folder}"
        if folder is None:
            folder = tmp / "network"
            size_args = (["--national"] if args.national else
                         ["--territory", args.territory] if args.territory else ["--all"])
            generate = ["generate", *size_args, "--seed", str(args.seed)]
            if args.scale is not None:
                generate += ["--scale", str(args.scale)]
            what = " ".join(["maillage", *generate])
            subprocess.run([str(cli), *generate, "--out", str(folder)], check=True,
                           stdout=subprocess.DEVNULL)
        print(f"network: {what}; tool {cli}; Python {sys.executable}, "
              f"package {pathlib.Path(maillage.__file__).parent}", flush=True)

        tool_rows, python_rows = [], []
        for rep in range(args.reps):
            runs = [("tool", tool_rows), ("python", python_rows)]
            if rep % 2:
                runs.reverse()
            for name, rows in runs:
                out = tmp / f"plan-{name}"
                if name == "tool":
                    rows.append(run_cli(cli, folder, out, tmp / "allocate.log"))
                else:
                    rows.append(run_python(folder, out))
            same_plan(tmp / "plan-tool", tmp / "plan-python")
            t, p = tool_rows[-1], python_rows[-1]
            if rep == 0:
                c = p["counts"]
                print(f"size: {c.get('persons', '?'):,} people, {c.get('needs', '?'):,} "
                      f"needs, {c.get('services', '?'):,} services", flush=True)
            print(f"rep {rep + 1}: tool wall {t['wall']:.2f} s (load {t['load']:.2f}, "
                  f"rank {t['rank']:.2f}, build {t['build']:.2f}, solve {t['solve']:.2f}); "
                  f"python read {p['read']:.2f}, allocate {p['allocate']:.2f}, "
                  f"write {p['write']:.2f}, total {p['total']:.2f} s; "
                  f"(a) {ratio(p['allocate'], t['rank_build_solve']):.3f}, "
                  f"(b) {ratio(p['total'], t['wall']):.3f}, "
                  f"baseline {ratio(p['lib_build_solve'], t['lib_build_solve']):.3f}",
                  flush=True)

    imported = import_seconds()
    n = args.reps
    tool_rbs = median(tool_rows, "rank_build_solve")
    tool_wall = median(tool_rows, "wall")
    py_alloc = median(python_rows, "allocate")
    py_total = median(python_rows, "total")
    base = ratio(median(python_rows, "lib_build_solve"), median(tool_rows, "lib_build_solve"))
    print(f"\nmedians of {n}:")
    print(f"  tool    wall {tool_wall:.2f} s: load {median(tool_rows, 'load'):.2f}, "
          f"rank {median(tool_rows, 'rank'):.2f}, build {median(tool_rows, 'build'):.2f}, "
          f"solve {median(tool_rows, 'solve'):.2f} s (rank + build + solve "
          f"{tool_rbs:.2f} s)")
    print(f"  python  read {median(python_rows, 'read'):.2f} s, allocate {py_alloc:.2f} s, "
          f"write {median(python_rows, 'write'):.2f} s, total {py_total:.2f} s; "
          f"import maillage {imported:.2f} s (not counted)")
    print(f"  (a) build + solve, python allocate / tool rank + build + solve: "
          f"{ratio(py_alloc, tool_rbs):.3f}")
    print(f"  (b) python read + allocate + write / tool wall: {ratio(py_total, tool_wall):.3f}")
    print(f"  baseline, library build + solve seconds, python / tool: {base:.3f}")


if __name__ == "__main__":
    main()
