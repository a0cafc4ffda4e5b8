#include "cli/report_command.h"

namespace maillage::cli {

CLI::App* AddReportCommand(CLI::App& app, ReportArgs* args) {
  CLI::App* cmd = app.add_subcommand("report", "Write the coordinator's report (HTML)");
  AddGapsOptions(cmd, &args->gaps);
  cmd->add_option("--out", args->out, "HTML file")->required();
  return cmd;
}

int Report(const ReportArgs&, std::ostream&, std::ostream& err) {
  return Fail(err, "report", "not built yet");
}

}  // namespace maillage::cli
