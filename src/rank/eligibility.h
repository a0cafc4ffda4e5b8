// The eligibility filters of a service for a person that depend on neither
// distance nor history: publics, zone and age. The ranker applies them in
// that order (see Filter in maillage/rank.h); the synthetic generator applies
// the same ones to the supports it draws, so that a generated support is one
// the ranker would accept.

#ifndef MAILLAGE_SRC_RANK_ELIGIBILITY_H_
#define MAILLAGE_SRC_RANK_ELIGIBILITY_H_

#include <algorithm>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "maillage/geo.h"
#include "maillage/model.h"
#include "maillage/vocabulary.h"

namespace maillage::rank {

// True when the service is open to all (no publics, or `tous-publics`) or
// shares a public with the person.
inline bool PublicsMatch(const Service& s, PublicSet person_publics) {
  if (s.publics == 0) return true;
  if ((s.publics & (1u << AllPublicsId())) != 0) return true;
  return (s.publics & person_publics) != 0;
}

// True when the zone is unrestricted, lists the commune, the city of its
// arrondissement, its EPCI, or its département (`DepartementOf`). `zone`'s
// lists are sorted.
inline bool InZone(const Zone& zone, absl::string_view insee_com) {
  if (zone.unrestricted()) return true;
  const auto& com = zone.communes;
  if (std::binary_search(com.begin(), com.end(), insee_com)) return true;
  if (!com.empty()) {
    const absl::string_view city = CityOfArrondissement(insee_com);
    if (!city.empty() && std::binary_search(com.begin(), com.end(), city)) {
      return true;
    }
  }
  if (!zone.epcis.empty()) {
    if (const Commune* c = FindCommune(insee_com);
        c != nullptr && !c->epci.empty() &&
        std::binary_search(zone.epcis.begin(), zone.epcis.end(), c->epci)) {
      return true;
    }
  }
  if (zone.departements.empty()) return false;
  const auto& dep = zone.departements;
  return std::binary_search(dep.begin(), dep.end(), DepartementOf(insee_com));
}

// A record's codes (`have`) against a filter (`want`): no filter, a shared
// code, or a record that does not say and `exclude_unknown` unset.
inline bool CodesMatch(CodeSet have, CodeSet want, bool exclude_unknown) {
  if (want == 0) return true;
  if (have == 0) return !exclude_unknown;
  return (have & want) != 0;
}

// True when the age is unknown or within the service's bounds (inclusive);
// an absent bound does not restrict.
inline bool AgeWithin(const Service& s, absl::optional<int32_t> age) {
  if (!age.has_value()) return true;
  if (s.min_age.has_value() && *age < *s.min_age) return false;
  if (s.max_age.has_value() && *age > *s.max_age) return false;
  return true;
}

}  // namespace maillage::rank

#endif  // MAILLAGE_SRC_RANK_ELIGIBILITY_H_
