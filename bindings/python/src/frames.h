// Network tables as numpy columns, both ways, for the pandas side of the
// Python package.
//
// Out: `NetworkColumns` turns each table of a Network into columns of the
// native format (object arrays of str, None for an absent cell; float64 with
// NaN; int64; optional integers as ("Int64", values, mask) for pandas'
// nullable integers). Lists are '|'-joined codes, as in the CSV files.
//
// In: `AddFrames` reads columns (float64 arrays or object arrays) cell by cell
// in C++ and adds rows to a NetworkBuilder, reporting what the folder loader
// reports (unknown, duplicate or missing columns, malformed numbers, empty
// list items) under the frame's name, with line = row position + 2 so that a
// frame read from a CSV file reports the file's lines. In object arrays, None
// is an absent cell; str cells are parsed as in the CSV files; numbers are
// taken as they are (NaN is absent). Values of personal tables never appear in
// problems.
//
// Both need the GIL (they create or read Python objects).

#ifndef MAILLAGE_BINDINGS_PYTHON_SRC_FRAMES_H_
#define MAILLAGE_BINDINGS_PYTHON_SRC_FRAMES_H_

#include <vector>

#include "maillage/network.h"
#include "pybind11/numpy.h"
#include "pybind11/pybind11.h"
#include "pybind11/stl.h"

namespace maillage::python {

namespace py = pybind11;

// {"sites": {"site_id": array, ...}, "partners": ..., ...}: all 8 tables,
// empty optional tables included. Keys are the file names without ".csv".
py::dict NetworkColumns(const Network& net);

// `frames` maps a table key ("sites", ...) to (column names, arrays); absent
// keys are absent optional tables. Rows are added to `builder`, with the
// table's file name set to its key. Throws py::value_error when a required
// table is missing or the arrays are not 1-D float64/object arrays of equal
// length.
void AddFrames(const py::dict& frames, NetworkBuilder* builder);

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_FRAMES_H_
