// LEMON's min-cost flow solvers on plain arrays, compiled as C++17 in their
// own translation unit (LEMON 1.3's CostScaling does not build as C++20).

#ifndef MAILLAGE_BENCH_LEMON_SOLVERS_H_
#define MAILLAGE_BENCH_LEMON_SOLVERS_H_

#include <cstdint>
#include <vector>

namespace maillage::bench {

struct LemonProblem {
  int32_t num_nodes = 0;
  const std::vector<int32_t>* tail = nullptr;
  const std::vector<int32_t>* head = nullptr;
  const std::vector<int64_t>* capacity = nullptr;
  const std::vector<int64_t>* cost = nullptr;
  const std::vector<int64_t>* supply = nullptr;
};

struct LemonResult {
  bool optimal = false;
  int64_t objective = 0;
  double seconds = 0;  // solve only (graph built before the clock starts)
};

LemonResult LemonNetworkSimplex(const LemonProblem& p);
LemonResult LemonCostScaling(const LemonProblem& p);

}  // namespace maillage::bench

#endif  // MAILLAGE_BENCH_LEMON_SOLVERS_H_
