// Text encodings of the files people save from spreadsheets: UTF-8 (with or
// without a byte order mark), UTF-16 with a byte order mark (Excel's
// "Unicode text"), and Windows-1252 / Latin-1 (the "CSV" of a French
// spreadsheet on Windows). Everything is turned into UTF-8, or refused with a
// reason that says what to do.

#ifndef MAILLAGE_SRC_BASE_ENCODING_H_
#define MAILLAGE_SRC_BASE_ENCODING_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace maillage::base {

// The length (1 to 4) of the valid UTF-8 sequence that starts at s[i], or 0
// when the byte there does not start one (overlong forms, surrogates and
// code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s, size_t i);

enum class Encoding {
  kUtf8,         // as is (a UTF-8 byte order mark is left in place)
  kUtf16Le,      // byte order mark FF FE
  kUtf16Be,      // byte order mark FE FF
  kWindows1252,  // not UTF-8: no valid multi-byte sequence, no undefined byte
};
// "UTF-8", "UTF-16LE", "UTF-16BE", "Windows-1252".
std::string_view EncodingName(Encoding e);

struct DecodedText {
  Encoding encoding = Encoding::kUtf8;
  std::string text;  // UTF-8
};

// Decides the encoding of `bytes` and returns them as UTF-8:
//  - a UTF-16 byte order mark: decoded (an unpaired surrogate or an odd
//    number of bytes is an error);
//  - valid UTF-8, or UTF-8 with some invalid bytes (a damaged UTF-8 file:
//    left to the CSV reader, which reports each field): as is;
//  - bytes that are not UTF-8 anywhere (no valid multi-byte sequence):
//    Windows-1252, whose printable range includes Latin-1's; one of the five
//    bytes Windows-1252 leaves undefined (81 8D 8F 90 9D) is an error;
//  - text that looks like UTF-16 without a byte order mark (NUL bytes in
//    every other position at the start): an error.
// Errors are InvalidArgument with a reason (no file name, no content).
absl::StatusOr<DecodedText> DecodeText(std::string bytes);

}  // namespace maillage::base

#endif  // MAILLAGE_SRC_BASE_ENCODING_H_
