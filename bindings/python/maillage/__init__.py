"""maillage: matching people in reinforced integration support to the partner
services of their territory.

Load a network (:func:`read_folder`, :meth:`Network.from_frames`,
:func:`generate`, or import directory data with :func:`read_data_inclusion`
and :func:`read_hsds`), rank referral options (:meth:`Network.rank`), compute the
territory-wide allocation (:meth:`Network.allocate` -> :class:`Plan`, or
:func:`read_plan` for a plan folder), share it (:meth:`Plan.to_geojson`,
:meth:`Plan.to_json`, :meth:`Plan.partner_view`),
derive scenarios (:meth:`Network.with_capacity`, :meth:`Network.without`)
and :func:`compare` their plans; keep a plan day after day as referrals
are sent, answered and started (:class:`Session`, a durable journal); :mod:`maillage.plot` draws a plan and
:mod:`maillage.vocabulary` lists the codes.

Tables go in and out as pandas DataFrames with the columns of the native
folder format. Errors in the data raise :class:`InvalidDataError` (a
ValueError) whose message lists ``FILE:LINE:COLUMN: reason`` lines, as
``maillage validate`` does; messages and reprs hold ids and counts, never a
person's values.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import _core, vocabulary
from ._compare import compare, compare_needs
from ._import import ImportReport, read_data_inclusion, read_hsds
from ._network import (RANK_DEFAULTS, DataWarning, FolderNotFoundError,
                       InvalidDataError, Network, generate, read_folder)
from ._plan import Plan, read_plan
from ._session import EVENT_COLUMNS, Session

__version__: str = _core.__version__

__all__ = [
    "DataWarning",
    "EVENT_COLUMNS",
    "FolderNotFoundError",
    "ImportReport",
    "InvalidDataError",
    "Network",
    "Plan",
    "RANK_DEFAULTS",
    "Session",
    "compare",
    "compare_needs",
    "generate",
    "plot",
    "read_data_inclusion",
    "read_folder",
    "read_hsds",
    "read_plan",
    "theme_codes",
    "category_codes",
    "category_of",
    "vocabulary",
]


def theme_codes() -> list[str]:
    """Every data·inclusion theme code: the 16 categories, then the
    subthemes (``category--subtheme``)."""
    return _core.theme_codes()


def category_codes() -> list[str]:
    """The 16 data·inclusion theme categories."""
    return _core.category_codes()


def category_of(thematique: str) -> str:
    """The category of the theme code ``thematique`` (a category is its
    own); ValueError for an unknown code."""
    return _core.category_of(thematique)


def __getattr__(name: str) -> Any:
    # matplotlib is imported only when a picture is asked for. The submodule
    # is imported by name: `from . import plot` would ask this very function
    # for the attribute again, without end.
    if name == "plot":
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'maillage' has no attribute '{name}'")
