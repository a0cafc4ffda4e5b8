#include "base/text.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_format.h"

namespace maillage::base {
namespace {

// The code point of the UTF-8 sequence at s[i], its length in *len; -1 for
// invalid UTF-8 (then *len is 1).
int32_t Decode(absl::string_view s, size_t i, size_t* len) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = byte(i);
  *len = 1;
  if (c < 0x80) return c;
  size_t n = 0;
  int32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return -1;
  }
  if (i + n > s.size()) return -1;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates, beyond U+10FFFF.
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return -1;
  }
  *len = n;
  return cp;
}

bool Hidden(int32_t cp) {
  return cp < 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0xFEFF;
}

}  // namespace

std::string Escaped(absl::string_view s, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    if (chars++ == max_chars) {
      out += "...";
      break;
    }
    size_t len = 1;
    const int32_t cp = Decode(s, i, &len);
    if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\\' || cp == '\'') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp < 0 || (cp < 0x80 && Hidden(cp))) {
      out += absl::StrFormat("\\x%02x", static_cast<uint8_t>(s[i]));
    } else if (Hidden(cp)) {
      out += absl::StrFormat("\\u%04x", cp);
    } else {
      out.append(s.data() + i, len);
    }
    i += len;
  }
  return out;
}

std::string Quoted(absl::string_view s) {
  std::string out = "'";
  out += Escaped(s);
  out += '\'';
  return out;
}

bool HasHiddenCharacter(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    if (Hidden(Decode(s, i, &len))) return true;
    i += len;
  }
  return false;
}

namespace {

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// Optimal string alignment distance (Damerau-Levenshtein without repeated
// edits of a substring), stopping early above `limit`.
size_t EditDistance(absl::string_view a, absl::string_view b, size_t limit) {
  const size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      const bool same = Lower(a[i - 1]) == Lower(b[j - 1]);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + !same});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) &&
          Lower(a[i - 2]) == Lower(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace

std::string ClosestCode(absl::string_view s,
                        const std::vector<absl::string_view>& candidates) {
  if (s.empty()) return "";
  const size_t limit = s.size() <= 4 ? 1 : s.size() <= 12 ? 2 : 3;
  size_t best = limit + 1;
  absl::string_view found;
  for (absl::string_view c : candidates) {
    const size_t d = EditDistance(s, c, limit);
    if (d < best) {
      best = d;
      found = c;
    }
  }
  return std::string(found);
}

}  // namespace maillage::base
