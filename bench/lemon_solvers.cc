#include "lemon_solvers.h"

#include <chrono>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#pragma GCC diagnostic pop

namespace maillage::bench {
namespace {

struct Graph {
  lemon::SmartDigraph g;
  lemon::SmartDigraph::ArcMap<int64_t> upper{g}, cost{g};
  lemon::SmartDigraph::NodeMap<int64_t> supply{g};
  explicit Graph(const LemonProblem& p) {
    std::vector<lemon::SmartDigraph::Node> nodes;
    g.reserveNode(p.num_nodes);
    g.reserveArc(static_cast<int>(p.tail->size()));
    for (int32_t v = 0; v < p.num_nodes; ++v) nodes.push_back(g.addNode());
    for (size_t a = 0; a < p.tail->size(); ++a) {
      auto arc = g.addArc(nodes[static_cast<size_t>((*p.tail)[a])],
                          nodes[static_cast<size_t>((*p.head)[a])]);
      upper.set(arc, (*p.capacity)[a]);
      cost.set(arc, (*p.cost)[a]);
    }
    for (size_t v = 0; v < nodes.size(); ++v)
      supply.set(nodes[v], (*p.supply)[v]);
  }
};

template <typename Solver>
LemonResult Run(const LemonProblem& p) {
  Graph graph(p);
  const auto t0 = std::chrono::steady_clock::now();
  Solver solver(graph.g);
  solver.upperMap(graph.upper).costMap(graph.cost).supplyMap(graph.supply);
  LemonResult r;
  r.optimal = solver.run() == Solver::OPTIMAL;
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  if (r.optimal) r.objective = solver.template totalCost<int64_t>();
  return r;
}

}  // namespace

LemonResult LemonNetworkSimplex(const LemonProblem& p) {
  return Run<lemon::NetworkSimplex<lemon::SmartDigraph, int64_t, int64_t>>(p);
}

LemonResult LemonCostScaling(const LemonProblem& p) {
  return Run<lemon::CostScaling<lemon::SmartDigraph, int64_t, int64_t>>(p);
}

}  // namespace maillage::bench
