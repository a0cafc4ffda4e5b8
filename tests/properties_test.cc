// Properties of the allocation that hold for any network, checked on seeded
// random networks and on generated territories:
//   - more places never make the plan lexicographically worse;
//   - permuting the rows of every input table never changes the objective;
//   - removing a service no assignment uses never changes the levels;
//   - the plan verifies, whatever the number of threads, and is the same.
// (The session's certificate after every event: session_test.)

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/edit.h"
#include "maillage/synth.h"
#include "random_network.h"

namespace maillage {
namespace {

// The four levels, compared lexicographically.
using Levels = std::tuple<int64_t, int64_t, int64_t, int64_t>;

Levels LevelsOf(const Plan& p) {
  return {p.objective.people_covered, p.objective.needs_covered,
          p.objective.urgency_level, p.objective.total_score_scaled};
}

absl::StatusOr<Plan> PlanOf(const Network& net, int32_t threads = 0) {
  absl::StatusOr<Ranker> ranker = Ranker::Create(net);
  if (!ranker.ok()) return ranker.status();
  AllocateOptions options;
  options.threads = threads;
  absl::StatusOr<Plan> plan = Allocate(*ranker, options);
  if (plan.ok()) {
    if (absl::Status s = VerifyPlan(*ranker, *plan, options); !s.ok()) {
      return s;
    }
  }
  return plan;
}

// Random networks, then three generated territories.
Network Case(int i) {
  if (i < 60) return testing_networks::RandomNetwork(1000 + i);
  SynthOptions o;
  o.territories = {std::vector<std::string>{"rouen", "charente",
                                            "nantes"}[static_cast<size_t>(i -
                                                                          60)]};
  o.seed = static_cast<uint64_t>(i);
  return *Generate(o);
}
constexpr int kCases = 63;

class PropertiesTest : public ::testing::TestWithParam<int> {};

TEST_P(PropertiesTest, MorePlacesNeverMakeThePlanWorse) {
  const Network net = Case(GetParam());
  absl::StatusOr<Plan> before = PlanOf(net);
  ASSERT_TRUE(before.ok()) << before.status();
  std::mt19937_64 rng(static_cast<uint64_t>(GetParam()));
  NetworkEdit edit;
  for (const Service& s : net.services()) {
    if (rng() % 3 == 0) edit.SetPlaces(s.id, s.capacity_available + 1 +
                                                 static_cast<int64_t>(rng() % 3));
  }
  absl::StatusOr<Network> more = edit.Apply(net);
  ASSERT_TRUE(more.ok()) << more.status();
  absl::StatusOr<Plan> after = PlanOf(*more);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_GE(LevelsOf(*after), LevelsOf(*before));
}

TEST_P(PropertiesTest, PermutedRowsGiveTheSameObjective) {
  const Network net = Case(GetParam());
  absl::StatusOr<Plan> plan = PlanOf(net);
  ASSERT_TRUE(plan.ok()) << plan.status();
  NetworkRows rows = RowsOf(net);
  std::mt19937_64 rng(static_cast<uint64_t>(GetParam()) + 7);
  ForEachTable(rows, [&](Table, auto& table) {
    std::shuffle(table.begin(), table.end(), rng);
  });
  absl::StatusOr<Network> shuffled = BuildNetwork(std::move(rows));
  ASSERT_TRUE(shuffled.ok()) << shuffled.status();
  absl::StatusOr<Plan> again = PlanOf(*shuffled);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->objective.flow_cost, plan->objective.flow_cost);
  EXPECT_EQ(LevelsOf(*again), LevelsOf(*plan));
}

TEST_P(PropertiesTest, RemovingAnUnusedServiceKeepsTheLevels) {
  const Network net = Case(GetParam());
  absl::StatusOr<Plan> plan = PlanOf(net);
  ASSERT_TRUE(plan.ok()) << plan.status();
  std::vector<char> used(net.services().size(), 0);
  for (const Assignment& a : plan->assignments) {
    used[static_cast<size_t>(a.service.value())] = 1;
  }
  std::vector<std::string> unused;
  for (size_t s = 0; s < used.size(); ++s) {
    if (!used[s]) unused.push_back(net.services()[s].id);
  }
  if (unused.empty()) GTEST_SKIP() << "every service is used";
  std::mt19937_64 rng(static_cast<uint64_t>(GetParam()) + 13);
  const std::vector<std::string> removed = {unused[rng() % unused.size()]};
  absl::StatusOr<Network> fewer = Without(net, {}, removed);
  ASSERT_TRUE(fewer.ok()) << fewer.status();
  absl::StatusOr<Plan> after = PlanOf(*fewer);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(LevelsOf(*after), LevelsOf(*plan)) << removed[0];
}

TEST_P(PropertiesTest, TheSamePlanForOneOrManyThreads) {
  const Network net = Case(GetParam());
  absl::StatusOr<Plan> one = PlanOf(net, 1);
  absl::StatusOr<Plan> many = PlanOf(net, 5);
  ASSERT_TRUE(one.ok() && many.ok());
  EXPECT_EQ(one->objective.flow_cost, many->objective.flow_cost);
  ASSERT_EQ(one->assignments.size(), many->assignments.size());
  for (size_t i = 0; i < one->assignments.size(); ++i) {
    EXPECT_EQ(one->assignments[i].service, many->assignments[i].service);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, PropertiesTest, ::testing::Range(0, kCases));

}  // namespace
}  // namespace maillage
