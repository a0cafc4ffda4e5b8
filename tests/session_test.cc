// AllocationSession: random sequences of events on random and generated
// networks; after each event the session's cost equals a full re-solve of
// its problem, accepted referrals never move, and ids are checked.

#include "maillage/session.h"

#include <algorithm>
#include <iostream>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "generated_ranker.h"
#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/synth.h"
#include "random_network.h"

namespace maillage {
namespace {

void RunEvents(const Network& net, uint64_t seed, int steps,
               const AllocateOptions& options = {}) {
  absl::StatusOr<Ranker> ranker = Ranker::Create(net);
  ASSERT_TRUE(ranker.ok());
  absl::StatusOr<AllocationSession> session =
      AllocationSession::Start(*ranker, options);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<Plan> plan = Allocate(*ranker);
  ASSERT_TRUE(plan.ok());
  // The session starts from the same optimum as Allocate (levels).
  const SessionObjective start = session->objective();
  EXPECT_EQ(start.people_covered, plan->objective.people_covered);
  EXPECT_EQ(start.needs_covered, plan->objective.needs_covered);
  EXPECT_EQ(start.urgency_level, plan->objective.urgency_level);

  std::mt19937_64 rng(seed);
  auto pick = [&](int n) {
    return static_cast<int32_t>(rng() % static_cast<uint64_t>(std::max(n, 1)));
  };
  std::vector<std::pair<NeedId, ServiceId>> accepted;
  const int num_services = static_cast<int>(net.services().size());
  for (int step = 0; step < steps; ++step) {
    const int kind = pick(13);
    absl::Status st = absl::OkStatus();
    if (kind == 0 && !net.sites().empty()) {  // arrival
      PersonRow p;
      p.id = absl::StrCat("new-", step);
      p.site_id = net.sites()[static_cast<size_t>(
                                  pick(static_cast<int>(net.sites().size())))]
                      .id;
      p.lat = 45.5 + 0.5 * (static_cast<double>(pick(1000)) / 1000.0);
      p.lng = 4.6 + 0.6 * (static_cast<double>(pick(1000)) / 1000.0);
      p.publics = {"tous-publics"};
      // Distinct themes: two needs of one theme are refused, as the loader
      // refuses them.
      std::vector<NeedRow> needs;
      for (int k = 0, n = 1 + pick(3); k < n; ++k) {
        const std::string theme(
            ThemeCode(static_cast<ThemeId>(pick(NumThemes()))));
        if (std::none_of(needs.begin(), needs.end(), [&](const NeedRow& r) {
              return r.thematique == theme;
            })) {
          needs.push_back({"", theme, 1 + pick(3)});
        }
      }
      st = session->AddPerson(p, needs).status();
    } else if (kind == 1) {  // departure
      st = session->RemovePerson(PersonId(pick(session->num_people())));
    } else if (kind == 2) {  // need added
      NeedRow need;
      need.thematique =
          std::string(ThemeCode(static_cast<ThemeId>(pick(NumThemes()))));
      need.urgency = 1 + pick(3);
      st = session->AddNeed(PersonId(pick(session->num_people())), need)
               .status();
    } else if (kind == 3) {  // need closed
      st = session->CloseNeed(NeedId(pick(session->num_needs())));
    } else if (kind == 4 && num_services > 0) {  // capacity changed
      const ServiceId sv(pick(num_services));
      const int32_t places = pick(4);
      st = session->SetCapacity(sv, places,
                                std::max(places, net.service(sv).capacity_max));
    } else if (kind == 5) {  // refusal of the current referral
      const NeedId n(pick(session->num_needs()));
      if (auto s = session->assignment(n); s && !session->pinned(n)) {
        st = session->Refuse(n, *s);
        ASSERT_TRUE(st.ok()) << st;
        EXPECT_NE(session->assignment(n), s);
      }
    } else if (kind == 6) {  // acceptance of the current referral
      const NeedId n(pick(session->num_needs()));
      if (auto s = session->assignment(n); s && !session->pinned(n)) {
        st = session->Accept(n, *s);
        ASSERT_TRUE(st.ok()) << st;
        accepted.emplace_back(n, *s);
      }
    } else if (kind == 7) {  // the proposed referral is sent
      const NeedId n(pick(session->num_needs()));
      if (auto s = session->assignment(n); s && !session->pinned(n)) {
        EXPECT_EQ(session->referral_state(n), ReferralState::kProposed);
        st = session->Send(n, *s, absl::FromUnixSeconds(step));
        ASSERT_TRUE(st.ok()) << st;
        EXPECT_EQ(session->referral_state(n), ReferralState::kSent);
        EXPECT_EQ(session->assignment(n), s);  // it holds its place
      }
    } else if (kind == 8) {  // a referral, sent or not, refused
      const NeedId n(pick(session->num_needs()));
      const auto reason = static_cast<RefusalReason>(pick(kNumRefusalReasons));
      if (auto s = session->assignment(n);
          s && session->referral_state(n) != ReferralState::kAccepted &&
          session->referral_state(n) != ReferralState::kStarted) {
        st = session->Refuse(n, *s, reason);
        ASSERT_TRUE(st.ok()) << st;
        EXPECT_FALSE(session->pinned(n));
      }
    } else if (kind == 9) {  // sent referrals expire
      absl::StatusOr<std::vector<NeedId>> expired =
          session->ExpireDue(absl::FromUnixSeconds(step), absl::Seconds(5));
      ASSERT_TRUE(expired.ok()) << expired.status();
      for (NeedId n : *expired) EXPECT_FALSE(session->pinned(n));
    } else if (kind == 10) {  // an accepted referral starts
      const NeedId n(pick(session->num_needs()));
      if (session->referral_state(n) == ReferralState::kAccepted) {
        st = session->Start(n);
      }
    } else if (kind == 11) {  // a started one completes
      const NeedId n(pick(session->num_needs()));
      if (session->referral_state(n) == ReferralState::kStarted) {
        st = session->Complete(n);
        ASSERT_TRUE(st.ok()) << st;
        EXPECT_EQ(session->referral_state(n), ReferralState::kCompleted);
        EXPECT_FALSE(session->assignment(n));
      }
    } else if (kind == 12) {  // a referral is cancelled: the need reopens
      const NeedId n(pick(session->num_needs()));
      st = session->Cancel(n);
      if (st.ok()) {
        EXPECT_FALSE(session->pinned(n));
        accepted.erase(
            std::remove_if(accepted.begin(), accepted.end(),
                           [&](const auto& a) { return a.first == n; }),
            accepted.end());
      }
    }
    // Events on removed people or closed needs fail cleanly.
    if (!st.ok()) {
      EXPECT_TRUE(st.code() == absl::StatusCode::kFailedPrecondition ||
                  st.code() == absl::StatusCode::kInvalidArgument)
          << st;
    }
    absl::StatusOr<int64_t> full = session->FullResolveCost();
    ASSERT_TRUE(full.ok());
    ASSERT_EQ(session->objective().flow_cost, *full) << "step " << step;
    ASSERT_TRUE(session->Verify().ok())
        << "step " << step << ": " << session->Verify();
    for (const auto& [n, s] : accepted) {
      if (!session->assignment(n)) continue;  // closed since
      EXPECT_TRUE(session->pinned(n));
      EXPECT_EQ(session->assignment(n), s);
    }
  }
}

class SessionRandomTest : public ::testing::TestWithParam<uint64_t> {};
TEST_P(SessionRandomTest, EqualsAFullResolveAfterEveryEvent) {
  RunEvents(testing_networks::RandomNetwork(GetParam()), GetParam(), 40);
}
INSTANTIATE_TEST_SUITE_P(Seeds, SessionRandomTest,
                         ::testing::Range<uint64_t>(1, 101));

// With a zero work limit every event that needs a search solves from
// scratch instead: the fallback gives the same optimum.
class SessionResolveTest : public ::testing::TestWithParam<uint64_t> {};
TEST_P(SessionResolveTest, FallbackToAFullSolveEqualsAFullResolve) {
  AllocateOptions options;
  options.session_resolve_factor = 0;
  RunEvents(testing_networks::RandomNetwork(GetParam()), GetParam(), 25,
            options);
}
INSTANTIATE_TEST_SUITE_P(Seeds, SessionResolveTest,
                         ::testing::Range<uint64_t>(1, 31));

TEST(SessionTest, ResolveFallbackIsReported) {
  absl::StatusOr<Ranker> ranker =
      testing_networks::GeneratedRanker({.territories = {"rouen"}});
  ASSERT_TRUE(ranker.ok()) << ranker.status();
  AllocateOptions options;
  options.session_resolve_factor = 0;
  absl::StatusOr<AllocationSession> s =
      AllocationSession::Start(*ranker, options);
  ASSERT_TRUE(s.ok());
  // Closing an assigned need frees a place: a search is needed.
  NeedId assigned = NeedId::Invalid();
  for (int32_t n = 0; n < s->num_needs() && !assigned.valid(); ++n) {
    if (s->assignment(NeedId(n)) && !s->pinned(NeedId(n))) assigned = NeedId(n);
  }
  ASSERT_TRUE(assigned.valid());
  ASSERT_TRUE(s->CloseNeed(assigned).ok());
  EXPECT_TRUE(s->last_event_resolved());
  EXPECT_EQ(s->objective().flow_cost, *s->FullResolveCost());
}

// An arrival's searches stay local: the new person's nodes start at
// potentials that keep their arcs optimal, so only their own units move.
// Each arrival copies an existing person (same site, place and needs).
TEST(SessionTest, ArrivalsSettleFewNodes) {
  // All Convergence territories.
  absl::StatusOr<Ranker> ranker = testing_networks::GeneratedRanker();
  ASSERT_TRUE(ranker.ok()) << ranker.status();
  const Network& net = ranker->network();
  absl::StatusOr<AllocationSession> s = AllocationSession::Start(*ranker);
  ASSERT_TRUE(s.ok());
  const int64_t nodes =
      2 + static_cast<int64_t>(net.persons().size() + net.needs().size() +
                               net.services().size());
  std::vector<int64_t> work;
  for (size_t i = 0; i < net.persons().size() && work.size() < 40; i += 37) {
    const Person& p = net.persons()[i];
    PersonRow row;
    row.id = absl::StrCat("arrival-", i);
    row.site_id = net.site(p.site).id;
    row.lat = p.lat;
    row.lng = p.lng;
    std::vector<NeedRow> needs;
    for (const Need& n : net.needs()) {
      if (n.person == PersonId(static_cast<int32_t>(i))) {
        needs.push_back({"", std::string(ThemeCode(n.theme)), n.urgency});
      }
    }
    if (needs.empty()) continue;
    absl::StatusOr<PersonId> id = s->AddPerson(row, needs);
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_FALSE(s->last_event_resolved());
    work.push_back(s->last_event_work());
  }
  ASSERT_GE(work.size(), 20u);
  EXPECT_EQ(s->objective().flow_cost, *s->FullResolveCost());
  std::sort(work.begin(), work.end());
  std::cout << "arrival work: median " << work[work.size() / 2] << ", max "
            << work.back() << " of " << nodes << " nodes\n";
  EXPECT_LT(work[work.size() / 2], nodes / 20);
}

TEST(SessionTest, GeneratedTerritory) {
  SynthOptions o;
  o.territories = {"rouen"};
  absl::StatusOr<Network> net = Generate(o);
  ASSERT_TRUE(net.ok());
  RunEvents(*net, 7, 60);
}

TEST(SessionTest, RejectsUnknownIds) {
  absl::StatusOr<Network> net = testing_networks::RandomNetwork(3);
  absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
  ASSERT_TRUE(ranker.ok());
  absl::StatusOr<AllocationSession> s = AllocationSession::Start(*ranker);
  ASSERT_TRUE(s.ok());
  const int64_t before = s->objective().flow_cost;
  EXPECT_EQ(s->CloseNeed(NeedId(100000)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s->RemovePerson(PersonId(-1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s->SetCapacity(ServiceId(0), -1).code(),
            absl::StatusCode::kInvalidArgument);
  PersonRow p;
  p.id = "x";
  p.site_id = "no-such-site";
  EXPECT_EQ(s->AddPerson(p, std::vector<NeedRow>{}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s->objective().flow_cost, before);
}

}  // namespace
}  // namespace maillage
