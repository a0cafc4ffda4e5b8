#include "base/json.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace maillage::base {

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string JsonNumber(double v, int decimals) {
  if (!std::isfinite(v)) return "null";
  return absl::StrFormat("%.*f", decimals, v);
}

JsonObject& JsonObject::Str(absl::string_view key, absl::string_view value) {
  return Raw(key, JsonString(value));
}

JsonObject& JsonObject::Int(absl::string_view key, int64_t value) {
  return Raw(key, absl::StrCat(value));
}

JsonObject& JsonObject::Num(absl::string_view key, double value, int decimals) {
  return Raw(key, JsonNumber(value, decimals));
}

JsonObject& JsonObject::Bool(absl::string_view key, bool value) {
  return Raw(key, value ? "true" : "false");
}

JsonObject& JsonObject::Raw(absl::string_view key, absl::string_view json) {
  absl::StrAppend(&text_, text_.size() > 1 ? ", " : "", JsonString(key), ": ",
                  json);
  return *this;
}

std::string JsonObject::Close() const { return text_ + "}"; }

}  // namespace maillage::base
