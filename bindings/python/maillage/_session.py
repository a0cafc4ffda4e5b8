"""Session: referrals day after day, in a durable journal.

A :class:`Session` is a territory's plan kept optimal as events come
(arrivals, departures, needs, capacities, referrals sent, accepted, refused,
expired, started, completed, cancelled), each one written to a SQLite journal
before :meth:`Session.apply` returns. The CLI's ``maillage session`` commands
and the C++ ``maillage::Journal`` open the same files. See docs/session.md.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Union

import pandas as pd

from . import _core
from ._network import Network, PathLike

__all__ = ["Session", "EVENT_COLUMNS"]

#: The columns of an events file, in order.
EVENT_COLUMNS = ("time", "event", "event_id", "person_id", "site_id",
                 "insee_com", "lat", "lng", "age", "publics",
                 "max_distance_km", "thematique", "urgency", "service_id",
                 "places", "reason")
_INTEGER_COLUMNS = ("age", "urgency", "places")

_HISTORY_DTYPES = {
    "seq": "int64", "event": "string", "origin": "string",
    "event_id": "string", "person_id": "string", "thematique": "string",
    "service_id": "string", "partner_id": "string", "reason": "string",
    "urgency": "Int64", "places": "Int64", "from_service_id": "string",
}


def _events_csv(events: pd.DataFrame) -> str:
    """The frame as an events file: times written with their offset, whole
    numbers without a decimal point, lists joined with ``|``."""
    unknown = [c for c in events.columns if c not in EVENT_COLUMNS]
    if unknown:
        raise ValueError(f"unknown event columns {unknown}; the columns: "
                         f"{', '.join(EVENT_COLUMNS)}")
    frame = events.copy()
    if "time" in frame.columns and pd.api.types.is_datetime64_any_dtype(frame["time"]):
        if getattr(frame["time"].dt, "tz", None) is None:
            raise ValueError("time: datetimes without a time zone; localize "
                             "them (Series.dt.tz_localize) so that each time "
                             "says its offset")
        frame["time"] = frame["time"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f%z").str.replace(
            r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True)
    for c in _INTEGER_COLUMNS:
        if c in frame.columns and pd.api.types.is_float_dtype(frame[c]):
            whole = frame[c].dropna()
            if not (whole == whole.round()).all():
                raise ValueError(f"{c}: not whole numbers")
            frame[c] = frame[c].astype("Int64")
    if "publics" in frame.columns:
        frame["publics"] = frame["publics"].map(
            lambda v: "|".join(v) if isinstance(v, (list, tuple)) else v)
    return frame.to_csv(index=False)


class Session:
    """A plan kept optimal as referral events come, in a journal file.

    ``Session(path)`` opens a journal to apply events (one writer at a
    time); ``Session(path, read_only=True)`` reads one that another process
    may be writing. :meth:`create` makes a new journal for a network.

    Reprs and messages hold ids and counts, never a person's values.
    """

    __slots__ = ("_core", "_read_only")

    def __init__(self, path: PathLike, *, read_only: bool = False) -> None:
        self._core = _core.open_journal(os.fspath(path), bool(read_only))
        self._read_only = bool(read_only)

    @classmethod
    def create(cls, path: PathLike, network: Network, *,
               expiry_days: float = 30.0) -> "Session":
        """A new journal at ``path`` (which must not exist) for ``network``,
        with its optimal plan. A sent referral without an answer expires
        ``expiry_days`` after it was sent (les emplois de l'inclusion: 30),
        at the next ``expire`` event without a person."""
        if not isinstance(network, Network):
            raise TypeError("network must be a maillage.Network")
        self = cls.__new__(cls)
        self._core = _core.create_journal(os.fspath(path), network._core,
                                          float(expiry_days))
        self._read_only = False
        return self

    def apply(self, events: Union[pd.DataFrame, PathLike]) -> pd.DataFrame:
        """Applies events, in order, each written before the next one runs.

        ``events``: a DataFrame with the columns of an events file (see
        :data:`EVENT_COLUMNS`; ``time`` as RFC 3339 text with its offset or
        as time-zone-aware datetimes), or the path of an events CSV file.

        Returns one row per event: ``record`` (its row in the frame or
        record in the file, from 0), ``line`` (in the CSV text), ``event_id``,
        ``status`` (``applied``, ``skipped``: its event_id was already in the
        journal, ``rejected``: nothing of it was applied), ``seq`` (its
        position in the journal) and ``message`` (why it was rejected).
        """
        if self._read_only:
            raise ValueError("the session is open read-only")
        if isinstance(events, pd.DataFrame):
            text = _events_csv(events)
        else:
            with open(os.fspath(events), "rb") as f:
                text = f.read().decode("utf-8-sig")
        out = pd.DataFrame(self._core.apply(text))
        return out.astype({"record": "int64", "line": "int64",
                           "event_id": "string", "status": "string",
                           "seq": "Int64", "message": "string"})

    def plan(self) -> pd.DataFrame:
        """The current plan: every open or pinned need of the people present,
        with ``referral_state`` (``proposed``, ``sent``, ``accepted``,
        ``started``; empty when unmatched), ``service_id``, ``partner_id``
        and ``pinned``."""
        frame = pd.DataFrame(self._core.plan())
        return frame.astype({"person_id": "string", "thematique": "string",
                             "urgency": "int64", "referral_state": "string",
                             "service_id": "string", "partner_id": "string",
                             "pinned": "bool"})

    def write_plan(self, folder: PathLike) -> None:
        """Writes ``session_plan.csv`` and ``session_summary.json``, as
        ``maillage session plan`` does."""
        self._core.write_plan(os.fspath(folder))

    def history(self, person_id: Optional[str] = None) -> pd.DataFrame:
        """Every event written, in order; each referral that an ``expire``
        event without person expired (``origin`` ``due``); and each need
        whose service an event changed (``event`` ``change``, ``origin``
        ``plan``, from ``from_service_id`` to ``service_id``), after the
        event that caused it. With the partner of each service; ``time`` is
        a UTC datetime."""
        frame = pd.DataFrame(self._core.history(person_id or ""))
        frame = frame.replace({"": pd.NA}).astype(_HISTORY_DTYPES)
        frame["time"] = pd.to_datetime(frame["time"], utc=True)
        return frame

    def changes(self) -> pd.DataFrame:
        """What each event changed in the plan: one row per need whose
        service changed, with the event that caused it (``cause``,
        ``cause_person_id``, ``cause_thematique``) and ``moved`` (True when
        it went from one service to another, False when it was covered,
        uncovered or pinned). The session re-plans stably: no need moves
        without a gain on a level of the objective."""
        h = self.history()
        events = h[h["origin"] == "event"][["seq", "event", "person_id", "thematique"]]
        events = events.rename(columns={"event": "cause", "person_id": "cause_person_id",
                                        "thematique": "cause_thematique"})
        c = h[h["origin"] == "plan"].drop(columns=["event", "origin", "event_id",
                                                    "reason", "urgency", "places"])
        out = c.merge(events, on="seq", how="left")
        out["moved"] = out["from_service_id"].notna() & out["service_id"].notna()
        return out[["seq", "time", "cause", "cause_person_id", "cause_thematique",
                    "person_id", "thematique", "from_service_id", "service_id",
                    "partner_id", "moved"]].reset_index(drop=True)

    def placement_times(self) -> pd.DataFrame:
        """Per theme, the time from a need's first referral sent to its
        start at a service: ``started`` (needs), ``median_days``,
        ``mean_days``, ``max_days`` and ``referrals_per_start`` (sends per
        start, refused and expired ones included)."""
        h = self.history()
        cols = ["thematique", "started", "median_days", "mean_days",
                "max_days", "referrals_per_start"]
        sends = h[h["event"] == "send"]
        starts = h[h["event"] == "start"]
        if starts.empty:
            return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}).astype(
                {"thematique": "string", "started": "int64"})
        key = ["person_id", "thematique"]
        rows = []
        # Each start closes an episode that began at the first send after
        # the previous start of that need.
        for (person, theme), st in starts.groupby(key, sort=False):
            se = sends[(sends["person_id"] == person) & (sends["thematique"] == theme)]
            previous = pd.Timestamp.min.tz_localize("UTC")
            for t in st["time"]:
                episode = se[(se["time"] > previous) & (se["time"] <= t)]
                if not episode.empty:
                    rows.append((theme, (t - episode["time"].min()).total_seconds() / 86400,
                                 len(episode)))
                previous = t
        per = pd.DataFrame(rows, columns=["thematique", "days", "sends"])
        out = per.groupby("thematique").agg(
            started=("days", "size"), median_days=("days", "median"),
            mean_days=("days", "mean"), max_days=("days", "max"),
            referrals_per_start=("sends", "mean")).reset_index()
        return out.astype({"thematique": "string", "started": "int64"})

    def refusal_rates(self) -> pd.DataFrame:
        """Per partner and refusal reason: ``sent`` (referrals sent to the
        partner's services), ``refused`` (with that reason) and ``rate``
        (refused / sent)."""
        h = self.history()
        sent = h[h["event"] == "send"].groupby("partner_id").size().rename("sent")
        refused = (h[h["event"] == "refuse"].assign(reason=lambda f: f["reason"].fillna("other"))
                   .groupby(["partner_id", "reason"]).size().rename("refused").reset_index())
        out = refused.merge(sent.reset_index(), on="partner_id", how="left")
        out["sent"] = out["sent"].fillna(0).astype("int64")
        out["rate"] = out["refused"] / out["sent"].where(out["sent"] > 0)
        return out[["partner_id", "reason", "sent", "refused", "rate"]].astype(
            {"partner_id": "string", "reason": "string", "refused": "int64"})

    def expired(self) -> pd.DataFrame:
        """The referrals that expired: by an ``expire`` event naming the
        need (``origin`` ``event``) or because they were due (``due``)."""
        h = self.history()
        return h[(h["event"] == "expire") & h["person_id"].notna()].reset_index(drop=True)

    @property
    def objective(self) -> dict[str, int]:
        """The levels of the current plan (people and needs covered, needs
        pinned, urgency, score) and its flow cost."""
        return dict(self._core.objective())

    def compact(self) -> None:
        """Writes a snapshot, so that opening the journal replays nothing."""
        if self._read_only:
            raise ValueError("the session is open read-only")
        self._core.compact()

    def erase(self, person_id: str) -> int:
        """Removes every trace of a person who has left (right to erasure):
        the journal is rebuilt without them. Returns the number of their
        events removed. KeyError for an unknown person_id; ValueError if
        the person has not left."""
        return int(self._core.erase(str(person_id)))

    @property
    def path(self) -> str:
        return self._core.path

    @property
    def last_seq(self) -> int:
        """The position of the last event written."""
        return int(self._core.last_seq)

    @property
    def snapshot_seq(self) -> int:
        return int(self._core.snapshot_seq)

    @property
    def expiry_days(self) -> float:
        return float(self._core.expiry_days)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def __repr__(self) -> str:
        mode = ", read-only" if self._read_only else ""
        return (f"Session({self.path!r}{mode}: {self.last_seq} events, "
                f"{self._core.num_people} people, {self._core.num_needs} needs)")
