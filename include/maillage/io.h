// Reading and writing a network as a folder of the native format (CSV, see
// docs/format.md).
//
// `LoadFolder` reads `sites.csv`, `partners.csv`, `services.csv`,
// `persons.csv`, `needs.csv` (required) and `supports.csv`,
// `partnerships.csv`, `travel_times.csv` (optional) with a strict RFC 4180
// reader (quotes, embedded commas and newlines, CRLF, UTF-8 BOM). Every
// problem is reported as `FILE:LINE:COLUMN: reason`, all problems of every
// file in one run, and for each file rows read == loaded + rejected.
//
// Example:
//   absl::StatusOr<maillage::LoadResult> r = maillage::LoadFolder("data/lyon");
//   if (!r.ok()) { /* I/O error: missing file, unreadable folder */ }
//   for (const auto& p : r->problems) std::cerr << p.ToString() << "\n";
//   if (r->ok()) Use(r->network);

#ifndef MAILLAGE_IO_H_
#define MAILLAGE_IO_H_

#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "maillage/network.h"

namespace maillage {

struct FileReport {
  std::string file;  // path as opened
  bool present = false;
  TableCounts counts;
};

struct LoadResult {
  // The network of all accepted rows (complete when ok()).
  Network network;
  // Syntax and validation problems, sorted by file then line.
  std::vector<Problem> problems;
  // One per table, in `Table` order; absent optional files have present=false.
  std::array<FileReport, kNumTables> files;
  // True when no row was rejected.
  bool ok() const;
};

// Fails (NotFound) only when the folder does not exist. Every other problem
// is a problem of the result, each file checked whatever the others: a
// missing required file (`FILE:0:0: required file is missing`), a file that
// cannot be read (a folder, a named pipe, a device, a broken symbolic link
// or a loop, over 2 GiB), a table's file named with other capitals (an
// error), another .csv file (a warning: not read), and every problem in the
// data, at most kMaxProblemsPerFile listed per file.
absl::StatusOr<LoadResult> LoadFolder(const std::string& dir);

// As LoadFolder, but fails with InvalidArgument (listing the first problems)
// when any row was rejected.
absl::StatusOr<Network> LoadFolderStrict(const std::string& dir);

// Writes the network in the native format into `dir` (created if needed).
// Optional tables are written only when not empty. The written folder loads
// back to an equal network.
absl::Status WriteFolder(const Network& network, const std::string& dir);

// One table of the native format as text: its file name ("persons.csv")
// and its CSV content.
struct TableText {
  std::string file;
  std::string text;
  friend bool operator==(const TableText&, const TableText&) = default;
};
// The tables WriteFolder writes, as text, in `Table` order.
std::vector<TableText> NetworkTables(const Network& network);
// The network of tables as NetworkTables gives them, read as LoadFolderStrict
// reads a folder: InvalidArgument listing the first problems when a row is
// rejected, a required table is missing or a file name is not a table's.
absl::StatusOr<Network> NetworkFromTables(const std::vector<TableText>& tables);

}  // namespace maillage

#endif  // MAILLAGE_IO_H_
