"""Services that publish no places: ranked and flagged, assumed in the plan
with a flag in every table and file, or left out on request."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

import maillage


def network(unknown: int = 1, known: int = 0) -> maillage.Network:
    """Two people in Paris 11e with a health need; `unknown` services with
    no capacity_available, `known` services with 1 place."""
    services = []
    for i in range(unknown):
        services.append({"service_id": f"u{i}", "partner_id": "P",
                         "thematiques": "sante", "insee_com": "75111",
                         "capacity_available": pd.NA})
    for i in range(known):
        services.append({"service_id": f"k{i}", "partner_id": "P",
                         "thematiques": "sante", "insee_com": "75111",
                         "capacity_available": 1})
    return maillage.Network.from_frames(
        sites=pd.DataFrame({"site_id": ["S"], "territory": ["paris"],
                            "insee_com": ["75111"]}),
        partners=pd.DataFrame({"partner_id": ["P"], "insee_com": ["75056"]}),
        services=pd.DataFrame(services),
        persons=pd.DataFrame({"person_id": ["a", "b"], "site_id": ["S", "S"],
                              "insee_com": ["75111", "75112"]}),
        needs=pd.DataFrame({"person_id": ["a", "b"],
                            "thematique": ["sante", "sante"],
                            "urgency": [2, 2]}))


def test_unknown_capacity_is_na_in_the_services_frame():
    services = network(unknown=1, known=1).to_frames()["services"]
    services = services.set_index("service_id")
    assert pd.isna(services.loc["u0", "capacity_available"])
    assert services.loc["k0", "capacity_available"] == 1


def test_ranked_with_capacity_known_false():
    options = network().rank("a")
    assert len(options) == 1
    assert not options.loc[0, "capacity_known"]
    assert not options.loc[0, "full"]
    assert options.loc[0, "capacity"] == pytest.approx(0.5)


def test_assumed_place_flagged_in_frames_and_files(tmp_path):
    net = network()
    plan = net.allocate()
    plan.verify()
    assert len(plan.assignments) == 1
    assert plan.assignments["capacity_assumed"].tolist() == [True]
    assert len(plan.unmatched) == 1
    plan.write(tmp_path)
    with open(tmp_path / "assignments.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["capacity_assumed"] for r in rows] == ["true"]
    summary = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert summary["assignments_on_assumed_capacity"] == 1
    assert summary["services_capacity_unknown"] == 1
    # A pickled plan keeps the flag and its option.
    import pickle
    again = pickle.loads(pickle.dumps(plan))
    assert again.assignments["capacity_assumed"].tolist() == [True]
    again.verify()


def test_assumed_capacity_option():
    net = network()
    assert len(net.allocate(assumed_capacity=2).assignments) == 2
    none = net.allocate(assumed_capacity=0)
    assert len(none.assignments) == 0
    assert len(none.unmatched) == 2
    with pytest.raises(ValueError, match="assumed_capacity"):
        net.allocate(assumed_capacity=-1)
    with pytest.raises(TypeError, match="assumed_capacity"):
        net.allocate(assumed_capacity=True)


def test_known_capacity_never_flagged():
    plan = network(unknown=0, known=2).allocate()
    assert len(plan.assignments) == 2
    assert not plan.assignments["capacity_assumed"].any()
