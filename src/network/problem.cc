#include "maillage/problem.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace maillage {

std::string Problem::ToString() const {
  return absl::StrCat(file, ":", line, ":", column, ": ",
                      warning ? "warning: " : "", reason);
}

std::string ProblemsMessage(const std::vector<Problem>& problems,
                            absl::string_view prefix, absl::string_view what) {
  std::vector<std::string> lines;
  int errors = 0;
  for (const Problem& p : problems) {
    if (p.warning) continue;
    if (++errors <= 20) lines.push_back(p.ToString());
  }
  std::string msg = absl::StrCat(prefix, errors, " ", what, ":\n",
                                 absl::StrJoin(lines, "\n"));
  if (errors > 20) absl::StrAppend(&msg, "\n... and ", errors - 20, " more");
  return msg;
}

}  // namespace maillage
