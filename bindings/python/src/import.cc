// maillage._core's importers (maillage/import.h): import_data_inclusion and
// import_hsds return the imported network's columns (frames.h) and the
// report; the pure-Python package builds the Network from the columns. The
// import runs without the GIL. Errors as in core.cc (status.h), NotFound
// raising FileNotFoundError, with the C++ message (the CLI's).

#include "maillage/import.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "frames.h"
#include "status.h"
#include "pybind11/pybind11.h"
#include "pybind11/stl.h"

namespace maillage::python {
namespace {

// (columns of the network, report): the report as a dict of files
// [(file, table, read, imported, rejected)], problems [(file, record, field,
// reason, warning)], mappings {name: records}, ignored {field: records} and
// its JSON text.
py::tuple Result(absl::StatusOr<ImportResult>&& r) {
  if (!r.ok()) ThrowStatus(r.status(), PyExc_FileNotFoundError);
  const ImportReport& report = r->report;
  py::list files, problems;
  for (const ImportCounts& f : report.files) {
    files.append(
        py::make_tuple(f.file, f.table, f.read, f.imported, f.rejected));
  }
  for (const ImportProblem& p : report.problems) {
    problems.append(
        py::make_tuple(p.file, p.record, p.field, p.reason, p.warning));
  }
  py::dict mappings, ignored;
  for (const ImportCount& m : report.mappings)
    mappings[py::str(m.name)] = m.records;
  for (const ImportCount& m : report.ignored)
    ignored[py::str(m.name)] = m.records;
  py::dict out;
  out["files"] = files;
  out["problems"] = problems;
  out["mappings"] = mappings;
  out["ignored"] = ignored;
  out["json"] = report.ToJson();
  return py::make_tuple(NetworkColumns(r->network), out);
}

}  // namespace

void BindImport(py::module_& m) {
  m.def(
      "import_data_inclusion",
      [](const std::string& structures, const std::string& services,
         const std::string& capacities) {
        DataInclusionFiles files{structures, services, capacities};
        absl::StatusOr<ImportResult> r;
        {
          py::gil_scoped_release release;
          r = ImportDataInclusion(files);
        }
        return Result(std::move(r));
      },
      py::arg("structures"), py::arg("services"), py::arg("capacities"),
      "ImportDataInclusion: (network columns, report).");
  m.def(
      "import_hsds",
      [](const std::string& dir) {
        absl::StatusOr<ImportResult> r;
        {
          py::gil_scoped_release release;
          r = ImportHsds(dir);
        }
        return Result(std::move(r));
      },
      py::arg("dir"), "ImportHsds: (network columns, report).");
}

}  // namespace maillage::python
