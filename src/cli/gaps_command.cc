#include "cli/gaps_command.h"

#include <chrono>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/progress_line.h"
#include "maillage/export.h"

namespace maillage::cli {

void AddGapsOptions(CLI::App* cmd, GapsArgs* args) {
  cmd->add_option("dir", args->dir, "Network folder")->required();
  cmd->add_option("--plan", args->plan,
                  "Plan folder written by `maillage allocate`: describe that "
                  "plan (the recommendations still start from an optimal "
                  "allocation)");
  cmd->add_option("--budget", args->budget,
                  "Places recommended per territory, at most")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--territory", args->territories,
                  "Analyse only this territory (repeatable)");
  cmd->add_flag("--no-help-table", args->skip_help,
                "Skip what would help each unmatched need (the slowest part "
                "on large networks)");
  cmd->add_option("--assumed-capacity", args->assumed_capacity,
                  "Places assumed at a service that publishes none; 0 = "
                  "leave such services out")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cmd->add_flag("--progress,!--no-progress", args->progress,
                "Show the stages and a progress line on standard error when "
                "it is a terminal (default; never in a pipe)");
}

absl::optional<GapReport> RunGaps(const GapsArgs& args,
                                  absl::string_view command, std::ostream& out,
                                  std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  ProgressLine line(err, command, args.progress && ProgressLine::OnTerminal());
  absl::optional<Network> net = LoadValid(args.dir, command, err, &line);
  if (!net) return absl::nullopt;
  absl::optional<Plan> given;
  if (!args.plan.empty()) {
    absl::StatusOr<Plan> p = ReadPlan(*net, args.plan);
    if (!p.ok()) {
      Fail(err, command, p.status().message());
      return absl::nullopt;
    }
    given = *std::move(p);
  }
  line.Stage("indexing the services");
  absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
  if (!ranker.ok()) {
    line.Clear();
    Fail(err, command, ranker.status().message());
    return absl::nullopt;
  }
  GapsOptions options;
  options.budget = args.budget;
  options.territories = args.territories;
  options.what_would_help = !args.skip_help;
  options.allocate.assumed_capacity = args.assumed_capacity;
  // The allocation's stages; the analysis after it has no count of its own.
  ProgressCallback allocation = line.Callback();
  if (allocation) {
    options.allocate.progress = [&](absl::string_view stage, int64_t done,
                                    int64_t total) {
      allocation(stage, done, total);
      if (stage == "explain" && done == total) {
        line.Stage(
            "analysing the gaps (places, recruitments, what would help)");
      }
      return true;
    };
  }
  absl::StatusOr<GapReport> report =
      AnalyzeGaps(*ranker, options, given ? &*given : nullptr);
  line.Clear();
  if (!report.ok()) {
    Fail(err, command, report.status().message());
    return absl::nullopt;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  out << absl::StrFormat(
      "%s: %s plan, %d needs covered of %d; analysed in %.2f s\n", command,
      report->plan_given ? "given" : "allocated",
      report->plan.objective.needs_covered, report->plan.objective.needs,
      seconds);
  for (const PlacePortfolio& p : report->places) {
    const Gain& g = p.verified.gain;
    out << absl::StrFormat(
        "%-12s %2d places: +%d people, +%d needs, +%d urgency (verified%s)\n",
        p.territory, p.steps.size(), g.people, g.needs, g.urgency,
        p.verified.matches_expected ? "" : ", DIFFERS from the steps");
  }
  for (const RecruitmentPlan& r : report->recruitments) {
    const Gain& g = r.verified.gain;
    out << absl::StrFormat(
        "%-12s %2d recruitments: +%d people, +%d needs, +%d urgency "
        "(verified%s)\n",
        r.territory, r.recruitments.size(), g.people, g.needs, g.urgency,
        r.verified.matches_expected ? "" : ", DIFFERS from the steps");
  }
  return *std::move(report);
}

CLI::App* AddGapsCommand(CLI::App& app, GapsArgs* args, std::string* out_dir) {
  CLI::App* cmd = app.add_subcommand(
      "gaps",
      "Where the net has holes and what closes them: coverage, recommended "
      "places, recruitments, what would help each unmatched need and the "
      "partner graph, each gain verified by re-solving");
  AddGapsOptions(cmd, args);
  cmd->add_option("--out", *out_dir, "Output folder")->required();
  return cmd;
}

int Gaps(const GapsArgs& args, const std::string& out_dir, std::ostream& out,
         std::ostream& err) {
  absl::optional<GapReport> report = RunGaps(args, "gaps", out, err);
  if (!report) return 1;
  if (absl::Status s = WriteGaps(*report, out_dir); !s.ok()) {
    return Fail(err, "gaps", s.message());
  }
  out << "wrote " << out_dir
      << "/coverage.csv, recommended_places.csv, recruitments.csv, "
         "what_would_help.csv, partner_graph.csv, gaps.json\n";
  return 0;
}

}  // namespace maillage::cli
