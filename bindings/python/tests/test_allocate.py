"""allocate: the plan, its tables, its summary (the CLI's) and verify."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

import maillage
from conftest import TESTDATA

REASONS = {"no_service_for_theme", "not_eligible", "out_of_reach", "capacity_full"}


def cli_allocate(cli, folder, out):
    subprocess.run([cli, "allocate", str(folder), "--out", str(out), "--verify"],
                   check=True, capture_output=True)
    return json.loads((out / "summary.json").read_text())


def without_timings(summary):
    return {k: v for k, v in summary.items() if k != "seconds"}


@pytest.mark.parametrize("source", ["valid", "lyon"])
def test_summary_and_files_match_the_cli(cli, tmp_path, lyon, source):
    if source == "valid":
        folder = TESTDATA / "valid"
    else:
        folder = tmp_path / "lyon"
        lyon.write_folder(folder)
    expected = cli_allocate(cli, folder, tmp_path / "cli")
    plan = maillage.read_folder(folder).allocate()
    assert without_timings(plan.summary) == without_timings(expected)
    plan.write(tmp_path / "py")
    for name in ("assignments.csv", "unmatched.csv"):
        assert (tmp_path / "py" / name).read_bytes() == \
            (tmp_path / "cli" / name).read_bytes(), name


def test_every_need_once_and_verified(lyon, lyon_plan):
    a, u = lyon_plan.assignments, lyon_plan.unmatched
    needs = lyon.to_frames()["needs"]
    assert len(a) + len(u) == len(needs)
    key = ["person_id", "thematique"]
    together = a[key].merge(u[key], how="outer", indicator=True)
    assert (together["_merge"] != "both").all()
    assert set(map(tuple, together[key].to_numpy())) == \
        set(map(tuple, needs[key].to_numpy()))
    assert set(u["reason"]) <= REASONS
    assert len(u) > 0 and len(a) > 0
    s = lyon_plan.summary
    assert s["needs_covered"] == len(a)
    assert s["needs_pinned"] == int(a["pinned"].sum())
    assert s["people_covered"] == a["person_id"].nunique()
    lyon_plan.verify()


def test_assignment_columns(lyon, lyon_plan):
    a = lyon_plan.assignments
    assert list(a.columns) == [
        "person_id", "territory", "thematique", "category", "urgency",
        "service_id", "partner_id", "score", "capacity", "proximity",
        "complementarity", "distance_km", "remote", "pinned",
        "capacity_assumed"]
    assert set(a["territory"]) == {"lyon"}
    assert (a["category"] == a["thematique"].str.split("--").str[0]).all()
    assert a.loc[a["pinned"], "score"].isna().all()
    fresh = a[~a["pinned"]]
    assert fresh["score"].between(0, 1).all()
    assert a.loc[a["remote"], "distance_km"].isna().all()
    # Places given never exceed the free places of a service.
    prices = lyon_plan.shadow_prices
    assert len(prices) == lyon.counts["services"]
    given = fresh.groupby("service_id").size()
    free = prices.set_index("service_id")["free_places"]
    assert (given <= free.reindex(given.index)).all()
    assert (prices["assigned"].to_numpy() ==
            given.reindex(prices["service_id"], fill_value=0).to_numpy()).all()


def test_shadow_prices_only_where_full(lyon_plan):
    prices = lyon_plan.shadow_prices
    assert (prices["scaled"] >= 0).all()
    valued = prices[prices["scaled"] > 0]
    assert len(valued) > 0
    assert (valued["assigned"] == valued["free_places"]).all()
    scaling = lyon_plan.summary["scaling"]
    recombined = (valued["people"] * scaling["person_weight"]
                  + valued["needs"] * scaling["need_weight"]
                  + valued["urgency"] * scaling["urgency_weight"]
                  + np.round(valued["score"] * scaling["score_scale"]))
    assert (recombined.astype("int64") == valued["scaled"]).all()


def test_options_and_repr(valid):
    plan = valid.allocate(candidate_limit=1)
    assert plan.options == {"candidate_limit": 1, "score_scale": 1000,
                            "explain_radius_km": 100.0, "rank": {}}
    assert repr(plan) == ("<maillage.Plan: 5 of 5 people and 9 of 10 needs "
                          "covered, 1 unmatched>")
    plan.verify()
    # The plan is optimal whatever the candidate limit.
    assert plan.summary["objective"] == valid.allocate().summary["objective"]


def test_weights_change_the_score_level(lyon, lyon_plan):
    other = lyon.allocate(weights={"capacity": 0, "proximity": 1,
                                   "complementarity": 0})
    other.verify()
    # Levels 1-3 do not depend on the scores; level 4 does.
    for level in ("people_covered", "needs_covered", "urgency_level"):
        assert other.summary["objective"][level] == \
            lyon_plan.summary["objective"][level]
    fresh = other.assignments
    fresh = fresh[~fresh["pinned"]]
    np.testing.assert_allclose(fresh["score"], fresh["proximity"])


def _runs_without_the_gil(call):
    """True when this thread gets to run Python code while `call` runs in
    another thread. The switch interval is made so long that the other
    thread can only give the GIL up by releasing it (a C++ call in a
    gil_scoped_release) or by finishing; no timing is measured."""
    import sys
    import threading
    entered = threading.Event()
    state = {"done": False}

    def work():
        entered.set()
        call()
        state["done"] = True

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        thread = threading.Thread(target=work)
        thread.start()
        entered.wait()  # blocks, so the worker gets the GIL and starts
        # Back here only once the worker released the GIL (inside the C++
        # call) or finished.
        during = not state["done"]
        thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert state["done"]
    return during


def test_long_calls_release_the_gil():
    """While a thread allocates or ranks, other threads run Python code: the
    C++ calls do not hold the GIL."""
    net = maillage.generate(territory="lyon", scale=3)
    assert _runs_without_the_gil(lambda: net.allocate())
    assert _runs_without_the_gil(lambda: net.rank_all(k=5))
    assert _runs_without_the_gil(
        lambda: maillage.generate(territory="lyon", scale=3))
