#include "import/record.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/text.h"
#include "nlohmann/json.hpp"

namespace maillage::import {
namespace {

using Json = nlohmann::json;

const Value& AbsentValue() {
  static const Value* const absent = new Value;
  return *absent;
}

// A parsed JSON value as a Value tree (moving strings out of it).
Value FromJson(Json& j) {
  Value v;
  switch (j.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
      v.kind = Value::Kind::kNull;
      break;
    case Json::value_t::string:
      v.kind = Value::Kind::kText;
      v.text = std::move(j.get_ref<std::string&>());
      break;
    case Json::value_t::boolean:
      v.kind = Value::Kind::kBool;
      v.text = j.get<bool>() ? "true" : "false";
      break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      v.kind = Value::Kind::kNumber;
      v.number = j.get<double>();
      v.text = j.dump();
      break;
    case Json::value_t::array:
      v.kind = Value::Kind::kList;
      v.items.reserve(j.size());
      for (Json& item : j) v.items.push_back(FromJson(item));
      break;
    case Json::value_t::object:
      v.kind = Value::Kind::kObject;
      v.fields.reserve(j.size());
      for (auto& [key, item] : j.items()) {
        v.fields.emplace_back(key, FromJson(item));
      }
      break;
    case Json::value_t::binary:
      v.kind = Value::Kind::kNull;
      break;
  }
  return v;
}

// The first character of the text after a byte order mark and blanks.
char FirstCharacter(absl::string_view text) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  }
  return '\0';
}

// nlohmann's message without its "[json.exception.parse_error.101] "
// prefix, escaped and cut.
std::string JsonErrorText(const char* what) {
  absl::string_view m(what);
  if (absl::StartsWith(m, "[json.exception.")) {
    const size_t end = m.find("] ");
    if (end != absl::string_view::npos) m.remove_prefix(end + 2);
  }
  return base::Escaped(m, 160);
}

// The member names that hold the records of a paged API's answer:
// data·inclusion's `items`, HSDS's `contents`.
bool IsItemsKey(absl::string_view key) {
  return key == "items" || key == "contents";
}

absl::Status ParseJson(absl::string_view text, absl::string_view name,
                       absl::FunctionRef<void(RecordEvent&)> f) {
  // Depth of the records: 1 in a root array, 2 in the items of a root
  // object.
  int record_depth = -1;
  bool root_object = false;
  bool in_items = false;
  bool saw_items = false;
  std::string key;  // the last member name of the root object
  int64_t position = 0;
  auto deliver = [&](Json& parsed) {
    RecordEvent e;
    e.position = ++position;
    if (parsed.is_object()) {
      e.record = FromJson(parsed);
    } else {
      e.error = "the item is not a JSON object";
    }
    f(e);
  };
  Json::parser_callback_t callback = [&](int depth, Json::parse_event_t event,
                                         Json& parsed) -> bool {
    using E = Json::parse_event_t;
    if (depth == 0) {
      if (event == E::array_start) record_depth = 1;
      if (event == E::object_start) root_object = true;
      return true;
    }
    if (root_object && depth == 1) {
      if (event == E::key) {
        key = parsed.get<std::string>();
      } else if (event == E::array_start && IsItemsKey(key)) {
        in_items = saw_items = true;
        record_depth = 2;
        return true;
      } else if (event == E::array_end && in_items) {
        in_items = false;
        record_depth = -1;
        return false;
      }
    }
    if (depth == record_depth && (root_object ? in_items : true)) {
      if (event == E::object_end || event == E::array_end ||
          event == E::value) {
        deliver(parsed);
        return false;  // dropped once handed over
      }
    }
    // Members of the root object other than the records: not kept.
    if (root_object && depth == 1 && !in_items &&
        (event == E::value || event == E::object_end ||
         event == E::array_end)) {
      return false;
    }
    return true;
  };
  try {
    Json root = Json::parse(text.begin(), text.end(), callback,
                            /*allow_exceptions=*/true,
                            /*ignore_comments=*/false);
    (void)root;
  } catch (const Json::parse_error& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": malformed JSON at byte ", e.byte, " (after ",
                     position, " records): ", JsonErrorText(e.what())));
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": cannot read JSON: ", JsonErrorText(e.what())));
  }
  if (root_object && !saw_items) {
    return absl::InvalidArgumentError(absl::StrCat(
        name,
        ": a JSON object without an \"items\" (or \"contents\") array of "
        "records"));
  }
  return absl::OkStatus();
}

absl::Status ParseCsvRecords(absl::string_view text, absl::string_view name,
                             absl::FunctionRef<void(RecordEvent&)> f) {
  base::CsvTable table =
      base::ParseCsv(std::string_view(text.data(), text.size()));
  if (table.records.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": empty CSV file: a header row is required"));
  }
  if (table.bad[0]) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": the CSV header row cannot be read"));
  }
  std::vector<std::string> header;
  for (std::string& h : table.records[0].fields) {
    header.push_back(std::string(absl::StripAsciiWhitespace(h)));
  }
  // The first syntax error of each bad record says why it is rejected.
  size_t next_error = 0;
  for (size_t i = 1; i < table.records.size(); ++i) {
    base::CsvRecord& rec = table.records[i];
    RecordEvent e;
    e.position = rec.line;
    if (table.bad[i]) {
      while (next_error < table.errors.size() &&
             table.errors[next_error].line < rec.line) {
        ++next_error;
      }
      e.error =
          next_error < table.errors.size()
              ? absl::StrCat("CSV syntax: ", table.errors[next_error].message)
              : "CSV syntax error";
    } else if (rec.fields.size() != header.size()) {
      e.error = absl::StrCat("expected ", header.size(), " fields, found ",
                             rec.fields.size());
    } else {
      e.record.kind = Value::Kind::kObject;
      e.record.fields.reserve(header.size());
      for (size_t k = 0; k < header.size(); ++k) {
        Value cell;
        cell.kind = Value::Kind::kText;
        cell.from_csv = true;
        cell.text = std::move(rec.fields[k]);
        e.record.fields.emplace_back(header[k], std::move(cell));
      }
    }
    f(e);
  }
  return absl::OkStatus();
}

}  // namespace

const Value& Value::Get(absl::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return AbsentValue();
}

bool Value::Empty() const {
  switch (kind) {
    case Kind::kAbsent:
    case Kind::kNull:
      return true;
    case Kind::kText:
      return absl::StripAsciiWhitespace(text).empty();
    case Kind::kList:
      return items.empty();
    case Kind::kObject:
      return fields.empty();
    default:
      return false;
  }
}

absl::Status ParseRecords(absl::string_view text, absl::string_view name,
                          absl::FunctionRef<void(RecordEvent&)> f,
                          Format* format) {
  const char first = FirstCharacter(text);
  const bool json = first == '[' || first == '{';
  if (format != nullptr) *format = json ? Format::kJson : Format::kCsv;
  return json ? ParseJson(text, name, f) : ParseCsvRecords(text, name, f);
}

bool ParseJsonArrayText(absl::string_view text, std::vector<Value>* items) {
  Json j = Json::parse(text.begin(), text.end(), nullptr,
                       /*allow_exceptions=*/false);
  if (!j.is_array()) return false;
  items->clear();
  for (Json& item : j) items->push_back(FromJson(item));
  return true;
}

absl::Status ReadRecords(const std::string& path, int64_t max_bytes,
                         absl::FunctionRef<void(RecordEvent&)> f,
                         Format* format) {
  absl::StatusOr<std::string> text = base::ReadFile(path, "file", max_bytes);
  if (!text.ok()) return text.status();
  return ParseRecords(*text, path, f, format);
}

}  // namespace maillage::import
