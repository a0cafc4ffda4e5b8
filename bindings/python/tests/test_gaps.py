"""The gap analysis from Python (docs/gaps.md): coverage, marginal gains,
recommended places, recruitments, what would help, the partner graph, and
the files of `maillage gaps` read back with csv, json and pandas."""

from __future__ import annotations

import csv
import json
import subprocess

import pandas as pd
import pytest

import maillage

REASONS = ["no_service_for_theme", "not_eligible", "out_of_reach",
           "capacity_full"]


@pytest.fixture(scope="module")
def services(lyon) -> pd.DataFrame:
    return lyon.to_frames()["services"].set_index("service_id")


def covered(plan: maillage.Plan) -> tuple[int, int]:
    s = plan.summary
    return s["people_covered"], s["needs_covered"]


def with_more_places(net: maillage.Network, services: pd.DataFrame,
                     places: dict[str, int]) -> maillage.Network:
    return net.with_capacity({
        sid: int(services.loc[sid, "capacity_available"]) + k
        for sid, k in places.items()})


def test_coverage_totals_are_the_plans(lyon_plan):
    cov = lyon_plan.coverage()
    assert set(cov["by"]) == {"territory", "epci", "commune", "public"}
    s = lyon_plan.summary
    whole = cov[(cov["by"] == "territory") & (cov["category"] == "")]
    assert len(whole) == 1
    row = whole.iloc[0]
    assert row["territory"] == "lyon"
    assert row["needs"] == s["needs"]
    assert row["needs_covered"] == s["needs_covered"]
    assert row["people"] == s["people"]
    assert row["people_without_covered_need"] == \
        s["people"] - s["people_covered"]
    for reason in REASONS:
        assert row[reason] == s["unmatched"][reason], reason
    # Per category, the needs add up to the whole; so do the communes'.
    cats = cov[(cov["by"] == "territory") & (cov["category"] != "")]
    assert cats["needs"].sum() == s["needs"]
    communes = lyon_plan.coverage(by="commune")
    assert set(communes["by"]) == {"commune"}
    whole_communes = communes[communes["category"] == ""]
    assert whole_communes["needs"].sum() == s["needs"]
    assert whole_communes["insee_com"].str.fullmatch(r"[0-9][0-9AB][0-9]{3}").all()
    with pytest.raises(ValueError, match="by must be one of"):
        lyon_plan.coverage(by="age")


def test_marginal_gain_equals_a_reallocation(lyon, lyon_plan, services):
    prices = lyon_plan.shadow_prices
    positive = prices[prices["scaled"] > 0]["service_id"]
    picked = [s for s in positive if pd.notna(services.loc[s, "capacity_available"])][:6]
    assert picked, "the generated plan has full services"
    gains = lyon_plan.marginal_gain(picked, places=2)
    assert list(gains["service_id"]) == picked
    people0, needs0 = covered(lyon_plan)
    for _, g in gains.iterrows():
        after = with_more_places(lyon, services, {g["service_id"]: 2}).allocate()
        people, needs = covered(after)
        assert g["gain_people"] == people - people0, g["service_id"]
        assert g["gain_needs"] == needs - needs0, g["service_id"]
    together = lyon_plan.marginal_gain(picked, places=2, together=True)
    assert len(together) == 1 and together.iloc[0]["service_id"] == ""
    after = with_more_places(lyon, services, {s: 2 for s in picked}).allocate()
    people, needs = covered(after)
    assert together.iloc[0]["gain_needs"] == needs - needs0
    assert together.iloc[0]["gain_people"] == people - people0
    with pytest.raises(ValueError, match="unknown service_id"):
        lyon_plan.marginal_gain("SV-nowhere")


def test_recommended_places_are_verified_by_a_reallocation(lyon, lyon_plan,
                                                          services):
    rec = lyon_plan.recommend(budget=6)
    steps = rec[rec["step"] != "total"]
    total = rec[rec["step"] == "total"]
    assert len(total) == 1 and 0 < len(steps) <= 6
    assert list(steps["step"]) == [str(i) for i in range(1, len(steps) + 1)]
    assert (steps["gain_needs"] + steps["gain_people"] > 0).all()
    # The portfolio applied by hand gives the verified gains.
    places = steps["service_id"].value_counts().to_dict()
    after = with_more_places(lyon, services, places).allocate()
    people0, needs0 = covered(lyon_plan)
    people, needs = covered(after)
    assert total.iloc[0]["gain_people"] == people - people0
    assert total.iloc[0]["gain_needs"] == needs - needs0
    assert lyon_plan.recommend(budget=0).query("step != 'total'").empty


def test_recruitments(lyon_plan):
    rec = lyon_plan.recruitments()
    rows = rec[rec["rank"] != "total"]
    assert not rows.empty
    assert set(rows["category"]) <= set(maillage.category_codes())
    assert (rows["places"] > 0).all()
    assert (rows["gain_needs"] > 0).all()
    total = rec[rec["rank"] == "total"].iloc[0]
    # Each rank's gain is counted once: the total is their sum, verified.
    assert total["gain_needs"] == rows["gain_needs"].sum()
    reasons = lyon_plan.unmatched["reason"].value_counts()
    assert total["gain_needs"] <= reasons.get("no_service_for_theme", 0) + \
        reasons.get("out_of_reach", 0) + reasons.get("capacity_full", 0) + \
        reasons.get("not_eligible", 0)


def test_what_would_help_each_unmatched_need(lyon, lyon_plan, services):
    help_ = lyon_plan.what_would_help()
    unmatched = lyon_plan.unmatched
    assert len(help_) == len(unmatched)
    assert set(help_["change"]) <= {"place", "reach", "zone", "public", "none"}
    assert set(help_["person_id"]) <= set(unmatched["person_id"])
    # A place: one more at the named service covers that very need.
    places = help_[help_["change"] == "place"]
    assert not places.empty
    for _, h in places.head(3).iterrows():
        after = with_more_places(lyon, services, {h["service_id"]: 1}).allocate()
        a = after.assignments
        hit = a[(a["person_id"] == h["person_id"]) &
                (a["thematique"] == h["thematique"])]
        assert len(hit) == 1, h["person_id"]
    # Needs without any service of their theme cannot be helped by these
    # changes.
    nothing = help_[help_["reason"] == "no_service_for_theme"]
    assert (nothing["change"] == "none").all()


def test_partner_graph(lyon, lyon_plan):
    g = lyon.partner_graph(lyon_plan)
    assert set(g["kind"]) <= {
        "isolated_partner", "site_without_category", "component", "broker",
        "duplicate_pair", "complementary_pair", "missing_convention"}
    assert (g[g["kind"] == "component"]["value"] >= 1).all()
    partners = set(lyon.to_frames()["partners"]["partner_id"])
    assert set(g["partner_id"].dropna()) - {""} <= partners
    # No personal value: details name ids, codes and counts only.
    persons = lyon.to_frames()["persons"]["person_id"]
    assert not g["detail"].str.contains("|".join(persons.head(50))).any()
    pd.testing.assert_frame_equal(g, lyon.partner_graph())


def test_gaps_files_read_back(cli, tmp_path):
    data = tmp_path / "lyon"
    subprocess.run([cli, "generate", "--territory", "lyon", "--seed", "2",
                    "--out", str(data)], check=True, capture_output=True)
    out = tmp_path / "gaps"
    run = subprocess.run([cli, "gaps", str(data), "--out", str(out),
                          "--budget", "4"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    summary = json.loads((out / "gaps.json").read_text(encoding="utf-8"))
    for name in ["coverage.csv", "recommended_places.csv", "recruitments.csv",
                 "what_would_help.csv", "partner_graph.csv"]:
        with open(out / name, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        frame = pd.read_csv(out / name, dtype=str, keep_default_na=False)
        assert len(frame) == len(rows), name
    places = pd.read_csv(out / "recommended_places.csv", dtype={"step": str})
    total = places[places["step"] == "total"]
    t = summary["territories"][0]
    assert t["territory"] == "lyon"
    assert total.iloc[0]["gain_needs"] == \
        t["places"]["verified"]["gain"]["needs"]
    helps = pd.read_csv(out / "what_would_help.csv", dtype=str)
    counts = helps["change"].value_counts().to_dict()
    assert counts == {k: v for k, v in summary["what_would_help"].items() if v}
    # Bad input: a clear error, no file.
    bad = subprocess.run([cli, "gaps", str(data), "--out", str(tmp_path / "x"),
                          "--territory", "atlantis"], capture_output=True,
                         text=True)
    assert bad.returncode != 0
    assert "unknown territory" in bad.stderr
    assert not (tmp_path / "x" / "coverage.csv").exists()


def test_report_is_a_self_contained_page(lyon_plan, tmp_path):
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.lang = None
            self.external = []
            self.figures = {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "html":
                self.lang = a.get("lang")
            for key in ("src", "href"):
                if a.get(key, "").startswith(("http:", "https:", "//")):
                    self.external.append(a[key])
            if "data-field" in a and "data-value" in a:
                self.figures[(a.get("data-territory"), a["data-field"])] = \
                    a["data-value"]

    path = tmp_path / "report.html"
    lyon_plan.report(path)
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    assert page.lang == "fr"
    assert page.external == []
    assert page.figures, "the summary carries its figures"
    persons = set(lyon_plan.network.to_frames()["persons"]["person_id"])
    text = path.read_text(encoding="utf-8")
    assert not any(p in text for p in list(persons)[:100])
    lyon_plan.report(tmp_path / "en.html", lang="en")
    en = Page()
    en.feed((tmp_path / "en.html").read_text(encoding="utf-8"))
    assert en.lang == "en"
    with pytest.raises(ValueError, match="lang"):
        lyon_plan.report(tmp_path / "de.html", lang="de")
