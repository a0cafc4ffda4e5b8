"""The Network: loading, building from DataFrames, ranking, scenarios."""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._frames import TABLES, columns_to_frame, frames_to_core, problems_frame

if TYPE_CHECKING:
    from ._plan import Plan

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


def _weights(weights: Weights) -> Optional[tuple[float, float, float]]:
    if weights is None:
        return None
    unknown = set(weights) - {"capacity", "proximity", "complementarity"}
    if unknown:
        raise ValueError(f"unknown weight(s) {sorted(unknown)}: expected "
                         "capacity, proximity, complementarity")
    default = {"capacity": 0.40, "proximity": 0.35, "complementarity": 0.25}
    default.update(weights)
    return (float(default["capacity"]), float(default["proximity"]),
            float(default["complementarity"]))


def _whole(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return int(value)


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
        when a row is rejected; warnings are issued as DataWarning.
        """
        frames = {"sites": sites, "partners": partners, "services": services,
                  "persons": persons, "needs": needs, "supports": supports,
                  "partnerships": partnerships, "travel_times": travel_times}
        core, problems, _counts, ok, message = _core.build_network(
            frames_to_core(frames))
        if not ok:
            _raise_invalid(message, problems)
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
        """Writes the network in the native folder format (CSV files)."""
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

    def __reduce__(self) -> tuple[Any, ...]:
        return (Network, (self._core,))

    # --- ranking ------------------------------------------------------------

    def rank(self, person_id: str, thematique: Optional[str] = None, k: int = 5,
             *, weights: Weights = None) -> pd.DataFrame:
        """The top ``k`` options of each open need of a person (or of one
        theme, a need of theirs or not), best first: ``person_id,
        thematique, rank, service_id, partner_id, score, capacity,
        proximity, complementarity, distance_km, remote, full,
        capacity_known``.

        ``score`` is the weighted sum of the three parts (defaults capacity
        0.40, proximity 0.35, complementarity 0.25; ``weights`` overrides
        some, normalised to sum 1). ``distance_km`` is NaN for an option used
        remotely; ``full`` flags a service without free places (waiting
        list); ``capacity_known`` is False for a service that publishes no
        places (its capacity part is then 0.5). Needs met by a current or accepted support are not ranked.
        """
        return columns_to_frame(self._core.rank(
            str(person_id), thematique, int(k), _weights(weights)))

    def rank_all(self, k: int = 5, *, weights: Weights = None) -> pd.DataFrame:
        """The top ``k`` options of every open need of the network, with the
        columns of :meth:`rank`."""
        return columns_to_frame(self._core.rank_all(int(k), _weights(weights)))

    # --- allocation ---------------------------------------------------------

    def allocate(self, *, candidate_limit: int = 16, score_scale: int = 1000,
                 explain_radius_km: float = 100.0,
                 weights: Weights = None,
                 assumed_capacity: int = 1) -> "Plan":
        """The territory-wide plan (docs/model.md): the most people with a
        need covered, then the most needs, urgent ones first, then the best
        total score. Same options as ``maillage allocate``.

        A service whose capacity is unknown (``capacity_available`` NA, as
        in data·inclusion records) counts ``assumed_capacity`` places (0:
        left out of the plan); every assignment resting on it has
        ``capacity_assumed`` True in ``plan.assignments``."""
        from ._plan import Plan
        core = self._core.allocate(int(candidate_limit), int(score_scale),
                                   float(explain_radius_km), _weights(weights),
                                   _whole(assumed_capacity, "assumed_capacity"))
        return Plan(core, self)

    def partner_graph(self, plan: Optional["Plan"] = None) -> pd.DataFrame:
        """The partner graph analysed (docs/gaps.md): one row per finding
        (``kind``: isolated_partner, site_without_category, component,
        broker, duplicate_pair, complementary_pair, missing_convention) with
        ``territory``, ``site_id``, ``partner_id``, ``other_partner_id``,
        ``category``, ``value``, ``count`` and a ``detail`` sentence. The
        referrals counted and the conventions' value come from ``plan``
        (default: :meth:`allocate` with its defaults)."""
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
        to it where lower). This network is unchanged."""
        changes = [(str(s), int(n)) for s, n in places.items()]
        return Network(self._core.with_capacity(changes))

    def without(self, *, partner_id: Union[None, str, Sequence[str]] = None,
                service_id: Union[None, str, Sequence[str]] = None) -> "Network":
        """A new network without some partners (with all their services and
        partnerships) and services (with the supports and travel times that
        name them: a need they met is open again). Ids are one id or a list.
        This network is unchanged."""
        partners, services = _ids(partner_id), _ids(service_id)
        if not partners and not services:
            raise ValueError("without: give partner_id and/or service_id")
        return Network(self._core.without(partners, services))


def read_folder(path: PathLike) -> Network:
    """Loads a folder in the native format (docs/format.md).

    Raises FolderNotFoundError (a FileNotFoundError and a ValueError) when
    the folder does not exist, InvalidDataError (a ValueError) when a row is
    rejected: its message is ``maillage validate``'s list of
    ``FILE:LINE:COLUMN: reason`` lines (the first 20) and its ``problems``
    attribute a DataFrame of all of them. Warnings are issued as DataWarning.
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
    about 150,000 people at scale 1). ``scale`` multiplies the numbers of
    sites, people, partners and services."""
    territories = _ids(territory)
    if sum([bool(territories), all, national]) != 1:
        raise ValueError("generate: give exactly one of territory=..., "
                         "all=True, national=True")
    return Network(_core.generate(territories, national, int(seed), float(scale)))
