"""read_data_inclusion and read_hsds: the Python surface (the cases are in
tests/import_test.cc). The written folder is read back with csv and pandas,
independently of the package."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

import maillage
from conftest import TESTDATA

IMPORT = TESTDATA / "import"


@pytest.fixture(scope="module")
def imported():
    return maillage.read_data_inclusion(
        IMPORT / "v1" / "structures.json", IMPORT / "v1" / "services.json",
        capacities=IMPORT / "capacities.csv")


def test_network_and_counts(imported):
    network, report = imported
    assert network.counts["partners"] == 7
    assert network.counts["services"] == 5
    assert network.counts["persons"] == 0
    files = report.files
    assert list(files.columns) == ["file", "table", "read", "imported", "rejected"]
    assert (files["read"] == files["imported"] + files["rejected"]).all()
    assert files.set_index("table").loc["capacities", "imported"] == 2
    assert report.errors == 11
    assert report.mappings["code_postal + commune name -> commune"] == 1
    assert report.ignored["structures.telephone"] == 1


def test_problems_have_positions(imported):
    _, report = imported
    p = report.problems
    assert list(p.columns) == ["file", "record", "field", "reason", "warning"]
    row = p[(p["record"] == 5) & p["file"].str.endswith("structures.json")].iloc[0]
    assert row["field"] == "id" and not row["warning"]
    assert "duplicate structure id" in row["reason"]
    assert json.loads(report.json)["errors"] == 11


def test_written_folder_read_back_with_csv_and_pandas(imported, tmp_path):
    network, _ = imported
    network.write_folder(tmp_path)
    with open(tmp_path / "services.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_id = {r["service_id"]: r for r in rows}
    assert len(rows) == 5
    s = by_id["dora--svc-001"]
    assert s["partner_id"] == "dora--str-001"
    assert s["capacity_available"] == "3" and s["capacity_max"] == "10"
    assert set(s["zone_eligibilite"].split("|")) == {"69", "69266", "200046977"}
    assert s["frais"] == "gratuit" and s["types"] == "accompagnement"
    # Unknown capacity: an empty cell.
    assert by_id["emplois-de-linclusion--svc-42"]["capacity_available"] == ""
    partners = pd.read_csv(tmp_path / "partners.csv", dtype=str)
    assert len(partners) == 7
    assert partners.set_index("partner_id").loc["soliguide--9001", "insee_com"] == "69009"
    sites = pd.read_csv(tmp_path / "sites.csv")
    assert len(sites) == 0 and "site_id" in sites.columns
    assert maillage.read_folder(tmp_path).to_frames()["services"].shape[0] == 5


def test_v0_csv():
    network, report = maillage.read_data_inclusion(
        IMPORT / "v0" / "structures.csv", IMPORT / "v0" / "services.csv")
    assert network.counts["services"] == 6
    assert report.mappings["v0 profils -> publics"] == 6


def test_errors_as_the_cli():
    with pytest.raises(FileNotFoundError):
        maillage.read_data_inclusion(None, IMPORT / "missing.json")
    with pytest.raises(ValueError, match="no 'service_id' column"):
        maillage.read_data_inclusion(
            IMPORT / "v1" / "structures.json", IMPORT / "v1" / "services.json",
            capacities=IMPORT / "v0" / "structures.csv")
