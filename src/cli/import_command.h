// `maillage import data-inclusion|hsds`: directory data into a native
// folder, with the import report.

#ifndef MAILLAGE_SRC_CLI_IMPORT_COMMAND_H_
#define MAILLAGE_SRC_CLI_IMPORT_COMMAND_H_

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace maillage::cli {

struct ImportArgs {
  std::string structures, services, capacities;  // data-inclusion
  std::string hsds_dir;                          // hsds
  std::string out;
  CLI::App* data_inclusion = nullptr;
  CLI::App* hsds = nullptr;
};

// Adds `import` and its two subcommands to `app`, filling `args`.
CLI::App* AddImportCommand(CLI::App& app, ImportArgs* args);

// Runs the parsed import: prints each problem (FILE:RECORD:FIELD: reason, at
// most 100 per file) and a counts line per file, writes the folder and
// import_report.json. Exit code 0 when the folder is written, 1 when a file
// cannot be read or the folder cannot be written.
int Import(const ImportArgs& args, std::ostream& out, std::ostream& err);

}  // namespace maillage::cli

#endif  // MAILLAGE_SRC_CLI_IMPORT_COMMAND_H_
