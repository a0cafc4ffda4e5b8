"""The Dask scenario sweep: ``python3 -m maillage.sweep`` run as a command
(its CSV read back by Python's csv, its rows recomputed here), its argument
errors, the examples/sweep.py shim, and run_sweep on a local cluster of two
worker processes."""

from __future__ import annotations

import csv
import os
import pathlib
import subprocess

import pytest

import maillage
import maillage.sweep
from conftest import EXAMPLES

distributed = pytest.importorskip("dask.distributed")

PACKAGE_ROOT = pathlib.Path(maillage.__file__).resolve().parents[1]
COLUMNS = ["territory", "category", "factor", "services", "places", "people",
           "people_covered", "needs", "needs_covered", "category_needs",
           "category_covered", "category_pinned", "category_capacity_full",
           "solve_seconds", "worker_pid"]
HOUSING = "logement-hebergement"


class Done:
    """A finished command: ``returncode``, ``stdout``, ``stderr`` and the
    ``pid`` it ran as."""

    def __init__(self, args: list[str], cwd: pathlib.Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(PACKAGE_ROOT)]
            + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        with subprocess.Popen(["/usr/bin/python3", *args], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) as process:
            self.pid = process.pid
            self.stdout, self.stderr = process.communicate(timeout=240)
            self.returncode = process.returncode


def run(args: list[str], cwd: pathlib.Path) -> Done:
    """Runs Debian's interpreter on the package under test, from ``cwd``
    (not the source tree, whose maillage/ has no _core)."""
    return Done(args, cwd)


def expected_row(territory: str, factor: float, seed: int) -> dict:
    """A scenario's counts, made here from the frames and the plan."""
    net = maillage.generate(territory=territory, seed=seed)
    services = net.to_frames()["services"]
    serves = services["thematiques"].map(
        lambda cell: HOUSING in {maillage.category_of(t)
                                 for t in cell.split("|")})
    chosen = services[serves]
    places = {s: int(round(c * factor)) for s, c in
              zip(chosen["service_id"], chosen["capacity_available"])}
    plan = net.with_capacity(places).allocate()
    a, u = plan.assignments, plan.unmatched
    housing, missed = a[a["category"] == HOUSING], u[u["category"] == HOUSING]
    return {
        "services": len(chosen), "places": sum(places.values()),
        "people": len(net.to_frames()["persons"]),
        "people_covered": a["person_id"].nunique(),
        "needs": len(a) + len(u), "needs_covered": len(a),
        "category_needs": len(housing) + len(missed),
        "category_covered": len(housing),
        "category_pinned": int(housing["pinned"].sum()),
        "category_capacity_full":
            int((missed["reason"] == "capacity_full").sum()),
    }


def test_the_command_on_a_local_cluster(tmp_path):
    out = tmp_path / "sweep.csv"
    done = run(["-m", "maillage.sweep", "--territories", "lyon", "rouen",
                "--categories", HOUSING, "--factors", "0", "1", "2",
                "--seed", "2", "--workers", "2", "--out", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert [(r["territory"], float(r["factor"])) for r in rows] == [
        (t, x) for t in ("lyon", "rouen") for x in (0.0, 1.0, 2.0)]
    assert {r["category"] for r in rows} == {HOUSING}
    for row in rows:
        want = expected_row(row["territory"], float(row["factor"]), seed=2)
        assert {k: int(row[k]) for k in want} == want, row
        assert float(row["solve_seconds"]) >= 0
    # The tasks ran in worker processes, not in the command's own.
    pids = {int(r["worker_pid"]) for r in rows}
    assert done.pid not in pids and os.getpid() not in pids
    lines = done.stdout.splitlines()
    assert lines[0].startswith("6 scenarios in ")
    assert lines[0].endswith(f"on {len(pids)} worker process(es)")
    # The printed table: the category's covered needs per factor.
    for territory in ("lyon", "rouen"):
        printed = next(line for line in lines
                       if line.split()[-4:-3] == [territory])
        assert printed.split()[-3:] == [
            r["category_covered"] for r in rows if r["territory"] == territory]
    assert lines[-1] == f"wrote {out}"


def test_help_and_the_shim(tmp_path):
    done = run(["-m", "maillage.sweep", "--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python3 -m maillage.sweep ")
    for option in ("--scheduler", "--workers", "--territories",
                   "--categories", "--factors", "--seed", "--scale", "--out"):
        assert option in done.stdout
    shim = run([str(EXAMPLES / "sweep.py"), "--help"], tmp_path)
    assert shim.returncode == 0, shim.stderr
    assert shim.stdout == done.stdout
    assert len((EXAMPLES / "sweep.py").read_text().splitlines()) == 3


@pytest.mark.parametrize("args, message", [
    (["--categories", "mobilite", "nope"], "unknown categories nope"),
    (["--territories", "atlantis"], "invalid choice: 'atlantis'"),
    (["--factors", "1", "-0.5"], "--factors must be 0 or more"),
    (["--factors", "nan"], "--factors must be 0 or more"),
    (["--workers", "0"], "--workers must be 1 or more"),
    (["--scale", "0"], "--scale must be more than 0"),
])
def test_bad_arguments_exit_2_before_any_cluster(tmp_path, args, message):
    done = run(["-m", "maillage.sweep", *args, "--out",
                str(tmp_path / "never.csv")], tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.startswith("usage: python3 -m maillage.sweep")
    assert not (tmp_path / "never.csv").exists()


def test_main_parses_the_arguments_it_is_given(capsys):
    with pytest.raises(SystemExit) as exit_:
        maillage.sweep.main(["--factors", "-1"])
    assert exit_.value.code == 2
    assert "--factors must be 0 or more" in capsys.readouterr().err


# tornado (under distributed) warns about its own event loop use.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_run_sweep_on_a_local_cluster():
    territories, factors = ["lyon", "rouen"], [0.0, 1.0, 2.0]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        rows = maillage.sweep.run_sweep(client, territories, [HOUSING],
                                        factors, seed=2)
    assert list(rows.columns) == COLUMNS
    assert list(rows["territory"]) == ["lyon"] * 3 + ["rouen"] * 3
    # The tasks ran in the worker processes (networks and plans travelled
    # there and back pickled); how the scheduler spreads six short tasks
    # over the two workers is its own business.
    assert os.getpid() not in set(rows["worker_pid"])
    for territory, group in rows.groupby("territory"):
        group = group.set_index("factor")
        # Factor 1 is the network as generated: the plan computed here.
        plan = maillage.generate(territory=territory, seed=2).allocate()
        s = plan.summary["territories"][territory]
        assert group.loc[1.0, "needs_covered"] == s["needs_covered"]
        assert group.loc[1.0, "people_covered"] == s["people_covered"]
        # No place at all: only current supports cover housing needs.
        assert group.loc[0.0, "places"] == 0
        zero = group.loc[0.0]
        assert zero["category_covered"] == zero["category_pinned"]
        # More places never cover fewer people (level 1 of the objective).
        assert group["people_covered"].is_monotonic_increasing
        covered = group["category_covered"]
        assert covered.loc[2.0] > covered.loc[1.0]
