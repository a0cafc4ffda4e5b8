"""generate (determinism by seed) and rank (the CLI's options, score parts)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import maillage
from conftest import TESTDATA, assert_same_frames

RANK_COLUMNS = ["person_id", "thematique", "category", "urgency", "rank",
                "service_id", "partner_id", "score", "capacity", "proximity",
                "complementarity", "link", "cover", "novelty", "distance_km",
                "remote", "full", "capacity_known", "reason", "filter"]


def test_generate_is_deterministic_by_seed(lyon):
    again = maillage.generate(territory="lyon", seed=3)
    assert_same_frames(again.to_frames(), lyon.to_frames())
    other = maillage.generate(territory="lyon", seed=4).to_frames()
    assert not other["persons"].equals(lyon.to_frames()["persons"])


def test_generate_all_territories():
    net = maillage.generate(all=True, seed=1)
    assert net.territories == ["charente", "lille", "lyon", "marseille",
                               "nantes", "paris", "rouen", "strasbourg"]
    # The 2022 figures of the 8 territories (data/convergence-territories.csv).
    assert net.counts["persons"] == 1670
    assert net.counts["sites"] == 48
    # A territory is the same alone or among the 8 (one stream per territory).
    lyon = maillage.generate(territory="lyon", seed=1).to_frames()["persons"]
    persons = net.to_frames()["persons"]
    in_lyon = persons[persons["person_id"].str.startswith("p-lyon-")]
    pd.testing.assert_frame_equal(in_lyon.reset_index(drop=True), lyon)


def test_generate_arguments():
    with pytest.raises(ValueError, match="exactly one"):
        maillage.generate()
    with pytest.raises(ValueError, match="exactly one"):
        maillage.generate(territory="lyon", all=True)
    with pytest.raises(ValueError, match="atlantis"):
        maillage.generate(territory="atlantis")
    with pytest.raises(ValueError):
        maillage.generate(territory="lyon", scale=0)
    net = maillage.generate(territory=["lyon", "rouen"], scale=0.5)
    assert net.territories == ["lyon", "rouen"]


@pytest.mark.parametrize("person, theme, k, expected", [
    ("P001", None, 5, "P001.csv"),
    ("P001", "logement-hebergement", 5, "P001_logement.csv"),
    ("P001", "logement-hebergement", 1, "P001_logement_k1.csv"),
    ("P002", None, 5, "P002.csv"),
    ("P004", "trouver-un-emploi", 5, "P004_emploi.csv"),
])
def test_rank_gives_the_clis_options(valid, person, theme, k, expected):
    got = valid.rank(person, theme, k=k)
    assert list(got.columns) == RANK_COLUMNS
    # The CLI lists options only; a need without any is a row with its reason.
    without = got[got["rank"].isna()]
    assert without["service_id"].isna().all()
    assert without["reason"].notna().all()
    got = got[got["rank"].notna()].reset_index(drop=True)
    assert got["reason"].isna().all()
    want = pd.read_csv(TESTDATA / "rank" / expected).astype(
        {c: float for c in ["score", "capacity", "proximity",
                            "complementarity", "distance_km"]})
    assert len(got) == len(want)
    for column in ["person_id", "thematique", "rank", "service_id"]:
        assert list(got[column]) == list(want[column]), column
    for column in ["score", "capacity", "proximity", "complementarity"]:
        np.testing.assert_allclose(got[column], want[column], atol=5e-7)
    np.testing.assert_allclose(got["distance_km"], want["distance_km"], atol=5e-4)


def test_rank_sorted_and_parts_combine(lyon):
    for weights, w in [(None, (0.40, 0.35, 0.25)),
                       ({"capacity": 1, "proximity": 1, "complementarity": 2},
                        (0.25, 0.25, 0.50))]:
        options = lyon.rank_all(k=5, weights=weights, progress=False)
        options = options[options["rank"].notna()]
        assert len(options) > 100
        for _, group in options.groupby(["person_id", "thematique"]):
            assert list(group["rank"]) == list(range(1, len(group) + 1))
            assert group["score"].is_monotonic_decreasing
        combined = (w[0] * options["capacity"] + w[1] * options["proximity"]
                    + w[2] * options["complementarity"])
        np.testing.assert_allclose(options["score"], combined, atol=1e-9)
        assert options.groupby(["person_id", "thematique"]).size().max() == 5
    # One person's options are their rows of rank_all.
    every = lyon.rank_all(k=3, progress=False)
    person = every["person_id"].iloc[-1]
    mine = lyon.rank(person, k=3)
    assert len(mine) > 0
    pd.testing.assert_frame_equal(
        mine, every[every["person_id"] == person].reset_index(drop=True))


def test_rank_only_capacity(valid):
    options = valid.rank("P002", weights={"capacity": 1, "proximity": 0,
                                          "complementarity": 0})
    np.testing.assert_allclose(options["score"], options["capacity"])


def test_rank_bad_arguments(valid):
    with pytest.raises(ValueError, match="no person with id 'P999'"):
        valid.rank("P999")
    with pytest.raises(ValueError, match="unknown data·inclusion theme 'sante--inexistant'"):
        valid.rank("P001", "sante--inexistant")
    with pytest.raises(ValueError, match="k must be at least 1"):
        valid.rank("P001", k=0)
    with pytest.raises(ValueError, match="unknown weights key"):
        valid.rank("P001", weights={"distance": 1})
    with pytest.raises(ValueError):
        valid.rank("P001", weights={"capacity": -1})


def test_vocabulary():
    assert len(maillage.category_codes()) == 16
    assert maillage.category_of("sante--addictions") == "sante"
    assert "sante--addictions" in maillage.theme_codes()
    with pytest.raises(ValueError):
        maillage.category_of("nope")
