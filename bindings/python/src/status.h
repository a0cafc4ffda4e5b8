// Python exceptions of absl statuses, shared by the _core extension's
// modules. Needs the GIL.

#ifndef MAILLAGE_BINDINGS_PYTHON_SRC_STATUS_H_
#define MAILLAGE_BINDINGS_PYTHON_SRC_STATUS_H_

#include <Python.h>

#include "absl/status/status.h"

namespace maillage::python {

// Raises the Python exception of a non-OK status, with its message:
// InvalidArgument, FailedPrecondition and OutOfRange ValueError; NotFound
// `not_found` (nullptr: maillage.FolderNotFoundError); Unavailable and
// PermissionDenied OSError; anything else RuntimeError.
[[noreturn]] void ThrowStatus(const absl::Status& s,
                              PyObject* not_found = nullptr);

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_STATUS_H_
