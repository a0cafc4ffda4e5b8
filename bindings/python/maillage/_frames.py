"""Conversions between pandas DataFrames and the numpy columns of ``_core``.

Every conversion is column-wise (numpy and pandas vectorised operations);
the cells are read or written one by one in C++ only.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from . import _core

__all__ = ["NUMERIC_COLUMNS", "SCHEMA", "TABLES", "columns_to_frame",
           "frame_columns", "frames_to_core", "problems_frame",
           "table_columns"]

# The schema of the native tables: (name, cell type, required) per column,
# from the library.
SCHEMA: dict[str, list[tuple[str, str, bool]]] = _core.table_columns()
TABLES = tuple(SCHEMA)

# Per table, the columns the native format reads as numbers. A numeric
# column goes to C++ as a float64 or int64 array; any other column as an
# object array (None for a missing cell), whose str cells C++ parses as in
# the CSV files.
NUMERIC_COLUMNS = {
    table: frozenset(name for name, kind, _ in columns
                     if kind in ("number", "integer"))
    for table, columns in SCHEMA.items()}


def _column_array(numeric: bool, series: pd.Series) -> np.ndarray:
    dtype = series.dtype
    if (numeric and pd.api.types.is_numeric_dtype(dtype)
            and not pd.api.types.is_bool_dtype(dtype)):
        if isinstance(dtype, pd.api.extensions.ExtensionDtype):
            # Nullable Int64 / Float64: missing cells become NaN (absent).
            array = series.to_numpy(dtype=np.float64, na_value=np.nan)
        elif dtype.kind in "iu":
            array = series.to_numpy(dtype=np.int64)
        else:
            array = series.to_numpy(dtype=np.float64)
    else:
        array = series.to_numpy(dtype=object, na_value=None)
    return np.ascontiguousarray(array)


def frame_columns(key: str, frame: Any) -> tuple[list[str], list[np.ndarray]]:
    """(column names, arrays) of one frame, columns by position."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{key}: a pandas DataFrame is expected, "
                        f"not {type(frame).__name__}")
    names = [str(c) for c in frame.columns]
    numeric = NUMERIC_COLUMNS.get(key, frozenset())
    arrays = [_column_array(names[i] in numeric, frame.iloc[:, i])
              for i in range(len(names))]
    return names, arrays


def frames_to_core(frames: Mapping[str, Any]) -> dict[str, tuple[list[str], list[np.ndarray]]]:
    return {key: frame_columns(key, frame) for key, frame in frames.items()
            if frame is not None}


def columns_to_frame(columns: Mapping[str, Any]) -> pd.DataFrame:
    """A DataFrame from ``_core`` columns; ("Int64", values, mask) tuples
    become pandas nullable integers."""
    data: dict[str, Any] = {}
    for name, column in columns.items():
        if isinstance(column, tuple):
            _, values, mask = column
            data[name] = pd.arrays.IntegerArray(values, mask)
        else:
            data[name] = column
    return pd.DataFrame(data)


def problems_frame(problems: list[tuple]) -> pd.DataFrame:
    """The problems of a load or build: file, line, column, field, reason,
    warning (ids, positions and reasons only, never a person's values)."""
    frame = pd.DataFrame(
        problems, columns=["file", "line", "column", "field", "reason", "warning"])
    return frame.astype({"line": "int64", "column": "int64", "warning": bool})


def table_columns() -> dict[str, list[str]]:
    """The column names of each table, in order."""
    return {table: [name for name, _, _ in columns]
            for table, columns in SCHEMA.items()}
