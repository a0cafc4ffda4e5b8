// maillage: command-line tool. `maillage --help` lists the commands.

#include <charconv>
#include <cstdint>
#include <iostream>
#include <new>
#include <string>

#include "CLI/CLI.hpp"
#include "base/text.h"
#include "cli/commands.h"
#include "cli/gaps_command.h"
#include "cli/import_command.h"
#include "cli/report_command.h"
#include "cli/session_command.h"

namespace {

// A whole number in [0, max], written in decimal digits only (no sign, no
// exponent): "-1" is refused, not wrapped around.
CLI::Validator WholeNumber(uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        uint64_t v = 0;
        const char* end = text.data() + text.size();
        auto [p, ec] = std::from_chars(text.data(), end, v);
        if (text.empty() || p != end || ec != std::errc() || v > max) {
          return "must be a whole number from 0 to " + std::to_string(max) +
                 ", got '" + maillage::base::Escaped(text) + "'";
        }
        return "";
      },
      "0.." + std::to_string(max));
}

// The ranking options of `rank` and `allocate`.
void AddRankFilters(CLI::App* cmd, maillage::cli::RankFilterArgs* f) {
  cmd->add_option("--frais", f->frais,
                  "Only services with these frais (repeatable): gratuit, "
                  "payant");
  cmd->add_option("--type", f->types,
                  "Only services of these types (repeatable): "
                  "accompagnement, aide-financiere, aide-materielle, atelier, "
                  "formation, information");
  cmd->add_flag("--exclude-unknown", f->exclude_unknown,
                "With --frais/--type: leave out services whose record does "
                "not say (kept by default)");
  cmd->add_option("--freshness-half-life", f->freshness_half_life_days,
                  "Days after which the trust in a service's free places "
                  "halves, from its `updated` date (0 = off)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--as-of", f->as_of,
                  "The day ages are counted to (YYYY-MM-DD; default: the "
                  "latest `updated` date of the network)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "maillage: matches people in reinforced integration support to the "
      "partner services of their territory."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "maillage 0.1.0");

  maillage::cli::DemoArgs demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo",
      "Generate the 8-territory Convergence network (no input needed), rank "
      "options and print a summary per territory");
  demo_cmd->add_option("--out", demo.out,
                       "Also write the network and the ranked options (CSV) "
                       "into this folder");
  demo_cmd->add_option("--seed", demo.seed, "Generator seed")
      ->capture_default_str()
      ->check(WholeNumber(UINT64_MAX));

  maillage::cli::GenerateArgs gen;
  CLI::App* gen_cmd = app.add_subcommand(
      "generate", "Write a synthetic network in the native folder format");
  auto* terr = gen_cmd->add_option("--territory", gen.territories,
                                   "Territory name (repeatable): lyon, lille, "
                                   "nantes, paris, strasbourg, rouen, "
                                   "charente, marseille");
  auto* all = gen_cmd->add_flag("--all", gen.all, "All 8 territories");
  auto* nat = gen_cmd->add_flag(
      "--national", gen.national,
      "Every département (~150,000 people, ~50,000 services at scale 1)");
  terr->excludes(all)->excludes(nat);
  all->excludes(nat);
  gen_cmd->add_option("--seed", gen.seed, "Generator seed")
      ->capture_default_str()
      ->check(WholeNumber(UINT64_MAX));
  gen_cmd
      ->add_option("--scale", gen.scale,
                   "Multiplies sites, people, partners and services")
      ->capture_default_str();
  gen_cmd->add_option("--out", gen.out, "Output folder")->required();

  std::string validate_dir;
  CLI::App* val_cmd = app.add_subcommand(
      "validate",
      "Check a network folder: one FILE:LINE:COLUMN: reason line per problem, "
      "then a line per file with rows read, loaded and rejected; exit 1 when "
      "any row is rejected");
  val_cmd->add_option("dir", validate_dir, "Network folder")->required();

  maillage::cli::RankArgs rank;
  CLI::App* rank_cmd = app.add_subcommand(
      "rank", "Print the top K referral options of a person's needs as CSV");
  rank_cmd->add_option("dir", rank.dir, "Network folder")->required();
  rank_cmd->add_option("--person", rank.person, "Person id")->required();
  rank_cmd->add_option("--need", rank.need,
                       "A data·inclusion theme (default: every open need of "
                       "the person)");
  rank_cmd->add_option("--k", rank.k, "Options per need")
      ->capture_default_str()
      ->check(WholeNumber(1000000))
      ->check(CLI::Validator(
          [](std::string& t) -> std::string {
            return t.find_first_not_of('0') == std::string::npos
                       ? "must be at least 1"
                       : "";
          },
          ""));
  AddRankFilters(rank_cmd, &rank.filters);

  maillage::cli::AllocateArgs alloc;
  CLI::App* alloc_cmd = app.add_subcommand(
      "allocate",
      "Compute the territory-wide plan: an optimal allocation of places with "
      "a reason for every need left without one");
  alloc_cmd->add_option("dir", alloc.dir, "Network folder")->required();
  alloc_cmd
      ->add_option("--out", alloc.out,
                   "Output folder for assignments.csv, unmatched.csv, "
                   "plan_needs.csv, summary.json")
      ->required();
  alloc_cmd
      ->add_option("--candidate-limit", alloc.candidate_limit,
                   "Model the best N options of each need, then add "
                   "every other option that could improve the plan "
                   "(exact); 0 = all options from the start")
      ->capture_default_str()
      ->check(WholeNumber(INT32_MAX));
  alloc_cmd
      ->add_option("--assumed-capacity", alloc.assumed_capacity,
                   "Places assumed at a service that publishes none (every "
                   "referral resting on it is flagged); 0 = leave such "
                   "services out of the plan")
      ->capture_default_str()
      ->check(WholeNumber(1000000));
  AddRankFilters(alloc_cmd, &alloc.filters);
  alloc_cmd->add_flag("--verify", alloc.verify,
                      "Re-check the plan's optimality certificate");
  alloc_cmd->add_flag("--progress,!--no-progress", alloc.progress,
                      "Show the stages and a progress line on standard error "
                      "when it is a terminal (default; never in a pipe)");
  alloc_cmd->add_option("--export-dimacs", alloc.export_dimacs,
                        "Write the min-cost flow problem solved, in DIMACS "
                        "format");

  maillage::cli::ExportArgs exp;
  CLI::App* export_cmd = app.add_subcommand(
      "export",
      "Write a plan in shareable forms: a GeoJSON map where people are "
      "counted in groups of at least 5 per area, never located; the plan as "
      "one JSON document; the referrals one partner receives");
  export_cmd->add_option("dir", exp.dir, "Network folder")->required();
  export_cmd->add_option("--plan", exp.plan,
                         "Plan folder written by `maillage allocate` "
                         "(default: allocate now)");
  export_cmd->add_option("--geojson", exp.geojson, "Write the map (GeoJSON)");
  export_cmd->add_option("--json", exp.json, "Write the plan as JSON");
  auto* partner = export_cmd->add_option("--partner", exp.partner,
                                         "Partner id whose referrals to write");
  auto* partner_out = export_cmd->add_option(
      "--partner-out", exp.partner_out,
      "Write the partner's referrals (CSV) to this file");
  partner->needs(partner_out);
  partner_out->needs(partner);

  std::string flow_file;
  bool flow_verify = false;
  CLI::App* flow_cmd = app.add_subcommand(
      "flow", "Solve a DIMACS min-cost flow problem (status and objective)");
  flow_cmd->add_option("file", flow_file, "DIMACS .min file")->required();
  flow_cmd->add_flag("--verify", flow_verify,
                     "Check the solution's optimality certificate");

  maillage::cli::ImportArgs import_args;
  CLI::App* import_cmd = maillage::cli::AddImportCommand(app, &import_args);

  maillage::cli::GapsArgs gaps_args;
  std::string gaps_out;
  CLI::App* gaps_cmd =
      maillage::cli::AddGapsCommand(app, &gaps_args, &gaps_out);
  maillage::cli::ReportArgs report_args;
  CLI::App* report_cmd = maillage::cli::AddReportCommand(app, &report_args);
  maillage::cli::SessionArgs session_args;
  CLI::App* session_cmd = maillage::cli::AddSessionCommand(app, &session_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (export_cmd->parsed() && exp.geojson.empty() && exp.json.empty() &&
      exp.partner_out.empty()) {
    std::cerr << "export: one of --geojson, --json, --partner-out is "
                 "required\n";
    return 2;
  }
  if (gen_cmd->parsed() && gen.territories.empty() && !gen.all &&
      !gen.national) {
    std::cerr
        << "generate: one of --territory, --all, --national is required\n";
    return 2;
  }
  try {
    if (*demo_cmd) return maillage::cli::Demo(demo, std::cout, std::cerr);
    if (*gen_cmd) return maillage::cli::Generate(gen, std::cout, std::cerr);
    if (*val_cmd) {
      return maillage::cli::Validate(validate_dir, std::cout, std::cerr);
    }
    if (*rank_cmd) return maillage::cli::Rank(rank, std::cout, std::cerr);
    if (*alloc_cmd) {
      return maillage::cli::Allocate(alloc, std::cout, std::cerr);
    }
    if (*export_cmd) return maillage::cli::Export(exp, std::cout, std::cerr);
    if (*import_cmd) {
      return maillage::cli::Import(import_args, std::cout, std::cerr);
    }
    if (*gaps_cmd) {
      return maillage::cli::Gaps(gaps_args, gaps_out, std::cout, std::cerr);
    }
    if (*report_cmd) {
      return maillage::cli::Report(report_args, std::cout, std::cerr);
    }
    if (*session_cmd) {
      return maillage::cli::Session(session_args, std::cout, std::cerr);
    }
    if (*flow_cmd) {
      return maillage::cli::Flow(flow_file, flow_verify, std::cout, std::cerr);
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "maillage: out of memory\n";
    return 1;
  }
  return 2;
}
