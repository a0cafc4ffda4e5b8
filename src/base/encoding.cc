#include "base/encoding.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace maillage::base {
namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

absl::StatusOr<std::string> FromUtf16(std::string_view bytes, bool little) {
  if (bytes.size() % 2 != 0) {
    return absl::InvalidArgumentError(
        "UTF-16 text with an odd number of bytes (truncated?): save the file "
        "as CSV UTF-8");
  }
  auto unit = [&](size_t i) -> uint32_t {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return little ? (uint32_t{b} << 8 | a) : (uint32_t{a} << 8 | b);
  };
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); i += 2) {
    uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
      const uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
        AppendUtf8(cp, &out);
        continue;
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "invalid UTF-16 (an unpaired surrogate at byte %d): save the file "
          "as CSV UTF-8",
          i));
    }
    AppendUtf8(cp, &out);
  }
  return out;
}

// Windows-1252's 0x80..0x9F; 0 for the five undefined bytes.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Nul bytes at every other position of the first bytes: UTF-16 without its
// byte order mark.
bool LooksLikeUtf16(std::string_view bytes) {
  const size_t n = std::min<size_t>(bytes.size(), 64) & ~size_t{1};
  if (n < 4) return false;
  int even = 0, odd = 0;
  for (size_t i = 0; i < n; i += 2) {
    even += bytes[i] == '\0';
    odd += bytes[i + 1] == '\0';
  }
  const auto half = static_cast<int>(n / 2);
  return even == half || odd == half;
}

}  // namespace

size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  const unsigned char c = p[i];
  if (c < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c == 0xE0) {
    length = 3;
    low = 0xA0;
  } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    length = 3;
  } else if (c == 0xED) {
    length = 3;
    high = 0x9F;
  } else if (c == 0xF0) {
    length = 4;
    low = 0x90;
  } else if (c >= 0xF1 && c <= 0xF3) {
    length = 4;
  } else if (c == 0xF4) {
    length = 4;
    high = 0x8F;
  } else {
    return 0;
  }
  if (length > n - i) return 0;
  if (p[i + 1] < low || p[i + 1] > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if ((p[i + k] & 0xC0) != 0x80) return 0;
  }
  return length;
}

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8:
      return "UTF-8";
    case Encoding::kUtf16Le:
      return "UTF-16LE";
    case Encoding::kUtf16Be:
      return "UTF-16BE";
    case Encoding::kWindows1252:
      break;
  }
  return "Windows-1252";
}

absl::StatusOr<DecodedText> DecodeText(std::string bytes) {
  DecodedText out;
  const std::string_view b(bytes);
  if (b.size() >= 2 && (b.substr(0, 2) == "\xFF\xFE" ||
                        b.substr(0, 2) == "\xFE\xFF")) {
    const bool little = b[0] == '\xFF';
    absl::StatusOr<std::string> text = FromUtf16(b.substr(2), little);
    if (!text.ok()) return text.status();
    out.encoding = little ? Encoding::kUtf16Le : Encoding::kUtf16Be;
    out.text = *std::move(text);
    return out;
  }
  if (LooksLikeUtf16(b)) {
    return absl::InvalidArgumentError(
        "looks like UTF-16 text without a byte order mark: save the file as "
        "CSV UTF-8");
  }
  size_t multibyte = 0, invalid = 0;
  for (size_t i = 0; i < b.size();) {
    const size_t length = Utf8SequenceLength(b, i);
    if (length == 0) {
      ++invalid;
      ++i;
    } else {
      multibyte += length > 1;
      i += length;
    }
  }
  if (invalid == 0 || multibyte > 0) {
    out.text = std::move(bytes);
    return out;
  }
  std::string text;
  text.reserve(b.size() + b.size() / 8);
  for (size_t i = 0; i < b.size(); ++i) {
    const auto c = static_cast<unsigned char>(b[i]);
    if (c < 0x80) {
      text.push_back(static_cast<char>(c));
    } else if (c < 0xA0) {
      const uint16_t cp = kCp1252High[c - 0x80];
      if (cp == 0) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "neither UTF-8 nor Windows-1252 (byte 0x%02X at offset %d is "
            "undefined in Windows-1252): save the file as CSV UTF-8",
            c, i));
      }
      AppendUtf8(cp, &text);
    } else {
      AppendUtf8(c, &text);  // Latin-1 = the first 256 code points
    }
  }
  out.encoding = Encoding::kWindows1252;
  out.text = std::move(text);
  return out;
}

}  // namespace maillage::base
