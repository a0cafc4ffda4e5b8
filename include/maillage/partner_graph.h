// The partner graph, analysed: the conventions and cooperations that the
// chargés de partenariat build, seen as a graph of sites and partners
// (Boost.Graph), with what is missing in it.
//
// Vertices are the sites and the partners of the network; an edge joins a
// site and a partner for each convention, and two partners for each
// cooperation (Partnership rows). The analysis finds:
//   * partners with no convention and no cooperation (isolated);
//   * sites whose people have open needs in a theme category for which the
//     site has no convention with any partner serving that category;
//   * the connected components of the graph;
//   * the brokers: betweenness centrality of each partner on the
//     site–partner graph (Brandes), with the referrals of the plan that go
//     to it;
//   * pairs of partners that duplicate each other (the same categories, in
//     the same area) and pairs that complement each other (disjoint
//     categories, in the same area, serving the same sites' people);
//   * the value of a missing convention: for the site–partner pairs where
//     the site's people have options at the partner's services but no
//     convention exists, the change of the options' scores and, by re-solve,
//     of the plan.
//
// Example:
//   absl::StatusOr<maillage::PartnerGraphAnalysis> g =
//       maillage::AnalyzePartnerGraph(ranker, plan);
//   for (const maillage::PartnerGraphRow& r : maillage::PartnerGraphRows(
//            ranker.network(), *g)) ...
//
// Thread-safe (reads its arguments only).

#ifndef MAILLAGE_PARTNER_GRAPH_H_
#define MAILLAGE_PARTNER_GRAPH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "maillage/allocate.h"
#include "maillage/analyze.h"
#include "maillage/ids.h"
#include "maillage/network.h"
#include "maillage/rank.h"

namespace maillage {

struct PartnerGraphOptions {
  // Missing conventions evaluated by re-solve, per territory, at most (the
  // pairs with the most options first).
  int32_t conventions_per_territory = 3;
  // Strength of an evaluated missing convention, in (0, 1].
  double convention_strength = 1.0;
  // Two partners are "in the same area" when they are this close (km).
  double area_km = 15.0;
  // Duplicate and complementary pairs listed per territory, at most.
  int32_t pairs_per_territory = 10;
};

struct SiteCategoryGap {
  SiteId site;
  ThemeId category = 0;
  int32_t open_needs = 0;  // of the site's people in that category
};

struct GraphComponent {
  std::vector<SiteId> sites;
  std::vector<PartnerId> partners;
};

struct Broker {
  PartnerId partner;
  double betweenness = 0;  // normalised to [0, 1]
  int32_t referrals = 0;   // assignments of the plan to its services
};

struct PartnerPair {
  PartnerId a, b;  // a < b
  double distance_km = 0;
  std::vector<ThemeId> shared;  // categories both serve
};

struct ConventionValue {
  SiteId site;
  PartnerId partner;
  int32_t options = 0;           // options of the site's people there
  double mean_score_gain = 0;    // over those options
  int32_t referrals_moved = 0;   // assignments that change in the plan
  int32_t referrals_to_partner_before = 0, referrals_to_partner_after = 0;
  Gain gain;                     // of the plan, by re-solve
};

struct PartnerGraphAnalysis {
  std::vector<PartnerId> isolated;
  std::vector<SiteCategoryGap> site_gaps;
  std::vector<GraphComponent> components;  // largest first
  std::vector<Broker> brokers;             // by betweenness, descending
  std::vector<PartnerPair> duplicates;
  std::vector<PartnerPair> complements;
  std::vector<ConventionValue> conventions;
};

absl::Status ValidatePartnerGraphOptions(const PartnerGraphOptions& options);

absl::StatusOr<PartnerGraphAnalysis> AnalyzePartnerGraph(
    const Ranker& ranker, const Plan& plan,
    const AllocateOptions& allocate_options = {},
    const PartnerGraphOptions& options = {});

// The findings as rows of partner_graph.csv: one per finding, with a `kind`
// ("isolated_partner", "site_without_category", "component", "broker",
// "duplicate_pair", "complementary_pair", "missing_convention").
struct PartnerGraphRow {
  std::string kind;
  std::string territory;
  std::string site_id;
  std::string partner_id;
  std::string other_partner_id;
  std::string category;
  double value = 0;     // betweenness, distance, score gain...
  int64_t count = 0;    // needs, referrals, sizes...
  std::string detail;   // in English, ids and counts only
};
std::vector<PartnerGraphRow> PartnerGraphRows(
    const Network& network, const PartnerGraphAnalysis& analysis);

}  // namespace maillage

#endif  // MAILLAGE_PARTNER_GRAPH_H_
