// Strict RFC 4180 CSV reading and writing.
//
// The reader works in a single pass over an in-memory buffer and never aborts
// on malformed input: syntax problems are reported in CsvTable::errors while
// the affected records are still returned (flagged in CsvTable::bad) so that
// callers can count them as read and rejected.

#ifndef MAILLAGE_BASE_CSV_H_
#define MAILLAGE_BASE_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace maillage::base {

// One record (row) of a CSV file.
struct CsvRecord {
  int64_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;  // unquoted field values
};

// One syntax problem found while reading.
struct CsvError {
  int64_t line = 0;     // 1-based physical line where the problem is
  int64_t column = 0;   // 1-based field index within the record
  std::string message;  // e.g. "unterminated quoted field", never includes
                        // field contents
};

// Result of reading a CSV buffer.
struct CsvTable {
  std::vector<CsvRecord> records;  // all records, header first
  std::vector<bool> bad;  // bad[i] == true when records[i] had a syntax error
  std::vector<CsvError> errors;
};

// Reads a whole buffer.
//
// - A leading UTF-8 BOM is skipped.
// - Line ends are LF or CRLF; a final line end is optional. Lines are counted
//   by LF characters (also inside quoted fields). A text without any LF but
//   with CRs outside quotes has CR line ends (old Mac spreadsheets): those
//   CRs are read as LF.
// - A completely empty line (zero characters) is skipped; it is not a record.
// - Quoted fields may contain commas, CR, LF and doubled quotes (""), which
//   are unescaped to one quote. Everything else inside quotes is kept as is
//   (CRLF inside quotes is preserved).
// - Errors (at most one syntax error per field, plus at most one invalid
//   UTF-8 error per field), with their messages:
//     * "quote character in unquoted field";
//     * "carriage return not followed by line feed in unquoted field" (the CR
//       is kept in the value);
//     * "unexpected character after closing quote" (the rest of the field up
//       to the next delimiter / line end is appended to the value as is);
//     * "unterminated quoted field" at end of input, reported on the line of
//       the opening quote (the field extends to the end of the input);
//     * "invalid UTF-8" in a field value, reported on the line of the first
//       invalid byte.
//   CsvError::column is the 1-based index of the field within its record.
// `delimiter` separates fields (',' by default; ';' or '\t' for files saved
// by a spreadsheet); it must not be '"', CR or LF.
CsvTable ParseCsv(std::string_view text, char delimiter = ',');

// Reads a file in one go (base/file.h: ReadFile) and parses it with ParseCsv.
absl::StatusOr<CsvTable> ReadCsvFile(const std::string& path);

// Appends one field to *out, quoting it when it contains , " CR or LF
// (doubling quotes). A value starting with a UTF-8 BOM is quoted as well so
// that it survives a round trip as the first field of a file.
void AppendCsvField(std::string_view value, std::string* out);

// Appends a record: the fields joined by commas, then "\n". A record made of
// a single empty field is written as "" so that it is not read back as an
// (skipped) empty line. A record with no fields is written as an empty line.
void AppendCsvRecord(const std::vector<std::string_view>& fields,
                     std::string* out);

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_CSV_H_
