"""The analyst walkthrough of docs/python.md runs as written, and prints
what its text says."""

from __future__ import annotations

import re

import pandas as pd

import maillage

from conftest import WALKTHROUGH


def walkthrough() -> tuple[str, str]:
    """The walkthrough's python block and the text after it."""
    text = WALKTHROUGH.read_text(encoding="utf-8")
    section = text[text.index("\n## Analyst walkthrough\n"):]
    end = section.find("\n## ", 1)
    section = section if end < 0 else section[:end]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "one python block in the walkthrough"
    after = section[section.index(blocks[0]) + len(blocks[0]):]
    return blocks[0], " ".join(after.split())


def test_walkthrough(tmp_path, monkeypatch, capsys):
    code, text = walkthrough()
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__main__"}
    exec(compile(code, "docs/python.md#analyst-walkthrough", "exec"),
         namespace)
    out = capsys.readouterr().out
    for png in ("map.png", "coverage.png"):
        data = (tmp_path / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000, png

    # What the text says the walkthrough prints.
    plan = namespace["plan"]
    summary = ("<maillage.Plan: 1502 of 1670 people and 2672 of 4604 needs "
               "covered, 1932 unmatched>")
    assert summary in out and summary in text
    status = namespace["needs"]["status"].value_counts()
    assert (status["covered"], status["pinned"], status["unmatched"]) == (
        2332, 340, 1932)
    assert ("2332 covered by the plan, 340 met by a current or accepted "
            "support (pinned), 1932 unmatched") in text
    shares = namespace["by"].pivot(index="territory", columns="urgency",
                                   values="share_covered").round(2)
    assert shares.min().min() == 0.44 and shares.max().max() == 0.76
    assert shares.loc["marseille", 2] == 0.44
    assert shares.loc["strasbourg", 3] == 0.76
    assert "ranges from 0.44 (Marseille, urgency 2) to 0.76 (Strasbourg, " \
        "urgency 3)" in text
    waiting = namespace["waiting"]["suggested_service_id"].value_counts()
    services = plan.network.to_frames()["services"].set_index("service_id")
    first, second = waiting.index[:2]
    assert waiting.iloc[0] == 110 and waiting.iloc[1] == 59
    assert services.loc[first, "thematiques"].startswith("mobilite")
    assert "(110 needs wait for it), then a French course (59)" in text
    housing = plan.needs[(plan.needs["territory"] == "lyon")
                         & (plan.needs["category"] == "logement-hebergement")]
    assert (housing["status"] != "unmatched").sum() == 57
    assert len(housing) == 122
    assert "(57 of 122 housing needs covered)" in text

    diff = namespace["diff"]
    assert isinstance(diff, pd.DataFrame) and len(diff) > 0
    assert diff["covered_delta"].sum() == 36
    lyon = diff[diff["territory"] == "lyon"].set_index("theme")
    assert lyon.loc["logement-hebergement", "covered_delta"] == 20
    assert lyon.loc["mobilite", "covered_delta"] == 10
    assert "covers 36 more needs, mostly housing (20) and mobility (10)" in text
    change = namespace["per_need"]["change"].value_counts()
    assert (change["gained"], change["lost"], change["moved"]) == (37, 1, 16)
    assert "37 are gained and 1 lost" in text and "16 are met by" in text
    cause = namespace["per_need"]["cause"].value_counts()
    assert cause.to_dict() == {"replanned": 17}
    afresh = maillage.compare_needs(namespace["plan"], namespace["more"].allocate())
    assert (afresh["change"] == "moved").sum() == 29 and "29 move" in text

    # The spreadsheet files: a byte-order mark, ';' between cells.
    for name in ("assignments.csv", "unmatched.csv", "plan_needs.csv"):
        raw = (tmp_path / "plan_b" / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert b";" in raw.split(b"\n", 1)[0]
