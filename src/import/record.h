// The records of an input file, whatever its format: JSON (an array of
// objects, or an object whose "items" or "contents" member is one, as paged
// APIs return them) or CSV with a header row. Each record is a tree of
// `Value`s, so that the importers read a field the same way from both.
//
// JSON is parsed one item at a time (nlohmann-json's callback parser: an item
// is handed over, then dropped), so memory holds the file's text and one
// item. CSV cells are text; the readers below parse numbers and lists in
// them.

#ifndef MAILLAGE_SRC_IMPORT_RECORD_H_
#define MAILLAGE_SRC_IMPORT_RECORD_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace maillage::import {

// One value of a record. JSON null, an absent member and an empty CSV cell
// are told apart (kNull, kAbsent, and kText with from_csv), but every reader
// below treats them alike: the field is not given.
struct Member;

struct Value {
  enum class Kind : uint8_t {
    kAbsent,
    kNull,
    kText,
    kNumber,
    kBool,
    kList,
    kObject,
  };
  Kind kind = Kind::kAbsent;
  // kText: the text; kNumber: the number as written; kBool: true/false.
  std::string text;
  double number = 0;         // kNumber
  bool from_csv = false;     // a CSV cell (lists and numbers are written in it)
  std::vector<Value> items;  // kList
  std::vector<Member> fields;  // kObject, in order

  // The member `name` of an object, or an absent value.
  const Value& Get(absl::string_view name) const;
  // True when the value says nothing: absent, null, empty or blank text, an
  // empty list.
  bool Empty() const;
};

// A member of an object, named as in a std::pair (which cannot be
// instantiated with the incomplete Value above).
struct Member {
  Member(std::string name, Value value)
      : first(std::move(name)), second(std::move(value)) {}
  std::string first;
  Value second;
};

enum class Format : uint8_t { kJson, kCsv };

// One record of a file, or why it cannot be read.
struct RecordEvent {
  // 1-based: a JSON item's index in its array, a CSV record's line (the
  // header is line 1).
  int64_t position = 0;
  Value record;       // an object
  std::string error;  // not empty: the record could not be read
};

// Reads the records of `path`, calling `f` for each in order. The format is
// found from the content: `[` or `{` first (after a byte order mark and
// blanks) is JSON, anything else CSV. Errors: those of base::ReadFile
// (NotFound, Unavailable, ResourceExhausted beyond `max_bytes`), and
// InvalidArgument for JSON that does not parse (the byte where it fails) or
// whose root is neither an array nor an object holding one, and for a CSV
// file without a header row. Records already handed to `f` stay handed.
absl::Status ReadRecords(const std::string& path, int64_t max_bytes,
                         absl::FunctionRef<void(RecordEvent&)> f,
                         Format* format = nullptr);

// The same on text already in memory; `name` is the file named in errors.
absl::Status ParseRecords(absl::string_view text, absl::string_view name,
                          absl::FunctionRef<void(RecordEvent&)> f,
                          Format* format = nullptr);

// A JSON array written in a cell (`["a", "b"]`) as its items: true when
// `text` is a JSON array; items that are not strings are written as JSON.
bool ParseJsonArrayText(absl::string_view text, std::vector<Value>* items);

}  // namespace maillage::import

#endif  // MAILLAGE_SRC_IMPORT_RECORD_H_
