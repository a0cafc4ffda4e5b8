"""Every file maillage writes, read back by independent readers: Python's
csv and json modules and pandas. Each CSV file has a header and rows of the
same number of fields, and its columns are those the documentation lists."""

from __future__ import annotations

import csv
import json
import subprocess

import pandas as pd
import pytest

import maillage

# The columns of plan.assignments, plan.unmatched and plan.needs: the plan
# files have the DataFrames' columns.
ASSIGNMENTS = ["person_id", "territory", "thematique", "category", "urgency",
               "service_id", "partner_id", "score", "capacity", "proximity",
               "complementarity", "distance_km", "remote", "pinned",
               "capacity_assumed"]
COUNTS = ["in_reach", "serving", "excluded_frais", "excluded_type",
          "excluded_public", "excluded_zone", "excluded_age", "excluded_reach",
          "excluded_refused"]
UNMATCHED = ["person_id", "territory", "thematique", "category", "urgency",
             "reason", "filter", "detail", "suggested_service_id",
             "suggested_partner_id", "distance_km"] + COUNTS
NEEDS = ["person_id", "territory", "site_id", "thematique", "category",
         "urgency", "status", "service_id", "service_name", "partner_id",
         "partner_name", "partner_kind", "score", "capacity", "proximity",
         "complementarity", "distance_km", "remote", "capacity_assumed",
         "reason", "filter", "suggested_service_id", "suggested_service_name",
         "suggested_partner_id"] + COUNTS
OPTIONS = ["person_id", "thematique", "rank", "service_id", "score",
           "capacity", "proximity", "complementarity", "distance_km",
           "capacity_known"]


def read_csv_strictly(path, header=None):
    """The rows of a CSV file, checked with the csv module: every row has
    the header's number of fields; pandas reads it to the same shape."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    assert rows, f"{path}: empty"
    if header is not None:
        assert rows[0] == header, path
    widths = {len(r) for r in rows}
    assert widths == {len(rows[0])}, f"{path}: rows of {sorted(widths)} fields"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == rows[0]
    assert len(frame) == len(rows) - 1
    return rows


def test_allocate_files(cli, tmp_path):
    net = tmp_path / "lyon"
    out = tmp_path / "plan"
    subprocess.run([cli, "generate", "--territory", "lyon", "--seed", "3",
                    "--out", str(net)], check=True, capture_output=True)
    subprocess.run([cli, "allocate", str(net), "--out", str(out)], check=True,
                   capture_output=True)
    assignments = read_csv_strictly(out / "assignments.csv", ASSIGNMENTS)
    unmatched = read_csv_strictly(out / "unmatched.csv", UNMATCHED)
    needs = read_csv_strictly(out / "plan_needs.csv", NEEDS)
    assert len(needs) == len(assignments) + len(unmatched) - 1
    col = {name: i for i, name in enumerate(ASSIGNMENTS)}
    pinned = [r for r in assignments[1:] if r[col["pinned"]] == "true"]
    # Generated services publish their places: nothing rests on an
    # assumed capacity.
    assert all(r[col["capacity_assumed"]] == "false" for r in assignments[1:])
    assert pinned, "the network has pinned supports"
    for r in pinned:
        # No score for a pinned support.
        assert r[col["score"]:col["complementarity"] + 1] == ["", "", "", ""]
        assert r[col["distance_km"]] == "" or float(r[col["distance_km"]]) >= 0
    status = {r[NEEDS.index("status")] for r in needs[1:]}
    assert status == {"covered", "pinned", "unmatched"}
    # The reasons are codes, the counts whole numbers or empty.
    u = {name: i for i, name in enumerate(UNMATCHED)}
    for r in unmatched[1:]:
        assert r[u["reason"]] in {"no_service_for_theme", "not_eligible",
                                  "out_of_reach", "capacity_full"}
        for c in COUNTS:
            assert r[u[c]] == "" or int(r[u[c]]) >= 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["needs"] == len(assignments) - 1 + len(unmatched) - 1
    assert summary["needs_pinned"] == len(pinned)
    frame = pd.read_csv(out / "assignments.csv")
    assert frame["pinned"].dtype == bool
    assert frame["capacity_assumed"].dtype == bool
    assert frame.loc[frame["pinned"], "score"].isna().all()


def test_demo_and_rank_files(cli, tmp_path):
    out = tmp_path / "demo"
    subprocess.run([cli, "demo", "--out", str(out)], check=True,
                   capture_output=True)
    read_csv_strictly(out / "options.csv", OPTIONS)
    read_csv_strictly(out / "assignments.csv", ASSIGNMENTS)
    read_csv_strictly(out / "unmatched.csv", UNMATCHED)
    json.loads((out / "summary.json").read_text(encoding="utf-8"))
    tables = maillage._frames.table_columns()
    for table, columns in tables.items():
        path = out / f"{table}.csv"
        if path.exists():
            read_csv_strictly(path, columns)
    person = pd.read_csv(out / "persons.csv", dtype=str)["person_id"][0]
    ranked = subprocess.run([cli, "rank", str(out), "--person", person],
                            check=True, capture_output=True, text=True).stdout
    (tmp_path / "rank.csv").write_text(ranked, encoding="utf-8")
    read_csv_strictly(tmp_path / "rank.csv", OPTIONS)


def test_python_writers(lyon, lyon_plan, tmp_path):
    lyon.write_folder(tmp_path / "net")
    for table, columns in maillage._frames.table_columns().items():
        path = tmp_path / "net" / f"{table}.csv"
        if path.exists():
            read_csv_strictly(path, columns)
    lyon_plan.write(tmp_path / "plan")
    read_csv_strictly(tmp_path / "plan" / "assignments.csv", ASSIGNMENTS)
    read_csv_strictly(tmp_path / "plan" / "unmatched.csv", UNMATCHED)
    read_csv_strictly(tmp_path / "plan" / "plan_needs.csv", NEEDS)
    assert list(lyon_plan.assignments.columns) == ASSIGNMENTS
    assert list(lyon_plan.unmatched.columns) == UNMATCHED
    assert list(lyon_plan.needs.columns) == NEEDS
    summary = json.loads((tmp_path / "plan" / "summary.json").read_text())
    assert summary == lyon_plan.summary | {"seconds": summary["seconds"]}
