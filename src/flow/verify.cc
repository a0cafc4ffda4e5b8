#include "flow/verify.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "flow/flow_problem.h"
#include "flow/int128.h"
#include "flow/network_simplex.h"

namespace maillage::flow {
namespace {

using internal::int128;
using internal::Int128ToString;

std::string ArcName(const FlowProblem& problem, size_t a) {
  return absl::StrCat("arc ", a, " (", problem.tail[a], " -> ", problem.head[a],
                      ")");
}

}  // namespace

absl::Status Verify(const FlowProblem& problem, const FlowSolution& solution) {
  if (absl::Status s = ValidateProblem(problem); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid problem: ", s.message()));
  }
  if (solution.status != FlowStatus::kOptimal) {
    return absl::FailedPreconditionError(
        absl::StrCat("only optimal solutions can be verified; status is ",
                     FlowStatusName(solution.status)));
  }
  const size_t n = static_cast<size_t>(problem.num_nodes);
  const size_t m = problem.tail.size();
  if (solution.flow.size() != m) {
    return absl::InvalidArgumentError(absl::StrCat(
        "flow has ", solution.flow.size(), " entries for ", m, " arcs"));
  }
  if (solution.potential.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("potential has ", solution.potential.size(),
                     " entries for ", n, " nodes"));
  }
  std::vector<int128> net_out(n, 0);
  int128 objective = 0;
  for (size_t a = 0; a < m; ++a) {
    const int64_t f = solution.flow[a];
    if (f < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(ArcName(problem, a), ": negative flow ", f));
    }
    if (f > problem.capacity[a]) {
      return absl::InvalidArgumentError(
          absl::StrCat(ArcName(problem, a), ": flow ", f, " exceeds capacity ",
                       problem.capacity[a]));
    }
    net_out[static_cast<size_t>(problem.tail[a])] += f;
    net_out[static_cast<size_t>(problem.head[a])] -= f;
    objective += static_cast<int128>(problem.cost[a]) * f;
  }
  for (size_t v = 0; v < n; ++v) {
    if (net_out[v] != problem.supply[v]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "node ", v, ": conservation violated, out - in = ",
          Int128ToString(net_out[v]), " but supply = ", problem.supply[v]));
    }
  }
  if (objective != solution.objective) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective ", Int128ToString(solution.objective),
        " differs from sum cost * flow = ", Int128ToString(objective)));
  }
  for (size_t a = 0; a < m; ++a) {
    const int128 reduced_cost =
        static_cast<int128>(problem.cost[a]) +
        solution.potential[static_cast<size_t>(problem.tail[a])] -
        solution.potential[static_cast<size_t>(problem.head[a])];
    const int64_t f = solution.flow[a];
    if (f < problem.capacity[a] && reduced_cost < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(ArcName(problem, a), ": not optimal, reduced cost ",
                       Int128ToString(reduced_cost), " < 0 but flow ", f,
                       " < capacity ", problem.capacity[a]));
    }
    if (f > 0 && reduced_cost > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          ArcName(problem, a), ": not optimal, reduced cost ",
          Int128ToString(reduced_cost), " > 0 but flow ", f, " > 0"));
    }
  }
  return absl::OkStatus();
}

}  // namespace maillage::flow
