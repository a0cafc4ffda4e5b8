// A progress line for long commands on a terminal: the stage and how far it
// is ("allocate: ranking 120,000/412,775 needs (29%)"), rewritten in place
// on standard error, and erased when the command prints its results. Quiet
// when standard error is not a terminal (a pipe, a file) or TERM is "dumb",
// so that logs and tests see only the results.

#ifndef MAILLAGE_SRC_CLI_PROGRESS_LINE_H_
#define MAILLAGE_SRC_CLI_PROGRESS_LINE_H_

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "maillage/progress.h"

namespace maillage::cli {

class ProgressLine {
 public:
  // `enabled`: usually OnTerminal().
  ProgressLine(std::ostream& err, absl::string_view command, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // True when standard error is a terminal and TERM is not "dumb".
  static bool OnTerminal();

  // A stage of the command's own ("loading", "indexing"...).
  void Stage(absl::string_view stage);
  // The library's progress (maillage/progress.h), shown as a line.
  ProgressCallback Callback();
  // Erases the line (before the command prints its results).
  void Clear();

 private:
  void Show(std::string text);

  std::ostream& err_;
  std::string command_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace maillage::cli

#endif  // MAILLAGE_SRC_CLI_PROGRESS_LINE_H_
