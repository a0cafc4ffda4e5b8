// Boost.Graph's successive shortest path min-cost max-flow
// (boost/graph/successive_shortest_path_nonnegative_weights.hpp) on a
// maillage::flow::FlowProblem, for the side-by-side comparison.
//
// Boost solves a source -> sink max flow of minimum cost and needs
// non-negative costs, whereas a FlowProblem has supplies at many nodes and
// negative costs. The reduction is exact:
//  * every arc of negative cost c and capacity u starts saturated: c * u is
//    added to a constant, u is moved from the tail's supply to the head's,
//    and the arc is replaced by its reverse with cost -c >= 0 and capacity u
//    (pushing flow on it undoes flow on the original arc);
//  * a super source feeds every node left with a positive supply and every
//    node left with a negative one drains into a super sink.
// The problem is feasible iff the max flow saturates the super source arcs;
// the objective is the constant plus Boost's find_flow_cost. The flow on the
// original arcs is then rebuilt and checked (bounds, conservation, the same
// objective recomputed), so a wrong reduction cannot pass unnoticed.
//
// Limits: negative-cost arcs of infinite capacity cannot be saturated and are
// reported as unsupported. Complexity: one Dijkstra over the whole graph per
// augmenting path, and the saturation makes the flow value about the number
// of negative arcs: far slower than a network simplex, so meant for small
// problems only.

#ifndef MAILLAGE_BENCH_BOOST_SSP_H_
#define MAILLAGE_BENCH_BOOST_SSP_H_

#include <cstdint>
#include <string>

#include "flow/flow_problem.h"

namespace maillage::bench {

struct BoostSspResult {
  bool optimal = false;
  int64_t objective = 0;
  // The Boost calls only: building the reduced graph comes before the clock
  // starts, as LEMON's graph does in lemon_solvers.h.
  double seconds = 0;
  std::string error;  // why not optimal (infeasible, unsupported, ...)
};

BoostSspResult BoostSuccessiveShortestPath(const flow::FlowProblem& problem);

}  // namespace maillage::bench

#endif  // MAILLAGE_BENCH_BOOST_SSP_H_
