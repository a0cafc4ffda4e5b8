// What the data·inclusion and HSDS mappings share: code tables, the
// fields of a record marked as they are read, capacity rows, and reading a
// file of records into a source of the import.

#ifndef MAILLAGE_SRC_IMPORT_MAPPING_H_
#define MAILLAGE_SRC_IMPORT_MAPPING_H_

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "import/importer.h"
#include "import/record.h"

namespace maillage::import {

// The value of `key` in a table of pairs, or nullopt.
inline absl::optional<absl::string_view> Lookup(
    absl::Span<const std::pair<absl::string_view, absl::string_view>> table,
    absl::string_view key) {
  for (const auto& [from, to] : table) {
    if (from == key) return to;
  }
  return absl::nullopt;
}

// The fields of a record, each marked used when read: the others, when
// they hold a value, are counted as not imported.
class Fields {
 public:
  explicit Fields(const Value& record) : record_(record) {}
  const Value& operator[](absl::string_view name) {
    used_.insert(std::string(name));
    return record_.Get(name);
  }
  bool Has(absl::string_view name) const { return !record_.Get(name).Empty(); }
  void CountIgnored(Importer& imp, int source,
                    absl::string_view prefix = "") const {
    for (const auto& [name, value] : record_.fields) {
      if (!value.Empty() && !used_.contains(name)) {
        imp.Ignore(source, absl::StrCat(prefix, name));
      }
    }
  }

 private:
  const Value& record_;
  absl::flat_hash_set<std::string> used_;
};

// A capacity row (`service_id, available, maximum, updated[, unit]`)
// applied to its service: the row is rejected for an unknown or rejected
// service, a second row of a service, a negative or fractional number,
// available > maximum, a unit other than places or people. False when
// rejected.
bool AddCapacity(Importer& imp, const Value& record, Where& w);

// Reads every record of `path` into a new source of `imp` (its records are
// `table`), calling `add(record, where)` for each record that can be read;
// the others are rejected. A CSV file whose header lacks `required` is an
// InvalidArgument error; the errors of ReadRecords.
absl::Status ReadSource(Importer& imp, const std::string& path,
                        absl::string_view table, absl::string_view required,
                        absl::FunctionRef<void(const Value&, Where&)> add);

}  // namespace maillage::import

#endif  // MAILLAGE_SRC_IMPORT_MAPPING_H_
