// The subcommands of the `maillage` tool. Each returns the process exit code:
// 0 success, 1 invalid input or failed command.

#ifndef MAILLAGE_SRC_CLI_COMMANDS_H_
#define MAILLAGE_SRC_CLI_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "cli/progress_line.h"
#include "maillage/allocate.h"
#include "maillage/network.h"
#include "maillage/problem.h"
#include "maillage/rank.h"

namespace maillage::cli {

struct DemoArgs {
  std::string out;  // empty: print only
  uint64_t seed = 1;
};
int Demo(const DemoArgs& args, std::ostream& out, std::ostream& err);

struct GenerateArgs {
  std::vector<std::string> territories;
  bool all = false;
  bool national = false;
  uint64_t seed = 1;
  double scale = 1.0;
  std::string out;
};
int Generate(const GenerateArgs& args, std::ostream& out, std::ostream& err);

int Validate(const std::string& dir, std::ostream& out, std::ostream& err);

// The ranking options both `rank` and `allocate` take.
struct RankFilterArgs {
  std::vector<std::string> frais;  // data·inclusion frais codes
  std::vector<std::string> types;  // data·inclusion types-de-services codes
  bool exclude_unknown = false;    // a service that does not say fails
  double freshness_half_life_days = 0;
  std::string as_of;
};

struct RankArgs {
  RankFilterArgs filters;
  std::string dir;
  std::string person;
  std::string need;  // empty: every open need of the person
  int k = 5;
};
int Rank(const RankArgs& args, std::ostream& out, std::ostream& err);

struct AllocateArgs {
  RankFilterArgs filters;
  int32_t assumed_capacity = AllocateOptions{}.assumed_capacity;
  std::string dir;
  std::string out;
  bool verify = false;
  std::string export_dimacs;  // empty: none
  int32_t candidate_limit = AllocateOptions{}.candidate_limit;
  bool progress = true;  // a progress line on a terminal (never in a pipe)
};
int Allocate(const AllocateArgs& args, std::ostream& out, std::ostream& err);

int Flow(const std::string& file, bool verify, std::ostream& out,
         std::ostream& err);

struct ExportArgs {
  std::string dir;
  std::string plan;     // empty: allocate
  std::string geojson;  // each output: empty for none
  std::string json;
  std::string partner;
  std::string partner_out;
};
int Export(const ExportArgs& args, std::ostream& out, std::ostream& err);

// Shared by the commands.

// Loads a folder for a command that needs valid data: on any rejected row,
// prints the problems and returns nothing. With `progress`, shows the
// loading on its line and erases it before printing anything.
absl::optional<Network> LoadValid(const std::string& dir,
                                  absl::string_view command, std::ostream& err,
                                  ProgressLine* progress = nullptr);
// Prints "COMMAND: message" and returns the exit code of a failed command.
int Fail(std::ostream& err, absl::string_view command,
         absl::string_view message);
// Prints each problem on a line; returns the number of errors (not
// warnings).
int PrintProblems(const std::vector<Problem>& problems, std::ostream& err);
// RankOptions from the command line; the codes are checked here so that the
// message names the option.
absl::StatusOr<RankOptions> MakeRankOptions(const RankFilterArgs& args);

}  // namespace maillage::cli

#endif  // MAILLAGE_SRC_CLI_COMMANDS_H_
