// The lifecycle of a referral (an orientation of a person's need to a
// service), its refusal reasons, and how its states map to FHIR and to the
// French inclusion platforms.
//
//   proposed --send--> sent --accept--> accepted --start--> started
//                        |                                     |
//                        +--refuse(reason)--> refused       complete
//                        +--expire----------> expired          v
//                                                           completed
//   cancel: from proposed, sent, accepted or started --> cancelled
//
// A referral is proposed by a plan, sent by a chargé de partenariat, then
// answered by the partner. A sent referral holds its place at the service
// until it is answered or expires (`HoldsPlace`); an accepted or started one
// keeps it. refused, expired, completed and cancelled are final.
//
// Expiry: an unanswered referral expires `kDefaultExpiryDays` (30) after it
// was sent, the delay after which an unanswered orientation expires on the
// inclusion platform Dora (setting ORIENTATION_EXPIRATION_PERIOD_DAYS,
// github.com/gip-inclusion/dora); les emplois de l'inclusion refuses an
// unanswered job application after 60 days (AUTO_REJECT_JOB_APPLICATION_DELAY,
// github.com/gip-inclusion/les-emplois).
//
// Example:
//   absl::StatusOr<maillage::ReferralState> s =
//       maillage::NextState(maillage::ReferralState::kSent,
//                           maillage::ReferralEvent::kAccept);
//   // *s == kAccepted; NextState(kRefused, kAccept) is FailedPrecondition.
//
// Pure functions over constant tables: thread-safe.

#ifndef MAILLAGE_REFERRAL_H_
#define MAILLAGE_REFERRAL_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace maillage {

enum class ReferralState : uint8_t {
  kProposed,
  kSent,
  kAccepted,
  kRefused,
  kExpired,
  kStarted,
  kCompleted,
  kCancelled,
};
inline constexpr int kNumReferralStates = 8;

// "proposed", "sent", "accepted", "refused", "expired", "started",
// "completed", "cancelled"; ParseReferralState reads them back.
absl::string_view ReferralStateCode(ReferralState s);
absl::optional<ReferralState> ParseReferralState(absl::string_view code);

enum class ReferralEvent : uint8_t {
  kSend,
  kAccept,
  kRefuse,
  kExpire,
  kStart,
  kComplete,
  kCancel,
};
inline constexpr int kNumReferralEvents = 7;

// "send", "accept", "refuse", "expire", "start", "complete", "cancel".
absl::string_view ReferralEventCode(ReferralEvent e);
absl::optional<ReferralEvent> ParseReferralEvent(absl::string_view code);

// The state after `event` in `state`; FailedPrecondition naming both when
// the event cannot happen there (any event on a final state, accepting a
// referral that was not sent, ...).
absl::StatusOr<ReferralState> NextState(ReferralState state,
                                        ReferralEvent event);

// No event leaves a final state (refused, expired, completed, cancelled).
bool IsFinal(ReferralState s);
// The referral holds one place of its service: sent, accepted, started.
bool HoldsPlace(ReferralState s);

// Why a partner refused a referral, and what the allocation learns from it.
enum class RefusalReason : uint8_t {
  kPlaceNoLongerFree,  // the service's places are lowered
  kNotEligible,        // this option is excluded for this need
  kCannotTravel,       // the person's reach for this theme is shortened
  kDeclined,           // the person declined: this option is excluded
  kNoAnswer,           // the person could not be reached: the need reopens
  kOther,              // this option is excluded (asked again, the partner
                       // would refuse again)
};
inline constexpr int kNumRefusalReasons = 6;

// "place_no_longer_free", "not_eligible", "cannot_travel", "declined",
// "no_answer", "other".
absl::string_view RefusalReasonCode(RefusalReason r);
absl::optional<RefusalReason> ParseRefusalReason(absl::string_view code);

// What a refusal changes in the model before the need is re-optimised.
enum class RefusalEffect : uint8_t {
  kLowerPlaces,    // one place fewer at the service
  kExcludeOption,  // the (need, service) option is removed
  kShortenReach,   // the person's reach for the theme becomes shorter than
                   // the service's distance
  kReopen,         // nothing but the need open again
};
RefusalEffect EffectOf(RefusalReason r);

// The days after which a sent referral without answer expires.
inline constexpr int kDefaultExpiryDays = 30;

// The FHIR R4 Task.status code of a state, as the SDOH Clinical Care
// implementation guide's referral Task uses them (docs/model.md): proposed
// "draft", sent "requested", accepted "accepted", refused "rejected", expired
// "cancelled" (businessStatus "expired": FHIR has no expiry code), started
// "in-progress", completed "completed", cancelled "cancelled".
absl::string_view FhirTaskStatus(ReferralState s);
// The code of the refusal reason on les emplois de l'inclusion
// (RefusalReason of its job applications): place_no_longer_free
// "no_position", not_eligible "non_eligible", cannot_travel "not_mobile",
// declined "not_interested", no_answer "did_not_come", other "other".
absl::string_view LesEmploisRefusalReason(RefusalReason r);

}  // namespace maillage

#endif  // MAILLAGE_REFERRAL_H_
