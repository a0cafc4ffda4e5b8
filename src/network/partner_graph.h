// The partnership graph: sites and partners as vertices of a Boost.Graph
// adjacency list, conventions (site <-> partner) and cooperations (partner <->
// partner) as undirected edges, and the hop distances from each site that a
// Network keeps. Private to the library.

#ifndef MAILLAGE_SRC_NETWORK_PARTNER_GRAPH_H_
#define MAILLAGE_SRC_NETWORK_PARTNER_GRAPH_H_

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <utility>
#include <vector>

#include "maillage/model.h"

namespace maillage::graph {

// Vertex v < num_sites is site v; vertex num_sites + p is partner p.
using PartnerGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

PartnerGraph MakePartnerGraph(int32_t num_sites, int32_t num_partners,
                              const std::vector<Partnership>& partnerships);

// The vertices within `max_hops` of `source` (source excluded), as
// (vertex, hops) sorted by vertex. Breadth-first search
// (boost::breadth_first_search) stopped past max_hops.
std::vector<std::pair<int32_t, int32_t>> HopsFrom(const PartnerGraph& g,
                                                  int32_t source,
                                                  int32_t max_hops);

// Partners within `max_hops` of each site (CSR over sites), sorted by
// partner, with their hop count and the strength of the direct convention
// (0 unless there is one; the strongest when there are several).
struct PartnerReach {
  std::vector<int32_t> begin = {0};  // sites + 1
  std::vector<int32_t> partner;
  std::vector<int8_t> hops;
  std::vector<float> strength;
};
PartnerReach ComputePartnerReach(int32_t num_sites, int32_t num_partners,
                                 const std::vector<Partnership>& partnerships,
                                 int32_t max_hops);

}  // namespace maillage::graph

#endif  // MAILLAGE_SRC_NETWORK_PARTNER_GRAPH_H_
