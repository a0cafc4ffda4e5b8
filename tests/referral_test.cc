// The referral lifecycle: every transition of the table, and only those;
// codes, refusal effects and the FHIR and les emplois mappings.

#include "maillage/referral.h"

#include <set>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace maillage {
namespace {

using S = ReferralState;
using E = ReferralEvent;

TEST(ReferralTest, TheTransitionsAreExactlyTheLifecycle) {
  const std::set<std::pair<S, E>> allowed = {
      {S::kProposed, E::kSend},   {S::kSent, E::kAccept},
      {S::kSent, E::kRefuse},     {S::kSent, E::kExpire},
      {S::kAccepted, E::kStart},  {S::kStarted, E::kComplete},
      {S::kProposed, E::kCancel}, {S::kSent, E::kCancel},
      {S::kAccepted, E::kCancel}, {S::kStarted, E::kCancel}};
  int ok = 0;
  for (int s = 0; s < kNumReferralStates; ++s) {
    for (int e = 0; e < kNumReferralEvents; ++e) {
      const auto state = static_cast<S>(s);
      const auto event = static_cast<E>(e);
      absl::StatusOr<S> next = NextState(state, event);
      EXPECT_EQ(next.ok(), allowed.count({state, event}) == 1)
          << ReferralStateCode(state) << " " << ReferralEventCode(event);
      if (next.ok()) {
        ++ok;
      } else {
        EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_THAT(
            std::string(next.status().message()),
            ::testing::HasSubstr(std::string(ReferralStateCode(state))));
      }
    }
  }
  EXPECT_EQ(ok, 10);
  EXPECT_EQ(*NextState(S::kProposed, E::kSend), S::kSent);
  EXPECT_EQ(*NextState(S::kSent, E::kAccept), S::kAccepted);
  EXPECT_EQ(*NextState(S::kSent, E::kRefuse), S::kRefused);
  EXPECT_EQ(*NextState(S::kSent, E::kExpire), S::kExpired);
  EXPECT_EQ(*NextState(S::kAccepted, E::kStart), S::kStarted);
  EXPECT_EQ(*NextState(S::kStarted, E::kComplete), S::kCompleted);
  EXPECT_EQ(*NextState(S::kStarted, E::kCancel), S::kCancelled);
  EXPECT_EQ(NextState(S::kRefused, E::kAccept).status().message(),
            "a refused referral cannot accept (the referral is closed)");
}

TEST(ReferralTest, FinalStatesAndPlacesHeld) {
  const std::set<S> final_states = {S::kRefused, S::kExpired, S::kCompleted,
                                    S::kCancelled};
  const std::set<S> holding = {S::kSent, S::kAccepted, S::kStarted};
  for (int s = 0; s < kNumReferralStates; ++s) {
    const auto state = static_cast<S>(s);
    EXPECT_EQ(IsFinal(state), final_states.count(state) == 1);
    EXPECT_EQ(HoldsPlace(state), holding.count(state) == 1);
    // A final state has no way out; every other has at least cancel.
    bool any = false;
    for (int e = 0; e < kNumReferralEvents; ++e) {
      any |= NextState(state, static_cast<E>(e)).ok();
    }
    EXPECT_EQ(any, !IsFinal(state));
  }
  EXPECT_EQ(kDefaultExpiryDays, 30);
}

TEST(ReferralTest, CodesReadBack) {
  std::set<std::string> codes;
  for (int s = 0; s < kNumReferralStates; ++s) {
    const auto state = static_cast<S>(s);
    EXPECT_EQ(ParseReferralState(ReferralStateCode(state)), state);
    codes.emplace(ReferralStateCode(state));
  }
  EXPECT_EQ(codes.size(), static_cast<size_t>(kNumReferralStates));
  for (int e = 0; e < kNumReferralEvents; ++e) {
    const auto event = static_cast<E>(e);
    EXPECT_EQ(ParseReferralEvent(ReferralEventCode(event)), event);
  }
  for (int r = 0; r < kNumRefusalReasons; ++r) {
    const auto reason = static_cast<RefusalReason>(r);
    EXPECT_EQ(ParseRefusalReason(RefusalReasonCode(reason)), reason);
  }
  EXPECT_EQ(ParseReferralState("Sent"), absl::nullopt);
  EXPECT_EQ(ParseReferralEvent(""), absl::nullopt);
  EXPECT_EQ(ParseRefusalReason("full"), absl::nullopt);
}

TEST(ReferralTest, EachRefusalTellsTheModelSomething) {
  EXPECT_EQ(EffectOf(RefusalReason::kPlaceNoLongerFree),
            RefusalEffect::kLowerPlaces);
  EXPECT_EQ(EffectOf(RefusalReason::kNotEligible),
            RefusalEffect::kExcludeOption);
  EXPECT_EQ(EffectOf(RefusalReason::kDeclined), RefusalEffect::kExcludeOption);
  EXPECT_EQ(EffectOf(RefusalReason::kCannotTravel),
            RefusalEffect::kShortenReach);
  EXPECT_EQ(EffectOf(RefusalReason::kNoAnswer), RefusalEffect::kReopen);
  EXPECT_EQ(EffectOf(RefusalReason::kOther), RefusalEffect::kExcludeOption);
}

TEST(ReferralTest, FhirAndLesEmploisCodes) {
  // FHIR R4 TaskStatus codes (hl7.org/fhir/R4/valueset-task-status.html).
  const std::set<std::string> task_status = {
      "draft",    "requested", "received",  "accepted",
      "rejected", "ready",     "cancelled", "in-progress",
      "on-hold",  "failed",    "completed", "entered-in-error"};
  for (int s = 0; s < kNumReferralStates; ++s) {
    EXPECT_EQ(task_status.count(std::string(FhirTaskStatus(static_cast<S>(s)))),
              1u);
  }
  EXPECT_EQ(FhirTaskStatus(S::kSent), "requested");
  EXPECT_EQ(FhirTaskStatus(S::kRefused), "rejected");
  EXPECT_EQ(FhirTaskStatus(S::kExpired), "cancelled");
  EXPECT_EQ(FhirTaskStatus(S::kStarted), "in-progress");
  EXPECT_EQ(LesEmploisRefusalReason(RefusalReason::kCannotTravel),
            "not_mobile");
  EXPECT_EQ(LesEmploisRefusalReason(RefusalReason::kPlaceNoLongerFree),
            "no_position");
}

}  // namespace
}  // namespace maillage
