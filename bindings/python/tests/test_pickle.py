"""Networks and plans pickle, and travel to worker processes."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import pickle

import pandas as pd
import pytest

import maillage
from maillage import _core
from conftest import assert_same_frames


def allocate_in_worker(net: maillage.Network) -> maillage.Plan:
    return net.with_capacity({"svc-log": 0}).allocate()


def assert_same_plan(a: maillage.Plan, b: maillage.Plan) -> None:
    for table in ("assignments", "unmatched", "shadow_prices"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table),
                                      check_exact=True, obj=table)
    assert a.summary == b.summary  # timings included: the same plan
    assert a.options == b.options


def test_network_round_trip(lyon):
    again = pickle.loads(pickle.dumps(lyon))
    assert isinstance(again, maillage.Network)
    assert_same_frames(again.to_frames(), lyon.to_frames())
    assert repr(again) == repr(lyon)


def test_plan_round_trip(lyon_plan):
    again = pickle.loads(pickle.dumps(lyon_plan, protocol=pickle.HIGHEST_PROTOCOL))
    assert_same_plan(again, lyon_plan)
    assert_same_frames(again.network.to_frames(), lyon_plan.network.to_frames())
    again.verify()  # the potentials came along


def test_plan_with_weights_round_trip(valid):
    plan = valid.allocate(weights={"capacity": 1, "proximity": 0,
                                   "complementarity": 0}, candidate_limit=2)
    again = pickle.loads(pickle.dumps(plan))
    assert_same_plan(again, plan)
    again.verify()


def test_through_worker_processes(valid):
    # spawn: a fresh interpreter that imports maillage and unpickles.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        plans = list(pool.map(allocate_in_worker, [valid, valid]))
    local = allocate_in_worker(valid)
    for plan in plans:
        for table in ("assignments", "unmatched"):
            pd.testing.assert_frame_equal(getattr(plan, table), getattr(local, table))
        plan.verify()
    assert plans[0].network.counts == valid.counts


def test_corrupted_plan_state(valid):
    state = valid.allocate()._core.__getstate__()
    broken = state[:5] + (state[5][:-3],) + state[6:]
    with pytest.raises(ValueError, match="not an encoded plan"):
        _core.Plan.__new__(_core.Plan).__setstate__(broken)
    # A plan does not decode against a smaller network (ids out of range).
    big = maillage.generate(territory="lyon").allocate()._core.__getstate__()
    small = maillage.generate(territory="lyon", scale=0.1)._core
    with pytest.raises(ValueError, match="not an encoded plan"):
        _core.Plan.__new__(_core.Plan).__setstate__((small,) + big[1:])


def test_plan_beyond_64_bit_worst_cases_round_trip():
    # At score scale 2^30 the weights times the network's size exceed 64
    # bits in the worst case: the plan keeps the scale (solved in 64 bits
    # with overflow checks, or else in 128), and the pickle carries its
    # potentials whole (verify() re-checks them).
    net = maillage.generate(territory=["paris", "lyon"], seed=3)
    plan = net.allocate(score_scale=2**30)
    scaling = plan.summary["scaling"]
    assert scaling["score_scale"] == 2**30
    assert scaling["cost_bits"] in (64, 128)
    again = pickle.loads(pickle.dumps(plan))
    assert_same_plan(again, plan)
    assert again.summary["scaling"] == scaling
    again.verify()
    assert net.allocate().summary["scaling"]["cost_bits"] == 64
