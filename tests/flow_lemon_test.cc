// Randomized property tests of the min-cost flow solver, with LEMON's
// NetworkSimplex as the oracle: thousands of seeded instances of several
// shapes. For every balanced instance the status and objective must match
// LEMON's, and an optimal solution must pass Verify (flow feasibility and
// complementary slackness). LEMON's own solution must pass Verify too, which
// checks that both use the same potential convention.

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "flow/flow_problem.h"
#include "flow/network_simplex.h"
#include "flow/verify.h"
#include "gtest/gtest.h"
#include "lemon_oracle.h"

namespace maillage::flow {
namespace {

// Solves with our NetworkSimplex and checks its tree invariants (strong
// feasibility included) when a tree was built.
FlowSolution SolveAndCheckTree(const FlowProblem& p,
                               const SolveOptions& options, bool balanced) {
  NetworkSimplex simplex;
  const absl::Status init = simplex.Init(p, options);
  EXPECT_TRUE(init.ok()) << init;
  simplex.Solve();
  if (balanced && p.num_nodes > 0) {
    const absl::Status tree = simplex.CheckTree();
    EXPECT_TRUE(tree.ok()) << tree;
  }
  return simplex.Solution();
}

int64_t Uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}
bool Chance(std::mt19937_64& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}

struct Range {
  int64_t lo, hi;
};

// Nodes, arcs per node (arcs = nodes * U[lo, hi] + U[0, 2]), arc costs, and
// the largest finite capacity.
struct Graph {
  Range nodes, arcs_per_node, costs;
  int64_t max_capacity;
};

// The chances of an arc of capacity 0, of infinite capacity, of a self-loop,
// and of an instance with unbalanced supplies.
struct Chances {
  double zero_capacity, infinite_capacity, self_loop, unbalanced;
};

// Instances of each status a shape is designed to produce at least.
struct AtLeast {
  int optimal, infeasible, unbounded;
};

struct Shape {
  std::string name;
  Graph graph;
  Chances chances;
  int count;  // instances
  uint64_t seed;
  AtLeast at_least;
};

std::ostream& operator<<(std::ostream& os, const Shape& s) {
  return os << s.name;
}

FlowProblem RandomProblem(const Shape& shape, std::mt19937_64& rng,
                          bool* balanced) {
  FlowProblem p;
  const int32_t n = static_cast<int32_t>(
      Uniform(rng, shape.graph.nodes.lo, shape.graph.nodes.hi));
  for (int32_t v = 0; v < n; ++v) p.AddNode();
  const int64_t m = n * Uniform(rng, shape.graph.arcs_per_node.lo,
                                shape.graph.arcs_per_node.hi) +
                    Uniform(rng, 0, 2);
  for (int64_t i = 0; i < m; ++i) {
    const int32_t t = static_cast<int32_t>(Uniform(rng, 0, n - 1));
    const int32_t h = Chance(rng, shape.chances.self_loop)
                          ? t
                          : static_cast<int32_t>(Uniform(rng, 0, n - 1));
    int64_t cap = Uniform(rng, 1, shape.graph.max_capacity);
    if (Chance(rng, shape.chances.zero_capacity)) cap = 0;
    if (Chance(rng, shape.chances.infinite_capacity)) cap = kInfiniteCapacity;
    p.AddArc(t, h, cap,
             Uniform(rng, shape.graph.costs.lo, shape.graph.costs.hi));
  }
  // Half of the instances get a Hamiltonian cycle that can route every
  // transfer below, which makes most of them feasible.
  if (Chance(rng, 0.5)) {
    std::vector<int32_t> order(static_cast<size_t>(n));
    for (int32_t v = 0; v < n; ++v) order[static_cast<size_t>(v)] = v;
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t i = 0; i < order.size(); ++i) {
      p.AddArc(order[i], order[(i + 1) % order.size()], 15 * n,
               Uniform(rng, std::max<int64_t>(0, shape.graph.costs.lo),
                       shape.graph.costs.hi));
    }
  }
  // Balanced supplies: a few transfers between random nodes.
  const int64_t transfers = Uniform(rng, 0, n);
  for (int64_t i = 0; i < transfers; ++i) {
    const int64_t amount = Uniform(rng, 1, 15);
    p.supply[static_cast<size_t>(Uniform(rng, 0, n - 1))] += amount;
    p.supply[static_cast<size_t>(Uniform(rng, 0, n - 1))] -= amount;
  }
  *balanced = !Chance(rng, shape.chances.unbalanced);
  if (!*balanced) {
    const int64_t delta =
        Chance(rng, 0.5) ? Uniform(rng, 1, 5) : -Uniform(rng, 1, 5);
    p.supply[static_cast<size_t>(Uniform(rng, 0, n - 1))] += delta;
  }
  return p;
}

// The largest k such that every |cost| of `p` times 2^k is at most 2^top.
int LargestShift(const FlowProblem& p, int top) {
  int64_t max_cost = 1;
  for (const int64_t c : p.cost) max_cost = std::max(max_cost, c < 0 ? -c : c);
  int shift = 0;
  while ((max_cost << (shift + 1)) <= (int64_t{1} << top)) ++shift;
  return shift;
}

// `p` with every cost times 2^shift.
FlowProblem TimesPowerOfTwo(FlowProblem p, int shift) {
  for (int64_t& c : p.cost) c *= int64_t{1} << shift;
  return p;
}

class RandomFlowTest : public testing::TestWithParam<Shape> {};

TEST_P(RandomFlowTest, MatchesLemon) {
  const Shape& shape = GetParam();
  std::mt19937_64 rng(shape.seed);
  std::map<FlowStatus, int> counts;
  int unbalanced = 0;
  for (int instance = 0; instance < shape.count; ++instance) {
    bool balanced = true;
    const FlowProblem p = RandomProblem(shape, rng, &balanced);
    SCOPED_TRACE(
        absl::StrCat(shape.name, " instance ", instance, "\n", WriteDimacs(p)));
    const FlowSolution ours = SolveAndCheckTree(p, {}, balanced);
    if (!balanced) {
      ++unbalanced;
      EXPECT_EQ(ours.status, FlowStatus::kInfeasible);
      continue;
    }
    const FlowSolution lemon = testing_lemon::SolveWithLemon(p);
    ++counts[lemon.status];
    ASSERT_EQ(FlowStatusName(ours.status), FlowStatusName(lemon.status));
    // Pricing a random subset of the arcs first, after pivots on random
    // arcs, reaches the same status and optimum (the other arcs are priced
    // once that subset is exhausted).
    if (instance % 2 == 1) {
      std::mt19937_64 mask_rng(static_cast<uint64_t>(instance));
      SolveOptions subset;
      subset.first_arcs.resize(static_cast<size_t>(p.num_arcs()));
      for (uint8_t& f : subset.first_arcs) f = (mask_rng() % 3 == 0) ? 1 : 0;
      // And arbitrary arcs to pivot on first (any order, repeats).
      for (int32_t k = 0; k < p.num_arcs() / 2; ++k) {
        subset.initial_arcs.push_back(static_cast<int32_t>(
            mask_rng() % static_cast<uint64_t>(p.num_arcs())));
      }
      const FlowSolution sub = SolveAndCheckTree(p, subset, true);
      ASSERT_EQ(FlowStatusName(sub.status), FlowStatusName(lemon.status));
      if (lemon.status == FlowStatus::kOptimal) {
        EXPECT_EQ(sub.objective, lemon.objective);
        EXPECT_TRUE(Verify(p, sub).ok()) << Verify(p, sub);
      }
    }
    if (lemon.status != FlowStatus::kOptimal) continue;
    EXPECT_EQ(ours.objective, lemon.objective);
    EXPECT_TRUE(Verify(p, ours).ok()) << Verify(p, ours);
    EXPECT_TRUE(Verify(p, lemon).ok()) << Verify(p, lemon);
    // Other pivot rules: 1 arc per block (first eligible) and all arcs per
    // block (best eligible) reach the same optimum.
    if (instance % 4 == 0) {
      for (const int32_t block : {1, std::max(1, p.num_arcs())}) {
        const FlowSolution other = SolveAndCheckTree(p,
                                                     {.block_size = block,
                                                      .block_factor = 1.0,
                                                      .lemon_arc_order = true,
                                                      .first_arcs = {},
                                                      .initial_arcs = {}},
                                                     true);
        EXPECT_EQ(other.status, FlowStatus::kOptimal) << "block " << block;
        EXPECT_EQ(other.objective, lemon.objective) << "block " << block;
        EXPECT_TRUE(Verify(p, other).ok()) << Verify(p, other);
      }
    }
  }
  EXPECT_GE(counts[FlowStatus::kOptimal], shape.at_least.optimal);
  EXPECT_GE(counts[FlowStatus::kInfeasible], shape.at_least.infeasible);
  EXPECT_GE(counts[FlowStatus::kUnbounded], shape.at_least.unbounded);
  if (shape.chances.unbalanced > 0) {
    EXPECT_GT(unbalanced, 0);
  }
  std::cout << shape.name << ": " << counts[FlowStatus::kOptimal]
            << " optimal, " << counts[FlowStatus::kInfeasible]
            << " infeasible, " << counts[FlowStatus::kUnbounded]
            << " unbounded, " << unbalanced << " unbalanced\n";
}

// The 128-bit solver makes the same pivots as the 64-bit one: the same
// flow, potentials and pivot count on every instance.
TEST_P(RandomFlowTest, WideSolverMakesTheSamePivots) {
  const Shape& shape = GetParam();
  std::mt19937_64 rng(shape.seed);
  int compared = 0;
  for (int instance = 0; instance < shape.count; ++instance) {
    bool balanced = true;
    const FlowProblem p = RandomProblem(shape, rng, &balanced);
    if (!balanced || instance % 3 != 0) continue;
    SCOPED_TRACE(
        absl::StrCat(shape.name, " instance ", instance, "\n", WriteDimacs(p)));
    const FlowSolution narrow = SolveAndCheckTree(p, {}, true);
    WideNetworkSimplex wide;
    ASSERT_TRUE(wide.Init(p).ok());
    wide.Solve();
    if (p.num_nodes > 0) {
      const absl::Status tree = wide.CheckTree();
      EXPECT_TRUE(tree.ok()) << tree;
    }
    const FlowSolution w = wide.Solution();
    EXPECT_EQ(w.cost_bits, 128);
    EXPECT_EQ(narrow.cost_bits, 64);
    ASSERT_EQ(FlowStatusName(w.status), FlowStatusName(narrow.status));
    EXPECT_EQ(w.pivots, narrow.pivots);
    EXPECT_EQ(w.flow, narrow.flow);
    EXPECT_TRUE(w.potential == narrow.potential);
    EXPECT_TRUE(w.objective == narrow.objective);
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

// Costs too large for 64-bit potentials: the problem times 2^k, for k that
// pushes max |cost| * (nodes + 1) beyond 2^60. SolveMinCostFlow switches to
// 128 bits; the optimum is the original's times 2^k (LEMON's on the
// original), with a certificate Verify accepts, and the statuses are the
// same.
TEST_P(RandomFlowTest, CostsBeyond64BitPotentials) {
  const Shape& shape = GetParam();
  std::mt19937_64 rng(shape.seed + 1000);
  int wide_optimal = 0;
  for (int instance = 0; instance < std::min(shape.count, 400); ++instance) {
    bool balanced = true;
    const FlowProblem p = RandomProblem(shape, rng, &balanced);
    if (!balanced) continue;
    // The largest power of two keeping |cost| <= 2^61.
    const int shift = LargestShift(p, 61);
    const FlowProblem big = TimesPowerOfTwo(p, shift);
    if (FitsNarrowCosts(big) || !ValidateProblem(big).ok()) continue;
    SCOPED_TRACE(absl::StrCat(shape.name, " instance ", instance, " times 2^",
                              shift, "\n", WriteDimacs(p)));
    const absl::StatusOr<FlowSolution> ours = SolveMinCostFlow(big);
    ASSERT_TRUE(ours.ok()) << ours.status();
    EXPECT_EQ(ours->cost_bits, 128);
    const FlowSolution lemon = testing_lemon::SolveWithLemon(p);
    ASSERT_EQ(FlowStatusName(ours->status), FlowStatusName(lemon.status));
    if (lemon.status != FlowStatus::kOptimal) continue;
    EXPECT_TRUE(ours->objective ==
                static_cast<int128>(lemon.objective) * (int128{1} << shift));
    const absl::Status v = Verify(big, *ours);
    EXPECT_TRUE(v.ok()) << v;
    ++wide_optimal;
  }
  if (shape.at_least.optimal > 0) {
    EXPECT_GT(wide_optimal, 0);
  }
}

// Costs a little below the checked 64-bit solve's limit (|cost| <= 2^60),
// beyond 64-bit worst cases: SolveMinCostFlow tries 64 bits with overflow
// checks, and falls back to 128 bits when a potential grows too large.
// Either way the status and optimum are LEMON's (times 2^k) with a
// certificate; both ways occur.
TEST_P(RandomFlowTest, CheckedNarrowSolveOrFallback) {
  const Shape& shape = GetParam();
  std::mt19937_64 rng(shape.seed + 3000);
  std::map<int32_t, int> by_bits;
  for (int instance = 0; instance < std::min(shape.count, 400); ++instance) {
    bool balanced = true;
    const FlowProblem p = RandomProblem(shape, rng, &balanced);
    if (!balanced) continue;
    // |cost| up to 2^60 on odd instances, 2^58 on even ones.
    const int shift = LargestShift(p, instance % 2 == 1 ? 60 : 58);
    const FlowProblem big = TimesPowerOfTwo(p, shift);
    if (FitsNarrowCosts(big) || !ValidateProblem(big).ok()) continue;
    SCOPED_TRACE(absl::StrCat(shape.name, " instance ", instance, " times 2^",
                              shift, "\n", WriteDimacs(p)));
    const absl::StatusOr<FlowSolution> ours = SolveMinCostFlow(big);
    ASSERT_TRUE(ours.ok()) << ours.status();
    const FlowSolution lemon = testing_lemon::SolveWithLemon(p);
    ASSERT_EQ(FlowStatusName(ours->status), FlowStatusName(lemon.status));
    if (lemon.status != FlowStatus::kOptimal) continue;
    ++by_bits[ours->cost_bits];
    EXPECT_TRUE(ours->objective ==
                static_cast<int128>(lemon.objective) * (int128{1} << shift));
    const absl::Status v = Verify(big, *ours);
    EXPECT_TRUE(v.ok()) << v;
  }
  if (shape.name == "medium" || shape.name == "dense_negative_finite") {
    EXPECT_GT(by_bits[64], 0);
    EXPECT_GT(by_bits[128], 0);
  }
  std::cout << shape.name << ": checked 64-bit " << by_bits[64]
            << ", fell back to 128-bit " << by_bits[128] << "\n";
}

// Arcs on demand (SolveOptions::generate): about half of the finite arcs are
// held back, and the generator adds a few of those whose reduced cost is
// negative at each call (sometimes one that is not, which must do no harm).
// The status and optimum are LEMON's on the whole problem, and the flow,
// put back in the whole problem's arc order, passes Verify there. An
// unbounded problem whose arcs in hand are infeasible may be reported
// infeasible (the zero-cost run does not generate; network_simplex.h).
// Every third instance has its costs times 2^k, up to 2^60: the checked
// 64-bit solve, and its fall back to 128 bits with the arcs generated.
TEST_P(RandomFlowTest, GeneratedArcsReachTheWholeOptimum) {
  const Shape& shape = GetParam();
  std::mt19937_64 rng(shape.seed + 2000);
  int generated_optimal = 0, rounds = 0;
  for (int instance = 0; instance < std::min(shape.count, 600); ++instance) {
    bool balanced = true;
    const FlowProblem original = RandomProblem(shape, rng, &balanced);
    if (!balanced) continue;
    const int shift = instance % 3 == 0 ? LargestShift(original, 60) : 0;
    const FlowProblem p = TimesPowerOfTwo(original, shift);
    SCOPED_TRACE(
        absl::StrCat(shape.name, " instance ", instance, "\n", WriteDimacs(p)));
    FlowProblem start;
    start.num_nodes = p.num_nodes;
    start.supply = p.supply;
    std::vector<int32_t> start_arcs, held;
    SolveOptions options;
    for (int32_t a = 0; a < p.num_arcs(); ++a) {
      const auto i = static_cast<size_t>(a);
      if (p.capacity[i] != kInfiniteCapacity && Chance(rng, 0.5)) {
        held.push_back(a);
        const int64_t c = p.cost[i] < 0 ? -p.cost[i] : p.cost[i];
        options.budget.max_cost = std::max(options.budget.max_cost, c);
        options.budget.capacity += p.capacity[i];
        options.budget.cost_times_capacity +=
            static_cast<__int128>(c) * p.capacity[i];
      } else {
        start.AddArc(p.tail[i], p.head[i], p.capacity[i], p.cost[i]);
        start_arcs.push_back(a);
      }
    }
    std::vector<int32_t> added;  // whole-problem ids, in the order added
    std::vector<char> in(static_cast<size_t>(p.num_arcs()), 0);
    std::mt19937_64 pick(static_cast<uint64_t>(instance));
    options.generate = [&](absl::Span<const int128> pi, FlowProblem* more) {
      const auto limit = static_cast<int>(1 + pick() % 3);
      int eligible = 0;
      for (const int32_t a : held) {
        const auto i = static_cast<size_t>(a);
        if (in[i] != 0) continue;
        const int128 rc = p.cost[i] + pi[static_cast<size_t>(p.tail[i])] -
                          pi[static_cast<size_t>(p.head[i])];
        const bool add = rc < 0 ? eligible++ < limit : pick() % 17 == 0;
        if (!add) continue;
        in[i] = 1;
        added.push_back(a);
        more->AddArc(p.tail[i], p.head[i], p.capacity[i], p.cost[i]);
      }
      return absl::OkStatus();
    };
    const absl::StatusOr<FlowSolution> ours = SolveMinCostFlow(start, options);
    ASSERT_TRUE(ours.ok()) << ours.status();
    const FlowSolution lemon = testing_lemon::SolveWithLemon(original);
    if (lemon.status == FlowStatus::kUnbounded &&
        ours->status == FlowStatus::kInfeasible) {
      continue;
    }
    ASSERT_EQ(FlowStatusName(ours->status), FlowStatusName(lemon.status));
    if (lemon.status != FlowStatus::kOptimal) continue;
    ASSERT_EQ(ours->flow.size(), start_arcs.size() + added.size());
    EXPECT_TRUE(ours->objective ==
                static_cast<int128>(lemon.objective) * (int128{1} << shift));
    FlowSolution whole = *ours;
    whole.flow.assign(static_cast<size_t>(p.num_arcs()), 0);
    for (size_t k = 0; k < start_arcs.size(); ++k) {
      whole.flow[static_cast<size_t>(start_arcs[k])] = ours->flow[k];
    }
    for (size_t k = 0; k < added.size(); ++k) {
      whole.flow[static_cast<size_t>(added[k])] =
          ours->flow[start_arcs.size() + k];
    }
    const absl::Status v = Verify(p, whole);
    EXPECT_TRUE(v.ok()) << v;
    ++generated_optimal;
    rounds += ours->generation_rounds;
  }
  if (shape.at_least.optimal > 0) {
    EXPECT_GT(generated_optimal, 0);
    EXPECT_GT(rounds, generated_optimal);  // most need several calls
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, RandomFlowTest,
    testing::Values(
        // Non-negative costs, some infinite arcs: optimal or infeasible.
        Shape{"sparse_nonnegative", Graph{{2, 60}, {0, 4}, {0, 30}, 20},
              Chances{0.1, 0.1, 0.02, 0.1}, 1500, 1, AtLeast{300, 300, 0}},
        // Negative costs, finite capacities: negative cycles to cancel.
        Shape{"dense_negative_finite", Graph{{2, 30}, {2, 8}, {-20, 30}, 10},
              Chances{0.1, 0.0, 0.03, 0.05}, 1500, 2, AtLeast{300, 100, 0}},
        // Negative costs and infinite capacities: many unbounded.
        Shape{"negative_infinite", Graph{{2, 40}, {1, 4}, {-8, 25}, 15},
              Chances{0.1, 0.3, 0.02, 0.05}, 1000, 3, AtLeast{100, 50, 100}},
        // Tiny graphs: self-loops, parallel arcs, isolated nodes.
        Shape{"tiny", Graph{{2, 6}, {0, 3}, {-5, 5}, 4},
              Chances{0.2, 0.15, 0.15, 0.1}, 2000, 4, AtLeast{300, 300, 100}},
        // Larger instances: deep trees, long pivots.
        Shape{"medium", Graph{{200, 400}, {3, 8}, {-5, 100}, 50},
              Chances{0.05, 0.05, 0.0, 0.0}, 20, 5, AtLeast{1, 0, 0}}),
    [](const testing::TestParamInfo<Shape>& param_info) {
      return param_info.param.name;
    });

// Assignment-like instances shaped like a referral problem:
//
//   source --(cap 1, cost 0)--> request i --(cap 1, cost d_ij)--> service j
//   service j --(cap c_j, cost 0)--> sink
//   bypass: source --(infinite, cost B)--> sink, or one request i --(cap 1,
//   cost B)--> sink per request
//
// Always feasible thanks to the bypass; the optimum assigns as many requests
// as capacities allow when distances are below B.
FlowProblem ReferralProblem(std::mt19937_64& rng, bool per_request_bypass) {
  FlowProblem p;
  const int32_t requests = static_cast<int32_t>(Uniform(rng, 1, 30));
  const int32_t services = static_cast<int32_t>(Uniform(rng, 1, 12));
  const int64_t bypass_cost = Uniform(rng, 50, 1000);
  const bool negative = Chance(rng, 0.2);  // some preference bonuses
  const int32_t source = p.AddNode(requests);
  std::vector<int32_t> request(static_cast<size_t>(requests));
  std::vector<int32_t> service(static_cast<size_t>(services));
  for (auto& r : request) r = p.AddNode();
  for (auto& s : service) s = p.AddNode();
  const int32_t sink = p.AddNode(-requests);
  const double density = std::uniform_real_distribution<double>(0.1, 0.8)(rng);
  for (const int32_t r : request) {
    p.AddArc(source, r, 1, 0);
    for (const int32_t s : service) {
      if (Chance(rng, density)) {
        p.AddArc(r, s, 1, Uniform(rng, negative ? -20 : 0, 100));
      }
    }
    if (per_request_bypass) p.AddArc(r, sink, 1, bypass_cost);
  }
  for (const int32_t s : service) p.AddArc(s, sink, Uniform(rng, 0, 5), 0);
  if (!per_request_bypass) {
    p.AddArc(source, sink, kInfiniteCapacity, bypass_cost);
  }
  return p;
}

TEST(ReferralFlowTest, MatchesLemon) {
  std::mt19937_64 rng(20240611);
  constexpr int kInstances = 1500;
  int bypassed = 0;
  for (int instance = 0; instance < kInstances; ++instance) {
    const FlowProblem p = ReferralProblem(rng, instance % 2 == 1);
    SCOPED_TRACE(
        absl::StrCat("referral instance ", instance, "\n", WriteDimacs(p)));
    const FlowSolution ours = SolveAndCheckTree(p, {}, true);
    const FlowSolution lemon = testing_lemon::SolveWithLemon(p);
    ASSERT_EQ(lemon.status, FlowStatus::kOptimal);
    ASSERT_EQ(ours.status, FlowStatus::kOptimal);
    EXPECT_EQ(ours.objective, lemon.objective);
    EXPECT_TRUE(Verify(p, ours).ok()) << Verify(p, ours);
    if (instance % 2 == 0 && ours.flow.back() > 0) ++bypassed;
  }
  // The shape exercises both full assignment and bypass.
  EXPECT_GT(bypassed, kInstances / 20);
  EXPECT_LT(bypassed, kInstances / 2);
}

}  // namespace
}  // namespace maillage::flow
