"""rank in full (every open need, the sub-parts, the settings), progress
callbacks and cancellation, Network equality, and maillage.vocabulary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import maillage
from maillage import vocabulary


@pytest.fixture(scope="module")
def lyon_small():
    return maillage.generate(territory="lyon", seed=1, scale=0.3)


def open_needs(net):
    plan = net.allocate(progress=False)
    needs = plan.needs
    return needs[needs["status"] != "pinned"]


def test_rank_all_lists_every_open_need_once_without_options_with_reason(
        lyon_small):
    ranked = lyon_small.rank_all(k=3, progress=False)
    needs = open_needs(lyon_small)
    keys = ranked[["person_id", "thematique"]].drop_duplicates()
    assert len(keys) == len(needs)
    assert set(map(tuple, keys.to_numpy())) == set(
        map(tuple, needs[["person_id", "thematique"]].to_numpy()))
    without = ranked[ranked["rank"].isna()]
    assert len(without) > 0  # this network has needs no service can meet
    # One row per need without options, and its reason.
    assert not without.duplicated(["person_id", "thematique"]).any()
    assert set(without["reason"]) <= set(vocabulary.reasons()["code"])
    assert without["service_id"].isna().all()
    assert without["score"].isna().all()
    not_eligible = without[without["reason"] == "not_eligible"]
    assert not_eligible["filter"].notna().all()
    # The urgency and category of each row are its need's.
    merged = ranked.merge(needs[["person_id", "thematique", "urgency",
                                 "category"]],
                          on=["person_id", "thematique"],
                          suffixes=("", "_need"))
    assert len(merged) == len(ranked)
    assert (merged["urgency"] == merged["urgency_need"]).all()
    assert (merged["category"] == merged["category_need"]).all()


def test_complementarity_is_its_weighted_sub_parts(lyon_small):
    options = lyon_small.rank_all(k=5, progress=False).dropna(subset=["rank"])
    np.testing.assert_allclose(
        options["complementarity"],
        0.5 * options["link"] + 0.3 * options["cover"]
        + 0.2 * options["novelty"], atol=1e-9)
    other = lyon_small.rank_all(
        k=5, complementarity_weights={"cover": 1}, progress=False).dropna(
            subset=["rank"])
    np.testing.assert_allclose(other["complementarity"], other["cover"],
                               atol=1e-9)


def test_weights_replace_the_defaults(lyon_small):
    person = lyon_small.to_frames()["needs"]["person_id"].iloc[0]
    by_proximity = lyon_small.rank(person, k=5, weights={"proximity": 1})
    options = by_proximity.dropna(subset=["rank"])
    assert len(options) > 0
    np.testing.assert_allclose(options["score"], options["proximity"],
                               atol=1e-9)
    for _, group in options.groupby("thematique"):
        assert group["proximity"].is_monotonic_decreasing


def test_reach_and_proximity_settings_change_the_options(lyon_small):
    near = lyon_small.rank_all(k=50, reach_km=3, progress=False)
    far = lyon_small.rank_all(k=50, reach_km=80, progress=False)
    # Only people without their own max_distance_km take reach_km.
    assert near["rank"].notna().sum() < far["rank"].notna().sum()
    in_reach = near.dropna(subset=["rank", "distance_km"])
    persons = lyon_small.to_frames()["persons"]
    own = persons.set_index("person_id")["max_distance_km"]
    default = in_reach[in_reach["person_id"].map(own).isna()]
    assert (default["distance_km"] <= 3 + 1e-9).all()
    assert (near["reason"] == "out_of_reach").sum() >= (
        far["reason"] == "out_of_reach").sum()
    half = lyon_small.rank_all(k=5, proximity_half_km=1, progress=False)
    half = half.dropna(subset=["rank", "distance_km"])
    np.testing.assert_allclose(half["proximity"],
                               1 / (1 + half["distance_km"] / 1), atol=1e-6)
    remote = lyon_small.rank_all(k=50, remote_proximity=0.9, progress=False)
    remote = remote[remote["remote"]]
    if len(remote):
        assert (remote["proximity"] >= 0.9 - 1e-9).all()


def test_settings_are_checked(lyon_small):
    with pytest.raises(ValueError, match="reach_km must be a finite number > 0"):
        lyon_small.rank_all(reach_km=0, progress=False)
    with pytest.raises(ValueError, match=r"remote_proximity must be in \[0, 1\]"):
        lyon_small.rank_all(remote_proximity=2, progress=False)
    with pytest.raises(TypeError, match="max_travel_minutes must be a number"):
        lyon_small.allocate(max_travel_minutes="45", progress=False)
    with pytest.raises(ValueError, match="positive sum"):
        lyon_small.rank_all(weights={"capacity": 0}, progress=False)
    with pytest.raises(ValueError, match="unknown complementarity_weights"):
        lyon_small.rank_all(complementarity_weights={"links": 1},
                            progress=False)
    for radius in (float("nan"), 0, -5):
        with pytest.raises(ValueError, match="explain_radius_km must be a "
                           "finite number > 0"):
            lyon_small.rank_all(explain_radius_km=radius, progress=False)
    assert maillage.RANK_DEFAULTS["default_max_distance_km"] == 30
    assert maillage.RANK_DEFAULTS["capacity"] == pytest.approx(0.40)


def test_allocate_takes_the_ranking_settings(lyon_small):
    base = lyon_small.allocate(progress=False)
    near = lyon_small.allocate(reach_km=2, progress=False)
    assert near.summary["needs_covered"] <= base.summary["needs_covered"]
    assert near.options["rank"] == {"reach_km": 2}
    weighted = lyon_small.allocate(weights={"proximity": 1},
                                   complementarity_weights={"cover": 1},
                                   progress=False)
    assert weighted.options["rank"] == {
        "weights": {"capacity": 0, "proximity": 1, "complementarity": 0},
        "complementarity_weights": {"link": 0, "cover": 1, "novelty": 0}}
    covered = near.assignments
    # A current or accepted support stays, however far.
    covered = covered[~covered["pinned"]].dropna(subset=["distance_km"])
    persons = lyon_small.to_frames()["persons"].set_index("person_id")
    default = covered[covered["person_id"].map(
        persons["max_distance_km"]).isna()]
    assert (default["distance_km"] <= 2 + 1e-9).all()


def test_progress_callback_sees_the_stages_and_can_cancel(lyon_small):
    seen = []
    lyon_small.allocate(progress=lambda s, d, t: seen.append((s, d, t)))
    stages = [s for s, _, _ in seen]
    assert stages[0] == "rank" and "solve" in stages
    for stage in set(stages):
        reports = [(d, t) for s, d, t in seen if s == stage]
        assert all(0 <= d <= t for d, t in reports)
        assert reports[-1][0] == reports[-1][1]  # each stage ends complete
    with pytest.raises(ValueError, match="cancelled by the progress callback"):
        lyon_small.allocate(progress=lambda s, d, t: s != "solve")
    with pytest.raises(ValueError, match="cancelled"):
        lyon_small.rank_all(progress=lambda s, d, t: d == 0)

    class Stop(Exception):
        pass

    def fail(stage, done, total):
        raise Stop()

    with pytest.raises(Stop):
        lyon_small.allocate(progress=fail)
    # The network is still usable after a cancelled call.
    plan = lyon_small.allocate(progress=False)
    verified = []
    plan.verify(progress=lambda s, d, t: verified.append(s))
    assert "verify" in verified
    with pytest.raises(TypeError, match="progress must be"):
        plan.verify(progress="yes")


def test_progress_bar_goes_to_stderr_when_asked(lyon_small, capsys):
    pytest.importorskip("tqdm")
    lyon_small.allocate(progress=True)
    err = capsys.readouterr().err
    assert "allocate: ranking options" in err
    lyon_small.allocate()  # not a terminal: quiet
    assert capsys.readouterr().err == ""


def test_networks_compare_by_value(lyon_small):
    again = maillage.generate(territory="lyon", seed=1, scale=0.3)
    assert again == lyon_small and not (again != lyon_small)
    assert maillage.generate(territory="lyon", seed=2, scale=0.3) != lyon_small
    assert lyon_small.with_capacity(
        {lyon_small.to_frames()["services"]["service_id"].iloc[0]: 99}
    ) != lyon_small
    assert maillage.Network.from_frames(**lyon_small.to_frames()) == lyon_small
    assert lyon_small != "lyon"
    with pytest.raises(TypeError):
        hash(lyon_small)


def test_vocabulary_frames():
    categories = vocabulary.categories()
    assert list(categories.columns) == ["code", "label", "label_en"]
    assert len(categories) == 16
    housing = categories.set_index("code").loc["logement-hebergement"]
    assert housing["label"] == "Logement, hébergement"
    themes = vocabulary.themes()
    assert len(themes) == len(maillage.theme_codes())
    assert list(themes["code"]) == maillage.theme_codes()
    sub = themes.set_index("code").loc["sante--addictions"]
    assert sub["category"] == "sante" and not sub["is_category"]
    assert set(vocabulary.reasons()["code"]) == {
        "no_service_for_theme", "not_eligible", "out_of_reach",
        "capacity_full"}
    assert (vocabulary.reasons()["meaning"] != "").all()
    assert "public" in set(vocabulary.filters()["code"])
    assert (vocabulary.filters()["meaning"] != "").all()
    assert "femmes" in set(vocabulary.publics()["code"])
    assert set(vocabulary.modes()["code"]) == {"a-distance", "en-presentiel"}
    for f in (vocabulary.frais, vocabulary.types, vocabulary.reseaux_porteurs,
              vocabulary.modes_mobilisation, vocabulary.mobilisable_par):
        frame = f()
        assert len(frame) > 0 and frame["code"].is_unique
    assert sorted(vocabulary.__all__) == vocabulary.__all__


def test_suggest():
    assert vocabulary.suggest("logement-hebergment") == "logement-hebergement"
    assert vocabulary.suggest("femme", "publics") == "femmes"
    assert vocabulary.suggest("sante") == "sante"
    assert vocabulary.suggest("zzzzzz") is None
    with pytest.raises(ValueError, match="kind must be one of"):
        vocabulary.suggest("x", "colours")


def test_misspelt_service_code_gets_did_you_mean(lyon_small):
    frames = lyon_small.to_frames()
    services = frames["services"].copy()
    services.loc[0, "thematiques"] = "logement-hebergment"
    with pytest.raises(maillage.InvalidDataError,
                       match="did you mean 'logement-hebergement'"):
        maillage.Network.from_frames(**{**frames, "services": services})


def test_numeric_insee_codes_get_a_hint(lyon_small):
    frames = lyon_small.to_frames()
    persons = frames["persons"].copy()
    persons["insee_com"] = persons["insee_com"].astype(int)
    # Lyon's codes (69xxx) have no leading zero: a warning only.
    with pytest.warns(maillage.DataWarning, match="column insee_com holds "
                      "numbers"):
        maillage.Network.from_frames(**{**frames, "persons": persons})
    # An Ain code (01xxx) loses its zero: the error says why.
    sites = frames["sites"].copy()
    sites["insee_com"] = 1053
    with pytest.raises(maillage.InvalidDataError) as info:
        maillage.Network.from_frames(**{**frames, "sites": sites})
    message = str(info.value)
    assert "sites: column insee_com holds numbers" in message
    assert "leading zero" in message
