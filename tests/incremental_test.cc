// IncrementalFlow: after random sequences of changes, the re-optimised flow
// is optimal (certificate checked by flow::Verify) and its objective equals a
// full re-solve of the changed problem.

#include "flow/incremental.h"

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

#include "flow/network_simplex.h"
#include "flow/verify.h"
#include "gtest/gtest.h"

namespace maillage::flow {
namespace {

// Sources -> middle nodes -> sinks with random arcs, plus an expensive
// bypass from every source to every sink so that any balanced change stays
// feasible.
FlowProblem RandomProblem(std::mt19937_64& rng, int sources, int middle,
                          int sinks) {
  auto pick = [&](int n) {
    return static_cast<int32_t>(rng() % static_cast<uint64_t>(n));
  };
  FlowProblem p;
  for (int i = 0; i < sources + middle + sinks; ++i) p.AddNode();
  int64_t total = 0;
  for (int i = 0; i < sources; ++i) {
    const int64_t s = 1 + pick(5);
    p.supply[static_cast<size_t>(i)] = s;
    total += s;
  }
  for (int64_t left = total; left > 0; --left) {
    --p.supply[static_cast<size_t>(sources + middle + pick(sinks))];
  }
  for (int k = 0; k < 4 * (sources + middle + sinks); ++k) {
    const int32_t a = pick(sources + middle),
                  b = sources + pick(middle + sinks);
    if (a != b) p.AddArc(a, b, pick(4), pick(41) - 30);
  }
  for (int i = 0; i < sources; ++i) {
    for (int j = 0; j < sinks; ++j)
      p.AddArc(i, sources + middle + j, total, 50);
  }
  return p;
}

// One random change of the problem (keeps supplies balanced).
void RandomChange(std::mt19937_64& rng, int sources, int middle, int sinks,
                  IncrementalFlow& inc) {
  auto pick = [&](int n) {
    return static_cast<int32_t>(rng() % static_cast<uint64_t>(n));
  };
  switch (pick(4)) {
    case 0:  // capacity change
      inc.SetCapacity(pick(inc.problem().num_arcs()), pick(5));
      break;
    case 1: {  // new arc between existing nodes
      const int32_t a = pick(sources + middle);
      const int32_t b = sources + pick(middle + sinks);
      if (a != b) inc.AddArc(a, b, 1 + pick(3), pick(41) - 30);
      break;
    }
    case 2: {  // one more unit from a source to a sink
      const int32_t s = pick(sources);
      const int32_t t = sources + middle + pick(sinks);
      inc.AddSupply(s, 1);
      inc.AddSupply(t, -1);
      for (int32_t a = 0; a < inc.problem().num_arcs(); ++a) {
        if (inc.problem().tail[a] == s && inc.problem().head[a] == t &&
            inc.problem().cost[a] == 50) {
          inc.SetCapacity(a, inc.problem().capacity[a] + 1);
        }
      }
      break;
    }
    case 3: {  // a new middle node with arcs
      const int32_t v = inc.AddNode();
      inc.AddArc(pick(sources), v, 1 + pick(3), pick(21) - 10);
      inc.AddArc(v, sources + middle + pick(sinks), 1 + pick(3), pick(21) - 10);
      break;
    }
  }
}

// (seed, search from deficits)
class IncrementalTest
    : public ::testing::TestWithParam<std::tuple<uint64_t, bool>> {};

TEST_P(IncrementalTest, MatchesAFullResolveAfterEveryChange) {
  std::mt19937_64 rng(std::get<0>(GetParam()));
  auto pick = [&](int n) {
    return static_cast<int32_t>(rng() % static_cast<uint64_t>(n));
  };
  const int sources = 2 + pick(3), middle = 3 + pick(10), sinks = 2 + pick(3);
  FlowProblem p = RandomProblem(rng, sources, middle, sinks);
  absl::StatusOr<FlowSolution> first = SolveMinCostFlow(p);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->status, FlowStatus::kOptimal);
  IncrementalFlow inc;
  ASSERT_TRUE(inc.Init(p, *first).ok());
  inc.set_search_from_deficits(std::get<1>(GetParam()));
  for (int step = 0; step < 30; ++step) {
    RandomChange(rng, sources, middle, sinks, inc);
    ASSERT_TRUE(inc.Reoptimize().ok());
    const FlowSolution mine = inc.Solution();
    ASSERT_TRUE(Verify(inc.problem(), mine).ok())
        << "step " << step << ": " << Verify(inc.problem(), mine);
    absl::StatusOr<FlowSolution> full = SolveMinCostFlow(inc.problem());
    ASSERT_TRUE(full.ok());
    ASSERT_EQ(full->status, FlowStatus::kOptimal);
    EXPECT_EQ(mine.objective, full->objective) << "step " << step;
  }
}

// Trials: changes made after a mark are undone exactly by RollbackTo, nested
// marks included, and the state is optimal again without any search.
TEST_P(IncrementalTest, RollbackRestoresTheStateOfTheMark) {
  std::mt19937_64 rng(std::get<0>(GetParam()) + 1000);
  auto pick = [&](int n) {
    return static_cast<int32_t>(rng() % static_cast<uint64_t>(n));
  };
  const int sources = 2 + pick(3), middle = 3 + pick(10), sinks = 2 + pick(3);
  FlowProblem p = RandomProblem(rng, sources, middle, sinks);
  absl::StatusOr<FlowSolution> first = SolveMinCostFlow(p);
  ASSERT_TRUE(first.ok());
  IncrementalFlow inc;
  ASSERT_TRUE(inc.Init(p, *first).ok());
  inc.set_search_from_deficits(std::get<1>(GetParam()));
  const size_t outer = inc.Mark();
  for (int step = 0; step < 10; ++step) {
    // Kept changes (journaled under the outer mark)...
    RandomChange(rng, sources, middle, sinks, inc);
    ASSERT_TRUE(inc.Reoptimize().ok());
    const FlowSolution kept = inc.Solution();
    const std::vector<int64_t> capacity = inc.problem().capacity;
    const std::vector<int64_t> supply = inc.problem().supply;
    // ...then a probe of 1 to 3 changes, undone.
    const size_t mark = inc.Mark();
    for (int k = 1 + pick(3); k > 0; --k) {
      RandomChange(rng, sources, middle, sinks, inc);
    }
    ASSERT_TRUE(inc.Reoptimize().ok());
    inc.RollbackTo(mark);
    const FlowSolution back = inc.Solution();
    EXPECT_EQ(back.objective, kept.objective) << "step " << step;
    // Nodes added by the probe stay too (isolated but for closed arcs).
    ASSERT_GE(back.potential.size(), kept.potential.size());
    EXPECT_TRUE(std::equal(kept.potential.begin(), kept.potential.end(),
                           back.potential.begin()))
        << "step " << step;
    // Arcs added by the probe are gone.
    ASSERT_EQ(back.flow.size(), kept.flow.size());
    ASSERT_EQ(inc.problem().num_arcs(), static_cast<int32_t>(kept.flow.size()));
    EXPECT_EQ(back.flow, kept.flow) << "step " << step;
    EXPECT_EQ(inc.problem().capacity, capacity) << "step " << step;
    for (size_t v = 0; v < supply.size(); ++v) {
      EXPECT_EQ(inc.problem().supply[v], supply[v]) << "node " << v;
    }
    ASSERT_TRUE(Verify(inc.problem(), back).ok())
        << "step " << step << ": " << Verify(inc.problem(), back);
    ASSERT_TRUE(inc.Reoptimize().ok());  // nothing left to do
    EXPECT_EQ(inc.objective(), kept.objective);
  }
  // Back to the start.
  inc.RollbackTo(outer);
  inc.EndTrials();
  EXPECT_FALSE(inc.in_trial());
  EXPECT_EQ(inc.objective(), first->objective);
  EXPECT_EQ(inc.flows(), first->flow);
  EXPECT_EQ(inc.problem().num_arcs(), p.num_arcs());
  ASSERT_TRUE(Verify(inc.problem(), inc.Solution()).ok());
}

INSTANTIATE_TEST_SUITE_P(Seeds, IncrementalTest,
                         ::testing::Combine(::testing::Range<uint64_t>(1, 201),
                                            ::testing::Bool()));

TEST(IncrementalFlowTest, RejectsANonOptimalStart) {
  FlowProblem p;
  p.AddNode(1);
  p.AddNode(-1);
  p.AddArc(0, 1, 1, 1);
  FlowSolution s;
  s.status = FlowStatus::kInfeasible;
  IncrementalFlow inc;
  EXPECT_FALSE(inc.Init(p, s).ok());
}

TEST(IncrementalFlowTest, ReportsAnInfeasibleChange) {
  //  0 --(cap 1)--> 1, supply 1 / -1; the arc is closed: no path left.
  FlowProblem p;
  p.AddNode(1);
  p.AddNode(-1);
  p.AddArc(0, 1, 1, 1);
  absl::StatusOr<FlowSolution> s = SolveMinCostFlow(p);
  ASSERT_TRUE(s.ok());
  IncrementalFlow inc;
  ASSERT_TRUE(inc.Init(p, *s).ok());
  inc.SetCapacity(0, 0);
  EXPECT_EQ(inc.Reoptimize().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace maillage::flow
