// Importing directory data into the native format: the structures and
// services of data·inclusion (schema v1, and the v0 fields still found in
// exports), with an optional table of capacities, and Open Referral HSDS 3.x
// exports.
//
// An import reads every record of every file and maps it to a partner or a
// service row of the native format (docs/import.md has every mapping). A
// record is imported or rejected, never lost: each value dropped or changed
// and each rejected record is an `ImportProblem` naming the file, the record
// (the 1-based index of a JSON item, the line of a CSV record) and the
// field, and for each file records read == imported + rejected. Unknown
// vocabulary codes, invalid coordinates and unreadable dates are dropped with
// a warning and the record kept; a record without an id, a duplicated id
// (the later record), a service without any valid theme or whose structure
// is unknown or rejected, a place that cannot be located are rejected. The
// rows are then checked by the `NetworkBuilder`: what it rejects is rejected
// too, so that the result always builds and `maillage validate` accepts the
// folder written from it.
//
// Example:
//   maillage::DataInclusionFiles files;
//   files.structures = "structures.json";
//   files.services = "services.json";
//   absl::StatusOr<maillage::ImportResult> r =
//       maillage::ImportDataInclusion(files);
//   if (!r.ok()) { /* a file is missing, unreadable or not JSON/CSV */ }
//   for (const auto& p : r->report.problems) std::cerr << p.ToString() << "\n";
//   absl::Status s = maillage::WriteFolder(r->network, "out");
//
// Thread-safe: the functions share no state; each call reads its own files.
// Complexity: linear in the size of the files; memory holds one file's text
// and the rows (a JSON file is parsed one item at a time).

#ifndef MAILLAGE_IMPORT_H_
#define MAILLAGE_IMPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "maillage/network.h"
#include "maillage/schema.h"

namespace maillage {

// One problem of an imported record.
struct ImportProblem {
  std::string file;
  // 1-based: the index of a JSON item in its array, the line of a CSV record
  // (the header is line 1); 0 for the whole file.
  int64_t record = 0;
  // The input field ("profils", "structure.code_insee"), empty for the
  // whole record.
  std::string field;
  std::string reason;
  // A warning keeps its record (the value was dropped or changed); an error
  // rejects it.
  bool warning = false;
  // "FILE:RECORD:FIELD: reason", or "FILE:RECORD:FIELD: warning: reason".
  std::string ToString() const;
};

// The records of one input file (or of one kind of record in it).
struct ImportCounts {
  std::string file;
  // What the records are: "structures", "services", "capacities",
  // "structures nested in services"; for HSDS, the table ("organization").
  std::string table;
  int64_t read = 0;
  int64_t imported = 0;
  int64_t rejected = 0;  // read == imported + rejected
};

// How many records a mapping was applied to ("v0 profils -> publics"), or
// how many carried a field that is not imported ("ignored: telephone").
struct ImportCount {
  std::string name;
  int64_t records = 0;
};

struct ImportReport {
  // Sorted by file (in the order files are read), then record.
  std::vector<ImportProblem> problems;
  std::vector<ImportCounts> files;
  // The mappings that were applied, by name.
  std::vector<ImportCount> mappings;
  // The input fields that are not imported, each with the number of records
  // that gave it a value, by file then name.
  std::vector<ImportCount> ignored;

  int64_t errors() const;    // problems that rejected a record
  int64_t warnings() const;  // problems that kept it
  // The report as a JSON object: {"files": [...], "mappings": {...},
  // "ignored": {...}, "problems": [...]} (docs/import.md).
  std::string ToJson() const;
};

struct ImportResult {
  // The network of the imported partners and services (no sites, people or
  // needs).
  Network network;
  // RowsOf(network): the rows as the folder writer writes them (locations
  // resolved from communes and partners).
  NetworkRows rows;
  ImportReport report;
};

struct ImportOptions {
  // Files larger than this are refused (ResourceExhausted).
  int64_t max_file_bytes = int64_t{2} << 30;
  // Text fields (names, conditions, opening hours, links) longer than this
  // many bytes are cut, with a warning.
  int64_t max_text_bytes = 4000;
};

// The files of a data·inclusion export. Each is JSON (an array of records,
// or the API's `{"items": [...]}`) or CSV (lists in a cell separated by `,`
// or `|`, or written as a JSON array), found from its content.
struct DataInclusionFiles {
  // May be empty when each service nests its structure (`"structure"`).
  std::string structures;
  std::string services;
  // Optional: a CSV table `service_id, available, maximum, updated[, unit]`
  // (HSDS service_capacity); a service without a row keeps its capacity
  // unknown.
  std::string capacities;
};

// Imports a data·inclusion export. Errors: InvalidArgument when `services`
// is empty, when a file is not JSON nor CSV that can be read (malformed
// JSON: the byte where it fails) or lacks an `id` column (`service_id` for
// capacities); NotFound, Unavailable, ResourceExhausted when a file is
// missing, unreadable or too large; ResourceExhausted when memory runs out.
// Every problem of a record is in the report, not an error.
absl::StatusOr<ImportResult> ImportDataInclusion(
    const DataInclusionFiles& files, const ImportOptions& options = {});

// Imports an Open Referral HSDS 3.x export: a folder of CSV tables
// (organization.csv, service.csv, location.csv, service_at_location.csv,
// service_capacity.csv, unit.csv, service_area.csv, schedule.csv,
// language.csv...) or of JSON files (one array per table, `<table>.json`,
// or `services.json` holding HSDS 3 nested service objects).
// Organizations become partners, services services; what cannot be mapped
// is counted in the report. Errors: NotFound when `dir` is not a folder or
// holds neither organization nor service table, and the errors of
// ImportDataInclusion for each file.
absl::StatusOr<ImportResult> ImportHsds(const std::string& dir,
                                        const ImportOptions& options = {});

}  // namespace maillage

#endif  // MAILLAGE_IMPORT_H_
