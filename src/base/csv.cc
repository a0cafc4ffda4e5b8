#include "base/csv.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/encoding.h"
#include "base/file.h"

namespace maillage::base {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

constexpr char kQuoteInUnquotedField[] = "quote character in unquoted field";
constexpr char kCharacterAfterClosingQuote[] =
    "unexpected character after closing quote";
constexpr char kUnterminatedQuotedField[] = "unterminated quoted field";
constexpr char kBareCarriageReturn[] =
    "carriage return not followed by line feed in unquoted field";
constexpr char kInvalidUtf8[] = "invalid UTF-8";

// Returns the offset of the first byte of `s` that does not start a valid
// UTF-8 sequence (overlong forms, surrogates and code points above U+10FFFF
// are invalid), or std::string_view::npos when `s` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t length = Utf8SequenceLength(s, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

// How a field ended.
enum class FieldEnd {
  kDelimiter,  // a delimiter follows; the record continues
  kLineEnd,    // LF or CRLF consumed
  kInputEnd,   // end of the buffer
};

// Single-pass parser over one buffer.
class CsvParser {
 public:
  CsvParser(std::string_view text, char delimiter, CsvTable* table)
      : text_(text), delimiter_(delimiter), table_(table) {}

  void Run() {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) pos_ = kUtf8Bom.size();
    const size_t size = text_.size();
    size_t expected_fields = 0;
    while (pos_ < size) {
      // Skip completely empty lines.
      const char c = text_[pos_];
      if (c == '\n') {
        ++pos_;
        ++line_;
        continue;
      }
      if (c == '\r' && pos_ + 1 < size && text_[pos_ + 1] == '\n') {
        pos_ += 2;
        ++line_;
        continue;
      }
      CsvRecord record;
      record.line = line_;
      record.fields.reserve(expected_fields);
      bool bad = false;
      int64_t column = 0;
      FieldEnd end = FieldEnd::kDelimiter;
      while (end == FieldEnd::kDelimiter) {
        ++column;
        record.fields.emplace_back();
        end = ParseField(column, &record.fields.back(), &bad);
      }
      expected_fields = record.fields.size();
      table_->records.push_back(std::move(record));
      table_->bad.push_back(bad);
    }
  }

 private:
  void AddError(int64_t line, int64_t column, const char* message, bool* bad) {
    table_->errors.push_back(CsvError{line, column, message});
    *bad = true;
  }

  // Appends text_[begin, end) to *out, counting the LFs it contains.
  void AppendCountingLines(size_t begin, size_t end, std::string* out) {
    const char* first = text_.data() + begin;
    const char* last = text_.data() + end;
    line_ += std::count(first, last, '\n');
    out->append(first, last);
  }

  // Consumes the terminator at pos_ (',' LF CRLF or end of input) and tells
  // which one it was. pos_ must be at one of them.
  FieldEnd ConsumeTerminator() {
    if (pos_ >= text_.size()) return FieldEnd::kInputEnd;
    if (text_[pos_] == delimiter_) {
      ++pos_;
      return FieldEnd::kDelimiter;
    }
    pos_ += text_[pos_] == '\r' ? 2 : 1;  // CRLF or LF
    ++line_;
    return FieldEnd::kLineEnd;
  }

  // Scans unquoted field content from pos_ up to the next delimiter, LF,
  // CRLF or end of input and appends it to *out. Reports the first problem
  // unless `reported` is already true.
  void ScanUnquoted(int64_t column, bool reported, std::string* out,
                    bool* bad) {
    const size_t size = text_.size();
    const size_t begin = pos_;
    size_t i = pos_;
    for (; i < size; ++i) {
      const char c = text_[i];
      if (c == delimiter_ || c == '\n') break;
      if (c == '"') {
        if (!reported) AddError(line_, column, kQuoteInUnquotedField, bad);
        reported = true;
      } else if (c == '\r') {
        if (i + 1 < size && text_[i + 1] == '\n') break;
        if (!reported) AddError(line_, column, kBareCarriageReturn, bad);
        reported = true;
      }
    }
    out->append(text_.data() + begin, i - begin);
    pos_ = i;
  }

  // Parses one field starting at pos_ into *out and consumes its terminator.
  FieldEnd ParseField(int64_t column, std::string* out, bool* bad) {
    const size_t size = text_.size();
    const int64_t field_line = line_;
    FieldEnd end = FieldEnd::kInputEnd;
    if (pos_ < size && text_[pos_] == '"') {
      ++pos_;
      bool terminated = false;
      while (true) {
        const size_t quote = text_.find('"', pos_);
        if (quote == std::string_view::npos) break;
        AppendCountingLines(pos_, quote, out);
        if (quote + 1 < size && text_[quote + 1] == '"') {
          out->push_back('"');
          pos_ = quote + 2;
          continue;
        }
        pos_ = quote + 1;
        terminated = true;
        break;
      }
      if (!terminated) {
        AppendCountingLines(pos_, size, out);
        pos_ = size;
        AddError(field_line, column, kUnterminatedQuotedField, bad);
        end = FieldEnd::kInputEnd;
      } else if (pos_ >= size || text_[pos_] == delimiter_ ||
                 text_[pos_] == '\n' ||
                 (text_[pos_] == '\r' && pos_ + 1 < size &&
                  text_[pos_ + 1] == '\n')) {
        end = ConsumeTerminator();
      } else {
        AddError(line_, column, kCharacterAfterClosingQuote, bad);
        ScanUnquoted(column, /*reported=*/true, out, bad);
        end = ConsumeTerminator();
      }
    } else {
      ScanUnquoted(column, /*reported=*/false, out, bad);
      end = ConsumeTerminator();
    }
    const size_t invalid = FindInvalidUtf8(*out);
    if (invalid != std::string_view::npos) {
      const int64_t line =
          field_line + std::count(out->data(), out->data() + invalid, '\n');
      AddError(line, column, kInvalidUtf8, bad);
    }
    return end;
  }

  std::string_view text_;
  char delimiter_;
  CsvTable* table_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace

CsvTable ParseCsv(std::string_view text, char delimiter) {
  CsvTable table;
  // Line ends of CR alone (old Mac spreadsheets): without any LF, a CR
  // outside quotes ends a line.
  if (text.find('\n') == std::string_view::npos) {
    std::string lf(text);
    bool quoted = false, converted = false;
    for (char& c : lf) {
      if (c == '"') quoted = !quoted;
      if (c == '\r' && !quoted) {
        c = '\n';
        converted = true;
      }
    }
    if (converted) {
      CsvParser(lf, delimiter, &table).Run();
      return table;
    }
  }
  CsvParser parser(text, delimiter, &table);
  parser.Run();
  return table;
}

absl::StatusOr<CsvTable> ReadCsvFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFile(path, "CSV file");
  if (!contents.ok()) return contents.status();
  return ParseCsv(*contents);
}

void AppendCsvField(std::string_view value, std::string* out) {
  const bool needs_quotes =
      value.find_first_of(",\"\r\n") != std::string_view::npos ||
      value.substr(0, kUtf8Bom.size()) == kUtf8Bom;
  if (!needs_quotes) {
    out->append(value);
    return;
  }
  out->push_back('"');
  size_t begin = 0;
  while (true) {
    const size_t quote = value.find('"', begin);
    if (quote == std::string_view::npos) {
      out->append(value.substr(begin));
      break;
    }
    out->append(value.substr(begin, quote + 1 - begin));
    out->push_back('"');
    begin = quote + 1;
  }
  out->push_back('"');
}

void AppendCsvRecord(const std::vector<std::string_view>& fields,
                     std::string* out) {
  if (fields.size() == 1 && fields[0].empty()) {
    out->append("\"\"\n");
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendCsvField(fields[i], out);
  }
  out->push_back('\n');
}

}  // namespace maillage::base
