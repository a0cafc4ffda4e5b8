// Hand-drawn min-cost flow instances with known optima, edge cases of the
// solver's statuses, DIMACS reading/writing, validation, and Verify.
// Randomized comparisons with LEMON live in flow_lemon_test.cc.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "flow/flow_problem.h"
#include "flow/network_simplex.h"
#include "flow/verify.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace maillage::flow {
namespace {

// gmock matchers without gmock (the tests link gtest only).
testing::AssertionResult HasSubstr(const std::string& text,
                                   const std::string& part) {
  if (absl::StrContains(text, part)) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "'" << text << "' does not contain '" << part << "'";
}
testing::AssertionResult StartsWith(const std::string& text,
                                    const std::string& prefix) {
  if (absl::StartsWith(text, prefix)) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "'" << text << "' does not start with '" << prefix << "'";
}

constexpr int64_t kInf = kInfiniteCapacity;

// Solves a valid problem; an optimal solution must pass Verify.
FlowSolution Solve(const FlowProblem& p, const SolveOptions& options = {}) {
  absl::StatusOr<FlowSolution> s = SolveMinCostFlow(p, options);
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return {};
  if (s->status == FlowStatus::kOptimal) {
    EXPECT_TRUE(Verify(p, *s).ok()) << Verify(p, *s);
  }
  EXPECT_EQ(s->flow.size(), static_cast<size_t>(p.num_arcs()));
  EXPECT_EQ(s->potential.size(), static_cast<size_t>(p.num_nodes));
  return *s;
}

//  Transportation problem, infinite capacities, cost on each arc:
//
//          d1 (-10)   d2 (-25)   d3 (-15)
//  s1 (+20)    4          6          9
//  s2 (+30)    5          3          8
//
//  s1 is relatively cheapest for d1 (-1 vs s2) then d3 (+1), so s1 -> d1 10,
//  s1 -> d3 10, s2 -> d2 25, s2 -> d3 5: 40 + 90 + 75 + 40 = 245.
FlowProblem Transportation() {
  FlowProblem p;
  const int32_t s1 = p.AddNode(20), s2 = p.AddNode(30);
  const int32_t d1 = p.AddNode(-10), d2 = p.AddNode(-25), d3 = p.AddNode(-15);
  p.AddArc(s1, d1, kInf, 4);  // 0
  p.AddArc(s1, d2, kInf, 6);  // 1
  p.AddArc(s1, d3, kInf, 9);  // 2
  p.AddArc(s2, d1, kInf, 5);  // 3
  p.AddArc(s2, d2, kInf, 3);  // 4
  p.AddArc(s2, d3, kInf, 8);  // 5
  return p;
}

// One node per supply, then the arcs in order.
struct Arc {
  int32_t tail, head;
  int64_t capacity, cost;
};
FlowProblem Problem(const std::vector<int64_t>& supply,
                    const std::vector<Arc>& arcs) {
  FlowProblem p;
  for (const int64_t s : supply) p.AddNode(s);
  for (const Arc& a : arcs) p.AddArc(a.tail, a.head, a.capacity, a.cost);
  return p;
}

// A hand-drawn instance and the optimum worked out for it.
struct OptimumCase {
  std::string name;
  FlowProblem problem;
  int64_t objective;
  std::vector<int64_t> flow;  // per arc
};

void PrintTo(const OptimumCase& c, std::ostream* os) { *os << c.name; }

class OptimumTest : public testing::TestWithParam<OptimumCase> {};

TEST_P(OptimumTest, MatchesTheWorkedOutOptimum) {
  const OptimumCase& c = GetParam();
  SCOPED_TRACE(WriteDimacs(c.problem));
  const FlowSolution s = Solve(c.problem);
  ASSERT_EQ(s.status, FlowStatus::kOptimal);
  EXPECT_EQ(s.objective, c.objective);
  EXPECT_EQ(s.flow, c.flow);
}

INSTANTIATE_TEST_SUITE_P(
    HandDrawn, OptimumTest,
    testing::Values(
        OptimumCase{
            "Transportation", Transportation(), 245, {10, 0, 10, 0, 25, 5}},
        //  A circulation (all supplies 0) with a negative cycle of finite
        //  capacity:
        //
        //      a --(cap 5, cost 1)--> b --(cap 3, cost 1)--> c
        //      ^                                             |
        //      +-------------(cap 4, cost -5)----------------+
        //
        //  The cycle costs -3 per unit and carries 3 units: -9.
        OptimumCase{"CancelsNegativeCycleOfFiniteCapacity",
                    Problem(/*a, b, c*/ {0, 0, 0},
                            {{0, 1, 5, 1}, {1, 2, 3, 1}, {2, 0, 4, -5}}),
                    -9,
                    {3, 3, 3}},
        //  s (+1) --(inf, 2)--> t (-1),  t --(cap 2, -3)--> u --(cap 2, 1)--> t
        //  One unit s -> t (2) plus 2 units around the cycle t-u-t (2 * -2):
        //  -2.
        OptimumCase{"PathPlusNegativeCycle",
                    Problem(/*s, t, u*/ {1, -1, 0},
                            {{0, 1, kInf, 2}, {1, 2, 2, -3}, {2, 1, 2, 1}}),
                    -2,
                    {1, 2, 2}},
        //  s (+4) --(cap 0, cost 1)--> t (-4)
        //  s --(cap 10, 2)--> m --(cap 10, 3)--> t
        //  t --(cap 0, cost -100)--> s   (a negative cycle, but of zero
        //  capacity). All 4 units go through m: 4 * 5 = 20.
        OptimumCase{"ZeroCapacityArcsCarryNothing",
                    Problem(/*s, t, m*/ {4, -4, 0}, {{0, 1, 0, 1},
                                                     {0, 2, 10, 2},
                                                     {2, 1, 10, 3},
                                                     {1, 0, 0, -100}}),
                    20,
                    {0, 4, 4, 0}},
        //  s (+4) ==> t (-4) by three parallel arcs (cap, cost): (2, 1)
        //  (5, 3) (1, 2). Cheapest first: 2 * 1 + 1 * 2 + 1 * 3 = 7.
        OptimumCase{"ParallelArcs",
                    Problem(/*s, t*/ {4, -4},
                            {{0, 1, 2, 1}, {0, 1, 5, 3}, {0, 1, 1, 2}}),
                    7,
                    {2, 1, 1}},
        //  s (+7) --(inf, 2)--> a --(inf, 3)--> t (-7): 35.
        OptimumCase{
            "InfiniteCapacityPath",
            Problem(/*s, a, t*/ {7, 0, -7}, {{0, 1, kInf, 2}, {1, 2, kInf, 3}}),
            35,
            {7, 7}}),
    [](const testing::TestParamInfo<OptimumCase>& param_info) {
      return param_info.param.name;
    });

TEST(FlowTest, UnbalancedSuppliesAreInfeasible) {
  //  a (+5) --(inf, 1)--> b (-3)
  FlowProblem p;
  const int32_t a = p.AddNode(5), b = p.AddNode(-3);
  p.AddArc(a, b, kInf, 1);
  const FlowSolution s = Solve(p);
  EXPECT_EQ(s.status, FlowStatus::kInfeasible);
  EXPECT_EQ(s.objective, 0);
  EXPECT_EQ(s.flow, (std::vector<int64_t>{0}));
  // Too little supply is infeasible too: conservation is an equality.
  p.supply = {3, -5};
  EXPECT_EQ(Solve(p).status, FlowStatus::kInfeasible);
}

TEST(FlowTest, BalancedButDisconnectedIsInfeasible) {
  //  a (+2) --(inf, 1)--> c        b (-2)   (nothing reaches b)
  FlowProblem p;
  const int32_t a = p.AddNode(2), b = p.AddNode(-2), c = p.AddNode();
  p.AddArc(a, c, kInf, 1);
  p.AddArc(b, a, kInf, 1);  // wrong direction
  EXPECT_EQ(Solve(p).status, FlowStatus::kInfeasible);
}

TEST(FlowTest, InsufficientCapacityIsInfeasible) {
  //  a (+3) --(cap 2, 1)--> b (-3)
  FlowProblem p;
  p.AddNode(3);
  p.AddNode(-3);
  p.AddArc(0, 1, 2, 1);
  EXPECT_EQ(Solve(p).status, FlowStatus::kInfeasible);
}

//  s (+1) --(inf, 1)--> t (-1)      u --(inf, -1)--> v --(inf, 0)--> u
//  The cycle u-v-u costs -1 per unit with no capacity limit.
TEST(FlowTest, NegativeCycleOfInfiniteCapacityIsUnbounded) {
  FlowProblem p;
  const int32_t s = p.AddNode(1), t = p.AddNode(-1);
  const int32_t u = p.AddNode(), v = p.AddNode();
  p.AddArc(s, t, kInf, 1);
  p.AddArc(u, v, kInf, -1);
  p.AddArc(v, u, kInf, 0);
  const FlowSolution sol = Solve(p);
  EXPECT_EQ(sol.status, FlowStatus::kUnbounded);
  EXPECT_EQ(sol.objective, 0);
  // One finite arc on the cycle makes it bounded: 1 + 7 * -1 = -6.
  p.capacity[2] = 7;
  const FlowSolution bounded = Solve(p);
  ASSERT_EQ(bounded.status, FlowStatus::kOptimal);
  EXPECT_EQ(bounded.objective, -6);
}

TEST(FlowTest, InfeasibilityTakesPrecedenceOverUnboundedness) {
  //  a (+1)   b (-1)   (no arc between them)   a --(inf, -1)--> a
  FlowProblem p;
  const int32_t a = p.AddNode(1);
  p.AddNode(-1);
  p.AddArc(a, a, kInf, -1);
  EXPECT_EQ(Solve(p).status, FlowStatus::kInfeasible);
  // Same with a two-node negative cycle on the supply side.
  FlowProblem q;
  q.AddNode(2);
  q.AddNode(-2);
  q.AddNode();
  q.AddArc(0, 2, kInf, -3);
  q.AddArc(2, 0, kInf, 1);
  q.AddArc(1, 0, kInf, 1);  // wrong direction
  EXPECT_EQ(Solve(q).status, FlowStatus::kInfeasible);
}

//  Self-loops on a (+2) --(cap 5, 1)--> b (-2):
//    a --(inf, -3)--> a   unbounded
//    a --(cap 4, -3)--> a saturated: 2 * 1 + 4 * -3 = -10
//    b --(cap 4, +3)--> b unused
TEST(FlowTest, SelfLoops) {
  FlowProblem p;
  const int32_t a = p.AddNode(2), b = p.AddNode(-2);
  p.AddArc(a, b, 5, 1);
  p.AddArc(a, a, kInf, -3);
  p.AddArc(b, b, 4, 3);
  EXPECT_EQ(Solve(p).status, FlowStatus::kUnbounded);

  p.capacity[1] = 4;
  const FlowSolution s = Solve(p);
  ASSERT_EQ(s.status, FlowStatus::kOptimal);
  EXPECT_EQ(s.objective, -10);
  EXPECT_EQ(s.flow, (std::vector<int64_t>{2, 4, 0}));

  // A lone negative self-loop of infinite capacity, no supplies at all.
  FlowProblem lone;
  lone.AddNode();
  lone.AddArc(0, 0, kInf, -1);
  EXPECT_EQ(Solve(lone).status, FlowStatus::kUnbounded);
  lone.cost[0] = 0;
  EXPECT_EQ(Solve(lone).status, FlowStatus::kOptimal);
}

//  s (+3) --(inf, 2)--> t (-3)   i1, i2: isolated nodes with supply 0.
TEST(FlowTest, IsolatedNodes) {
  FlowProblem p;
  p.AddNode();
  const int32_t s = p.AddNode(3);
  p.AddNode();
  const int32_t t = p.AddNode(-3);
  p.AddArc(s, t, kInf, 2);
  const FlowSolution sol = Solve(p);
  ASSERT_EQ(sol.status, FlowStatus::kOptimal);
  EXPECT_EQ(sol.objective, 6);
  // Only isolated nodes, no arcs.
  FlowProblem q;
  q.AddNode();
  q.AddNode();
  EXPECT_EQ(Solve(q).status, FlowStatus::kOptimal);
  // An isolated node with a supply cannot send it.
  q.supply = {1, -1};
  EXPECT_EQ(Solve(q).status, FlowStatus::kInfeasible);
}

TEST(FlowTest, EmptyProblemIsOptimal) {
  const FlowSolution s = Solve(FlowProblem{});
  EXPECT_EQ(s.status, FlowStatus::kOptimal);
  EXPECT_EQ(s.objective, 0);
  EXPECT_TRUE(s.flow.empty());
  EXPECT_TRUE(s.potential.empty());
  EXPECT_EQ(s.pivots, 0);
}

TEST(FlowTest, PotentialConvention) {
  // rc = cost + pi[tail] - pi[head]: zero on the arcs strictly between their
  // bounds. s (+1) --(inf, 5)--> t (-1): pi[t] - pi[s] == 5.
  FlowProblem p;
  p.AddNode(1);
  p.AddNode(-1);
  p.AddArc(0, 1, kInf, 5);
  const FlowSolution s = Solve(p);
  ASSERT_EQ(s.status, FlowStatus::kOptimal);
  EXPECT_EQ(s.potential[1] - s.potential[0], 5);
}

TEST(FlowTest, BlockSizesGiveTheSameOptimum) {
  const FlowProblem p = Transportation();
  for (const int32_t block : {0, 1, 2, 6, 100}) {
    const FlowSolution s = Solve(p, {.block_size = block,
                                     .block_factor = 1.0,
                                     .lemon_arc_order = true,
                                     .first_arcs = {},
                                     .initial_arcs = {}});
    EXPECT_EQ(s.status, FlowStatus::kOptimal) << block;
    EXPECT_EQ(s.objective, 245) << block;
  }
}

// A generator's errors stop the solve: its own status, and arcs that are
// out of range, infinite or beyond the budget (InvalidArgument).
TEST(FlowTest, GeneratedArcErrors) {
  const FlowProblem p = Transportation();
  auto solve = [&](int64_t tail, int64_t capacity, int64_t cost) {
    SolveOptions options;
    options.budget = {.max_cost = 10, .capacity = 5, .cost_times_capacity = 50};
    // One arc, at the first call.
    options.generate = [=, calls = 0](absl::Span<const int128>,
                                      FlowProblem* more) mutable {
      if (calls++ == 0) {
        more->AddArc(static_cast<int32_t>(tail), 1, capacity, cost);
      }
      return absl::OkStatus();
    };
    return SolveMinCostFlow(p, options).status();
  };
  EXPECT_TRUE(solve(0, 5, 10).ok());
  EXPECT_EQ(solve(-1, 1, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(solve(p.num_nodes, 1, 1).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(solve(0, kInfiniteCapacity, 1).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(solve(0, -1, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(solve(0, 1, -11).message(),
              testing::HasSubstr("exceeds the budget"));
  EXPECT_THAT(solve(0, 6, 1).message(), testing::HasSubstr("budget"));
  SolveOptions failing;
  failing.budget.max_cost = 1;
  failing.generate = [](absl::Span<const int128>, FlowProblem*) {
    return absl::CancelledError("stop");
  };
  EXPECT_EQ(SolveMinCostFlow(p, failing).status(),
            absl::CancelledError("stop"));
  // A negative budget is invalid.
  SolveOptions negative;
  negative.budget.capacity = -1;
  EXPECT_EQ(SolveMinCostFlow(p, negative).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FlowTest, NetworkSimplexObject) {
  const FlowProblem p = Transportation();
  NetworkSimplex ns;
  ASSERT_TRUE(ns.Init(p).ok());
  EXPECT_EQ(ns.num_nodes(), 5);
  EXPECT_EQ(ns.num_arcs(), 6);
  EXPECT_EQ(ns.Solve(), FlowStatus::kOptimal);
  EXPECT_EQ(ns.status(), FlowStatus::kOptimal);
  EXPECT_EQ(ns.objective(), 245);
  EXPECT_GT(ns.pivots(), 0);
  EXPECT_EQ(ns.flow(4), 25);
  EXPECT_EQ(ns.potential(3) - ns.potential(1), 3);  // arc s2 -> d2 in tree
  EXPECT_TRUE(ns.CheckTree().ok()) << ns.CheckTree();
  const int64_t pivots = ns.pivots();
  // Solving again restarts from scratch and gives the same result.
  EXPECT_EQ(ns.Solve(), FlowStatus::kOptimal);
  EXPECT_EQ(ns.pivots(), pivots);
  EXPECT_TRUE(Verify(p, ns.Solution()).ok());

  FlowProblem bad = p;
  bad.head[0] = 9;
  EXPECT_EQ(ns.Init(bad).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ns.Init(p, {.block_size = -1,
                        .block_factor = 1.0,
                        .lemon_arc_order = true,
                        .first_arcs = {},
                        .initial_arcs = {}})
                .code(),
            absl::StatusCode::kInvalidArgument);
  // Unbalanced: no tree is built.
  FlowProblem unbalanced = p;
  unbalanced.supply[0] += 1;
  ASSERT_TRUE(ns.Init(unbalanced).ok());
  EXPECT_EQ(ns.Solve(), FlowStatus::kInfeasible);
  EXPECT_EQ(ns.CheckTree().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ns.flow(0), 0);
}

TEST(FlowTest, SolveRejectsInvalidProblems) {
  FlowProblem p = Transportation();
  p.capacity[2] = -1;
  const absl::StatusOr<FlowSolution> s = SolveMinCostFlow(p);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasSubstr(std::string(s.status().message()),
                        "arc 2 (0 -> 4): negative capacity -1"));
}

TEST(FlowTest, StatusNames) {
  EXPECT_EQ(FlowStatusName(FlowStatus::kOptimal), "optimal");
  EXPECT_EQ(FlowStatusName(FlowStatus::kInfeasible), "infeasible");
  EXPECT_EQ(FlowStatusName(FlowStatus::kUnbounded), "unbounded");
}

// --- ValidateProblem --------------------------------------------------------

std::string ValidationMessage(const FlowProblem& p) {
  const absl::Status s = ValidateProblem(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.message());
}

TEST(ValidateProblemTest, AcceptsValidProblems) {
  EXPECT_TRUE(ValidateProblem(FlowProblem{}).ok());
  EXPECT_TRUE(ValidateProblem(Transportation()).ok());
}

TEST(ValidateProblemTest, RejectsInconsistentShapes) {
  FlowProblem p = Transportation();
  p.num_nodes = -1;
  EXPECT_TRUE(HasSubstr(ValidationMessage(p), "num_nodes is negative"));
  p = Transportation();
  p.supply.pop_back();
  EXPECT_TRUE(HasSubstr(ValidationMessage(p), "supply has 4 entries"));
  p = Transportation();
  p.cost.pop_back();
  EXPECT_TRUE(HasSubstr(ValidationMessage(p), "arc vectors differ in size"));
  p = Transportation();
  p.tail[3] = -1;
  EXPECT_TRUE(HasSubstr(ValidationMessage(p),
                        "arc 3 (-1 -> 2): node id out of range [0, 5)"));
  p = Transportation();
  p.head[5] = 5;
  EXPECT_TRUE(HasSubstr(ValidationMessage(p), "arc 5 (1 -> 5)"));
}

TEST(ValidateProblemTest, BoundsCostsSuppliesAndObjective) {
  // 64-bit potentials: C * (n + 1) <= 2^60, with 3 nodes |cost| up to 2^58.
  // Beyond, the problem stays valid (128-bit potentials) up to 2^120.
  FlowProblem p;
  p.AddNode(1);
  p.AddNode(-1);
  p.AddNode();
  p.AddArc(0, 1, 1, -(int64_t{1} << 58));
  EXPECT_TRUE(ValidateProblem(p).ok());
  EXPECT_TRUE(FitsNarrowCosts(p));
  p.cost[0] = (int64_t{1} << 58) + 1;
  EXPECT_TRUE(ValidateProblem(p).ok());
  EXPECT_FALSE(FitsNarrowCosts(p));
  p.cost[0] = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(ValidateProblem(p).ok());
  p.cost[0] = std::numeric_limits<int64_t>::min();
  EXPECT_TRUE(HasSubstr(ValidationMessage(p), "arc 0 (0 -> 1): cost -2^63"));

  // Supply + finite capacities <= 2^62.
  FlowProblem q;
  q.AddNode(int64_t{1} << 61);
  q.AddNode(-(int64_t{1} << 61));
  q.AddArc(0, 1, int64_t{1} << 61, 0);
  EXPECT_TRUE(ValidateProblem(q).ok());
  q.capacity[0] = (int64_t{1} << 61) + 1;
  EXPECT_TRUE(HasSubstr(ValidationMessage(q), "exceeds 2^62"));

  // Objective bound C * (U + K * F): 2^62 for 64-bit potentials, 2^120 in
  // all.
  FlowProblem r;
  r.AddNode(1000);
  r.AddNode(-1000);
  r.AddArc(0, 1, kInf, int64_t{1} << 52);  // 2^52 * 1000 < 2^62
  EXPECT_TRUE(FitsNarrowCosts(r));
  r.supply = {1 << 10, -(1 << 10)};  // 2^52 * 2^10 == 2^62: still fits
  EXPECT_TRUE(FitsNarrowCosts(r));
  r.supply = {(1 << 10) + 1, -(1 << 10) - 1};
  EXPECT_FALSE(FitsNarrowCosts(r));
  EXPECT_TRUE(ValidateProblem(r).ok());
  r.cost[0] = int64_t{1} << 62;
  r.supply = {int64_t{1} << 58, -(int64_t{1} << 58)};  // 2^120: fits
  EXPECT_TRUE(ValidateProblem(r).ok());
  r.supply = {(int64_t{1} << 58) + 1, -(int64_t{1} << 58) - 1};
  EXPECT_TRUE(HasSubstr(ValidationMessage(r), "objective may overflow"));
  // Sums that would overflow 128 bits saturate instead.
  FlowProblem big;
  big.AddNode(int64_t{1} << 61);
  big.AddNode(-(int64_t{1} << 61));
  for (int i = 0; i < 64; ++i) {
    big.AddArc(0, 1, kInf, std::numeric_limits<int64_t>::max());
  }
  EXPECT_TRUE(HasSubstr(ValidationMessage(big), "objective may overflow"));
  // Infinite capacities themselves are fine.
  r.supply = {1, -1};
  r.AddArc(1, 0, kInf, 0);
  EXPECT_TRUE(ValidateProblem(r).ok());
}

// --- DIMACS -----------------------------------------------------------------

FlowProblem Mixed() {
  //  0 (+3) --(inf, -2)--> 1 --(4, 5)--> 2 (-3),  1 --(0, 1)--> 1,
  //  0 --(2, 0)--> 2 twice (parallel), 3 isolated.
  FlowProblem p;
  p.AddNode(3);
  p.AddNode();
  p.AddNode(-3);
  p.AddNode();
  p.AddArc(0, 1, kInf, -2);
  p.AddArc(1, 2, 4, 5);
  p.AddArc(1, 1, 0, 1);
  p.AddArc(0, 2, 2, 0);
  p.AddArc(0, 2, 2, 0);
  return p;
}

TEST(DimacsTest, WritesTheFormat) {
  EXPECT_EQ(WriteDimacs(Mixed(), "mixed\nsecond line"),
            "c mixed\n"
            "c second line\n"
            "c capacity 9223372036854775807 means infinite\n"
            "p min 4 5\n"
            "n 1 3\n"
            "n 3 -3\n"
            "a 1 2 0 9223372036854775807 -2\n"
            "a 2 3 0 4 5\n"
            "a 2 2 0 0 1\n"
            "a 1 3 0 2 0\n"
            "a 1 3 0 2 0\n");
  EXPECT_EQ(WriteDimacs(FlowProblem{}), "p min 0 0\n");
}

TEST(DimacsTest, RoundTrip) {
  for (const FlowProblem& p : {Mixed(), Transportation(), FlowProblem{}}) {
    const absl::StatusOr<FlowProblem> back = ReadDimacs(WriteDimacs(p, "x"));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(*back == p) << WriteDimacs(*back);
  }
}

TEST(DimacsTest, ReadsCommentsBlankLinesTabsAndCrlf) {
  const absl::StatusOr<FlowProblem> p = ReadDimacs(
      "c a comment\r\n\r\n  p\tmin 3 2\r\nc another\r\nn 3 -4\r\n"
      "n 1 4\r\na 1 2 0 10 3\r\n\ta  2 3 0 9223372036854775807 -1\r\n");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->num_nodes, 3);
  EXPECT_EQ(p->supply, (std::vector<int64_t>{4, 0, -4}));
  EXPECT_EQ(p->tail, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(p->head, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(p->capacity, (std::vector<int64_t>{10, kInf}));
  EXPECT_EQ(p->cost, (std::vector<int64_t>{3, -1}));
  const FlowSolution s = Solve(*p);
  ASSERT_EQ(s.status, FlowStatus::kOptimal);
  EXPECT_EQ(s.objective, 4 * 3 - 4);
}

struct ParseErrorCase {
  std::string text;
  std::string message;  // the whole "LINE: reason" message, or its start
};

TEST(DimacsTest, ParseErrorsNameTheLine) {
  const std::vector<ParseErrorCase> cases = {
      {"", "1: missing problem line 'p min NODES ARCS'"},
      {"c only\n\nc comments\n", "3: missing problem line"},
      {"x 1\n", "1: unknown line type 'x' (expected c, p, n or a)"},
      {"a 1 2 0 4 5\n", "1: 'a' line before the problem line"},
      {"c\nn 1 2\n", "2: 'n' line before the problem line"},
      {"p max 2 1\n", "1: unsupported problem type 'max' (only 'min')"},
      {"p min 2\n", "1: expected 'p min NODES ARCS'"},
      {"p min 2 x\n", "1: expected an integer for the arc count, got 'x'"},
      {"p min -1 0\n", "1: node and arc counts must be >= 0"},
      {"p min 2 0\np min 2 0\n", "2: second problem line"},
      {"p min 2 1\nn 1 x\n", "2: expected an integer for the supply, got 'x'"},
      {"p min 2 1\nn 3 1\n", "2: node id 3 out of range [1, 2]"},
      {"p min 2 1\nn 1 3\nn 1 4\n", "3: node 1 described twice"},
      {"p min 2 1\nn 1\n", "2: expected 'n ID FLOW'"},
      {"p min 2 1\na 1 3 0 4 5\n", "2: arc head 3 out of range [1, 2]"},
      {"p min 2 1\na 0 1 0 4 5\n", "2: arc tail 0 out of range [1, 2]"},
      {"c x\np min 2 1\na 1 2 1 4 5\n", "3: lower bounds are not supported"},
      {"p min 2 1\na 1 2 0 -4 5\n", "2: negative capacity -4"},
      {"p min 2 1\na 1 2 0 99999999999999999999 5\n",
       "2: expected an integer for the capacity, got '99999999999999999999'"},
      {"p min 2 1\n\nc\na 1 2 0 4\n", "4: expected 'a SRC DST LOW CAP COST'"},
      {"p min 2 0\na 1 2 0 4 5\n", "2: more arc lines than the 0 declared"},
      {"p min 2 2\na 1 2 0 4 5\n\n", "2: expected 2 arc lines, found 1"},
      {"p min 2 1\na 1 2 0 4 -9223372036854775808\n",
       "2: arc 0 (0 -> 1): cost -2^63"},
  };
  for (const ParseErrorCase& c : cases) {
    const absl::StatusOr<FlowProblem> p = ReadDimacs(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(StartsWith(std::string(p.status().message()), c.message))
        << c.text;
  }
}

TEST(DimacsTest, ReadsFiles) {
  const std::string path =
      testing::TempDir() + "/flow_test_transportation.dimacs";
  {
    std::ofstream out(path, std::ios::binary);
    out << WriteDimacs(Transportation(), "transportation");
  }
  const absl::StatusOr<FlowProblem> p = ReadDimacsFile(path);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(*p == Transportation());
  {
    std::ofstream out(path, std::ios::binary);
    out << "p min 1 0\nn 2 1\n";
  }
  const absl::StatusOr<FlowProblem> bad = ReadDimacsFile(path);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasSubstr(std::string(bad.status().message()),
                        "flow_test_transportation.dimacs:2: node id 2"));
  std::remove(path.c_str());
  EXPECT_EQ(ReadDimacsFile(path).status().code(), absl::StatusCode::kNotFound);
}

// --- Verify -----------------------------------------------------------------

std::string VerifyMessage(const FlowProblem& p, const FlowSolution& s) {
  const absl::Status st = Verify(p, s);
  EXPECT_FALSE(st.ok());
  return std::string(st.message());
}

TEST(VerifyTest, AcceptsTheOptimum) {
  const FlowProblem p = Transportation();
  EXPECT_TRUE(Verify(p, Solve(p)).ok());
}

TEST(VerifyTest, RejectsTamperedFlows) {
  const FlowProblem p = Transportation();
  const FlowSolution good = Solve(p);
  FlowSolution s = good;
  s.flow[0] += 1;  // s1 -> d1
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s),
                        "node 0: conservation violated, out - in = 21 but "
                        "supply = 20"));
  s = good;
  s.flow[1] = -1;
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s), "arc 1 (0 -> 3): negative flow"));
  // Feasible but not optimal: move 5 units of s1 from d3 to d2 and of s2 from
  // d2 to d3 (objective kept consistent): the potentials no longer certify it.
  s = good;
  s.flow = {10, 5, 5, 0, 20, 10};
  s.objective = 40 + 30 + 45 + 60 + 80;
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s), "not optimal"));
}

TEST(VerifyTest, RejectsFlowAboveCapacity) {
  FlowProblem p;
  p.AddNode(3);
  p.AddNode(-3);
  p.AddArc(0, 1, 2, 1);
  p.AddArc(0, 1, 5, 2);
  FlowSolution s = Solve(p);
  ASSERT_EQ(s.status, FlowStatus::kOptimal);
  s.flow = {3, 0};
  s.objective = 3;
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s),
                        "arc 0 (0 -> 1): flow 3 exceeds capacity 2"));
}

TEST(VerifyTest, RejectsTamperedPotentials) {
  const FlowProblem p = Transportation();
  FlowSolution s = Solve(p);
  s.potential[1] += 100;  // s2: its arcs with flow get rc = cost + 100 > 0
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s), "not optimal, reduced cost"));
  s = Solve(p);
  s.potential[4] += 100;  // d3: arcs into d3 get rc < 0 with room left
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s), "< 0 but flow"));
  s = Solve(p);
  s.potential.pop_back();
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s), "potential has 4 entries"));
}

TEST(VerifyTest, RejectsTamperedObjective) {
  const FlowProblem p = Transportation();
  FlowSolution s = Solve(p);
  s.objective += 1;
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s),
                        "objective 246 differs from sum cost * flow = 245"));
}

TEST(VerifyTest, RejectsWrongSizesAndStatuses) {
  const FlowProblem p = Transportation();
  FlowSolution s = Solve(p);
  s.flow.push_back(0);
  EXPECT_TRUE(HasSubstr(VerifyMessage(p, s), "flow has 7 entries for 6 arcs"));
  s = Solve(p);
  s.status = FlowStatus::kInfeasible;
  EXPECT_EQ(Verify(p, s).code(), absl::StatusCode::kFailedPrecondition);
  FlowProblem bad = p;
  bad.tail[0] = 7;
  EXPECT_TRUE(HasSubstr(VerifyMessage(bad, Solve(p)), "invalid problem"));
}

TEST(FlowTest, CheapestOutArcsFirstKeepsTheKCheapestOfTheGivenTails) {
  FlowProblem p;
  const int32_t a = p.AddNode(2), b = p.AddNode(), c = p.AddNode(-2);
  const int32_t a1 = p.AddArc(a, b, 1, 5);
  const int32_t a2 = p.AddArc(a, c, 1, -1);
  const int32_t a3 = p.AddArc(a, c, 1, 3);
  const int32_t a4 = p.AddArc(a, b, 1, -1);  // ties with a2: arc order
  const int32_t b1 = p.AddArc(b, c, 2, 9);
  const int32_t b2 = p.AddArc(b, c, 2, 0);
  const int32_t b3 = p.AddArc(b, c, 2, 1);
  // Only node a is limited: its two cheapest out-arcs.
  std::vector<uint8_t> first = CheapestOutArcsFirst(p, a, a + 1, 2);
  ASSERT_EQ(first.size(), 7u);
  EXPECT_EQ(first[a1], 0);
  EXPECT_EQ(first[a2], 1);
  EXPECT_EQ(first[a3], 0);
  EXPECT_EQ(first[a4], 1);
  EXPECT_EQ(first[b1] + first[b2] + first[b3], 3);
  // Nodes a and b, one each.
  first = CheapestOutArcsFirst(p, a, b + 1, 1);
  EXPECT_EQ(first[a2] + first[a4] + first[a1] + first[a3], 1);
  EXPECT_EQ(first[a2], 1);
  EXPECT_EQ(first[b2], 1);
  EXPECT_EQ(first[b1] + first[b3], 0);
  // Nothing to limit: empty.
  EXPECT_TRUE(CheapestOutArcsFirst(p, a, c + 1, 4).empty());
  EXPECT_TRUE(CheapestOutArcsFirst(p, a, c + 1, 0).empty());
  // Solving with the flags gives the optimum of the whole problem.
  SolveOptions o;
  o.first_arcs = CheapestOutArcsFirst(p, a, b + 1, 1);
  const FlowSolution full = Solve(p, {});
  const FlowSolution sub = Solve(p, o);
  EXPECT_EQ(sub.objective, full.objective);
}

// source 0 -> persons 1, 2 -> needs 3, 4 -> services 5, 6 -> sink 7.
TEST(FlowTest, CheapestPathArcsFollowEachNodesCheapestArcs) {
  FlowProblem p;
  for (int i = 0; i < 8; ++i) p.AddNode();
  p.supply[0] = 2;
  p.supply[7] = -2;
  const int32_t bonus1 = p.AddArc(0, 1, 1, -100);
  p.AddArc(0, 1, 1, 0);  // the person's other units
  const int32_t bonus2 = p.AddArc(0, 2, 1, -100);
  const int32_t need3 = p.AddArc(1, 3, 1, -50);
  const int32_t need4 = p.AddArc(2, 4, 1, -50);
  p.AddArc(3, 5, 1, -1);
  const int32_t best3 = p.AddArc(3, 6, 1, -3);
  const int32_t best4 = p.AddArc(4, 5, 1, -2);
  const int32_t places5 = p.AddArc(5, 7, 1, 0);
  const int32_t places6 = p.AddArc(6, 7, 1, 0);
  p.AddArc(0, 7, 2, 0);  // bypass
  EXPECT_THAT(CheapestPathArcs(p, 0, 7, 3, 5),
              ::testing::ElementsAre(bonus1, need3, best3, places6, bonus2,
                                     need4, best4, places5));
  // A node range without in- or out-arcs gives nothing.
  EXPECT_TRUE(CheapestPathArcs(p, 0, 7, 7, 8).empty());
  EXPECT_TRUE(CheapestPathArcs(p, 0, 7, 3, 3).empty());
  // Pivoting on them first reaches the same optimum.
  SolveOptions o;
  o.initial_arcs = CheapestPathArcs(p, 0, 7, 3, 5);
  EXPECT_EQ(Solve(p, o).objective, Solve(p).objective);
  o.initial_arcs = {99};
  NetworkSimplex ns;
  EXPECT_EQ(ns.Init(p, o).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace maillage::flow
