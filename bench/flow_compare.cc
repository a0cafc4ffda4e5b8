// Side-by-side: maillage's network simplex and LEMON's NetworkSimplex (and,
// with --cost-scaling, CostScaling) on the same DIMACS min-cost flow problem,
// several repetitions each, in the same run. Prints the median times, their
// ratio and whether the objectives agree.
//
//   flow_compare FILE.min [--reps N] [--cost-scaling]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "flow/flow_problem.h"
#include "flow/network_simplex.h"
#include "lemon_solvers.h"

namespace {

using Clock = std::chrono::steady_clock;
using maillage::flow::FlowProblem;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.min [--reps N] [--cost-scaling]\n",
                 argv[0]);
    return 2;
  }
  int reps = 3;
  bool cost_scaling = false;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc)
      reps = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--cost-scaling")) cost_scaling = true;
  }
  absl::StatusOr<FlowProblem> p = maillage::flow::ReadDimacsFile(argv[1]);
  if (!p.ok()) {
    std::fprintf(stderr, "%s\n", std::string(p.status().message()).c_str());
    return 1;
  }
  std::vector<double> ours, lemon_ns, lemon_cs;
  int64_t obj_ours = 0, obj_ns = 0, obj_cs = 0;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    absl::StatusOr<maillage::flow::FlowSolution> s =
        maillage::flow::SolveMinCostFlow(*p);
    ours.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    obj_ours = s.ok() ? s->objective : 0;

    const maillage::bench::LemonProblem lp{p->num_nodes, &p->tail, &p->head,
                                           &p->capacity, &p->cost, &p->supply};
    const maillage::bench::LemonResult ns =
        maillage::bench::LemonNetworkSimplex(lp);
    lemon_ns.push_back(ns.seconds);
    obj_ns = ns.objective;
    if (cost_scaling) {
      const maillage::bench::LemonResult cs =
          maillage::bench::LemonCostScaling(lp);
      lemon_cs.push_back(cs.seconds);
      obj_cs = cs.objective;
    }
  }
  std::printf("nodes %d arcs %d reps %d\n", p->num_nodes, p->num_arcs(), reps);
  std::printf("maillage network simplex  median %.3f s  objective %lld\n",
              Median(ours), static_cast<long long>(obj_ours));
  std::printf("LEMON NetworkSimplex      median %.3f s  objective %lld\n",
              Median(lemon_ns), static_cast<long long>(obj_ns));
  if (cost_scaling) {
    std::printf("LEMON CostScaling         median %.3f s  objective %lld\n",
                Median(lemon_cs), static_cast<long long>(obj_cs));
  }
  std::printf("ratio LEMON NS / maillage: %.2f; objectives %s\n",
              Median(lemon_ns) / Median(ours),
              obj_ours == obj_ns && (!cost_scaling || obj_cs == obj_ns)
                  ? "equal"
                  : "DIFFER");
  return obj_ours == obj_ns ? 0 : 1;
}
