// libFuzzer target: the DIMACS reader, and the solver on what it reads.
// Invariants: no crash; a problem read writes back (WriteDimacs) to a text
// that reads to the same problem; a small problem is solved and, when
// optimal, its certificate verifies.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "flow/flow_problem.h"
#include "flow/network_simplex.h"
#include "flow/verify.h"

namespace flow = maillage::flow;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<flow::FlowProblem> p = flow::ReadDimacs(text);
  if (!p.ok()) return 0;
  absl::StatusOr<flow::FlowProblem> back =
      flow::ReadDimacs(flow::WriteDimacs(*p, "fuzz"));
  if (!back.ok() || back->num_nodes != p->num_nodes ||
      back->tail != p->tail || back->head != p->head ||
      back->capacity != p->capacity || back->cost != p->cost ||
      back->supply != p->supply) {
    std::abort();
  }
  if (p->num_nodes > 2000 || p->num_arcs() > 20000) return 0;
  absl::StatusOr<flow::FlowSolution> sol = flow::SolveMinCostFlow(*p);
  if (!sol.ok()) return 0;  // a problem past the solver's limits
  if (sol->status == flow::FlowStatus::kOptimal &&
      !flow::Verify(*p, *sol).ok()) {
    std::abort();
  }
  return 0;
}
