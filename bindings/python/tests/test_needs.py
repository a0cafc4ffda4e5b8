"""plan.needs (one row per need), plan.summary_frame, and the files for
French spreadsheets (write(excel=True), to_excel), read back by pandas,
Python's csv module and openpyxl."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

import maillage


@pytest.fixture(scope="module")
def plan():
    return maillage.generate(all=True, seed=1, scale=0.3).allocate(
        progress=False)


def test_needs_has_every_need_once_with_its_outcome(plan):
    needs = plan.needs
    assert len(needs) == plan.network.counts["needs"]
    assert needs["status"].value_counts().to_dict() == {
        k: v for k, v in {
            "covered": plan.summary["needs_covered"]
            - plan.summary["needs_pinned"],
            "pinned": plan.summary["needs_pinned"],
            "unmatched": plan.summary["needs"] - plan.summary["needs_covered"],
        }.items() if v}
    # In need order, as the needs table.
    source = plan.network.to_frames()["needs"]
    assert list(needs["person_id"]) == list(source["person_id"])
    assert list(needs["thematique"]) == list(source["thematique"])
    assert list(needs["urgency"]) == list(source["urgency"])
    # The covered rows are the assignments, the others the unmatched.
    met = needs[needs["status"] != "unmatched"].reset_index(drop=True)
    a = plan.assignments
    for column in ["person_id", "territory", "thematique", "category",
                   "service_id", "partner_id"]:
        assert list(met[column]) == list(a[column]), column
    assert list(met["status"] == "pinned") == list(a["pinned"])
    np.testing.assert_allclose(met["score"], a["score"])
    unmatched = needs[needs["status"] == "unmatched"].reset_index(drop=True)
    u = plan.unmatched
    for column in ["person_id", "reason", "filter", "suggested_service_id",
                   "suggested_partner_id", "in_reach", "serving"]:
        pd.testing.assert_series_equal(unmatched[column], u[column],
                                       check_names=False, check_dtype=False)
    assert unmatched["service_id"].isna().all()
    assert met["reason"].isna().all()
    # The partner's kind and names are the network's.
    partners = plan.network.to_frames()["partners"].set_index("partner_id")
    kinds = met["partner_id"].map(partners["kind"])
    assert (met["partner_kind"].fillna("") == kinds.fillna("")).all()
    assert (met["partner_name"].fillna("") == met["partner_id"].map(
        partners["name"]).fillna("")).all()
    services_by_id = plan.network.to_frames()["services"].set_index(
        "service_id")
    assert (met["service_name"] == met["service_id"].map(
        services_by_id["name"])).all()
    assert met["service_name"].notna().all()  # generated services have names
    waiting = needs.dropna(subset=["suggested_service_id"])
    assert (waiting["suggested_service_name"] == waiting[
        "suggested_service_id"].map(services_by_id["name"])).all()
    # A suggested service's partner is that service's.
    services = plan.network.to_frames()["services"].set_index("service_id")
    suggested = u.dropna(subset=["suggested_service_id"])
    assert len(suggested) > 0
    assert (suggested["suggested_partner_id"] == suggested[
        "suggested_service_id"].map(services["partner_id"])).all()


def test_reason_counts_are_columns(plan):
    u = plan.unmatched
    excluded = [c for c in u.columns if c.startswith("excluded_")]
    assert len(excluded) == 7
    explained = u[u["reason"] != "capacity_full"]
    assert explained["serving"].notna().all()
    # Every service of the theme looked at fails exactly one filter first,
    # and none is eligible within reach.
    assert (explained[excluded].sum(axis=1) == explained["serving"]).all()
    assert (explained["in_reach"] == 0).all()
    # not_eligible: no service fails on reach alone, and the named filter
    # excluded the most.
    ne = u[u["reason"] == "not_eligible"]
    assert len(ne) > 0
    assert (ne["excluded_reach"] == 0).all()
    for _, row in ne.iterrows():
        top = max(excluded, key=lambda c: row[c])
        assert row[f"excluded_{row['filter']}"] == row[top]
    # out_of_reach: eligible services exist, all beyond reach.
    oor = u[u["reason"] == "out_of_reach"]
    assert len(oor) > 0 and (oor["excluded_reach"] > 0).all()
    nst = u[u["reason"] == "no_service_for_theme"]
    assert (nst["serving"] == 0).all()
    full = u[u["reason"] == "capacity_full"]
    assert len(full) > 0
    assert full["serving"].isna().all() and (full["in_reach"] > 0).all()


def test_summary_frame_by_territory_category_urgency_public(plan):
    needs = plan.needs
    by_territory = plan.summary_frame()
    assert list(by_territory["territory"]) == sorted(plan.network.territories)
    assert by_territory["needs"].sum() == len(needs)
    assert by_territory["needs_covered"].sum() == plan.summary["needs_covered"]
    assert by_territory["people"].sum() == plan.summary["people"]
    assert (by_territory["people_covered"].sum()
            == plan.summary["people_covered"])
    per_territory = {t["territory"]: t for t in plan.summary["territories"]} \
        if isinstance(plan.summary["territories"], list) else \
        plan.summary["territories"]
    for _, row in by_territory.iterrows():
        assert row["needs"] == per_territory[row["territory"]]["needs"]
    reasons = ["no_service_for_theme", "not_eligible", "out_of_reach",
               "capacity_full"]
    assert (by_territory[reasons].sum(axis=1) == by_territory["unmatched"]).all()
    np.testing.assert_allclose(by_territory["share_covered"],
                               by_territory["needs_covered"]
                               / by_territory["needs"])
    # Urgent needs covered, per territory, against the needs counted here.
    urgent = plan.summary_frame(["territory", "urgency"])
    check = needs.groupby(["territory", "urgency"]).apply(
        lambda g: (g["status"] != "unmatched").sum())
    for _, row in urgent.iterrows():
        assert row["needs_covered"] == check[(row["territory"], row["urgency"])]
    total = plan.summary_frame([])
    assert len(total) == 1 and total["needs"].iloc[0] == len(needs)
    # A person counts in each of their publics.
    by_public = plan.summary_frame("public")
    persons = plan.network.to_frames()["persons"]
    women = persons[persons["publics"].fillna("").str.split("|").map(
        lambda p: "femmes" in p)]["person_id"]
    row = by_public.set_index("public").loc["femmes"]
    assert row["people"] == women.nunique()
    assert row["needs"] == needs["person_id"].isin(set(women)).sum()
    by_category = plan.summary_frame(["category", "status"])
    assert by_category["needs"].sum() == len(needs)
    with pytest.raises(ValueError, match="unknown column"):
        plan.summary_frame(["commune_name"])


def test_write_excel_is_read_by_pandas_and_csv_as_a_french_spreadsheet(
        plan, tmp_path):
    plain, french = tmp_path / "plain", tmp_path / "french"
    plan.write(plain)
    plan.write(french, excel=True)
    for name in ["assignments.csv", "unmatched.csv", "plan_needs.csv"]:
        raw = (french / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
        with open(french / name, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f, delimiter=";", strict=True))
        assert len({len(r) for r in rows}) == 1
        want = pd.read_csv(plain / name, dtype={"insee_com": str})
        got = pd.read_csv(french / name, sep=";", decimal=",",
                          encoding="utf-8-sig", dtype={"insee_com": str})
        assert list(got.columns) == list(want.columns) == rows[0]
        pd.testing.assert_frame_equal(got, want)
    # Decimal commas, no decimal point, in the numbers.
    rows = list(csv.DictReader(
        open(french / "assignments.csv", newline="", encoding="utf-8-sig"),
        delimiter=";"))
    scores = [r["score"] for r in rows if r["score"]]
    assert scores and all("," in s and "." not in s for s in scores
                          if not s.isdigit())
    # Accents survive: service names are French.
    text = (french / "plan_needs.csv").read_text(encoding="utf-8-sig")
    assert any(ch in text for ch in "éèàç")
    # The plain files are still the ones read_plan reads.
    assert maillage.read_plan(plan.network, plain).summary["needs"] == len(
        plan.needs)


def test_to_excel_sheets_are_the_tables(plan, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "plan.xlsx"
    plan.to_excel(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["summary", "needs", "assignments", "unmatched"]
    needs = list(book["needs"].iter_rows(values_only=True))
    assert list(needs[0]) == list(plan.needs.columns)
    assert len(needs) - 1 == len(plan.needs)
    summary = pd.read_excel(path, sheet_name="summary")
    assert summary["needs"].sum() == len(plan.needs)
    assert list(summary["territory"]) == sorted(plan.network.territories)
