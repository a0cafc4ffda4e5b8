#include "network/partner_graph.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

#include "absl/container/flat_hash_map.h"

namespace maillage {
namespace graph {
namespace {

// Stops the search once a vertex beyond max_hops would be discovered.
struct Cutoff {};

class DepthVisitor : public boost::default_bfs_visitor {
 public:
  DepthVisitor(std::vector<int32_t>* dist, std::vector<int32_t>* touched,
               int32_t max_hops)
      : dist_(dist), touched_(touched), max_hops_(max_hops) {}
  template <typename Edge, typename Graph>
  void tree_edge(Edge e, const Graph& g) const {
    const auto u = boost::source(e, g), v = boost::target(e, g);
    (*dist_)[v] = (*dist_)[u] + 1;
    touched_->push_back(static_cast<int32_t>(v));
  }
  template <typename Vertex, typename Graph>
  void examine_vertex(Vertex u, const Graph&) const {
    if ((*dist_)[u] >= max_hops_) throw Cutoff{};
  }

 private:
  std::vector<int32_t>* dist_;
  std::vector<int32_t>* touched_;
  int32_t max_hops_;
};

}  // namespace

PartnerGraph MakePartnerGraph(int32_t num_sites, int32_t num_partners,
                              const std::vector<Partnership>& partnerships) {
  PartnerGraph g(static_cast<size_t>(num_sites + num_partners));
  for (const Partnership& p : partnerships) {
    if (p.kind == PartnershipKind::kConvention) {
      boost::add_edge(static_cast<size_t>(p.site.value()),
                      static_cast<size_t>(num_sites + p.partner_a.value()), g);
    } else {
      boost::add_edge(static_cast<size_t>(num_sites + p.partner_a.value()),
                      static_cast<size_t>(num_sites + p.partner_b.value()), g);
    }
  }
  return g;
}

std::vector<std::pair<int32_t, int32_t>> HopsFrom(const PartnerGraph& g,
                                                  int32_t source,
                                                  int32_t max_hops) {
  const size_t n = boost::num_vertices(g);
  std::vector<int32_t> dist(n, -1);
  std::vector<int32_t> touched;
  std::vector<boost::default_color_type> color(n, boost::white_color);
  dist[static_cast<size_t>(source)] = 0;
  // The queue is processed in order of depth: the first vertex examined at
  // depth max_hops means every vertex within max_hops has been discovered.
  try {
    boost::breadth_first_search(
        g, static_cast<size_t>(source),
        boost::visitor(DepthVisitor(&dist, &touched, max_hops))
            .color_map(boost::make_iterator_property_map(
                color.begin(), boost::get(boost::vertex_index, g))));
  } catch (const Cutoff&) {
  }
  std::vector<std::pair<int32_t, int32_t>> out;
  for (int32_t v : touched) {
    const int32_t h = dist[static_cast<size_t>(v)];
    if (h <= max_hops) out.emplace_back(v, h);
  }
  std::sort(out.begin(), out.end());
  return out;
}

PartnerReach ComputePartnerReach(int32_t num_sites, int32_t num_partners,
                                 const std::vector<Partnership>& partnerships,
                                 int32_t max_hops) {
  PartnerGraph g = MakePartnerGraph(num_sites, num_partners, partnerships);
  // Strongest direct convention per (site, partner).
  absl::flat_hash_map<std::pair<int32_t, int32_t>, double> strength;
  for (const Partnership& p : partnerships) {
    if (p.kind != PartnershipKind::kConvention) continue;
    double& s = strength[{p.site.value(), p.partner_a.value()}];
    s = std::max(s, p.strength);
  }
  PartnerReach r;
  r.begin.assign(static_cast<size_t>(num_sites) + 1, 0);
  for (int32_t site = 0; site < num_sites; ++site) {
    if (boost::out_degree(static_cast<size_t>(site), g) > 0) {
      for (auto [v, h] : HopsFrom(g, site, max_hops)) {
        if (v < num_sites) continue;  // another site
        const int32_t p = v - num_sites;
        r.partner.push_back(p);
        r.hops.push_back(static_cast<int8_t>(h));
        auto it = strength.find({site, p});
        r.strength.push_back(
            it == strength.end() ? 0.0f : static_cast<float>(it->second));
      }
    }
    r.begin[static_cast<size_t>(site) + 1] =
        static_cast<int32_t>(r.partner.size());
  }
  return r;
}

}  // namespace graph
}  // namespace maillage
