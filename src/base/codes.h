// Tables of the codes of an enumeration, for both directions: the code of a
// value and the value of a code, from one list.
//
// Example:
//   constexpr base::Code<Mode> kModes[] = {{Mode::kRemote, "a-distance"},
//                                          {Mode::kInPerson, "en-presentiel"}};
//   absl::string_view c = base::CodeOf(kModes, Mode::kRemote);
//   absl::optional<Mode> m = base::ParseCode(kModes, "en-presentiel");

#ifndef MAILLAGE_BASE_CODES_H_
#define MAILLAGE_BASE_CODES_H_

#include <cstddef>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace maillage::base {

template <typename E>
struct Code {
  E value;
  absl::string_view code;
};

// The code of `value`; "" when the table does not list it.
template <typename E, size_t N>
constexpr absl::string_view CodeOf(const Code<E> (&table)[N], E value) {
  for (const Code<E>& c : table) {
    if (c.value == value) return c.code;
  }
  return "";
}

// The value whose code is `code`, if any.
template <typename E, size_t N>
constexpr absl::optional<E> ParseCode(const Code<E> (&table)[N],
                                      absl::string_view code) {
  for (const Code<E>& c : table) {
    if (c.code == code) return c.value;
  }
  return absl::nullopt;
}

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_CODES_H_
