// Building numpy columns in C++, one cell at a time, for the tables the
// Python package turns into DataFrames. Needs the GIL.

#ifndef MAILLAGE_BINDINGS_PYTHON_SRC_COLUMNS_H_
#define MAILLAGE_BINDINGS_PYTHON_SRC_COLUMNS_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/types/optional.h"
#include "pybind11/numpy.h"
#include "pybind11/pybind11.h"

namespace maillage::python {

namespace py = pybind11;

// A new reference to a str (None when `s` is empty).
inline PyObject* NewStr(std::string_view s) {
  if (s.empty()) {
    Py_INCREF(Py_None);
    return Py_None;
  }
  PyObject* o =
      PyUnicode_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
  if (o == nullptr) throw py::error_already_set();
  return o;
}

// One str object per key (an entity or code index), shared by every cell
// that names it: a plan names the same services and themes many times.
class StrCache {
 public:
  // Borrowed reference, valid while the cache lives; `text` is read the
  // first time `key` is asked for.
  PyObject* Get(size_t key, std::string_view text) {
    if (key >= objects_.size()) objects_.resize(key + 1);
    if (!objects_[key]) {
      objects_[key] = py::reinterpret_steal<py::object>(NewStr(text));
    }
    return objects_[key].ptr();
  }

 private:
  std::vector<py::object> objects_;
};

// An object array of str, None for an empty value.
class StrColumn {
 public:
  explicit StrColumn(size_t n)
      : array_(py::dtype("object"),
               std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)}),
        data_(static_cast<PyObject**>(array_.mutable_data())) {}

  void Set(size_t i, std::string_view s) { Put(i, NewStr(s)); }
  void SetList(size_t i, const std::vector<std::string>& items) {
    Set(i, absl::StrJoin(items, "|"));
  }
  // `o` is borrowed.
  void SetObject(size_t i, PyObject* o) {
    Py_INCREF(o);
    Put(i, o);
  }
  void SetNone(size_t i) { SetObject(i, Py_None); }
  py::array array() && { return std::move(array_); }

 private:
  void Put(size_t i, PyObject* o) {
    // numpy leaves new object arrays NULL-filled.
    Py_XDECREF(data_[i]);
    data_[i] = o;
  }
  py::array array_;
  PyObject** data_;
};

template <typename T>
class NumColumn {
 public:
  explicit NumColumn(size_t n)
      : array_(static_cast<py::ssize_t>(n)), data_(array_.mutable_data()) {}
  void Set(size_t i, T v) { data_[i] = v; }
  py::array array() && { return std::move(array_); }

 private:
  py::array_t<T> array_;
  T* data_;
};

class F64Column : public NumColumn<double> {
 public:
  using NumColumn::NumColumn;
  void SetOpt(size_t i, const absl::optional<double>& v) {
    Set(i, v ? *v : std::nan(""));
  }
};

// pandas' nullable Int64, as ("Int64", values, mask of absent cells).
class OptIntColumn {
 public:
  explicit OptIntColumn(size_t n) : values_(n), mask_(n) {}
  void Set(size_t i, const absl::optional<int64_t>& v) {
    values_.Set(i, v.value_or(0));
    mask_.Set(i, !v.has_value());
  }
  py::object object() && {
    return py::make_tuple("Int64", std::move(values_).array(),
                          std::move(mask_).array());
  }

 private:
  NumColumn<int64_t> values_;
  NumColumn<bool> mask_;
};

// A table built column by column, each column from a function of the row
// index; `dict()` gives the numpy arrays by name, in the order added.
//
//   py::dict d = ColumnsOf(n)
//                    .Str("person_id", [&](size_t i) { return ids[i]; })
//                    .Num<double>("score", [&](size_t i) { return s[i]; })
//                    .dict();
class ColumnsOf {
 public:
  explicit ColumnsOf(size_t rows) : rows_(rows) {}

  // f(i) returns a borrowed PyObject* (nullptr for None) or a string (None
  // when empty).
  template <typename F>
  ColumnsOf& Str(const char* name, F f) {
    StrColumn col(rows_);
    for (size_t i = 0; i < rows_; ++i) {
      auto v = f(i);
      if constexpr (std::is_same_v<decltype(v), PyObject*>) {
        col.SetObject(i, v != nullptr ? v : Py_None);
      } else {
        col.Set(i, v);
      }
    }
    dict_[name] = std::move(col).array();
    return *this;
  }

  template <typename T, typename F>
  ColumnsOf& Num(const char* name, F f) {
    NumColumn<T> col(rows_);
    for (size_t i = 0; i < rows_; ++i) col.Set(i, static_cast<T>(f(i)));
    dict_[name] = std::move(col).array();
    return *this;
  }

  // f(i) returns an absl::optional<int64_t>: pandas' nullable Int64.
  template <typename F>
  ColumnsOf& OptInt(const char* name, F f) {
    OptIntColumn col(rows_);
    for (size_t i = 0; i < rows_; ++i) col.Set(i, f(i));
    dict_[name] = std::move(col).object();
    return *this;
  }

  // The columns (taken: call once, last).
  py::dict dict() { return std::move(dict_); }

 private:
  size_t rows_;
  py::dict dict_;
};

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_COLUMNS_H_
