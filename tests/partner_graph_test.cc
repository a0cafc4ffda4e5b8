// The partner graph: crafted networks whose findings are known (isolated
// partners, site gaps, components, brokers, duplicate and complementary
// pairs, missing conventions checked against an independent re-solve), the
// rows of partner_graph.csv, the options' validation; then random networks
// against brute-force oracles (betweenness from all-pairs shortest path
// counts, pairs from every pair of partners, sites served from
// Ranker::Check).

#include "maillage/partner_graph.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/edit.h"
#include "maillage/geo.h"
#include "maillage/rank.h"
#include "random_network.h"

namespace maillage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kLat = 45.75, kLng = 4.85;  // Lyon
constexpr char kSante[] = "sante";
constexpr char kLogement[] = "logement-hebergement";

// --- Helpers --------------------------------------------------------------

// Crafted networks: everything at (kLat, kLng) unless moved by (dlat, dlng).
struct Crafted {
  NetworkBuilder b;
  void Site(const std::string& id, const std::string& territory = "t") {
    b.Add<SiteRow>({id, "site", territory, "69123", kLat, kLng});
  }
  void Partner(const std::string& id, double dlat = 0, double dlng = 0) {
    b.Add<PartnerRow>(
        {id, "partner", "", "69123", kLat + dlat, kLng + dlng, "", {}, ""});
  }
  void Service(const std::string& id, const std::string& partner,
               std::vector<std::string> themes, int places = 1, double dlat = 0,
               double dlng = 0) {
    ServiceRow s;
    s.id = id;
    s.partner_id = partner;
    s.thematiques = std::move(themes);
    s.lat = kLat + dlat;
    s.lng = kLng + dlng;
    s.capacity_available = places;
    b.Add<ServiceRow>(std::move(s));
  }
  void Person(const std::string& id, const std::string& site) {
    PersonRow p;
    p.id = id;
    p.site_id = site;
    p.insee_com = "69123";
    p.lat = kLat;
    p.lng = kLng;
    b.Add<PersonRow>(std::move(p));
  }
  void Need(const std::string& person, const std::string& theme,
            int urgency = 1) {
    b.Add<NeedRow>({person, theme, urgency});
  }
  void Convention(const std::string& site, const std::string& partner) {
    b.Add<PartnershipRow>({site, partner, "convention", 1.0});
  }
  void Cooperation(const std::string& a, const std::string& c) {
    b.Add<PartnershipRow>({a, c, "cooperation", 0.5});
  }
};

struct Solved {
  Ranker ranker;
  Plan plan;
  const Network& net() const { return ranker.network(); }
};

Solved Solve(Network net) {
  absl::StatusOr<Ranker> ranker = Ranker::Create(std::move(net));
  EXPECT_TRUE(ranker.ok()) << ranker.status();
  absl::StatusOr<Plan> plan = Allocate(*ranker);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return {*std::move(ranker), *std::move(plan)};
}

Solved Solve(Crafted c) {
  absl::StatusOr<Network> net = std::move(c.b).Build();
  EXPECT_TRUE(net.ok()) << net.status();
  return Solve(*std::move(net));
}

PartnerGraphAnalysis Analyze(const Solved& s, PartnerGraphOptions o = {}) {
  absl::StatusOr<PartnerGraphAnalysis> g =
      AnalyzePartnerGraph(s.ranker, s.plan, {}, o);
  EXPECT_TRUE(g.ok()) << g.status();
  return g.ok() ? *std::move(g) : PartnerGraphAnalysis();
}

std::vector<std::string> PartnerIds(const Network& net,
                                    const std::vector<PartnerId>& ids) {
  std::vector<std::string> out;
  for (PartnerId p : ids) out.push_back(net.partner(p).id);
  return out;
}
std::vector<std::string> SiteIds(const Network& net,
                                 const std::vector<SiteId>& ids) {
  std::vector<std::string> out;
  for (SiteId s : ids) out.push_back(net.site(s).id);
  return out;
}
// "a-b" for each pair.
std::vector<std::string> PairIds(const Network& net,
                                 const std::vector<PartnerPair>& pairs) {
  std::vector<std::string> out;
  for (const PartnerPair& p : pairs) {
    out.push_back(net.partner(p.a).id + "-" + net.partner(p.b).id);
  }
  return out;
}

ThemeId Theme(const std::string& code) { return *ParseTheme(code); }

// --- Isolated partners ----------------------------------------------------

//   S ==conv== P      Q (nothing)      R --coop-- T
TEST(PartnerGraphTest, IsolatedPartnerHasNoConventionAndNoCooperation) {
  Crafted c;
  c.Site("S");
  for (const char* p : {"P", "Q", "R", "T"}) c.Partner(p);
  c.Convention("S", "P");
  c.Cooperation("R", "T");
  const Solved s = Solve(std::move(c));
  const PartnerGraphAnalysis g = Analyze(s);
  EXPECT_THAT(PartnerIds(s.net(), g.isolated), ElementsAre("Q"));
}

// --- Site gaps ------------------------------------------------------------

//   S  ==conv== P (sante)          Q (logement), no convention
//      A: logement (open), sante (open)
//      B: logement--louer (open), logement--se-maintenir (pinned at Q)
//   S2 (no convention)             C: sante (open)
//   S3 ==conv== H (logement--louer only)   D: logement (open): covered
TEST(PartnerGraphTest, SiteWithoutConventionInACategoryOfItsOpenNeeds) {
  const std::string louer = "logement-hebergement--louer-un-logement";
  const std::string maintien =
      "logement-hebergement--se-maintenir-dans-le-logement";
  Crafted c;
  c.Site("S");
  c.Site("S2");
  c.Site("S3");
  c.Partner("P");
  c.Partner("Q");
  c.Partner("H");
  c.Service("vp", "P", {kSante});
  c.Service("vq", "Q", {kLogement}, 3);
  c.Service("vh", "H", {louer});
  c.Convention("S", "P");
  c.Convention("S3", "H");
  c.Person("A", "S");
  c.Need("A", kLogement);
  c.Need("A", kSante);
  c.Person("B", "S");
  c.Need("B", louer);
  c.Need("B", maintien);
  c.b.Add<SupportRow>({"B", "vq", maintien, "current"});
  c.Person("C", "S2");
  c.Need("C", kSante);
  c.Person("D", "S3");
  c.Need("D", kLogement);
  const Solved s = Solve(std::move(c));
  ASSERT_TRUE(s.net().pinned_service(NeedId(3)).has_value());
  const PartnerGraphAnalysis g = Analyze(s);
  ASSERT_EQ(g.site_gaps.size(), 2u);
  EXPECT_EQ(s.net().site(g.site_gaps[0].site).id, "S");
  EXPECT_EQ(g.site_gaps[0].category, Theme(kLogement));
  EXPECT_EQ(g.site_gaps[0].open_needs, 2);  // A's and B's louer, not pinned
  EXPECT_EQ(s.net().site(g.site_gaps[1].site).id, "S2");
  EXPECT_EQ(g.site_gaps[1].category, Theme(kSante));
  EXPECT_EQ(g.site_gaps[1].open_needs, 1);
}

// --- Components -----------------------------------------------------------

//   S1 == P1        S2 == P2 -- P3        P4
TEST(PartnerGraphTest, ComponentsLargestFirst) {
  Crafted c;
  c.Site("S1");
  c.Site("S2");
  for (const char* p : {"P1", "P2", "P3", "P4"}) c.Partner(p);
  c.Convention("S1", "P1");
  c.Convention("S2", "P2");
  c.Cooperation("P2", "P3");
  const Solved s = Solve(std::move(c));
  const PartnerGraphAnalysis g = Analyze(s);
  ASSERT_EQ(g.components.size(), 3u);
  EXPECT_THAT(SiteIds(s.net(), g.components[0].sites), ElementsAre("S2"));
  EXPECT_THAT(PartnerIds(s.net(), g.components[0].partners),
              ElementsAre("P2", "P3"));
  EXPECT_THAT(SiteIds(s.net(), g.components[1].sites), ElementsAre("S1"));
  EXPECT_THAT(PartnerIds(s.net(), g.components[1].partners), ElementsAre("P1"));
  EXPECT_TRUE(g.components[2].sites.empty());
  EXPECT_THAT(PartnerIds(s.net(), g.components[2].partners), ElementsAre("P4"));
  EXPECT_THAT(PartnerIds(s.net(), g.isolated), ElementsAre("P4"));
}

// --- Brokers --------------------------------------------------------------

//        S2   S3
//          \ /
//   A1 == S1 == B        B has conventions with S1, S2 and S3 (a star);
//                        A1 only with S1. A person of S1 is referred to A1.
// Pairs of the 4 other vertices: 6. Through B: S1-S2, S1-S3, S2-S3, A1-S2,
// A1-S3 (5 of 6); through S1: A1-B, A1-S2, A1-S3 (sites are not brokers).
TEST(PartnerGraphTest, BridgingPartnerHasTheTopBetweenness) {
  Crafted c;
  for (const char* site : {"S1", "S2", "S3"}) c.Site(site);
  c.Partner("A1");
  c.Partner("B");
  c.Service("va", "A1", {kSante});
  c.Convention("S1", "A1");
  for (const char* site : {"S1", "S2", "S3"}) c.Convention(site, "B");
  c.Person("X", "S1");
  c.Need("X", kSante);
  const Solved s = Solve(std::move(c));
  const PartnerGraphAnalysis g = Analyze(s);
  ASSERT_EQ(g.brokers.size(), 2u);
  EXPECT_EQ(s.net().partner(g.brokers[0].partner).id, "B");
  EXPECT_NEAR(g.brokers[0].betweenness, 5.0 / 6.0, 1e-12);
  EXPECT_EQ(g.brokers[0].referrals, 0);
  EXPECT_EQ(s.net().partner(g.brokers[1].partner).id, "A1");
  EXPECT_EQ(g.brokers[1].betweenness, 0.0);
  EXPECT_EQ(g.brokers[1].referrals, 1);
  ASSERT_EQ(g.components.size(), 1u);
}

// A partner on no shortest path and without referral is not a broker; a
// component of two vertices has no pair of other vertices.
TEST(PartnerGraphTest, NoBrokerWithoutPathsOrReferrals) {
  Crafted c;
  c.Site("S");
  c.Partner("P");
  c.Convention("S", "P");
  const Solved s = Solve(std::move(c));
  EXPECT_TRUE(Analyze(s).brokers.empty());
}

// --- Duplicate and complementary pairs -------------------------------------

//   Partners (all in Lyon, D2 0.5 km north, F 100 km east):
//     D1 sante      D2 sante--addictions      C1 logement
//     E  sante + logement                      F  sante (far)
//     G  logement, only for people aged 99+ (no option of anyone)
//   Site S: person A needs sante and logement.
// Duplicates: C1-G (0 km), D1-D2 (0.5 km). Complements (a common site S):
// D1-C1, D2-C1; E intersects everyone; G serves no site; F is too far.
struct PairsNetwork {
  Solved s;
  PairsNetwork() : s(Build()) {}
  static Solved Build() {
    Crafted c;
    c.Site("S");
    const double half_km = 0.5 / 111.195;
    c.Partner("D1");
    c.Partner("D2", half_km);
    c.Partner("C1");
    c.Partner("E");
    c.Partner("F", 0, 100 / (111.195 * std::cos(kLat * M_PI / 180)));
    c.Partner("G");
    c.Service("vd1", "D1", {kSante});
    c.Service("vd2", "D2", {"sante--addictions"}, 1, half_km);
    c.Service("vc1", "C1", {kLogement});
    c.Service("ve", "E", {kSante, kLogement});
    c.Service("vf", "F", {kSante}, 1, 0,
              100 / (111.195 * std::cos(kLat * M_PI / 180)));
    ServiceRow g;
    g.id = "vg";
    g.partner_id = "G";
    g.thematiques = {kLogement};
    g.lat = kLat;
    g.lng = kLng;
    g.capacity_available = 1;
    g.min_age = 99;
    c.b.Add<ServiceRow>(std::move(g));
    PersonRow a;
    a.id = "A";
    a.site_id = "S";
    a.insee_com = "69123";
    a.lat = kLat;
    a.lng = kLng;
    a.age = 30;
    c.b.Add<PersonRow>(std::move(a));
    c.Need("A", kSante);
    c.Need("A", kLogement);
    return Solve(std::move(c));
  }
};

TEST(PartnerGraphTest, DuplicatesAndComplementsInTheSameArea) {
  PairsNetwork n;
  const Network& net = n.s.net();
  const PartnerGraphAnalysis g = Analyze(n.s);
  EXPECT_THAT(PairIds(net, g.duplicates), ElementsAre("C1-G", "D1-D2"));
  EXPECT_EQ(g.duplicates[0].distance_km, 0.0);
  EXPECT_NEAR(g.duplicates[1].distance_km, 0.5, 1e-3);
  EXPECT_THAT(g.duplicates[0].shared, ElementsAre(Theme(kLogement)));
  EXPECT_THAT(g.duplicates[1].shared, ElementsAre(Theme(kSante)));
  EXPECT_EQ(g.duplicates[0].common_sites, 0);
  EXPECT_EQ(g.duplicates[0].territory, "t");  // C1's; G has none
  EXPECT_EQ(
      g.partner_territory[static_cast<size_t>(net.FindPartner("G")->value())],
      "");
  EXPECT_EQ(
      g.partner_territory[static_cast<size_t>(net.FindPartner("F")->value())],
      "");

  EXPECT_THAT(PairIds(net, g.complements), ElementsAre("D1-C1", "D2-C1"));
  EXPECT_TRUE(g.complements[0].shared.empty());
  EXPECT_EQ(g.complements[0].common_sites, 1);
  EXPECT_EQ(g.complements[0].distance_km, 0.0);
  EXPECT_NEAR(g.complements[1].distance_km, 0.5, 1e-3);
}

TEST(PartnerGraphTest, PairsLimitedPerTerritoryClosestFirst) {
  PairsNetwork n;
  PartnerGraphOptions o;
  o.pairs_per_territory = 1;
  const PartnerGraphAnalysis g = Analyze(n.s, o);
  EXPECT_THAT(PairIds(n.s.net(), g.duplicates), ElementsAre("C1-G"));
  EXPECT_THAT(PairIds(n.s.net(), g.complements), ElementsAre("D1-C1"));
  o.pairs_per_territory = 0;
  EXPECT_TRUE(Analyze(n.s, o).duplicates.empty());
}

TEST(PartnerGraphTest, AreaBoundsThePairs) {
  PairsNetwork n;
  PartnerGraphOptions o;
  o.area_km = 0.25;  // D2 is 0.5 km from the others
  EXPECT_THAT(PairIds(n.s.net(), Analyze(n.s, o).duplicates),
              ElementsAre("C1-G"));
  // F is 100 km east and serves sante, like D1 and D2; D2, 0.5 km north,
  // is a little closer to F (a degree of longitude is shorter there).
  o.area_km = 200;
  EXPECT_THAT(PairIds(n.s.net(), Analyze(n.s, o).duplicates),
              ElementsAre("C1-G", "D1-D2", "D2-F", "D1-F"));
}

// --- Missing conventions --------------------------------------------------

//   Site S, person A needs sante. No convention.
//   P1: v1 (sante, 1 place) where A lives      P2: v2 (sante, 1 place) 1 km
//   The plan gives v1 (closer). A convention S-P1 raises v1's score and
//   changes nothing else; a convention S-P2 raises v2's score by the link
//   part (0.25 * 0.5 * 1 = 0.125), more than v1's lead in proximity
//   (0.35 * (1 - 1 / 1.1)), so the referral moves to P2.
struct TwoServices {
  Solved s;
  double km = 1.0;
  TwoServices() : s(Build()) {}
  static Solved Build() {
    Crafted c;
    c.Site("S");
    c.Partner("P1");
    const double dlat = 1.0 / 111.195;
    c.Partner("P2", dlat);
    c.Service("v1", "P1", {kSante});
    c.Service("v2", "P2", {kSante}, 1, dlat);
    c.Person("A", "S");
    c.Need("A", kSante);
    return Solve(std::move(c));
  }
};

// The plan of the network with a convention S-partner, re-solved here.
Plan Resolved(const Solved& s, const std::string& partner) {
  absl::StatusOr<Network> edited =
      NetworkEdit().AddConvention("S", partner, 1.0).Apply(s.net());
  EXPECT_TRUE(edited.ok()) << edited.status();
  absl::StatusOr<Ranker> r = Ranker::Create(*edited);
  EXPECT_TRUE(r.ok());
  absl::StatusOr<Plan> p = Allocate(*r);
  EXPECT_TRUE(p.ok());
  return *p;
}

TEST(PartnerGraphTest, MissingConventionThatMovesTheReferral) {
  TwoServices t;
  const Network& net = t.s.net();
  ASSERT_EQ(t.s.plan.assignments.size(), 1u);
  ASSERT_EQ(net.service(t.s.plan.assignments[0].service).id, "v1");
  const PartnerGraphAnalysis g = Analyze(t.s);
  ASSERT_EQ(g.conventions.size(), 2u);
  // Equal options: by site then partner.
  const ConventionValue& same = g.conventions[0];
  const ConventionValue& moves = g.conventions[1];
  EXPECT_EQ(net.partner(same.partner).id, "P1");
  EXPECT_EQ(net.partner(moves.partner).id, "P2");
  EXPECT_EQ(net.site(moves.site).id, "S");
  EXPECT_EQ(moves.options, 1);
  EXPECT_NEAR(moves.mean_score_gain, 0.125, 1e-12);
  EXPECT_EQ(moves.referrals_moved, 1);
  EXPECT_EQ(moves.referrals_to_partner_before, 0);
  EXPECT_EQ(moves.referrals_to_partner_after, 1);
  EXPECT_EQ(moves.gain.people, 0);
  EXPECT_EQ(moves.gain.needs, 0);
  EXPECT_EQ(moves.gain.urgency, 0);
  const double d = GreatCircleKm(kLat, kLng, kLat + 1.0 / 111.195, kLng);
  EXPECT_NEAR(moves.gain.score, 0.125 - 0.35 * (1 - 1 / (1 + d / 10)), 1e-9);
  const Plan p2 = Resolved(t.s, "P2");
  EXPECT_EQ(net.service(p2.assignments[0].service).id, "v2");
  EXPECT_EQ(moves.gain.scaled,
            t.s.plan.objective.flow_cost - p2.objective.flow_cost);
  EXPECT_EQ(moves.gain.scaled, p2.objective.total_score_scaled -
                                   t.s.plan.objective.total_score_scaled);
  EXPECT_GT(moves.gain.scaled, 0);
}

TEST(PartnerGraphTest, MissingConventionThatChangesNoReferral) {
  TwoServices t;
  const PartnerGraphAnalysis g = Analyze(t.s);
  ASSERT_EQ(g.conventions.size(), 2u);
  const ConventionValue& same = g.conventions[0];
  EXPECT_EQ(t.s.net().partner(same.partner).id, "P1");
  EXPECT_EQ(same.options, 1);
  EXPECT_NEAR(same.mean_score_gain, 0.125, 1e-12);
  EXPECT_EQ(same.referrals_moved, 0);
  EXPECT_EQ(same.referrals_to_partner_before, 1);
  EXPECT_EQ(same.referrals_to_partner_after, 1);
  EXPECT_EQ(same.gain.people, 0);
  EXPECT_EQ(same.gain.needs, 0);
  EXPECT_EQ(same.gain.urgency, 0);
  EXPECT_NEAR(same.gain.score, 0.125, 1e-9);
  const Plan p1 = Resolved(t.s, "P1");
  EXPECT_EQ(same.gain.scaled,
            t.s.plan.objective.flow_cost - p1.objective.flow_cost);
  EXPECT_EQ(same.gain.scaled, 125);
}

TEST(PartnerGraphTest, MissingConventionsLimitedPerTerritory) {
  TwoServices t;
  PartnerGraphOptions o;
  o.conventions_per_territory = 1;
  const PartnerGraphAnalysis g = Analyze(t.s, o);
  ASSERT_EQ(g.conventions.size(), 1u);
  EXPECT_EQ(t.s.net().partner(g.conventions[0].partner).id, "P1");
  o.conventions_per_territory = 0;
  EXPECT_TRUE(Analyze(t.s, o).conventions.empty());
}

// Only the sites of the territories asked have their conventions valued.
TEST(PartnerGraphTest, MissingConventionsOfTheTerritoriesAsked) {
  TwoServices t;
  PartnerGraphOptions o;
  o.territories = {"t"};
  EXPECT_EQ(Analyze(t.s, o).conventions.size(),
            Analyze(t.s).conventions.size());
  o.territories = {"elsewhere"};
  const PartnerGraphAnalysis g = Analyze(t.s, o);
  EXPECT_TRUE(g.conventions.empty());
  EXPECT_FALSE(g.brokers.empty() && g.site_gaps.empty() &&
               g.components.empty());
}

// An existing convention is not missing; the partner with more options of
// the site's people comes first.
TEST(PartnerGraphTest, MissingConventionsByOptions) {
  Crafted c;
  c.Site("S");
  c.Partner("P1");
  c.Partner("P2");
  c.Partner("P3");
  c.Service("v1", "P1", {kSante});
  c.Service("v2", "P2", {kSante});
  c.Service("v2b", "P2", {kLogement});
  c.Service("v3", "P3", {kSante, kLogement});
  c.Convention("S", "P3");
  c.Person("A", "S");
  c.Need("A", kSante);
  c.Need("A", kLogement);
  const Solved s = Solve(std::move(c));
  const PartnerGraphAnalysis g = Analyze(s);
  ASSERT_EQ(g.conventions.size(), 2u);
  EXPECT_EQ(s.net().partner(g.conventions[0].partner).id, "P2");
  EXPECT_EQ(g.conventions[0].options, 2);
  EXPECT_EQ(s.net().partner(g.conventions[1].partner).id, "P1");
  EXPECT_EQ(g.conventions[1].options, 1);
}

// --- Rows -----------------------------------------------------------------

//   Site S (territory lyon) ==conv== P1 (sante), P2 (sante, no convention),
//   P3 (logement, no convention), P4 (nothing). Person "u-7f3a" (home
//   commune 69383) needs sante and logement.
TEST(PartnerGraphTest, RowsCoverEveryKindWithoutPersonalValues) {
  Crafted c;
  c.Site("S", "lyon");
  for (const char* p : {"P1", "P2", "P3", "P4"}) c.Partner(p);
  c.Service("v1", "P1", {kSante});
  c.Service("v2", "P2", {kSante});
  c.Service("v3", "P3", {kLogement});
  c.Convention("S", "P1");
  PersonRow a;
  a.id = "u-7f3a";
  a.site_id = "S";
  a.insee_com = "69383";
  a.lat = kLat;
  a.lng = kLng;
  a.age = 47;
  c.b.Add<PersonRow>(std::move(a));
  c.Need("u-7f3a", kSante, 3);
  c.Need("u-7f3a", kLogement, 2);
  const Solved s = Solve(std::move(c));
  const PartnerGraphAnalysis g = Analyze(s);
  const std::vector<PartnerGraphRow> rows = PartnerGraphRows(s.net(), g);

  std::vector<std::string> kinds;
  for (const PartnerGraphRow& r : rows) {
    if (kinds.empty() || kinds.back() != r.kind) kinds.push_back(r.kind);
    EXPECT_THAT(r.detail, ::testing::Not(HasSubstr("u-7f3a")));
    EXPECT_THAT(r.detail, ::testing::Not(HasSubstr("69383")));
    EXPECT_THAT(r.detail, ::testing::Not(HasSubstr("47")));
    EXPECT_FALSE(r.detail.empty());
  }
  EXPECT_THAT(kinds, ElementsAre("isolated_partner", "site_without_category",
                                 "component", "broker", "duplicate_pair",
                                 "complementary_pair", "missing_convention"));
  ASSERT_EQ(rows.size(), g.isolated.size() + g.site_gaps.size() +
                             g.components.size() + g.brokers.size() +
                             g.duplicates.size() + g.complements.size() +
                             g.conventions.size());

  auto find = [&](const std::string& kind) -> const PartnerGraphRow& {
    for (const PartnerGraphRow& r : rows) {
      if (r.kind == kind) return r;
    }
    static const PartnerGraphRow none;
    ADD_FAILURE() << "no row " << kind;
    return none;
  };
  // P2, P3 and P4 have no partnership; P2 and P3 serve S's person.
  EXPECT_THAT(PartnerIds(s.net(), g.isolated), ElementsAre("P2", "P3", "P4"));
  const PartnerGraphRow& iso = find("isolated_partner");
  EXPECT_EQ(iso.partner_id, "P2");
  EXPECT_EQ(iso.territory, "lyon");
  EXPECT_EQ(iso.count, 1);
  const PartnerGraphRow& gap = find("site_without_category");
  EXPECT_EQ(gap.site_id, "S");
  EXPECT_EQ(gap.territory, "lyon");
  EXPECT_EQ(gap.category, kLogement);
  EXPECT_EQ(gap.count, 1);
  EXPECT_EQ(gap.detail,
            "site S has 1 open need in logement-hebergement and no convention "
            "with a partner serving logement-hebergement");
  const PartnerGraphRow& comp = find("component");
  EXPECT_EQ(comp.territory, "lyon");
  EXPECT_EQ(comp.site_id, "S");
  EXPECT_EQ(comp.partner_id, "P1");
  EXPECT_EQ(comp.count, 2);
  EXPECT_EQ(comp.value, 1);
  EXPECT_EQ(comp.detail,
            "component 1 of 4: 1 site and 1 partner; sites S; "
            "partners P1");
  const PartnerGraphRow& dup = find("duplicate_pair");
  EXPECT_EQ(dup.partner_id, "P1");
  EXPECT_EQ(dup.other_partner_id, "P2");
  EXPECT_EQ(dup.category, kSante);
  EXPECT_EQ(dup.count, 1);
  const PartnerGraphRow& cpl = find("complementary_pair");
  EXPECT_EQ(cpl.partner_id, "P1");
  EXPECT_EQ(cpl.other_partner_id, "P3");
  EXPECT_EQ(cpl.category, std::string(kLogement) + "|" + kSante);
  EXPECT_EQ(cpl.count, 1);
  EXPECT_EQ(cpl.detail,
            "partners P1 (sante) and P3 (logement-hebergement), 0.0 km apart, "
            "serve disjoint categories for the people of 1 common site");
  const PartnerGraphRow& mc = find("missing_convention");
  EXPECT_EQ(mc.site_id, "S");
  EXPECT_EQ(mc.territory, "lyon");
  EXPECT_EQ(mc.value, g.conventions[0].mean_score_gain);
  EXPECT_EQ(mc.count, g.conventions[0].options);
  EXPECT_THAT(mc.detail, HasSubstr("site S and partner "));
  int brokers = 0;
  for (const PartnerGraphRow& r : rows) {
    if (r.kind != "broker") continue;
    ++brokers;
    EXPECT_EQ(r.value, 0.0);
    EXPECT_EQ(r.count, 1);
  }
  EXPECT_EQ(brokers, 2);  // the sante and the logement referrals
}

// --- Options --------------------------------------------------------------

TEST(PartnerGraphTest, OptionsValidation) {
  EXPECT_TRUE(ValidatePartnerGraphOptions({}).ok());
  auto error = [](PartnerGraphOptions o) {
    const absl::Status st = ValidatePartnerGraphOptions(o);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    return std::string(st.message());
  };
  PartnerGraphOptions o;
  o.conventions_per_territory = -1;
  EXPECT_THAT(error(o), HasSubstr("conventions_per_territory"));
  o = {};
  o.convention_strength = 0;
  EXPECT_THAT(error(o), HasSubstr("convention_strength"));
  o.convention_strength = 1.5;
  EXPECT_THAT(error(o), HasSubstr("convention_strength"));
  o.convention_strength = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(error(o), HasSubstr("convention_strength"));
  o = {};
  o.area_km = 0;
  EXPECT_THAT(error(o), HasSubstr("area_km"));
  o.area_km = std::numeric_limits<double>::infinity();
  EXPECT_THAT(error(o), HasSubstr("area_km"));
  o.area_km = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(error(o), HasSubstr("area_km"));
  o = {};
  o.pairs_per_territory = -1;
  EXPECT_THAT(error(o), HasSubstr("pairs_per_territory"));
  o = {};
  o.convention_strength = 1.0;  // the bounds
  o.conventions_per_territory = 0;
  o.pairs_per_territory = 0;
  EXPECT_TRUE(ValidatePartnerGraphOptions(o).ok());
}

TEST(PartnerGraphTest, AnalyzeRejectsBadOptionsAndForeignPlans) {
  TwoServices t;
  PartnerGraphOptions o;
  o.area_km = -1;
  absl::StatusOr<PartnerGraphAnalysis> g =
      AnalyzePartnerGraph(t.s.ranker, t.s.plan, {}, o);
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(g.status().message(), HasSubstr("area_km"));

  AllocateOptions a;
  a.score_scale = 0;
  g = AnalyzePartnerGraph(t.s.ranker, t.s.plan, a);
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(g.status().message(), HasSubstr("score_scale"));

  Plan foreign = t.s.plan;
  foreign.assignments[0].need = NeedId(7);
  g = AnalyzePartnerGraph(t.s.ranker, foreign);
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(g.status().message(), HasSubstr("assignment 0"));
  foreign = t.s.plan;
  foreign.assignments[0].service = ServiceId(2);
  g = AnalyzePartnerGraph(t.s.ranker, foreign);
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PartnerGraphTest, EmptyNetwork) {
  const Solved s = Solve(Network());
  const PartnerGraphAnalysis g = Analyze(s);
  EXPECT_TRUE(g.isolated.empty());
  EXPECT_TRUE(g.components.empty());
  EXPECT_TRUE(g.brokers.empty());
  EXPECT_TRUE(PartnerGraphRows(s.net(), g).empty());
}

// --- Random networks against brute force -----------------------------------

// Vertices as in the header: sites, then partners; edges without repeats.
std::vector<std::vector<int>> Adjacency(const Network& net) {
  const int ns = static_cast<int>(net.sites().size());
  std::vector<std::set<int>> adj(net.sites().size() + net.partners().size());
  for (const Partnership& e : net.partnerships()) {
    const int u = e.kind == PartnershipKind::kConvention
                      ? e.site.value()
                      : ns + e.partner_b.value();
    const int v = ns + e.partner_a.value();
    adj[static_cast<size_t>(u)].insert(v);
    adj[static_cast<size_t>(v)].insert(u);
  }
  std::vector<std::vector<int>> out;
  for (const std::set<int>& a : adj) out.emplace_back(a.begin(), a.end());
  return out;
}

// Betweenness by definition: for every pair (s, t) of vertices, the
// fraction of the shortest s-t paths through v, summed, over the pairs of
// v's component other than v.
std::vector<double> BruteBetweenness(const std::vector<std::vector<int>>& adj) {
  const size_t n = adj.size();
  std::vector<std::vector<int>> dist(n, std::vector<int>(n, -1));
  std::vector<std::vector<double>> sigma(n, std::vector<double>(n, 0));
  for (size_t s = 0; s < n; ++s) {
    std::deque<int> q = {static_cast<int>(s)};
    dist[s][s] = 0;
    sigma[s][s] = 1;
    while (!q.empty()) {
      const int u = q.front();
      q.pop_front();
      for (int v : adj[static_cast<size_t>(u)]) {
        auto& dv = dist[s][static_cast<size_t>(v)];
        const int du = dist[s][static_cast<size_t>(u)];
        if (dv < 0) {
          dv = du + 1;
          q.push_back(v);
        }
        if (dv == du + 1) {
          sigma[s][static_cast<size_t>(v)] += sigma[s][static_cast<size_t>(u)];
        }
      }
    }
  }
  std::vector<double> out(n, 0);
  for (size_t v = 0; v < n; ++v) {
    size_t size = 0;  // of v's component
    for (size_t w = 0; w < n; ++w) size += dist[v][w] >= 0 ? 1 : 0;
    if (size < 3) continue;
    double sum = 0;
    for (size_t s = 0; s < n; ++s) {
      for (size_t t = s + 1; t < n; ++t) {
        if (s == v || t == v || dist[s][t] < 0) continue;
        if (dist[s][v] >= 0 && dist[s][v] + dist[v][t] == dist[s][t]) {
          sum += sigma[s][v] * sigma[v][t] / sigma[s][t];
        }
      }
    }
    out[v] = sum / (static_cast<double>((size - 1) * (size - 2)) / 2);
  }
  return out;
}

class PartnerGraphRandomTest : public ::testing::TestWithParam<int> {};

TEST_P(PartnerGraphRandomTest, MatchesBruteForce) {
  const Solved s = Solve(testing_networks::RandomNetwork(
      static_cast<uint64_t>(GetParam()) * 7919 + 11));
  const Network& net = s.net();
  PartnerGraphOptions o;
  o.area_km = 20;
  o.pairs_per_territory = 1000;
  o.conventions_per_territory = 2;
  const PartnerGraphAnalysis g = Analyze(s, o);
  const int ns = static_cast<int>(net.sites().size());
  const int np = static_cast<int>(net.partners().size());
  const std::vector<std::vector<int>> adj = Adjacency(net);

  // Isolated partners.
  std::vector<PartnerId> isolated;
  for (int p = 0; p < np; ++p) {
    if (adj[static_cast<size_t>(ns + p)].empty()) {
      isolated.push_back(PartnerId(p));
    }
  }
  EXPECT_EQ(g.isolated, isolated);

  // Components: a partition into connected sets, no edge between two, in
  // the order of the header.
  std::vector<int> comp(adj.size(), -1);
  for (size_t k = 0; k < g.components.size(); ++k) {
    const GraphComponent& c = g.components[k];
    EXPECT_TRUE(std::is_sorted(c.sites.begin(), c.sites.end()));
    EXPECT_TRUE(std::is_sorted(c.partners.begin(), c.partners.end()));
    for (SiteId v : c.sites) comp[static_cast<size_t>(v.value())] = int(k);
    for (PartnerId v : c.partners) {
      comp[static_cast<size_t>(ns + v.value())] = static_cast<int>(k);
    }
    if (k > 0) {
      const GraphComponent& prev = g.components[k - 1];
      EXPECT_GE(prev.sites.size() + prev.partners.size(),
                c.sites.size() + c.partners.size());
    }
  }
  for (size_t u = 0; u < adj.size(); ++u) {
    ASSERT_GE(comp[u], 0) << u;
    for (int v : adj[u]) EXPECT_EQ(comp[u], comp[static_cast<size_t>(v)]);
  }
  const std::vector<double> between = BruteBetweenness(adj);
  for (size_t u = 0; u < adj.size(); ++u) {
    size_t size = 0;
    for (size_t w = 0; w < adj.size(); ++w) size += comp[w] == comp[u];
    const GraphComponent& c = g.components[static_cast<size_t>(comp[u])];
    EXPECT_EQ(size, c.sites.size() + c.partners.size());
  }

  // Brokers: every partner with betweenness or referrals, with the brute
  // force values.
  std::vector<int> referrals(static_cast<size_t>(np), 0);
  for (const Assignment& a : s.plan.assignments) {
    ++referrals[static_cast<size_t>(net.service(a.service).partner.value())];
  }
  size_t expected_brokers = 0;
  for (int p = 0; p < np; ++p) {
    const double b = between[static_cast<size_t>(ns + p)];
    if (b > 1e-12 || referrals[static_cast<size_t>(p)] > 0) ++expected_brokers;
  }
  EXPECT_EQ(g.brokers.size(), expected_brokers);
  for (size_t i = 0; i < g.brokers.size(); ++i) {
    const Broker& b = g.brokers[i];
    const size_t p = static_cast<size_t>(b.partner.value());
    EXPECT_NEAR(b.betweenness, between[static_cast<size_t>(ns) + p], 1e-9);
    EXPECT_LE(b.betweenness, 1.0 + 1e-12);
    EXPECT_EQ(b.referrals, referrals[p]);
    if (i > 0) {
      EXPECT_GE(g.brokers[i - 1].betweenness, b.betweenness);
    }
  }

  // Pairs: every pair of partners, sites served from Ranker::Check.
  std::vector<ThemeSet> cats(static_cast<size_t>(np));
  for (const Service& v : net.services()) {
    for (ThemeId t : v.served.ToVector()) {
      cats[static_cast<size_t>(v.partner.value())].Add(CategoryOf(t));
    }
  }
  std::vector<std::set<int>> sites(static_cast<size_t>(np));
  for (int n = 0; n < static_cast<int>(net.needs().size()); ++n) {
    if (net.pinned_service(NeedId(n))) continue;
    const int site = net.person(net.need(NeedId(n)).person).site.value();
    for (int v = 0; v < static_cast<int>(net.services().size()); ++v) {
      if (s.ranker.Check(NeedId(n), ServiceId(v)) == Filter::kNone) {
        sites[static_cast<size_t>(net.service(ServiceId(v)).partner.value())]
            .insert(site);
      }
    }
  }
  for (const Assignment& a : s.plan.assignments) {
    sites[static_cast<size_t>(net.service(a.service).partner.value())].insert(
        net.person(a.person).site.value());
  }
  std::set<std::pair<int, int>> dup, cpl;
  for (int a = 0; a < np; ++a) {
    for (int b = a + 1; b < np; ++b) {
      const ThemeSet& ca = cats[static_cast<size_t>(a)];
      const ThemeSet& cb = cats[static_cast<size_t>(b)];
      if (ca.Empty() || cb.Empty()) continue;
      const Partner& pa = net.partner(PartnerId(a));
      const Partner& pb = net.partner(PartnerId(b));
      if (GreatCircleKm(pa.lat, pa.lng, pb.lat, pb.lng) > o.area_km) continue;
      if (ca == cb) dup.insert({a, b});
      bool common = false;
      for (int x : sites[static_cast<size_t>(a)]) {
        common = common || sites[static_cast<size_t>(b)].count(x) > 0;
      }
      if (!ca.Intersects(cb) && common) cpl.insert({a, b});
    }
  }
  std::set<std::pair<int, int>> got_dup, got_cpl;
  for (const PartnerPair& p : g.duplicates) {
    got_dup.insert({p.a.value(), p.b.value()});
  }
  for (const PartnerPair& p : g.complements) {
    got_cpl.insert({p.a.value(), p.b.value()});
  }
  EXPECT_EQ(got_dup, dup);
  EXPECT_EQ(got_cpl, cpl);
  EXPECT_EQ(got_dup.size(), g.duplicates.size());

  // Missing conventions: no convention exists; the levels never change;
  // scores only rise.
  EXPECT_LE(g.conventions.size(), 2u);  // one territory
  for (const ConventionValue& v : g.conventions) {
    EXPECT_EQ(net.ConventionStrength(v.site, v.partner), 0.0);
    EXPECT_GT(v.options, 0);
    EXPECT_GE(v.mean_score_gain, -1e-12);
    EXPECT_EQ(v.gain.people, 0);
    EXPECT_EQ(v.gain.needs, 0);
    EXPECT_EQ(v.gain.urgency, 0);
    EXPECT_GE(v.gain.scaled, 0);  // the old plan is feasible after
    EXPECT_LE(v.referrals_moved,
              static_cast<int32_t>(s.plan.assignments.size()) * 2);
  }

  // One row per finding.
  EXPECT_EQ(PartnerGraphRows(net, g).size(),
            g.isolated.size() + g.site_gaps.size() + g.components.size() +
                g.brokers.size() + g.duplicates.size() + g.complements.size() +
                g.conventions.size());
}

INSTANTIATE_TEST_SUITE_P(Seeds, PartnerGraphRandomTest,
                         ::testing::Range(0, 20));

}  // namespace
}  // namespace maillage
