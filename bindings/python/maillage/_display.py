"""Small HTML summaries of a network and a plan, for Jupyter's
``_repr_html_``.

Aggregates only: counts, territory names and the objective's levels, never
a person's id or attributes, and no site, partner or service id. Every text
from the data (territory names) is HTML-escaped. Counts are exact (unlike
the coordinators' report, which shows small counts as "< 5"): the summary
is for the analyst who holds the tables.

The markup is plain tables, each with a ``class``:

- ``maillage-counts``: one row per count (``<th>`` name, ``<td>`` value);
- ``maillage-territories``: a header row, then one row per territory
  (sorted; the first ``max_territories``, then one row saying how many more);
- ``maillage-objective`` (plans): the objective's levels, best first.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from ._network import Network
    from ._plan import Plan

__all__ = ["network_html", "plan_html"]

# (key of summary["objective"], label), in the order of the objective.
_OBJECTIVE = (("people_covered", "1. people with a need covered"),
              ("needs_covered", "2. needs covered"),
              ("urgency_level", "3. urgency: sum of (urgency - 1) over "
               "covered needs"),
              ("total_score", "4. total score of the new assignments"))


def _text(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _counts_table(caption: str, rows: Sequence[tuple[str, Any]],
                  kind: str = "maillage-counts") -> str:
    body = "".join(f"<tr><th scope=\"row\">{_text(name)}</th>"
                   f"<td>{_text(value)}</td></tr>" for name, value in rows)
    return (f"<table class=\"{kind}\"><caption>{_text(caption)}"
            f"</caption>{body}</table>")


def _territory_table(header: Sequence[str], rows: Sequence[Sequence[Any]],
                     max_territories: int) -> str:
    head = "".join(f"<th scope=\"col\">{_text(h)}</th>" for h in header)
    shown = rows[:max_territories]
    body = "".join("<tr><th scope=\"row\">" + _text(row[0]) + "</th>"
                   + "".join(f"<td>{_text(v)}</td>" for v in row[1:])
                   + "</tr>" for row in shown)
    more = len(rows) - len(shown)
    if more:
        body += (f"<tr><td colspan=\"{len(header)}\">{more} more "
                 f"territor{'y' if more == 1 else 'ies'}</td></tr>")
    return (f"<table class=\"maillage-territories\"><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table>")


def _limit(max_territories: int) -> int:
    if (isinstance(max_territories, bool)
            or not isinstance(max_territories, int) or max_territories < 0):
        raise ValueError("max_territories must be a whole number, 0 or more")
    return max_territories


def _network_counts(net: "Network") -> list[tuple[str, Any]]:
    c = net.counts
    return [("territories", c["territories"]), ("sites", c["sites"]),
            ("partners", c["partners"]), ("services", c["services"]),
            ("people", c["persons"]), ("needs", c["needs"]),
            ("supports", c["supports"]), ("partnerships", c["partnerships"])]


def network_html(net: "Network", *, max_territories: int = 20) -> str:
    """An HTML summary of a network: its counts (territories, sites,
    partners, services, people, needs, supports, partnerships) and per
    territory its sites, people and needs.

    Parameters: ``net``, the :class:`Network`; ``max_territories``, how many
    territories get a row (the rest are counted in one last row; 0: none).

    Returns an HTML fragment (a ``<div>``), escaped, that holds no id but
    territory names.
    """
    limit = _limit(max_territories)
    frames = net.to_frames()
    sites, persons, needs = frames["sites"], frames["persons"], frames["needs"]
    territory_of_site = sites.set_index("site_id")["territory"]
    territory_of_person = persons.set_index("person_id")["site_id"].map(
        territory_of_site)
    per_sites = sites.groupby("territory").size()
    per_people = territory_of_person.value_counts()
    per_needs = needs["person_id"].map(territory_of_person).value_counts()
    rows = [(t, int(per_sites.get(t, 0)), int(per_people.get(t, 0)),
             int(per_needs.get(t, 0))) for t in sorted(per_sites.index)]
    return ("<div class=\"maillage-network\">"
            + _counts_table("maillage.Network", _network_counts(net))
            + _territory_table(("territory", "sites", "people", "needs"),
                               rows, limit)
            + "</div>")


def plan_html(plan: "Plan", *, max_territories: int = 20) -> str:
    """An HTML summary of a plan: the counts of its network, people and
    needs covered (pinned supports included) and unmatched, overall and per
    territory, the unmatched needs per reason, and the four levels of the
    objective when the plan's summary has them.

    Parameters: ``plan``, the :class:`Plan`; ``max_territories``, how many
    territories get a row (the rest are counted in one last row; 0: none).

    Returns an HTML fragment (a ``<div>``), escaped, that holds no id but
    territory names.
    """
    limit = _limit(max_territories)
    s = plan.summary
    reasons = list(s["unmatched"])
    counts = _network_counts(plan.network) + [
        ("people covered", s["people_covered"]),
        ("needs covered", s["needs_covered"]),
        ("needs covered by a current support (pinned)", s["needs_pinned"]),
        ("needs unmatched", s["needs"] - s["needs_covered"]),
    ] + [(f"unmatched: {r}", s["unmatched"][r]) for r in reasons]
    header = ["territory", "people", "people covered", "needs",
              "needs covered", "pinned", "unmatched"] + reasons
    rows = []
    for name in sorted(s["territories"]):
        t = s["territories"][name]
        rows.append([name, t["people"], t["people_covered"], t["needs"],
                     t["needs_covered"], t["needs_pinned"],
                     t["needs"] - t["needs_covered"]]
                    + [t["unmatched"].get(r, 0) for r in reasons])
    parts = ["<div class=\"maillage-plan\">",
             _counts_table(repr(plan), counts),
             _territory_table(header, rows, limit)]
    objective = s.get("objective")
    if objective:
        levels = [(label, f"{objective[key]:.3f}" if key == "total_score"
                   else objective[key])
                  for key, label in _OBJECTIVE if key in objective]
        parts.append(_counts_table("objective, level by level", levels,
                                   "maillage-objective"))
    parts.append("</div>")
    return "".join(parts)
