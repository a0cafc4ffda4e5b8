// `maillage report DIR --out report.html [--lang fr|en]`: the coordinator's
// report (maillage/report.h), one self-contained HTML file.

#ifndef MAILLAGE_SRC_CLI_REPORT_COMMAND_H_
#define MAILLAGE_SRC_CLI_REPORT_COMMAND_H_

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "cli/gaps_command.h"

namespace maillage::cli {

struct ReportArgs {
  GapsArgs gaps;
  std::string out;
  std::string lang = "fr";
  bool exact_small_counts = false;
  std::string title;  // empty: the default title of the language
};

// Adds `report` to `app`: the options of `gaps` (AddGapsOptions), --out,
// --lang, --exact-small-counts and --title.
CLI::App* AddReportCommand(CLI::App& app, ReportArgs* args);
// Analyses the folder as `gaps` does (RunGaps) and writes the page.
int Report(const ReportArgs& args, std::ostream& out, std::ostream& err);

}  // namespace maillage::cli

#endif  // MAILLAGE_SRC_CLI_REPORT_COMMAND_H_
