#include "flow/network_simplex.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/codes.h"
#include "flow/flow_problem.h"

namespace maillage::flow {
namespace {

// Arc states: the sign makes `state * reduced_cost < 0` mean "eligible".
constexpr int8_t kStateUpper = -1;  // non-tree arc at its capacity
constexpr int8_t kStateTree = 0;
constexpr int8_t kStateLower = 1;  // non-tree arc at zero flow
// Direction of a node's pred arc: up = from the node to its parent.
constexpr int8_t kDirDown = -1;
constexpr int8_t kDirUp = 1;

constexpr int64_t kInf = kInfiniteCapacity;
// A checked 64-bit solve (InitValidated): costs and big-M at most 2^60,
// potentials at most 2^61 in magnitude, so that reduced costs (cost plus a
// difference of potentials) and potential updates stay below 2^63.
constexpr int64_t kCheckedMaxCost = int64_t{1} << 60;
constexpr int64_t kCheckedMaxPotential = int64_t{1} << 61;
constexpr int32_t kMinBlockSize = 10;
// Block size = factor * sqrt(priced arcs), at least kMinBlockSize; the
// factor is SolveOptions::block_factor.
int32_t DefaultBlockSize(double factor, int32_t priced_arcs) {
  return std::max(static_cast<int32_t>(
                      factor * std::sqrt(static_cast<double>(priced_arcs))),
                  kMinBlockSize);
}

}  // namespace

absl::string_view FlowStatusName(FlowStatus status) {
  static constexpr base::Code<FlowStatus> kNames[] = {
      {FlowStatus::kOptimal, "optimal"},
      {FlowStatus::kInfeasible, "infeasible"},
      {FlowStatus::kUnbounded, "unbounded"}};
  return base::CodeOf(kNames, status);
}

template <typename Cost>
absl::Status BasicNetworkSimplex<Cost>::Init(const FlowProblem& problem,
                                             const SolveOptions& options) {
  initialized_ = false;
  if (absl::Status s = ValidateProblem(problem, options.budget); !s.ok()) {
    return s;
  }
  if (std::is_same_v<Cost, int64_t> &&
      !FitsNarrowCosts(problem, options.budget)) {
    return absl::InvalidArgumentError(
        "costs too large for 64-bit potentials (|cost| * (num_nodes + 1) > "
        "2^60 or the objective bound > 2^62): use the 128-bit solver");
  }
  return InitValidated(problem, options);
}

template <typename Cost>
absl::Status BasicNetworkSimplex<Cost>::InitValidated(
    const FlowProblem& problem, const SolveOptions& options, bool checked) {
  if (options.block_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("block_size must be >= 0, got ", options.block_size));
  }
  if (!(options.block_factor > 0 && options.block_factor <= 1e6)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "block_factor must be in (0, 1e6], got ", options.block_factor));
  }
  block_factor_ = options.block_factor;
  lemon_arc_order_ = options.lemon_arc_order;
  checked_ = checked && std::is_same_v<Cost, int64_t>;
  overflow_ = false;
  const int32_t n = problem.num_nodes;
  const int32_t m = problem.num_arcs();
  num_nodes_ = n;
  num_arcs_ = m;
  const size_t all_nodes = static_cast<size_t>(n) + 1;
  const size_t all_arcs = static_cast<size_t>(m) + static_cast<size_t>(n);

  source_.assign(all_arcs, 0);
  target_.assign(all_arcs, 0);
  cap_.assign(all_arcs, 0);
  cost_.assign(all_arcs, 0);
  flow_.assign(all_arcs, 0);
  state_.assign(all_arcs, kStateLower);
  original_cost_.assign(all_arcs, 0);
  internal_arc_.assign(static_cast<size_t>(m), 0);

  supply_.assign(all_nodes, 0);
  pi_.assign(all_nodes, 0);
  parent_.assign(all_nodes, -1);
  pred_.assign(all_nodes, -1);
  thread_.assign(all_nodes, 0);
  rev_thread_.assign(all_nodes, 0);
  succ_num_.assign(all_nodes, 0);
  last_succ_.assign(all_nodes, 0);
  pred_dir_.assign(all_nodes, kDirUp);
  dirty_revs_.clear();
  dirty_revs_.reserve(all_nodes);

  // Arcs in a mixed order (as LEMON does): consecutive internal arcs come
  // from far-apart input arcs, which makes block search more robust to
  // input orders that group similar arcs. The arcs priced first come first,
  // each group mixed on its own.
  if (!options.first_arcs.empty() &&
      options.first_arcs.size() != static_cast<size_t>(m)) {
    return absl::InvalidArgumentError(absl::StrCat("first_arcs has ",
                                                   options.first_arcs.size(),
                                                   " flags for ", m, " arcs"));
  }
  original_arc_.assign(all_arcs, -1);
  {
    std::vector<int32_t> groups[2];
    for (int32_t k = 0; k < m; ++k) {
      const int32_t a = options.lemon_arc_order ? m - 1 - k : k;
      const bool first = options.first_arcs.empty() ||
                         options.first_arcs[static_cast<size_t>(a)] != 0;
      groups[first ? 0 : 1].push_back(a);
    }
    int32_t base = n;
    for (const std::vector<int32_t>& g : groups) {
      const auto k = static_cast<int32_t>(g.size());
      const int32_t skip = n > 1 ? std::max(k / n, 3) : 1;
      int32_t i = 0, j = 0;
      for (int32_t idx = 0; idx < k; ++idx) {
        internal_arc_[static_cast<size_t>(g[static_cast<size_t>(idx)])] =
            base + i;
        original_arc_[static_cast<size_t>(base + i)] =
            g[static_cast<size_t>(idx)];
        if ((i += skip) >= k) i = ++j;
      }
      base += k;
    }
    num_priced_ = static_cast<int32_t>(groups[0].size());
  }
  initial_arcs_.clear();
  for (int32_t a : options.initial_arcs) {
    if (a < 0 || a >= m) {
      return absl::InvalidArgumentError(
          absl::StrCat("initial arc ", a, " out of range"));
    }
    initial_arcs_.push_back(a);
  }
  generate_ = options.generate;
  budget_ = options.budget;
  spent_ = {};
  generate_status_ = absl::OkStatus();
  int64_t max_cost = generate_ ? budget_.max_cost : 0;
  for (size_t a = 0; a < static_cast<size_t>(m); ++a) {
    const size_t i = static_cast<size_t>(internal_arc_[a]);
    source_[i] = problem.tail[a];
    target_[i] = problem.head[a];
    cap_[i] = problem.capacity[a];
    original_cost_[i] = problem.cost[a];
    max_cost = std::max(
        max_cost, problem.cost[a] < 0 ? -problem.cost[a] : problem.cost[a]);
  }
  sum_supply_ = 0;
  for (size_t v = 0; v < static_cast<size_t>(n); ++v) {
    supply_[v] = problem.supply[v];
    sum_supply_ += problem.supply[v];
  }
  // Any simple path costs at most (n - 1) * max_cost < big_m_ (added arcs
  // included), so an optimal flow of the extended problem uses no
  // artificial arc when the original problem is feasible. max_cost * (n + 1) is
  // at most 2^60 (FitsNarrowCosts) for 64-bit costs, 2^120 (ValidateProblem)
  // for 128-bit.
  if (checked_) {
    if (max_cost > kCheckedMaxCost) {
      return absl::InvalidArgumentError(
          "costs too large for a checked 64-bit solve");
    }
    big_m_ = static_cast<Cost>(std::min<int128>(
        static_cast<int128>(n) * max_cost + 1, kCheckedMaxCost));
  } else {
    big_m_ = static_cast<Cost>(n) * max_cost + 1;
  }
  first_added_ = m;

  auto_block_size_ = options.block_size == 0;
  block_size_ = options.block_size > 0
                    ? options.block_size
                    : DefaultBlockSize(block_factor_, num_priced_);
  in_begin_.assign(all_nodes, 0);
  in_arcs_.clear();

  status_ = FlowStatus::kInfeasible;
  objective_ = 0;
  pivots_ = 0;
  pricing_rounds_ = 0;
  generation_rounds_ = 0;
  tree_built_ = false;
  initialized_ = true;
  return absl::OkStatus();
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::InitTree(bool zero_costs) {
  const int32_t n = num_nodes_, m = num_arcs_;
  for (size_t i = static_cast<size_t>(n); i < static_cast<size_t>(n + m); ++i) {
    flow_[i] = 0;
    state_[i] = kStateLower;
    cost_[i] = zero_costs ? 0 : original_cost_[i];
  }
  const Cost art_cost = zero_costs ? 1 : big_m_;
  art_cost_ = art_cost;

  root_ = n;
  const size_t r = static_cast<size_t>(root_);
  parent_[r] = -1;
  pred_[r] = -1;
  thread_[r] = 0;
  rev_thread_[0] = root_;
  succ_num_[r] = n + 1;
  last_succ_[r] = root_ - 1;
  supply_[r] = 0;
  pi_[r] = 0;

  // A star: every node hangs from the root by its artificial arc, which
  // carries the node's supply. Zero-flow artificial arcs point to the root,
  // so the tree is strongly feasible.
  for (int32_t u = 0; u < n; ++u) {
    const size_t uu = static_cast<size_t>(u);
    const int32_t e = u;
    const size_t ee = static_cast<size_t>(e);
    parent_[uu] = root_;
    pred_[uu] = e;
    thread_[uu] = u + 1;
    rev_thread_[uu + 1] = u;
    succ_num_[uu] = 1;
    last_succ_[uu] = u;
    cap_[ee] = kInf;
    state_[ee] = kStateTree;
    if (supply_[uu] >= 0) {
      pred_dir_[uu] = kDirUp;
      pi_[uu] = 0;
      source_[ee] = u;
      target_[ee] = root_;
      flow_[ee] = supply_[uu];
      cost_[ee] = 0;
    } else {
      pred_dir_[uu] = kDirDown;
      pi_[uu] = art_cost;
      source_[ee] = root_;
      target_[ee] = u;
      flow_[ee] = -supply_[uu];
      cost_[ee] = 0;  // art_cost_, see ArcCost
    }
  }
  next_arc_ = n;
  tree_built_ = true;
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::FindEnteringArc() {
  // Block search: scan blocks of block_size_ arcs from where the last search
  // stopped, and take the most negative (state-signed) reduced cost of the
  // first block that has one.
  const int8_t* state = state_.data();
  const int64_t* cost = cost_.data();
  const Cost* pi = pi_.data();
  const int32_t* source = source_.data();
  const int32_t* target = target_.data();
  Cost min = 0;
  int32_t cnt = block_size_;
  int32_t e = 0;
  auto scan = [&](int32_t from, int32_t to) {
    for (e = from; e != to; ++e) {
      const Cost c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
      if (c < min) {
        min = c;
        in_arc_ = e;
      }
      if (--cnt == 0) {
        if (min < 0) return true;
        cnt = block_size_;
      }
    }
    return false;
  };
  if (!scan(next_arc_, num_nodes_ + num_priced_) &&
      !scan(num_nodes_, next_arc_) && min >= 0) {
    return false;
  }
  next_arc_ = e;
  return true;
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::FindJoinNode() {
  int32_t u = source_[static_cast<size_t>(in_arc_)];
  int32_t v = target_[static_cast<size_t>(in_arc_)];
  while (u != v) {
    if (succ_num_[static_cast<size_t>(u)] < succ_num_[static_cast<size_t>(v)]) {
      u = parent_[static_cast<size_t>(u)];
    } else {
      v = parent_[static_cast<size_t>(v)];
    }
  }
  join_ = u;
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::FindLeavingArc() {
  // The cycle is oriented along the entering arc's flow change; first and
  // second are its ends in that orientation.
  const size_t in = static_cast<size_t>(in_arc_);
  int32_t first, second;
  if (state_[in] == kStateLower) {
    first = source_[in];
    second = target_[in];
  } else {
    first = target_[in];
    second = source_[in];
  }
  delta_ = cap_[in];
  int result = 0;
  // From first up to the join node the cycle runs against the tree paths;
  // strict < keeps the first blocking arc met, i.e. the last in cycle order.
  for (int32_t u = first; u != join_; u = parent_[static_cast<size_t>(u)]) {
    const size_t uu = static_cast<size_t>(u);
    const size_t e = static_cast<size_t>(pred_[uu]);
    int64_t d = flow_[e];
    if (pred_dir_[uu] == kDirDown) d = cap_[e] >= kInf ? kInf : cap_[e] - d;
    if (d < delta_) {
      delta_ = d;
      u_out_ = u;
      result = 1;
    }
  }
  // From second up to the join node: <= keeps the last blocking arc (the one
  // closest to the join, hence last in cycle order). Together this is
  // Cunningham's rule, which keeps the tree strongly feasible.
  for (int32_t u = second; u != join_; u = parent_[static_cast<size_t>(u)]) {
    const size_t uu = static_cast<size_t>(u);
    const size_t e = static_cast<size_t>(pred_[uu]);
    int64_t d = flow_[e];
    if (pred_dir_[uu] == kDirUp) d = cap_[e] >= kInf ? kInf : cap_[e] - d;
    if (d <= delta_) {
      delta_ = d;
      u_out_ = u;
      result = 2;
    }
  }
  if (result == 1) {
    u_in_ = first;
    v_in_ = second;
  } else {
    u_in_ = second;
    v_in_ = first;
  }
  return result != 0;
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::ChangeFlow(bool change) {
  const size_t in = static_cast<size_t>(in_arc_);
  if (delta_ > 0) {
    const int64_t val = state_[in] * delta_;
    flow_[in] += val;
    for (int32_t u = source_[in]; u != join_;
         u = parent_[static_cast<size_t>(u)]) {
      const size_t uu = static_cast<size_t>(u);
      flow_[static_cast<size_t>(pred_[uu])] -= pred_dir_[uu] * val;
    }
    for (int32_t u = target_[in]; u != join_;
         u = parent_[static_cast<size_t>(u)]) {
      const size_t uu = static_cast<size_t>(u);
      flow_[static_cast<size_t>(pred_[uu])] += pred_dir_[uu] * val;
    }
  }
  if (change) {
    state_[in] = kStateTree;
    const size_t out = static_cast<size_t>(pred_[static_cast<size_t>(u_out_)]);
    state_[out] = flow_[out] == 0 ? kStateLower : kStateUpper;
  } else {
    // The entering arc itself blocks: it goes to its other bound.
    state_[in] = static_cast<int8_t>(-state_[in]);
  }
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::UpdateTreeStructure() {
  // Direct port of LEMON's updateTreeStructure(): the subtree hanging from
  // u_out is re-rooted at u_in and attached below v_in; the stem (the tree
  // path u_in .. u_out) is reversed.
  auto at = [](std::vector<int32_t>& v, int32_t i) -> int32_t& {
    return v[static_cast<size_t>(i)];
  };
  const int32_t old_rev_thread = at(rev_thread_, u_out_);
  const int32_t old_succ_num = at(succ_num_, u_out_);
  const int32_t old_last_succ = at(last_succ_, u_out_);
  v_out_ = at(parent_, u_out_);

  if (u_in_ == u_out_) {
    at(parent_, u_in_) = v_in_;
    at(pred_, u_in_) = in_arc_;
    pred_dir_[static_cast<size_t>(u_in_)] =
        u_in_ == source_[static_cast<size_t>(in_arc_)] ? kDirUp : kDirDown;
    // Move the subtree of u_in right after v_in in the thread order.
    if (at(thread_, v_in_) != u_out_) {
      int32_t after = at(thread_, old_last_succ);
      at(thread_, old_rev_thread) = after;
      at(rev_thread_, after) = old_rev_thread;
      after = at(thread_, v_in_);
      at(thread_, v_in_) = u_out_;
      at(rev_thread_, u_out_) = v_in_;
      at(thread_, old_last_succ) = after;
      at(rev_thread_, after) = old_last_succ;
    }
  } else {
    // When old_rev_thread == v_in (then join == v_out), the thread continues
    // after the moved subtree; otherwise after v_in.
    const int32_t thread_continue = old_rev_thread == v_in_
                                        ? at(thread_, old_last_succ)
                                        : at(thread_, v_in_);
    // Walk the stem from u_in to u_out, re-threading and re-parenting.
    int32_t stem = u_in_;
    int32_t par_stem = v_in_;
    int32_t next_stem;
    int32_t last = at(last_succ_, u_in_);
    int32_t before, after = at(thread_, last);
    at(thread_, v_in_) = u_in_;
    dirty_revs_.clear();
    dirty_revs_.push_back(v_in_);
    while (stem != u_out_) {
      next_stem = at(parent_, stem);
      at(thread_, last) = next_stem;
      dirty_revs_.push_back(last);
      // Remove the subtree of stem from the thread list.
      before = at(rev_thread_, stem);
      at(thread_, before) = after;
      at(rev_thread_, after) = before;
      at(parent_, stem) = par_stem;
      par_stem = stem;
      stem = next_stem;
      last = at(last_succ_, stem) == at(last_succ_, par_stem)
                 ? at(rev_thread_, par_stem)
                 : at(last_succ_, stem);
      after = at(thread_, last);
    }
    at(parent_, u_out_) = par_stem;
    at(thread_, last) = thread_continue;
    at(rev_thread_, thread_continue) = last;
    at(last_succ_, u_out_) = last;

    if (old_rev_thread != v_in_) {
      at(thread_, old_rev_thread) = after;
      at(rev_thread_, after) = old_rev_thread;
    }
    for (const int32_t u : dirty_revs_) at(rev_thread_, at(thread_, u)) = u;

    // pred, pred_dir, last_succ and succ_num along the stem, from u_out.
    int32_t tmp_sc = 0, tmp_ls = at(last_succ_, u_out_);
    for (int32_t u = u_out_, p = at(parent_, u); u != u_in_;
         u = p, p = at(parent_, u)) {
      at(pred_, u) = at(pred_, p);
      pred_dir_[static_cast<size_t>(u)] =
          static_cast<int8_t>(-pred_dir_[static_cast<size_t>(p)]);
      tmp_sc += at(succ_num_, u) - at(succ_num_, p);
      at(succ_num_, u) = tmp_sc;
      at(last_succ_, p) = tmp_ls;
    }
    at(pred_, u_in_) = in_arc_;
    pred_dir_[static_cast<size_t>(u_in_)] =
        u_in_ == source_[static_cast<size_t>(in_arc_)] ? kDirUp : kDirDown;
    at(succ_num_, u_in_) = old_succ_num;
  }

  // last_succ from v_in towards the root.
  const int32_t up_limit_out = at(last_succ_, join_) == v_in_ ? join_ : -1;
  const int32_t last_succ_out = at(last_succ_, u_out_);
  for (int32_t u = v_in_; u != -1 && at(last_succ_, u) == v_in_;
       u = at(parent_, u)) {
    at(last_succ_, u) = last_succ_out;
  }
  // last_succ from v_out towards the root.
  if (join_ != old_rev_thread && v_in_ != old_rev_thread) {
    for (int32_t u = v_out_;
         u != up_limit_out && at(last_succ_, u) == old_last_succ;
         u = at(parent_, u)) {
      at(last_succ_, u) = old_rev_thread;
    }
  } else if (last_succ_out != old_last_succ) {
    for (int32_t u = v_out_;
         u != up_limit_out && at(last_succ_, u) == old_last_succ;
         u = at(parent_, u)) {
      at(last_succ_, u) = last_succ_out;
    }
  }
  // succ_num from v_in and from v_out up to the join node.
  for (int32_t u = v_in_; u != join_; u = at(parent_, u)) {
    at(succ_num_, u) += old_succ_num;
  }
  for (int32_t u = v_out_; u != join_; u = at(parent_, u)) {
    at(succ_num_, u) -= old_succ_num;
  }
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::UpdatePotential() {
  // Shift the moved subtree so that the entering arc has reduced cost 0.
  const size_t uu = static_cast<size_t>(u_in_);
  const Cost sigma = pi_[static_cast<size_t>(v_in_)] - pi_[uu] -
                     pred_dir_[uu] * cost_[static_cast<size_t>(in_arc_)];
  const int32_t end = thread_[static_cast<size_t>(last_succ_[uu])];
  if (!checked_) {
    for (int32_t u = u_in_; u != end; u = thread_[static_cast<size_t>(u)]) {
      pi_[static_cast<size_t>(u)] += sigma;
    }
    return;
  }
  // Checked: |pi| <= 2^61 and |cost| <= 2^60 before, so no step overflows.
  Cost lo = 0, hi = 0;
  for (int32_t u = u_in_; u != end; u = thread_[static_cast<size_t>(u)]) {
    Cost& p = pi_[static_cast<size_t>(u)];
    p += sigma;
    lo = std::min(lo, p);
    hi = std::max(hi, p);
  }
  if (lo < -kCheckedMaxPotential || hi > kCheckedMaxPotential) {
    overflow_ = true;
  }
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::InitialPivots() {
  // LEMON's heuristic: pivot first on arcs likely to be in the optimal tree.
  int64_t total = 0;
  std::vector<int32_t> supply_nodes, demand_nodes;
  for (int32_t u = 0; u < num_nodes_; ++u) {
    const int64_t s = supply_[static_cast<size_t>(u)];
    if (s > 0) {
      total += s;
      supply_nodes.push_back(u);
    } else if (s < 0) {
      demand_nodes.push_back(u);
    }
  }
  if (total <= 0) return true;

  BuildInArcs();
  std::vector<int32_t> arcs;
  auto in_arcs = [&](int32_t v) {
    return std::make_pair(
        in_arcs_.begin() + in_begin_[static_cast<size_t>(v)],
        in_arcs_.begin() + in_begin_[static_cast<size_t>(v) + 1]);
  };
  if (supply_nodes.size() == 1 && demand_nodes.size() == 1) {
    // Reverse search from the sink along arcs that can carry everything.
    std::vector<bool> reached(static_cast<size_t>(num_nodes_), false);
    const int32_t s = supply_nodes[0], t = demand_nodes[0];
    std::vector<int32_t> stack = {t};
    reached[static_cast<size_t>(t)] = true;
    while (!stack.empty()) {
      const int32_t v = stack.back();
      stack.pop_back();
      if (v == s) break;
      const auto [begin, end] = in_arcs(v);
      for (auto it = begin; it != end; ++it) {
        const size_t j = static_cast<size_t>(*it);
        const int32_t u = source_[j];
        if (reached[static_cast<size_t>(u)]) continue;
        if (cap_[j] >= total) {
          arcs.push_back(*it);
          reached[static_cast<size_t>(u)] = true;
          stack.push_back(u);
        }
      }
    }
  } else {
    // The cheapest incoming arc of every demand node.
    for (const int32_t v : demand_nodes) {
      int32_t best = -1;
      Cost best_cost = 0;
      const auto [begin, end] = in_arcs(v);
      for (auto it = begin; it != end; ++it) {
        const int64_t c = cost_[static_cast<size_t>(*it)];
        if (best < 0 || c < best_cost) {
          best = *it;
          best_cost = c;
        }
      }
      if (best >= 0) arcs.push_back(best);
    }
  }

  for (const int32_t a : initial_arcs_) {
    const int32_t i = internal_arc_[static_cast<size_t>(a)];
    if (i < num_nodes_ + num_priced_) arcs.push_back(i);
  }
  for (const int32_t a : arcs) {
    in_arc_ = a;
    const size_t aa = static_cast<size_t>(a);
    if (state_[aa] * (cost_[aa] + pi_[static_cast<size_t>(source_[aa])] -
                      pi_[static_cast<size_t>(target_[aa])]) >=
        0) {
      continue;
    }
    if (!Pivot()) return false;
  }
  return true;
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::Pivot() {
  FindJoinNode();
  const bool change = FindLeavingArc();
  if (delta_ >= kInf) return false;
  ChangeFlow(change);
  if (change) {
    UpdateTreeStructure();
    UpdatePotential();
  }
  ++pivots_;
  return true;
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::BuildInArcs() {
  const size_t all_nodes = static_cast<size_t>(num_nodes_) + 1;
  in_begin_.assign(all_nodes, 0);
  const int32_t end = num_nodes_ + num_priced_;
  for (int32_t i = num_nodes_; i < end; ++i) {
    ++in_begin_[static_cast<size_t>(target_[static_cast<size_t>(i)]) + 1];
  }
  for (size_t v = 1; v < all_nodes; ++v) in_begin_[v] += in_begin_[v - 1];
  in_arcs_.assign(static_cast<size_t>(num_priced_), 0);
  std::vector<int32_t> fill(in_begin_.begin(), in_begin_.end() - 1);
  auto add = [&](int32_t i) {
    const size_t t = static_cast<size_t>(target_[static_cast<size_t>(i)]);
    in_arcs_[static_cast<size_t>(fill[t]++)] = i;
  };
  if (lemon_arc_order_) {
    // LEMON lists each node's in-arcs newest first.
    for (int32_t a = num_arcs_ - 1; a >= 0; --a) {
      const int32_t i = internal_arc_[static_cast<size_t>(a)];
      if (i < end) add(i);
    }
  } else {
    for (int32_t i = num_nodes_; i < end; ++i) add(i);
  }
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::SwapInternalArcs(int32_t i, int32_t j) {
  if (i == j) return;
  const auto a = static_cast<size_t>(i), b = static_cast<size_t>(j);
  std::swap(source_[a], source_[b]);
  std::swap(target_[a], target_[b]);
  std::swap(cap_[a], cap_[b]);
  std::swap(cost_[a], cost_[b]);
  std::swap(flow_[a], flow_[b]);
  std::swap(state_[a], state_[b]);
  std::swap(original_cost_[a], original_cost_[b]);
  std::swap(original_arc_[a], original_arc_[b]);
  internal_arc_[static_cast<size_t>(original_arc_[a])] = i;
  internal_arc_[static_cast<size_t>(original_arc_[b])] = j;
}

template <typename Cost>
Cost BasicNetworkSimplex<Cost>::ArcCost(size_t e) const {
  if (e >= static_cast<size_t>(num_nodes_)) return cost_[e];
  return source_[e] == root_ ? art_cost_ : Cost{0};
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::PriceOtherArcs() {
  if (num_priced_ == num_arcs_) return false;
  ++pricing_rounds_;
  const int32_t before = num_priced_;
  // Arcs outside the priced set never entered the tree: they are at zero
  // flow (state lower), eligible when their reduced cost is negative.
  for (int32_t e = num_nodes_ + num_priced_; e < num_nodes_ + num_arcs_; ++e) {
    const auto i = static_cast<size_t>(e);
    if (cost_[i] + pi_[static_cast<size_t>(source_[i])] -
            pi_[static_cast<size_t>(target_[i])] <
        0) {
      SwapInternalArcs(e, num_nodes_ + num_priced_++);
    }
  }
  if (num_priced_ == before) return false;
  if (auto_block_size_) {
    block_size_ = DefaultBlockSize(block_factor_, num_priced_);
  }
  return true;
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::GenerateArcs() {
  if (!generating_ || !generate_ || !generate_status_.ok()) return false;
  ++generation_rounds_;
  const std::vector<int128> potential(pi_.begin(), pi_.end() - 1);
  FlowProblem more;
  generate_status_ = generate_(potential, &more);
  if (!generate_status_.ok()) return false;
  const size_t k = more.tail.size();
  if (more.head.size() != k || more.capacity.size() != k ||
      more.cost.size() != k) {
    generate_status_ = absl::InvalidArgumentError(
        "generated arcs: tail, head, capacity and cost differ in size");
    return false;
  }
  if (k == 0) return false;
  if (static_cast<int64_t>(num_nodes_) + num_arcs_ + static_cast<int64_t>(k) >
      kMaxNodesPlusArcs) {
    generate_status_ = absl::InvalidArgumentError(
        "generated arcs: too many nodes and arcs for the solver");
    return false;
  }
  for (size_t j = 0; j < k; ++j) {
    const int32_t t = more.tail[j], h = more.head[j];
    const int64_t cap = more.capacity[j], c = more.cost[j];
    const int64_t abs_c = c >= 0 ? c
                                 : (c == std::numeric_limits<int64_t>::min()
                                        ? std::numeric_limits<int64_t>::max()
                                        : -c);
    auto arc = [&] {
      return absl::StrCat("generated arc ", num_arcs_, " (", t, " -> ", h,
                          "): ");
    };
    if (t < 0 || t >= num_nodes_ || h < 0 || h >= num_nodes_) {
      generate_status_ = absl::InvalidArgumentError(
          absl::StrCat(arc(), "node id out of range [0, ", num_nodes_, ")"));
      return false;
    }
    if (cap < 0 || cap >= kInf) {
      generate_status_ = absl::InvalidArgumentError(
          absl::StrCat(arc(), "capacity ", cap, " is negative or infinite"));
      return false;
    }
    if (abs_c > budget_.max_cost) {
      generate_status_ = absl::InvalidArgumentError(absl::StrCat(
          arc(), "|cost| ", abs_c, " exceeds the budget's ", budget_.max_cost));
      return false;
    }
    spent_.capacity += cap;
    spent_.cost_times_capacity += static_cast<int128>(abs_c) * cap;
    if (spent_.capacity > budget_.capacity ||
        spent_.cost_times_capacity > budget_.cost_times_capacity) {
      generate_status_ = absl::InvalidArgumentError(
          absl::StrCat(arc(),
                       "the added arcs exceed the budget's capacity or "
                       "sum of |cost| * capacity"));
      return false;
    }
    // Appended at the end, then swapped to the end of the priced arcs.
    const auto e = static_cast<int32_t>(source_.size());
    source_.push_back(t);
    target_.push_back(h);
    cap_.push_back(cap);
    cost_.push_back(c);
    flow_.push_back(0);
    state_.push_back(kStateLower);
    original_cost_.push_back(c);
    original_arc_.push_back(num_arcs_);
    internal_arc_.push_back(e);
    ++num_arcs_;
    SwapInternalArcs(e, num_nodes_ + num_priced_++);
  }
  if (auto_block_size_) {
    block_size_ = DefaultBlockSize(block_factor_, num_priced_);
  }
  return true;
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::Run() {
  if (!InitialPivots()) return false;
  do {
    while (FindEnteringArc()) {
      if (!Pivot() || overflow_) return false;
    }
  } while (PriceOtherArcs() || GenerateArcs());
  return true;
}

template <typename Cost>
bool BasicNetworkSimplex<Cost>::ArtificialFlowIsZero() const {
  for (size_t e = 0; e < static_cast<size_t>(num_nodes_); ++e) {
    if (flow_[e] != 0) return false;
  }
  return true;
}

template <typename Cost>
FlowStatus BasicNetworkSimplex<Cost>::Solve() {
  assert(initialized_);
  pivots_ = 0;
  pricing_rounds_ = 0;
  generation_rounds_ = 0;
  generate_status_ = absl::OkStatus();
  objective_ = 0;
  status_ = FlowStatus::kInfeasible;
  if (!initialized_ || sum_supply_ != 0) return status_;
  if (num_nodes_ == 0) {
    status_ = FlowStatus::kOptimal;
    return status_;
  }
  InitTree(/*zero_costs=*/false);
  generating_ = true;
  const bool bounded = Run();
  generating_ = false;
  if (!generate_status_.ok() || overflow_) return status_;
  if (bounded) {
    status_ =
        ArtificialFlowIsZero() ? FlowStatus::kOptimal : FlowStatus::kInfeasible;
  } else {
    // A cycle of infinite capacity and negative cost: unbounded if some flow
    // is feasible. Find out with all costs zero (never unbounded).
    InitTree(/*zero_costs=*/true);
    [[maybe_unused]] const bool zero_bounded = Run();
    assert(zero_bounded);
    status_ = ArtificialFlowIsZero() ? FlowStatus::kUnbounded
                                     : FlowStatus::kInfeasible;
  }
  if (status_ == FlowStatus::kOptimal) {
    int128 objective = 0;
    for (size_t i = static_cast<size_t>(num_nodes_);
         i < static_cast<size_t>(num_nodes_ + num_arcs_); ++i) {
      objective += static_cast<int128>(original_cost_[i]) * flow_[i];
    }
    // |objective| is at most kMaxObjective (FitsNarrowCosts) for 64-bit
    // costs, unless checked (Solution() has it whole), and at most
    // kMaxWideObjective (ValidateProblem) for 128-bit ones.
    objective_ = objective;
  }
  return status_;
}

template <typename Cost>
void BasicNetworkSimplex<Cost>::AddedArcs(FlowProblem* out) const {
  for (int32_t a = first_added_; a < num_arcs_; ++a) {
    const auto e = static_cast<size_t>(internal_arc_[static_cast<size_t>(a)]);
    out->AddArc(source_[e], target_[e], cap_[e], original_cost_[e]);
  }
}

template <typename Cost>
int64_t BasicNetworkSimplex<Cost>::flow(int32_t arc) const {
  assert(arc >= 0 && arc < num_arcs_);
  if (status_ != FlowStatus::kOptimal) return 0;
  return flow_[static_cast<size_t>(internal_arc_[static_cast<size_t>(arc)])];
}

template <typename Cost>
Cost BasicNetworkSimplex<Cost>::potential(int32_t node) const {
  assert(node >= 0 && node < num_nodes_);
  if (status_ != FlowStatus::kOptimal) return 0;
  return pi_[static_cast<size_t>(node)];
}

template <typename Cost>
FlowSolution BasicNetworkSimplex<Cost>::Solution() const {
  FlowSolution solution;
  solution.status = status_;
  solution.objective = objective_;
  solution.cost_bits = std::is_same_v<Cost, int64_t> ? 64 : 128;
  solution.pivots = pivots_;
  solution.pricing_rounds = pricing_rounds_;
  solution.arcs_priced = num_priced_;
  solution.generation_rounds = generation_rounds_;
  solution.flow.resize(static_cast<size_t>(num_arcs_));
  solution.potential.resize(static_cast<size_t>(num_nodes_));
  for (int32_t a = 0; a < num_arcs_; ++a) {
    solution.flow[static_cast<size_t>(a)] = flow(a);
  }
  for (int32_t v = 0; v < num_nodes_; ++v) {
    solution.potential[static_cast<size_t>(v)] = potential(v);
  }
  return solution;
}

template <typename Cost>
absl::Status BasicNetworkSimplex<Cost>::CheckTree() const {
  if (!initialized_ || !tree_built_) {
    return absl::FailedPreconditionError("no spanning tree was built");
  }
  const int32_t total = num_nodes_ + 1;
  const int32_t all_arcs = num_arcs_ + num_nodes_;
  auto fail = [](auto&&... args) {
    return absl::InternalError(absl::StrCat(args...));
  };
  auto node = [](const std::vector<int32_t>& v, int32_t i) {
    return v[static_cast<size_t>(i)];
  };
  // thread_: one cycle through all nodes, rev_thread_ its inverse.
  std::vector<int32_t> order;
  order.reserve(static_cast<size_t>(total));
  std::vector<int32_t> position(static_cast<size_t>(total), -1);
  int32_t u = root_;
  do {
    if (u < 0 || u >= total || position[static_cast<size_t>(u)] >= 0) {
      return fail("thread is not a cycle through all nodes, at ", u);
    }
    position[static_cast<size_t>(u)] = static_cast<int32_t>(order.size());
    order.push_back(u);
    const int32_t next = node(thread_, u);
    if (next < 0 || next >= total || node(rev_thread_, next) != u) {
      return fail("rev_thread does not invert thread at ", u);
    }
    u = next;
  } while (u != root_);
  if (static_cast<int32_t>(order.size()) != total) {
    return fail("thread visits ", order.size(), " of ", total, " nodes");
  }
  // thread_ is a preorder: each node's parent is on the path from the root
  // to the previous node.
  if (node(parent_, root_) != -1) return fail("the root has a parent");
  std::vector<int32_t> path = {root_};
  for (size_t i = 1; i < order.size(); ++i) {
    const int32_t v = order[i];
    const int32_t p = node(parent_, v);
    while (!path.empty() && path.back() != p) path.pop_back();
    if (path.empty()) return fail("thread is not a preorder at node ", v);
    path.push_back(v);
  }
  std::vector<int32_t> size(static_cast<size_t>(total), 1);
  for (size_t i = order.size() - 1; i > 0; --i) {
    size[static_cast<size_t>(node(parent_, order[i]))] +=
        size[static_cast<size_t>(order[i])];
  }
  for (int32_t v = 0; v < total; ++v) {
    const size_t vv = static_cast<size_t>(v);
    if (succ_num_[vv] != size[vv]) {
      return fail("succ_num of node ", v, " is ", succ_num_[vv], ", not ",
                  size[vv]);
    }
    const int32_t last =
        order[static_cast<size_t>(position[vv] + size[vv] - 1)];
    if (last_succ_[vv] != last) {
      return fail("last_succ of node ", v, " is ", last_succ_[vv], ", not ",
                  last);
    }
  }
  // Tree arcs.
  int32_t tree_arcs = 0;
  for (int32_t e = 0; e < all_arcs; ++e) {
    tree_arcs += state_[static_cast<size_t>(e)] == kStateTree;
  }
  if (tree_arcs != num_nodes_) {
    return fail(tree_arcs, " tree arcs for ", num_nodes_, " nodes");
  }
  for (int32_t v = 0; v < num_nodes_; ++v) {
    const size_t vv = static_cast<size_t>(v);
    const int32_t e = pred_[vv];
    if (e < 0 || e >= all_arcs) return fail("bad pred arc of node ", v);
    const size_t ee = static_cast<size_t>(e);
    if (state_[ee] != kStateTree) return fail("pred arc ", e, " not in tree");
    const bool up = pred_dir_[vv] == kDirUp;
    if ((up ? source_[ee] : target_[ee]) != v ||
        (up ? target_[ee] : source_[ee]) != parent_[vv]) {
      return fail("pred arc ", e, " does not join node ", v, " to its parent");
    }
    if (ArcCost(ee) + pi_[static_cast<size_t>(source_[ee])] -
            pi_[static_cast<size_t>(target_[ee])] !=
        0) {
      return fail("tree arc ", e, " has a non-zero reduced cost");
    }
    // Strong feasibility: flow can move from v towards the root.
    if (cap_[ee] > 0 && (up ? flow_[ee] >= cap_[ee] : flow_[ee] <= 0)) {
      return fail("tree arc ", e, " of node ", v,
                  " blocks flow towards the root");
    }
  }
  // Flow bounds, non-tree arcs at a bound, conservation.
  std::vector<int64_t> net_out(static_cast<size_t>(total), 0);
  for (int32_t e = 0; e < all_arcs; ++e) {
    const size_t ee = static_cast<size_t>(e);
    if (flow_[ee] < 0 || flow_[ee] > cap_[ee]) {
      return fail("arc ", e, " flow ", flow_[ee], " out of [0, ", cap_[ee],
                  "]");
    }
    if ((state_[ee] == kStateLower && flow_[ee] != 0) ||
        (state_[ee] == kStateUpper && flow_[ee] != cap_[ee])) {
      return fail("non-tree arc ", e, " is not at its bound");
    }
    net_out[static_cast<size_t>(source_[ee])] += flow_[ee];
    net_out[static_cast<size_t>(target_[ee])] -= flow_[ee];
  }
  for (int32_t v = 0; v < total; ++v) {
    if (net_out[static_cast<size_t>(v)] != supply_[static_cast<size_t>(v)]) {
      return fail("flow not conserved at node ", v);
    }
  }
  if (status_ == FlowStatus::kOptimal) {
    for (int32_t e = num_nodes_; e < num_nodes_ + num_arcs_; ++e) {
      const size_t ee = static_cast<size_t>(e);
      if (state_[ee] * (cost_[ee] + pi_[static_cast<size_t>(source_[ee])] -
                        pi_[static_cast<size_t>(target_[ee])]) <
          0) {
        return fail("optimal but arc ", e, " is eligible");
      }
    }
  }
  return absl::OkStatus();
}

std::vector<uint8_t> CheapestOutArcsFirst(const FlowProblem& problem,
                                          int32_t tail_begin, int32_t tail_end,
                                          int32_t k) {
  if (k <= 0 || tail_end <= tail_begin) return {};
  const auto n = static_cast<size_t>(tail_end - tail_begin);
  std::vector<int32_t> begin(n + 1, 0);
  for (int32_t a = 0; a < problem.num_arcs(); ++a) {
    const int32_t t = problem.tail[static_cast<size_t>(a)];
    if (t >= tail_begin && t < tail_end) {
      ++begin[static_cast<size_t>(t - tail_begin) + 1];
    }
  }
  bool any = false;
  for (size_t v = 0; v < n; ++v) {
    any = any || begin[v + 1] > k;
    begin[v + 1] += begin[v];
  }
  if (!any) return {};
  std::vector<int32_t> arcs(static_cast<size_t>(begin[n]));
  {
    std::vector<int32_t> fill(begin.begin(), begin.end() - 1);
    for (int32_t a = 0; a < problem.num_arcs(); ++a) {
      const int32_t t = problem.tail[static_cast<size_t>(a)];
      if (t >= tail_begin && t < tail_end) {
        arcs[static_cast<size_t>(fill[static_cast<size_t>(t - tail_begin)]++)] =
            a;
      }
    }
  }
  std::vector<uint8_t> first(static_cast<size_t>(problem.num_arcs()), 1);
  auto cost = [&](int32_t a) { return problem.cost[static_cast<size_t>(a)]; };
  for (size_t v = 0; v < n; ++v) {
    auto b = arcs.begin() + begin[v], e = arcs.begin() + begin[v + 1];
    if (e - b <= k) continue;
    std::nth_element(b, b + k, e, [&](int32_t x, int32_t y) {
      return cost(x) != cost(y) ? cost(x) < cost(y) : x < y;
    });
    for (auto it = b + k; it != e; ++it) first[static_cast<size_t>(*it)] = 0;
  }
  return first;
}

std::vector<int32_t> CheapestPathArcs(const FlowProblem& problem,
                                      int32_t source, int32_t sink,
                                      int32_t begin, int32_t end) {
  std::vector<int32_t> result;
  if (end <= begin) return result;
  const auto nodes = static_cast<size_t>(problem.num_nodes);
  const auto span = static_cast<size_t>(end - begin);
  std::vector<int32_t> best_in(span, -1), best_out(span, -1);
  std::vector<int32_t> from_source(nodes, -1), to_sink(nodes, -1);
  auto cheaper = [&](int32_t a, int32_t current) {
    return current < 0 || problem.cost[static_cast<size_t>(a)] <
                              problem.cost[static_cast<size_t>(current)];
  };
  for (int32_t a = 0; a < problem.num_arcs(); ++a) {
    const int32_t t = problem.tail[static_cast<size_t>(a)];
    const int32_t h = problem.head[static_cast<size_t>(a)];
    if (h >= begin && h < end) {
      int32_t& b = best_in[static_cast<size_t>(h - begin)];
      if (cheaper(a, b)) b = a;
    }
    if (t >= begin && t < end) {
      int32_t& b = best_out[static_cast<size_t>(t - begin)];
      if (cheaper(a, b)) b = a;
    }
    if (t == source && cheaper(a, from_source[static_cast<size_t>(h)])) {
      from_source[static_cast<size_t>(h)] = a;
    }
    if (h == sink && cheaper(a, to_sink[static_cast<size_t>(t)])) {
      to_sink[static_cast<size_t>(t)] = a;
    }
  }
  for (size_t i = 0; i < span; ++i) {
    const int32_t in = best_in[i], out = best_out[i];
    if (in < 0 || out < 0) continue;
    const int32_t u = problem.tail[static_cast<size_t>(in)];
    const int32_t w = problem.head[static_cast<size_t>(out)];
    if (u != source && from_source[static_cast<size_t>(u)] >= 0) {
      result.push_back(from_source[static_cast<size_t>(u)]);
    }
    result.push_back(in);
    result.push_back(out);
    if (w != sink && to_sink[static_cast<size_t>(w)] >= 0) {
      result.push_back(to_sink[static_cast<size_t>(w)]);
    }
  }
  return result;
}

template class BasicNetworkSimplex<int64_t>;
template class BasicNetworkSimplex<int128>;

absl::StatusOr<FlowSolution> SolveMinCostFlow(const FlowProblem& problem,
                                              const SolveOptions& options) {
  if (absl::Status s = ValidateProblem(problem, options.budget); !s.ok()) {
    return s;
  }
  auto solve = [](auto& simplex, const FlowProblem& p, const SolveOptions& o,
                  bool checked) -> absl::StatusOr<FlowSolution> {
    if (absl::Status s = simplex.InitValidated(p, o, checked); !s.ok()) {
      return s;
    }
    simplex.Solve();
    if (!simplex.generate_status().ok()) return simplex.generate_status();
    return simplex.Solution();
  };
  if (!options.force_wide && FitsNarrowCosts(problem, options.budget)) {
    NetworkSimplex simplex;
    return solve(simplex, problem, options, false);
  }
  // Beyond the 64-bit worst case, a checked 64-bit solve first: exact when
  // it ends optimal without overflow (as on the allocation model at
  // national size, whose potentials stay far below the bound); else the
  // 128-bit solver, from the start, with the arcs generated so far.
  int64_t max_cost = options.generate ? options.budget.max_cost : 0;
  for (const int64_t c : problem.cost) {
    max_cost = std::max(max_cost, c < 0 ? -c : c);  // c > INT64_MIN: valid
  }
  if (!options.force_wide && max_cost <= kCheckedMaxCost) {
    NetworkSimplex narrow;
    absl::StatusOr<FlowSolution> solution =
        solve(narrow, problem, options, true);
    if (!solution.ok() ||
        (narrow.status() == FlowStatus::kOptimal && !narrow.overflowed())) {
      return solution;
    }
    if (narrow.num_arcs() > problem.num_arcs()) {
      FlowProblem more = problem;
      narrow.AddedArcs(&more);
      SolveOptions rest = options;
      rest.budget = narrow.remaining_budget();
      // The flags and initial arcs name the problem's arcs; the added ones
      // are priced from the start.
      if (!rest.first_arcs.empty()) {
        rest.first_arcs.resize(static_cast<size_t>(more.num_arcs()), 1);
      }
      WideNetworkSimplex wide;
      return solve(wide, more, rest, false);
    }
  }
  WideNetworkSimplex simplex;
  return solve(simplex, problem, options, false);
}

}  // namespace maillage::flow
