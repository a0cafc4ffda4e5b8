// Writing JSON text.

#ifndef MAILLAGE_BASE_JSON_H_
#define MAILLAGE_BASE_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace maillage::base {

// `s` as a JSON string literal, quotes included: `"` and `\` escaped, control
// characters as \u00XX. `s` must be UTF-8 (it is copied byte for byte).
std::string JsonString(absl::string_view s);

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_JSON_H_
