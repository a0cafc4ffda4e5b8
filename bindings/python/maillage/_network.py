"""The Network: loading, building from DataFrames, ranking, scenarios."""

from __future__ import annotations

import numbers
import os
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._frames import TABLES, columns_to_frame, frames_to_core, problems_frame
from ._progress import Progress, progress_callback

if TYPE_CHECKING:
    from ._plan import Plan

__all__ = [
    "DataWarning",
    "FolderNotFoundError",
    "InvalidDataError",
    "Network",
    "RANK_DEFAULTS",
    "generate",
    "read_folder",
]

PathLike = Union[str, "os.PathLike[str]"]
Weights = Optional[Mapping[str, float]]

InvalidDataError = _core.InvalidDataError
FolderNotFoundError = _core.FolderNotFoundError


class DataWarning(UserWarning):
    """Problems that do not reject a row (e.g. more current supports than a
    service's places)."""


def _raise_invalid(message: str, problems: list[tuple]) -> None:
    error = InvalidDataError(message)
    error.problems = problems_frame(problems)
    raise error


def _warn(problems: list[tuple], stacklevel: int = 3) -> None:
    lines = [f"{file}:{line}:{column}: warning: {reason}"
             for file, line, column, _field, reason, warning in problems
             if warning]
    if lines:
        shown = lines[:20]
        if len(lines) > 20:
            shown.append(f"... and {len(lines) - 20} more")
        warnings.warn("\n".join(shown), DataWarning, stacklevel=stacklevel)


_WEIGHT_NAMES = ("capacity", "proximity", "complementarity")
_COMPLEMENTARITY_NAMES = ("link", "cover", "novelty")

# The ranking settings of Network.rank, rank_all and allocate, with their
# names in the library's RankOptions; None keeps the library's default.
_SETTING_NAMES = {
    "reach_km": "default_max_distance_km",
    "max_travel_minutes": "max_travel_minutes",
    "proximity_half_km": "proximity_half_km",
    "proximity_half_minutes": "proximity_half_minutes",
    "remote_proximity": "remote_proximity",
    "unknown_capacity_score": "unknown_capacity_score",
}

RANK_DEFAULTS: dict[str, float] = dict(_core.rank_defaults())

_RANK_PARAMETERS = """weights:
            Weights of the score's parts, a dict with keys among
            ``capacity``, ``proximity``, ``complementarity``. Given, it
            REPLACES the defaults entirely (capacity 0.40, proximity 0.35,
            complementarity 0.25): a part left out weighs 0, so
            ``{"proximity": 1}`` ranks by proximity alone. The weights are
            then normalised to sum 1.
        complementarity_weights:
            Weights of the complementarity's sub-parts, keys among ``link``
            (a convention between the person's site and the partner,
            default 0.5), ``cover`` (the share of the person's other open
            needs the same service serves, 0.3) and ``novelty`` (not a
            duplicate of a support the person has in the same category,
            0.2); replaces the defaults entirely, as ``weights``.
        reach_km:
            The reach of a person whose ``max_distance_km`` is absent
            (default 30 km); a person's own value always wins.
        max_travel_minutes:
            The reach in travel time, for the (site or commune, service)
            pairs of the travel-time table (default 45 minutes).
        proximity_half_km:
            The distance at which the proximity part falls to 0.5
            (default 10 km).
        proximity_half_minutes:
            The travel time at which it falls to 0.5 (default 20 minutes).
        remote_proximity:
            The proximity part of a service used remotely (default 0.5).
        unknown_capacity_score:
            The capacity part of a service that publishes no places
            (default 0.5)."""

_PROGRESS_PARAMETER = """progress:
            None (the default): a progress bar on a terminal or in a
            notebook, nothing elsewhere; True / False: always / never; or a
            callable ``f(stage, done, total)`` called about 100 times per
            stage, whose False return cancels the call (ValueError).
            Ctrl-C stops the call at its next report (the solve reports
            at its start and end only)."""


def _settings_of(arguments: Mapping[str, Any]) -> Optional[dict[str, float]]:
    """The settings dict of a call's arguments (its ``locals()``)."""
    return _rank_settings(
        arguments["weights"], arguments["complementarity_weights"],
        **{name: arguments[name] for name in _SETTING_NAMES})


_TERRITORY_PARAMETER = """territory:
            One territory or a list of them (None: every territory)."""


def _documented(f: Any) -> Any:
    """Writes the parameters shared by several calls into ``f``'s docstring
    (``{rank_parameters}``, ``{progress_parameter}``,
    ``{territory_parameter}``)."""
    f.__doc__ = f.__doc__.replace("{rank_parameters}", _RANK_PARAMETERS)
    f.__doc__ = f.__doc__.replace("{progress_parameter}", _PROGRESS_PARAMETER)
    f.__doc__ = f.__doc__.replace("{territory_parameter}",
                                  _TERRITORY_PARAMETER)
    return f


def _part_weights(given: Optional[Mapping[str, float]], names: Sequence[str],
                  argument: str) -> dict[str, float]:
    if not isinstance(given, Mapping):
        raise TypeError(f"{argument} must be a dict, not "
                        f"{type(given).__name__}")
    unknown = set(given) - set(names)
    if unknown:
        raise ValueError(f"unknown {argument} key(s) {sorted(unknown)}: "
                         f"expected {', '.join(names)}")
    out = {}
    for name in names:
        value = float(given.get(name, 0.0))
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{argument}[{name!r}] must be a finite number "
                             f">= 0, got {value}")
        out[name] = value
    if sum(out.values()) <= 0:
        raise ValueError(f"{argument} must have a positive sum")
    return out


def _rank_settings(weights: Weights = None,
                   complementarity_weights: Weights = None,
                   **settings: Optional[float]) -> Optional[dict[str, float]]:
    """The settings dict for _core (None: the defaults)."""
    out: dict[str, float] = {}
    if weights is not None:
        out.update(_part_weights(weights, _WEIGHT_NAMES, "weights"))
    if complementarity_weights is not None:
        out.update(_part_weights(complementarity_weights,
                                 _COMPLEMENTARITY_NAMES,
                                 "complementarity_weights"))
    for name, value in settings.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a number, not "
                            f"{type(value).__name__}")
        number = float(value)
        positive = name not in ("remote_proximity", "unknown_capacity_score")
        if not np.isfinite(number) or number < 0 or (positive and number == 0):
            bound = "> 0" if positive else ">= 0"
            raise ValueError(f"{name} must be a finite number {bound}, "
                             f"got {number}")
        if not positive and number > 1:
            raise ValueError(f"{name} must be in [0, 1], got {number}")
        out[_SETTING_NAMES[name]] = number
    return out or None


def _whole(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return int(value)


# Columns of codes that look like numbers: read as numbers, they lose
# their leading zeros (01053 -> 1053).
_CODE_COLUMNS = {"insee_com": 5, "from_insee_com": 5, "siret": 14}


def _numeric_code_columns(frames: Mapping[str, Any]) -> list[str]:
    """A hint per code column held as numbers."""
    hints = []
    for key, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            continue
        for name in frame.columns:
            if str(name) in _CODE_COLUMNS and (
                    pd.api.types.is_numeric_dtype(frame[name].dtype)
                    and not pd.api.types.is_bool_dtype(frame[name].dtype)):
                width = _CODE_COLUMNS[str(name)]
                hints.append(
                    f"{key}: column {name} holds numbers "
                    f"({frame[name].dtype}); codes are text and numbers "
                    "lose their leading zeros (01053 becomes 1053): read the "
                    f"file with dtype={{'{name}': str}}, or convert with "
                    f".astype('Int64').astype('string').str.zfill({width})")
    return hints


def _ids(value: Union[None, str, Iterable[str]]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class Network:
    """An immutable referral network: sites, partners, services, people,
    needs, supports and partnerships.

    Build one with :func:`read_folder`, :meth:`Network.from_frames` or
    :func:`generate`. Scenarios (:meth:`with_capacity`, :meth:`without`)
    return new networks; nothing changes a network in place. Networks pickle
    (they travel to worker processes).
    """

    __slots__ = ("_core", "_frames")

    def __init__(self, core: _core.Network) -> None:
        if not isinstance(core, _core.Network):
            raise TypeError("use maillage.read_folder, Network.from_frames or "
                            "maillage.generate to make a Network")
        self._core = core
        self._frames: Optional[dict[str, pd.DataFrame]] = None

    # --- construction -------------------------------------------------------

    @classmethod
    def from_frames(cls, *, sites: pd.DataFrame, partners: pd.DataFrame,
                    services: pd.DataFrame, persons: pd.DataFrame,
                    needs: pd.DataFrame,
                    supports: Optional[pd.DataFrame] = None,
                    partnerships: Optional[pd.DataFrame] = None,
                    travel_times: Optional[pd.DataFrame] = None) -> "Network":
        """A network from DataFrames with the columns of the native format
        (docs/format.md; columns in any order, optional ones may be
        left out).

        Validation is the folder loader's: every problem is reported as
        ``FRAME:LINE:COLUMN: reason`` where FRAME is the argument name
        (``services``), LINE the row position + 2 (the line of that row in a
        CSV file with a header) and COLUMN the 1-based position of the column
        in the frame. Missing values (None, NaN, pd.NA) are absent cells.
        List columns take ``"a|b"`` strings or lists of codes.

        Raises InvalidDataError (a ValueError, with a ``problems`` DataFrame)
        when a row is rejected; warnings are issued as DataWarning. A code
        column held as numbers (``insee_com``, ``siret``: read from a file
        without ``dtype=str``) gets a hint first, since its leading zeros
        are lost.

        Parameters
        ----------
        sites, partners, services, persons, needs:
            The required tables.
        supports, partnerships, travel_times:
            The optional ones (None: empty).
        """
        frames = {"sites": sites, "partners": partners, "services": services,
                  "persons": persons, "needs": needs, "supports": supports,
                  "partnerships": partnerships, "travel_times": travel_times}
        hints = _numeric_code_columns(frames)
        core, problems, _counts, ok, message = _core.build_network(
            frames_to_core(frames))
        if not ok:
            if hints:
                message = "\n".join(hints) + "\n" + message
            _raise_invalid(message, problems)
        for hint in hints:
            warnings.warn(hint, DataWarning, stacklevel=2)
        _warn(problems)
        return cls(core)

    # --- tables -------------------------------------------------------------

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The eight tables of the native format as new DataFrames, keyed
        ``sites``, ``partners``, ``services``, ``persons``, ``needs``,
        ``supports``, ``partnerships``, ``travel_times`` (empty frames for
        absent optional tables). Absent text cells are None, absent numbers
        NaN (pd.NA in the nullable integer columns ``age``, ``min_age``,
        ``max_age``); locations are the resolved ones. ``from_frames(**f)``
        gives back an equal network."""
        return {key: frame.copy() for key, frame in self._tables().items()}

    def _tables(self) -> dict[str, pd.DataFrame]:
        # Computed once: the network never changes.
        if self._frames is None:
            columns = self._core.to_columns()
            self._frames = {key: columns_to_frame(columns[key]) for key in TABLES}
        return self._frames

    def write_folder(self, path: PathLike) -> None:
        """Writes the network in the native folder format (CSV files).

        Parameters
        ----------
        path:
            The folder, created when absent; its tables are replaced.
        """
        self._core.write_folder(os.fspath(path))

    @property
    def counts(self) -> dict[str, int]:
        """Rows per table, open needs already met (``needs_pinned``) and the
        number of territories."""
        return self._core.counts()

    @property
    def territories(self) -> list[str]:
        """Distinct territories of the sites, sorted."""
        return self._core.territories()

    def __repr__(self) -> str:
        c = self.counts
        return (f"<maillage.Network: {c['sites']} sites, {c['partners']} "
                f"partners, {c['services']} services, {c['persons']} people, "
                f"{c['needs']} needs, {c['territories']} territories>")

    def _repr_html_(self) -> str:
        from ._display import network_html
        return network_html(self)

    def __eq__(self, other: object) -> bool:
        """Two networks are equal when their tables are: the same rows with
        the same values, in the same order. Networks with the same ids but
        other values (two generated seeds) are not equal."""
        if not isinstance(other, Network):
            return NotImplemented
        return self._core is other._core or self._core == other._core

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (Network, (self._core,))

    # --- ranking ------------------------------------------------------------

    @_documented
    def rank(self, person_id: str, thematique: Optional[str] = None, k: int = 5,
             *, weights: Weights = None,
             complementarity_weights: Weights = None,
             reach_km: Optional[float] = None,
             max_travel_minutes: Optional[float] = None,
             proximity_half_km: Optional[float] = None,
             proximity_half_minutes: Optional[float] = None,
             remote_proximity: Optional[float] = None,
             unknown_capacity_score: Optional[float] = None,
             explain_radius_km: float = 100.0) -> pd.DataFrame:
        """The top ``k`` options of each open need of a person, best first,
        and one row for each open need without any option.

        Columns: ``person_id, thematique, category, urgency, rank,
        service_id, partner_id, score, capacity, proximity,
        complementarity, link, cover, novelty, distance_km, remote, full,
        capacity_known, reason, filter``. ``score`` is the weighted sum of
        the three parts; ``link``, ``cover`` and ``novelty`` are the
        sub-parts of ``complementarity``. ``distance_km`` is NaN for an
        option used remotely; ``full`` flags a service without free places
        (waiting list); ``capacity_known`` is False for a service that
        publishes no places. A need without any option has one row with
        ``rank`` NA, no service and its ``reason``
        (``no_service_for_theme``, ``not_eligible`` with the ``filter`` that
        excluded most services, or ``out_of_reach``: see
        :func:`maillage.vocabulary.reasons`). Needs met by a current or
        accepted support are not ranked.

        Parameters
        ----------
        person_id:
            The person (ValueError when unknown).
        thematique:
            A theme code: only the person's need of that theme, or, when
            they have none, the options they would have for it.
        k:
            Options per need (at least 1).
        {rank_parameters}
        explain_radius_km:
            How far to look for a service of the theme when explaining a
            need without options (default 100 km, as ``allocate``).
        """
        settings = _settings_of(locals())
        return _options_frame(self._core.rank(
            str(person_id), thematique, _whole(k, "k"), settings,
            float(explain_radius_km)))

    @_documented
    def rank_all(self, k: int = 5, *, weights: Weights = None,
                 complementarity_weights: Weights = None,
                 reach_km: Optional[float] = None,
                 max_travel_minutes: Optional[float] = None,
                 proximity_half_km: Optional[float] = None,
                 proximity_half_minutes: Optional[float] = None,
                 remote_proximity: Optional[float] = None,
                 unknown_capacity_score: Optional[float] = None,
                 explain_radius_km: float = 100.0,
                 progress: Progress = None) -> pd.DataFrame:
        """The top ``k`` options of every open need of the network, and one
        row with its reason for each open need without any option, with the
        columns of :meth:`rank`.

        Parameters
        ----------
        k:
            Options per need (at least 1).
        {rank_parameters}
        explain_radius_km:
            How far to look for a service of the theme when explaining a
            need without options (default 100 km).
        {progress_parameter}
        """
        settings = _settings_of(locals())
        with progress_callback(progress, "rank_all") as reporter:
            columns = self._core.rank_all(_whole(k, "k"), settings,
                                          float(explain_radius_km), reporter)
        return _options_frame(columns)

    # --- allocation ---------------------------------------------------------

    @_documented
    def allocate(self, *, candidate_limit: int = 16, score_scale: int = 1000,
                 explain_radius_km: float = 100.0,
                 weights: Weights = None,
                 complementarity_weights: Weights = None,
                 reach_km: Optional[float] = None,
                 max_travel_minutes: Optional[float] = None,
                 proximity_half_km: Optional[float] = None,
                 proximity_half_minutes: Optional[float] = None,
                 remote_proximity: Optional[float] = None,
                 unknown_capacity_score: Optional[float] = None,
                 assumed_capacity: int = 1,
                 progress: Progress = None,
                 previous: Optional["Plan"] = None) -> "Plan":
        """The territory-wide plan (docs/model.md): the most people with a
        need covered, then the most needs, urgent ones first, then the best
        total score. Same options as ``maillage allocate``.

        Parameters
        ----------
        candidate_limit:
            Options priced first per need (0: every option); the plan is
            optimal whatever the value, which only changes the speed.
        score_scale:
            Scores enter the objective as whole multiples of
            1/``score_scale``, whatever the size of the network (on large
            ones the solver works in 128 bits:
            ``plan.summary["scaling"]["cost_bits"]``).
        explain_radius_km:
            How far to look for a service of the theme when explaining an
            unmatched need (default 100 km).
        {rank_parameters}
        assumed_capacity:
            The places counted for a service whose capacity is unknown
            (``capacity_available`` NA, as in data·inclusion records); 0
            leaves such services out. Assignments resting on one have
            ``capacity_assumed`` True in ``plan.assignments``.
        {progress_parameter}
        previous:
            A plan of this network or of another scenario of it (matched by
            person, theme and service ids): among the optimal plans, the
            one that keeps the most needs on the service they had there, so
            that a need moves only for a gain on a level (people, needs,
            urgency, score). :func:`compare_needs` then says why each moved.
        """
        from ._plan import Plan
        if previous is not None and not isinstance(previous, Plan):
            raise TypeError("previous must be a maillage.Plan")
        settings = _settings_of(locals())
        with progress_callback(progress, "allocate") as reporter:
            core = self._core.allocate(
                _whole(candidate_limit, "candidate_limit"),
                _whole(score_scale, "score_scale"), float(explain_radius_km),
                settings, _whole(assumed_capacity, "assumed_capacity"),
                reporter, None if previous is None else previous._core)
        return Plan(core, self)

    def partner_graph(self, plan: Optional["Plan"] = None) -> pd.DataFrame:
        """The partner graph analysed (docs/gaps.md): one row per finding
        (``kind``: isolated_partner, site_without_category, component,
        broker, duplicate_pair, complementary_pair, missing_convention) with
        ``territory``, ``site_id``, ``partner_id``, ``other_partner_id``,
        ``category``, ``value``, ``count`` and a ``detail`` sentence. The
        referrals counted and the conventions' value come from ``plan``
        (default: :meth:`allocate` with its defaults).

        Parameters
        ----------
        plan:
            A plan of this network (ValueError for another network's).
        """
        from ._plan import _read_gaps_csv
        if plan is None:
            plan = self.allocate()
        elif plan.network._core is not self._core:
            raise ValueError("plan is a plan of another network")
        return _read_gaps_csv(plan._core.partner_graph_csv())

    # --- scenarios ----------------------------------------------------------

    def with_capacity(self, places: Mapping[str, int]) -> "Network":
        """A new network where each service of ``places`` (service id ->
        places) has that ``capacity_available`` (its ``capacity_max`` raised
        to it where lower). This network is unchanged.

        Parameters
        ----------
        places:
            A dict service id -> places (whole numbers >= 0).
        """
        changes = [(str(s), int(n)) for s, n in places.items()]
        return Network(self._core.with_capacity(changes))

    def without(self, *, partner_id: Union[None, str, Sequence[str]] = None,
                service_id: Union[None, str, Sequence[str]] = None) -> "Network":
        """A new network without some partners (with all their services and
        partnerships) and services (with the supports and travel times that
        name them: a need they met is open again). This network is
        unchanged.

        Parameters
        ----------
        partner_id:
            One partner id or a list of them.
        service_id:
            One service id or a list of them (at least one of the two).
        """
        partners, services = _ids(partner_id), _ids(service_id)
        if not partners and not services:
            raise ValueError("without: give partner_id and/or service_id")
        return Network(self._core.without(partners, services))


def _options_frame(columns: Mapping[str, Any]) -> pd.DataFrame:
    frame = columns_to_frame(columns)
    categories = {code: _core.category_of(code)
                  for code in pd.unique(frame["thematique"])}
    frame.insert(2, "category", frame["thematique"].map(categories))
    return frame


def read_folder(path: PathLike) -> Network:
    """Loads a folder in the native format (docs/format.md).

    Raises FolderNotFoundError (a FileNotFoundError and a ValueError) when
    the folder does not exist, InvalidDataError (a ValueError) when a row is
    rejected: its message is ``maillage validate``'s list of
    ``FILE:LINE:COLUMN: reason`` lines (the first 20) and its ``problems``
    attribute a DataFrame of all of them. Warnings are issued as DataWarning.

    Parameters
    ----------
    path:
        The folder (a str or a path-like object).
    """
    folder = os.fspath(path)
    core, problems, _files, ok, message = _core.load_folder(folder)
    if not ok:
        _raise_invalid(message, problems)
    _warn(problems)
    return Network(core)


def generate(territory: Union[None, str, Sequence[str]] = None, *,
             all: bool = False, national: bool = False, seed: int = 1,
             scale: float = 1.0) -> Network:
    """A synthetic network (docs/synth.md), deterministic from
    ``seed``: one or more Convergence territories (``territory="lyon"``),
    the 8 of them (``all=True``), or every département (``national=True``,
    about 150,000 people at scale 1).

    Parameters
    ----------
    territory:
        One Convergence territory (``"lyon"``) or a list of them.
    all:
        True: the 8 territories.
    national:
        True: every département.
    seed:
        The seed: the same seed gives the same network.
    scale:
        Multiplies the numbers of sites, people, partners and services.
    """
    territories = _ids(territory)
    if sum([bool(territories), all, national]) != 1:
        raise ValueError("generate: give exactly one of territory=..., "
                         "all=True, national=True")
    return Network(_core.generate(territories, national, int(seed), float(scale)))
