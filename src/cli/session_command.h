// `maillage session ...`: a journal of referrals (maillage/journal.h) from
// the command line: init, apply, plan, history, compact, erase.

#ifndef MAILLAGE_SRC_CLI_SESSION_COMMAND_H_
#define MAILLAGE_SRC_CLI_SESSION_COMMAND_H_

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace maillage::cli {

struct SessionArgs {
  std::string dir;      // init: the network folder
  std::string journal;  // the journal file
  std::string events;   // apply: the events file
  std::string out;      // plan: the output folder; history: a CSV file
  std::string person;   // history, erase
  double expiry_days = 30;
  CLI::App* init = nullptr;
  CLI::App* apply = nullptr;
  CLI::App* plan = nullptr;
  CLI::App* history = nullptr;
  CLI::App* compact = nullptr;
  CLI::App* erase = nullptr;
};

// Adds `session` and its subcommands to `app`.
CLI::App* AddSessionCommand(CLI::App& app, SessionArgs* args);
int Session(const SessionArgs& args, std::ostream& out, std::ostream& err);

}  // namespace maillage::cli

#endif  // MAILLAGE_SRC_CLI_SESSION_COMMAND_H_
