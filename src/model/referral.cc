#include "maillage/referral.h"

#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace maillage {
namespace {

constexpr std::array<absl::string_view, kNumReferralStates> kStateCodes = {
    "proposed", "sent",    "accepted",  "refused",
    "expired",  "started", "completed", "cancelled"};

constexpr std::array<absl::string_view, kNumReferralEvents> kEventCodes = {
    "send", "accept", "refuse", "expire", "start", "complete", "cancel"};

constexpr std::array<absl::string_view, kNumRefusalReasons> kReasonCodes = {
    "place_no_longer_free",
    "not_eligible",
    "cannot_travel",
    "declined",
    "no_answer",
    "other"};

template <typename Enum, size_t N>
absl::optional<Enum> Parse(const std::array<absl::string_view, N>& codes,
                           absl::string_view code) {
  for (size_t i = 0; i < N; ++i) {
    if (codes[i] == code) return static_cast<Enum>(i);
  }
  return absl::nullopt;
}

}  // namespace

absl::string_view ReferralStateCode(ReferralState s) {
  return kStateCodes[static_cast<size_t>(s)];
}

absl::optional<ReferralState> ParseReferralState(absl::string_view code) {
  return Parse<ReferralState>(kStateCodes, code);
}

absl::string_view ReferralEventCode(ReferralEvent e) {
  return kEventCodes[static_cast<size_t>(e)];
}

absl::optional<ReferralEvent> ParseReferralEvent(absl::string_view code) {
  return Parse<ReferralEvent>(kEventCodes, code);
}

absl::string_view RefusalReasonCode(RefusalReason r) {
  return kReasonCodes[static_cast<size_t>(r)];
}

absl::optional<RefusalReason> ParseRefusalReason(absl::string_view code) {
  return Parse<RefusalReason>(kReasonCodes, code);
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
  constexpr std::array<absl::string_view, kNumReferralStates> kFhir = {
      "draft",     "requested",   "accepted",  "rejected",
      "cancelled", "in-progress", "completed", "cancelled"};
  return kFhir[static_cast<size_t>(s)];
}

absl::string_view LesEmploisRefusalReason(RefusalReason r) {
  constexpr std::array<absl::string_view, kNumRefusalReasons> kEmplois = {
      "no_position",    "non_eligible", "not_mobile",
      "not_interested", "did_not_come", "other"};
  return kEmplois[static_cast<size_t>(r)];
}

}  // namespace maillage
