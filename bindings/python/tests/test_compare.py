"""compare and compare_needs: plans of the same people only, per need and
per (territory, theme), against counts made here from the plans' tables."""

from __future__ import annotations

import collections
import contextlib
import pickle
import re
import warnings

import pandas as pd
import pytest

import maillage
from maillage._compare import compare_needs

NEED_COLUMNS = [
    "person_id", "territory", "thematique", "category", "urgency",
    "status_a", "status_b", "service_id_a", "service_id_b", "reason_a",
    "reason_b", "change", "cause"]
COMPARE_COLUMNS = [
    "territory", "theme", "needs_a", "needs_b", "covered_a", "covered_b",
    "covered_delta", "unmatched_a", "unmatched_b", "unmatched_delta",
    "gained", "lost", "moved", "no_service_for_theme_delta",
    "not_eligible_delta", "out_of_reach_delta", "capacity_full_delta"]
REASONS = ["no_service_for_theme", "not_eligible", "out_of_reach",
           "capacity_full"]


def states(plan: maillage.Plan) -> dict:
    """(person_id, thematique) -> (status, service_id, reason, territory,
    category, urgency), read row by row from the plan's tables."""
    out = {}
    for row in plan.assignments.itertuples():
        out[row.person_id, row.thematique] = (
            "pinned" if row.pinned else "covered", row.service_id, None,
            row.territory, row.category, row.urgency)
    for row in plan.unmatched.itertuples():
        out[row.person_id, row.thematique] = (
            "unmatched", None, row.reason, row.territory, row.category,
            row.urgency)
    return out


def expected_change(a: tuple, b: tuple) -> str:
    met_a, met_b = a[0] != "unmatched", b[0] != "unmatched"
    if met_a and met_b:
        return "same" if a[1] == b[1] else "moved"
    if met_a:
        return "lost"
    return "gained" if met_b else "still_unmatched"


def check_needs(plan_a, plan_b, rows: pd.DataFrame, people=None) -> None:
    """Every row of compare_needs against the plans' tables."""
    a, b = states(plan_a), states(plan_b)
    if people is not None:
        a = {k: v for k, v in a.items() if k[0] in people}
        b = {k: v for k, v in b.items() if k[0] in people}
    assert list(rows.columns) == NEED_COLUMNS
    assert len(rows) == len(a) == len(b)
    assert rows["urgency"].dtype == "int64"
    keys = list(zip(rows["territory"], rows["person_id"], rows["thematique"]))
    assert keys == sorted(keys)
    for row in rows.itertuples():
        key = (row.person_id, row.thematique)
        sa, sb = a[key], b[key]
        assert (row.status_a, row.service_id_a, row.reason_a) == sa[:3], key
        assert (row.status_b, row.service_id_b, row.reason_b) == sb[:3], key
        assert (row.territory, row.category, row.urgency) == sa[3:], key
        assert row.change == expected_change(sa, sb), key


def oracle_compare(plan_a, plan_b, by: str) -> pd.DataFrame:
    """compare's counts, with Counters over the plans' tables."""
    a, b = states(plan_a), states(plan_b)
    counts = collections.defaultdict(collections.Counter)
    for key in a:
        sa, sb = a[key], b[key]
        theme = sa[4] if by == "category" else key[1]
        c = counts[sa[3], theme]
        c["needs_a"] += 1
        c["needs_b"] += 1
        c["covered_a"] += sa[0] != "unmatched"
        c["covered_b"] += sb[0] != "unmatched"
        c[expected_change(sa, sb)] += 1
        c[f"{sb[2]}_delta"] += 1
        c[f"{sa[2]}_delta"] -= 1
    rows = []
    for (territory, theme), c in sorted(counts.items()):
        rows.append({
            "territory": territory, "theme": theme,
            "needs_a": c["needs_a"], "needs_b": c["needs_b"],
            "covered_a": c["covered_a"], "covered_b": c["covered_b"],
            "covered_delta": c["covered_b"] - c["covered_a"],
            "unmatched_a": c["needs_a"] - c["covered_a"],
            "unmatched_b": c["needs_b"] - c["covered_b"],
            "unmatched_delta": c["covered_a"] - c["covered_b"],
            "gained": c["gained"], "lost": c["lost"], "moved": c["moved"],
            **{f"{r}_delta": c[f"{r}_delta"] for r in REASONS}})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


@contextlib.contextmanager
def strict():
    """Turns every warning into an error inside the block."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="module")
def closed(lyon, lyon_plan):
    """The Lyon plan without its busiest service's new places."""
    fresh = lyon_plan.assignments
    busiest = fresh.loc[~fresh["pinned"], "service_id"].value_counts().index[0]
    return lyon.with_capacity({busiest: 0}).allocate()


# --- scenarios of one network --------------------------------------------


def test_compare_needs_of_a_scenario(lyon_plan, closed):
    with strict():
        rows = compare_needs(lyon_plan, closed)
    check_needs(lyon_plan, closed, rows)
    changes = rows["change"].value_counts()
    assert changes["lost"] > 0 and changes["moved"] > 0
    assert changes["same"] > 0 and changes["still_unmatched"] > 0
    assert set(changes.index) <= {"gained", "lost", "moved", "same",
                                  "still_unmatched"}
    assert set(rows["status_a"]) == {"covered", "pinned", "unmatched"}
    assert rows.attrs == {"dropped_people_a": [], "dropped_people_b": []}


def test_compare_is_compare_needs_counted(lyon_plan, closed):
    for by in ("category", "thematique"):
        with strict():
            diff = maillage.compare(lyon_plan, closed, by=by)
        pd.testing.assert_frame_equal(
            diff, oracle_compare(lyon_plan, closed, by), check_dtype=False)
        assert list(diff.columns) == COMPARE_COLUMNS
        assert (diff.iloc[:, 2:].dtypes == "int64").all()
        assert diff.attrs == {"dropped_people_a": [], "dropped_people_b": []}


def test_a_pinned_need_lost_with_its_partner(valid):
    # P001's mental-health need is met by a current support at svc-sante
    # (partner p-cmp); without that partner, nothing else serves it.
    before = valid.allocate()
    after = valid.without(partner_id="p-cmp").allocate()
    rows = compare_needs(before, after).set_index(["person_id", "thematique"])
    row = rows.loc[("P001", "sante--sante-mentale")]
    assert (row["status_a"], row["service_id_a"], row["reason_a"]) == \
        ("pinned", "svc-sante", None)
    assert (row["status_b"], row["service_id_b"]) == ("unmatched", None)
    assert row["reason_b"] in REASONS
    assert row["change"] == "lost"
    check_needs(before, after, rows.reset_index()[NEED_COLUMNS])


def test_a_plan_and_its_pickled_copy_are_the_same_people(lyon_plan):
    # Another Network object: the people are compared attribute by attribute.
    copy = pickle.loads(pickle.dumps(lyon_plan))
    assert copy.network._core is not lyon_plan.network._core
    with strict():
        rows = compare_needs(lyon_plan, copy)
    assert set(rows["change"]) == {"same", "still_unmatched"}
    assert len(rows) == lyon_plan.summary["needs"]


# --- plans of other people ------------------------------------------------


def changed(valid, change) -> maillage.Plan:
    frames = valid.to_frames()
    change(frames)
    return maillage.Network.from_frames(**frames).allocate()


def set_cell(table, person, column, value):
    def change(frames):
        t = frames[table]
        t.loc[t["person_id"] == person, column] = value
    return change


def drop_person(person):
    def change(frames):
        for table in ("persons", "needs", "supports"):
            t = frames[table]
            frames[table] = t[t["person_id"] != person].reset_index(drop=True)
    return change


def add_person(new, like):
    def change(frames):
        for table in ("persons", "needs"):
            t = frames[table]
            copy = t[t["person_id"] == like].assign(person_id=new)
            frames[table] = pd.concat([t, copy], ignore_index=True)
    return change


def add_need(person, thematique):
    def change(frames):
        row = pd.DataFrame({"person_id": [person], "thematique": [thematique],
                            "urgency": [1]})
        frames["needs"] = pd.concat([frames["needs"], row], ignore_index=True)
    return change


def rename_need(person, old, new):
    def change(frames):
        t = frames["needs"]
        t.loc[(t["person_id"] == person) & (t["thematique"] == old),
              "thematique"] = new
    return change


DIFFERENT = {
    "site": (set_cell("persons", "P001", "site_id", "s-venissieux"), "site 1"),
    "commune": (set_cell("persons", "P003", "insee_com", "69266"),
                "commune 1"),
    "age": (set_cell("persons", "P002", "age", 23), "age 1"),
    "age given": (set_cell("persons", "P005", "age", 40), "age 1"),
    "publics": (set_cell("persons", "P003", "publics", "femmes|jeunes"),
                "publics 1"),
    "urgency": (set_cell("needs", "P004", "urgency", 3), "needs 1"),
    "need added": (add_need("P002", "mobilite"), "needs 1"),
    "need renamed": (rename_need("P004", "trouver-un-emploi", "mobilite"),
                     "needs 1"),
}


@pytest.mark.parametrize("case", sorted(DIFFERENT))
def test_same_id_other_person_is_refused(valid, case):
    change, counted = DIFFERENT[case]
    a, b = valid.allocate(), changed(valid, change)
    for call in (maillage.compare, compare_needs):
        with pytest.raises(ValueError) as error:
            call(a, b)
        message = str(error.value)
        assert "not plans of the same people" in message
        assert f"ids in both plans whose people differ: 1 of 5 ({counted}); " \
               "ids only in plan_a: 0; ids only in plan_b: 0." in message
        assert "common=True" in message and "(4 here)" in message
        assert not re.search(r"P00\d|69\d\d\d|s-\w+|femmes|jeunes|mobilite",
                             message)


@pytest.mark.parametrize("case, only_a, only_b", [
    ("dropped", 1, 0), ("added", 0, 1), ("both", 1, 1)])
def test_other_sets_of_ids_are_refused(valid, case, only_a, only_b):
    def change(frames):
        if only_a:
            drop_person("P004")(frames)
        if only_b:
            add_person("P006", "P003")(frames)
    a, b = valid.allocate(), changed(valid, change)
    with pytest.raises(ValueError, match=re.escape(
            f"ids in both plans whose people differ: 0 of {5 - only_a}; ids "
            f"only in plan_a: {only_a}; ids only in plan_b: {only_b}.")):
        maillage.compare(a, b)


SAME = {
    "location": set_cell("persons", "P001", "lat", 45.7),
    "reach": set_cell("persons", "P002", "max_distance_km", 40),
    "publics order": set_cell("persons", "P002", "publics",
                              "demandeurs-emploi|jeunes"),
    "needs order": lambda frames: frames.update(
        needs=frames["needs"].iloc[::-1].reset_index(drop=True)),
    "rows order": lambda frames: frames.update(
        persons=frames["persons"].iloc[::-1].reset_index(drop=True)),
    "supports": lambda frames: frames.pop("supports"),
}


@pytest.mark.parametrize("case", sorted(SAME))
def test_what_scenarios_change_is_not_another_person(valid, case):
    a, b = valid.allocate(), changed(valid, SAME[case])
    with strict():
        rows = compare_needs(a, b)
        diff = maillage.compare(a, b)
    check_needs(a, b, rows)
    assert diff["needs_a"].sum() == valid.counts["needs"]


def test_other_seeds_are_refused_with_counts_only():
    a = maillage.generate(territory="lyon", seed=1, scale=0.3).allocate()
    b = maillage.generate(territory="lyon", seed=2, scale=0.3).allocate()
    pa = a.network.to_frames()["persons"].set_index("person_id")
    pb = b.network.to_frames()["persons"].set_index("person_id")
    shared = pa.index.intersection(pb.index)
    sites = int((pa.loc[shared, "site_id"] != pb.loc[shared, "site_id"]).sum())
    with pytest.raises(ValueError) as error:
        maillage.compare(a, b)
    message = str(error.value)
    assert "ids in both plans whose people differ: " in message
    assert f" of {len(shared)} (site {sites}, " in message
    for person in list(pa.index) + list(pb.index):
        assert person not in message
    for code in set(pa["insee_com"].dropna()) | set(pb["insee_com"].dropna()):
        assert code not in message


def test_common_compares_the_people_identical_in_both(valid):
    def change(frames):
        set_cell("persons", "P001", "age", 35)(frames)
        set_cell("needs", "P004", "urgency", 3)(frames)
        drop_person("P005")(frames)
        add_person("P006", "P003")(frames)
    a, b = valid.allocate(), changed(valid, change)
    kept = {"P002", "P003"}
    with pytest.warns(maillage.DataWarning) as caught:
        rows = compare_needs(a, b, common=True)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "compared the 2 people identical in both plans, left out 3 of " \
           "the 5 people of plan_a and 3 of the 5 of plan_b" in message
    assert "(age 1, needs 1)" in message
    assert not re.search(r"P00\d|69\d\d\d", message)
    assert rows.attrs["dropped_people_a"] == ["P001", "P004", "P005"]
    assert rows.attrs["dropped_people_b"] == ["P001", "P004", "P006"]
    assert set(rows["person_id"]) == kept
    check_needs(a, b, rows, people=kept)

    with pytest.warns(maillage.DataWarning):
        diff = maillage.compare(a, b, by="thematique", common=True)
    assert diff.attrs == rows.attrs
    assert diff["needs_a"].sum() == diff["needs_b"].sum() == len(rows) == 4
    assert diff["covered_a"].sum() == (rows["status_a"] != "unmatched").sum()


def test_common_without_anybody_in_common(valid):
    def change(frames):
        for table in ("persons", "needs", "supports"):
            frames[table] = frames[table].assign(
                person_id="X-" + frames[table]["person_id"])
    a, b = valid.allocate(), changed(valid, change)
    with pytest.warns(maillage.DataWarning, match="compared the 0 people"):
        diff = maillage.compare(a, b, common=True)
    assert list(diff.columns) == COMPARE_COLUMNS and len(diff) == 0
    assert len(diff.attrs["dropped_people_a"]) == 5
    with pytest.warns(maillage.DataWarning):
        rows = compare_needs(a, b, common=True)
    assert list(rows.columns) == NEED_COLUMNS and len(rows) == 0


def test_common_with_the_same_people_does_not_warn(lyon_plan, closed):
    with strict():
        rows = compare_needs(lyon_plan, closed, common=True)
    check_needs(lyon_plan, closed, rows)


def test_bad_arguments(lyon_plan):
    with pytest.raises(TypeError, match="plan_b must be a maillage.Plan"):
        compare_needs(lyon_plan, lyon_plan.assignments)
    with pytest.raises(TypeError, match="plan_a must be a maillage.Plan"):
        maillage.compare(None, lyon_plan)
    with pytest.raises(ValueError, match="by must be"):
        maillage.compare(lyon_plan, lyon_plan, by="site")


def test_a_scenario_replanned_from_the_base_moves_nobody_for_nothing():
    net = maillage.generate(territory="charente", seed=2)
    base = net.allocate()
    best = base.shadow_prices.nlargest(5, "scaled")
    scenario = net.with_capacity(dict(zip(best["service_id"], [0] * 5)))
    plain = scenario.allocate()
    stable = scenario.allocate(previous=base)
    for key in ("people_covered", "needs_covered", "needs_covered_by_urgency"):
        assert stable.summary[key] == plain.summary[key], key
    # The same levels (the score as the objective rounds it) and flow cost;
    # the unrounded total score may differ between equal plans.
    objective = lambda p: {k: v for k, v in p.summary["objective"].items()
                           if k != "total_score"}
    assert objective(stable) == objective(plain)
    stable.verify()
    d_plain = maillage.compare_needs(base, plain)
    d_stable = maillage.compare_needs(base, stable)
    kept = lambda d: int((d["change"] == "same").sum())
    assert kept(d_stable) >= kept(d_plain)
    # Here every move of the plain re-plan is a tie; the stable one has none.
    assert (d_plain["cause"] == "replanned").sum() > 0
    assert (d_stable["cause"] == "replanned").sum() == 0
    # Each need of the closed services has its cause.
    left = d_stable[d_stable["change"].isin(["moved", "lost"])]
    assert (left["cause"] == "places_cut").all() and len(left) > 0
    assert d_stable[~d_stable["change"].isin(["moved", "lost"])]["cause"].isna().all()
    with pytest.raises(TypeError):
        scenario.allocate(previous="plan")
