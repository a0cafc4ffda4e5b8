#include "cli/import_command.h"

#include <filesystem>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/file.h"
#include "maillage/import.h"
#include "maillage/io.h"
#include "maillage/problem.h"

namespace maillage::cli {

CLI::App* AddImportCommand(CLI::App& app, ImportArgs* args) {
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Import directory data (data·inclusion, Open Referral HSDS) into a "
      "native folder, with a report of every record dropped or changed");
  cmd->require_subcommand(1);
  args->data_inclusion = cmd->add_subcommand(
      "data-inclusion",
      "data·inclusion structures and services (JSON or CSV, schema v1 or v0), "
      "and optionally a capacities table");
  CLI::App* di = args->data_inclusion;
  di->add_option("--structures", args->structures,
                 "Structures file (may be left out when each service nests "
                 "its structure)");
  di->add_option("--services", args->services, "Services file")->required();
  di->add_option("--capacities", args->capacities,
                 "CSV table service_id, available, maximum, updated[, unit]");
  di->add_option("--out", args->out, "Output folder")->required();
  args->hsds = cmd->add_subcommand(
      "hsds",
      "An Open Referral HSDS 3.x export: a folder of CSV or JSON tables");
  args->hsds->add_option("dir", args->hsds_dir, "HSDS export folder")
      ->required();
  args->hsds->add_option("--out", args->out, "Output folder")->required();
  return cmd;
}

int Import(const ImportArgs& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<ImportResult> r;
  if (args.data_inclusion != nullptr && args.data_inclusion->parsed()) {
    DataInclusionFiles files;
    files.structures = args.structures;
    files.services = args.services;
    files.capacities = args.capacities;
    r = ImportDataInclusion(files);
  } else {
    r = ImportHsds(args.hsds_dir);
  }
  if (!r.ok()) {
    err << "import: " << r.status().message() << "\n";
    return 1;
  }
  const ImportReport& report = r->report;
  const std::string report_path =
      (std::filesystem::path(args.out) / "import_report.json").string();
  std::map<std::string, int> listed;
  std::map<std::string, int> more;
  for (const ImportProblem& p : report.problems) {
    if (++listed[p.file] <= kMaxProblemsPerFile) {
      out << p.ToString() << "\n";
    } else {
      ++more[p.file];
    }
  }
  for (const auto& [file, n] : more) {
    out << file << ":0:: " << n << " more problem(s), all in " << report_path
        << "\n";
  }
  for (const ImportCounts& f : report.files) {
    out << absl::StrFormat("%s: %s: read %d, imported %d, rejected %d\n",
                           f.file, f.table, f.read, f.imported, f.rejected);
  }
  for (const ImportCount& m : report.mappings) {
    out << absl::StrFormat("mapping %s: %d record(s)\n", m.name, m.records);
  }
  if (absl::Status s = WriteFolder(r->network, args.out); !s.ok()) {
    err << "import: " << s.message() << "\n";
    return 1;
  }
  if (absl::Status s = base::WriteFile(report_path, report.ToJson()); !s.ok()) {
    err << "import: " << s.message() << "\n";
    return 1;
  }
  out << absl::StrFormat(
      "wrote %s: %d partners, %d services (%d errors, %d warnings: %s)\n",
      args.out, r->rows.partners.size(), r->rows.services.size(),
      report.errors(), report.warnings(), report_path);
  return 0;
}

}  // namespace maillage::cli
