// One Network and one Ranker shared by many threads that rank, allocate and
// run sessions at the same time: every thread gets the answers a single
// thread gets. Run under ThreadSanitizer by scripts/sanitize.sh (preset
// tsan), where it must report no data race.

#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/rank.h"
#include "maillage/session.h"
#include "maillage/synth.h"

namespace maillage {
namespace {

TEST(ThreadsTest, SharedNetworkRanksAllocatesAndRunsSessions) {
  SynthOptions o;
  o.territories = {"lyon", "rouen"};
  absl::StatusOr<Network> net = Generate(o);
  ASSERT_TRUE(net.ok());
  absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
  ASSERT_TRUE(ranker.ok());
  absl::StatusOr<Plan> reference = Allocate(*ranker);
  ASSERT_TRUE(reference.ok());
  std::vector<size_t> top_sizes;
  for (int32_t n = 0; n < static_cast<int32_t>(net->needs().size()); ++n) {
    top_sizes.push_back(ranker->Rank(NeedId(n), 5).size());
  }

  constexpr int kThreads = 6;
  std::vector<int64_t> costs(kThreads, 0), session_costs(kThreads, 0),
      resolved(kThreads, -1);
  std::vector<int> rank_mismatches(kThreads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      // A copy of the handles: both share the same immutable data.
      const Ranker mine = *ranker;
      for (int32_t n = 0; n < static_cast<int32_t>(net->needs().size()); ++n) {
        rank_mismatches[t] += mine.Rank(NeedId(n), 5).size() != top_sizes[n];
      }
      AllocateOptions options;
      options.threads = 2;
      absl::StatusOr<Plan> plan = Allocate(mine, options);
      if (plan.ok()) costs[t] = static_cast<int64_t>(plan->objective.flow_cost);
      absl::StatusOr<AllocationSession> s = AllocationSession::Start(mine);
      if (!s.ok()) return;
      const int32_t services = static_cast<int32_t>(net->services().size());
      for (int k = 0; k < 20; ++k) {
        const ServiceId sv((t * 7 + k * 13) % services);
        (void)s->SetCapacity(sv, k % 3, net->service(sv).capacity_max + 3);
      }
      session_costs[t] = s->objective().flow_cost;
      absl::StatusOr<int64_t> full = s->FullResolveCost();
      if (full.ok()) resolved[t] = *full;
    });
  }
  for (std::thread& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(rank_mismatches[t], 0) << t;
    EXPECT_EQ(costs[t], reference->objective.flow_cost) << t;
    EXPECT_EQ(session_costs[t], resolved[t]) << t;
  }
}

}  // namespace
}  // namespace maillage
