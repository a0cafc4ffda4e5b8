// Side-by-side: maillage's network simplex, LEMON's NetworkSimplex (and
// CostScaling) and Boost.Graph's successive shortest path on the same DIMACS
// min-cost flow problem, several repetitions each.
//
//   flow_compare FILE.min [--reps N] [--cost-scaling] [--boost-ssp]
//     All of them in this process: median times, the ratio LEMON NS /
//     maillage and whether the objectives agree (human-readable).
//   flow_compare FILE.min --solver maillage|lemon-ns|lemon-cs|boost-ssp
//                [--reps N] [--candidate-limit K] [--block-size B]
//     One solver, one line of key=value pairs for scripts (bench/compare.sh
//     runs each solver in its own process so that peak memory is its own):
//       solver=... nodes=... arcs=... reps=... median_s=... min_s=...
//       times_s=T1,T2,... status=optimal|failed objective=...
//       load_peak_kb=... peak_rss_kb=... peak_reset=0|1
//     load_peak_kb is the peak while reading the file (the reader holds the
//     whole text, more than the problem itself); the peak is then reset
//     (Linux /proc/self/clear_refs) so that peak_rss_kb is the peak while
//     solving, with the problem in memory. peak_reset=0 when the reset failed
//     and peak_rss_kb includes the reading.
//
// maillage solves as `maillage allocate` does: when the file is one that
// `allocate --export-dimacs` wrote (its "c nodes:" comment gives the need
// nodes), the 16 cheapest options of each need are priced first
// (--candidate-limit K changes it, 0 prices every arc from the start) and
// the simplex starts by pivoting on each need's cheapest path (the flags and
// the path are computed inside the timed solve).
//
// Exit status: 0 when every solver run reached an optimum with the same
// objective, 1 otherwise, 2 on a usage error.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "allocate/model.h"
#include "boost_ssp.h"
#include "flow/flow_problem.h"
#include "flow/network_simplex.h"
#include "lemon_solvers.h"

namespace {

using Clock = std::chrono::steady_clock;
using maillage::flow::FlowProblem;

struct Timing {
  std::vector<double> seconds;
  bool optimal = true;                   // every repetition
  maillage::flow::int128 objective = 0;  // LEMON's and Boost's: 64-bit
  bool same_objective = true;            // across repetitions
  std::string error;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t k = v.size() / 2;
  return v.size() % 2 ? v[k] : (v[k - 1] + v[k]) / 2;
}

void Record(Timing& t, int rep, bool optimal, maillage::flow::int128 objective,
            double seconds, const std::string& error) {
  t.seconds.push_back(seconds);
  if (!optimal) {
    t.optimal = false;
    if (t.error.empty()) t.error = error.empty() ? "not optimal" : error;
  }
  if (rep > 0 && objective != t.objective) t.same_objective = false;
  t.objective = objective;
}

// The need nodes [begin, end) (0-based) from the "c nodes: 1 source, 2 sink,
// 3.. people (P), then needs (N), ..." comment of an allocation export;
// {0, 0} when the file has none.
std::pair<int32_t, int32_t> NeedNodes(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < 20 && std::getline(in, line); ++i) {
    long long people = 0, needs = 0;
    if (std::sscanf(line.c_str(),
                    "c nodes: 1 source, 2 sink, 3.. people (%lld), then needs "
                    "(%lld)",
                    &people, &needs) == 2) {
      return {static_cast<int32_t>(2 + people),
              static_cast<int32_t>(2 + people + needs)};
    }
  }
  return {0, 0};
}

struct MaillageOptions {
  std::pair<int32_t, int32_t> need_nodes{0, 0};
  int32_t candidate_limit = 16;
  int32_t block_size = 0;  // 0: the solver's choice
};

// One repetition of `solver` on `p`; false for an unknown solver name.
bool RunOnce(const std::string& solver, const FlowProblem& p, int rep,
             const MaillageOptions& mo, Timing& t) {
  const maillage::bench::LemonProblem lp{p.num_nodes, &p.tail, &p.head,
                                         &p.capacity, &p.cost, &p.supply};
  if (solver == "maillage") {
    const auto t0 = Clock::now();
    // An allocation's file: the settings `maillage allocate` uses.
    maillage::flow::SolveOptions options =
        mo.need_nodes.second > mo.need_nodes.first
            ? maillage::allocate::ModelSolveOptions()
            : maillage::flow::SolveOptions{};
    options.block_size = mo.block_size;
    options.first_arcs = maillage::flow::CheapestOutArcsFirst(
        p, mo.need_nodes.first, mo.need_nodes.second, mo.candidate_limit);
    options.initial_arcs = maillage::flow::CheapestPathArcs(
        p, 0, 1, mo.need_nodes.first, mo.need_nodes.second);
    absl::StatusOr<maillage::flow::FlowSolution> s =
        maillage::flow::SolveMinCostFlow(p, options);
    const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
    const bool optimal =
        s.ok() && s->status == maillage::flow::FlowStatus::kOptimal;
    Record(t, rep, optimal, optimal ? s->objective : 0, sec,
           s.ok() ? std::string(maillage::flow::FlowStatusName(s->status))
                  : std::string(s.status().message()));
  } else if (solver == "lemon-ns" || solver == "lemon-cs") {
    const maillage::bench::LemonResult r =
        solver == "lemon-ns" ? maillage::bench::LemonNetworkSimplex(lp)
                             : maillage::bench::LemonCostScaling(lp);
    Record(t, rep, r.status == maillage::bench::LemonStatus::kOptimal,
           r.objective, r.seconds, "");
  } else if (solver == "boost-ssp") {
    const maillage::bench::BoostSspResult r =
        maillage::bench::BoostSuccessiveShortestPath(p);
    Record(t, rep, r.optimal, r.objective, r.seconds, r.error);
  } else {
    return false;
  }
  return true;
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // kilobytes on Linux
}

// Resets the peak resident set size to the current one (Linux >= 4.0).
bool ResetPeakRss() {
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  f.close();
  return static_cast<bool>(f);
}

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s FILE.min [--reps N] [--cost-scaling] [--boost-ssp]\n"
               "                [--candidate-limit K] [--block-size B]\n"
               "       %s FILE.min --solver "
               "maillage|lemon-ns|lemon-cs|boost-ssp [--reps N]\n"
               "                [--candidate-limit K] [--block-size B]\n",
               argv0, argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage(argv[0]);
  int reps = 3;
  bool cost_scaling = false, boost_ssp = false;
  std::string solver;
  MaillageOptions mo;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) {
      reps = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--solver") && i + 1 < argc) {
      solver = argv[++i];
    } else if (!std::strcmp(argv[i], "--cost-scaling")) {
      cost_scaling = true;
    } else if (!std::strcmp(argv[i], "--boost-ssp")) {
      boost_ssp = true;
    } else if (!std::strcmp(argv[i], "--candidate-limit") && i + 1 < argc) {
      mo.candidate_limit = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--block-size") && i + 1 < argc) {
      mo.block_size = std::atoi(argv[++i]);
    } else {
      return Usage(argv[0]);
    }
  }
  if (reps < 1) return Usage(argv[0]);

  mo.need_nodes = NeedNodes(argv[1]);
  absl::StatusOr<FlowProblem> p = maillage::flow::ReadDimacsFile(argv[1]);
  if (!p.ok()) {
    std::fprintf(stderr, "%s\n", std::string(p.status().message()).c_str());
    return 1;
  }

  if (!solver.empty()) {
    const long load_peak_kb = PeakRssKb();
    const bool reset = ResetPeakRss();
    Timing t;
    for (int r = 0; r < reps; ++r) {
      if (!RunOnce(solver, *p, r, mo, t)) return Usage(argv[0]);
    }
    const bool ok = t.optimal && t.same_objective;
    std::string times;
    for (double sec : t.seconds) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.6f", times.empty() ? "" : ",", sec);
      times += buf;
    }
    std::printf(
        "solver=%s nodes=%d arcs=%d reps=%d median_s=%.6f min_s=%.6f "
        "times_s=%s status=%s objective=%s load_peak_kb=%ld "
        "peak_rss_kb=%ld peak_reset=%d\n",
        solver.c_str(), p->num_nodes, p->num_arcs(), reps, Median(t.seconds),
        *std::min_element(t.seconds.begin(), t.seconds.end()), times.c_str(),
        ok ? "optimal" : "failed",
        maillage::flow::internal::Int128ToString(t.objective).c_str(),
        load_peak_kb, PeakRssKb(), reset ? 1 : 0);
    if (!ok) {
      std::fprintf(stderr, "%s: %s\n", solver.c_str(),
                   t.same_objective ? t.error.c_str()
                                    : "objective differs between repetitions");
    }
    return ok ? 0 : 1;
  }

  std::vector<std::string> solvers = {"maillage", "lemon-ns"};
  if (cost_scaling) solvers.push_back("lemon-cs");
  if (boost_ssp) solvers.push_back("boost-ssp");
  std::vector<Timing> timings(solvers.size());
  // Interleaved, so that a slow spell of the machine hits every solver.
  for (int r = 0; r < reps; ++r) {
    for (size_t i = 0; i < solvers.size(); ++i) {
      RunOnce(solvers[i], *p, r, mo, timings[i]);
    }
  }
  static const char* const kNames[] = {
      "maillage network simplex", "LEMON NetworkSimplex", "LEMON CostScaling",
      "Boost successive shortest path"};
  bool equal = true;
  std::printf("nodes %d arcs %d reps %d\n", p->num_nodes, p->num_arcs(), reps);
  for (size_t i = 0; i < solvers.size(); ++i) {
    const Timing& t = timings[i];
    const size_t name = solvers[i] == "boost-ssp" ? 3 : i;
    std::printf("%-31s median %.4f s  objective %s%s%s\n", kNames[name],
                Median(t.seconds),
                maillage::flow::internal::Int128ToString(t.objective).c_str(),
                t.optimal ? "" : "  NOT OPTIMAL: ", t.error.c_str());
    equal = equal && t.optimal && t.same_objective &&
            t.objective == timings[0].objective;
  }
  std::printf("ratio LEMON NS / maillage: %.2f; objectives %s\n",
              Median(timings[1].seconds) / Median(timings[0].seconds),
              equal ? "equal" : "DIFFER");
  return equal ? 0 : 1;
}
