// Problems with input data, as every reader and the builder report them.
//
// A problem names where it is (file, 1-based line, 1-based column) and why;
// it never quotes a value of a person's row. Rendered as
// `FILE:LINE:COLUMN: reason` (`FILE:LINE:COLUMN: warning: reason` for a
// warning, which does not reject its row).
//
// Example:
//   for (const maillage::Problem& p : report.problems)
//     std::cerr << p.ToString() << "\n";

#ifndef MAILLAGE_PROBLEM_H_
#define MAILLAGE_PROBLEM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace maillage {

struct Problem {
  std::string file;    // file name or path (a DataFrame's name)
  int64_t line = 0;    // 1-based (the header is line 1), 0: not tied to a row
  int32_t column = 0;  // 1-based field index, 0: not tied to a field
  std::string field;   // column name, may be empty
  std::string reason;
  bool warning = false;  // warnings do not reject the row
  std::string ToString() const;
};

// Problems listed per file at most: beyond, one last problem of the file
// (line 0) says how many more errors and warnings were found and not listed.
// Counts of rows are never truncated.
inline constexpr int kMaxProblemsPerFile = 100;

// Rows read / loaded / rejected for one table: read == loaded + rejected.
struct TableCounts {
  int64_t read = 0;
  int64_t loaded = 0;
  int64_t rejected = 0;
};

// The text of a failed build or load: `<prefix><N> <what>:` then the first
// 20 errors (warnings left out), one `FILE:LINE:COLUMN: reason` a line, and
// `... and M more` beyond.
std::string ProblemsMessage(const std::vector<Problem>& problems,
                            absl::string_view prefix, absl::string_view what);

}  // namespace maillage

#endif  // MAILLAGE_PROBLEM_H_
