"""Comparing two plans of the same people: per need, and per territory and
theme.

Needs are matched by (person_id, thematique). That is only meaningful when
an id names the same person in both plans, as in the plans of two scenarios
of one network (:meth:`Network.with_capacity`, :meth:`Network.without`).
Two generated networks of different seeds, or two exports of a folder whose
ids were reassigned, reuse ids for other people: :func:`compare` and
:func:`compare_needs` refuse them, or with ``common=True`` compare only the
people identical in both and say how many were left out.

A person is the same in both plans when their ``site_id``, home commune
(``insee_com``), ``age``, ``publics`` (in any order) and set of needs
(theme and urgency of each) are equal. Their location, reach
(``max_distance_km``) and supports may differ: those are what scenarios
change.
"""

from __future__ import annotations

import warnings
from typing import Optional

import pandas as pd

from ._network import DataWarning
from ._plan import Plan

__all__ = ["compare", "compare_needs", "CHANGES", "REASONS", "STATUSES"]

REASONS = ("no_service_for_theme", "not_eligible", "out_of_reach",
           "capacity_full")

# The values of compare_needs' status_a / status_b and change columns.
STATUSES = ("covered", "pinned", "unmatched")
CHANGES = ("gained", "lost", "moved", "same", "still_unmatched")

# What must be equal for an id to name the same person in both plans, and
# the words the messages use for them.
_IDENTITY = (("site_id", "site"), ("insee_com", "commune"), ("age", "age"),
             ("publics", "publics"), ("needs", "needs"))

_NEED_COLUMNS = ["person_id", "territory", "thematique", "category",
                 "urgency", "status_a", "status_b", "service_id_a",
                 "service_id_b", "reason_a", "reason_b", "change", "cause"]


def _causes(both: pd.DataFrame, plan_a: Plan, plan_b: Plan) -> pd.Series:
    """Why each moved or lost need left its service: ``service_removed``
    (not in B's network), ``places_cut`` (fewer places there in B),
    ``option_gone`` (no longer an option of the need in B), else
    ``replanned`` (the plan moved it: for a gain on a level when B was
    allocated with ``previous=plan_a``)."""
    cause = pd.Series(None, index=both.index, dtype=object)
    left = both["change"].isin(["moved", "lost"]) & both["service_id_a"].notna()
    if not left.any():
        return cause
    def places(plan: Plan) -> dict:
        services = plan.network.to_frames()["services"]
        return dict(zip(services["service_id"],
                        services["capacity_available"].astype("Float64")))
    places_a, places_b = places(plan_a), places(plan_b)
    options: dict = {}
    for i in both.index[left]:
        service = both.at[i, "service_id_a"]
        if service not in places_b:
            cause[i] = "service_removed"
            continue
        pa, pb = places_a.get(service), places_b.get(service)
        if pd.notna(pa) and pd.notna(pb) and pb < pa:
            cause[i] = "places_cut"
            continue
        key = (both.at[i, "person_id"], both.at[i, "thematique"])
        if key not in options:
            ranked = plan_b.network.rank(key[0], key[1], k=1_000_000)
            options[key] = set(ranked["service_id"])
        cause[i] = "replanned" if service in options[key] else "option_gone"
    return cause


def _check_plans(plan_a: Plan, plan_b: Plan) -> None:
    for name, plan in (("plan_a", plan_a), ("plan_b", plan_b)):
        if not isinstance(plan, Plan):
            raise TypeError(f"{name} must be a maillage.Plan, not "
                            f"{type(plan).__name__}")


def _identities(frames: dict) -> pd.DataFrame:
    # One row per person, indexed by person_id, with the attributes of
    # _IDENTITY but needs as comparable strings.
    persons = frames["persons"].set_index("person_id")
    out = pd.DataFrame(index=persons.index)
    out["site_id"] = persons["site_id"].astype("string").fillna("")
    out["insee_com"] = persons["insee_com"].astype("string").fillna("")
    out["age"] = persons["age"].astype("string").fillna("")
    out["publics"] = persons["publics"].map(
        lambda cell: "|".join(sorted(str(cell).split("|")))
        if isinstance(cell, str) else "")
    return out


def _needs_differ(frames_a: dict, frames_b: dict) -> pd.Index:
    # The people with a need (theme, urgency) in one network only.
    columns = ["person_id", "thematique", "urgency"]
    a = frames_a["needs"][columns].astype({"urgency": "int64"})
    b = frames_b["needs"][columns].astype({"urgency": "int64"})
    both = a.merge(b, on=columns, how="outer", indicator=True)
    return pd.Index(both.loc[both["_merge"] != "both", "person_id"].unique())


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def _same_people(plan_a: Plan, plan_b: Plan, common: bool, caller: str
                 ) -> tuple[Optional[set], list[str], list[str]]:
    """The ids of the people identical in both plans (None: all of them,
    the plans allocate one network), and the sorted ids left out of each;
    raises ValueError when some differ and not ``common``."""
    if plan_a.network._core is plan_b.network._core:
        return None, [], []
    frames_a = plan_a.network.to_frames()
    frames_b = plan_b.network.to_frames()
    a = _identities(frames_a)
    b = _identities(frames_b)
    shared = a.index.intersection(b.index)
    only_a = a.index.difference(b.index)
    only_b = b.index.difference(a.index)
    differs = {}
    any_differs = pd.Series(False, index=shared, dtype=bool)
    for column, word in _IDENTITY:
        if column == "needs":
            unequal = pd.Series(shared.isin(_needs_differ(frames_a, frames_b)),
                                index=shared)
        else:
            unequal = a.loc[shared, column] != b.loc[shared, column]
        differs[word] = int(unequal.sum())
        any_differs |= unequal
    differing = shared[any_differs.to_numpy(dtype=bool)]
    same = set(shared.difference(differing))
    if len(only_a) == len(only_b) == len(differing) == 0:
        return same, [], []
    which = ", ".join(f"{word} {n}" for word, n in differs.items() if n)
    facts = (f"ids in both plans whose people differ: {len(differing)} of "
             f"{len(shared)}" + (f" ({which})" if which else "")
             + f"; ids only in plan_a: {len(only_a)}; ids only in plan_b: "
             f"{len(only_b)}")
    if not common:
        raise ValueError(
            f"{caller}: plan_a and plan_b are not plans of the same people: "
            f"{facts}. Needs are matched by person id, so different people "
            "would be compared as if they were the same. Compare plans of "
            "scenarios of one network (with_capacity, without), or pass "
            "common=True to compare only the people identical in both "
            f"({len(same)} here).")
    dropped_a = sorted(str(p) for p in a.index if p not in same)
    dropped_b = sorted(str(p) for p in b.index if p not in same)
    warnings.warn(
        f"{caller}: common=True: compared the {_people(len(same))} identical "
        f"in both plans, left out {len(dropped_a)} of the {_people(len(a))} "
        f"of plan_a and {len(dropped_b)} of the {len(b)} of plan_b, whose "
        "ids are in the result's attrs['dropped_people_a'] and "
        f"attrs['dropped_people_b'] ({facts})", DataWarning, stacklevel=4)
    return same, dropped_a, dropped_b


def _need_states(plan: Plan, people: Optional[set]) -> pd.DataFrame:
    # One row per need of the people kept: its status, service and reason.
    needs = plan._table("needs")[[
        "person_id", "territory", "thematique", "category", "urgency",
        "status", "service_id", "reason"]]
    if people is None:
        return needs
    return needs[needs["person_id"].isin(people)]


def _compare_needs(plan_a: Plan, plan_b: Plan, common: bool,
                   caller: str) -> pd.DataFrame:
    _check_plans(plan_a, plan_b)
    people, dropped_a, dropped_b = _same_people(plan_a, plan_b, common, caller)
    a = _need_states(plan_a, people)
    b = _need_states(plan_b, people)
    both = a.merge(b[["person_id", "thematique", "status", "service_id",
                      "reason"]],
                   on=["person_id", "thematique"], how="outer",
                   suffixes=("_a", "_b"), validate="one_to_one",
                   indicator=True)
    # Identical people have identical needs, and a plan lists each need of
    # its network once.
    assert (both["_merge"] == "both").all()
    covered_a = both["status_a"] != "unmatched"
    covered_b = both["status_b"] != "unmatched"
    change = pd.Series("still_unmatched", index=both.index, dtype=object)
    change[~covered_a & covered_b] = "gained"
    change[covered_a & ~covered_b] = "lost"
    change[covered_a & covered_b] = "same"
    change[covered_a & covered_b
           & (both["service_id_a"] != both["service_id_b"])] = "moved"
    both["change"] = change
    both["cause"] = _causes(both, plan_a, plan_b)
    out = (both[_NEED_COLUMNS]
           .sort_values(["territory", "person_id", "thematique"])
           .reset_index(drop=True))
    for column in ("service_id_a", "service_id_b", "reason_a", "reason_b"):
        out[column] = out[column].astype(object).where(out[column].notna(),
                                                       None)
    out["urgency"] = out["urgency"].astype("int64")
    out.attrs["dropped_people_a"] = dropped_a
    out.attrs["dropped_people_b"] = dropped_b
    return out


def compare_needs(plan_a: Plan, plan_b: Plan, *,
                  common: bool = False) -> pd.DataFrame:
    """What happened to each need from ``plan_a`` to ``plan_b``.

    Parameters:

    - ``plan_a``, ``plan_b``: two :class:`Plan` of the same people (see the
      module's documentation for what makes a person the same), typically
      of two scenarios of one network.
    - ``common``: False (default) raises ValueError, with counts only, when
      some person id is in one plan only or names people who differ; True
      compares only the people identical in both, issues a
      :class:`DataWarning` saying how many were left out of each plan, and
      lists their ids in the result's ``attrs["dropped_people_a"]`` and
      ``attrs["dropped_people_b"]`` (empty lists when nobody was).

    One row per need of the people compared, sorted by territory, person
    and theme, with the columns:

    - ``person_id``, ``territory``, ``thematique``, ``category`` (the
      theme's data·inclusion category), ``urgency`` (1..3);
    - ``status_a``, ``status_b``: ``covered`` (a place given by the plan),
      ``pinned`` (met by a current or accepted support) or ``unmatched``;
    - ``service_id_a``, ``service_id_b``: the service meeting the need, None
      when unmatched;
    - ``reason_a``, ``reason_b``: why the need is unmatched
      (``no_service_for_theme``, ``not_eligible``, ``out_of_reach``,
      ``capacity_full``), None when met;
    - ``change``: ``gained`` (unmatched in A, met in B), ``lost`` (met in A,
      unmatched in B), ``moved`` (met in both by different services),
      ``same`` (met in both by the same service, pinned or not) or
      ``still_unmatched`` (unmatched in both, the reason may differ);
    - ``cause``, for a need moved or lost: ``service_removed`` (its service
      is not in B's network), ``places_cut`` (its service has fewer places
      in B), ``option_gone`` (the service is no longer an option of the need
      in B, by B's default ranking), else ``replanned``: the plan moved it.
      With ``plan_b = network_b.allocate(previous=plan_a)`` a replanned
      need moved for a gain on a level (another need or person covered, an
      urgent need, a better score); without it, it may also be a tie that
      the solver broke otherwise. None for the other changes.

    Like :attr:`Plan.unmatched`, the rows are personal (pseudonymous ids);
    :func:`compare` gives the aggregates.
    """
    return _compare_needs(plan_a, plan_b, bool(common), "compare_needs")


def compare(plan_a: Plan, plan_b: Plan, *, by: str = "category",
            common: bool = False) -> pd.DataFrame:
    """What changed from ``plan_a`` to ``plan_b``, per territory and theme.

    Parameters:

    - ``plan_a``, ``plan_b``: two :class:`Plan` of the same people,
      typically of two scenarios of one network; needs are matched by
      (person_id, thematique).
    - ``by``: ``"category"`` (the 16 data·inclusion categories, default) or
      ``"thematique"`` (the themes as the needs name them).
    - ``common``: as in :func:`compare_needs`: False raises ValueError when
      the plans are not of the same people; True compares the people
      identical in both, warns (:class:`DataWarning`) and lists those left
      out in ``attrs["dropped_people_a"]`` and ``attrs["dropped_people_b"]``.

    One row per (territory, theme) with a need in the plans, sorted, with
    the columns:

    - ``territory``, ``theme``;
    - ``needs_a``, ``needs_b``: needs in each plan (equal: the same people);
    - ``covered_a``, ``covered_b``, ``covered_delta`` (b - a): needs with a
      place (pinned supports included);
    - ``unmatched_a``, ``unmatched_b``, ``unmatched_delta``;
    - ``gained``: needs unmatched in A and covered in B; ``lost``: covered
      in A and unmatched in B; ``moved``: covered in both by different
      services (the ``change`` of :func:`compare_needs`, counted);
    - ``<reason>_delta`` for each unmatched reason (``capacity_full_delta``
      ...): change in the needs left unmatched for that reason.
    """
    if by not in ("category", "thematique"):
        raise ValueError("by must be 'category' or 'thematique'")
    needs = _compare_needs(plan_a, plan_b, bool(common), "compare")
    covered_a = needs["status_a"] != "unmatched"
    covered_b = needs["status_b"] != "unmatched"
    counts = pd.DataFrame({
        "territory": needs["territory"],
        "theme": needs[by],
        "needs_a": 1,
        "needs_b": 1,
        "covered_a": covered_a,
        "covered_b": covered_b,
        "unmatched_a": ~covered_a,
        "unmatched_b": ~covered_b,
        "gained": needs["change"] == "gained",
        "lost": needs["change"] == "lost",
        "moved": needs["change"] == "moved",
    })
    for reason in REASONS:
        counts[f"{reason}_delta"] = (
            (needs["reason_b"] == reason).astype("int64")
            - (needs["reason_a"] == reason).astype("int64"))
    out = counts.groupby(["territory", "theme"], sort=True).sum().reset_index()
    out = out.astype({c: "int64" for c in out.columns[2:]})
    out.insert(out.columns.get_loc("covered_b") + 1, "covered_delta",
               out["covered_b"] - out["covered_a"])
    out.insert(out.columns.get_loc("unmatched_b") + 1, "unmatched_delta",
               out["unmatched_b"] - out["unmatched_a"])
    out.attrs["dropped_people_a"] = needs.attrs["dropped_people_a"]
    out.attrs["dropped_people_b"] = needs.attrs["dropped_people_b"]
    return out
