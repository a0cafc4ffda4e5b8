"""read_folder: the folder loader, its problems and its errors."""

from __future__ import annotations

import re
import warnings

import pytest

import maillage
from maillage import _core
from conftest import TESTDATA, assert_same_frames

BAD_CASES = sorted(p.name for p in (TESTDATA / "bad").iterdir() if p.is_dir())
PROBLEM_LINE = re.compile(r"^(.+?):(\d+):(\d+): (.*)$")


def expected_problems(folder: str) -> list[str]:
    """The FILE:LINE:COLUMN lines of a case's expected.txt."""
    lines = (TESTDATA / folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if PROBLEM_LINE.match(line)]


def rendered(problems) -> list[str]:
    return [f"{p.file}:{p.line}:{p.column}: {'warning: ' if p.warning else ''}{p.reason}"
            for p in problems.itertuples()]


def test_valid_folder_counts_and_repr(valid):
    c = valid.counts
    assert (c["sites"], c["partners"], c["services"], c["persons"], c["needs"],
            c["supports"], c["partnerships"], c["travel_times"]) == (2, 3, 6, 5, 10, 3, 4, 2)
    assert c["needs_pinned"] == 1  # P001's current support for mental health
    assert valid.territories == ["lyon"]
    assert repr(valid) == ("<maillage.Network: 2 sites, 3 partners, 6 services, "
                           "5 people, 10 needs, 1 territories>")


def test_read_folder_takes_path_objects():
    net = maillage.read_folder(TESTDATA / "valid_crlf_bom")
    assert net.counts["needs"] == 10


def test_crlf_bom_folder_loads_like_the_plain_one(valid):
    crlf = maillage.read_folder(TESTDATA / "valid_crlf_bom").to_frames()
    plain = valid.to_frames()
    # The one difference planted in that folder: a partner name holding a
    # quoted CRLF.
    assert crlf["partners"].loc[1, "name"] == "CMP Bron,\r\nadultes"
    crlf["partners"].loc[1, "name"] = plain["partners"].loc[1, "name"]
    assert_same_frames(crlf, plain)


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_folder_raises_with_every_problem(testdata, case):
    folder = f"bad/{case}"
    with pytest.raises(maillage.InvalidDataError) as info:
        maillage.read_folder(folder)
    error = info.value
    assert isinstance(error, ValueError)
    expected = expected_problems(folder)
    assert rendered(error.problems) == expected
    message = str(error).splitlines()
    assert message[0] == f"{folder}: {len(expected)} problem(s):"
    more = [f"... and {len(expected) - 20} more"] if len(expected) > 20 else []
    assert message[1:] == expected[:20] + more


@pytest.mark.parametrize("case", ["dangling_refs", "malformed_numbers", "missing_file"])
def test_message_is_the_strict_loaders(testdata, case):
    with pytest.raises(ValueError) as strict:
        _core.load_folder_strict(f"bad/{case}")
    with pytest.raises(ValueError) as loaded:
        maillage.read_folder(f"bad/{case}")
    assert str(loaded.value) == str(strict.value)


def test_one_exact_problem(testdata):
    with pytest.raises(ValueError) as info:
        maillage.read_folder("bad/numbers_and_ranges")
    assert ("bad/numbers_and_ranges/services.csv:5:11: "
            "capacity_available is greater than capacity_max") in str(info.value).splitlines()
    row = info.value.problems.iloc[3]
    assert (row.file, row.line, row.column, row.field) == (
        "bad/numbers_and_ranges/services.csv", 5, 11, "capacity_available")


def test_missing_folder(testdata):
    with pytest.raises(maillage.FolderNotFoundError) as info:
        maillage.read_folder("bad/no_such_case")
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == "bad/no_such_case: not a folder"


def test_warnings_do_not_reject(testdata):
    with pytest.warns(maillage.DataWarning) as record:
        net = maillage.read_folder("warnings_only")
    assert net.counts["supports"] > 3
    expected = expected_problems("warnings_only")
    assert expected and all(": warning: " in line for line in expected)
    assert str(record[0].message).splitlines() == expected


def test_no_personal_value_in_messages(testdata):
    with pytest.raises(ValueError) as info:
        maillage.read_folder("privacy_headerless_persons")
    text = str(info.value) + info.value.problems.to_string()
    assert "privacy_headerless_persons/persons.csv:1:" in text
    for value in ("'69266'", "'34'", "beneficiaires-des-minimas-sociaux",
                  "personnes-en-situation-durgence"):
        assert value not in text
    with pytest.raises(ValueError) as info:
        maillage.read_folder("bad/unknown_codes")
    assert "SECRET" not in str(info.value) + info.value.problems.to_string()


def test_write_folder_round_trip(valid, tmp_path):
    valid.write_folder(tmp_path / "copy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = maillage.read_folder(tmp_path / "copy")
    assert_same_frames(again.to_frames(), valid.to_frames())
