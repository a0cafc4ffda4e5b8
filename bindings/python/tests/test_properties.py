"""Properties of the Python surface, with hypothesis: row order never
changes the plan's objective, more places never make it worse, frames go
round trip. The deeper properties are C++ tests (properties_test)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import maillage
from conftest import assert_same_frames

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def levels(plan):
    o = plan.summary["objective"]
    return (o["people_covered"], o["needs_covered"], o["urgency_level"],
            o["total_score_scaled"])


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_row_order_does_not_change_the_objective(valid, seed):
    frames = valid.to_frames()
    shuffled = {k: f.sample(frac=1, random_state=seed).reset_index(drop=True)
                for k, f in frames.items()}
    net = maillage.Network.from_frames(**shuffled)
    a, b = valid.allocate(), net.allocate()
    assert b.summary["objective"]["flow_cost"] == \
        a.summary["objective"]["flow_cost"]
    assert levels(a) == levels(b)


@SETTINGS
@given(extra=st.lists(st.integers(min_value=0, max_value=5), min_size=6,
                      max_size=6))
def test_more_places_never_make_the_plan_worse(valid, extra):
    services = valid.to_frames()["services"]
    places = {sid: int(n) + e for sid, n, e in
              zip(services["service_id"], services["capacity_available"],
                  extra)}
    assert levels(valid.with_capacity(places).allocate()) >= \
        levels(valid.allocate())


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=1000))
def test_frames_round_trip(seed):
    net = maillage.generate(territory="rouen", seed=seed)
    frames = net.to_frames()
    assert_same_frames(maillage.Network.from_frames(**frames).to_frames(),
                       frames)
