// The private representation behind a maillage::Network.

#ifndef MAILLAGE_SRC_NETWORK_NETWORK_DATA_H_
#define MAILLAGE_SRC_NETWORK_NETWORK_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "maillage/network.h"
#include "network/partner_graph.h"

namespace maillage {

struct internal::NetworkData {
  std::vector<Site> sites;
  std::vector<Partner> partners;
  std::vector<Service> services;
  std::vector<Person> persons;
  std::vector<Need> needs;        // grouped by person, person order
  std::vector<Support> supports;  // grouped by person, person order
  std::vector<Partnership> partnerships;
  std::vector<TravelTime> travel_times;  // sorted by (commune, service)

  std::vector<int32_t> need_begin = {0};     // persons + 1
  std::vector<int32_t> support_begin = {0};  // persons + 1
  std::vector<int32_t> pinned_service;       // per need, -1 when open
  std::vector<int32_t> pinned_places;        // per service

  // Partnership graph, hop distances precomputed per site.
  graph::PartnerReach reach;

  absl::flat_hash_map<std::string, int32_t> site_index, partner_index,
      service_index, person_index;
};

}  // namespace maillage

#endif  // MAILLAGE_SRC_NETWORK_NETWORK_DATA_H_
