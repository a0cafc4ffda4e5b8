// Re-optimisation of a min-cost flow after small changes, without a full
// re-solve: successive shortest paths on reduced costs.
//
// Start from an optimal flow with its potentials (reduced costs
// rc(a) = cost[a] + potential[tail] - potential[head] >= 0 on every residual
// arc). A change (capacity, new arc or node, supply) may break flow
// conservation or reduced-cost optimality locally: the change is applied by
// keeping every residual arc at rc >= 0 (an arc with negative reduced cost
// and room left is saturated), which leaves excesses and deficits at a few
// nodes. Reoptimize() then sends each excess to a deficit along a shortest
// path for the reduced costs (Dijkstra, stopped at the first deficit
// reached), updating the potentials so that reduced costs stay >= 0 and the
// path's arcs are at 0. The result is optimal for the changed problem, with a
// certificate (flow::Verify accepts it).
//
// Cost of a change: the Dijkstra searches touch the nodes whose distance is
// below that of the nearest deficit; with the potentials of an optimal
// solution this is usually a small neighbourhood.
//
// Direction: by default each search starts at an excess and stops at the
// first deficit. When the excess sits at a hub (the sink of a transport
// model, reached from every service) and the deficit at a leaf (the service
// whose capacity grew), a search from the deficit, on the residual arcs
// walked backwards, settles only the leaf's neighbourhood:
// set_search_from_deficits(true). Both give an optimal flow (maybe another
// one of the same cost). Searching from deficits needs balanced supplies
// (their sum 0), as every transport model has.
//
// Trials: Mark() starts a journal of every change (flows, potentials,
// capacities, supplies, new arcs); RollbackTo(mark) undoes the changes made
// since, in O(changes), leaving exactly the state of the mark (an arc added
// since is removed; a node added since stays, without arcs). Probing a change
// is then Mark(), change, Reoptimize(), read, RollbackTo(): no second search to
// undo it. EndTrials() forgets the journal and stops recording.
//
// Not thread-safe. Example:
//   IncrementalFlow inc;
//   inc.Init(problem, *SolveMinCostFlow(problem));
//   inc.SetCapacity(arc, 0);
//   if (absl::Status s = inc.Reoptimize(); !s.ok()) ...  // infeasible
//   int64_t cost = inc.objective();

#ifndef MAILLAGE_SRC_FLOW_INCREMENTAL_H_
#define MAILLAGE_SRC_FLOW_INCREMENTAL_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "flow/flow_problem.h"
#include "flow/network_simplex.h"

namespace maillage::flow {

class IncrementalFlow {
 public:
  // Takes an optimal solution of `problem`. InvalidArgument when the solution
  // is not optimal or its sizes do not match.
  absl::Status Init(FlowProblem problem, const FlowSolution& solution);

  // Changes. Each keeps reduced-cost optimality and records the imbalance it
  // creates; call Reoptimize() to restore conservation.
  // A new node has no arcs yet, so any potential keeps optimality. Give it
  // one that makes its future arcs' reduced costs non-negative (for a node
  // whose arcs lead to `w`: max over them of potential(w) - cost): its arcs
  // then start empty instead of saturated, and Reoptimize() has nothing to
  // repair around it.
  int32_t AddNode(int64_t supply = 0, int64_t potential = 0);
  // The same for an existing node without arcs. False (and nothing changes)
  // when the node has arcs.
  bool SetIsolatedPotential(int32_t node, int64_t potential);
  // A new arc starts empty (saturated when its reduced cost is negative).
  int32_t AddArc(int32_t tail, int32_t head, int64_t capacity, int64_t cost);
  void SetCapacity(int32_t arc, int64_t capacity);
  // A new cost for an arc; the objective follows its flow.
  void SetCost(int32_t arc, int64_t cost);
  void AddSupply(int32_t node, int64_t delta);
  // Scans `arc` first among its tail's out-arcs (a search stops as soon as it
  // reaches a deficit at no extra cost, so an arc between hubs, such as a
  // source-sink bypass, is best looked at before thousands of others).
  void ScanFirst(int32_t arc);

  // Restores conservation along shortest paths. FailedPrecondition when some
  // excess cannot reach a deficit (the changed problem is infeasible; the
  // state is then not optimal and must be re-initialised). ResourceExhausted
  // when the searches settle more than `work_limit` nodes in all (a change
  // that a full re-solve handles faster); the state is then not optimal
  // either: re-initialise it from a full solve of problem().
  absl::Status Reoptimize(
      int64_t work_limit = std::numeric_limits<int64_t>::max());

  const FlowProblem& problem() const { return problem_; }
  int64_t flow(int32_t arc) const { return flow_[static_cast<size_t>(arc)]; }
  const std::vector<int64_t>& flows() const { return flow_; }
  const std::vector<int64_t>& potentials() const { return potential_; }
  int64_t potential(int32_t node) const {
    return potential_[static_cast<size_t>(node)];
  }
  int64_t objective() const { return objective_; }
  // Nodes settled by the Dijkstra searches of the last Reoptimize().
  int64_t last_settled() const { return last_settled_; }
  FlowSolution Solution() const;
  // Records every change of an arc's flow (arc, delta) in `log` from now on
  // (nullptr: stop), so that a caller can follow what a change moved
  // without scanning every arc.
  void SetLog(std::vector<std::pair<int32_t, int64_t>>* log) { log_ = log; }

  void set_search_from_deficits(bool on) { from_deficits_ = on; }

  // The order of each node's out-arcs and in-arcs, which decides between
  // paths of equal length. A copy made by Init(problem(), Solution()) and
  // SetArcOrder(out_arcs(), in_arcs()) behaves exactly as this one on every
  // later change. SetArcOrder: InvalidArgument unless each list holds the
  // node's arcs once and the in-arcs that carry flow come first.
  const std::vector<std::vector<int32_t>>& out_arcs() const { return out_; }
  const std::vector<std::vector<int32_t>>& in_arcs() const { return in_; }
  absl::Status SetArcOrder(std::vector<std::vector<int32_t>> out,
                           std::vector<std::vector<int32_t>> in);

  // Trials (see above). Marks nest: a mark is a position in the journal.
  size_t Mark();
  // Undoes every change since `mark` (a value Mark() returned since the last
  // EndTrials()). The flow log (SetLog) is not told.
  void RollbackTo(size_t mark);
  void EndTrials();
  bool in_trial() const { return journaling_; }

 private:
  int64_t ReducedCost(int32_t arc) const;
  // Moves `delta` units on `arc` (may be negative), updating excesses and
  // the objective.
  void Push(int32_t arc, int64_t delta);
  void FixArc(int32_t arc);  // saturate or empty to keep rc optimality
  bool ShortestPathAugment(int32_t source);
  bool ReverseShortestPathAugment(int32_t target);
  // Applies a path found by either search and resets the scratch.
  void Augment(int32_t from, int32_t to, bool reverse);
  void ResetScratch();
  void SetPotential(int32_t node, int64_t value);
  void RemoveLastArc(int32_t arc);

  FlowProblem problem_;
  std::vector<int64_t> flow_;
  std::vector<int64_t> potential_;
  std::vector<int64_t> excess_;  // supply - (out - in); 0 when balanced
  // Arcs by node. A node's in-arcs that carry flow come first (the first
  // in_flowing_[node]; in_pos_[arc] is an arc's place in its head's list):
  // only those are residual backwards, and a service has thousands of
  // in-arcs of which a few carry flow.
  std::vector<std::vector<int32_t>> out_, in_;
  std::vector<int32_t> in_flowing_, in_pos_;
  void UpdateInFlowing(int32_t arc, int64_t old_flow);
  std::vector<int32_t> active_;  // nodes that may have an excess
  int64_t objective_ = 0;
  int64_t last_settled_ = 0;
  std::vector<std::pair<int32_t, int64_t>>* log_ = nullptr;
  // Dijkstra scratch, reset through `touched_`.
  std::vector<int64_t> dist_;
  std::vector<int32_t> parent_arc_;  // signed: arc + 1 forward, -(arc + 1) back
  std::vector<char> done_;
  std::vector<int32_t> touched_;
  std::vector<int32_t> settled_;
  bool from_deficits_ = false;
  // The journal of a trial: what to undo, in order.
  enum class Undo : uint8_t {
    kFlow,
    kPotential,
    kCapacity,
    kSupply,
    kArc,
    kCost
  };
  struct Entry {
    Undo kind;
    int32_t index;
    int64_t value;  // flow delta, old potential, old capacity, supply delta
  };
  std::vector<Entry> journal_;
  bool journaling_ = false;
};

}  // namespace maillage::flow

#endif  // MAILLAGE_SRC_FLOW_INCREMENTAL_H_
