"""Comparing two plans, per territory and theme."""

from __future__ import annotations

import pandas as pd

from ._plan import Plan

REASONS = ("no_service_for_theme", "not_eligible", "out_of_reach",
           "capacity_full")


def _needs(plan: Plan, by: str) -> pd.DataFrame:
    # One row per need of the plan: where it went, or why not.
    a = plan._table("assignments")
    u = plan._table("unmatched")
    columns = ["person_id", "thematique", "territory"]
    if by != "thematique":
        columns.append(by)
    covered = a[columns + ["service_id"]].assign(reason=None)
    missed = u[columns + ["reason"]].assign(service_id=None)
    return pd.concat([covered, missed], ignore_index=True)


def compare(plan_a: Plan, plan_b: Plan, *, by: str = "category") -> pd.DataFrame:
    """What changed from ``plan_a`` to ``plan_b``, per territory and theme.

    Needs are matched by (person_id, thematique), so the two plans may come
    from different scenarios of the same people. ``by`` is ``"category"``
    (the 16 data·inclusion categories, default) or ``"thematique"`` (the
    themes as the needs name them). One row per (territory, theme) with a
    need in either plan, sorted, with the columns:

    - ``territory``, ``theme``;
    - ``needs_a``, ``needs_b``: needs in each plan;
    - ``covered_a``, ``covered_b``, ``covered_delta`` (b - a): needs with a
      place (pinned supports included);
    - ``unmatched_a``, ``unmatched_b``, ``unmatched_delta``;
    - ``gained``: needs unmatched in A (or absent) and covered in B;
      ``lost``: covered in A and unmatched (or absent) in B; ``moved``:
      covered in both by different services;
    - ``<reason>_delta`` for each unmatched reason (``capacity_full_delta``
      ...): change in the needs left unmatched for that reason.
    """
    if by not in ("category", "thematique"):
        raise ValueError("by must be 'category' or 'thematique'")
    keys = ["person_id", "thematique"]
    a = _needs(plan_a, by)
    b = _needs(plan_b, by)
    both = a.merge(b, on=keys, how="outer", suffixes=("_a", "_b"),
                   indicator=True)
    both["territory"] = both["territory_a"].fillna(both["territory_b"])
    if by == "thematique":
        both["theme"] = both["thematique"]
    else:
        both["theme"] = both[f"{by}_a"].fillna(both[f"{by}_b"])
    in_a = both["_merge"] != "right_only"
    in_b = both["_merge"] != "left_only"
    cov_a = both["service_id_a"].notna()
    cov_b = both["service_id_b"].notna()
    counts = pd.DataFrame({
        "territory": both["territory"],
        "theme": both["theme"],
        "needs_a": in_a,
        "needs_b": in_b,
        "covered_a": cov_a,
        "covered_b": cov_b,
        "unmatched_a": in_a & ~cov_a,
        "unmatched_b": in_b & ~cov_b,
        "gained": ~cov_a & cov_b,
        "lost": cov_a & ~cov_b,
        "moved": cov_a & cov_b & (both["service_id_a"] != both["service_id_b"]),
    })
    for reason in REASONS:
        counts[f"{reason}_delta"] = ((both["reason_b"] == reason).astype("int64")
                                     - (both["reason_a"] == reason).astype("int64"))
    out = counts.groupby(["territory", "theme"], sort=True).sum().reset_index()
    out = out.astype({c: "int64" for c in out.columns[2:]})
    out.insert(out.columns.get_loc("covered_b") + 1, "covered_delta",
               out["covered_b"] - out["covered_a"])
    out.insert(out.columns.get_loc("unmatched_b") + 1, "unmatched_delta",
               out["unmatched_b"] - out["unmatched_a"])
    return out
