// The text of one cell of the native format: numbers, integers and '|'
// lists, parsed strictly and printed so that they read back exactly.

#ifndef MAILLAGE_BASE_CELLS_H_
#define MAILLAGE_BASE_CELLS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace maillage::base {

// A finite decimal number, the whole text ("1.5", "-3", "1e3"); false for
// anything else (empty, spaces, "nan", "inf", a trailing character).
bool ParseNumber(std::string_view text, double* out);
// A base-10 integer in the int64 range, the whole text.
bool ParseInteger(std::string_view text, int64_t* out);

// The shortest text that reads back as `v` (std::to_chars).
std::string FormatNumber(double v);

// Splits a list cell on '|' ("a|b" -> {"a","b"}; "" -> {}). Empty items are
// kept as "" ("a||b" -> {"a","","b"}) so the caller can reject them. The
// returned views point into `cell`.
std::vector<std::string_view> SplitList(std::string_view cell);
// The items joined by '|'.
std::string JoinList(const std::vector<std::string>& items);

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_CELLS_H_
