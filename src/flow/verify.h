// An independent certificate check for min-cost flow solutions: feasibility
// of the flow and optimality by complementary slackness with the potentials.
// It shares no code with the solver, only the problem and solution types.
//
// Checks, in this order, and reports the first violation (InvalidArgument,
// naming the arc or node and the condition):
//  1. the problem passes ValidateProblem;
//  2. solution.status is kOptimal (FailedPrecondition otherwise: an
//     infeasibility or unboundedness claim carries no certificate here);
//  3. sizes: flow has one entry per arc, potential one per node;
//  4. 0 <= flow[a] <= capacity[a] for every arc;
//  5. conservation: out_flow(v) - in_flow(v) == supply[v] at every node;
//  6. objective == sum cost[a] * flow[a] (computed in 128 bits);
//  7. with rc(a) = cost[a] + potential[tail] - potential[head] (in 128 bits):
//     rc(a) >= 0 when flow[a] < capacity[a], rc(a) <= 0 when flow[a] > 0.
// By LP duality 4-7 prove that the flow is optimal.
//
// Example:
//   absl::StatusOr<FlowSolution> s = SolveMinCostFlow(p);
//   if (s.ok()) assert(Verify(p, *s).ok());
//
// O(nodes + arcs); thread-safe.

#ifndef MAILLAGE_SRC_FLOW_VERIFY_H_
#define MAILLAGE_SRC_FLOW_VERIFY_H_

#include "absl/status/status.h"
#include "flow/flow_problem.h"
#include "flow/network_simplex.h"

namespace maillage::flow {

absl::Status Verify(const FlowProblem& problem, const FlowSolution& solution);

}  // namespace maillage::flow

#endif  // MAILLAGE_SRC_FLOW_VERIFY_H_
