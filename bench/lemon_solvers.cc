#include "lemon_solvers.h"

#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <chrono>

namespace maillage::bench {
namespace {

// Node and arc ids are those of the problem: SmartDigraph numbers them in
// insertion order.
struct Graph {
  lemon::SmartDigraph g;
  lemon::SmartDigraph::ArcMap<int64_t> upper{g}, cost{g};
  lemon::SmartDigraph::NodeMap<int64_t> supply{g};
  explicit Graph(const LemonProblem& p) {
    g.reserveNode(p.num_nodes);
    g.reserveArc(static_cast<int>(p.tail->size()));
    for (int32_t v = 0; v < p.num_nodes; ++v) {
      supply.set(g.addNode(), (*p.supply)[static_cast<size_t>(v)]);
    }
    for (size_t a = 0; a < p.tail->size(); ++a) {
      const auto arc =
          g.addArc(g.nodeFromId((*p.tail)[a]), g.nodeFromId((*p.head)[a]));
      upper.set(arc, (*p.capacity)[a]);
      cost.set(arc, (*p.cost)[a]);
    }
  }
};

template <typename Solver>
LemonStatus Status(typename Solver::ProblemType type) {
  switch (type) {
    case Solver::OPTIMAL:
      return LemonStatus::kOptimal;
    case Solver::INFEASIBLE:
      return LemonStatus::kInfeasible;
    case Solver::UNBOUNDED:
      return LemonStatus::kUnbounded;
  }
  return LemonStatus::kInfeasible;
}

template <typename Solver>
LemonResult Run(const LemonProblem& p, bool with_solution) {
  Graph graph(p);
  const auto t0 = std::chrono::steady_clock::now();
  Solver solver(graph.g);
  solver.upperMap(graph.upper).costMap(graph.cost).supplyMap(graph.supply);
  LemonResult r;
  r.status = Status<Solver>(solver.run());
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  if (r.status != LemonStatus::kOptimal) return r;
  r.objective = solver.template totalCost<int64_t>();
  if (with_solution) {
    for (int a = 0; a < graph.g.arcNum(); ++a) {
      r.flow.push_back(solver.flow(graph.g.arcFromId(a)));
    }
    for (int v = 0; v < graph.g.nodeNum(); ++v) {
      r.potential.push_back(solver.potential(graph.g.nodeFromId(v)));
    }
  }
  return r;
}

using NetworkSimplex =
    lemon::NetworkSimplex<lemon::SmartDigraph, int64_t, int64_t>;
using CostScaling = lemon::CostScaling<lemon::SmartDigraph, int64_t, int64_t>;

}  // namespace

LemonResult LemonNetworkSimplex(const LemonProblem& p) {
  return Run<NetworkSimplex>(p, false);
}

LemonResult LemonCostScaling(const LemonProblem& p) {
  return Run<CostScaling>(p, false);
}

LemonResult LemonNetworkSimplexSolution(const LemonProblem& p) {
  return Run<NetworkSimplex>(p, true);
}

}  // namespace maillage::bench
