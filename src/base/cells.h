// The text of one cell of the native format: numbers, integers and '|'
// lists, parsed strictly and printed so that they read back exactly.

#ifndef MAILLAGE_BASE_CELLS_H_
#define MAILLAGE_BASE_CELLS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace maillage::base {

enum class ParseResult : uint8_t { kOk, kMalformed, kOutOfRange };

// A finite decimal number, the whole text ("1.5", "-3", "1e3"): kMalformed
// for anything else (empty, spaces, "nan", "inf", a trailing character),
// kOutOfRange for a number a double cannot hold ("1e400", "1e-400").
ParseResult ParseNumberText(std::string_view text, double* out);
// A base-10 integer, the whole text: kOutOfRange beyond the int64 range.
ParseResult ParseIntegerText(std::string_view text, int64_t* out);
// The same, true when kOk.
bool ParseNumber(std::string_view text, double* out);
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
