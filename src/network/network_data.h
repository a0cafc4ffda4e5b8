// The private representation behind a maillage::Network.

#ifndef MAILLAGE_SRC_NETWORK_NETWORK_DATA_H_
#define MAILLAGE_SRC_NETWORK_NETWORK_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "maillage/network.h"

namespace maillage {

struct Network::Data {
  std::vector<Site> sites;
  std::vector<Partner> partners;
  std::vector<Service> services;
  std::vector<Person> persons;
  std::vector<Need> needs;        // grouped by person, person order
  std::vector<Support> supports;  // grouped by person, person order
  std::vector<Partnership> partnerships;
  std::vector<TravelTime> travel_times;  // sorted by (commune, service)

  std::vector<int32_t> need_begin;      // persons + 1
  std::vector<int32_t> support_begin;   // persons + 1
  std::vector<int32_t> pinned_service;  // per need, -1 when open
  std::vector<int32_t> pinned_places;   // per service

  // Partnership graph, precomputed per site (CSR over sites): partners within
  // kMaxHops, sorted by partner, with their hop count and convention strength.
  std::vector<int32_t> reach_begin;  // sites + 1
  std::vector<int32_t> reach_partner;
  std::vector<int8_t> reach_hops;
  std::vector<float> reach_strength;  // 0 unless a direct convention

  absl::flat_hash_map<std::string, int32_t> site_index, partner_index,
      service_index, person_index;
};

// Builds the partnership-graph tables of `data` from its sites, partners and
// partnerships (graph/partner_graph.cc).
void ComputePartnerReach(Network::Data* data);

}  // namespace maillage

#endif  // MAILLAGE_SRC_NETWORK_NETWORK_DATA_H_
