#include "cli/report_command.h"

#include <filesystem>

#include "base/file.h"
#include "maillage/report.h"

namespace maillage::cli {

CLI::App* AddReportCommand(CLI::App& app, ReportArgs* args) {
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the coordinator's report: one self-contained HTML file (no "
      "request leaves it), printable on A4, with a summary per territory, "
      "maps, coverage charts, the recommended places and recruitments and "
      "the partner-graph findings; aggregates only");
  AddGapsOptions(cmd, &args->gaps);
  cmd->add_option("--out", args->out, "HTML file")->required();
  cmd->add_option("--lang", args->lang, "Language of the report: fr or en")
      ->capture_default_str()
      ->check(CLI::IsMember({"fr", "en"}));  // before the analysis
  cmd->add_flag("--exact-small-counts", args->exact_small_counts,
                "Show counts of 1 to 4 people or needs as they are (by "
                "default \"< 5\")");
  cmd->add_option("--title", args->title,
                  "Title of the report (default: one in its language)");
  return cmd;
}

int Report(const ReportArgs& args, std::ostream& out, std::ostream& err) {
  absl::optional<GapReport> report = RunGaps(args.gaps, "report", out, err);
  if (!report) return 1;
  ReportOptions options;
  options.lang = args.lang;
  options.exact_small_counts = args.exact_small_counts;
  options.title = args.title;
  absl::StatusOr<std::string> html = RenderReport(*report, options);
  if (!html.ok()) return Fail(err, "report", html.status().message());
  // The file's folder is created when missing, as `export` does.
  const std::string folder =
      std::filesystem::path(args.out).parent_path().string();
  if (!folder.empty()) {
    if (absl::Status s = base::MakeFolder(folder); !s.ok()) {
      return Fail(err, "report", s.message());
    }
  }
  if (absl::Status s = base::WriteFile(args.out, *html); !s.ok()) {
    return Fail(err, "report", s.message());
  }
  out << "wrote " << args.out << " (" << html->size() << " bytes)\n";
  return 0;
}

}  // namespace maillage::cli
