"""The HTML summaries of a network and a plan (for Jupyter), parsed by
Python's html.parser: the figures against counts of the DataFrames, the
escaping of names, and no id but territory names."""

from __future__ import annotations

import html.parser
import re

import pandas as pd
import pytest

import maillage
from maillage._display import network_html, plan_html

REASONS = ["no_service_for_theme", "not_eligible", "out_of_reach",
           "capacity_full"]
NETWORK_LABELS = ["territories", "sites", "partners", "services", "people",
                  "needs", "supports", "partnerships"]
PLAN_LABELS = NETWORK_LABELS + [
    "people covered", "needs covered",
    "needs covered by a current support (pinned)", "needs unmatched"] + [
    f"unmatched: {r}" for r in REASONS]
PLAN_HEADER = ["territory", "people", "people covered", "needs",
               "needs covered", "pinned", "unmatched"] + REASONS
OBJECTIVE_LABELS = [
    "1. people with a need covered", "2. needs covered",
    "3. urgency: sum of (urgency - 1) over covered needs",
    "4. total score of the new assignments"]


class Tables(html.parser.HTMLParser):
    """The tables of a page: per class, its caption and its rows, each a
    list of (tag, text) cells; the start tags seen; text outside cells."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: dict[str, dict] = {}
        self.tags: list[str] = []
        self.stray: list[str] = []
        self._table = None
        self._cell = None
        self._caption = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            name = dict(attrs)["class"]
            assert name not in self.tables, name
            self._table = self.tables[name] = {"caption": None, "rows": []}
        elif tag == "tr":
            self._table["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = [tag, "", dict(attrs)]
        elif tag == "caption":
            self._caption = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._table["rows"][-1].append(tuple(self._cell))
            self._cell = None
        elif tag == "caption":
            self._table["caption"] = self._caption
            self._caption = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data
        elif self._caption is not None:
            self._caption += data
        elif data.strip():
            self.stray.append(data)

    def counts(self, name: str) -> dict[str, str]:
        rows = self.tables[name]["rows"]
        assert all(len(r) == 2 and r[0][0] == "th" and r[1][0] == "td"
                   for r in rows)
        return {r[0][1]: r[1][1] for r in rows}

    def grid(self, name: str) -> tuple[list[str], list[list[str]]]:
        rows = self.tables[name]["rows"]
        header = [c[1] for c in rows[0]]
        assert all(c[0] == "th" for c in rows[0])
        return header, [[c[1] for c in r] for r in rows[1:]]


def territories_of_people(net: maillage.Network) -> pd.Series:
    f = net.to_frames()
    site = f["sites"].set_index("site_id")["territory"]
    return f["persons"].set_index("person_id")["site_id"].map(site)


def test_network_figures_are_the_frames(lyon):
    f = lyon.to_frames()
    page = Tables(network_html(lyon))
    assert page.stray == []
    assert page.tables["maillage-counts"]["caption"] == "maillage.Network"
    counts = page.counts("maillage-counts")
    assert list(counts) == NETWORK_LABELS
    assert counts == {
        "territories": str(f["sites"]["territory"].nunique()),
        "sites": str(len(f["sites"])), "partners": str(len(f["partners"])),
        "services": str(len(f["services"])), "people": str(len(f["persons"])),
        "needs": str(len(f["needs"])), "supports": str(len(f["supports"])),
        "partnerships": str(len(f["partnerships"]))}
    header, rows = page.grid("maillage-territories")
    assert header == ["territory", "sites", "people", "needs"]
    assert rows == [["lyon", str(len(f["sites"])), str(len(f["persons"])),
                     str(len(f["needs"]))]]


def test_plan_figures_are_the_frames(lyon_plan):
    a, u = lyon_plan.assignments, lyon_plan.unmatched
    page = Tables(plan_html(lyon_plan))
    assert page.stray == []
    assert page.tables["maillage-counts"]["caption"] == repr(lyon_plan)
    counts = page.counts("maillage-counts")
    assert list(counts) == PLAN_LABELS
    people = pd.concat([a["person_id"], u["person_id"]]).nunique()
    assert counts["people"] == str(people)
    assert counts["needs"] == str(len(a) + len(u))
    assert counts["people covered"] == str(a["person_id"].nunique())
    assert counts["needs covered"] == str(len(a))
    assert counts["needs covered by a current support (pinned)"] == \
        str(int(a["pinned"].sum()))
    assert counts["needs unmatched"] == str(len(u))
    for reason in REASONS:
        assert counts[f"unmatched: {reason}"] == \
            str(int((u["reason"] == reason).sum()))
    assert len(u) > 0 and a["pinned"].any()

    header, rows = page.grid("maillage-territories")
    assert header == PLAN_HEADER
    assert rows == [[
        "lyon", str(people), str(a["person_id"].nunique()),
        str(len(a) + len(u)), str(len(a)), str(int(a["pinned"].sum())),
        str(len(u))] + [str(int((u["reason"] == r).sum())) for r in REASONS]]

    objective = page.counts("maillage-objective")
    assert list(objective) == OBJECTIVE_LABELS
    values = list(objective.values())
    assert values[0] == str(a["person_id"].nunique())
    assert values[1] == str(len(a))
    assert values[2] == str(int((a["urgency"] - 1).sum()))
    fresh = a.loc[~a["pinned"], "score"]
    assert float(values[3]) == pytest.approx(fresh.sum(), abs=1e-3)


@pytest.fixture(scope="module")
def two():
    return maillage.generate(territory=["lyon", "rouen"], seed=2, scale=0.3)


def test_one_row_per_territory_and_the_rest_counted(two):
    plan = two.allocate()
    who = territories_of_people(two)
    a, u = plan.assignments, plan.unmatched
    _, rows = Tables(network_html(two)).grid("maillage-territories")
    assert [r[0] for r in rows] == ["lyon", "rouen"]
    for row in rows:
        assert row[2] == str(int((who == row[0]).sum()))
    _, rows = Tables(plan_html(plan)).grid("maillage-territories")
    for row in rows:
        covered = a[a["territory"] == row[0]]
        missed = u[u["territory"] == row[0]]
        assert row[4] == str(len(covered)) and row[6] == str(len(missed))
    # Fewer rows than territories: the rest in one row spanning the table.
    for make, width in ((network_html, 4), (plan_html, len(PLAN_HEADER))):
        subject = two if make is network_html else plan
        page = Tables(make(subject, max_territories=1))
        table = page.tables["maillage-territories"]["rows"]
        assert [c[1] for c in table[1]][0] == "lyon"
        assert table[2] == [("td", "1 more territory",
                             {"colspan": str(width)})]
        page = Tables(make(subject, max_territories=0))
        table = page.tables["maillage-territories"]["rows"]
        assert table[1:] == [[("td", "2 more territories",
                               {"colspan": str(width)})]]
        for bad in (-1, 1.5, True, "3"):
            with pytest.raises(ValueError, match="max_territories"):
                make(subject, max_territories=bad)


NAME = "<script>alert('x')</script> & \"Lyon\""


@pytest.fixture(scope="module")
def strange(valid):
    frames = valid.to_frames()
    sites = frames["sites"]
    sites.loc[sites["site_id"] == "s-venissieux", "territory"] = NAME
    return maillage.Network.from_frames(**frames)


def test_names_are_escaped(strange):
    for text in (network_html(strange), plan_html(strange.allocate())):
        assert "<script" not in text and "\"Lyon\"" not in text
        assert "&lt;script&gt;" in text
        page = Tables(text)
        assert "script" not in page.tags
        _, rows = page.grid("maillage-territories")
        assert sorted(r[0] for r in rows) == sorted([NAME, "lyon"])


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w-]+", text))


@pytest.mark.parametrize("kind", ["network", "plan"])
def test_no_id_and_only_figures(lyon, lyon_plan, kind):
    text = network_html(lyon) if kind == "network" else plan_html(lyon_plan)
    f = lyon.to_frames()
    ids = (set(f["persons"]["person_id"]) | set(f["sites"]["site_id"])
           | set(f["partners"]["partner_id"])
           | set(f["services"]["service_id"]))
    for found in words(text):
        assert found not in ids, found
    # Every cell is a label, a territory or a number: nothing else of a
    # person (commune, age, publics, needs) can be there.
    page = Tables(text)
    labels = set(PLAN_LABELS + PLAN_HEADER + OBJECTIVE_LABELS + ["sites"])
    for table in page.tables.values():
        for row in table["rows"]:
            for tag, cell, _ in row:
                if tag == "th":
                    assert cell in labels or cell == "lyon", cell
                else:
                    assert re.fullmatch(r"\d+(\.\d+)?", cell), cell


def test_repr_html_is_the_summary(lyon, lyon_plan):
    # Jupyter shows Network._repr_html_ and Plan._repr_html_: these summaries.
    assert lyon._repr_html_() == network_html(lyon)
    assert lyon_plan._repr_html_() == plan_html(lyon_plan)
