// Strong dense ids for the entities of a maillage Network.
//
// Each id is the 0-based index of an entity in its Network (sites, partners,
// services, persons, needs). Distinct types keep a PersonId from being passed
// where a ServiceId is expected. The string ids of the input data (pseudonymous
// for persons) are kept in the entities themselves and looked up with
// `Network::FindPerson` and friends.
//
// Example:
//   maillage::ServiceId s(3);
//   const maillage::Service& service = network.service(s);
//   int index = s.value();

#ifndef MAILLAGE_IDS_H_
#define MAILLAGE_IDS_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <utility>

namespace maillage {

// A strongly typed 32-bit index. `Tag` only distinguishes the types.
template <typename Tag>
class StrongId {
 public:
  constexpr StrongId() = default;
  constexpr explicit StrongId(int32_t value) : value_(value) {}

  constexpr int32_t value() const { return value_; }
  // True for an id that designates an entity (not the default `Invalid()`).
  constexpr bool valid() const { return value_ >= 0; }
  static constexpr StrongId Invalid() { return StrongId(); }

  friend constexpr auto operator<=>(StrongId, StrongId) = default;
  friend std::ostream& operator<<(std::ostream& os, StrongId id) {
    return os << id.value_;
  }
  template <typename H>
  friend H AbslHashValue(H h, StrongId id) {
    return H::combine(std::move(h), id.value_);
  }

 private:
  int32_t value_ = -1;
};

using SiteId = StrongId<struct SiteTag>;
using PartnerId = StrongId<struct PartnerTag>;
using ServiceId = StrongId<struct ServiceTag>;
using PersonId = StrongId<struct PersonTag>;
// Index of a need in `Network::needs()`; needs are grouped by person.
using NeedId = StrongId<struct NeedTag>;

}  // namespace maillage

template <typename Tag>
struct std::hash<maillage::StrongId<Tag>> {
  size_t operator()(maillage::StrongId<Tag> id) const noexcept {
    return std::hash<int32_t>()(id.value());
  }
};

#endif  // MAILLAGE_IDS_H_
