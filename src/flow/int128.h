// 128-bit helpers shared by the flow files (overflow-free sums and products
// of int64 values).

#ifndef MAILLAGE_SRC_FLOW_INT128_H_
#define MAILLAGE_SRC_FLOW_INT128_H_

#include <algorithm>
#include <cstdint>
#include <string>

namespace maillage::flow::internal {

using int128 = __int128;

// Decimal representation, e.g. "-170141183460469231731687303715884105728".
inline std::string Int128ToString(int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  unsigned __int128 u = negative ? static_cast<unsigned __int128>(-(v + 1)) + 1
                                 : static_cast<unsigned __int128>(v);
  std::string digits;
  while (u != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace maillage::flow::internal

#endif  // MAILLAGE_SRC_FLOW_INT128_H_
