// The state of one import, shared by the data·inclusion and HSDS mappings:
// the input files and their counts, the rows mapped so far with the record
// each came from, the problems and the mapping counts; and `Finish`, which
// resolves references, checks the rows with the NetworkBuilder and makes the
// result.

#ifndef MAILLAGE_SRC_IMPORT_IMPORTER_H_
#define MAILLAGE_SRC_IMPORT_IMPORTER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "maillage/import.h"
#include "maillage/schema.h"

namespace maillage::import {

class Importer;

// Where a value comes from: a record of a source file, and a prefix for the
// fields of a nested object ("structure."). Problems are reported through
// it; a record is rejected at most once.
class Where {
 public:
  Where(Importer* importer, int source, int64_t position,
        std::string prefix = "");
  // A value dropped or changed; the record is kept.
  void Warn(absl::string_view field, std::string reason);
  // Rejects the record (its first rejection counts it).
  void Reject(absl::string_view field, std::string reason);
  bool rejected() const { return rejected_; }
  void Map(absl::string_view mapping);
  const ImportOptions& options() const;
  int source() const { return source_; }
  int64_t position() const { return position_; }
  Importer* importer() const { return importer_; }

 private:
  Importer* importer_;
  int source_;
  int64_t position_;
  std::string prefix_;
  bool rejected_ = false;
};

// A row and the record it came from.
struct Origin {
  int source = -1;
  int64_t position = 0;
};
struct PendingPartner {
  PartnerRow row;
  Origin origin;
  bool rejected = false;
};
struct PendingService {
  ServiceRow row;
  Origin origin;
  bool rejected = false;
  // The structure as written (resolved by Finish), and the data·inclusion
  // source, to resolve a v0 structure_id.
  std::string structure_ref;
  std::string source_name;
  // The capacity row applied to it, if any.
  Origin capacity;
};

class Importer {
 public:
  explicit Importer(const ImportOptions& options) : options_(options) {}

  // A source of records: `table` says what they are. Returns its index.
  int AddSource(std::string file, std::string table);
  void CountRead(int source) { ++files_[static_cast<size_t>(source)].read; }
  void AddProblem(int source, int64_t position, std::string field,
                  std::string reason, bool warning);
  void CountRejected(int source) {
    ++files_[static_cast<size_t>(source)].rejected;
  }
  // A record of a table that feeds other rows (HSDS locations, schedules...)
  // and was used.
  void CountImported(int source) {
    ++files_[static_cast<size_t>(source)].imported;
  }
  void Map(absl::string_view mapping, int64_t records = 1) {
    mappings_[std::string(mapping)] += records;
  }
  // A field with a value that is not imported.
  void Ignore(int source, absl::string_view field);
  const ImportOptions& options() const { return options_; }
  const std::string& file(int source) const {
    return files_[static_cast<size_t>(source)].file;
  }

  // Adds a row, unless its id is taken (then the record is rejected: the
  // earlier one stays). False when rejected.
  bool AddPartner(PartnerRow row, Where& where);
  bool AddService(PendingService service, Where& where);
  // The partner or service of an id, or nullptr.
  PendingPartner* FindPartner(absl::string_view id);
  PendingService* FindService(absl::string_view id);
  bool HasPartner(absl::string_view id) const {
    return partner_index_.contains(id);
  }

  // Rejects a pending row's record (counted once).
  void RejectRow(Origin origin, bool* rejected, std::string field,
                 std::string reason);

  // Resolves each service's structure (rejecting a service whose structure
  // is unknown or rejected), places a partner without location at one of
  // its services, checks every row with the NetworkBuilder, and returns the
  // network and report. Capacity sources: each applied row counts imported
  // when its service is.
  ImportResult Finish() &&;

 private:
  ImportOptions options_;
  std::vector<ImportCounts> files_;
  std::vector<ImportProblem> problems_;
  std::vector<int> problem_source_;
  std::map<std::string, int64_t> mappings_;
  std::vector<std::map<std::string, int64_t>> ignored_;
  std::vector<PendingPartner> partners_;
  std::vector<PendingService> services_;
  absl::flat_hash_map<std::string, size_t> partner_index_;
  absl::flat_hash_map<std::string, size_t> service_index_;
};

}  // namespace maillage::import

#endif  // MAILLAGE_SRC_IMPORT_IMPORTER_H_
