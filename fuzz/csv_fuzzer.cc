// libFuzzer target: the RFC 4180 reader. Invariants: no crash; one bad flag
// per record; errors on lines of the input; a table read without errors
// writes back (AppendCsvRecord) to a text that reads to the same records.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv.h"

using maillage::base::CsvTable;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const CsvTable table = maillage::base::ParseCsv(text);
  if (table.records.size() != table.bad.size()) std::abort();
  int64_t lines = 1;
  for (char c : text) lines += c == '\n' || c == '\r';
  for (const auto& e : table.errors) {
    if (e.line < 1 || e.line > lines || e.column < 1) std::abort();
  }
  if (!table.errors.empty()) return 0;
  std::string written;
  for (const auto& r : table.records) {
    std::vector<std::string_view> fields(r.fields.begin(), r.fields.end());
    maillage::base::AppendCsvRecord(fields, &written);
  }
  const CsvTable again = maillage::base::ParseCsv(written);
  if (!again.errors.empty() || again.records.size() != table.records.size()) {
    std::abort();
  }
  for (size_t i = 0; i < table.records.size(); ++i) {
    if (again.records[i].fields != table.records[i].fields) std::abort();
  }
  return 0;
}
