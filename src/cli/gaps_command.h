// `maillage gaps DIR --out OUT`: where the net has holes and what closes
// them (maillage/gaps.h), as CSV files.

#ifndef MAILLAGE_SRC_CLI_GAPS_COMMAND_H_
#define MAILLAGE_SRC_CLI_GAPS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/commands.h"
#include "maillage/gaps.h"

namespace maillage::cli {

// The options `gaps` and `report` share.
struct GapsArgs {
  std::string dir;
  std::string plan;  // empty: allocate
  int32_t budget = GapsOptions{}.budget;
  std::vector<std::string> territories;
  bool skip_help = false;  // no what_would_help
  int32_t assumed_capacity = AllocateOptions{}.assumed_capacity;
  bool progress = true;  // a progress line on a terminal (never in a pipe)
};

// Adds the shared options to a command.
void AddGapsOptions(CLI::App* cmd, GapsArgs* args);
// Loads the folder (and the plan) and runs AnalyzeGaps; prints what it does
// to `out`, errors to `err` as "COMMAND: reason".
absl::optional<GapReport> RunGaps(const GapsArgs& args,
                                  absl::string_view command, std::ostream& out,
                                  std::ostream& err);

// Adds `gaps` to `app`.
CLI::App* AddGapsCommand(CLI::App& app, GapsArgs* args, std::string* out_dir);
int Gaps(const GapsArgs& args, const std::string& out_dir, std::ostream& out,
         std::ostream& err);

}  // namespace maillage::cli

#endif  // MAILLAGE_SRC_CLI_GAPS_COMMAND_H_
