// libFuzzer target: the RFC 4180 reader. Invariants: no crash; one bad flag
// per record; errors on lines of the input; a table read without errors
// writes back (AppendCsvRecord) to a text that reads to the same records;
// the decoding of a spreadsheet's file (base/encoding.h) gives UTF-8.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv.h"
#include "base/encoding.h"

using maillage::base::CsvTable;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // As the folder loader reads a spreadsheet's file: decoded to UTF-8 (or
  // refused), then split on ';'. The decoded text must be valid UTF-8
  // whenever the input was not UTF-8 at all.
  if (absl::StatusOr<maillage::base::DecodedText> d =
          maillage::base::DecodeText(std::string(text));
      d.ok()) {
    const CsvTable semicolon = maillage::base::ParseCsv(d->text, ';');
    if (semicolon.records.size() != semicolon.bad.size()) std::abort();
    if (d->encoding != maillage::base::Encoding::kUtf8) {
      for (size_t i = 0; i < d->text.size();) {
        const size_t n = maillage::base::Utf8SequenceLength(d->text, i);
        if (n == 0) std::abort();
        i += n;
      }
    }
  }
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
