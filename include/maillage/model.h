// The entities of a referral network, as stored in a built `Network`.
//
// Field names follow the native folder format (see docs/format.md).
// These are plain value types; references between entities are dense ids
// (`ids.h`) resolved by `NetworkBuilder`. People are identified by
// pseudonymous ids only: the library never holds names of people.

#ifndef MAILLAGE_MODEL_H_
#define MAILLAGE_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "maillage/ids.h"
#include "maillage/vocabulary.h"

namespace maillage {

// A work-integration site (chantier d'insertion, ACI).
struct Site {
  std::string id;
  std::string name;
  std::string territory;  // e.g. "lyon"
  std::string insee_com;
  double lat = 0;
  double lng = 0;
};

// An organisation of the network (data·inclusion "structure").
struct Partner {
  std::string id;
  std::string name;
  std::string kind;  // a data·inclusion reseaux-porteurs code where one fits
  std::string insee_com;
  double lat = 0;
  double lng = 0;
  std::string siret;                          // 14 digits, or empty
  std::vector<std::string> reseaux_porteurs;  // vocabulary codes, sorted
  std::string updated;                        // ISO date, or empty
};

// Eligibility zone of a service (`zone_eligibilite`); empty = no restriction.
// A person is in the zone when their commune, the city of their
// arrondissement (75056 for 75111), their EPCI or their département is
// listed (rank/eligibility.h).
struct Zone {
  bool france = false;
  std::vector<std::string> departements;  // sorted
  std::vector<std::string> communes;      // sorted, current codes
  std::vector<std::string> epcis;         // sorted 9-digit SIRENs
  bool unrestricted() const {
    return france ||
           (departements.empty() && communes.empty() && epcis.empty());
  }
};

// An offer of a partner (data·inclusion "service").
struct Service {
  std::string id;
  PartnerId partner;
  std::string name;
  ThemeSet themes;        // as declared
  ThemeSet served;        // `ServedThemes(themes)`: what needs it can serve
  PublicSet publics = 0;  // empty set = open to all, like `tous-publics`
  ModeSet modes = kInPersonBit;
  Zone zone;
  std::string insee_com;
  // Given, else its commune's centre, else (in-person services) its
  // partner's location; false only for a remote-only service without any.
  bool has_location = false;
  double lat = 0;
  double lng = 0;
  // False when the record gives no capacity_available: the service is
  // ranked, and the allocation leaves it out or assumes a number of places
  // (AllocateOptions::unknown_capacity), every such assignment flagged.
  // capacity_available and capacity_max are then 0.
  bool capacity_known = true;
  int32_t capacity_available = 0;  // places this plan may give
  int32_t capacity_max = 0;
  absl::optional<int32_t> min_age;
  absl::optional<int32_t> max_age;
  std::string updated;  // ISO date (YYYY-MM-DD), or empty
  // Bit sets over the `Vocabulary` codes; 0 = the record does not say.
  CodeSet types = 0;
  CodeSet frais = 0;
  CodeSet modes_mobilisation = 0;
  CodeSet mobilisable_par = 0;
  std::string lien_mobilisation;
  std::string horaires_accueil;  // OpenStreetMap opening_hours, as given
  std::string conditions_acces;
  absl::optional<double> score_qualite;  // in [0, 1]

  bool remote() const { return (modes & kRemoteBit) != 0; }
  bool in_person() const { return (modes & kInPersonBit) != 0; }
};

// A person in reinforced support (salarié en parcours). `id` is pseudonymous.
struct Person {
  std::string id;
  SiteId site;
  std::string insee_com;
  // Where the person lives: given, else the commune's centre, else the site.
  double lat = 0;
  double lng = 0;
  absl::optional<int32_t> age;
  PublicSet publics = 0;
  absl::optional<double> max_distance_km;  // empty: RankOptions default
};

// Urgency of a need: 1 (can wait) .. 3 (urgent). Urgent needs are covered
// first by the allocation.
inline constexpr int kMinUrgency = 1;
inline constexpr int kMaxUrgency = 3;

// One need of a person: a theme (category or subtheme) and an urgency.
struct Need {
  PersonId person;
  ThemeId theme = 0;
  int32_t urgency = kMinUrgency;
};

// The status of a support (supports.csv): where a referral stands
// (maillage/referral.h). current: the person is followed there (a started
// referral); accepted: the partner said yes; sent: the referral waits for
// an answer, holding its place; refused: the partner said no (that service
// is excluded for that need); completed: the support is over; expired and
// cancelled: history, with no effect.
enum class SupportStatus : uint8_t {
  kCurrent,
  kAccepted,
  kRefused,
  kCompleted,
  kSent,
  kExpired,
  kCancelled,
};
// "current", "accepted", "refused", "completed", "sent", "expired",
// "cancelled".
absl::string_view SupportStatusCode(SupportStatus s);
absl::optional<SupportStatus> ParseSupportStatus(absl::string_view code);
// The need of the support's theme is met there and holds one of the
// service's places: current, accepted, sent.
bool PinsItsNeed(SupportStatus s);
// The person has or had this support (it makes another referral to the
// same service in the same category a duplicate): current, accepted, sent,
// completed.
bool IsSupportOfRecord(SupportStatus s);

// An existing or past link between a person and a service.
struct Support {
  PersonId person;
  ServiceId service;
  ThemeId theme = 0;
  SupportStatus status = SupportStatus::kCurrent;
};

enum class PartnershipKind : uint8_t {
  kConvention,   // site <-> partner
  kCooperation,  // partner <-> partner
};
absl::string_view PartnershipKindCode(PartnershipKind k);
absl::optional<PartnershipKind> ParsePartnershipKind(absl::string_view code);

// An edge of the partner network. For a convention `site` is set and
// `partner_a` is the partner; for a cooperation `partner_a` and `partner_b`.
struct Partnership {
  PartnershipKind kind = PartnershipKind::kConvention;
  SiteId site;
  PartnerId partner_a;
  PartnerId partner_b;
  double strength = 1.0;  // in (0, 1]
};

}  // namespace maillage

#endif  // MAILLAGE_MODEL_H_
