"""Capacity scenarios over the Convergence territories, on a Dask cluster.

A scenario multiplies the places (``capacity_available``) of every service
of one theme category by a factor in one territory, and computes that
territory's plan. The sweep runs every (territory, category, factor) as one
task: the networks are generated here, shipped once to the workers
(networks pickle), and each task returns one row of counts. The result
says, per territory, how many more people and needs a given increase of
places would cover.

    python3 -m maillage.sweep                      # a LocalCluster, 2 workers
    python3 -m maillage.sweep --scheduler tcp://host:8786
    python3 -m maillage.sweep --categories mobilite --factors 1 2 4
    python3 -m maillage.sweep --territories lyon rouen --out sweep.csv

It needs Dask's ``distributed`` package. On a cluster every worker needs the
same maillage package (docs/python.md, "Install with pip"): the tasks run
this module's :func:`run_scenario` there.

From Python, :func:`run_sweep` takes a ``distributed.Client`` and returns
the rows as a DataFrame.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Optional, Sequence

import pandas as pd

import maillage

__all__ = ["CATEGORIES", "COLUMNS", "FACTORS", "TERRITORIES", "main",
           "run_scenario", "run_sweep", "serving"]

TERRITORIES = ("charente", "lille", "lyon", "marseille", "nantes", "paris",
               "rouen", "strasbourg")
# Scarce places where it hurts (docs/synth.md).
CATEGORIES = ("logement-hebergement", "mobilite", "lecture-ecriture-calcul",
              "sante")
FACTORS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)

# The columns of a row of run_scenario, in order (the CSV of --out).
COLUMNS = ("territory", "category", "factor", "services", "places", "people",
           "people_covered", "needs", "needs_covered", "category_needs",
           "category_covered", "category_pinned", "category_capacity_full",
           "solve_seconds", "worker_pid")


def serving(services: pd.DataFrame, category: str) -> pd.Series:
    """Which services serve a theme of a category, column-wise.

    Parameters: ``services``, the ``services`` frame of
    :meth:`Network.to_frames` (its ``thematiques`` column); ``category``, a
    data·inclusion theme category (:func:`maillage.category_codes`).

    Returns a boolean Series aligned on ``services``.
    """
    category_of = {t: maillage.category_of(t) for t in maillage.theme_codes()}
    themes = services["thematiques"].fillna("").str.split("|").explode()
    return (themes.map(category_of).eq(category)
            .groupby(level=0).any().reindex(services.index, fill_value=False))


def run_scenario(net: maillage.Network, territory: str, category: str,
                 factor: float) -> dict:
    """Allocates one scenario and counts what it covers.

    Parameters: ``net``, the network of one territory (as
    ``maillage.generate(territory=...)`` makes it); ``territory``, its name
    (the key of the plan's ``summary["territories"]``); ``category``, the
    theme category whose services' places change; ``factor``, what their
    ``capacity_available`` is multiplied by (rounded to whole places; a
    service that publishes no places keeps its unknown capacity).

    Returns one row as a dict with the keys of :data:`COLUMNS`: the
    scenario (``territory``, ``category``, ``factor``), the services of the
    category and their ``places`` in it; the territory's ``people``,
    ``people_covered``, ``needs``, ``needs_covered``; the category's
    ``category_needs``, ``category_covered`` (pinned supports included),
    ``category_pinned``, ``category_capacity_full`` (unmatched because
    every eligible service in reach is full); ``solve_seconds`` and the
    ``worker_pid`` of the process that ran it.
    """
    services = net.to_frames()["services"]
    chosen = services[serving(services, category)]
    chosen = chosen[chosen["capacity_available"].notna()]
    places = (chosen["capacity_available"].astype("float64") * factor
              ).round().astype("int64")
    scenario = net.with_capacity(dict(zip(chosen["service_id"], places)))
    plan = scenario.allocate()
    summary = plan.summary["territories"][territory]
    a, u = plan.assignments, plan.unmatched
    in_category = a["category"] == category
    missed = u["category"] == category
    full = missed & (u["reason"] == "capacity_full")
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
        "category_needs": int(in_category.sum() + missed.sum()),
        "category_covered": int(in_category.sum()),
        "category_pinned": int((in_category & a["pinned"]).sum()),
        "category_capacity_full": int(full.sum()),
        "solve_seconds": plan.summary["seconds"]["solve"],
        "worker_pid": os.getpid(),
    }


def run_sweep(client, territories: Sequence[str] = TERRITORIES,
              categories: Sequence[str] = CATEGORIES,
              factors: Sequence[float] = FACTORS, seed: int = 1,
              scale: float = 1.0) -> pd.DataFrame:
    """Runs every (territory, category, factor) scenario on a Dask cluster.

    Parameters: ``client``, a ``distributed.Client`` whose workers have the
    maillage package; ``territories``, the territories generated (one
    network each); ``categories``, the theme categories whose places
    change; ``factors``, the multipliers of their places; ``seed`` and
    ``scale``, those of :func:`maillage.generate`.

    Returns one row per scenario (the columns of :data:`COLUMNS`, see
    :func:`run_scenario`), sorted by territory, category and factor.
    """
    networks = {t: maillage.generate(territory=t, seed=seed, scale=scale)
                for t in territories}
    shipped = {t: client.scatter(net) for t, net in networks.items()}
    tasks = [client.submit(run_scenario, shipped[t], t, c, float(f),
                           pure=False)
             for t in territories for c in categories for f in factors]
    rows = client.gather(tasks)
    return (pd.DataFrame(rows, columns=list(COLUMNS))
            .sort_values(["territory", "category", "factor"])
            .reset_index(drop=True))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m maillage.sweep",
        description=" ".join(__doc__.split("\n\n")[:2]).replace("``", ""),
        epilog="Prints the needs of each category covered per territory and "
        "factor; --out writes every row (one per scenario) as CSV.")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="address of a running Dask scheduler, e.g. "
                        "tcp://host:8786 (default: a LocalCluster on this "
                        "machine)")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="LocalCluster worker processes (default 2)")
    parser.add_argument("--territories", nargs="+", default=list(TERRITORIES),
                        choices=TERRITORIES, metavar="NAME",
                        help="territories to sweep (default: the 8: "
                        f"{' '.join(TERRITORIES)})")
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES),
                        metavar="CATEGORY",
                        help="theme categories whose places change (default: "
                        f"{' '.join(CATEGORIES)})")
    parser.add_argument("--factors", nargs="+", type=float,
                        default=list(FACTORS), metavar="X",
                        help="multipliers of the places, 0 or more (default: "
                        f"{' '.join(str(f) for f in FACTORS)})")
    parser.add_argument("--seed", type=int, default=1,
                        help="seed of the generated networks (default 1)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="scale of the generated networks (default 1)")
    parser.add_argument("--out", metavar="FILE.csv",
                        help="write the rows to this CSV file (UTF-8)")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> None:
    """The command line ``python3 -m maillage.sweep``.

    Parameters: ``argv``, the arguments without the program name (default:
    ``sys.argv[1:]``); ``--help`` lists them. Exits with status 2 and a
    usage message for a bad argument.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = sorted(set(args.categories) - set(maillage.category_codes()))
    if unknown:
        parser.error(f"unknown categories {', '.join(unknown)} (known: "
                     f"{', '.join(maillage.category_codes())})")
    if any(not f >= 0 for f in args.factors):
        parser.error("--factors must be 0 or more")
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    if not args.scale > 0:
        parser.error("--scale must be more than 0")

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        parser.error("the sweep needs Dask's distributed package "
                     "(Debian: python3-distributed)")

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
                             values="category_covered", aggfunc="first")
    print("needs of the category covered, by factor of its places:")
    print(table.to_string())
    if args.out:
        rows.to_csv(args.out, index=False, encoding="utf-8")
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
