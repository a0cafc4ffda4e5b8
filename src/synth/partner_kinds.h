// Kinds of partner of the synthetic network and the services each offers.
//
// A kind is a data·inclusion `reseaux-porteurs` code where one fits ("chrs",
// "cmp", "france-travail"...) or a free code ("asl" for French courses). Each
// kind has a weight (its share of the partners of a territory), a weight for
// extra services (France Travail offers several, a CHU one) and templates of
// services: themes, publics, capacity ranges, eligibility zone, age range.
// See docs/synth.md for the reasoning behind the numbers.

#ifndef MAILLAGE_SRC_SYNTH_PARTNER_KINDS_H_
#define MAILLAGE_SRC_SYNTH_PARTNER_KINDS_H_

#include <cstdint>

#include "absl/types/span.h"

namespace maillage::synth {

// Eligibility zone of a service, relative to its partner.
enum class ZoneRule : uint8_t {
  kNone,         // no restriction
  kCommune,      // the partner's commune only (CCAS)
  kDepartement,  // the partner's département (CPAM, CAF, SIAO, MDPH)
  kSecteur,      // communes within kSecteurKm of the partner (CMP)
};
inline constexpr double kSecteurKm = 10.0;
inline constexpr int kMaxSecteurCommunes = 40;

// One choice of publics: codes separated by '|' and the choice's weight.
struct PublicsChoice {
  const char* publics;
  double weight;
};

struct ServiceTemplate {
  const char* label;         // appended to the partner's name
  double weight;             // relative frequency among the kind's templates
  const char* themes;        // always declared, '|'-separated
  const char* extra_themes;  // each declared with probability 1/2
  PublicsChoice publics[2];  // second may be {nullptr, 0}
  int32_t available_lo, available_hi;  // capacity_available range
  double p_full;                       // probability capacity_available = 0
  int32_t occupied_lo, occupied_hi;    // capacity_max - capacity_available
  ZoneRule zone;
  int32_t min_age, max_age;  // 0 = absent
  bool remote_ok;            // may be offered a-distance only
};

struct PartnerKind {
  const char* code;              // partners.csv `kind`
  const char* label;             // start of the partner's name ("CHRS", "CCAS")
  double weight;                 // share of partners
  double extra_services_weight;  // share of the services beyond the first
  bool one_per_departement;      // SIAO, MDPH
  bool urban;  // an institution found in towns rather than in every village
  absl::Span<const ServiceTemplate> templates;
};

// All kinds, in a fixed order.
absl::Span<const PartnerKind> PartnerKinds();
// Index in PartnerKinds() of a code; -1 when absent.
int FindPartnerKind(const char* code);
// Kinds every territory has first, when it has enough partners (SIAO, France
// Travail, CPAM, CAF, mission locale, CCAS): codes, in order.
absl::Span<const char* const> CoreKinds();

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_PARTNER_KINDS_H_
