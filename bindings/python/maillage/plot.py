"""Pictures of a plan (matplotlib): a map of the referrals and a coverage
chart. Both return a ``matplotlib.figure.Figure`` and save a PNG when given
a ``path``. They draw on figures of their own (not pyplot's current one),
so they work with any backend, headless included.
"""

from __future__ import annotations

import math
import os
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import _core
from ._plan import Plan

PathLike = Union[str, "os.PathLike[str]"]

# Colours of the unmatched reasons, from "nothing to refer to" (grey) to
# "a place is missing" (red); covered needs in green.
COVERED_COLOR = "#2a9d8f"
REASON_COLORS = {
    "no_service_for_theme": "#9e9e9e",
    "not_eligible": "#8e7cc3",
    "out_of_reach": "#f4a261",
    "capacity_full": "#e63946",
}
REASON_LABELS = {
    "no_service_for_theme": "unmatched: no service for the theme",
    "not_eligible": "unmatched: none eligible",
    "out_of_reach": "unmatched: out of reach",
    "capacity_full": "unmatched: all full",
}


def category_colors() -> dict[str, tuple]:
    """A fixed colour per data·inclusion category, the same in every
    picture."""
    from matplotlib import colormaps
    cmap = colormaps["tab20"]
    return {c: cmap(i % 20) for i, c in enumerate(_core.category_codes())}


def _save(fig: Figure, path: Optional[PathLike]) -> None:
    if path is not None:
        fig.savefig(os.fspath(path), dpi=150, bbox_inches="tight")


def map(plan: Plan, ax: Optional[Axes] = None, path: Optional[PathLike] = None,
        *, territory: Optional[str] = None) -> Figure:
    """Sites, services sized by their places, each referral of the plan as a
    line from the person's home to the service coloured by theme category,
    and the people left with an unmatched need marked with a red cross.
    Referrals used remotely, or to a remote-only service without a location,
    have no line. Axes are longitude and latitude (degrees,
    with the aspect of the mean latitude).

    ``territory`` restricts the map to one territory's sites and people
    (services within its bounds). Draws on ``ax`` when given, else on a new
    figure; saves a PNG to ``path`` when given.
    """
    net = plan.network
    tables = net._tables()
    sites, services, persons = tables["sites"], tables["services"], tables["persons"]
    a = plan._table("assignments")
    u = plan._table("unmatched")
    if territory is not None:
        if territory not in net.territories:
            raise ValueError(f"no territory '{territory}' in the network "
                             f"({', '.join(net.territories)})")
        sites = sites[sites["territory"] == territory]
        persons = persons[persons["site_id"].isin(sites["site_id"])]
        a = a[a["territory"] == territory]
        u = u[u["territory"] == territory]

    if ax is None:
        fig = Figure(figsize=(11, 8.5))
        ax = fig.add_subplot()
    else:
        fig = ax.figure

    # Bounds: the people and sites shown, with a margin.
    lng = pd.concat([persons["lng"], sites["lng"]])
    lat = pd.concat([persons["lat"], sites["lat"]])
    if len(lat):
        pad_lng = max(0.05, 0.05 * (lng.max() - lng.min()))
        pad_lat = max(0.05, 0.05 * (lat.max() - lat.min()))
        x0, x1 = lng.min() - pad_lng, lng.max() + pad_lng
        y0, y1 = lat.min() - pad_lat, lat.max() + pad_lat
        inside = services["lng"].between(x0, x1) & services["lat"].between(y0, y1)
        services = services[inside]
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1.0 / math.cos(math.radians(float(lat.mean()))))

    colors = category_colors()
    where = persons.set_index("person_id")[["lng", "lat"]]
    at = tables["services"].set_index("service_id")[["lng", "lat"]]

    # People, faint, under everything else.
    ax.scatter(persons["lng"], persons["lat"], s=3, c="#b0b0b0", linewidths=0,
               zorder=1, label="person")

    # Referrals: one segment home -> service per covered need.
    lines = a[~a["remote"].to_numpy(dtype=bool)]
    start = where.reindex(lines["person_id"]).to_numpy()
    end = at.reindex(lines["service_id"]).to_numpy()
    ok = ~(np.isnan(start).any(axis=1) | np.isnan(end).any(axis=1))
    segments = np.stack([start[ok], end[ok]], axis=1)
    palette = np.array(list(colors.values()))
    codes = pd.Categorical(lines["category"], categories=list(colors)).codes[ok]
    ax.add_collection(LineCollection(segments, colors=palette[codes],
                                     linewidths=0.7, alpha=0.7, zorder=2))

    # Services, area proportional to the places they can give.
    places = services["capacity_available"].to_numpy(dtype=float)
    ax.scatter(services["lng"], services["lat"], s=6 + 10 * np.sqrt(places),
               facecolors="white", edgecolors="#264653", linewidths=0.8,
               alpha=0.9, zorder=3)

    # Crosses shrink as people get many, so that a national map stays
    # readable; sites stay on top.
    missed = where.reindex(u["person_id"].unique()).dropna()
    dense = min(1.0, math.sqrt(300 / max(len(persons), 1)))
    ax.scatter(missed["lng"], missed["lat"], s=max(4.0, 28 * dense), marker="x",
               c="#d62828", linewidths=max(0.5, 1.2 * dense), alpha=0.8, zorder=4)

    ax.scatter(sites["lng"], sites["lat"], s=max(12.0, 60 * dense), marker="s",
               c="#1d3557", edgecolors="white", linewidths=0.8, zorder=5)

    handles = [
        Line2D([], [], marker="s", linestyle="", color="#1d3557", markersize=8,
               label="site (chantier d'insertion)"),
        Line2D([], [], marker="o", linestyle="", color="#b0b0b0", markersize=3,
               label="person"),
        Line2D([], [], marker="x", linestyle="", color="#d62828", markersize=7,
               markeredgewidth=1.5, label="person with an unmatched need"),
    ]
    for n in (1, 10, 50):
        handles.append(Line2D([], [], marker="o", linestyle="", color="#264653",
                              markerfacecolor="white",
                              markersize=math.sqrt(6 + 10 * math.sqrt(n)),
                              label=f"service, {n} place{'s' if n > 1 else ''}"))
    used = [c for c in colors if c in set(lines["category"].to_numpy()[ok])]
    for c in used:
        handles.append(Line2D([], [], color=colors[c], linewidth=2,
                              label=f"referral: {c}"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=8, frameon=False)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    covered = len(a)
    total = covered + len(u)
    where_name = territory if territory is not None else "all territories"
    ax.set_title(f"Referral plan, {where_name}: {covered} of {total} needs "
                 f"covered, {u['person_id'].nunique()} people with an "
                 "unmatched need")
    _save(fig, path)
    return fig


def _of(counts: pd.Series, territory: Optional[str]) -> pd.Series:
    if territory is None:
        return counts
    return counts[counts.index.get_level_values("territory") == territory]


def coverage(plan: Plan, path: Optional[PathLike] = None, *,
             territories: Optional[Sequence[str]] = None,
             max_panels: int = 12) -> Figure:
    """Needs covered and unmatched per theme category, one panel per
    territory, unmatched needs split by reason (no service for the theme,
    none eligible, out of reach, all full). With more territories than
    ``max_panels`` (a national network), one panel sums them all.
    ``territories`` selects some. Saves a PNG to ``path`` when given.
    """
    a = plan._table("assignments")
    u = plan._table("unmatched")
    names = sorted(set(a["territory"]) | set(u["territory"]))
    if territories is not None:
        unknown = set(territories) - set(names)
        if unknown:
            raise ValueError(f"no territory {sorted(unknown)} in the plan")
        names = [t for t in names if t in set(territories)]
        a = a[a["territory"].isin(names)]
        u = u[u["territory"].isin(names)]
    panels: list[tuple[str, Optional[str]]] = [(t, t) for t in names]
    if len(panels) > max_panels:
        panels = [(f"all {len(names)} territories", None)]

    covered = a.groupby(["territory", "category"]).size()
    missed = u.groupby(["territory", "category", "reason"]).size()
    present = set(a["category"]) | set(u["category"])
    categories = [c for c in _core.category_codes() if c in present]
    reasons = list(REASON_COLORS)

    ncols = min(4, len(panels)) or 1
    nrows = math.ceil(len(panels) / ncols) or 1
    fig = Figure(figsize=(3.6 * ncols + 3.0,
                          0.26 * max(len(categories), 4) * nrows + 1.6))
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
    y = np.arange(len(categories))
    for i, (title, name) in enumerate(panels):
        ax = axes[i // ncols][i % ncols]
        cov = _of(covered, name).groupby(level="category").sum() \
            .reindex(categories, fill_value=0)
        mis = _of(missed, name).groupby(level=["category", "reason"]).sum() \
            .unstack("reason", fill_value=0) \
            .reindex(index=categories, columns=reasons, fill_value=0)
        ax.barh(y, cov.to_numpy(), color=COVERED_COLOR, height=0.75)
        left = cov.to_numpy().astype(float)
        for r in reasons:
            width = mis[r].to_numpy()
            ax.barh(y, width, left=left, color=REASON_COLORS[r], height=0.75)
            left = left + width
        total = int(left.sum())
        done = int(cov.sum())
        share = f"{100 * done / total:.0f} %" if total else "no need"
        ax.set_title(f"{title}: {done}/{total} covered ({share})", fontsize=9)
        ax.set_xlabel("needs", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
    for j in range(len(panels), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    axes[0][0].set_yticks(y)
    axes[0][0].set_yticklabels(categories)
    axes[0][0].invert_yaxis()
    handles = [Patch(color=COVERED_COLOR, label="covered")]
    handles += [Patch(color=REASON_COLORS[r], label=REASON_LABELS[r])
                for r in reasons]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles),
               fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle("Needs covered and unmatched, by theme category and territory")
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    _save(fig, path)
    return fig
