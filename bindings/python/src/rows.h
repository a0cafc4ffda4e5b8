// The rows a Network was built from, and networks derived from another by a
// change of rows (the scenarios of the Python package).
//
// A built Network keeps every field of its accepted rows (locations
// resolved), so its rows rebuild an equal network: `RowsOf` is the in-memory
// twin of `WriteFolder`, and the scenarios below change a few rows and build
// again through NetworkBuilder, with its validation. The original network is
// never modified.
//
// Example:
//   absl::StatusOr<maillage::Network> more =
//       maillage::python::WithCapacity(net, {{"svc-12", 4}});

#ifndef MAILLAGE_BINDINGS_PYTHON_SRC_ROWS_H_
#define MAILLAGE_BINDINGS_PYTHON_SRC_ROWS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "maillage/network.h"

namespace maillage::python {

struct NetworkRows {
  std::vector<SiteRow> sites;
  std::vector<PartnerRow> partners;
  std::vector<ServiceRow> services;
  std::vector<PersonRow> persons;
  std::vector<NeedRow> needs;
  std::vector<SupportRow> supports;
  std::vector<PartnershipRow> partnerships;
  std::vector<TravelTimeRow> travel_times;
};

// Every row of the network, in network order, as WriteFolder writes them.
// O(size of the network).
NetworkRows RowsOf(const Network& net);

// Builds a network from rows (lines are row index + 2, files named as in the
// native format). InvalidArgument listing the problems when a row is
// rejected.
absl::StatusOr<Network> BuildFromRows(NetworkRows rows);

// The network with new `capacity_available` for some services, by service
// id. `capacity_max` is raised to the new value where it was lower, so that
// the row stays valid. InvalidArgument for an unknown service id or a
// negative number of places.
absl::StatusOr<Network> WithCapacity(
    const Network& net,
    const std::vector<std::pair<std::string, int64_t>>& places);

// The network without some partners and services, by id: a partner goes with
// all its services and partnerships; a service with the supports and travel
// times that refer to it (a need pinned by a removed service is open again).
// InvalidArgument for an unknown id.
absl::StatusOr<Network> Without(const Network& net,
                                const std::vector<std::string>& partner_ids,
                                const std::vector<std::string>& service_ids);

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_ROWS_H_
