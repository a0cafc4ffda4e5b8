#include "base/cells.h"

#include <charconv>
#include <cmath>
#include <type_traits>

#include "absl/strings/str_join.h"

namespace maillage::base {

namespace {

template <typename T>
ParseResult Parse(std::string_view text, T* out) {
  if (text.empty()) return ParseResult::kMalformed;
  T v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (p != text.data() + text.size()) return ParseResult::kMalformed;
  if (ec == std::errc::result_out_of_range) return ParseResult::kOutOfRange;
  if (ec != std::errc()) return ParseResult::kMalformed;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(v)) return ParseResult::kMalformed;
  }
  *out = v;
  return ParseResult::kOk;
}

}  // namespace

ParseResult ParseNumberText(std::string_view text, double* out) {
  return Parse(text, out);
}
ParseResult ParseIntegerText(std::string_view text, int64_t* out) {
  return Parse(text, out);
}
bool ParseNumber(std::string_view text, double* out) {
  return Parse(text, out) == ParseResult::kOk;
}
bool ParseInteger(std::string_view text, int64_t* out) {
  return Parse(text, out) == ParseResult::kOk;
}

std::string FormatNumber(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, p);
}

std::vector<std::string_view> SplitList(std::string_view cell) {
  std::vector<std::string_view> items;
  if (cell.empty()) return items;
  size_t begin = 0;
  while (true) {
    const size_t bar = cell.find('|', begin);
    if (bar == std::string_view::npos) {
      items.push_back(cell.substr(begin));
      break;
    }
    items.push_back(cell.substr(begin, bar - begin));
    begin = bar + 1;
  }
  return items;
}

std::string JoinList(const std::vector<std::string>& items) {
  return absl::StrJoin(items, "|");
}

}  // namespace maillage::base
