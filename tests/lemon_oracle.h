// LEMON's NetworkSimplex as the oracle of the flow and allocation tests: the
// status, objective, flow and potentials of a flow problem, with the
// statuses of maillage's solver.

#ifndef MAILLAGE_TESTS_LEMON_ORACLE_H_
#define MAILLAGE_TESTS_LEMON_ORACLE_H_

#include <cstdint>
#include <vector>

#include "flow/flow_problem.h"
#include "flow/network_simplex.h"
#include "lemon_solvers.h"

namespace maillage::testing_lemon {

// LEMON's solution of a balanced problem (kInfiniteCapacity is LEMON's INF).
// LEMON may report UNBOUNDED for a problem that is infeasible and has a
// negative cycle of infinite capacity; a second run with zero costs then
// decides feasibility (kInfeasible there, as maillage's solver reports).
inline flow::FlowSolution SolveWithLemon(const flow::FlowProblem& p) {
  const bench::LemonResult lemon = bench::LemonNetworkSimplexSolution(
      {p.num_nodes, &p.tail, &p.head, &p.capacity, &p.cost, &p.supply});
  flow::FlowSolution s;
  switch (lemon.status) {
    case bench::LemonStatus::kOptimal:
      s.status = flow::FlowStatus::kOptimal;
      s.objective = lemon.objective;
      s.flow = lemon.flow;
      s.potential.assign(lemon.potential.begin(), lemon.potential.end());
      break;
    case bench::LemonStatus::kInfeasible:
      s.status = flow::FlowStatus::kInfeasible;
      break;
    case bench::LemonStatus::kUnbounded: {
      const std::vector<int64_t> zero(p.cost.size(), 0);
      const bench::LemonResult feasibility = bench::LemonNetworkSimplex(
          {p.num_nodes, &p.tail, &p.head, &p.capacity, &zero, &p.supply});
      s.status = feasibility.status == bench::LemonStatus::kOptimal
                     ? flow::FlowStatus::kUnbounded
                     : flow::FlowStatus::kInfeasible;
      break;
    }
  }
  return s;
}

}  // namespace maillage::testing_lemon

#endif  // MAILLAGE_TESTS_LEMON_ORACLE_H_
