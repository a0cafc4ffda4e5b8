#include "maillage/referral.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/codes.h"

namespace maillage {
namespace {

constexpr base::Code<ReferralState> kStateCodes[] = {
    {ReferralState::kProposed, "proposed"},
    {ReferralState::kSent, "sent"},
    {ReferralState::kAccepted, "accepted"},
    {ReferralState::kRefused, "refused"},
    {ReferralState::kExpired, "expired"},
    {ReferralState::kStarted, "started"},
    {ReferralState::kCompleted, "completed"},
    {ReferralState::kCancelled, "cancelled"}};

constexpr base::Code<ReferralEvent> kEventCodes[] = {
    {ReferralEvent::kSend, "send"},     {ReferralEvent::kAccept, "accept"},
    {ReferralEvent::kRefuse, "refuse"}, {ReferralEvent::kExpire, "expire"},
    {ReferralEvent::kStart, "start"},   {ReferralEvent::kComplete, "complete"},
    {ReferralEvent::kCancel, "cancel"}};

constexpr base::Code<RefusalReason> kReasonCodes[] = {
    {RefusalReason::kPlaceNoLongerFree, "place_no_longer_free"},
    {RefusalReason::kNotEligible, "not_eligible"},
    {RefusalReason::kCannotTravel, "cannot_travel"},
    {RefusalReason::kDeclined, "declined"},
    {RefusalReason::kNoAnswer, "no_answer"},
    {RefusalReason::kOther, "other"}};

// FHIR R4 Task.status, and les emplois' refusal reasons.
constexpr base::Code<ReferralState> kFhirStatus[] = {
    {ReferralState::kProposed, "draft"},
    {ReferralState::kSent, "requested"},
    {ReferralState::kAccepted, "accepted"},
    {ReferralState::kRefused, "rejected"},
    {ReferralState::kExpired, "cancelled"},
    {ReferralState::kStarted, "in-progress"},
    {ReferralState::kCompleted, "completed"},
    {ReferralState::kCancelled, "cancelled"}};

constexpr base::Code<RefusalReason> kLesEmploisReasons[] = {
    {RefusalReason::kPlaceNoLongerFree, "no_position"},
    {RefusalReason::kNotEligible, "non_eligible"},
    {RefusalReason::kCannotTravel, "not_mobile"},
    {RefusalReason::kDeclined, "not_interested"},
    {RefusalReason::kNoAnswer, "did_not_come"},
    {RefusalReason::kOther, "other"}};

}  // namespace

absl::string_view ReferralStateCode(ReferralState s) {
  return base::CodeOf(kStateCodes, s);
}

absl::optional<ReferralState> ParseReferralState(absl::string_view code) {
  return base::ParseCode(kStateCodes, code);
}

absl::string_view ReferralEventCode(ReferralEvent e) {
  return base::CodeOf(kEventCodes, e);
}

absl::optional<ReferralEvent> ParseReferralEvent(absl::string_view code) {
  return base::ParseCode(kEventCodes, code);
}

absl::string_view RefusalReasonCode(RefusalReason r) {
  return base::CodeOf(kReasonCodes, r);
}

absl::optional<RefusalReason> ParseRefusalReason(absl::string_view code) {
  return base::ParseCode(kReasonCodes, code);
}

absl::StatusOr<ReferralState> NextState(ReferralState state,
                                        ReferralEvent event) {
  using S = ReferralState;
  using E = ReferralEvent;
  absl::optional<S> next;
  switch (event) {
    case E::kSend:
      if (state == S::kProposed) next = S::kSent;
      break;
    case E::kAccept:
      if (state == S::kSent) next = S::kAccepted;
      break;
    case E::kRefuse:
      if (state == S::kSent) next = S::kRefused;
      break;
    case E::kExpire:
      if (state == S::kSent) next = S::kExpired;
      break;
    case E::kStart:
      if (state == S::kAccepted) next = S::kStarted;
      break;
    case E::kComplete:
      if (state == S::kStarted) next = S::kCompleted;
      break;
    case E::kCancel:
      if (!IsFinal(state)) next = S::kCancelled;
      break;
  }
  if (!next) {
    return absl::FailedPreconditionError(
        absl::StrCat("a ", ReferralStateCode(state), " referral cannot ",
                     ReferralEventCode(event),
                     IsFinal(state) ? " (the referral is closed)" : ""));
  }
  return *next;
}

bool IsFinal(ReferralState s) {
  return s == ReferralState::kRefused || s == ReferralState::kExpired ||
         s == ReferralState::kCompleted || s == ReferralState::kCancelled;
}

bool HoldsPlace(ReferralState s) {
  return s == ReferralState::kSent || s == ReferralState::kAccepted ||
         s == ReferralState::kStarted;
}

RefusalEffect EffectOf(RefusalReason r) {
  switch (r) {
    case RefusalReason::kPlaceNoLongerFree:
      return RefusalEffect::kLowerPlaces;
    case RefusalReason::kNotEligible:
    case RefusalReason::kDeclined:
    case RefusalReason::kOther:
      return RefusalEffect::kExcludeOption;
    case RefusalReason::kCannotTravel:
      return RefusalEffect::kShortenReach;
    case RefusalReason::kNoAnswer:
      return RefusalEffect::kReopen;
  }
  return RefusalEffect::kReopen;
}

absl::string_view FhirTaskStatus(ReferralState s) {
  return base::CodeOf(kFhirStatus, s);
}

absl::string_view LesEmploisRefusalReason(RefusalReason r) {
  return base::CodeOf(kLesEmploisReasons, r);
}

}  // namespace maillage
