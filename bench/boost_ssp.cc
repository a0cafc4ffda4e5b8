#include "boost_ssp.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <boost/property_map/property_map.hpp>
#include <chrono>
#include <cstddef>
#include <exception>
#include <vector>

// Not self-contained in Boost 1.74: needs bgl_named_params, declared by the
// headers above.
#include <boost/graph/find_flow_cost.hpp>

namespace maillage::bench {
namespace {

using Traits =
    boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Edge = Traits::edge_descriptor;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, int64_t,
        boost::property<
            boost::edge_residual_capacity_t, int64_t,
            boost::property<boost::edge_reverse_t, Edge,
                            boost::property<boost::edge_weight_t, int64_t>>>>>;

// Adds tail -> head and the zero-capacity reverse edge that Boost's residual
// graph needs, returns the forward edge.
Edge AddEdgePair(Graph& g, size_t tail, size_t head, int64_t capacity,
                 int64_t cost) {
  const Edge e = boost::add_edge(tail, head, g).first;
  const Edge r = boost::add_edge(head, tail, g).first;
  boost::put(boost::edge_capacity, g, e, capacity);
  boost::put(boost::edge_capacity, g, r, int64_t{0});
  boost::put(boost::edge_weight, g, e, cost);
  boost::put(boost::edge_weight, g, r, -cost);
  boost::put(boost::edge_reverse, g, e, r);
  boost::put(boost::edge_reverse, g, r, e);
  return e;
}

}  // namespace

BoostSspResult BoostSuccessiveShortestPath(const flow::FlowProblem& p) {
  BoostSspResult result;
  const size_t n = static_cast<size_t>(p.num_nodes);
  const size_t m = p.tail.size();
  const size_t source = n, sink = n + 1;
  Graph g(n + 2);

  // Saturate the negative arcs (see boost_ssp.h); `reversed` remembers which
  // Boost edges run against their arc.
  std::vector<int64_t> excess = p.supply;
  std::vector<Edge> arc_edge(m);
  std::vector<bool> reversed(m, false);
  int64_t constant = 0;
  for (size_t a = 0; a < m; ++a) {
    const size_t u = static_cast<size_t>(p.tail[a]);
    const size_t v = static_cast<size_t>(p.head[a]);
    const int64_t cap = p.capacity[a], cost = p.cost[a];
    if (cost >= 0) {
      arc_edge[a] = AddEdgePair(g, u, v, cap, cost);
      continue;
    }
    if (cap == flow::kInfiniteCapacity) {
      result.error = "negative-cost arc of infinite capacity (unsupported)";
      return result;
    }
    // ValidateProblem's kMaxObjective bound keeps these sums within int64.
    constant += cost * cap;
    excess[u] -= cap;
    excess[v] += cap;
    arc_edge[a] = AddEdgePair(g, v, u, cap, -cost);
    reversed[a] = true;
  }
  std::vector<Edge> feed;  // super source and super sink edges
  for (size_t v = 0; v < n; ++v) {
    if (excess[v] > 0) feed.push_back(AddEdgePair(g, source, v, excess[v], 0));
    if (excess[v] < 0) feed.push_back(AddEdgePair(g, v, sink, -excess[v], 0));
  }

  auto capacity = boost::get(boost::edge_capacity, g);
  auto residual = boost::get(boost::edge_residual_capacity, g);
  auto weight = boost::get(boost::edge_weight, g);
  auto reverse = boost::get(boost::edge_reverse, g);
  auto index = boost::get(boost::vertex_index, g);
  std::vector<Edge> pred(n + 2);
  std::vector<int64_t> distance(n + 2);
  // Boost adds each Dijkstra distance to these potentials, including the
  // "infinite" distance (INT64_MAX) of nodes no longer reachable: 128 bits
  // keep that sum from overflowing. Those nodes stay unreachable, so their
  // potentials are never read.
  std::vector<__int128> potential(n + 2);

  const auto t0 = std::chrono::steady_clock::now();
  int64_t boost_cost = 0;
  try {
    boost::successive_shortest_path_nonnegative_weights(
        g, source, sink, capacity, residual, weight, reverse, index,
        boost::make_iterator_property_map(pred.begin(), index),
        boost::make_iterator_property_map(distance.begin(), index),
        boost::make_iterator_property_map(potential.begin(), index));
    boost_cost = boost::find_flow_cost(g, capacity, residual, weight);
  } catch (const std::exception& e) {
    result.error = e.what();  // e.g. boost::negative_edge
    return result;
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();

  for (const Edge& e : feed) {
    if (boost::get(residual, e) != 0) {
      result.error = "infeasible (the max flow leaves supply unmet)";
      return result;
    }
  }
  // Rebuild the flow on the original arcs and check it independently of the
  // reduction: bounds, conservation against the original supplies, and the
  // objective recomputed from the original costs.
  std::vector<int64_t> net_out(n, 0);
  int64_t objective = 0;
  for (size_t a = 0; a < m; ++a) {
    const int64_t res = boost::get(residual, arc_edge[a]);
    const int64_t flow = reversed[a] ? res : p.capacity[a] - res;
    if (flow < 0 || flow > p.capacity[a]) {
      result.error = "rebuilt flow out of bounds";
      return result;
    }
    net_out[static_cast<size_t>(p.tail[a])] += flow;
    net_out[static_cast<size_t>(p.head[a])] -= flow;
    objective += flow * p.cost[a];
  }
  for (size_t v = 0; v < n; ++v) {
    if (net_out[v] != p.supply[v]) {
      result.error = "rebuilt flow not conserved";
      return result;
    }
  }
  if (objective != constant + boost_cost) {
    result.error = "objective of the rebuilt flow differs from Boost's";
    return result;
  }
  result.optimal = true;
  result.objective = objective;
  return result;
}

}  // namespace maillage::bench
