"""The Plan: a territory-wide allocation and its tables."""

from __future__ import annotations

import io
import json
import numbers
import os
from typing import Any, Iterable, Optional, Sequence, Union

import pandas as pd

from . import _core
from ._frames import columns_to_frame
from ._network import Network, PathLike, _documented
from ._progress import Progress, progress_callback

__all__ = ["Plan", "read_plan"]

# The groupings of Plan.summary_frame.
SUMMARY_BY = ("territory", "site_id", "category", "thematique", "urgency",
              "public", "status", "partner_kind")


class Plan:
    """An optimal allocation of a network (see :meth:`Network.allocate`).

    Every need of the network is in exactly one of :attr:`assignments` and
    :attr:`unmatched`. Plans pickle with their network and everything
    :meth:`verify` needs.
    """

    __slots__ = ("_core", "_network", "_tables")

    def __init__(self, core: _core.Plan, network: Optional[Network] = None) -> None:
        self._core = core
        self._network = network if network is not None else Network(core.network)
        self._tables: dict[str, pd.DataFrame] = {}

    @property
    def network(self) -> Network:
        """The network this plan allocates."""
        return self._network

    def _table(self, name: str) -> pd.DataFrame:
        # Built once; callers get copies, so the cached table stays intact.
        if name not in self._tables:
            self._tables[name] = columns_to_frame(getattr(self._core, name)())
        return self._tables[name]

    @property
    def assignments(self) -> pd.DataFrame:
        """One row per covered need (pinned supports included), in need
        order: ``person_id, territory, thematique, category, urgency,
        service_id, partner_id, score, capacity, proximity, complementarity,
        distance_km, remote, pinned``. ``category`` is the theme's
        data·inclusion category; score parts are NaN for a need met by a
        current or accepted support (``pinned``)."""
        return self._table("assignments").copy()

    @property
    def unmatched(self) -> pd.DataFrame:
        """One row per need without a place: ``person_id, territory,
        thematique, category, urgency, reason, filter, detail,
        suggested_service_id, suggested_partner_id, distance_km, in_reach,
        serving, excluded_frais, excluded_type, excluded_public,
        excluded_zone, excluded_age, excluded_reach, excluded_refused``.

        ``reason`` is ``no_service_for_theme``, ``not_eligible`` (``filter``
        says which filter excluded most services), ``out_of_reach``
        (suggested: the nearest eligible service, ``distance_km`` away) or
        ``capacity_full`` (suggested: the best full one, for a waiting
        list); see :func:`maillage.vocabulary.reasons`. ``detail`` is the
        same in a sentence. The counts are the explanation's figures as
        columns: ``serving`` services of the theme looked at,
        ``excluded_<filter>`` of them excluded by each filter, ``in_reach``
        eligible ones within reach (for ``capacity_full``: the full ones in
        reach; ``serving`` and ``excluded_*`` are NA there, not
        computed)."""
        return self._table("unmatched").copy()

    @property
    def needs(self) -> pd.DataFrame:
        """One row per need of the network, in need order, whatever its
        outcome: ``person_id, territory, site_id, thematique, category,
        urgency, status`` (``covered``, ``pinned``: met by a current or
        accepted support, or ``unmatched``), then for a need with a place
        ``service_id, service_name, partner_id, partner_name, partner_kind,
        score, capacity, proximity, complementarity, distance_km, remote,
        capacity_assumed``, and for an unmatched one ``reason, filter,
        suggested_service_id, suggested_service_name, suggested_partner_id``
        and the counts of :attr:`unmatched`
        (``in_reach, serving, excluded_*``). ``plan_needs.csv`` of
        :meth:`write` has the same columns."""
        return self._table("needs").copy()

    @property
    def shadow_prices(self) -> pd.DataFrame:
        """One row per service: ``service_id, partner_id,
        capacity_available, pinned_places, free_places, assigned, scaled,
        people, needs, urgency, score``. ``scaled`` is what one more place
        there is worth in the objective's units, split by level into
        ``people``, ``needs``, ``urgency`` (whole units of each level) and
        ``score``; 0 where places are left."""
        return self._table("shadow_prices").copy()

    @property
    def summary(self) -> dict[str, Any]:
        """The contents of ``summary.json`` of ``maillage allocate``: counts
        overall and per territory, unmatched needs by reason, objective
        levels, scaling and timings."""
        return json.loads(self._core.summary_json())

    @property
    def options(self) -> dict[str, Any]:
        """The options this plan was computed with: ``candidate_limit``,
        ``score_scale``, ``explain_radius_km`` and ``rank``, the ranking
        settings given to :meth:`Network.allocate` under their argument
        names (``weights`` and ``complementarity_weights`` as dicts,
        ``reach_km``, ...; empty for the defaults)."""
        options = self._core.options()
        options["rank"] = _rank_arguments(options.get("rank", {}))
        return options

    @_documented
    def verify(self, *, progress: Progress = None) -> None:
        """Re-checks the plan without trusting the solver (feasibility, every
        need listed once, objective levels, optimality certificate). Raises
        ValueError naming the violation.

        Parameters
        ----------
        {progress_parameter}
        """
        with progress_callback(progress, "verify") as reporter:
            self._core.verify(reporter)

    def summary_frame(self, by: Union[str, Sequence[str]] = "territory"
                      ) -> pd.DataFrame:
        """Counts of this plan grouped by ``by``: one row per group with
        ``people`` (people with a need in the group), ``people_covered``
        (of them, with at least one of those needs met), ``needs``,
        ``needs_covered`` (pinned ones included), ``needs_pinned``,
        ``unmatched``, one column per unmatched reason
        (``no_service_for_theme``, ``not_eligible``, ``out_of_reach``,
        ``capacity_full``), ``share_covered`` (needs_covered / needs) and
        ``share_people_covered``. Groups are sorted; ``by=[]`` gives one row
        of totals.

        Parameters
        ----------
        by:
            A column or a list of columns among ``territory``, ``site_id``,
            ``category``, ``thematique``, ``urgency``, ``public`` (a person
            counts in each of their publics; ``""`` for none declared),
            ``status`` and ``partner_kind``. An empty list gives the totals
            alone.
        """
        keys = [by] if isinstance(by, str) else list(by)
        bad = [k for k in keys if k not in SUMMARY_BY]
        if bad:
            raise ValueError(f"by: unknown column(s) {bad}; expected some of "
                             f"{', '.join(SUMMARY_BY)}")
        if len(set(keys)) != len(keys):
            raise ValueError(f"by: a column is given twice in {keys}")
        needs = self._table("needs")
        frame = needs[["person_id", "status", "reason"]].copy()
        for k in keys:
            if k != "public":
                frame[k] = needs[k]
        if "public" in keys:
            persons = self._network._tables()["persons"][["person_id",
                                                           "publics"]]
            publics = persons.assign(public=persons["publics"].map(_publics))
            publics = publics.explode("public")[["person_id", "public"]]
            frame = frame.merge(publics, on="person_id", how="left")
        frame["covered"] = frame["status"] != "unmatched"
        frame["pinned"] = frame["status"] == "pinned"
        reasons = list(_core.unmatched_reasons())
        for r in reasons:
            frame[r] = frame["reason"] == r
        counts = ["covered", "pinned"] + reasons

        def totals(group: pd.DataFrame) -> dict[str, Any]:
            row: dict[str, Any] = {
                "people": group["person_id"].nunique(),
                "people_covered": group.loc[group["covered"],
                                            "person_id"].nunique(),
                "needs": len(group),
                "needs_covered": int(group["covered"].sum()),
                "needs_pinned": int(group["pinned"].sum()),
                "unmatched": int((~group["covered"]).sum()),
            }
            for r in reasons:
                row[r] = int(group[r].sum())
            return row

        rows = []
        if keys:
            grouped = frame.groupby(keys, sort=True, dropna=False,
                                    observed=True)[["person_id"] + counts]
            for values, group in grouped:
                values = values if isinstance(values, tuple) else (values,)
                rows.append({**dict(zip(keys, values)), **totals(group)})
        else:
            rows.append(totals(frame))
        out = pd.DataFrame(rows, columns=keys + [
            "people", "people_covered", "needs", "needs_covered",
            "needs_pinned", "unmatched"] + reasons)
        out["share_covered"] = out["needs_covered"] / out["needs"].where(
            out["needs"] > 0)
        out["share_people_covered"] = out["people_covered"] / out[
            "people"].where(out["people"] > 0)
        return out

    def write(self, path: PathLike, *, excel: bool = False) -> None:
        """Writes ``assignments.csv``, ``unmatched.csv``, ``plan_needs.csv``
        (the columns of :attr:`needs`) and ``summary.json`` into ``path``,
        as ``maillage allocate --out`` does (:func:`read_plan` reads them
        back).

        Parameters
        ----------
        path:
            The folder (created when absent).
        excel:
            True writes the CSV files for a French spreadsheet instead:
            ``;`` between cells, a decimal comma, UTF-8 with a byte-order
            mark (Excel and LibreOffice open them as they are, accents
            included). :func:`read_plan` and ``maillage`` do not read
            these; use :meth:`to_excel` for one workbook.
        """
        folder = os.fspath(path)
        self._core.write(folder)
        if excel:
            for name in ("assignments.csv", "unmatched.csv",
                         "plan_needs.csv"):
                _to_french_csv(os.path.join(folder, name))

    def to_excel(self, path: PathLike) -> None:
        """Writes one workbook (``.xlsx``, needs ``openpyxl``: Debian
        ``python3-openpyxl``) with the sheets ``summary`` (by territory,
        :meth:`summary_frame`), ``needs``, ``assignments`` and
        ``unmatched``.

        Parameters
        ----------
        path:
            The file to write.
        """
        sheets = {"summary": self.summary_frame("territory"),
                  "needs": self._table("needs"),
                  "assignments": self._table("assignments"),
                  "unmatched": self._table("unmatched")}
        with pd.ExcelWriter(os.fspath(path), engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name, index=False)

    def to_geojson(self, path: Optional[PathLike] = None, *,
                   min_group_size: int = 5) -> dict[str, Any]:
        """The plan as a map that can be shared (``maillage export
        --geojson``): a GeoJSON FeatureCollection (RFC 7946, WGS84,
        ``[longitude, latitude]``) of sites, services, assignments (lines
        from an area to a service) and unmatched needs, each feature with a
        ``kind`` property. Nobody is located: people are counted in groups
        of at least ``min_group_size`` (5 or more) per commune, pooled per
        département then per territory when fewer, and not drawn (counted in
        the collection's ``properties["suppressed"]``) when still fewer.
        Returns the collection as a dict; also writes it (UTF-8) to ``path``
        when given."""
        text = self._core.geojson(_whole_number(min_group_size))
        if path is not None:
            _write_text(path, text)
        return json.loads(text)

    def to_json(self, path: Optional[PathLike] = None) -> dict[str, Any]:
        """The whole plan as one JSON document (``maillage export --json``):
        ``assignments``, ``unmatched`` (with reasons) and ``summary`` (as
        :attr:`summary`). Returns it as a dict; also writes it to ``path``
        when given."""
        text = self._core.plan_json()
        if path is not None:
            _write_text(path, text)
        return json.loads(text)

    def partner_view(self, partner_id: str) -> pd.DataFrame:
        """What partner ``partner_id`` receives of this plan: one row per
        assignment to one of its services (pinned supports included), with
        only ``person_id`` (pseudonymous), ``site_id``, ``site_name`` (the
        referring site), ``service_id``, ``service_name``, ``thematique``,
        ``urgency`` and ``pinned``; never a person's publics, age, location,
        commune or other needs. ValueError for an unknown partner."""
        return columns_to_frame(self._core.partner_view(str(partner_id)))

    # --- gap analysis (docs/gaps.md) ----------------------------------------

    def coverage(self, by: Optional[str] = None) -> pd.DataFrame:
        """Coverage of this plan: one row per territory × theme category
        (``category`` empty: all categories) × group, with ``people``,
        ``people_without_covered_need``, ``needs``, ``needs_covered``,
        ``needs_pinned``, ``unmatched`` and one column per unmatched reason.
        ``by`` keeps one grouping: ``"territory"``, ``"epci"``,
        ``"commune"`` (with its EPCI) or ``"public"`` (a person with several
        publics counts in each; ``public`` empty: none declared); None keeps
        all four, told apart by the ``by`` column."""
        frame = _read_gaps_csv(self._core.coverage_csv())
        if by is None:
            return frame
        if by not in _COVERAGE_BY:
            raise ValueError(f"by must be one of {', '.join(_COVERAGE_BY)}, "
                             f"got {by!r}")
        return frame[frame["by"] == by].reset_index(drop=True)

    def marginal_gain(self, service_ids: Union[str, Iterable[str]],
                      places: int = 1, *, together: bool = False
                      ) -> pd.DataFrame:
        """What ``places`` more places at each service really change, by
        re-optimising the plan (never read from the shadow prices, which
        only bound the gain): one row per service with ``gain_people``,
        ``gain_needs``, ``gain_urgency`` (exact), ``gain_score`` (with this
        plan's scores) and ``shadow_price_scaled`` for comparison.

        Parameters
        ----------
        service_ids:
            One service id or a list of them (ValueError for an unknown
            one).
        places:
            The places added at each (a whole number, 1 by default).
        together:
            True: one row for all the services at once (``service_id``
            empty) instead of one per service.
        """
        ids = [service_ids] if isinstance(service_ids, str) else \
            [str(s) for s in service_ids]
        rows = self._core.marginal_gains(ids, _whole_number(places),
                                         bool(together))
        return pd.DataFrame(rows, columns=[
            "service_id", "places", "gain_people", "gain_needs",
            "gain_urgency", "gain_score", "shadow_price_scaled"]).astype(
                {"service_id": "string"})

    @_documented
    def recommend(self, budget: int = 10, *,
                  territory: Union[None, str, Sequence[str]] = None,
                  progress: Progress = None) -> pd.DataFrame:
        """A greedy portfolio of at most ``budget`` more places per
        territory, each place where it gains most at that step (exact
        gains), then verified by one re-solve of the network with all of
        them: the rows of ``recommended_places.csv``, a row per place
        (``step`` 1, 2, ...) and per territory a ``total`` row with the
        verified gains.

        Parameters
        ----------
        budget:
            The places to add per territory (10 by default).
        {territory_parameter}
        {progress_parameter}
        """
        files = self._gaps(_whole_number(budget), territory, False, progress)
        return _read_gaps_csv(files["recommended_places.csv"])

    @_documented
    def recruitments(self, *, territory: Union[None, str, Sequence[str]] = None,
                     progress: Progress = None) -> pd.DataFrame:
        """Partners to recruit where needs are left ``out_of_reach`` or
        ``no_service_for_theme``: "a partner offering ``category`` in
        ``insee_com`` (``epci``) with ``places`` places covers
        ``gain_needs`` needs", the best few per territory, none counted
        twice, with a ``total`` row of verified gains per territory (the
        rows of ``recruitments.csv``).

        Parameters
        ----------
        {territory_parameter}
        {progress_parameter}
        """
        files = self._gaps(0, territory, False, progress)
        return _read_gaps_csv(files["recruitments.csv"])

    @_documented
    def what_would_help(self, *,
                        territory: Union[None, str, Sequence[str]] = None,
                        progress: Progress = None) -> pd.DataFrame:
        """For each unmatched need, the smallest single change that meets it
        and makes the plan better, verified by re-optimisation: ``change``
        is ``place`` (one more at ``service_id``), ``reach`` (the person's
        reach ``extra_km`` longer), ``zone`` (``service_id``'s zone widened
        to the person's commune), ``public`` (``service_id`` admits
        ``public``) or ``none``; with the plan's gains. Personal like
        :attr:`unmatched` (pseudonymous ids).

        Parameters
        ----------
        {territory_parameter}
        {progress_parameter}
        """
        files = self._gaps(0, territory, True, progress)
        return _read_gaps_csv(files["what_would_help.csv"])

    @_documented
    def report(self, path: PathLike, *, lang: str = "fr", budget: int = 10,
               territory: Union[None, str, Sequence[str]] = None,
               exact_small_counts: bool = False,
               progress: Progress = None) -> None:
        """Writes the coordinator's report (``maillage report``): one
        self-contained HTML page, in French by default (``lang="en"``),
        describing this plan with the recommendations computed from an
        optimal allocation.

        Parameters
        ----------
        path:
            The HTML file to write.
        lang:
            ``"fr"`` (the default) or ``"en"``; ValueError otherwise.
        budget:
            The places of the recommended portfolio per territory.
        exact_small_counts:
            False (the default) shows counts under 5 as "< 5".
        {territory_parameter}
        {progress_parameter}
        """
        with progress_callback(progress, "report") as reporter:
            self._core.report(os.fspath(path), str(lang),
                              bool(exact_small_counts), _whole_number(budget),
                              _territories(territory), True, reporter)

    def _gaps(self, budget: int, territory: Union[None, str, Sequence[str]],
              what_would_help: bool, progress: Progress) -> dict[str, str]:
        with progress_callback(progress, "gaps") as reporter:
            return self._core.gaps_files(budget, _territories(territory),
                                         what_would_help, reporter)

    def _repr_html_(self) -> str:
        from ._display import plan_html
        return plan_html(self)

    def __repr__(self) -> str:
        s = self.summary
        unmatched = s["needs"] - s["needs_covered"]
        return (f"<maillage.Plan: {s['people_covered']} of {s['people']} "
                f"people and {s['needs_covered']} of {s['needs']} needs "
                f"covered, {unmatched} unmatched>")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_plan, (self._core, self._network))


def _rank_arguments(settings: dict[str, float]) -> dict[str, Any]:
    # The library's names of the ranking settings -> Network.allocate's.
    from ._network import _COMPLEMENTARITY_NAMES, _SETTING_NAMES, _WEIGHT_NAMES
    argument = {library: name for name, library in _SETTING_NAMES.items()}
    out: dict[str, Any] = {}
    for group, names in (("weights", _WEIGHT_NAMES),
                         ("complementarity_weights", _COMPLEMENTARITY_NAMES)):
        given = {n: settings[n] for n in names if n in settings}
        if given:
            out[group] = given
    for key, value in settings.items():
        if key in argument:
            out[argument[key]] = value
    return out


def _restore_plan(core: _core.Plan, network: Network) -> Plan:
    return Plan(core, network)


def _publics(cell: Any) -> list[str]:
    # A person's publics: "a|b", a list, or absent ("" then: none declared).
    if cell is None or (isinstance(cell, float) and cell != cell):
        return [""]
    codes = cell.split("|") if isinstance(cell, str) else list(cell)
    codes = [str(c) for c in codes if str(c)]
    return codes or [""]


_NUMBER = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"


def _to_french_csv(path: str) -> None:
    # Read as text so that nothing is re-formatted but the decimal point of
    # the number columns.
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        cells = frame[column]
        filled = cells[cells != ""]
        if len(filled) and filled.str.match(_NUMBER).all():
            frame[column] = cells.str.replace(".", ",", regex=False)
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig",
                 lineterminator="\r\n")


def _whole_number(value: int) -> int:
    # int(True) would be 1, int(5.7) 5: both refused.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"expected a whole number, got {type(value).__name__}")
    return int(value)


_COVERAGE_BY = ("territory", "epci", "commune", "public")

# Columns holding codes: read as text ("01053" keeps its zero).
_CODE_COLUMNS = ("insee_com", "epci", "territory", "category", "public",
                 "service_id", "partner_id", "other_partner_id", "site_id",
                 "person_id", "thematique", "step", "rank")


def _read_gaps_csv(text: str) -> pd.DataFrame:
    header = text.split("\n", 1)[0].split(",")
    dtype = {c: "string" for c in header if c in _CODE_COLUMNS}
    return pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False,
                       na_values={c: [""] for c in header
                                  if c not in _CODE_COLUMNS})


def _territories(value: Union[None, str, Sequence[str]]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(t) for t in value]


def _write_text(path: PathLike, text: str) -> None:
    with open(os.fspath(path), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def read_plan(network: Network, path: PathLike) -> Plan:
    """Reads a plan folder written by ``maillage allocate`` or
    :meth:`Plan.write` (``assignments.csv``, ``unmatched.csv``) against the
    network it was computed for. Raises ValueError listing
    ``FILE:LINE:COLUMN: reason`` problems (unknown person, need or service,
    a need listed twice or missing...), FolderNotFoundError when a file is
    missing. The plan read has its assignments, reasons and counts but no
    optimality certificate: :meth:`Plan.verify` fails on it. Files of
    earlier versions (fewer columns) are read too.

    Parameters
    ----------
    network:
        The network the plan was computed for.
    path:
        The plan folder (its ``plan_needs.csv`` and ``summary.json`` are
        not read: they are derived).
    """
    return Plan(_core.read_plan(network._core, os.fspath(path)), network)
