// LEMON's min-cost flow solvers on plain arrays, compiled as C++17 in their
// own translation unit (LEMON 1.3's CostScaling does not build as C++20):
// the benchmarks' comparisons and the tests' oracle. No other file includes
// LEMON.

#ifndef MAILLAGE_BENCH_LEMON_SOLVERS_H_
#define MAILLAGE_BENCH_LEMON_SOLVERS_H_

#include <cstdint>
#include <vector>

namespace maillage::bench {

// A capacity of INT64_MAX is LEMON's INF: no upper bound.
struct LemonProblem {
  int32_t num_nodes = 0;
  const std::vector<int32_t>* tail = nullptr;
  const std::vector<int32_t>* head = nullptr;
  const std::vector<int64_t>* capacity = nullptr;
  const std::vector<int64_t>* cost = nullptr;
  const std::vector<int64_t>* supply = nullptr;
};

// LEMON's ProblemType.
enum class LemonStatus { kOptimal, kInfeasible, kUnbounded };

struct LemonResult {
  LemonStatus status = LemonStatus::kInfeasible;
  int64_t objective = 0;  // when optimal
  double seconds = 0;     // solve only (graph built before the clock starts)
  // Per arc and per node, when optimal and asked for; the potentials make
  // cost[a] + potential[tail] - potential[head] the reduced cost of arc a.
  std::vector<int64_t> flow, potential;
};

LemonResult LemonNetworkSimplex(const LemonProblem& p);
LemonResult LemonCostScaling(const LemonProblem& p);
// LemonNetworkSimplex with the flow and the potentials.
LemonResult LemonNetworkSimplexSolution(const LemonProblem& p);

}  // namespace maillage::bench

#endif  // MAILLAGE_BENCH_LEMON_SOLVERS_H_
