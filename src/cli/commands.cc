#include "cli/commands.h"

#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/file.h"
#include "base/text.h"
#include "cli/progress_line.h"
#include "flow/network_simplex.h"
#include "flow/verify.h"
#include "maillage/allocate.h"
#include "maillage/export.h"
#include "maillage/geojson.h"
#include "maillage/io.h"
#include "maillage/rank.h"
#include "maillage/summary.h"
#include "maillage/synth.h"
#include "maillage/vocabulary.h"

namespace maillage::cli {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string Describe(const Network& net, const Option& o) {
  const Service& s = net.service(o.service);
  std::string where =
      o.remote ? "remote" : absl::StrFormat("%.1f km", o.distance_km);
  return absl::StrFormat(
      "%-16s %-40.40s score %.3f = capacity %.2f, proximity %.2f, "
      "complementarity %.2f; %s%s",
      s.id, s.name, o.score, o.capacity, o.proximity, o.complementarity, where,
      o.full ? ", FULL (waiting list)" : "");
}

}  // namespace

int PrintProblems(const std::vector<Problem>& problems, std::ostream& err) {
  int errors = 0;
  for (const Problem& p : problems) {
    err << p.ToString() << "\n";
    if (!p.warning) ++errors;
  }
  return errors;
}

namespace {

// Coverage and unmatched needs by reason, per territory (and overall when
// there are several).
void PrintPlanSummary(const Network& net, const Plan& plan, std::ostream& out) {
  const PlanSummary summary = SummarizePlan(net, plan);
  out << absl::StrFormat("%-12s %15s %15s %10s %10s %10s %10s\n", "territory",
                         "people covered", "needs covered", "no_service",
                         "not_elig.", "out_reach", "full");
  auto print = [&](const std::string& name, const CoverageCounts& c) {
    out << absl::StrFormat("%-12s %7d/%-7d %7d/%-7d %10d %10d %10d %10d\n",
                           name, c.people_covered, c.people, c.needs_covered,
                           c.needs, c.unmatched[0], c.unmatched[1],
                           c.unmatched[2], c.unmatched[3]);
  };
  for (const auto& [name, c] : summary.territories) print(name, c);
  if (summary.territories.size() > 1) print("all", summary.all);
}

}  // namespace

absl::optional<Network> LoadValid(const std::string& dir,
                                  absl::string_view command, std::ostream& err,
                                  ProgressLine* progress) {
  if (progress != nullptr) progress->Stage("loading the network");
  absl::StatusOr<LoadResult> r = LoadFolder(dir);
  if (progress != nullptr) progress->Clear();
  if (!r.ok()) {
    err << r.status().message() << "\n";
    return absl::nullopt;
  }
  if (!r->ok()) {
    PrintProblems(r->problems, err);
    err << command
        << ": the folder has invalid rows; run `maillage validate`\n";
    return absl::nullopt;
  }
  return std::move(r->network);
}

int Fail(std::ostream& err, absl::string_view command,
         absl::string_view message) {
  err << command << ": " << message << "\n";
  return 1;
}

namespace {

// Per territory: sites, people, needs, open needs, services that are an
// option of its open needs, open needs without any option.
void PrintTerritoryStats(const Network& net, const Ranker& ranker,
                         std::ostream& out) {
  struct Stats {
    int sites = 0, people = 0, needs = 0, open = 0, without = 0;
    absl::flat_hash_set<int32_t> services;
  };
  std::map<std::string, Stats> stats;
  for (const Site& s : net.sites()) ++stats[s.territory].sites;
  std::vector<Option> options;
  for (size_t p = 0; p < net.persons().size(); ++p) {
    const PersonId pid(static_cast<int32_t>(p));
    Stats& st = stats[net.site(net.person(pid).site).territory];
    ++st.people;
    for (NeedId n = net.first_need(pid); n < net.end_need(pid);
         n = NeedId(n.value() + 1)) {
      ++st.needs;
      if (net.pinned_service(n)) continue;
      ++st.open;
      options.clear();
      ranker.Candidates(n, &options);
      if (options.empty()) ++st.without;
      for (const Option& o : options) st.services.insert(o.service.value());
    }
  }
  out << absl::StrFormat("%-12s %6s %7s %6s %6s %9s %14s\n", "territory",
                         "sites", "people", "needs", "open", "services",
                         "without option");
  for (const auto& [name, st] : stats) {
    out << absl::StrFormat("%-12s %6d %7d %6d %6d %9d %14d\n", name, st.sites,
                           st.people, st.needs, st.open, st.services.size(),
                           st.without);
  }
  out << "\n(open: needs not already met by a current or accepted support; "
         "services: those that are an option for at least one open need of "
         "the territory)\n";
}

// A readable sample: the first person of each territory with open needs,
// the top 3 options of each of their open needs.
void PrintSample(const Network& net, const Ranker& ranker, std::ostream& out) {
  out << "\nSample of ranked options (top 3 per open need):\n";
  std::set<std::string> shown;
  for (size_t p = 0; p < net.persons().size(); ++p) {
    const PersonId pid(static_cast<int32_t>(p));
    const Person& person = net.person(pid);
    const std::string& territory = net.site(person.site).territory;
    std::vector<NeedId> open;
    for (NeedId n = net.first_need(pid); n < net.end_need(pid);
         n = NeedId(n.value() + 1)) {
      if (!net.pinned_service(n)) open.push_back(n);
    }
    if (shown.count(territory) || open.empty()) continue;
    shown.insert(territory);
    out << absl::StrFormat("\n[%s] person %s, site %s\n", territory, person.id,
                           net.site(person.site).id);
    for (NeedId n : open) {
      out << absl::StrFormat("  need %s (urgency %d)\n",
                             ThemeCode(net.need(n).theme), net.need(n).urgency);
      std::vector<Option> top = ranker.Rank(n, 3);
      if (top.empty()) out << "    no eligible service\n";
      for (size_t i = 0; i < top.size(); ++i) {
        out << "    " << (i + 1) << ". " << Describe(net, top[i]) << "\n";
      }
    }
  }
}

// The network, the top 5 options of every open need and the plan, in `dir`.
absl::Status WriteDemo(const Ranker& ranker, const Plan& plan,
                       const std::string& dir, std::ostream& out) {
  const Network& net = ranker.network();
  if (absl::Status s = WriteFolder(net, dir); !s.ok()) return s;
  std::vector<Option> options;
  for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
    if (net.pinned_service(NeedId(n))) continue;
    for (const Option& o : ranker.Rank(NeedId(n), 5)) options.push_back(o);
  }
  const std::string path = dir + "/options.csv";
  std::ofstream f(path);
  WriteOptionsCsv(net, options, f);
  f.close();
  if (!f) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  if (absl::Status s = WritePlan(net, plan, dir); !s.ok()) return s;
  out << "\nWrote the network, " << options.size()
      << " ranked options (options.csv, top 5 per open need) and the plan "
         "(assignments.csv, unmatched.csv, plan_needs.csv, summary.json) to "
      << dir << "\n";
  return absl::OkStatus();
}

}  // namespace

int Demo(const DemoArgs& args, std::ostream& out, std::ostream& err) {
  const auto t0 = Clock::now();
  SynthOptions options;
  options.seed = args.seed;
  absl::StatusOr<Network> net = maillage::Generate(options);
  if (!net.ok()) return Fail(err, "demo", net.status().message());
  const double gen_s = Seconds(t0);
  const auto t1 = Clock::now();
  absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
  if (!ranker.ok()) return Fail(err, "demo", ranker.status().message());
  const double index_s = Seconds(t1);
  const auto t2 = Clock::now();
  std::ostringstream stats;
  PrintTerritoryStats(*net, *ranker, stats);
  out << absl::StrFormat(
      "maillage demo: synthetic Convergence network (seed %d)\n"
      "%d sites, %d people, %d needs, %d partners, %d services; generated in "
      "%.2f s, ranking index in %.2f s, all needs ranked in %.2f s\n\n",
      args.seed, net->sites().size(), net->persons().size(),
      net->needs().size(), net->partners().size(), net->services().size(),
      gen_s, index_s, Seconds(t2));
  out << stats.str();

  // The territory-wide plan.
  absl::StatusOr<Plan> plan = maillage::Allocate(*ranker);
  if (!plan.ok()) return Fail(err, "demo", plan.status().message());
  out << absl::StrFormat(
      "\nAllocation: %d of %d people with at least one need covered, %d of "
      "%d needs (%d already met by a current support); solved in %.3f s\n",
      plan->objective.people_covered, plan->objective.people,
      plan->objective.needs_covered, plan->objective.needs,
      plan->objective.needs_pinned, plan->solve_seconds);
  PrintPlanSummary(*net, *plan, out);
  out << "(unmatched needs by reason: no service for the theme, services "
         "exist but none eligible, eligible but out of reach, eligible in "
         "reach but full)\n";
  PrintSample(*net, *ranker, out);
  if (!args.out.empty()) {
    if (absl::Status s = WriteDemo(*ranker, *plan, args.out, out); !s.ok()) {
      return Fail(err, "demo", s.message());
    }
  }
  return 0;
}

int Generate(const GenerateArgs& args, std::ostream& out, std::ostream& err) {
  SynthOptions options;
  options.territories = args.territories;
  options.national = args.national;
  options.seed = args.seed;
  options.scale = args.scale;
  const auto t0 = Clock::now();
  absl::StatusOr<Network> net = maillage::Generate(options);
  if (!net.ok()) return Fail(err, "generate", net.status().message());
  const double gen_s = Seconds(t0);
  const auto t1 = Clock::now();
  if (absl::Status s = WriteFolder(*net, args.out); !s.ok()) {
    return Fail(err, "generate", s.message());
  }
  out << absl::StrFormat(
      "%s: %d sites, %d partners, %d services, %d people, %d needs, %d "
      "supports, %d partnerships (generated in %.2f s, written in %.2f s)\n",
      args.out, net->sites().size(), net->partners().size(),
      net->services().size(), net->persons().size(), net->needs().size(),
      net->supports().size(), net->partnerships().size(), gen_s, Seconds(t1));
  return 0;
}

int Validate(const std::string& dir, std::ostream& out, std::ostream& err) {
  absl::StatusOr<LoadResult> r = LoadFolder(dir);
  if (!r.ok()) {
    err << r.status().message() << "\n";
    return 1;
  }
  PrintProblems(r->problems, out);
  for (const FileReport& f : r->files) {
    if (!f.present && f.counts.read == 0) {
      bool required = false;
      for (const Problem& p : r->problems) required |= p.file == f.file;
      if (!required) continue;  // absent optional file
    }
    out << absl::StrFormat("%s: read %d, loaded %d, rejected %d\n", f.file,
                           f.counts.read, f.counts.loaded, f.counts.rejected);
  }
  return r->ok() ? 0 : 1;
}

absl::StatusOr<RankOptions> MakeRankOptions(const RankFilterArgs& args) {
  RankOptions options;
  for (auto [codes, vocabulary, set, flag] :
       {std::tuple{&args.frais, Vocabulary::kFrais, &options.frais, "--frais"},
        std::tuple{&args.types, Vocabulary::kServiceTypes,
                   &options.service_types, "--type"}}) {
    for (const std::string& code : *codes) {
      const absl::optional<int> i = ParseCode(vocabulary, code);
      if (!i) {
        std::vector<std::string> known;
        for (int k = 0; k < NumCodes(vocabulary); ++k) {
          known.emplace_back(CodeOf(vocabulary, k));
        }
        return absl::InvalidArgumentError(
            absl::StrCat(flag, ": unknown code ", base::Quoted(code), " (",
                         absl::StrJoin(known, ", "), ")"));
      }
      *set = static_cast<CodeSet>(*set | (1u << *i));
    }
  }
  options.exclude_unknown_frais = options.exclude_unknown_types =
      args.exclude_unknown;
  options.freshness_half_life_days = args.freshness_half_life_days;
  options.as_of = args.as_of;
  return options;
}

int Rank(const RankArgs& args, std::ostream& out, std::ostream& err) {
  absl::optional<Network> loaded = LoadValid(args.dir, "rank", err);
  if (!loaded) return 1;
  const Network& net = *loaded;
  absl::optional<PersonId> person = net.FindPerson(args.person);
  if (!person) {
    err << "rank: no person with id " << base::Quoted(args.person) << "\n";
    return 1;
  }
  absl::StatusOr<RankOptions> rank_options = MakeRankOptions(args.filters);
  if (!rank_options.ok()) {
    return Fail(err, "rank", rank_options.status().message());
  }
  absl::StatusOr<Ranker> ranker = Ranker::Create(net, *rank_options);
  if (!ranker.ok()) return Fail(err, "rank", ranker.status().message());
  std::vector<Option> options;
  if (!args.need.empty()) {
    absl::optional<ThemeId> theme = ParseTheme(args.need);
    if (!theme) {
      err << "rank: unknown data·inclusion theme " << base::Quoted(args.need)
          << "\n";
      return 1;
    }
    options = ranker->Rank(*person, *theme, args.k);
  } else {
    for (int32_t n = net.first_need(*person).value();
         n < net.end_need(*person).value(); ++n) {
      if (net.pinned_service(NeedId(n))) continue;
      for (const Option& o : ranker->Rank(NeedId(n), args.k)) {
        options.push_back(o);
      }
    }
  }
  WriteOptionsCsv(net, options, out);
  return 0;
}

int Allocate(const AllocateArgs& args, std::ostream& out, std::ostream& err) {
  const auto t0 = Clock::now();
  ProgressLine progress(err, "allocate",
                        args.progress && ProgressLine::OnTerminal());
  absl::optional<Network> loaded =
      LoadValid(args.dir, "allocate", err, &progress);
  if (!loaded) return 1;
  const double load_s = Seconds(t0);
  const Network& net = *loaded;
  const auto t1 = Clock::now();
  absl::StatusOr<RankOptions> rank_options = MakeRankOptions(args.filters);
  if (!rank_options.ok()) {
    return Fail(err, "allocate", rank_options.status().message());
  }
  progress.Stage("indexing the services");
  absl::StatusOr<Ranker> ranker = Ranker::Create(net, *rank_options);
  if (!ranker.ok()) return Fail(err, "allocate", ranker.status().message());
  const double rank_s = Seconds(t1);
  if (!args.export_dimacs.empty()) {
    AllocateOptions dimacs_options;
    dimacs_options.assumed_capacity = args.assumed_capacity;
    absl::StatusOr<std::string> dimacs = ExportDimacs(*ranker, dimacs_options);
    if (!dimacs.ok()) {
      err << "allocate: " << dimacs.status().message() << "\n";
      return 1;
    }
    std::ofstream f(args.export_dimacs, std::ios::binary);
    f << *dimacs;
    f.close();
    if (!f) {
      err << "allocate: cannot write " << args.export_dimacs << "\n";
      return 1;
    }
  }
  AllocateOptions options;
  options.candidate_limit = args.candidate_limit;
  options.assumed_capacity = args.assumed_capacity;
  options.progress = progress.Callback();
  absl::StatusOr<Plan> plan = maillage::Allocate(*ranker, options);
  if (!plan.ok()) {
    progress.Clear();
    return Fail(err, "allocate", plan.status().message());
  }
  double verify_s = 0;
  if (args.verify) {
    const auto t2 = Clock::now();
    absl::Status s = VerifyPlan(*ranker, *plan, options);
    progress.Clear();
    if (!s.ok()) {
      err << "allocate: verification failed: " << s.message() << "\n";
      return 1;
    }
    verify_s = Seconds(t2);
  }
  progress.Stage("writing the plan");
  absl::Status written = WritePlan(net, *plan, args.out);
  progress.Clear();
  if (!written.ok()) return Fail(err, "allocate", written.message());
  const PlanObjective& o = plan->objective;
  out << absl::StrFormat(
      "level 1: %d of %d people with at least one need covered\n"
      "level 2: %d of %d needs covered (%d already met by a current or "
      "accepted support)\n"
      "level 3: covered by urgency 3/2/1: %d/%d, %d/%d, %d/%d\n"
      "level 4: total score %.3f of %d new referrals\n",
      o.people_covered, o.people, o.needs_covered, o.needs, o.needs_pinned,
      o.needs_covered_by_urgency[2], o.needs_by_urgency[2],
      o.needs_covered_by_urgency[1], o.needs_by_urgency[1],
      o.needs_covered_by_urgency[0], o.needs_by_urgency[0], o.total_score,
      o.needs_covered - o.needs_pinned);
  const std::array<int64_t, kNumUnmatchedReasons> reasons =
      SummarizePlan(net, *plan).all.unmatched;
  out << absl::StrFormat(
      "unmatched: %d (no_service_for_theme %d, not_eligible %d, out_of_reach "
      "%d, capacity_full %d)\n",
      plan->unmatched.size(), reasons[0], reasons[1], reasons[2], reasons[3]);
  int64_t assumed = 0;
  for (const Assignment& a : plan->assignments) assumed += a.capacity_assumed;
  if (assumed > 0) {
    out << absl::StrFormat(
        "capacity assumed: %d referrals rest on an assumed capacity of %d "
        "place(s) at services that publish none (capacity_assumed in "
        "assignments.csv): confirm them with the partners\n",
        assumed, args.assumed_capacity);
  }
  out << absl::StrFormat(
      "objective: %d (flow cost; weights person %d, need %d, urgency %d, "
      "score scale %d, scores exact to 1/%d, %d-bit potentials)\n",
      o.flow_cost, plan->scaling.person_weight, plan->scaling.need_weight,
      plan->scaling.urgency_weight, plan->scaling.score_scale,
      plan->scaling.score_scale, plan->scaling.cost_bits);
  out << absl::StrFormat(
      "time: load %.3f s, rank %.3f s, build %.3f s, solve %.3f s (%d arcs, "
      "%d repair rounds)%s\n",
      load_s, rank_s, plan->build_seconds, plan->solve_seconds,
      plan->arcs_solved, plan->repair_rounds,
      args.verify
          ? absl::StrFormat(", verify %.3f s (certificate OK)", verify_s)
          : std::string());
  PrintPlanSummary(net, *plan, out);
  out << "wrote " << args.out
      << "/assignments.csv, unmatched.csv, plan_needs.csv, summary.json\n";
  return 0;
}

int Flow(const std::string& file, bool verify, std::ostream& out,
         std::ostream& err) {
  absl::StatusOr<flow::FlowProblem> problem = flow::ReadDimacsFile(file);
  if (!problem.ok()) {
    err << problem.status().message() << "\n";  // names the file and line
    return 1;
  }
  const auto t0 = Clock::now();
  absl::StatusOr<flow::FlowSolution> sol = flow::SolveMinCostFlow(*problem);
  if (!sol.ok()) {
    err << file << ": " << sol.status().message() << "\n";
    return 1;
  }
  const double solve_s = Seconds(t0);
  out << "status: " << flow::FlowStatusName(sol->status) << "\n";
  if (sol->status == flow::FlowStatus::kOptimal) {
    out << "objective: " << flow::internal::Int128ToString(sol->objective)
        << "\n";
    if (sol->cost_bits == 128) {
      out << "potentials: 128-bit (costs times nodes exceed 64 bits)\n";
    }
    if (verify) {
      if (absl::Status s = flow::Verify(*problem, *sol); !s.ok()) {
        err << "verification failed: " << s.message() << "\n";
        return 1;
      }
      out << "verified: flow feasible, potentials prove optimality\n";
    }
  }
  out << absl::StrFormat("nodes: %d, arcs: %d, time: %.3f s\n",
                         problem->num_nodes, problem->num_arcs(), solve_s);
  return 0;
}

namespace {

// Writes one output file, creating its folder when missing.
absl::Status WriteOutput(const std::string& path, const std::string& text) {
  const std::filesystem::path parent =
      std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    if (absl::Status s = base::MakeFolder(parent.string()); !s.ok()) return s;
  }
  return base::WriteFile(path, text);
}

}  // namespace

int Export(const ExportArgs& args, std::ostream& out, std::ostream& err) {
  absl::optional<Network> loaded = LoadValid(args.dir, "export", err);
  if (!loaded) return 1;
  const Network& net = *loaded;
  absl::StatusOr<Plan> plan;
  if (!args.plan.empty()) {
    plan = ReadPlan(net, args.plan);
  } else {
    absl::StatusOr<Ranker> ranker = Ranker::Create(net);
    plan = ranker.ok() ? maillage::Allocate(*ranker) : ranker.status();
  }
  if (!plan.ok()) return Fail(err, "export", plan.status().message());
  out << absl::StrFormat("plan: %s, %d assignments, %d unmatched needs\n",
                         args.plan.empty()
                             ? std::string("allocated")
                             : absl::StrCat("read from ", args.plan),
                         plan->assignments.size(), plan->unmatched.size());
  // Every output is computed before any is written: an unknown partner
  // leaves no file behind.
  absl::StatusOr<std::vector<Referral>> referrals;
  if (!args.partner.empty()) {
    referrals = PartnerReferrals(net, *plan, args.partner);
    if (!referrals.ok()) {
      return Fail(err, "export", referrals.status().message());
    }
  }
  if (!args.geojson.empty()) {
    absl::StatusOr<PlanMap> map = MapPlan(net, *plan);
    if (!map.ok()) return Fail(err, "export", map.status().message());
    if (absl::Status s =
            WriteOutput(args.geojson, PlanMapGeoJson(net, *plan, *map));
        !s.ok()) {
      return Fail(err, "export", s.message());
    }
    out << absl::StrFormat(
        "wrote %s: %d sites, %d services, %d assignment groups, %d unmatched "
        "groups; not drawn: %d assigned and %d unmatched needs in groups of "
        "fewer than %d people, %d assignments to services without a "
        "location\n",
        args.geojson, net.sites().size(), net.services().size(),
        map->assignments.size(), map->unmatched.size(),
        map->suppressed_assignments, map->suppressed_unmatched,
        map->min_group_size, map->assignments_not_located);
  }
  if (!args.json.empty()) {
    if (absl::Status s = WriteOutput(args.json, PlanJson(net, *plan));
        !s.ok()) {
      return Fail(err, "export", s.message());
    }
    out << "wrote " << args.json << "\n";
  }
  if (!args.partner.empty()) {
    if (absl::Status s =
            WriteOutput(args.partner_out, ReferralsCsv(*referrals));
        !s.ok()) {
      return Fail(err, "export", s.message());
    }
    out << absl::StrFormat("wrote %s: %d referrals to partner %s\n",
                           args.partner_out, referrals->size(),
                           base::Quoted(args.partner));
  }
  return 0;
}

}  // namespace maillage::cli
