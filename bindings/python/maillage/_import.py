"""Directory data into a Network: data·inclusion exports and Open Referral
HSDS 3.x exports (docs/import.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional, Union

import pandas as pd

from . import _core
from ._frames import TABLES, columns_to_frame
from ._network import Network

PathLike = Union[str, "os.PathLike[str]"]


__all__ = ["ImportReport", "read_data_inclusion", "read_hsds"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did, record by record.

    ``files``: one row per input file (or kind of record in it) with
    ``file, table, read, imported, rejected`` (read = imported + rejected);
    ``problems``: ``file, record, field, reason, warning`` (record: the
    1-based index of a JSON item, the line of a CSV record; a warning kept
    its record); ``mappings``: records per mapping applied
    (``"v0 profils -> publics"``); ``ignored``: records per input field that
    is not imported. ``json`` is the text of ``import_report.json``.
    """

    files: pd.DataFrame
    problems: pd.DataFrame
    mappings: dict[str, int]
    ignored: dict[str, int]
    json: str

    @property
    def errors(self) -> int:
        """Records rejected (problems that are not warnings)."""
        return int((~self.problems["warning"]).sum())


def _result(columns: dict, report: dict) -> tuple[Network, ImportReport]:
    frames = {key: columns_to_frame(columns[key]) for key in TABLES}
    network = Network.from_frames(**frames)
    files = pd.DataFrame(report["files"],
                         columns=["file", "table", "read", "imported", "rejected"])
    problems = pd.DataFrame(report["problems"],
                            columns=["file", "record", "field", "reason", "warning"])
    problems = problems.astype({"record": "int64", "warning": bool})
    return network, ImportReport(files, problems, dict(report["mappings"]),
                                 dict(report["ignored"]), report["json"])


def read_data_inclusion(structures: Optional[PathLike], services: PathLike,
                        capacities: Optional[PathLike] = None
                        ) -> tuple[Network, ImportReport]:
    """Imports a data·inclusion export: structures (None when each service
    nests its structure) and services, JSON or CSV, schema v1 or v0, and
    optionally a capacities CSV table ``service_id, available, maximum,
    updated[, unit]``. Returns the network of the imported partners and
    services (no sites or people) and the report; rejected records are in
    the report, not errors.

    Raises FileNotFoundError for a missing file, ValueError for a file that
    is not JSON nor CSV that can be read (the messages of ``maillage import
    data-inclusion``), OSError for one that cannot be read.

    Parameters
    ----------
    structures:
        The structures file (JSON or CSV), or None.
    services:
        The services file (JSON or CSV).
    capacities:
        The capacities CSV file, or None.
    """
    columns, report = _core.import_data_inclusion(
        os.fspath(structures) if structures is not None else "",
        os.fspath(services),
        os.fspath(capacities) if capacities is not None else "")
    return _result(columns, report)


def read_hsds(path: PathLike) -> tuple[Network, ImportReport]:
    """Imports an Open Referral HSDS 3.x export (a folder of CSV or JSON
    tables); as :func:`read_data_inclusion`.

    Parameters
    ----------
    path:
        The export's folder.
    """
    columns, report = _core.import_hsds(os.fspath(path))
    return _result(columns, report)
