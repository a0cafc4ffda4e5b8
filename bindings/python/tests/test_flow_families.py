"""bench/flow_families.py writes DIMACS instances that an independent
reader parses and that `maillage flow --verify` solves to a certified
optimum: the benchmark's families are real, feasible min-cost flow
problems."""

import pathlib
import subprocess
import sys

import pytest

GENERATOR = pathlib.Path(__file__).resolve().parents[3] / "bench" / "flow_families.py"


def read_dimacs(path):
    """A reader of our own here: counts, supplies and arcs."""
    nodes = arcs = None
    supply, arc_lines = {}, []
    for line in path.read_text().splitlines():
        f = line.split()
        if not f or f[0] == "c":
            continue
        if f[0] == "p":
            assert f[1] == "min"
            nodes, arcs = int(f[2]), int(f[3])
        elif f[0] == "n":
            supply[int(f[1])] = int(f[2])
        elif f[0] == "a":
            t, h, low, cap, cost = map(int, f[1:])
            assert 1 <= t <= nodes and 1 <= h <= nodes and low == 0 and cap >= 0
            arc_lines.append((t, h, cap, cost))
    return nodes, arcs, supply, arc_lines


@pytest.mark.parametrize("family", ["netgen", "gridgen", "goto", "grid"])
def test_family_instances_solve_with_a_certificate(family, tmp_path, cli):
    out = tmp_path / f"{family}.min"
    subprocess.run([sys.executable, str(GENERATOR), family, "--nodes", "300",
                    "--arcs", "2400", "--seed", "7", "--out", str(out)],
                   check=True)
    nodes, arcs, supply, arc_lines = read_dimacs(out)
    assert len(arc_lines) == arcs and arcs >= nodes
    assert sum(supply.values()) == 0 and any(s > 0 for s in supply.values())
    again = tmp_path / "again.min"
    subprocess.run([sys.executable, str(GENERATOR), family, "--nodes", "300",
                    "--arcs", "2400", "--seed", "7", "--out", str(again)],
                   check=True)
    assert again.read_text() == out.read_text()  # deterministic
    run = subprocess.run([cli, "flow", str(out), "--verify"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "status: optimal" in run.stdout
    assert "verified" in run.stdout
