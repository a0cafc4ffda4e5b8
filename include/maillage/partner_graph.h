// The partner graph, analysed: the conventions and cooperations that the
// chargés de partenariat build, seen as a graph of sites and partners
// (Boost.Graph), with what is missing in it.
//
// Vertices are the sites and the partners of the network; an edge joins a
// site and a partner that have a convention, and two partners that have a
// cooperation (Partnership rows; several rows between the same two vertices
// make one edge). The analysis finds:
//   * isolated partners: no convention and no cooperation;
//   * site gaps: a site whose people have open (not pinned) needs in a theme
//     category, when no partner with which the site has a convention has a
//     service serving that category (Service::served);
//   * the connected components of the graph (boost::connected_components),
//     every vertex in exactly one, a vertex without edge a component alone;
//   * the brokers: the betweenness centrality of each partner
//     (boost::brandes_betweenness_centrality), normalised within its
//     component: the share of the pairs of other vertices of the component
//     whose shortest paths go through it (each pair weighted by the fraction
//     of its shortest paths that do; boost::relative_betweenness_centrality
//     on the component, so 1 is the centre of a star, 0 in a component of
//     fewer than 3 vertices), so that the brokers of a small territory
//     compare with those of a large one; with the referrals of the plan to
//     the partner's services (pinned included);
//   * duplicate pairs: two partners at most `area_km` apart (great-circle,
//     partners' locations) serving exactly the same non-empty set of theme
//     categories;
//   * complementary pairs: two partners at most `area_km` apart, both with
//     services, serving disjoint sets of categories, and with a common site:
//     a site whose people have options (Ranker::Candidates of their open
//     needs) or assignments of the plan at services of each;
//   * missing conventions: site–partner pairs without a convention where the
//     site's people have options at the partner's services. Per territory
//     (the site's), the `conventions_per_territory` pairs with the most such
//     options are evaluated on the network with that convention added
//     (NetworkEdit::AddConvention, strength `convention_strength`): the mean
//     change of those options' scores (re-ranked with the ranker's
//     RankOptions), and the change of the plan by re-solve (Allocate with
//     `allocate_options`), compared with the baseline Allocate(ranker,
//     allocate_options) rather than with `plan` (which may be any plan, read
//     from files for instance), so that the change is the convention's only.
//     A convention changes only scores: the people, needs and urgency
//     levels do not change; the score level and the assignments may.
//
// The territory of a partner (PartnerGraphAnalysis::partner_territory) is
// the territory of the sites whose people its services serve: the one with
// the most options and assignments at its services; when it has none, the
// territory of most of its conventions' sites; else "" (no territory). Ties:
// the first territory in alphabetical order. A pair of partners belongs to
// the territory of its first partner (`a`), or of `b` when `a` has none.
//
// Orders (all deterministic; ids are the dense ids, in network order):
// isolated by partner; site_gaps by site, then category; components by size
// (sites + partners) descending, then smallest vertex (sites before
// partners); brokers by betweenness descending, then referrals descending,
// then partner; duplicates and complements by territory, then distance, then
// (a, b); conventions by territory, then options descending, then site, then
// partner.
//
// Example:
//   absl::StatusOr<maillage::PartnerGraphAnalysis> g =
//       maillage::AnalyzePartnerGraph(ranker, plan);
//   for (const maillage::PartnerGraphRow& r : maillage::PartnerGraphRows(
//            ranker.network(), *g)) ...
//
// Complexity: O(options) to rank the open needs once; O(V E) for the
// betweenness of a component of V vertices and E edges (summed over the
// components); pairs from a grid of cells of `area_km` (each partner meets
// only the partners of the cells around it, never every partner of the
// country); per evaluated convention, one Ranker::Create and one Allocate of
// the whole edited network, plus one baseline Allocate when any convention is
// evaluated.
//
// Thread-safe (reads its arguments only).

#ifndef MAILLAGE_PARTNER_GRAPH_H_
#define MAILLAGE_PARTNER_GRAPH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "maillage/allocate.h"
#include "maillage/analyze.h"
#include "maillage/ids.h"
#include "maillage/network.h"
#include "maillage/rank.h"
#include "maillage/vocabulary.h"

namespace maillage {

struct PartnerGraphOptions {
  // Missing conventions evaluated by re-solve, per territory, at most (the
  // pairs with the most options first). 0 = none.
  int32_t conventions_per_territory = 3;
  // Strength of an evaluated missing convention, in (0, 1].
  double convention_strength = 1.0;
  // Two partners are "in the same area" when they are this close (km, > 0).
  double area_km = 15.0;
  // Duplicate and complementary pairs listed per territory, at most (each
  // kind on its own, the closest first).
  int32_t pairs_per_territory = 10;
  // Missing conventions are evaluated only for the sites of these
  // territories (empty: every territory); each evaluation re-solves the
  // whole network, which counts at national size.
  std::vector<std::string> territories;
};

struct SiteCategoryGap {
  SiteId site;
  ThemeId category = 0;
  int32_t open_needs = 0;  // of the site's people in that category
};

struct GraphComponent {
  std::vector<SiteId> sites;        // sorted
  std::vector<PartnerId> partners;  // sorted
};

struct Broker {
  PartnerId partner;
  double betweenness = 0;  // normalised to [0, 1] within its component
  int32_t referrals = 0;   // assignments of the plan to its services
};

struct PartnerPair {
  PartnerId a, b;         // a < b
  std::string territory;  // a's, or b's when a has none
  double distance_km = 0;
  // Duplicates: the categories both serve (all of each one's). Empty for
  // complements.
  std::vector<ThemeId> shared;
  // Complements: the sites whose people have options or assignments at
  // services of both (at least 1). 0 for duplicates.
  int32_t common_sites = 0;
};

struct ConventionValue {
  SiteId site;
  PartnerId partner;
  int32_t options = 0;         // options of the site's people there
  double mean_score_gain = 0;  // over those options
  // Needs whose service differs between the baseline plan and the re-solved
  // one (or that are covered in one only).
  int32_t referrals_moved = 0;
  // Assignments (pinned included) to the partner's services, in the
  // baseline plan and in the re-solved one.
  int32_t referrals_to_partner_before = 0, referrals_to_partner_after = 0;
  Gain gain;  // of the plan, by re-solve
};

struct PartnerGraphAnalysis {
  std::vector<PartnerId> isolated;
  std::vector<SiteCategoryGap> site_gaps;
  std::vector<GraphComponent> components;  // largest first
  std::vector<Broker> brokers;             // by betweenness, descending
  std::vector<PartnerPair> duplicates;
  std::vector<PartnerPair> complements;
  std::vector<ConventionValue> conventions;
  // The territory of each partner, in partner order ("" when none).
  std::vector<std::string> partner_territory;
};

// OK, or InvalidArgument naming the first option out of range:
// conventions_per_territory and pairs_per_territory >= 0,
// convention_strength in (0, 1], area_km finite and > 0.
absl::Status ValidatePartnerGraphOptions(const PartnerGraphOptions& options);

// The analysis of the ranker's network, with the referrals and the sites
// served from `plan`, a plan of that network (as Allocate or ReadPlan give).
// InvalidArgument for bad options (these and `allocate_options`, see
// ValidateOptions) or a plan that refers to needs or services the network
// does not have; the errors of Ranker::Create and Allocate on an edited
// network. `baseline`, when the caller has it, is Allocate(ranker,
// allocate_options) (GapAnalyzer::plan() is), saving that solve; else it is
// computed when a convention is evaluated.
absl::StatusOr<PartnerGraphAnalysis> AnalyzePartnerGraph(
    const Ranker& ranker, const Plan& plan,
    const AllocateOptions& allocate_options = {},
    const PartnerGraphOptions& options = {}, const Plan* baseline = nullptr);

// The findings as rows of partner_graph.csv: one per finding, with a `kind`
// ("isolated_partner", "site_without_category", "component", "broker",
// "duplicate_pair", "complementary_pair", "missing_convention"), in that
// order of kinds and in the analysis' order within a kind. `network` is the
// network analysed. Per kind:
//   isolated_partner       partner_id; count = its services;
//   site_without_category  site_id, category; count = open needs;
//   component              territory = its sites' territories ('|'-joined);
//                          site_id, partner_id = its first site and partner
//                          (when it has some); value = its rank (1 the
//                          largest); count = sites + partners;
//   broker                 partner_id; value = betweenness; count = referrals;
//   duplicate_pair         partner_id, other_partner_id; category = the
//                          shared categories ('|'-joined); value = distance
//                          (km); count = shared categories;
//   complementary_pair     partner_id, other_partner_id; category = the
//                          categories of both ('|'-joined, the detail says
//                          whose); value = distance (km); count = common
//                          sites;
//   missing_convention     site_id, partner_id; value = mean score gain;
//                          count = options.
// `territory` is the site's for site rows, the partner's (or the pair's) for
// partner rows. `detail` is an English sentence with ids of sites, partners
// and services, codes and counts only: never a value of a person's field.
struct PartnerGraphRow {
  std::string kind;
  std::string territory;
  std::string site_id;
  std::string partner_id;
  std::string other_partner_id;
  std::string category;
  double value = 0;    // betweenness, distance, score gain...
  int64_t count = 0;   // needs, referrals, sizes...
  std::string detail;  // in English, ids and counts only
};
std::vector<PartnerGraphRow> PartnerGraphRows(
    const Network& network, const PartnerGraphAnalysis& analysis);

}  // namespace maillage

#endif  // MAILLAGE_PARTNER_GRAPH_H_
