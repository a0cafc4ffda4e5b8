"""Shareable results: the map (Plan.to_geojson), the plan as JSON
(Plan.to_json), the partner view (Plan.partner_view), maillage.read_plan and
`maillage export`. Every written file is read back by independent readers:
Python's json, the geojson package's validator and csv. People's
coordinates, ages and publics are planted canaries that must never come
out."""

from __future__ import annotations

import csv
import json
import math
import subprocess

import geojson
import pandas as pd
import pytest

import maillage

KINDS = {"site", "service", "assignments", "unmatched"}
# The properties of each kind of feature: nothing else may be written.
PROPERTIES = {
    "site": {"kind", "id", "name", "territory"},
    "service": {"kind", "id", "name", "partner_id", "partner_name", "themes",
                "remote", "capacity_known", "capacity_available",
                "capacity_max",
                "places_pinned", "places_given", "places_left", "full"},
    "assignments": {"kind", "level", "area", "area_name", "service_id",
                    "service_name", "partner_id", "people", "needs",
                    "pinned"},
    "unmatched": {"kind", "level", "area", "area_name", "thematique",
                  "category", "reason", "people", "needs"},
}
PARTNER_VIEW = ["person_id", "site_id", "site_name", "service_id",
                "service_name", "thematique", "urgency", "pinned"]
ASSIGNMENT_KEYS = {"person_id", "thematique", "urgency", "service_id",
                   "score", "capacity", "proximity", "complementarity",
                   "distance_km", "remote", "pinned", "capacity_assumed"}
UNMATCHED_KEYS = {"person_id", "thematique", "urgency", "reason", "filter",
                  "detail", "suggested_service_id", "distance_km"}

CANARY_LAT, CANARY_LNG = 45.7654321, 4.8765432
CANARY_AGE = 77
CANARY_PUBLICS = ["beneficiaires-des-minimas-sociaux",
                  "personnes-en-situation-durgence"]
CANARY_TEXTS = ["45.7654321", "4.8765432", "45.765432", "4.876543",
                "45.76543", "4.87654"] + CANARY_PUBLICS


@pytest.fixture(scope="module")
def canary_net(lyon) -> maillage.Network:
    """Lyon where everybody lives at the canary point, is CANARY_AGE and has
    the canary publics."""
    frames = lyon.to_frames()
    persons = frames["persons"]
    persons["lat"] = CANARY_LAT
    persons["lng"] = CANARY_LNG
    persons["age"] = pd.array([CANARY_AGE] * len(persons), dtype="Int64")
    persons["publics"] = "|".join(CANARY_PUBLICS)
    return maillage.Network.from_frames(**frames)


@pytest.fixture(scope="module")
def canary_plan(canary_net) -> maillage.Plan:
    return canary_net.allocate()


def assert_no_canary(text: str) -> None:
    for canary in CANARY_TEXTS:
        assert canary not in text, canary


def check_geojson(text: str) -> dict:
    """The collection, checked by the geojson package and by hand: valid
    RFC 7946, one `kind` per feature, only the listed properties, groups of
    at least 5 people, [longitude, latitude] coordinates."""
    obj = geojson.loads(text)
    assert obj.is_valid, obj.errors()
    assert obj.errors() == []
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    props = data["properties"]
    assert props["min_group_size"] == 5
    assert "5" in props["aggregation"]
    assert props["suppressed"] == (props["suppressed_assignments"]
                                   + props["suppressed_unmatched"])
    for feature in data["features"]:
        p = feature["properties"]
        assert p["kind"] in KINDS
        assert set(p) == PROPERTIES[p["kind"]], p["kind"]
        geometry = feature["geometry"]
        points = (geometry["coordinates"] if geometry["type"] == "LineString"
                  else [geometry["coordinates"]])
        assert geometry["type"] == ("LineString" if p["kind"] == "assignments"
                                    else "Point")
        for lng, lat in points:
            # France, metropolitan: longitude first.
            assert -6 < lng < 10 and 41 < lat < 52, (lng, lat)
        if p["kind"] in ("assignments", "unmatched"):
            assert p["people"] >= 5
            assert p["needs"] >= p["people"]
    return data


def features(data: dict, kind: str) -> list[dict]:
    return [f for f in data["features"] if f["properties"]["kind"] == kind]


def test_to_geojson_writes_valid_geojson(lyon, lyon_plan, tmp_path):
    path = tmp_path / "lyon.geojson"
    data = lyon_plan.to_geojson(path)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == data
    check_geojson(text)
    assert lyon_plan.to_geojson() == data
    frames = lyon.to_frames()
    sites = {f["properties"]["id"]: f["geometry"]["coordinates"]
             for f in features(data, "site")}
    for row in frames["sites"].itertuples():
        assert sites[row.site_id] == pytest.approx([row.lng, row.lat], abs=1e-6)
    # Every need is drawn, suppressed or counted as not located.
    props = data["properties"]
    drawn = sum(f["properties"]["needs"] for f in features(data, "assignments"))
    assert (drawn + props["suppressed_assignments"]
            + props["assignments_not_located"]) == len(lyon_plan.assignments)
    drawn = sum(f["properties"]["needs"] for f in features(data, "unmatched"))
    assert drawn + props["suppressed_unmatched"] == len(lyon_plan.unmatched)
    # The services' places given are the plan's new assignments.
    given = lyon_plan.assignments.query("not pinned").groupby("service_id").size()
    for f in features(data, "service"):
        p = f["properties"]
        assert p["places_given"] == given.get(p["id"], 0)
        assert p["full"] == (p["places_left"] == 0)


def test_to_geojson_group_size(lyon_plan):
    larger = lyon_plan.to_geojson(min_group_size=10)
    assert larger["properties"]["min_group_size"] == 10
    for f in larger["features"]:
        if f["properties"]["kind"] in ("assignments", "unmatched"):
            assert f["properties"]["people"] >= 10
    with pytest.raises(ValueError, match="at least 5"):
        lyon_plan.to_geojson(min_group_size=4)
    with pytest.raises(TypeError):
        lyon_plan.to_geojson(min_group_size=True)
    with pytest.raises(TypeError):
        lyon_plan.to_geojson(min_group_size=5.0)


def test_no_canary_in_shared_outputs(canary_net, canary_plan, tmp_path):
    # The canaries are in the network: the test could fail.
    persons = canary_net.to_frames()["persons"]
    assert (persons["lat"] == CANARY_LAT).all()
    assert (persons["age"] == CANARY_AGE).all()

    gj = tmp_path / "canary.geojson"
    canary_plan.to_geojson(gj)
    text = gj.read_text(encoding="utf-8")
    assert_no_canary(text)
    data = check_geojson(text)
    assert features(data, "assignments") and features(data, "unmatched")
    ids = set(persons["person_id"])
    for f in data["features"]:
        assert not ids & {str(v) for v in f["properties"].values()}
    assert '"person_id"' not in text

    js = tmp_path / "canary.json"
    plan = canary_plan.to_json(js)
    text = js.read_text(encoding="utf-8")
    assert_no_canary(text)
    assert json.loads(text) == plan
    for row in plan["assignments"]:
        assert set(row) == ASSIGNMENT_KEYS
    for row in plan["unmatched"]:
        assert set(row) == UNMATCHED_KEYS
    assert plan["summary"] == canary_plan.summary

    for partner in canary_net.to_frames()["partners"]["partner_id"]:
        view = canary_plan.partner_view(partner)
        assert list(view.columns) == PARTNER_VIEW
        assert_no_canary(view.to_csv(index=False))


def test_partner_view_is_the_partners_assignments(lyon_plan):
    a = lyon_plan.assignments
    # The partner with the most pinned supports: they are in its view.
    partner = a[a["pinned"]].groupby("partner_id").size().idxmax()
    view = lyon_plan.partner_view(partner)
    assert list(view.columns) == PARTNER_VIEW
    expected = a[a["partner_id"] == partner]
    assert view["pinned"].any()
    assert list(view["person_id"]) == list(expected["person_id"])
    assert list(view["service_id"]) == list(expected["service_id"])
    assert list(view["thematique"]) == list(expected["thematique"])
    assert list(view["urgency"]) == list(expected["urgency"])
    assert list(view["pinned"]) == list(expected["pinned"])
    with pytest.raises(ValueError, match="no partner with id 'nope'"):
        lyon_plan.partner_view("nope")


def test_read_plan_round_trip(lyon, lyon_plan, tmp_path):
    lyon_plan.write(tmp_path / "plan")
    back = maillage.read_plan(lyon, tmp_path / "plan")
    a, b = lyon_plan.assignments, back.assignments
    exact = ["person_id", "thematique", "service_id", "remote", "pinned"]
    pd.testing.assert_frame_equal(a[exact], b[exact])
    for column in ["score", "capacity", "proximity", "complementarity"]:
        pd.testing.assert_series_equal(a[column], b[column], atol=5e-7)
    pd.testing.assert_series_equal(a["distance_km"], b["distance_km"], atol=5e-4)
    u, v = lyon_plan.unmatched, back.unmatched
    exact = ["person_id", "thematique", "reason", "filter", "detail",
             "suggested_service_id"]
    pd.testing.assert_frame_equal(u[exact], v[exact])
    pd.testing.assert_series_equal(u["distance_km"], v["distance_km"],
                                   atol=5e-4)
    counts = [c for c in u.columns if c == "in_reach" or c == "serving"
              or c.startswith("excluded_")]
    assert len(counts) == 9
    pd.testing.assert_frame_equal(u[counts], v[counts])
    for key in ["people", "people_covered", "needs", "needs_covered",
                "needs_pinned", "unmatched", "territories"]:
        assert back.summary[key] == lyon_plan.summary[key], key
    assert back.to_geojson() == lyon_plan.to_geojson()
    with pytest.raises(ValueError, match="no optimality certificate"):
        back.verify()


def test_read_plan_errors(lyon, lyon_plan, tmp_path):
    folder = tmp_path / "plan"
    lyon_plan.write(folder)
    path = folder / "assignments.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = "nobody" + lines[1][lines[1].index(","):]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ValueError) as e:
        maillage.read_plan(lyon, folder)
    assert f"{path}:2:1: person_id 'nobody' refers to no person" in str(e.value)
    (folder / "unmatched.csv").unlink()
    with pytest.raises(maillage.FolderNotFoundError):
        maillage.read_plan(lyon, folder)


def read_csv_rows(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    assert {len(r) for r in rows} == {len(rows[0])}
    return rows


def test_cli_export_files(cli, canary_net, canary_plan, tmp_path):
    net = tmp_path / "net"
    canary_net.write_folder(net)
    partner = canary_plan.assignments.groupby("partner_id").size().idxmax()
    out = tmp_path / "out"
    run = subprocess.run(
        [cli, "export", str(net), "--geojson", str(out / "map.geojson"),
         "--json", str(out / "plan.json"), "--partner", partner,
         "--partner-out", str(out / "partner.csv")],
        check=True, capture_output=True, text=True)
    assert "plan: allocated" in run.stdout
    assert_no_canary(run.stdout + run.stderr)

    text = (out / "map.geojson").read_text(encoding="utf-8")
    assert_no_canary(text)
    assert check_geojson(text) == canary_plan.to_geojson()

    text = (out / "plan.json").read_text(encoding="utf-8")
    assert_no_canary(text)
    plan = json.loads(text)
    expected = canary_plan.to_json()
    assert plan["assignments"] == expected["assignments"]
    assert plan["unmatched"] == expected["unmatched"]

    rows = read_csv_rows(out / "partner.csv")
    assert rows[0] == PARTNER_VIEW
    assert_no_canary((out / "partner.csv").read_text(encoding="utf-8"))
    view = canary_plan.partner_view(partner)
    assert [r[0] for r in rows[1:]] == list(view["person_id"])
    frame = pd.read_csv(out / "partner.csv", dtype={"person_id": str})
    assert list(frame.columns) == PARTNER_VIEW
    assert frame["pinned"].dtype == bool

    # From the plan folder `allocate` writes: the same files.
    subprocess.run([cli, "allocate", str(net), "--out", str(tmp_path / "plan")],
                   check=True, capture_output=True)
    again = tmp_path / "again"
    subprocess.run(
        [cli, "export", str(net), "--plan", str(tmp_path / "plan"),
         "--geojson", str(again / "map.geojson"), "--json",
         str(again / "plan.json")], check=True, capture_output=True)
    assert ((again / "map.geojson").read_text(encoding="utf-8")
            == (out / "map.geojson").read_text(encoding="utf-8"))
    read_back = json.loads((again / "plan.json").read_text(encoding="utf-8"))
    assert [r["service_id"] for r in read_back["assignments"]] == [
        r["service_id"] for r in plan["assignments"]]
    for r in read_back["unmatched"]:
        assert r["distance_km"] is None or math.isfinite(r["distance_km"])


def test_cli_export_errors(cli, tmp_path, testdata):
    run = subprocess.run([cli, "export", "valid", "--partner", "nope",
                          "--partner-out", str(tmp_path / "p.csv")],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "no partner with id 'nope'" in run.stderr
    assert not (tmp_path / "p.csv").exists()
    run = subprocess.run([cli, "export", "valid"], capture_output=True,
                         text=True)
    assert run.returncode == 2
