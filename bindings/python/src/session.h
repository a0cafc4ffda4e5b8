// maillage._core's journal (maillage/journal.h): the handle behind
// maillage.Session.

#ifndef MAILLAGE_BINDINGS_PYTHON_SRC_SESSION_H_
#define MAILLAGE_BINDINGS_PYTHON_SRC_SESSION_H_

#include <memory>
#include <string>

#include "maillage/network.h"
#include "pybind11/pybind11.h"

namespace maillage::python {

namespace py = pybind11;

// Adds the Journal class to the module.
void BindSession(py::module_& m);
// A new journal at `path` for `network` (Journal::Create), as the Python
// object of BindSession's class.
py::object CreateJournal(const std::string& path, const Network& network,
                         double expiry_days);

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_SESSION_H_
