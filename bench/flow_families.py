#!/usr/bin/python3
"""Min-cost flow instances of the classic families of the literature, in
DIMACS format, for bench/compare.sh --families: the referral problems are not
the only ones the solver must handle well.

Written from the published descriptions of the generators, not their code:

  netgen   Klingman, Napier and Stutz, "NETGEN: A program for generating
           large scale capacitated assignment, transportation, and minimum
           cost flow network problems", Management Science 20(5), 1974:
           sources, sinks and transshipment nodes; a skeleton of chains from
           every source through transshipment nodes to sinks that keeps the
           problem feasible (a share of its arcs at the highest cost), then
           random arcs, a share of them capacitated.
  gridgen  Lee and Orlin's GRIDGEN (as described in the DIMACS implementation
           challenge, 1991): nodes on a grid of a given width, arcs both
           ways between grid neighbours, extra random arcs, sources and sinks
           at random nodes.
  goto     Goldberg's "Grid On Torus" (Goldberg and Kharitonov, "On
           implementing scaling push-relabel algorithms for the minimum-cost
           flow problem", DIMACS series vol. 12, 1993): nodes on a torus, each
           joined to its neighbour along the torus and to random nodes of the
           next columns, costs and capacities spread over wide ranges, one
           source and one sink; built to be hard.
  grid     a plain square grid, arcs both ways between neighbours, sources
           on the left column and sinks on the right one.

  bench/flow_families.py FAMILY --nodes N --arcs M [--seed S] --out FILE

Every instance is feasible (each generator adds uncapacitated paths from
the sources to the sinks). The instances are deterministic from the seed.
"""

import argparse
import random
import sys


def write(path, name, n, supply, arcs):
    with open(path, "w") as f:
        f.write(f"c {name}\n")
        f.write(f"p min {n} {len(arcs)}\n")
        for v, s in sorted(supply.items()):
            if s != 0:
                f.write(f"n {v} {s}\n")
        f.write("".join(f"a {t} {h} 0 {c} {w}\n" for t, h, c, w in arcs))


def split(total, parts, rng):
    """`total` split into `parts` positive integers (total >= parts)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0] + cuts + [total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def neighbour_arcs(rows, cols, node, max_cap, max_cost, rng):
    """Arcs both ways between the neighbours of a rows x cols grid, each with
    a capacity in [1, max_cap] and a cost in [1, max_cost]."""
    arcs = []
    for r in range(rows):
        for c in range(cols):
            for dr, dc in ((0, 1), (1, 0)):
                r2, c2 = r + dr, c + dc
                if r2 < rows and c2 < cols:
                    for t, h in ((node(r, c), node(r2, c2)),
                                 (node(r2, c2), node(r, c))):
                        arcs.append((t, h, rng.randint(1, max_cap),
                                     rng.randint(1, max_cost)))
    return arcs


def netgen(n, m, rng):
    sources = max(1, n // 20)
    sinks = max(1, n // 20)
    total = 1000 * sources
    big = total  # an "uncapacitated" arc carries everything
    max_cost, min_cap, max_cap = 10000, 100, 1000
    supply = {}
    for v, s in zip(range(1, sources + 1), split(total, sources, rng)):
        supply[v] = s
    sink_nodes = list(range(n - sinks + 1, n + 1))
    for v, s in zip(sink_nodes, split(total, sinks, rng)):
        supply[v] = -s
    trans = list(range(sources + 1, n - sinks + 1))
    arcs = []
    # Skeleton: one chain per source through a few transshipment nodes to a
    # sink, every sink reached; 30% of the chain arcs at the highest cost.
    for i, s in enumerate(range(1, sources + 1)):
        chain = [s] + rng.sample(trans, min(len(trans), rng.randint(1, 8)))
        chain.append(sink_nodes[i % sinks])
        for t, h in zip(chain, chain[1:]):
            cost = max_cost if rng.random() < 0.3 else rng.randint(1, max_cost)
            arcs.append((t, h, big, cost))
    for k in range(sources, sinks):  # sinks not yet reached
        arcs.append((rng.randint(1, sources), sink_nodes[k], big, max_cost))
    while len(arcs) < m:
        t, h = rng.randint(1, n), rng.randint(1, n)
        if t == h:
            continue
        cap = rng.randint(min_cap, max_cap) if rng.random() < 0.5 else big
        arcs.append((t, h, cap, rng.randint(1, max_cost)))
    return supply, arcs


def gridgen(n, m, rng):
    width = max(2, int(n ** 0.5) // 4)
    rows = (n + width - 1) // width
    n = rows * width
    node = lambda r, c: r * width + c + 1
    max_cost, max_cap = 10000, 1000
    arcs = neighbour_arcs(rows, width, node, max_cap, max_cost, rng)
    while len(arcs) < m:
        t, h = rng.randint(1, n), rng.randint(1, n)
        if t != h:
            arcs.append((t, h, rng.randint(1, max_cap),
                         rng.randint(1, max_cost)))
    nodes = rng.sample(range(1, n + 1), max(2, n // 10))
    sources, sinks = nodes[: len(nodes) // 2], nodes[len(nodes) // 2:]
    total = 500 * len(sources)
    supply = {}
    for v, s in zip(sources, split(total, len(sources), rng)):
        supply[v] = s
    for v, s in zip(sinks, split(total, len(sinks), rng)):
        supply[v] = -s
    # Feasibility: an expensive uncapacitated arc from each source to a sink.
    for i, v in enumerate(sources):
        arcs.append((v, sinks[i % len(sinks)], total, 10 * max_cost))
    for k in range(len(sources), len(sinks)):
        arcs.append((sources[0], sinks[k], total, 10 * max_cost))
    return n, supply, arcs


def goto(n, m, rng):
    # x columns of y rows on a torus, x = 2y roughly; each node joins its
    # successor in its row and random nodes of the next columns.
    y = max(2, int((n / 2) ** 0.5))
    x = max(2, n // y)
    n = x * y
    node = lambda c, r: (c % x) * y + (r % y) + 1
    max_cost, max_cap = 2 ** 20, 2 ** 16
    arcs = []
    for c in range(x):
        for r in range(y):
            arcs.append((node(c, r), node(c + 1, r), max_cap * 8,
                         max_cost))  # the torus, expensive and wide
            arcs.append((node(c, r), node(c, r + 1), max_cap * 8, max_cost))
    per_node = max(0, (m - len(arcs)) // n)
    for c in range(x):
        for r in range(y):
            for _ in range(per_node):
                jump = rng.randint(1, max(1, x // 4))
                arcs.append((node(c, r), node(c + jump, rng.randint(0, y - 1)),
                             rng.randint(1, max_cap),
                             rng.randint(0, max_cost // jump)))
    s, t = node(0, 0), node(x // 2, y // 2)
    flow = max_cap * 4
    return n, {s: flow, t: -flow}, arcs


def grid(n, m, rng):
    side = max(2, int(n ** 0.5))
    n = side * side
    node = lambda r, c: r * side + c + 1
    arcs = neighbour_arcs(side, side, node, 100, 1000, rng)
    supply = {}
    for r in range(side):
        supply[node(r, 0)] = 50
        supply[node(r, side - 1)] = -50
    # Feasibility: along each row, an uncapacitated expensive arc chain.
    for r in range(side):
        for c in range(side - 1):
            arcs.append((node(r, c), node(r, c + 1), 50 * side, 100000))
    return n, supply, arcs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("family", choices=["netgen", "gridgen", "goto", "grid"])
    ap.add_argument("--nodes", type=int, required=True)
    ap.add_argument("--arcs", type=int, default=0,
                    help="arcs (netgen, gridgen, goto; grid has ~4 per node)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.nodes < 4:
        sys.exit("--nodes must be at least 4")
    rng = random.Random(a.seed)
    m = a.arcs or 8 * a.nodes
    if a.family == "netgen":
        n = a.nodes
        supply, arcs = netgen(n, m, rng)
    elif a.family == "gridgen":
        n, supply, arcs = gridgen(a.nodes, m, rng)
    elif a.family == "goto":
        n, supply, arcs = goto(a.nodes, m, rng)
    else:
        n, supply, arcs = grid(a.nodes, m, rng)
    write(a.out, f"{a.family} nodes {n} arcs {len(arcs)} seed {a.seed}", n,
          supply, arcs)


if __name__ == "__main__":
    main()
