#include "frames.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "base/cells.h"
#include "base/text.h"
#include "columns.h"
#include "network/cells.h"

namespace maillage::python {
namespace {

// The text of a number read where text is expected (an id or a commune code
// read by pandas as a number): integral values without a fraction.
std::string NumberText(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  return base::FormatNumber(v);
}

// --- Out: columns of a table -------------------------------------------------

// One array per column of `rows`' table, by the column's cell type; an
// integer column absent in some rows is a pandas nullable Int64.
template <typename Row>
py::dict TableColumnsOf(const std::vector<Row>& rows) {
  const size_t n = rows.size();
  py::dict d;
  for (const Column<Row>& c : Columns<Row>()) {
    const std::string name(c.info.name);
    switch (c.info.type) {
      case CellType::kText:
      case CellType::kList: {
        StrColumn col(n);
        for (size_t i = 0; i < n; ++i) {
          if (c.text != nullptr) {
            col.Set(i, rows[i].*c.text);
          } else {
            col.SetList(i, rows[i].*c.list);
          }
        }
        d[name.c_str()] = std::move(col).array();
        break;
      }
      case CellType::kNumber: {
        F64Column col(n);
        for (size_t i = 0; i < n; ++i) col.SetOpt(i, rows[i].*c.number);
        d[name.c_str()] = std::move(col).array();
        break;
      }
      case CellType::kInteger:
        if (c.info.always_set) {
          NumColumn<int64_t> col(n);
          for (size_t i = 0; i < n; ++i) {
            col.Set(i, (rows[i].*c.integer).value_or(0));
          }
          d[name.c_str()] = std::move(col).array();
        } else {
          OptIntColumn col(n);
          for (size_t i = 0; i < n; ++i) col.Set(i, rows[i].*c.integer);
          d[name.c_str()] = std::move(col).object();
        }
        break;
    }
  }
  return d;
}

// --- In: the cells of a frame ------------------------------------------------

// One column as given: float64, int64 or object values.
struct InColumn {
  const double* f64 = nullptr;
  const int64_t* i64 = nullptr;
  PyObject* const* obj = nullptr;
};

// The cells of one frame as a source of cells for network::ReadRow: column
// i of the frame at the current row, read with the folder loader's parsing
// rules and problems (network::TextCells for str cells).
class FrameCells {
 public:
  FrameCells(NetworkBuilder* builder, Table table,
             std::vector<InColumn> columns)
      : text_(builder, table), columns_(std::move(columns)) {}

  void SetRow(int64_t row) {
    row_ = static_cast<size_t>(row);
    text_.SetLine(row + 2);
  }
  RowOrigin origin() const { return RowOrigin{text_.line()}; }

  void Read(int i, absl::string_view field, std::string* out) {
    out->clear();
    const InColumn& c = columns_[static_cast<size_t>(i)];
    if (c.f64 != nullptr) {
      const double v = c.f64[row_];
      if (!std::isnan(v)) *out = NumberText(v);
    } else if (c.i64 != nullptr) {
      *out = absl::StrCat(c.i64[row_]);
    } else {
      ObjectText(c.obj[row_], field, out);
    }
  }

  // A list of codes, or a '|'-joined str.
  void Read(int i, absl::string_view field, std::vector<std::string>* out) {
    const InColumn& c = columns_[static_cast<size_t>(i)];
    PyObject* o = c.obj != nullptr ? c.obj[row_] : nullptr;
    if (o == nullptr || !(PyList_Check(o) || PyTuple_Check(o))) {
      std::string text;
      Read(i, field, &text);
      text_.Parse(text, field, out);
      return;
    }
    out->clear();
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject** items = PySequence_Fast_ITEMS(o);
    for (Py_ssize_t k = 0; k < n; ++k) {
      std::string item;
      ObjectText(items[k], field, &item);
      if (item.empty()) {
        text_.Fail(field, "empty item in a '|' list");
      } else {
        out->push_back(std::move(item));
      }
    }
  }

  // A float64 or int64 column as it is, a Python number (numpy scalars,
  // Decimal...) as a double, a str parsed as in the CSV files.
  void Read(int i, absl::string_view field, absl::optional<double>* out) {
    PyObject* o = FromArray(i, field, out);
    if (o == nullptr) return;
    if (PyLong_Check(o)) {
      const double v = PyLong_AsDouble(o);
      if (v == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        text_.Malformed(field, "malformed number", "");
      } else {
        *out = v;
      }
      return;
    }
    if (absl::optional<double> v = AsDouble(o))
      return FromDouble(field, *v, out);
    ParseObject(o, field, out);
  }

  // An int64 column as it is, a float64 one when integral, a Python integer
  // (int, bool, numpy integers) in the int64 range, a str parsed as in the
  // CSV files.
  void Read(int i, absl::string_view field, absl::optional<int64_t>* out) {
    PyObject* o = FromArray(i, field, out);
    if (o == nullptr) return;
    if (!PyUnicode_Check(o) && PyIndex_Check(o)) {
      PyObject* x = PyNumber_Index(o);
      if (x != nullptr) {
        int overflow = 0;
        const long long v = PyLong_AsLongLongAndOverflow(x, &overflow);
        Py_DECREF(x);
        if (overflow == 0 && !(v == -1 && PyErr_Occurred())) {
          *out = static_cast<int64_t>(v);
          return;
        }
      }
      PyErr_Clear();
      std::string cell;
      ObjectText(o, field, &cell);
      text_.Malformed(field, "malformed integer", cell);
      return;
    }
    if (absl::optional<double> v = AsDouble(o))
      return FromDouble(field, *v, out);
    ParseObject(o, field, out);
  }

 private:
  // The text of a cell: str as is, None empty, a float without its ".0"
  // when integral (ids and communes read as numbers), anything else str().
  void ObjectText(PyObject* o, absl::string_view field, std::string* out) {
    out->clear();
    if (o == nullptr || o == Py_None) return;
    if (PyUnicode_Check(o)) {
      Utf8(o, field, out);
    } else if (PyFloat_Check(o)) {
      const double v = PyFloat_AS_DOUBLE(o);
      if (!std::isnan(v)) *out = NumberText(v);
    } else {
      PyObject* s = PyObject_Str(o);
      if (s == nullptr) throw py::error_already_set();
      Utf8(s, field, out);
      Py_DECREF(s);
    }
  }

  void Utf8(PyObject* s, absl::string_view field, std::string* out) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(s, &n);
    if (p == nullptr) {  // lone surrogates
      PyErr_Clear();
      text_.Fail(field, "invalid UTF-8");
      return;
    }
    out->assign(p, static_cast<size_t>(n));
  }

  // A number cell read from a float64 or int64 column, or absent: nullptr.
  // Else the object of an object column, for the caller to read.
  template <typename T>
  PyObject* FromArray(int i, absl::string_view field, absl::optional<T>* out) {
    out->reset();
    const InColumn& c = columns_[static_cast<size_t>(i)];
    if (c.f64 != nullptr) {
      FromDouble(field, c.f64[row_], out);
    } else if (c.i64 != nullptr) {
      *out = static_cast<T>(c.i64[row_]);
    } else if (IsBool(c.obj[row_])) {
      text_.Fail(field, "a boolean is not a number");
    } else if (c.obj[row_] != Py_None) {
      return c.obj[row_];
    }
    return nullptr;
  }

  // True for True and False, Python's or numpy's (which would otherwise be
  // read as 1 and 0).
  static bool IsBool(PyObject* o) {
    if (o == nullptr) return false;
    if (PyBool_Check(o)) return true;
    const absl::string_view type = Py_TYPE(o)->tp_name;
    return type == "numpy.bool_" || type == "numpy.bool";
  }

  // A float or another number that is not a str, as a double.
  static absl::optional<double> AsDouble(PyObject* o) {
    if (PyFloat_Check(o)) return PyFloat_AS_DOUBLE(o);
    if (PyUnicode_Check(o) || !PyNumber_Check(o)) return absl::nullopt;
    PyObject* x = PyNumber_Float(o);
    if (x == nullptr) {
      PyErr_Clear();
      return absl::nullopt;
    }
    const double v = PyFloat_AS_DOUBLE(x);
    Py_DECREF(x);
    return v;
  }

  // Any other object: its text, parsed as in the CSV files.
  template <typename T>
  void ParseObject(PyObject* o, absl::string_view field, T* out) {
    std::string cell;
    ObjectText(o, field, &cell);
    text_.Parse(cell, field, out);
  }

  void FromDouble(absl::string_view field, double v,
                  absl::optional<double>* out) {
    if (std::isnan(v)) return;
    if (!std::isfinite(v)) {
      text_.Malformed(field, "malformed number", NumberText(v));
      return;
    }
    *out = v;
  }

  void FromDouble(absl::string_view field, double v,
                  absl::optional<int64_t>* out) {
    if (std::isnan(v)) return;
    // 2^63 is exactly representable; anything at or above it overflows.
    if (v != std::floor(v) || std::fabs(v) >= 9.2233720368547758e18) {
      text_.Malformed(field, "malformed integer", NumberText(v));
      return;
    }
    *out = static_cast<int64_t>(v);
  }

  network::TextCells text_;
  std::vector<InColumn> columns_;
  size_t row_ = 0;
};

// (column names, arrays) of a frame, checked: 1-D contiguous float64, int64
// or object arrays of equal length. Returns the number of rows.
py::ssize_t ReadColumns(const std::string& key, const py::handle& spec,
                        std::vector<std::string>* names,
                        std::vector<InColumn>* columns) {
  py::tuple pair = py::reinterpret_borrow<py::object>(spec).cast<py::tuple>();
  if (pair.size() != 2) {
    throw py::value_error(key + ": expected (column names, arrays)");
  }
  *names = pair[0].cast<std::vector<std::string>>();
  py::list arrays = pair[1].cast<py::list>();
  if (arrays.size() != names->size()) {
    throw py::value_error(key + ": as many arrays as column names expected");
  }
  py::ssize_t rows = -1;
  for (py::handle h : arrays) {
    py::array a = py::reinterpret_borrow<py::array>(h);
    if (!py::isinstance<py::array>(h) || a.ndim() != 1 ||
        !(a.flags() & py::array::c_style)) {
      throw py::value_error(key + ": columns must be 1-D contiguous arrays");
    }
    if (rows >= 0 && a.shape(0) != rows) {
      throw py::value_error(key + ": columns of different lengths");
    }
    rows = a.shape(0);
    InColumn c;
    const char kind = a.dtype().kind();
    if (kind == 'f' && a.itemsize() == 8) {
      c.f64 = static_cast<const double*>(a.data());
    } else if (kind == 'i' && a.itemsize() == 8) {
      c.i64 = static_cast<const int64_t*>(a.data());
    } else if (kind == 'O') {
      c.obj = static_cast<PyObject* const*>(a.data());
    } else {
      throw py::value_error(
          key + ": columns must be float64, int64 or object arrays");
    }
    columns->push_back(c);
  }
  return rows < 0 ? 0 : rows;
}

template <typename Row>
void AddFrame(NetworkBuilder& b, const py::handle& spec) {
  const Table t = TableOf<Row>();
  const std::string key(TableName(t));
  std::vector<std::string> names;
  std::vector<InColumn> columns;
  const py::ssize_t rows = ReadColumns(key, spec, &names, &columns);
  b.SetFileName(t, key);
  // Checked as the folder loader checks a file's header.
  const bool header_ok = b.CheckHeader(t, names);
  b.SetColumns(t, names);
  const std::vector<int> positions = network::PositionsOf(t, names);
  FrameCells cells(&b, t, std::move(columns));
  for (py::ssize_t i = 0; i < rows; ++i) {
    cells.SetRow(i);
    if (!header_ok) {
      // The header problem says why; the ids still mark references to these
      // rows as references to rejected rows.
      const bool has_id = t == Table::kSites || t == Table::kPartners ||
                          t == Table::kServices || t == Table::kPersons;
      std::string id;
      if (has_id && positions[0] >= 0) {
        cells.Read(positions[0], TableColumns(t)[0].name, &id);
      }
      b.AddRejected(t, i + 2, std::move(id));
      continue;
    }
    b.Add(network::ReadRow<Row>(positions, cells), cells.origin());
  }
}

}  // namespace

py::dict NetworkColumns(const Network& net) {
  const NetworkRows rows = RowsOf(net);
  py::dict d;
  ForEachTable(rows, [&](Table t, const auto& table) {
    d[std::string(TableName(t)).c_str()] = TableColumnsOf(table);
  });
  return d;
}

void AddFrames(const py::dict& frames, NetworkBuilder* builder) {
  for (auto item : frames) {
    const std::string key = py::str(item.first);
    bool known = false;
    for (Table t : kTables) known |= key == TableName(t);
    if (!known) throw py::value_error("unknown table " + base::Quoted(key));
  }
  NetworkRows none;
  ForEachTable(none, [&](Table t, auto& table) {
    using Row = typename std::decay_t<decltype(table)>::value_type;
    const std::string key(TableName(t));
    if (!frames.contains(key) || frames[key.c_str()].is_none()) {
      if (!IsOptionalTable(t)) {
        throw py::value_error("the '" + key + "' frame is required");
      }
      return;
    }
    AddFrame<Row>(*builder, frames[key.c_str()]);
  });
}

}  // namespace maillage::python
