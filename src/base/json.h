// Writing JSON text.

#ifndef MAILLAGE_BASE_JSON_H_
#define MAILLAGE_BASE_JSON_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace maillage::base {

// `s` as a JSON string literal, quotes included: `"` and `\` escaped, control
// characters as \u00XX. `s` must be UTF-8 (it is copied byte for byte).
std::string JsonString(absl::string_view s);

// A JSON number with `decimals` decimals, or null when `v` is NaN or
// infinite (JSON has neither).
std::string JsonNumber(double v, int decimals);

// The members of one JSON object, in the order they are added:
//   JsonObject().Str("id", "s1").Int("people", 5).Close()
//   == R"({"id": "s1", "people": 5})"
class JsonObject {
 public:
  JsonObject& Str(absl::string_view key, absl::string_view value);
  JsonObject& Int(absl::string_view key, int64_t value);
  JsonObject& Num(absl::string_view key, double value, int decimals);
  JsonObject& Bool(absl::string_view key, bool value);
  // `json` is written as is: an object, an array or any JSON value.
  JsonObject& Raw(absl::string_view key, absl::string_view json);
  std::string Close() const;

 private:
  std::string text_ = "{";
};

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_JSON_H_
