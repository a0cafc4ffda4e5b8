#!/usr/bin/env python3
"""Times Network.from_frames against the C++ folder loader on the same data.

    PYTHONPATH=build/release/bindings/python /usr/bin/python3 bench/from_frames.py --national

Generates the network (or reads --folder), writes it as CSV, then times, each
--reps times: the C++ loader (LoadFolder: read and parse the CSV files,
validate, build), from_frames on the network's DataFrames (numpy columns,
cells read in C++, validate, build), and to_frames. Prints the medians and
the ratio from_frames / LoadFolder.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import maillage
from maillage import _core


def median_seconds(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--territory", default=None)
    parser.add_argument("--folder", help="a folder in the native format")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            if args.national:
                net = maillage.generate(national=True)
            elif args.territory:
                net = maillage.generate(territory=args.territory)
            else:
                net = maillage.generate(all=True)
            folder = f"{tmp}/network"
            net.write_folder(folder)
        net = maillage.read_folder(folder)
        frames = net.to_frames()
        print(repr(net))
        load = median_seconds(lambda: _core.load_folder(folder), args.reps)
        build = median_seconds(lambda: maillage.Network.from_frames(**frames),
                               args.reps)
        out = median_seconds(lambda: maillage.Network(net._core).to_frames(),
                             args.reps)
    print(f"medians of {args.reps}: LoadFolder {load:.3f} s, "
          f"from_frames {build:.3f} s ({build / load:.2f}x), "
          f"to_frames {out:.3f} s")


if __name__ == "__main__":
    main()
