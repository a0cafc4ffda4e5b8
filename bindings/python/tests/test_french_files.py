"""Files saved by a French spreadsheet: written here with Python's own csv
and codecs, read by maillage exactly as the UTF-8, comma version; or refused
with a message naming the file."""

from __future__ import annotations

import csv
import pathlib
import warnings

import pytest

import maillage
from conftest import TESTDATA, assert_same_frames

NUMBER_COLUMNS = {"lat", "lng", "max_distance_km", "strength", "minutes",
                  "score_qualite"}


def write_like_a_spreadsheet(dest: pathlib.Path, encoding: str,
                             delimiter: str = ";",
                             decimal_comma: bool = True) -> None:
    """tests/testdata/valid as a spreadsheet saves it: `delimiter`, decimal
    commas in number columns, CRLF line ends, `encoding`."""
    dest.mkdir()
    for path in sorted((TESTDATA / "valid").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        with open(dest / path.name, "w", encoding=encoding, newline="") as f:
            w = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")
            w.writerow(header)
            for row in rows[1:]:
                if decimal_comma:
                    row = [c.replace(".", ",") if h in NUMBER_COLUMNS else c
                           for h, c in zip(header, row)]
                w.writerow(row)


def read(folder: pathlib.Path) -> tuple[maillage.Network, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = maillage.read_folder(folder)
    return net, [str(w.message) for w in caught]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig",
                                      "utf-8", "utf-16", "utf-16-be"])
def test_semicolon_and_decimal_comma_read_as_the_native_file(tmp_path,
                                                             encoding):
    folder = tmp_path / encoding
    if encoding == "utf-16-be":
        # Python's utf-16-be writes no byte order mark: add the one Excel
        # writes.
        write_like_a_spreadsheet(folder, "utf-16-be")
        for path in folder.glob("*.csv"):
            path.write_bytes(b"\xfe\xff" + path.read_bytes())
    else:
        write_like_a_spreadsheet(folder, encoding)
    net, messages = read(folder)
    reference = maillage.read_folder(TESTDATA / "valid")
    assert_same_frames(net.to_frames(), reference.to_frames())
    # Accented names came through ("Mission locale Vénissieux").
    names = set(net.to_frames()["partners"]["name"].dropna())
    assert "Mission locale Vénissieux" in names
    text = "\n".join(messages)
    assert "';' as delimiter and ',' as decimal mark" in text
    if encoding in ("cp1252", "latin-1"):
        assert "Windows-1252 text (not UTF-8)" in text
    if encoding.startswith("utf-16"):
        assert "UTF-16" in text


def test_tab_delimited_unicode_text(tmp_path):
    folder = tmp_path / "tab"
    write_like_a_spreadsheet(folder, "utf-16", delimiter="\t",
                             decimal_comma=False)
    net, messages = read(folder)
    assert_same_frames(net.to_frames(),
                       maillage.read_folder(TESTDATA / "valid").to_frames())
    assert any("tab as delimiter" in m for m in messages)


def test_undefined_windows_1252_byte_is_refused_naming_the_file(tmp_path):
    folder = tmp_path / "bad"
    write_like_a_spreadsheet(folder, "cp1252")
    path = folder / "partners.csv"
    data = path.read_bytes()
    assert b"\xe9" in data  # the é of Vénissieux, in Windows-1252
    path.write_bytes(data.replace(b"\xe9", b"\x81", 1))
    with pytest.raises(maillage.InvalidDataError) as e:
        maillage.read_folder(folder)
    message = str(e.value)
    assert "partners.csv" in message
    assert "undefined in Windows-1252" in message
    assert "save the file as CSV UTF-8" in message


def test_digit_groups_are_refused_not_misread(tmp_path):
    folder = tmp_path / "groups"
    write_like_a_spreadsheet(folder, "utf-8")
    path = folder / "sites.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    lat = rows[0].index("lat")
    rows[1][lat] = "1.045,76"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    with pytest.raises(maillage.InvalidDataError) as e:
        maillage.read_folder(folder)
    assert "sites.csv:2:" in str(e.value)
