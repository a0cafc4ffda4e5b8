"""Scenarios without mutation (with_capacity, without) and compare."""

from __future__ import annotations

import pandas as pd
import pytest

import maillage
from conftest import assert_same_frames

COMPARE_COLUMNS = [
    "territory", "theme", "needs_a", "needs_b", "covered_a", "covered_b",
    "covered_delta", "unmatched_a", "unmatched_b", "unmatched_delta",
    "gained", "lost", "moved", "no_service_for_theme_delta",
    "not_eligible_delta", "out_of_reach_delta", "capacity_full_delta"]


@pytest.fixture(scope="module")
def busiest(lyon_plan):
    """The service giving the most new places in the Lyon plan."""
    fresh = lyon_plan.assignments
    fresh = fresh[~fresh["pinned"]]
    return fresh["service_id"].value_counts().index[0]


def test_with_capacity_zero_changes_the_plan_not_the_original(lyon, lyon_plan, busiest):
    before = lyon.to_frames()
    before_plan = lyon_plan.assignments
    closed = lyon.with_capacity({busiest: 0})
    assert isinstance(closed, maillage.Network) and closed is not lyon
    services = closed.to_frames()["services"].set_index("service_id")
    assert services.loc[busiest, "capacity_available"] == 0
    plan = closed.allocate()
    plan.verify()
    fresh = plan.assignments
    assert busiest not in set(fresh.loc[~fresh["pinned"], "service_id"])
    assert plan.summary["needs_covered"] < lyon_plan.summary["needs_covered"]
    # The original network and its plan are unchanged.
    assert_same_frames(lyon.to_frames(), before)
    pd.testing.assert_frame_equal(lyon_plan.assignments, before_plan)
    pd.testing.assert_frame_equal(lyon.allocate().assignments, before_plan)


def test_with_capacity_raises_capacity_max(valid):
    more = valid.with_capacity({"svc-log": 7})
    row = more.to_frames()["services"].set_index("service_id").loc["svc-log"]
    assert (row["capacity_available"], row["capacity_max"]) == (7, 7)
    less = valid.with_capacity({"svc-heb": 0})
    row = less.to_frames()["services"].set_index("service_id").loc["svc-heb"]
    assert (row["capacity_available"], row["capacity_max"]) == (0, 5)


def test_with_capacity_bad_arguments(valid):
    with pytest.raises(ValueError, match="no service with id 'svc-nope'"):
        valid.with_capacity({"svc-nope": 1})
    with pytest.raises(ValueError, match="negative"):
        valid.with_capacity({"svc-log": -1})


def test_without_partner_removes_its_services(valid):
    net = valid.without(partner_id="p-cmp")
    frames = net.to_frames()
    assert "p-cmp" not in set(frames["partners"]["partner_id"])
    assert "svc-sante" not in set(frames["services"]["service_id"])
    assert not (frames["partnerships"][["from_id", "to_id"]] == "p-cmp").any().any()
    # P001's current mental-health support went with the service: the need
    # is open again, and still there.
    assert "svc-sante" not in set(frames["supports"]["service_id"])
    assert net.counts["needs"] == valid.counts["needs"]
    assert net.counts["needs_pinned"] == 0
    assert valid.counts["services"] == 6  # unchanged
    plan = net.allocate()
    plan.verify()
    mental = plan.unmatched.set_index(["person_id", "thematique"])
    assert ("P001", "sante--sante-mentale") in mental.index


def test_without_services_and_errors(valid):
    net = valid.without(service_id=["svc-log", "svc-num"])
    assert net.counts["services"] == 4
    assert net.counts["travel_times"] == 0
    with pytest.raises(ValueError, match="no partner with id 'p-nope'"):
        valid.without(partner_id="p-nope")
    with pytest.raises(ValueError):
        valid.without()


def test_compare_same_plan(lyon_plan):
    diff = maillage.compare(lyon_plan, lyon_plan)
    assert list(diff.columns) == COMPARE_COLUMNS
    assert (diff.iloc[:, 2:].dtypes == "int64").all()
    assert (diff["covered_a"] == diff["covered_b"]).all()
    for column in COMPARE_COLUMNS:
        if column.endswith("_delta") or column in ("gained", "lost", "moved"):
            assert (diff[column] == 0).all(), column
    assert diff["needs_a"].sum() == lyon_plan.summary["needs"]
    assert diff["covered_a"].sum() == lyon_plan.summary["needs_covered"]
    assert set(diff["theme"]) <= set(maillage.category_codes())


def test_compare_scenario(lyon, lyon_plan, busiest):
    plan = lyon.with_capacity({busiest: 0}).allocate()
    diff = maillage.compare(lyon_plan, plan)
    assert diff["covered_delta"].sum() == \
        plan.summary["needs_covered"] - lyon_plan.summary["needs_covered"] < 0
    assert (diff["covered_delta"] == diff["gained"] - diff["lost"]).all()
    reasons = diff[[c for c in COMPARE_COLUMNS if c.endswith("_delta")
                    and c not in ("covered_delta", "unmatched_delta")]]
    assert (reasons.sum(axis=1) == diff["unmatched_delta"]).all()
    assert (diff["unmatched_delta"] == -diff["covered_delta"]).all()
    assert diff["lost"].sum() > 0
    # Themes of the closed service lose; by theme code, too.
    by_theme = maillage.compare(lyon_plan, plan, by="thematique")
    assert by_theme["covered_delta"].sum() == diff["covered_delta"].sum()
    assert set(by_theme["theme"]) <= set(maillage.theme_codes())
    with pytest.raises(ValueError):
        maillage.compare(lyon_plan, plan, by="site")


def test_compare_with_people_in_one_plan_only(valid):
    frames = valid.to_frames()
    frames["needs"] = frames["needs"][frames["needs"]["person_id"] != "P002"]
    smaller = maillage.Network.from_frames(**frames)
    with pytest.raises(ValueError, match="not plans of the same people"):
        maillage.compare(valid.allocate(), smaller.allocate())
    with pytest.warns(maillage.DataWarning, match="left out 1 of the 5 people "
                      "of plan_a and 1 of the 5 of plan_b"):
        diff = maillage.compare(valid.allocate(), smaller.allocate(),
                                by="thematique", common=True)
    assert diff.attrs["dropped_people_a"] == diff.attrs[
        "dropped_people_b"] == ["P002"]
    assert diff["needs_a"].sum() == diff["needs_b"].sum() == (
        valid.counts["needs"] - 2)
