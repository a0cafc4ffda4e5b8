"""The analyst walkthrough of docs/python.md runs as written."""

from __future__ import annotations

import re

import pandas as pd

from conftest import WALKTHROUGH


def walkthrough() -> str:
    text = WALKTHROUGH.read_text(encoding="utf-8")
    section = text[text.index("\n## Analyst walkthrough\n"):]
    end = section.find("\n## ", 1)
    section = section if end < 0 else section[:end]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "one python block in the walkthrough"
    return blocks[0]


def test_walkthrough(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__main__"}
    exec(compile(walkthrough(), "docs/python.md#analyst-walkthrough", "exec"),
         namespace)
    for png in ("map.png", "coverage.png"):
        data = (tmp_path / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000, png
    diff = namespace["diff"]
    assert isinstance(diff, pd.DataFrame) and len(diff) > 0
    assert diff["covered_delta"].sum() > 0  # the added places are used
    out = capsys.readouterr().out
    # What docs/python.md says the walkthrough prints.
    assert ("<maillage.Plan: 1502 of 1670 people and 2672 of 4604 needs "
            "covered, 1932 unmatched>") in out
    assert diff["covered_delta"].sum() == 36
