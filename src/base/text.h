// Text from input data shown in messages, made safe to print: a value can
// neither forge a line of output (newlines, escape sequences) nor hide in it
// (NUL, byte order marks, zero-width and bidirectional controls).

#ifndef MAILLAGE_BASE_TEXT_H_
#define MAILLAGE_BASE_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace maillage::base {

// `s` with every control character (C0, DEL, C1), invisible or
// bidirectional formatting character (U+200B..U+200F, U+202A..U+202E,
// U+2060..U+2064, U+2066..U+2069, U+FEFF) and byte of invalid UTF-8
// written as an escape (\n, \r, \t, \xHH, \uHHHH), backslashes and single
// quotes escaped too. At most `max_chars` characters of `s` are shown, then
// "...".
std::string Escaped(absl::string_view s, size_t max_chars = 80);

// Escaped(s) in single quotes: 'value'.
std::string Quoted(absl::string_view s);

// True when `s` holds a character Escaped would write as \x or \u: a
// control, invisible or formatting character, or invalid UTF-8.
bool HasHiddenCharacter(absl::string_view s);

// The candidate closest to `s` by edit distance (insertions, deletions,
// substitutions and swaps of two neighbours, ASCII case ignored), when it is
// close enough to be a typing slip: at most 1 edit for codes up to 4
// characters, 2 up to 12, 3 beyond; empty when none is (or `s` is empty).
// Ties go to the first candidate.
std::string ClosestCode(absl::string_view s,
                        const std::vector<absl::string_view>& candidates);

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_TEXT_H_
