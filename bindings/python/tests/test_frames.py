"""Network.from_frames / to_frames: pandas in and out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import maillage
from maillage import _core
from maillage._frames import frames_to_core
from conftest import TESTDATA, assert_same_frames
from test_load import expected_problems

TABLES = ["sites", "partners", "services", "persons", "needs", "supports",
          "partnerships", "travel_times"]


def csv_frames(folder, **read_csv) -> dict[str, pd.DataFrame]:
    """The CSV files of a folder read by pandas, keyed as from_frames wants."""
    frames = {}
    for table in TABLES:
        path = TESTDATA / folder / f"{table}.csv"
        if path.exists():
            frames[table] = pd.read_csv(path, **read_csv)
    return frames


def as_text(folder):
    return csv_frames(folder, dtype=str, keep_default_na=False)


def test_to_frames_columns_and_types(valid):
    frames = valid.to_frames()
    assert list(frames) == TABLES
    for table, columns in _core.table_columns().items():
        assert list(frames[table].columns) == [name for name, _, _ in columns]
    services = frames["services"].set_index("service_id")
    assert services.loc["svc-heb", "thematiques"] == \
        "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
    assert services.loc["svc-sante", "thematiques"] == \
        "sante--addictions|sante--sante-mentale"
    assert services.loc["svc-heb", "min_age"] == 18
    assert services["max_age"].isna().sum() == 5
    assert services.loc["svc-jeunes", "max_age"] == 25
    assert str(services["min_age"].dtype) == "Int64"
    # Nullable: an absent capacity_available is an unknown capacity.
    assert str(services["capacity_available"].dtype) == "Int64"
    assert services.loc["svc-tarare", "publics"] is None
    # Locations are the resolved ones: P001 lives at the centre of 69266.
    persons = frames["persons"].set_index("person_id")
    assert persons.loc["P001", "lat"] == pytest.approx(45.77, abs=0.05)
    assert persons.loc["P005", "insee_com"] is not None  # the site's commune


def test_round_trip_equals_read_folder(valid):
    frames = valid.to_frames()
    again = maillage.Network.from_frames(**frames)
    assert_same_frames(again.to_frames(), frames)


def test_to_frames_returns_copies(valid):
    valid.to_frames()["services"].loc[0, "capacity_available"] = 99
    assert valid.to_frames()["services"].loc[0, "capacity_available"] == 1


def test_generated_network_round_trip():
    net = maillage.generate(all=True, seed=7)
    frames = net.to_frames()
    assert_same_frames(maillage.Network.from_frames(**frames).to_frames(), frames)


@pytest.mark.parametrize("read_csv", [
    dict(dtype=str, keep_default_na=False),  # every cell text, "" absent
    dict(),  # pandas' own types: numbers, NaN for empty cells
])
def test_csv_read_by_pandas_builds_the_same_network(valid, read_csv):
    net = maillage.Network.from_frames(**csv_frames("valid", **read_csv))
    assert_same_frames(net.to_frames(), valid.to_frames())


def test_lists_as_python_lists_and_nullable_numbers(valid):
    frames = valid.to_frames()
    services = frames["services"]
    services["thematiques"] = services["thematiques"].str.split("|")
    services["capacity_available"] = services["capacity_available"].astype("Int64")
    persons = frames["persons"]
    persons["age"] = persons["age"].astype("float64")  # NaN for absent ages
    persons["publics"] = persons["publics"].astype("string")  # pd.NA for absent
    net = maillage.Network.from_frames(**frames)
    assert_same_frames(net.to_frames(), valid.to_frames())


def test_optional_tables_may_be_left_out(valid):
    frames = valid.to_frames()
    net = maillage.Network.from_frames(
        sites=frames["sites"], partners=frames["partners"],
        services=frames["services"], persons=frames["persons"],
        needs=frames["needs"])
    c = net.counts
    assert (c["supports"], c["partnerships"], c["travel_times"]) == (0, 0, 0)
    with pytest.raises(TypeError):
        maillage.Network.from_frames(sites=frames["sites"])


# Cases whose files pandas reads row for row (no CSV syntax error, no
# quoted newline, no duplicate header name, every file present).
FRAME_CASES = ["dangling_refs", "duplicate_ids", "header_missing_column",
               "malformed_numbers", "numbers_and_ranges",
               "partnerships_invalid", "unknown_codes"]


@pytest.mark.parametrize("case", FRAME_CASES)
def test_problems_are_the_loaders_under_the_frame_names(case):
    """Frames read from a bad folder report the loader's problems, with the
    frame's name for the file: same line, column and reason."""
    prefix = f"bad/{case}/"
    expected = [line[len(prefix):].replace(".csv:", ":", 1)
                for line in expected_problems(prefix.rstrip("/"))]
    with pytest.raises(maillage.InvalidDataError) as info:
        maillage.Network.from_frames(**as_text(f"bad/{case}"))
    problems = info.value.problems
    got = [f"{p.file}:{p.line}:{p.column}: {p.reason}" for p in problems.itertuples()]
    assert got == expected
    message = str(info.value).splitlines()
    assert message[0] == f"{len(expected)} invalid row(s):"
    assert message[1:21] == expected[:20]


def test_message_is_the_builders():
    frames = as_text("bad/unknown_codes")
    with pytest.raises(ValueError) as strict:
        _core.build_network_strict(frames_to_core(frames))
    with pytest.raises(ValueError) as built:
        maillage.Network.from_frames(**frames)
    assert str(built.value) == str(strict.value)


def test_header_problems(valid):
    frames = valid.to_frames()
    frames["partnerships"]["commentaire"] = "x"
    travel = frames["travel_times"]
    frames["travel_times"] = pd.concat([travel, travel[["minutes"]]], axis=1)
    frames["needs"] = frames["needs"].drop(columns="urgency")
    with pytest.raises(ValueError) as info:
        maillage.Network.from_frames(**frames)
    lines = str(info.value).splitlines()
    assert "needs:1:0: missing required column 'urgency'" in lines
    assert ("partnerships:1:5: unknown column 'commentaire' "
            "(expected: from_id, to_id, kind, strength)") in lines
    assert "travel_times:1:4: duplicate column 'minutes'" in lines
    counts = _core.build_network(frames_to_core(frames))[2]
    assert counts[4] == (10, 0, 10)  # needs: read, loaded, rejected


def test_personal_values_never_quoted(valid):
    frames = valid.to_frames()
    persons = frames["persons"].astype({"age": object, "max_distance_km": object})
    persons.loc[1, "age"] = "trente"
    persons.loc[2, "max_distance_km"] = "12km"
    persons.loc[3, "publics"] = "PUBLIC-SECRET"
    frames["persons"] = persons
    services = frames["services"].astype({"capacity_max": object})
    services.loc[0, "capacity_max"] = "deux"
    frames["services"] = services
    with pytest.raises(ValueError) as info:
        maillage.Network.from_frames(**frames)
    lines = str(info.value).splitlines()
    assert "persons:3:6: malformed integer" in lines
    assert "persons:4:8: malformed number" in lines
    assert ("persons:5:7: unknown data·inclusion public code (the codes: "
            "docs/format.md)") in lines
    assert "services:2:12: malformed integer 'deux'" in lines
    text = str(info.value) + info.value.problems.to_string()
    for secret in ("trente", "12km", "PUBLIC-SECRET"):
        assert secret not in text


def test_numbers_in_text_columns(valid):
    """Commune codes and ids read as numbers by pandas keep their text."""
    frames = valid.to_frames()
    sites = frames["sites"]
    sites["insee_com"] = sites["insee_com"].astype(float)
    net = maillage.Network.from_frames(**frames)
    assert list(net.to_frames()["sites"]["insee_com"]) == ["69266", "69259"]


def test_non_integral_integer_is_malformed(valid):
    frames = valid.to_frames()
    frames["services"]["capacity_available"] = \
        frames["services"]["capacity_available"].astype(float)
    frames["services"].loc[5, "capacity_available"] = 2.5
    with pytest.raises(ValueError, match=r"services:7:11: malformed integer '2.5'"):
        maillage.Network.from_frames(**frames)


def test_not_a_dataframe(valid):
    frames = valid.to_frames()
    frames["sites"] = frames["sites"].to_dict()
    with pytest.raises(TypeError, match="sites: a pandas DataFrame is expected"):
        maillage.Network.from_frames(**frames)
