#include "flow/incremental.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "absl/strings/str_cat.h"

namespace maillage::flow {
namespace {
constexpr int64_t kUnreached = std::numeric_limits<int64_t>::max();
}  // namespace

absl::Status IncrementalFlow::Init(FlowProblem problem,
                                   const FlowSolution& solution) {
  if (solution.status != FlowStatus::kOptimal) {
    return absl::InvalidArgumentError(
        "IncrementalFlow needs an optimal solution");
  }
  if (solution.flow.size() != static_cast<size_t>(problem.num_arcs()) ||
      solution.potential.size() != static_cast<size_t>(problem.num_nodes)) {
    return absl::InvalidArgumentError(
        "solution sizes do not match the problem");
  }
  if (!FitsNarrowCosts(problem)) {
    return absl::InvalidArgumentError(
        "IncrementalFlow needs a problem with 64-bit potentials "
        "(FitsNarrowCosts)");
  }
  // Optimal potentials of such a problem can still be far apart (one per
  // connected component, offset by up to the big-M of the solver): they
  // must fit 64 bits with room for the searches' distances.
  constexpr int128 kLimit = int128{1} << 61;
  for (const int128 p : solution.potential) {
    if (p > kLimit || p < -kLimit) {
      return absl::InvalidArgumentError(
          "IncrementalFlow: a potential of the solution exceeds 2^61");
    }
  }
  problem_ = std::move(problem);
  flow_ = solution.flow;
  potential_.assign(solution.potential.begin(), solution.potential.end());
  objective_ = static_cast<int64_t>(solution.objective);
  const auto n = static_cast<size_t>(problem_.num_nodes);
  excess_.assign(n, 0);
  out_.assign(n, {});
  in_.assign(n, {});
  in_flowing_.assign(n, 0);
  in_pos_.assign(static_cast<size_t>(problem_.num_arcs()), 0);
  for (int32_t a = 0; a < problem_.num_arcs(); ++a) {
    out_[static_cast<size_t>(problem_.tail[a])].push_back(a);
    in_[static_cast<size_t>(problem_.head[a])].push_back(a);
  }
  for (size_t v = 0; v < n; ++v) {
    auto mid = std::partition(in_[v].begin(), in_[v].end(), [&](int32_t a) {
      return flow_[static_cast<size_t>(a)] > 0;
    });
    in_flowing_[v] = static_cast<int32_t>(mid - in_[v].begin());
    for (size_t k = 0; k < in_[v].size(); ++k) {
      in_pos_[static_cast<size_t>(in_[v][k])] = static_cast<int32_t>(k);
    }
  }
  dist_.assign(n, kUnreached);
  parent_arc_.assign(n, 0);
  done_.assign(n, 0);
  active_.clear();
  return absl::OkStatus();
}

absl::Status IncrementalFlow::SetArcOrder(
    std::vector<std::vector<int32_t>> out,
    std::vector<std::vector<int32_t>> in) {
  const auto n = static_cast<size_t>(problem_.num_nodes);
  const auto m = static_cast<size_t>(problem_.num_arcs());
  if (out.size() != n || in.size() != n) {
    return absl::InvalidArgumentError("arc order: one list per node");
  }
  std::vector<char> seen_out(m, 0), seen_in(m, 0);
  std::vector<int32_t> flowing(n, 0), pos(m, 0);
  for (size_t v = 0; v < n; ++v) {
    for (int32_t a : out[v]) {
      if (a < 0 || static_cast<size_t>(a) >= m ||
          seen_out[static_cast<size_t>(a)] ||
          problem_.tail[static_cast<size_t>(a)] != static_cast<int32_t>(v)) {
        return absl::InvalidArgumentError("arc order: bad out-arc list");
      }
      seen_out[static_cast<size_t>(a)] = 1;
    }
    bool flowing_part = true;
    for (size_t k = 0; k < in[v].size(); ++k) {
      const int32_t a = in[v][k];
      if (a < 0 || static_cast<size_t>(a) >= m ||
          seen_in[static_cast<size_t>(a)] ||
          problem_.head[static_cast<size_t>(a)] != static_cast<int32_t>(v)) {
        return absl::InvalidArgumentError("arc order: bad in-arc list");
      }
      seen_in[static_cast<size_t>(a)] = 1;
      const bool f = flow_[static_cast<size_t>(a)] > 0;
      if (f && !flowing_part) {
        return absl::InvalidArgumentError(
            "arc order: an in-arc with flow after one without");
      }
      flowing_part = f;
      flowing[v] += f ? 1 : 0;
      pos[static_cast<size_t>(a)] = static_cast<int32_t>(k);
    }
  }
  for (size_t a = 0; a < m; ++a) {
    if (!seen_out[a] || !seen_in[a]) {
      return absl::InvalidArgumentError("arc order: an arc is missing");
    }
  }
  out_ = std::move(out);
  in_ = std::move(in);
  in_flowing_ = std::move(flowing);
  in_pos_ = std::move(pos);
  return absl::OkStatus();
}

int64_t IncrementalFlow::ReducedCost(int32_t a) const {
  const auto i = static_cast<size_t>(a);
  return problem_.cost[i] + potential_[static_cast<size_t>(problem_.tail[i])] -
         potential_[static_cast<size_t>(problem_.head[i])];
}

void IncrementalFlow::Push(int32_t a, int64_t delta) {
  if (delta == 0) return;
  const auto i = static_cast<size_t>(a);
  const int64_t old_flow = flow_[i];
  flow_[i] += delta;
  UpdateInFlowing(a, old_flow);
  objective_ += delta * problem_.cost[i];
  if (log_ != nullptr) log_->emplace_back(a, delta);
  if (journaling_) journal_.push_back({Undo::kFlow, a, delta});
  const auto t = static_cast<size_t>(problem_.tail[i]);
  const auto h = static_cast<size_t>(problem_.head[i]);
  // excess = supply - (out - in): t sends `delta` more, h receives it.
  excess_[t] -= delta;
  excess_[h] += delta;
  active_.push_back(problem_.tail[i]);
  active_.push_back(problem_.head[i]);
}

void IncrementalFlow::UpdateInFlowing(int32_t a, int64_t old_flow) {
  const auto i = static_cast<size_t>(a);
  const bool was = old_flow > 0, is = flow_[i] > 0;
  if (was == is) return;
  const auto h = static_cast<size_t>(problem_.head[i]);
  std::vector<int32_t>& list = in_[h];
  // The boundary slot: the first idle arc (when the arc starts flowing) or
  // the last flowing one (when it stops).
  const int32_t slot = is ? in_flowing_[h] : in_flowing_[h] - 1;
  const int32_t other = list[static_cast<size_t>(slot)];
  const int32_t pos = in_pos_[i];
  list[static_cast<size_t>(slot)] = a;
  list[static_cast<size_t>(pos)] = other;
  in_pos_[static_cast<size_t>(other)] = pos;
  in_pos_[i] = slot;
  in_flowing_[h] += is ? 1 : -1;
}

void IncrementalFlow::ScanFirst(int32_t arc) {
  std::vector<int32_t>& list =
      out_[static_cast<size_t>(problem_.tail[static_cast<size_t>(arc)])];
  auto it = std::find(list.begin(), list.end(), arc);
  if (it != list.end()) std::rotate(list.begin(), it, it + 1);
}

void IncrementalFlow::FixArc(int32_t a) {
  const auto i = static_cast<size_t>(a);
  const int64_t rc = ReducedCost(a);
  if (rc < 0 && flow_[i] < problem_.capacity[i]) {
    Push(a, problem_.capacity[i] - flow_[i]);
  } else if (rc > 0 && flow_[i] > 0) {
    Push(a, -flow_[i]);
  }
}

int32_t IncrementalFlow::AddNode(int64_t supply, int64_t potential) {
  const int32_t v = problem_.AddNode(0);
  potential_.push_back(potential);
  excess_.push_back(0);
  out_.emplace_back();
  in_.emplace_back();
  in_flowing_.push_back(0);
  dist_.push_back(kUnreached);
  parent_arc_.push_back(0);
  done_.push_back(0);
  if (supply != 0) AddSupply(v, supply);
  return v;
}

bool IncrementalFlow::SetIsolatedPotential(int32_t node, int64_t potential) {
  const auto i = static_cast<size_t>(node);
  if (!out_[i].empty() || !in_[i].empty()) return false;
  potential_[i] = potential;
  return true;
}

int32_t IncrementalFlow::AddArc(int32_t tail, int32_t head, int64_t capacity,
                                int64_t cost) {
  const int32_t a = problem_.AddArc(tail, head, capacity, cost);
  flow_.push_back(0);
  out_[static_cast<size_t>(tail)].push_back(a);
  in_pos_.push_back(
      static_cast<int32_t>(in_[static_cast<size_t>(head)].size()));
  in_[static_cast<size_t>(head)].push_back(a);
  if (journaling_) journal_.push_back({Undo::kArc, a, 0});
  FixArc(a);
  return a;
}

void IncrementalFlow::SetCapacity(int32_t a, int64_t capacity) {
  const auto i = static_cast<size_t>(a);
  if (journaling_)
    journal_.push_back({Undo::kCapacity, a, problem_.capacity[i]});
  problem_.capacity[i] = capacity;
  if (flow_[i] > capacity) Push(a, capacity - flow_[i]);
  FixArc(a);
}

void IncrementalFlow::SetCost(int32_t a, int64_t cost) {
  const auto i = static_cast<size_t>(a);
  if (journaling_) journal_.push_back({Undo::kCost, a, problem_.cost[i]});
  objective_ += (cost - problem_.cost[i]) * flow_[i];
  problem_.cost[i] = cost;
  FixArc(a);
}

void IncrementalFlow::AddSupply(int32_t node, int64_t delta) {
  problem_.supply[static_cast<size_t>(node)] += delta;
  excess_[static_cast<size_t>(node)] += delta;
  if (journaling_) journal_.push_back({Undo::kSupply, node, delta});
  active_.push_back(node);
}

// Dijkstra from `source` (which has an excess) on residual arcs weighted by
// reduced costs, until a node with a deficit is settled; then potentials are
// updated and flow is sent along the path. False when no deficit is
// reachable.
bool IncrementalFlow::ShortestPathAugment(int32_t source) {
  using Item = std::pair<int64_t, int32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  touched_.clear();
  settled_.clear();
  auto relax = [&](int32_t v, int64_t d, int32_t via) {
    const auto i = static_cast<size_t>(v);
    if (done_[i] || d >= dist_[i]) return;
    if (dist_[i] == kUnreached) touched_.push_back(v);
    dist_[i] = d;
    parent_arc_[i] = via;
    heap.emplace(d, v);
  };
  relax(source, 0, 0);
  int32_t target = -1;
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    const auto ui = static_cast<size_t>(u);
    if (done_[ui] || d != dist_[ui]) continue;
    done_[ui] = 1;
    settled_.push_back(u);
    if (excess_[ui] < 0) {
      target = u;
      break;
    }
    // A deficit reached at distance d (through a zero reduced cost) is as
    // near as any node left in the heap: stop there without scanning the
    // rest (a hub has hundreds of thousands of arcs).
    const int64_t du = d;  // a structured binding is not captured (C++17)
    auto reached_deficit = [&](int32_t v) {
      const auto vi = static_cast<size_t>(v);
      if (excess_[vi] >= 0 || dist_[vi] != du || done_[vi]) return false;
      done_[vi] = 1;
      settled_.push_back(v);
      target = v;
      return true;
    };
    for (int32_t a : out_[ui]) {
      const auto ai = static_cast<size_t>(a);
      if (flow_[ai] < problem_.capacity[ai]) {
        relax(problem_.head[ai], d + ReducedCost(a), a + 1);
        if (reached_deficit(problem_.head[ai])) break;
      }
    }
    if (target >= 0) break;
    const std::vector<int32_t>& in = in_[ui];
    for (int32_t k = 0; k < in_flowing_[ui]; ++k) {
      const int32_t a = in[static_cast<size_t>(k)];
      relax(problem_.tail[static_cast<size_t>(a)], d - ReducedCost(a),
            -(a + 1));
      if (reached_deficit(problem_.tail[static_cast<size_t>(a)])) break;
    }
    if (target >= 0) break;
  }
  last_settled_ += static_cast<int64_t>(settled_.size());
  if (target < 0) {
    ResetScratch();
    return false;
  }
  const int64_t dt = dist_[static_cast<size_t>(target)];
  for (int32_t v : settled_) {
    SetPotential(v, potential_[static_cast<size_t>(v)] +
                        dist_[static_cast<size_t>(v)] - dt);
  }
  Augment(source, target, /*reverse=*/false);
  ResetScratch();
  return true;
}

// The mirror image: Dijkstra from the deficit `target` on the residual arcs
// walked backwards (dist_ is then the distance TO the target), until a node
// with an excess is settled. parent_arc_ holds the next arc towards the
// target: arc + 1 for a forward residual arc, -(arc + 1) for a backward one.
bool IncrementalFlow::ReverseShortestPathAugment(int32_t target) {
  using Item = std::pair<int64_t, int32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  touched_.clear();
  settled_.clear();
  auto relax = [&](int32_t v, int64_t d, int32_t via) {
    const auto i = static_cast<size_t>(v);
    if (done_[i] || d >= dist_[i]) return;
    if (dist_[i] == kUnreached) touched_.push_back(v);
    dist_[i] = d;
    parent_arc_[i] = via;
    heap.emplace(d, v);
  };
  relax(target, 0, 0);
  int32_t source = -1;
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    const auto ui = static_cast<size_t>(u);
    if (done_[ui] || d != dist_[ui]) continue;
    done_[ui] = 1;
    settled_.push_back(u);
    if (excess_[ui] > 0) {
      source = u;
      break;
    }
    const int64_t du = d;
    auto reached_excess = [&](int32_t v) {
      const auto vi = static_cast<size_t>(v);
      if (excess_[vi] <= 0 || dist_[vi] != du || done_[vi]) return false;
      done_[vi] = 1;
      settled_.push_back(v);
      source = v;
      return true;
    };
    // Residual arcs into u: forward arcs ending at u with room left...
    for (int32_t a : in_[ui]) {
      const auto ai = static_cast<size_t>(a);
      if (flow_[ai] < problem_.capacity[ai]) {
        relax(problem_.tail[ai], d + ReducedCost(a), a + 1);
        if (reached_excess(problem_.tail[ai])) break;
      }
    }
    if (source >= 0) break;
    // ...and arcs leaving u that carry flow, walked backwards.
    for (int32_t a : out_[ui]) {
      const auto ai = static_cast<size_t>(a);
      if (flow_[ai] > 0) {
        relax(problem_.head[ai], d - ReducedCost(a), -(a + 1));
        if (reached_excess(problem_.head[ai])) break;
      }
    }
    if (source >= 0) break;
  }
  last_settled_ += static_cast<int64_t>(settled_.size());
  if (source < 0) {
    ResetScratch();
    return false;
  }
  const int64_t ds = dist_[static_cast<size_t>(source)];
  for (int32_t v : settled_) {
    SetPotential(v, potential_[static_cast<size_t>(v)] + ds -
                        dist_[static_cast<size_t>(v)]);
  }
  Augment(source, target, /*reverse=*/true);
  ResetScratch();
  return true;
}

void IncrementalFlow::Augment(int32_t from, int32_t to, bool reverse) {
  // Walks the path: from `to` back to `from` along parent arcs (forward
  // search), or from `from` to `to` along next arcs (reverse search).
  auto step = [&](int32_t v, int32_t* a, bool* forward) {
    const int32_t via = parent_arc_[static_cast<size_t>(v)];
    *a = std::abs(via) - 1;
    *forward = via > 0;
    const auto ai = static_cast<size_t>(*a);
    if (!reverse) return *forward ? problem_.tail[ai] : problem_.head[ai];
    return *forward ? problem_.head[ai] : problem_.tail[ai];
  };
  const int32_t start = reverse ? from : to, stop = reverse ? to : from;
  int64_t amount = std::min(excess_[static_cast<size_t>(from)],
                            -excess_[static_cast<size_t>(to)]);
  for (int32_t v = start; v != stop;) {
    int32_t a = 0;
    bool forward = false;
    const int32_t next = step(v, &a, &forward);
    const auto ai = static_cast<size_t>(a);
    amount = std::min(amount,
                      forward ? problem_.capacity[ai] - flow_[ai] : flow_[ai]);
    v = next;
  }
  for (int32_t v = start; v != stop;) {
    int32_t a = 0;
    bool forward = false;
    const int32_t next = step(v, &a, &forward);
    Push(a, forward ? amount : -amount);
    v = next;
  }
}

void IncrementalFlow::ResetScratch() {
  for (int32_t v : touched_) {
    const auto i = static_cast<size_t>(v);
    dist_[i] = kUnreached;
    done_[i] = 0;
    parent_arc_[i] = 0;
  }
}

void IncrementalFlow::SetPotential(int32_t node, int64_t value) {
  const auto i = static_cast<size_t>(node);
  if (journaling_ && potential_[i] != value) {
    journal_.push_back({Undo::kPotential, node, potential_[i]});
  }
  potential_[i] = value;
}

size_t IncrementalFlow::Mark() {
  journaling_ = true;
  return journal_.size();
}

void IncrementalFlow::RollbackTo(size_t mark) {
  while (journal_.size() > mark) {
    const Entry e = journal_.back();
    journal_.pop_back();
    const auto i = static_cast<size_t>(e.index);
    switch (e.kind) {
      case Undo::kFlow: {
        const int64_t old_flow = flow_[i];
        flow_[i] -= e.value;
        UpdateInFlowing(e.index, old_flow);
        objective_ -= e.value * problem_.cost[i];
        excess_[static_cast<size_t>(problem_.tail[i])] += e.value;
        excess_[static_cast<size_t>(problem_.head[i])] -= e.value;
        break;
      }
      case Undo::kPotential:
        potential_[i] = e.value;
        break;
      case Undo::kCapacity:
        problem_.capacity[i] = e.value;
        break;
      case Undo::kCost:
        objective_ += (e.value - problem_.cost[i]) * flow_[i];
        problem_.cost[i] = e.value;
        break;
      case Undo::kSupply:
        problem_.supply[i] -= e.value;
        excess_[i] -= e.value;
        break;
      case Undo::kArc:
        RemoveLastArc(e.index);
        break;
    }
  }
  // The nodes left unbalanced at the mark were in the active list then and
  // may have left it since.
  active_.erase(std::remove_if(active_.begin(), active_.end(),
                               [&](int32_t v) {
                                 return excess_[static_cast<size_t>(v)] == 0;
                               }),
                active_.end());
}

// The arc was added last (the arcs added after it are gone) and carries no
// flow (its flow changes were undone first).
void IncrementalFlow::RemoveLastArc(int32_t a) {
  const auto i = static_cast<size_t>(a);
  std::vector<int32_t>& out = out_[static_cast<size_t>(problem_.tail[i])];
  out.erase(std::find(out.rbegin(), out.rend(), a).base() - 1);
  std::vector<int32_t>& in = in_[static_cast<size_t>(problem_.head[i])];
  const auto pos = static_cast<size_t>(in_pos_[i]);
  const int32_t last = in.back();
  in[pos] = last;
  in_pos_[static_cast<size_t>(last)] = static_cast<int32_t>(pos);
  in.pop_back();
  problem_.tail.pop_back();
  problem_.head.pop_back();
  problem_.capacity.pop_back();
  problem_.cost.pop_back();
  flow_.pop_back();
  in_pos_.pop_back();
}

void IncrementalFlow::EndTrials() {
  journal_.clear();
  journal_.shrink_to_fit();
  journaling_ = false;
}

absl::Status IncrementalFlow::Reoptimize(int64_t work_limit) {
  last_settled_ = 0;
  while (!active_.empty()) {
    if (last_settled_ > work_limit) {
      active_.clear();
      return absl::ResourceExhaustedError(
          absl::StrCat("re-optimisation stopped after settling ", last_settled_,
                       " nodes (limit ", work_limit, ")"));
    }
    const int32_t v = active_.back();
    const auto i = static_cast<size_t>(v);
    if (from_deficits_ ? excess_[i] >= 0 : excess_[i] <= 0) {
      active_.pop_back();
      continue;
    }
    if (from_deficits_ ? !ReverseShortestPathAugment(v)
                       : !ShortestPathAugment(v)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "node ", v,
          from_deficits_ ? ": its deficit cannot be reached from any excess"
                         : ": its excess cannot reach any deficit",
          " (infeasible)"));
    }
  }
  return absl::OkStatus();
}

FlowSolution IncrementalFlow::Solution() const {
  FlowSolution s;
  s.status = FlowStatus::kOptimal;
  s.objective = objective_;
  s.flow = flow_;
  s.potential.assign(potential_.begin(), potential_.end());
  return s;
}

}  // namespace maillage::flow
