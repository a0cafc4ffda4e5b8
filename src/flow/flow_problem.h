// A minimum-cost flow problem on flat arrays, its validation, and the DIMACS
// min-cost flow text format.
//
//   minimize    sum_a cost[a] * flow[a]
//   subject to  0 <= flow[a] <= capacity[a]                for every arc a
//               out_flow(v) - in_flow(v) == supply[v]      for every node v
//
// Supplies are positive at sources and negative at sinks; flow conservation
// is an equality at every node, so a problem whose supplies do not sum to
// zero is infeasible. Arcs may be parallel or self-loops (tail == head).
// Node and arc ids are dense 0-based indices in insertion order.
//
// Example:
//   maillage::flow::FlowProblem p;
//   const int32_t s = p.AddNode(/*supply=*/2), t = p.AddNode(/*supply=*/-2);
//   p.AddArc(s, t, /*capacity=*/5, /*cost=*/3);
//   if (absl::Status st = ValidateProblem(p); !st.ok()) ...
//   std::string text = WriteDimacs(p, "two nodes");
//
// Thread-safety: plain value types and free functions without shared state.

#ifndef MAILLAGE_SRC_FLOW_FLOW_PROBLEM_H_
#define MAILLAGE_SRC_FLOW_FLOW_PROBLEM_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace maillage::flow {

// An arc with this capacity has no upper bound. Written as this very number
// (9223372036854775807) in DIMACS files, and read back as infinite.
inline constexpr int64_t kInfiniteCapacity =
    std::numeric_limits<int64_t>::max();

// Limits checked by ValidateProblem. With C = max |cost|, S = max(sum of
// positive supplies, sum of |negative supplies|), U = sum of the finite
// capacities, F = S + U and B = sum over finite arcs of |cost| * capacity
// + F * sum over infinite arcs of |cost| (a basic flow puts at most F on any
// arc, so B bounds the objective of any basic flow, hence of the solution):
//   num_nodes + num_arcs   <= kMaxNodesPlusArcs  (the solver adds a root
//                             node and one artificial arc per node)
//   F                      <= kMaxTotalFlow      (2^62: every arc flow fits)
//   C * (num_nodes + 1)    <= kMaxWideCostTimesNodes (2^120) and
//   B                      <= kMaxWideObjective  (2^120): node potentials,
//                             reduced costs and the objective fit in 128 bits.
// Costs are 64-bit; the solver computes potentials and objectives in 64 bits
// when FitsNarrowCosts holds (the same two bounds at 2^60 and 2^62, the
// usual case); otherwise in 64 bits with overflow checks when every |cost|
// is at most 2^60, and in 128 bits when that fails or does not apply
// (SolveMinCostFlow), with an optimal result either way.
inline constexpr int64_t kMaxNodesPlusArcs =
    std::numeric_limits<int32_t>::max() - 2;
inline constexpr int64_t kMaxCostTimesNodes = int64_t{1} << 60;
inline constexpr int64_t kMaxTotalFlow = int64_t{1} << 62;
inline constexpr int64_t kMaxObjective = int64_t{1} << 62;
inline constexpr __int128 kMaxWideCostTimesNodes = static_cast<__int128>(1)
                                                   << 120;
inline constexpr __int128 kMaxWideObjective = static_cast<__int128>(1) << 120;

struct FlowProblem {
  int32_t num_nodes = 0;
  std::vector<int64_t> supply;  // per node: > 0 supply, < 0 demand
  // Per arc, in insertion order.
  std::vector<int32_t> tail, head;
  std::vector<int64_t> capacity;  // >= 0, or kInfiniteCapacity
  std::vector<int64_t> cost;

  // Appends a node, returns its id.
  int32_t AddNode(int64_t node_supply = 0);
  // Appends an arc tail -> head, returns its id. Not checked here: see
  // ValidateProblem.
  int32_t AddArc(int32_t arc_tail, int32_t arc_head, int64_t arc_capacity,
                 int64_t arc_cost);
  int32_t num_arcs() const { return static_cast<int32_t>(tail.size()); }

  friend bool operator==(const FlowProblem&, const FlowProblem&) = default;
};

// What the arcs added during a solve may add up to
// (SolveOptions::generate): the limits above hold for the problem with
// every arc it could add. Added arcs have finite capacities.
struct ArcBudget {
  int64_t max_cost = 0;              // largest |cost| of an added arc
  int64_t capacity = 0;              // sum of their capacities
  __int128 cost_times_capacity = 0;  // sum of |cost| * capacity
};

// OK when the vectors have consistent sizes (supply: num_nodes; tail, head,
// capacity, cost: the same length), node ids are in [0, num_nodes),
// capacities are >= 0, costs are not INT64_MIN and the limits above hold.
// Otherwise InvalidArgument naming the first offending node or arc. Does not
// check that supplies balance (that makes the problem infeasible, not invalid).
// With a budget, the limits hold with the arcs it allows added.
// O(nodes + arcs).
absl::Status ValidateProblem(const FlowProblem& problem,
                             const ArcBudget& budget = {});

// For a problem that passes ValidateProblem: true when C * (num_nodes + 1)
// <= kMaxCostTimesNodes and B <= kMaxObjective (see above), so that 64-bit
// potentials and objectives suffice, with the arcs `budget` allows added.
// O(nodes + arcs).
bool FitsNarrowCosts(const FlowProblem& problem, const ArcBudget& budget = {});

// Parses the DIMACS min-cost flow format:
//   c <comment>            (anywhere; blank lines are ignored too)
//   p min <nodes> <arcs>   (exactly once, before any n or a line)
//   n <id> <supply>        (1-based id; at most once per node; default 0)
//   a <tail> <head> <low> <cap> <cost>   (exactly <arcs> of them)
// LOW must be 0 (lower bounds are not supported); CAP 9223372036854775807
// means infinite. Arcs keep their file order. Errors are InvalidArgument
// "LINE: reason" with the 1-based line number (the last line for problems
// found at the end of the input); the parsed problem must also pass
// ValidateProblem. At most (input size + 1,000,000) nodes may be declared:
// more could not all appear in the input, and a short header must not make
// the reader allocate gigabytes.
absl::StatusOr<FlowProblem> ReadDimacs(std::string_view text);
// Reads a file and parses it with ReadDimacs (errors "PATH:LINE: reason").
// NotFound when it does not exist, Unavailable when it cannot be read or is
// not a regular file, ResourceExhausted beyond base::kMaxFileBytes.
absl::StatusOr<FlowProblem> ReadDimacsFile(const std::string& path);

// Writes `problem` in the format read by ReadDimacs: the comment (one "c" line
// per line of it), "p min", one "n" line per node with non-zero supply, and
// one "a" line per arc in order (LOW 0, kInfiniteCapacity written as
// 9223372036854775807). ReadDimacs(WriteDimacs(p)) == p for any valid p.
std::string WriteDimacs(const FlowProblem& problem,
                        std::string_view comment = {});

}  // namespace maillage::flow

#endif  // MAILLAGE_SRC_FLOW_FLOW_PROBLEM_H_
