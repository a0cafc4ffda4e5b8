// Scenarios: a network with some places, partners, services or conventions
// changed, as a new Network validated like the loader. The original network
// is never modified.
//
// An edit collects changes by id; `Apply` takes the network's rows
// (`RowsOf`), removes what is removed (a partner with its services and
// partnerships; a service with the supports and travel times that refer to
// it: a need pinned by a removed service is open again), changes places,
// appends the added rows and builds the result through NetworkBuilder, so
// that an added row is checked exactly as a row of the folder would be.
//
// Example:
//   absl::StatusOr<maillage::Network> more = maillage::NetworkEdit()
//       .SetPlaces("svc-12", 4)
//       .AddConvention("site-3", "partner-7", 0.8)
//       .Apply(network);
//
// O(size of the network) per Apply. A NetworkEdit is a value; Apply is const
// and thread-safe.

#ifndef MAILLAGE_EDIT_H_
#define MAILLAGE_EDIT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "maillage/network.h"
#include "maillage/schema.h"

namespace maillage {

class NetworkEdit {
 public:
  // New `capacity_available` of a service; `capacity_max` is raised to it
  // where it was lower, so that the row stays valid.
  NetworkEdit& SetPlaces(std::string service_id, int64_t capacity_available);
  // Removes a partner, its services and its partnerships.
  NetworkEdit& RemovePartner(std::string partner_id);
  // Removes a service and the supports and travel times that refer to it.
  NetworkEdit& RemoveService(std::string service_id);
  // Adds rows, checked as the loader checks them (after the removals: an
  // added row cannot refer to a removed one).
  NetworkEdit& AddPartner(PartnerRow row);
  NetworkEdit& AddService(ServiceRow row);
  NetworkEdit& AddPartnership(PartnershipRow row);
  // A convention between a site and a partner, strength in (0, 1].
  NetworkEdit& AddConvention(std::string site_id, std::string partner_id,
                             double strength);

  // The edited network. InvalidArgument naming the change when an id to
  // change or remove is unknown, places are negative, or an added row is
  // rejected (with the loader's reasons: `AddService 'svc-9': thematiques:
  // unknown data·inclusion theme 'x'`).
  absl::StatusOr<Network> Apply(const Network& network) const;

  bool empty() const;

 private:
  std::vector<std::pair<std::string, int64_t>> places_;
  std::vector<std::string> removed_partners_, removed_services_;
  NetworkRows added_;  // partners, services and partnerships only
};

// Shorthands for one-change scenarios.
absl::StatusOr<Network> WithCapacity(
    const Network& network,
    absl::Span<const std::pair<std::string, int64_t>> places);
absl::StatusOr<Network> Without(const Network& network,
                                absl::Span<const std::string> partner_ids,
                                absl::Span<const std::string> service_ids);

}  // namespace maillage

#endif  // MAILLAGE_EDIT_H_
