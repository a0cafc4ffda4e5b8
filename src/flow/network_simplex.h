// Primal network simplex for minimum-cost flow (see flow_problem.h for the
// problem). The algorithm follows LEMON's NetworkSimplex (Kiraly & Kovacs,
// Boost Software License), on flat arrays:
//  * an artificial root node joined to every node by an artificial arc
//    (node -> root with cost 0 for supply >= 0, root -> node with cost
//    M = num_nodes * max|cost| + 1 for demands: big-M, exact because M exceeds
//    the cost of any simple path);
//  * a strongly feasible spanning tree stored as parent / pred / pred_dir /
//    thread / rev_thread / succ_num / last_succ arrays; the leaving arc is the
//    last blocking arc of the cycle in its orientation from the join node
//    (Cunningham's rule), which prevents cycling;
//  * block-search pivoting (best eligible arc in blocks of ~0.1 sqrt(arcs)
//    arcs, wrapping around) over arcs stored in a "mixed" internal order;
//  * LEMON's initial heuristic pivots (cheapest incoming arc of each demand
//    node; for one source and one sink, a path of sufficient capacity).
//
// Status (FlowStatus):
//  * kInfeasible when the supplies do not sum to zero (conservation is an
//    equality at every node) or no flow satisfies capacities and
//    conservation. Infeasibility takes precedence over unboundedness.
//  * kUnbounded when the problem is feasible and has a directed cycle of
//    negative cost whose arcs all have infinite capacity (detected as a pivot
//    whose cycle has infinite capacity; a second, zero-cost run then tells an
//    infeasible problem from an unbounded one).
//  * kOptimal otherwise, with an optimal flow and node potentials. The empty
//    problem (0 nodes) is optimal with objective 0.
//
// Potentials (dual solution), LEMON's convention: the reduced cost of arc
// a = (u, v) is  rc(a) = cost[a] + potential[u] - potential[v]  and at
// optimality rc(a) >= 0 when flow[a] < capacity[a], rc(a) <= 0 when
// flow[a] > 0 (so rc(a) == 0 when 0 < flow[a] < capacity[a]). They come from
// the final spanning tree and are not normalised (in a problem with several
// connected components their offsets can differ by up to ~M).
// Flow and potentials are all zero unless the status is kOptimal.
//
// Complexity: each pivot is O(block size + cycle length + size of the moved
// subtree); the number of pivots is not polynomially bounded in theory but is
// typically a small multiple of the number of nodes. Memory O(nodes + arcs).
//
// Thread-safety: a NetworkSimplex object is not thread-safe; distinct objects
// are independent. SolveMinCostFlow is reentrant.
//
// Example:
//   absl::StatusOr<FlowSolution> s = SolveMinCostFlow(problem);
//   if (!s.ok()) return s.status();            // invalid problem
//   if (s->status == FlowStatus::kOptimal) use(s->objective, s->flow);

#ifndef MAILLAGE_SRC_FLOW_NETWORK_SIMPLEX_H_
#define MAILLAGE_SRC_FLOW_NETWORK_SIMPLEX_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "flow/flow_problem.h"
#include "flow/int128.h"

namespace maillage::flow {

enum class FlowStatus { kOptimal, kInfeasible, kUnbounded };

// "optimal", "infeasible", "unbounded".
absl::string_view FlowStatusName(FlowStatus status);

using internal::int128;

struct FlowSolution {
  FlowStatus status = FlowStatus::kInfeasible;
  int128 objective = 0;           // sum cost * flow (0 unless optimal)
  std::vector<int64_t> flow;      // per arc
  std::vector<int128> potential;  // per node, see the convention above
  int64_t pivots = 0;             // simplex pivots, including degenerate ones
  int32_t pricing_rounds = 0;     // passes over the arcs not priced first
  int32_t arcs_priced = 0;        // num_priced() at the end
  int32_t generation_rounds = 0;  // calls to SolveOptions::generate
  // The flow above has one entry per arc of the problem, then one per arc
  // added by SolveOptions::generate, in the order they were added.
  // 64 when the solver's potentials and objective were 64-bit integers
  // (FitsNarrowCosts), 128 otherwise.
  int32_t cost_bits = 64;
};

struct SolveOptions {
  // Arcs examined per block by the pivot rule; 0 = max(block_factor *
  // sqrt(arcs), 10), counted over the arcs being priced (see first_arcs).
  int32_t block_size = 0;
  // 1.0 is LEMON's choice, and the best on the literature's families
  // (NETGEN, GRIDGEN, GOTO, grids: bench/flow_families.py). The allocation
  // model sets 0.1: with thousands of equivalent options per need, a short
  // search that takes the first good arc halves the time (measured in
  // docs/performance.md).
  double block_factor = 1.0;
  // The arcs are mixed (see Init) from the last to the first, as LEMON does
  // (its graphs list arcs newest first): the solver then makes LEMON's
  // pivots. The order decides ties between arcs and changes the number of
  // pivots, by 3.5x either way on GOTO instances; with LEMON's order the
  // solver never needs more pivots than LEMON. The allocation model sets
  // false (first to last, the order its timings were measured with).
  bool lemon_arc_order = true;
  // Arcs to price first (one flag per original arc; empty = all arcs). The
  // simplex pivots among these until none is eligible, then prices all the
  // others in one pass, adds the eligible ones to the priced set and goes
  // on, until a pass finds none. Exact whatever the flags: the result is
  // optimal for the whole problem. On large problems where few arcs end up
  // used (the best options of each need), pricing a likely subset first
  // saves most of the pricing work.
  std::vector<uint8_t> first_arcs;
  // Arcs to pivot on first, in this order, each when it is eligible at its
  // turn (a good start: the arcs of a likely solution). Empty = none.
  std::vector<int32_t> initial_arcs;
  // SolveMinCostFlow: 128-bit potentials even when 64 bits would do (for
  // tests and benchmarks; the result is the same).
  bool force_wide = false;
  // Arcs on demand (column generation). When no priced arc is eligible and
  // the arcs outside first_arcs have been priced, the solver calls
  // `generate` with every node's potential; it appends to `more` (tail,
  // head, capacity, cost; num_nodes and supply unused) arcs to add, which
  // get the ids after the problem's arcs and the earlier additions, in
  // order, and are priced from then on. The solve ends when a call adds no
  // arc. The result is optimal for the problem with every arc the generator
  // could add when it adds an arc of negative reduced cost whenever one
  // exists (arcs it adds need not all be eligible). Each added arc must have
  // nodes in range, a finite capacity and stay within `budget` (summed over
  // all the additions), which the choice of 64- or 128-bit potentials and
  // the big-M cost count; otherwise, or when `generate` returns an error,
  // the solve stops with that error (InvalidArgument for a bad arc). Not
  // called in the zero-cost run that tells an unbounded problem from an
  // infeasible one: that run uses the arcs added so far.
  std::function<absl::Status(absl::Span<const int128> potential,
                             FlowProblem* more)>
      generate = nullptr;
  ArcBudget budget = {};
};

// The solver as an object, so that state (tree, flow, potentials) outlives a
// solve; a later warm start can reuse it. Init copies the problem (no
// reference is kept). `Cost` is the type of the potentials, the reduced
// costs and the objective: int64_t (NetworkSimplex, for problems where
// FitsNarrowCosts holds) or int128 (WideNetworkSimplex, any valid problem).
// Both follow the same pivots on the same problem.
//
//   NetworkSimplex ns;
//   if (absl::Status st = ns.Init(problem); !st.ok()) return st;
//   FlowStatus status = ns.Solve();
//   int64_t f = ns.flow(arc);
template <typename Cost>
class BasicNetworkSimplex {
 public:
  // Copies `problem` into the internal arrays. InvalidArgument when
  // ValidateProblem(problem, options.budget) fails, when Cost is int64_t and
  // FitsNarrowCosts(problem, options.budget) does not hold, or when
  // options.block_size < 0;
  // the object is then unusable until a successful Init. O(nodes + arcs).
  absl::Status Init(const FlowProblem& problem,
                    const SolveOptions& options = {});

  // Solves from the artificial starting tree. Precondition: a successful
  // Init. Can be called again (it restarts from scratch).
  FlowStatus Solve();

  // Accessors, valid after Solve().
  FlowStatus status() const { return status_; }
  // The objective (it fits Cost unless the solve was a checked 64-bit one:
  // Solution() has it whole).
  Cost objective() const { return static_cast<Cost>(objective_); }
  int64_t pivots() const { return pivots_; }
  // Passes over the arcs outside SolveOptions::first_arcs (0 without).
  int32_t pricing_rounds() const { return pricing_rounds_; }
  // Calls to SolveOptions::generate, and the first error it returned or
  // found in the arcs it added (the solve then stopped: status() is not
  // kOptimal).
  int32_t generation_rounds() const { return generation_rounds_; }
  const absl::Status& generate_status() const { return generate_status_; }
  // Arcs priced by the block search at the end of the solve: the first
  // arcs and those moved in by the pricing rounds.
  int32_t num_priced() const { return num_priced_; }
  int32_t num_nodes() const { return num_nodes_; }
  // The problem's arcs and those added by SolveOptions::generate.
  int32_t num_arcs() const { return num_arcs_; }
  // Flow on an original arc (0 <= arc < num_arcs()), 0 unless optimal.
  int64_t flow(int32_t arc) const;
  // Potential of a node (0 <= node < num_nodes()), 0 unless optimal.
  Cost potential(int32_t node) const;
  // The whole result (copies flows and potentials).
  FlowSolution Solution() const;

  // Checks the internal invariants of the final spanning tree (for tests and
  // debugging): thread is a preorder of the parent tree, succ_num/last_succ
  // match it, pred arcs are tree arcs joining each node to its parent, flows
  // are within bounds at non-tree arcs' bounds and conserved, tree arcs have
  // zero reduced cost, the tree is strongly feasible (from every node, a
  // positive flow can be sent to the root along tree arcs of non-zero
  // capacity), and when optimal no arc is eligible. Internal error naming the
  // first violation; FailedPrecondition when Solve() built no tree
  // (unbalanced or empty problem). O(nodes + arcs).
  absl::Status CheckTree() const;

 private:
  friend absl::StatusOr<FlowSolution> SolveMinCostFlow(const FlowProblem&,
                                                       const SolveOptions&);
  // Init once the problem is known valid (and, for int64_t, to fit, unless
  // `checked`). A checked 64-bit solve is for problems whose worst-case
  // bounds exceed 64 bits but whose potentials in practice do not: big-M is
  // capped at kCheckedMaxCost, and the solve stops (overflowed()) as soon
  // as a potential leaves [-kCheckedMaxPotential, kCheckedMaxPotential];
  // an optimal status is then exact (the artificial arcs carry no flow,
  // and the potentials prove optimality on the original arcs), any other
  // status is not to be trusted.
  absl::Status InitValidated(const FlowProblem& problem,
                             const SolveOptions& options, bool checked = false);
  bool overflowed() const { return overflow_; }
  // SolveOptions::budget less what the arcs added so far used.
  ArcBudget remaining_budget() const {
    return {budget_.max_cost, budget_.capacity - spent_.capacity,
            budget_.cost_times_capacity - spent_.cost_times_capacity};
  }
  // The arcs added by SolveOptions::generate so far, in order.
  void AddedArcs(FlowProblem* out) const;
  // Pivot steps, as in LEMON; they communicate through the in_arc_ ...
  // delta_ fields below.
  void InitTree(bool zero_costs);
  bool InitialPivots();  // false when unbounded
  bool FindEnteringArc();
  void FindJoinNode();
  bool FindLeavingArc();
  void ChangeFlow(bool change);
  void UpdateTreeStructure();
  void UpdatePotential();
  // One pivot on in_arc_; false when its cycle is unbounded.
  bool Pivot();
  // Pivots to optimality; false when an unbounded cycle is found.
  bool Run();
  bool ArtificialFlowIsZero() const;
  // In-arcs of every node among the priced arcs (for InitialPivots).
  void BuildInArcs();
  // Moves every eligible arc outside the priced set into it; false when
  // there is none (the current tree is then optimal for all arcs).
  bool PriceOtherArcs();
  // Calls options' generate and adds its arcs to the priced set; false when
  // it adds none or fails (generate_status_).
  bool GenerateArcs();
  void SwapInternalArcs(int32_t i, int32_t j);
  // The cost of internal arc e, artificial arcs included.
  Cost ArcCost(size_t e) const;

  bool initialized_ = false;
  bool tree_built_ = false;  // InitTree ran since the last Init
  int32_t num_nodes_ = 0;
  int32_t num_arcs_ = 0;
  int32_t block_size_ = 0;
  double block_factor_ = 1.0;
  bool lemon_arc_order_ = true;
  bool auto_block_size_ = true;
  int64_t sum_supply_ = 0;
  Cost big_m_ = 1;

  // Internal arcs [0, num_nodes_) are the artificial ones (arc u joins node
  // u to the root); original arc a is stored at internal index
  // internal_arc_[a] >= num_nodes_, so that arcs can be added at the end.
  std::vector<int32_t> internal_arc_;
  std::vector<int32_t> original_arc_;  // inverse of internal_arc_; -1
  // Internal arcs [num_nodes_, num_nodes_ + num_priced_) are priced by the
  // block search; the rest (never in the tree, at zero flow) by
  // PriceOtherArcs.
  int32_t num_priced_ = 0;
  std::vector<int32_t> initial_arcs_;   // original ids
  std::vector<int64_t> original_cost_;  // internal order (0: artificial)
  std::function<absl::Status(absl::Span<const int128>, FlowProblem*)> generate_;
  ArcBudget budget_, spent_;
  absl::Status generate_status_;
  int32_t generation_rounds_ = 0;
  bool generating_ = false;  // generate_ may be called (not in a zero run)
  int32_t first_added_ = 0;  // original id of the first arc generated
  bool checked_ = false, overflow_ = false;
  // In-arcs per node (internal ids), CSR, for the initial pivots.
  std::vector<int32_t> in_begin_, in_arcs_;

  // Arc data, internal order (artificial then original arcs).
  std::vector<int32_t> source_, target_;
  // Costs are 64-bit (only potentials need Cost); the artificial arcs'
  // cost entries are unused: see ArcCost.
  std::vector<int64_t> cap_, cost_, flow_;
  Cost art_cost_ = 0;  // cost of the artificial arcs root -> demand node
  std::vector<int8_t> state_;  // kStateUpper / kStateTree / kStateLower
  // Node data; node num_nodes_ is the root.
  std::vector<int64_t> supply_;
  std::vector<Cost> pi_;
  std::vector<int32_t> parent_, pred_, thread_, rev_thread_, succ_num_,
      last_succ_;
  std::vector<int8_t> pred_dir_;  // kDirUp: pred arc points to the parent
  std::vector<int32_t> dirty_revs_;
  int32_t root_ = 0;
  int32_t next_arc_ = 0;  // where the block search resumes

  // Current pivot.
  int32_t in_arc_ = 0, join_ = 0, u_in_ = 0, v_in_ = 0, u_out_ = 0, v_out_ = 0;
  int64_t delta_ = 0;

  FlowStatus status_ = FlowStatus::kInfeasible;
  int128 objective_ = 0;
  int64_t pivots_ = 0;
  int32_t pricing_rounds_ = 0;
};

extern template class BasicNetworkSimplex<int64_t>;
extern template class BasicNetworkSimplex<int128>;
using NetworkSimplex = BasicNetworkSimplex<int64_t>;
using WideNetworkSimplex = BasicNetworkSimplex<int128>;

// Flags for SolveOptions::first_arcs: every arc, except that a node in
// [tail_begin, tail_end) with more than `k` out-arcs keeps only its `k`
// cheapest (ties by arc order). For the allocation model, the need nodes'
// best options. Empty when no node has more than `k` out-arcs (or k <= 0).
std::vector<uint8_t> CheapestOutArcsFirst(const FlowProblem& problem,
                                          int32_t tail_begin, int32_t tail_end,
                                          int32_t k);

// Arcs for SolveOptions::initial_arcs: for each node v in [begin, end), in
// order, the cheapest path source -> u -> v -> w -> sink made of v's
// cheapest in-arc (from u), v's cheapest out-arc (to w), the cheapest arc
// source -> u and the cheapest arc w -> sink (each left out when missing or
// when u is the source / w the sink). Nodes without an in- or out-arc are
// skipped. For the allocation model (v a need): the person's bonus, the
// need, its best option and that service's places, a likely solution.
std::vector<int32_t> CheapestPathArcs(const FlowProblem& problem,
                                      int32_t source, int32_t sink,
                                      int32_t begin, int32_t end);

// Validates, solves, and returns the solution; InvalidArgument when
// ValidateProblem(problem, options.budget) fails, the error of
// options.generate when it fails. Uses NetworkSimplex when
// FitsNarrowCosts(problem, options.budget) holds and options.force_wide is
// false. Otherwise, unless force_wide, when every |cost| (and the budget's)
// is at most 2^60 it first solves in 64 bits with overflow checks (big-M
// capped at 2^60, potentials kept within 2^61): an optimal end is exact
// (no artificial flow, complementary slackness on every arc); on overflow
// or any other end it solves again with WideNetworkSimplex, given the arcs
// generated so far. FlowSolution::cost_bits says which finished; the
// checked solve may take other pivots than the wide one, so that among
// several optimal flows it may return another. O(pivots * pivot cost).
absl::StatusOr<FlowSolution> SolveMinCostFlow(const FlowProblem& problem,
                                              const SolveOptions& options = {});

}  // namespace maillage::flow

#endif  // MAILLAGE_SRC_FLOW_NETWORK_SIMPLEX_H_
