// Referrals in an AllocationSession: a sent referral holds its place until
// it is answered or expires, each refusal reason teaches the model what it
// means, and every event leaves the plan equal to a full re-solve.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "maillage/network.h"
#include "maillage/rank.h"
#include "maillage/referral.h"
#include "maillage/session.h"

namespace maillage {
namespace {

// One site in Lyon; two people with a health need (p1 the more urgent);
// three health services of one place each: near (1 km), mid (5 km), far
// (9 km), and a remote one without location.
Network SmallNetwork(const std::string& support_status = "") {
  NetworkBuilder b;
  b.Add<SiteRow>({"s", "ACI", "lyon", "69123", 45.75, 4.85});
  b.Add<PartnerRow>({"pa", "A", "", "69123", 45.75, 4.85, "", {}, ""});
  auto service = [&](const std::string& id, double lng) {
    ServiceRow r;
    r.id = id;
    r.partner_id = "pa";
    r.thematiques = {"sante"};
    r.lat = 45.75;
    r.lng = lng;
    r.capacity_available = 1;
    r.capacity_max = 1;
    b.Add<ServiceRow>(r);
  };
  // 1 degree of longitude at 45.75 N is about 77.7 km.
  service("near", 4.85 + 1.0 / 77.7);
  service("mid", 4.85 + 5.0 / 77.7);
  service("far", 4.85 + 9.0 / 77.7);
  for (const char* id : {"p1", "p2"}) {
    PersonRow p;
    p.id = id;
    p.site_id = "s";
    p.lat = 45.75;
    p.lng = 4.85;
    p.max_distance_km = 20;
    b.Add<PersonRow>(p);
  }
  b.Add<NeedRow>({"p1", "sante", 3});
  b.Add<NeedRow>({"p2", "sante", 1});
  if (!support_status.empty()) {
    b.Add<SupportRow>({"p2", "far", "sante", support_status});
  }
  absl::StatusOr<Network> net = std::move(b).Build();
  EXPECT_TRUE(net.ok()) << net.status();
  return *std::move(net);
}

class ReferralSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(""); }
  void Start(const std::string& support_status) {
    net_ = SmallNetwork(support_status);
    absl::StatusOr<Ranker> r = Ranker::Create(net_);
    ASSERT_TRUE(r.ok()) << r.status();
    ranker_ = *std::move(r);
    absl::StatusOr<AllocationSession> s = AllocationSession::Start(*ranker_);
    ASSERT_TRUE(s.ok()) << s.status();
    session_.emplace(*std::move(s));
  }
  ServiceId Service(const char* id) const { return *net_.FindService(id); }
  // After every event: the plan is optimal (a full re-solve costs the same)
  // and its certificate holds.
  void ExpectOptimal() const {
    absl::StatusOr<int64_t> full = session_->FullResolveCost();
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(session_->objective().flow_cost, *full);
    EXPECT_TRUE(session_->Verify().ok()) << session_->Verify();
  }

  Network net_;
  absl::optional<Ranker> ranker_;
  absl::optional<AllocationSession> session_;
  const NeedId n1_{0}, n2_{1};
};

TEST_F(ReferralSessionTest, ASentReferralHoldsItsPlaceUntilAnswered) {
  // The plan gives each need a place (three services, two needs).
  ASSERT_TRUE(session_->assignment(n1_) && session_->assignment(n2_));
  EXPECT_EQ(session_->referral_state(n1_), ReferralState::kProposed);
  ASSERT_TRUE(
      session_->Send(n1_, Service("near"), absl::FromUnixSeconds(0)).ok());
  EXPECT_EQ(session_->referral_state(n1_), ReferralState::kSent);
  EXPECT_TRUE(session_->pinned(n1_));
  ExpectOptimal();
  // Its place is held: with "near" closing a place, n1 keeps it... and
  // n2 cannot take it.
  EXPECT_NE(session_->assignment(n2_), Service("near"));
  // The same need cannot be sent twice; other events of the lifecycle are
  // checked (referral.h).
  EXPECT_EQ(
      session_->Send(n1_, Service("mid"), absl::FromUnixSeconds(1)).code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(session_->Start(n1_).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(session_->Complete(n1_).code(),
            absl::StatusCode::kFailedPrecondition);
  // Accepted: still there, now for good.
  ASSERT_TRUE(session_->Accept(n1_, Service("near")).ok());
  EXPECT_EQ(session_->referral_state(n1_), ReferralState::kAccepted);
  EXPECT_EQ(session_->Refuse(n1_, Service("near")).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(session_->Expire(n1_).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(session_->Start(n1_).ok());
  EXPECT_EQ(session_->referral_state(n1_), ReferralState::kStarted);
  ASSERT_TRUE(session_->Complete(n1_).ok());
  EXPECT_EQ(session_->referral_state(n1_), ReferralState::kCompleted);
  EXPECT_FALSE(session_->assignment(n1_));  // met, closed
  ExpectOptimal();
}

TEST_F(ReferralSessionTest, PlaceNoLongerFreeLowersThePlaces) {
  ASSERT_TRUE(
      session_->Send(n1_, Service("near"), absl::FromUnixSeconds(0)).ok());
  ASSERT_TRUE(
      session_->Refuse(n1_, Service("near"), RefusalReason::kPlaceNoLongerFree)
          .ok());
  ExpectOptimal();
  // "near" has no place left: nobody is sent there, and both needs are
  // met by mid and far.
  EXPECT_NE(session_->assignment(n1_), Service("near"));
  EXPECT_NE(session_->assignment(n2_), Service("near"));
  EXPECT_TRUE(session_->assignment(n1_) && session_->assignment(n2_));
  // A place freed again at "near" is proposed again (the option was not
  // excluded).
  ASSERT_TRUE(session_->SetCapacity(Service("near"), 1, 1).ok());
  EXPECT_TRUE(session_->assignment(n1_) == Service("near") ||
              session_->assignment(n2_) == Service("near"));
  ExpectOptimal();
}

TEST_F(ReferralSessionTest, DeclinedExcludesTheOptionOnly) {
  ASSERT_TRUE(
      session_->Send(n1_, Service("near"), absl::FromUnixSeconds(0)).ok());
  ASSERT_TRUE(
      session_->Refuse(n1_, Service("near"), RefusalReason::kDeclined).ok());
  ExpectOptimal();
  EXPECT_FALSE(session_->pinned(n1_));
  EXPECT_TRUE(session_->assignment(n1_));
  EXPECT_NE(session_->assignment(n1_), Service("near"));
  // n2 may now have the place n1 declined.
  EXPECT_EQ(session_->assignment(n2_), Service("near"));
  // Sending n1 there again is refused: the option is gone.
  EXPECT_EQ(
      session_->Send(n1_, Service("near"), absl::FromUnixSeconds(1)).code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(ReferralSessionTest, CannotTravelShortensTheReach) {
  ASSERT_TRUE(
      session_->Send(n1_, Service("mid"), absl::FromUnixSeconds(0)).ok());
  ASSERT_TRUE(
      session_->Refuse(n1_, Service("mid"), RefusalReason::kCannotTravel).ok());
  ExpectOptimal();
  // mid (5 km) and far (9 km) are out of n1's reach now; near remains.
  EXPECT_EQ(session_->assignment(n1_), Service("near"));
  EXPECT_EQ(
      session_->Send(n1_, Service("far"), absl::FromUnixSeconds(1)).code(),
      absl::StatusCode::kInvalidArgument);
  // n2's reach is not changed.
  ASSERT_TRUE(
      session_->Send(n2_, Service("far"), absl::FromUnixSeconds(1)).ok());
}

TEST_F(ReferralSessionTest, NoAnswerAndExpiryReopenTheNeed) {
  ASSERT_TRUE(
      session_->Send(n1_, Service("near"), absl::FromUnixSeconds(0)).ok());
  ASSERT_TRUE(
      session_->Refuse(n1_, Service("near"), RefusalReason::kNoAnswer).ok());
  ExpectOptimal();
  // Nothing learnt: the same referral may be sent again.
  EXPECT_EQ(session_->assignment(n1_), Service("near"));
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  ASSERT_TRUE(session_->Send(n1_, Service("near"), t0).ok());
  ASSERT_TRUE(session_->Send(n2_, Service("mid"), t0 + absl::Hours(24)).ok());
  // 30 days after the first, only it expires.
  absl::StatusOr<std::vector<NeedId>> expired =
      session_->ExpireDue(t0 + absl::Hours(24 * 30));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, std::vector<NeedId>{n1_});
  EXPECT_FALSE(session_->pinned(n1_));
  EXPECT_EQ(session_->referral_state(n2_), ReferralState::kSent);
  ExpectOptimal();
  expired = session_->ExpireDue(t0 + absl::Hours(24 * 31));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, std::vector<NeedId>{n2_});
  ASSERT_TRUE(session_->Send(n2_, Service("mid"), t0).ok());
  ASSERT_TRUE(session_->Expire(n2_).ok());
  EXPECT_EQ(session_->Expire(n2_).code(),
            absl::StatusCode::kFailedPrecondition);
  ExpectOptimal();
}

TEST_F(ReferralSessionTest, CancelReopensTheNeed) {
  ASSERT_TRUE(session_->Accept(n1_, Service("near")).ok());
  ASSERT_TRUE(session_->Start(n1_).ok());
  ASSERT_TRUE(session_->Cancel(n1_).ok());
  EXPECT_FALSE(session_->pinned(n1_));
  EXPECT_TRUE(session_->assignment(n1_));
  EXPECT_EQ(session_->referral_state(n1_), ReferralState::kProposed);
  EXPECT_EQ(session_->Cancel(n1_).code(),
            absl::StatusCode::kFailedPrecondition);  // nothing sent
  ExpectOptimal();
  // A closed need has no referral.
  ASSERT_TRUE(session_->CloseNeed(n2_).ok());
  EXPECT_EQ(session_->referral_state(n2_), absl::nullopt);
}

TEST_F(ReferralSessionTest, SupportsOfTheNetworkStandWhereTheirStatusSays) {
  Start("current");
  EXPECT_EQ(session_->referral_state(n2_), ReferralState::kStarted);
  EXPECT_EQ(session_->assignment(n2_), Service("far"));
  EXPECT_EQ(session_->Cancel(n2_).code(),
            absl::StatusCode::kFailedPrecondition);  // no options to reopen
  ASSERT_TRUE(session_->Complete(n2_).ok());         // its place is given back
  ExpectOptimal();

  Start("accepted");
  EXPECT_EQ(session_->referral_state(n2_), ReferralState::kAccepted);
  ASSERT_TRUE(session_->Start(n2_).ok());

  // sent holds its place; without a date, ExpireDue leaves it.
  Start("sent");
  EXPECT_EQ(session_->referral_state(n2_), ReferralState::kSent);
  EXPECT_TRUE(session_->pinned(n2_));
  absl::StatusOr<std::vector<NeedId>> expired =
      session_->ExpireDue(absl::InfiniteFuture());
  ASSERT_TRUE(expired.ok());
  EXPECT_TRUE(expired->empty());
  ASSERT_TRUE(session_->Accept(n2_, Service("far")).ok());
  EXPECT_EQ(session_->referral_state(n2_), ReferralState::kAccepted);

  // expired and cancelled are history: the need is open and planned.
  for (const char* status : {"expired", "cancelled"}) {
    Start(status);
    EXPECT_FALSE(session_->pinned(n2_)) << status;
    EXPECT_EQ(session_->referral_state(n2_), ReferralState::kProposed)
        << status;
    ExpectOptimal();
  }
}

TEST(SupportStatusTest, WhatEachStatusDoes) {
  for (const char* code : {"current", "accepted", "sent", "refused",
                           "completed", "expired", "cancelled"}) {
    absl::optional<SupportStatus> s = ParseSupportStatus(code);
    ASSERT_TRUE(s) << code;
    EXPECT_EQ(SupportStatusCode(*s), code);
    const std::string c = code;
    EXPECT_EQ(PinsItsNeed(*s),
              c == "current" || c == "accepted" || c == "sent");
    EXPECT_EQ(IsSupportOfRecord(*s), PinsItsNeed(*s) || c == "completed");
  }
  EXPECT_FALSE(ParseSupportStatus("pending"));
}

}  // namespace
}  // namespace maillage
