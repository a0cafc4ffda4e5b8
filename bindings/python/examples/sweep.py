#!/usr/bin/env python3
"""Capacity scenarios over the 8 Convergence territories, on a Dask cluster.

A scenario multiplies the places (capacity_available) of every service of one
theme category by a factor in one territory, and computes that territory's
plan. The sweep runs every (territory, category, factor) as one task: the
networks are generated here, shipped once to the workers (networks pickle),
and each task returns one row of counts. The result says, per territory,
how many more people and needs a given increase of places would cover.

    python3 sweep.py                                # LocalCluster on this machine
    python3 sweep.py --scheduler tcp://host:8786    # any running Dask scheduler
    python3 sweep.py --categories mobilite --factors 1 2 4 --out sweep.csv

On a cluster every worker needs the maillage package (docs/python.md,
"Install, offline"); this script is sent to the workers with the tasks.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional, Sequence

import pandas as pd

import maillage

TERRITORIES = ("charente", "lille", "lyon", "marseille", "nantes", "paris",
               "rouen", "strasbourg")
# Scarce places where it hurts (docs/synth.md).
CATEGORIES = ("logement-hebergement", "mobilite", "lecture-ecriture-calcul",
              "sante")
FACTORS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


def serving(services: pd.DataFrame, category: str) -> pd.Series:
    """Which services serve a theme of `category` (column-wise)."""
    category_of = {t: maillage.category_of(t) for t in maillage.theme_codes()}
    themes = services["thematiques"].str.split("|").explode()
    return themes.map(category_of).eq(category).groupby(level=0).any()


def run_scenario(net: maillage.Network, territory: str, category: str,
                 factor: float) -> dict:
    """Allocates `net` with the places of `category`'s services times
    `factor`; one row of counts."""
    services = net.to_frames()["services"]
    chosen = services[serving(services, category)]
    places = (chosen["capacity_available"] * factor).round().astype("int64")
    scenario = net.with_capacity(dict(zip(chosen["service_id"], places)))
    plan = scenario.allocate()
    summary = plan.summary["territories"][territory]
    a, u = plan.assignments, plan.unmatched
    in_category = a["category"] == category
    return {
        "territory": territory,
        "category": category,
        "factor": factor,
        "services": len(chosen),
        "places": int(places.sum()),
        "people": summary["people"],
        "people_covered": summary["people_covered"],
        "needs": summary["needs"],
        "needs_covered": summary["needs_covered"],
        "category_needs": int(in_category.sum() + (u["category"] == category).sum()),
        "category_covered": int(in_category.sum()),
        "category_pinned": int((in_category & a["pinned"]).sum()),
        "category_capacity_full": int(((u["category"] == category)
                                       & (u["reason"] == "capacity_full")).sum()),
        "solve_seconds": plan.summary["seconds"]["solve"],
        "worker_pid": os.getpid(),
    }


def run_sweep(client, territories: Sequence[str] = TERRITORIES,
              categories: Sequence[str] = CATEGORIES,
              factors: Sequence[float] = FACTORS, seed: int = 1,
              scale: float = 1.0) -> pd.DataFrame:
    """Runs every (territory, category, factor) scenario on the Dask
    `client`'s cluster; one row per scenario, sorted."""
    if __name__ != "__main__":
        # Imported (a notebook, the tests): the workers import this file
        # too, so that they can run run_scenario.
        client.upload_file(__file__)
    networks = {t: maillage.generate(territory=t, seed=seed, scale=scale)
                for t in territories}
    shipped = {t: client.scatter(net) for t, net in networks.items()}
    tasks = [client.submit(run_scenario, shipped[t], t, c, float(f), pure=False)
             for t in territories for c in categories for f in factors]
    rows = client.gather(tasks)
    return (pd.DataFrame(rows)
            .sort_values(["territory", "category", "factor"])
            .reset_index(drop=True))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheduler", help="address of a Dask scheduler "
                        "(default: a LocalCluster on this machine)")
    parser.add_argument("--workers", type=int, default=2,
                        help="LocalCluster worker processes (default 2)")
    parser.add_argument("--territories", nargs="+", default=TERRITORIES)
    parser.add_argument("--categories", nargs="+", default=CATEGORIES)
    parser.add_argument("--factors", nargs="+", type=float, default=FACTORS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", help="write the rows to this CSV file")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        rows = run_sweep(client, args.territories, args.categories,
                         args.factors, args.seed, args.scale)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print(f"{len(rows)} scenarios in {time.perf_counter() - start:.1f} s on "
          f"{rows['worker_pid'].nunique()} worker process(es)\n")
    table = rows.pivot_table(index=["category", "territory"], columns="factor",
                             values="category_covered")
    print("needs of the category covered, by factor of its places:")
    print(table.to_string())
    if args.out:
        rows.to_csv(args.out, index=False)
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
