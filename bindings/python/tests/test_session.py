"""maillage.Session: a plan kept as referral events come, in a journal that
Python's sqlite3, pandas, csv and json read back as the docs say."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess

import pandas as pd
import pytest

import maillage


def _proposed(session: maillage.Session, n: int) -> pd.DataFrame:
    plan = session.plan()
    return plan[plan["referral_state"] == "proposed"].head(n).reset_index(drop=True)


def _events(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(maillage.EVENT_COLUMNS))


@pytest.fixture
def journal(tmp_path, lyon) -> maillage.Session:
    return maillage.Session.create(tmp_path / "lyon.journal", lyon, expiry_days=10)


def test_a_referral_lives_and_the_history_tells_it(journal, tmp_path):
    needs = _proposed(journal, 3)
    a, b, c = (needs.iloc[i] for i in range(3))
    t0 = pd.Timestamp("2026-12-01T09:00:00Z")
    day = pd.Timedelta(days=1)
    ev = _events([
        {"time": t0, "event": "send", "event_id": "e1", "person_id": a.person_id,
         "thematique": a.thematique},
        {"time": t0 + day, "event": "accept", "event_id": "e2",
         "person_id": a.person_id, "thematique": a.thematique},
        {"time": t0 + 3 * day, "event": "start", "event_id": "e3",
         "person_id": a.person_id, "thematique": a.thematique},
        {"time": t0, "event": "send", "event_id": "e4", "person_id": b.person_id,
         "thematique": b.thematique},
        {"time": t0 + day, "event": "refuse", "event_id": "e5",
         "person_id": b.person_id, "thematique": b.thematique,
         "reason": "not_eligible"},
        {"time": t0, "event": "send", "event_id": "e6", "person_id": c.person_id,
         "thematique": c.thematique},
        {"time": t0 + 11 * day, "event": "expire", "event_id": "e7"},
        {"time": t0 + 11 * day, "event": "start", "event_id": "e8",
         "person_id": "p-nobody", "thematique": "sante"},
    ])
    out = journal.apply(ev)
    assert list(out["status"]) == ["applied"] * 7 + ["rejected"]
    assert list(out["record"]) == list(range(8))
    assert "p-nobody" in out["message"].iloc[7]
    assert journal.last_seq == 7
    # The same frame again: every event keeps its first answer.
    again = journal.apply(ev)
    assert list(again["status"]) == ["skipped"] * 7 + ["rejected"]
    assert journal.last_seq == 7

    plan = journal.plan().set_index(["person_id", "thematique"])
    assert plan.loc[(a.person_id, a.thematique), "referral_state"] == "started"
    assert plan.loc[(a.person_id, a.thematique), "service_id"] == a.service_id
    assert bool(plan.loc[(a.person_id, a.thematique), "pinned"])
    assert plan.loc[(b.person_id, b.thematique), "service_id"] != b.service_id
    assert plan.loc[(c.person_id, c.thematique), "referral_state"] != "sent"

    h = journal.history()
    assert str(h["time"].dt.tz) == "UTC"
    assert list(h.columns) == ["seq", "time", "event", "origin", "event_id",
                               "person_id", "thematique", "service_id",
                               "partner_id", "reason", "urgency", "places",
                               "from_service_id"]
    # The plan's changes follow the event that caused them.
    changes = journal.changes()
    mine = changes[(changes["person_id"] == b.person_id) & (changes["thematique"] == b.thematique)]
    assert (mine["cause"] == "refuse").any()
    due = h[h["origin"] == "due"]
    assert list(due["person_id"]) == [c.person_id]
    assert due["service_id"].iloc[0] == c.service_id
    assert journal.history(a.person_id)["event"].tolist()[:3] == ["send", "accept", "start"]

    times = journal.placement_times().set_index("thematique")
    assert times.loc[a.thematique, "started"] == 1
    assert times.loc[a.thematique, "median_days"] == pytest.approx(3.0)
    rates = journal.refusal_rates()
    row = rates[rates["reason"] == "not_eligible"].iloc[0]
    assert row["refused"] == 1 and row["sent"] >= 1 and 0 < row["rate"] <= 1
    expired = journal.expired()
    assert list(expired["person_id"]) == [c.person_id]

    # Reopened, read-only or not: the same plan.
    path = journal.path
    reader = maillage.Session(path, read_only=True)
    pd.testing.assert_frame_equal(reader.plan(), journal.plan())
    assert reader.objective == journal.objective
    with pytest.raises(ValueError, match="read-only"):
        reader.apply(ev.head(1))
    del journal
    writer = maillage.Session(path)
    pd.testing.assert_frame_equal(writer.plan(), reader.plan())
    assert "people" in repr(writer) and a.person_id not in repr(writer)


def test_a_closed_service_moves_its_needs_and_says_why(journal):
    plan = journal.plan()
    busy = plan[plan["referral_state"] == "proposed"]["service_id"].value_counts().index[0]
    proposed = plan[(plan["service_id"] == busy) & ~plan["pinned"]]
    held = set(proposed["person_id"])
    journal.apply(_events([{"time": "2026-12-01T09:00:00Z", "event": "capacity",
                            "event_id": "k1", "service_id": busy, "places": 0}]))
    changes = journal.changes()
    assert len(changes) > 0
    assert (changes["cause"] == "capacity").all() and (changes["seq"] == 1).all()
    # Every need of the closed service changed; a few others may follow in
    # a chain, each for a gain (the tests of the C++ library check that).
    assert held <= set(changes["person_id"])
    assert (changes["from_service_id"] == busy).sum() == len(proposed)
    after = journal.plan()
    assert busy not in set(after[~after["pinned"]]["service_id"].dropna())
    # Only the needs that had to leave changed.
    before = plan.set_index(["person_id", "thematique"])["service_id"]
    now = after.set_index(["person_id", "thematique"])["service_id"]
    differ = [k for k in now.index if str(now[k]) != str(before.get(k))]
    assert len(differ) == len(changes)


def test_the_journal_is_sqlite_as_documented(journal):
    plan = _proposed(journal, 1)
    journal.apply(_events([{
        "time": "2026-12-01T10:00:00+01:00", "event": "send", "event_id": "x1",
        "person_id": plan.person_id[0], "thematique": plan.thematique[0]}]))
    journal.compact()
    db = sqlite3.connect(f"file:{journal.path}?mode=ro", uri=True)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"meta", "network", "events", "expiries", "changes", "snapshots",
                      "rejected"}
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["format"] == "maillage session journal"
    assert int(meta["expiry_seconds"]) == 10 * 86400
    row = db.execute("SELECT seq, time, event, event_id, person_id, service_id "
                     "FROM events").fetchall()
    # Times are written in UTC, the service a send went to with it.
    assert row == [(1, "2026-12-01T09:00:00Z", "send", "x1", plan.person_id[0],
                    plan.service_id[0])]
    files = {r[0] for r in db.execute("SELECT file FROM network")}
    assert {"persons.csv", "needs.csv", "services.csv"} <= files
    assert db.execute("SELECT MAX(seq) FROM snapshots").fetchone()[0] == 1
    db.close()


def test_bad_input_is_refused_with_nothing_applied(journal):
    naive = _events([{"time": pd.Timestamp("2026-12-01T09:00"), "event": "expire"}])
    with pytest.raises(ValueError, match="time zone"):
        journal.apply(naive)
    with pytest.raises(ValueError, match="unknown event columns"):
        journal.apply(pd.DataFrame({"time": ["2026-12-01T09:00:00Z"],
                                    "event": ["expire"], "colour": ["red"]}))
    out = journal.apply(_events([
        {"time": "2026-12-01", "event": "expire"},
        {"time": "2026-12-01T09:00:00Z", "event": "capacity",
         "service_id": "nope", "places": 2},
        {"time": "2026-12-01T09:00:00Z", "event": "leave", "person_id": "x",
         "age": 40},
    ]))
    assert list(out["status"]) == ["rejected"] * 3
    assert "time" in out["message"][0]
    assert "no service" in out["message"][1]
    assert "age" in out["message"][2] and "40" not in out["message"][2]
    assert journal.last_seq == 0
    with pytest.raises(FileNotFoundError):
        maillage.Session(journal.path + ".missing")
    with pytest.raises(FileExistsError):
        maillage.Session.create(journal.path, maillage.generate(territory="lyon", seed=3))


def test_erasure_leaves_nothing_in_the_file(journal, lyon):
    person = lyon.to_frames()["persons"]["person_id"].iloc[5]
    plan = journal.plan()
    theme = plan[plan["person_id"] == person]["thematique"].iloc[0]
    journal.apply(_events([
        {"time": "2026-12-01T09:00:00Z", "event": "add-need", "event_id": "n1",
         "person_id": person, "thematique": "mobilite", "urgency": 2},
        {"time": "2026-12-01T09:01:00Z", "event": "close-need", "event_id": "n2",
         "person_id": person, "thematique": theme},
    ]))
    with pytest.raises(ValueError, match="has not left"):
        journal.erase(person)
    with pytest.raises(KeyError):
        journal.erase("p-nobody")
    journal.apply(_events([{"time": "2026-12-02T09:00:00Z", "event": "leave",
                            "event_id": "n3", "person_id": person}]))
    assert journal.erase(person) == 3
    with open(journal.path, "rb") as f:
        assert person.encode() not in f.read()
    assert journal.history(person).empty
    db = sqlite3.connect(f"file:{journal.path}?mode=ro", uri=True)
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    persons = db.execute("SELECT text FROM network WHERE file='persons.csv'").fetchone()[0]
    assert person not in persons
    db.close()


def test_cli_session_files_read_back(cli, tmp_path, lyon):
    net = tmp_path / "net"
    lyon.write_folder(net)
    j = tmp_path / "cli.journal"
    run = lambda *a: subprocess.run([cli, "session", *a], capture_output=True, text=True)
    r = run("init", str(net), "--journal", str(j), "--expiry-days", "20")
    assert r.returncode == 0, r.stderr
    s = maillage.Session(j, read_only=True)
    first = _proposed(s, 1).iloc[0]
    del s
    events = tmp_path / "events.csv"
    _events([
        {"time": "2026-12-01T09:00:00Z", "event": "send", "event_id": "c1",
         "person_id": first.person_id, "thematique": first.thematique},
        {"time": "2026-12-01T09:00:00Z", "event": "sned", "event_id": "c2"},
        {"time": "2026-12-02T09:00:00Z", "event": "accept", "event_id": "c3",
         "person_id": first.person_id, "thematique": first.thematique},
    ]).to_csv(events, index=False)
    r = run("apply", str(j), str(events))
    assert r.returncode == 1
    assert "2 applied" in r.stdout and "1 rejected" in r.stdout
    assert f"{events}:line 3: event: unknown event 'sned'" in r.stderr
    out = tmp_path / "plan"
    r = run("plan", str(j), "--out", str(out))
    assert r.returncode == 0, r.stderr
    with open(out / "session_plan.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    frame = pd.read_csv(out / "session_plan.csv", dtype={"service_id": "string"})
    assert len(rows) == len(frame)
    mine = [r for r in rows if r["person_id"] == first.person_id
            and r["thematique"] == first.thematique]
    assert mine[0]["referral_state"] == "accepted" and mine[0]["pinned"] == "true"
    summary = json.loads((out / "session_summary.json").read_text())
    assert summary["last_seq"] == 2 and summary["expiry_days"] == 20
    assert summary["needs"] == len(frame)
    assert summary["needs_covered"] == int(frame["service_id"].notna().sum())
    r = run("history", str(j), "--person", first.person_id)
    assert r.returncode == 0, r.stderr
    hist = list(csv.DictReader(r.stdout.splitlines()))
    assert [h["event"] for h in hist] == ["send", "accept"]
    assert hist[0]["partner_id"] != ""
