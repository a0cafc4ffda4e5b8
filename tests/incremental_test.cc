// IncrementalFlow: after random sequences of changes, the re-optimised flow
// is optimal (certificate checked by flow::Verify) and its objective equals a
// full re-solve of the changed problem.

#include "flow/incremental.h"

#include <random>

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

class IncrementalTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(IncrementalTest, MatchesAFullResolveAfterEveryChange) {
  std::mt19937_64 rng(GetParam());
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
  for (int step = 0; step < 30; ++step) {
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
        inc.AddArc(v, sources + middle + pick(sinks), 1 + pick(3),
                   pick(21) - 10);
        break;
      }
    }
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

INSTANTIATE_TEST_SUITE_P(Seeds, IncrementalTest,
                         ::testing::Range<uint64_t>(1, 301));

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
