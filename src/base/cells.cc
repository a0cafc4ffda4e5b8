#include "base/cells.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_join.h"

namespace maillage::base {

bool ParseNumber(std::string_view text, double* out) {
  if (text.empty()) return false;
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
    return false;
  *out = v;
  return true;
}

bool ParseInteger(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return false;
  *out = v;
  return true;
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
