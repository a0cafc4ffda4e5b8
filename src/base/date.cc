#include "base/date.h"

#include "absl/strings/ascii.h"

namespace maillage::base {
namespace {

bool Digits(absl::string_view s) {
  for (char ch : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(ch))) return false;
  }
  return !s.empty();
}

int ToInt(absl::string_view s) {
  int v = 0;
  for (char ch : s) v = v * 10 + (ch - '0');
  return v;
}

// Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil).
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

absl::optional<int32_t> ParseIsoDay(absl::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return absl::nullopt;
  }
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') {
    return absl::nullopt;
  }
  const absl::string_view ys = text.substr(0, 4), ms = text.substr(5, 2),
                          ds = text.substr(8, 2);
  if (!Digits(ys) || !Digits(ms) || !Digits(ds)) return absl::nullopt;
  const int y = ToInt(ys), m = ToInt(ms), d = ToInt(ds);
  if (y < 1000 || m < 1 || m > 12 || d < 1) return absl::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return absl::nullopt;
  return DaysFromCivil(y, m, d);
}

}  // namespace maillage::base
