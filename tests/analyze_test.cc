// GapAnalyzer and Coverage (maillage/analyze.h): crafted networks where the
// answer is known, and every gain checked against a re-solve of the edited
// network on random and generated ones.

#include "maillage/analyze.h"

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/edit.h"
#include "maillage/geo.h"
#include "maillage/network.h"
#include "maillage/rank.h"
#include "maillage/synth.h"
#include "maillage/vocabulary.h"
#include "random_network.h"

namespace maillage {
namespace {

// The levels of a re-solve of `net` minus those of `before`.
Gain ResolveGain(const Network& net, const RankOptions& rank_options,
                 const PlanObjective& before) {
  absl::StatusOr<Ranker> r = Ranker::Create(net, rank_options);
  EXPECT_TRUE(r.ok()) << r.status();
  absl::StatusOr<Plan> p = Allocate(*r);
  EXPECT_TRUE(p.ok()) << p.status();
  return GainBetween(before, p->objective);
}

void ExpectSameLevels(const Gain& got, const Gain& want,
                      const std::string& what) {
  EXPECT_EQ(got.people, want.people) << what;
  EXPECT_EQ(got.needs, want.needs) << what;
  EXPECT_EQ(got.urgency, want.urgency) << what;
}

// One site near Lyon; people and services placed by offsets in km.
struct Crafted {
  NetworkBuilder b;
  static constexpr double kLat = 45.75, kLng = 4.85;
  static double Lng(double km) {
    return kLng + km / (111.195 * std::cos(kLat * M_PI / 180.0));
  }
  Crafted() {
    b.Add<SiteRow>({"S", "site", "t", "69123", kLat, kLng});
    b.Add<PartnerRow>({"P", "partner", "", "69123", kLat, kLng, "", {}, ""});
  }
  void Service(const std::string& id, const std::string& theme, int places,
               double km = 0, std::vector<std::string> publics = {},
               std::vector<std::string> zone = {}) {
    ServiceRow s;
    s.id = id;
    s.partner_id = "P";
    s.thematiques = {theme};
    s.publics = std::move(publics);
    s.zone_eligibilite = std::move(zone);
    s.lat = kLat;
    s.lng = Lng(km);
    s.capacity_available = places;
    b.Add<ServiceRow>(std::move(s));
  }
  void Person(const std::string& id, const std::string& commune, double lat,
              double lng, std::vector<std::string> publics = {}) {
    PersonRow p;
    p.id = id;
    p.site_id = "S";
    p.insee_com = commune;
    p.lat = lat;
    p.lng = lng;
    p.publics = std::move(publics);
    b.Add<PersonRow>(std::move(p));
  }
  void Need(const std::string& person, const std::string& theme) {
    b.Add<NeedRow>({person, theme, 2});
  }
  Network Build() && {
    absl::StatusOr<Network> net = std::move(b).Build();
    EXPECT_TRUE(net.ok()) << net.status();
    return *std::move(net);
  }
};

GapAnalyzer Analyzer(const Network& net) {
  absl::StatusOr<Ranker> r = Ranker::Create(net);
  EXPECT_TRUE(r.ok()) << r.status();
  absl::StatusOr<GapAnalyzer> a = GapAnalyzer::Create(*r);
  EXPECT_TRUE(a.ok()) << a.status();
  return *std::move(a);
}

// --- Coverage -------------------------------------------------------------

TEST(CoverageTest, CountsEveryNeedOnceInEachGrouping) {
  const Network net = testing_networks::RandomNetwork(7);
  absl::StatusOr<Ranker> r = Ranker::Create(net);
  ASSERT_TRUE(r.ok());
  absl::StatusOr<Plan> plan = Allocate(*r);
  ASSERT_TRUE(plan.ok());
  const std::vector<CoverageRow> rows = Coverage(net, *plan);
  int64_t by_territory = 0, by_epci = 0, by_commune = 0, covered = 0;
  for (const CoverageRow& row : rows) {
    if (!row.category.empty()) continue;
    int64_t unmatched = 0;
    for (int64_t u : row.unmatched) unmatched += u;
    EXPECT_EQ(row.needs, row.needs_covered + unmatched);
    EXPECT_LE(row.people_without_covered_need, row.people);
    if (row.by == CoverageBy::kTerritory) {
      by_territory += row.needs;
      covered += row.needs_covered;
      EXPECT_EQ(row.people_without_covered_need,
                plan->objective.people - plan->objective.people_covered);
    }
    if (row.by == CoverageBy::kEpci) by_epci += row.needs;
    if (row.by == CoverageBy::kCommune) by_commune += row.needs;
  }
  EXPECT_EQ(by_territory, plan->objective.needs);
  EXPECT_EQ(by_epci, plan->objective.needs);
  EXPECT_EQ(by_commune, plan->objective.needs);
  EXPECT_EQ(covered, plan->objective.needs_covered);
}

TEST(CoverageTest, PublicRowsShowWhoTheNetMisses) {
  Crafted c;
  c.Service("H", "sante", 5, 0, {"jeunes"});
  c.Person("young", "69381", Crafted::kLat, Crafted::kLng, {"jeunes"});
  c.Person("woman", "69381", Crafted::kLat, Crafted::kLng, {"femmes"});
  c.Need("young", "sante");
  c.Need("woman", "sante");
  const Network net = std::move(c).Build();
  absl::StatusOr<Ranker> r = Ranker::Create(net);
  ASSERT_TRUE(r.ok());
  absl::StatusOr<Plan> plan = Allocate(*r);
  ASSERT_TRUE(plan.ok());
  int found = 0;
  for (const CoverageRow& row : Coverage(net, *plan)) {
    if (row.by != CoverageBy::kPublic || row.category != "sante") continue;
    if (row.public_code == "jeunes") {
      EXPECT_EQ(row.needs_covered, 1);
      EXPECT_EQ(row.people_without_covered_need, 0);
      ++found;
    }
    if (row.public_code == "femmes") {
      EXPECT_EQ(row.needs_covered, 0);
      EXPECT_EQ(row.people_without_covered_need, 1);
      EXPECT_EQ(
          row.unmatched[static_cast<size_t>(UnmatchedReason::kNotEligible)], 1);
      ++found;
    }
  }
  EXPECT_EQ(found, 2);
}

// --- Marginal gains -------------------------------------------------------

class RandomGainTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RandomGainTest, MarginalGainEqualsReSolve) {
  const Network net = testing_networks::RandomNetwork(GetParam());
  GapAnalyzer a = Analyzer(net);
  const PlanObjective before = a.plan().objective;
  for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); ++s) {
    const Service& svc = net.service(ServiceId(s));
    if (!svc.capacity_known) continue;
    for (int32_t places : {1, 2}) {
      const ServiceId id(s);
      absl::StatusOr<Gain> g = a.MarginalGain({&id, 1}, places);
      ASSERT_TRUE(g.ok()) << g.status();
      absl::StatusOr<Network> more = WithCapacity(
          net,
          {{svc.id, net.pinned_places(id) + net.free_places(id) + places}});
      ASSERT_TRUE(more.ok()) << more.status();
      ExpectSameLevels(*g, ResolveGain(*more, a.ranker().options(), before),
                       svc.id);
      EXPECT_GE(g->scaled, 0);
    }
  }
  // Several services together.
  std::vector<ServiceId> all;
  std::vector<std::pair<std::string, int64_t>> places;
  for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); s += 3) {
    all.push_back(ServiceId(s));
    places.push_back(
        {net.service(ServiceId(s)).id,
         net.pinned_places(ServiceId(s)) + net.free_places(ServiceId(s)) + 1});
  }
  absl::StatusOr<Gain> g = a.MarginalGain(all, 1);
  ASSERT_TRUE(g.ok());
  absl::StatusOr<Network> more = WithCapacity(net, places);
  ASSERT_TRUE(more.ok());
  ExpectSameLevels(*g, ResolveGain(*more, a.ranker().options(), before),
                   "together");
}

TEST_P(RandomGainTest, PortfolioIsVerifiedByReSolve) {
  const Network net = testing_networks::RandomNetwork(GetParam());
  GapAnalyzer a = Analyzer(net);
  absl::StatusOr<PlacePortfolio> p = a.RecommendPlaces(4, "");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_LE(p->steps.size(), 4u);
  Gain sum;
  for (const PlaceStep& s : p->steps) {
    EXPECT_TRUE(s.gain.people > 0 || s.gain.needs > 0 || s.gain.urgency > 0);
    // The shadow price bounds the gain of one more place.
    EXPECT_LE(s.gain.scaled, s.shadow_price_scaled);
    sum.people += s.gain.people;
    sum.needs += s.gain.needs;
    sum.urgency += s.gain.urgency;
  }
  ExpectSameLevels(p->expected, sum, "sum of steps");
  EXPECT_TRUE(p->verified.matches_expected);
  ExpectSameLevels(p->verified.gain, p->expected, "verified");
  // The analyzer is back at the baseline: the same question, the same answer.
  absl::StatusOr<PlacePortfolio> again = a.RecommendPlaces(4, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->steps.size(), p->steps.size());
  ExpectSameLevels(again->expected, p->expected, "again");
}

TEST_P(RandomGainTest, EveryHelpIsVerifiedByReSolve) {
  const Network net = testing_networks::RandomNetwork(GetParam());
  GapAnalyzer a = Analyzer(net);
  absl::StatusOr<std::vector<Help>> helps = a.WhatWouldHelp();
  ASSERT_TRUE(helps.ok()) << helps.status();
  EXPECT_EQ(helps->size(), a.plan().unmatched.size());
  const PlanObjective before = a.plan().objective;
  for (const Help& h : *helps) {
    if (h.kind == HelpKind::kNone) continue;
    // Better at the first three levels (people first).
    EXPECT_TRUE(
        h.gain.people > 0 ||
        (h.gain.people == 0 &&
         (h.gain.needs > 0 || (h.gain.needs == 0 && h.gain.urgency > 0))));
    ASSERT_TRUE(h.service.valid());
    NetworkRows rows = RowsOf(net);
    ServiceRow& svc = rows.services[static_cast<size_t>(h.service.value())];
    PersonRow& person = rows.persons[static_cast<size_t>(h.person.value())];
    switch (h.kind) {
      case HelpKind::kPlace:
        if (!svc.capacity_available) continue;
        svc.capacity_available =
            net.pinned_places(h.service) + net.free_places(h.service) + 1;
        if (svc.capacity_max && *svc.capacity_max < *svc.capacity_available) {
          svc.capacity_max = svc.capacity_available;
        }
        break;
      case HelpKind::kReach:
        person.max_distance_km =
            person.max_distance_km.value_or(
                a.ranker().options().default_max_distance_km) +
            h.extra_km;
        break;
      case HelpKind::kZone:
        svc.zone_eligibilite.push_back(person.insee_com);
        break;
      case HelpKind::kPublic:
        svc.publics.push_back(h.public_code);
        break;
      case HelpKind::kNone:
        break;
    }
    absl::StatusOr<Network> edited = BuildNetwork(std::move(rows));
    ASSERT_TRUE(edited.ok()) << edited.status();
    ExpectSameLevels(
        h.gain, ResolveGain(*edited, a.ranker().options(), before),
        absl::StrCat(HelpKindCode(h.kind), " for need ", h.need.value()));
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomGainTest,
                         ::testing::Range<uint64_t>(1, 13));

// A positive shadow price that promises a gain no place brings (degenerate
// duals) gets gain 0.
TEST(MarginalGainTest, PositiveShadowPriceWithoutGainIsZero) {
  SynthOptions o;
  o.territories = {"lyon"};
  absl::StatusOr<Network> net = Generate(o);
  ASSERT_TRUE(net.ok());
  GapAnalyzer a = Analyzer(*net);
  const PlanObjective before = a.plan().objective;
  int checked = 0;
  for (const ShadowPrice& sp : a.plan().shadow_prices) {
    if (sp.scaled <= 0 || checked >= 3) continue;
    const Service& svc = net->service(sp.service);
    if (!svc.capacity_known) continue;
    absl::StatusOr<Gain> g = a.MarginalGain({&sp.service, 1}, 1);
    ASSERT_TRUE(g.ok());
    if (g->people != 0 || g->needs != 0 || g->urgency != 0) continue;
    absl::StatusOr<Network> more =
        WithCapacity(*net, {{svc.id, net->pinned_places(sp.service) +
                                         net->free_places(sp.service) + 1}});
    ASSERT_TRUE(more.ok());
    const Gain real = ResolveGain(*more, a.ranker().options(), before);
    ExpectSameLevels(real, Gain{}, svc.id);
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no degenerate shadow price in the generated lyon";
}

TEST(MarginalGainTest, BadArguments) {
  GapAnalyzer a = Analyzer(testing_networks::RandomNetwork(3));
  const ServiceId s(0), bad(100000);
  EXPECT_EQ(a.MarginalGain({&s, 1}, -1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(a.MarginalGain({&bad, 1}, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(a.RecommendPlaces(-1, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  GapOptions g;
  g.max_reach_km = -1;
  EXPECT_EQ(ValidateGapOptions(g).code(), absl::StatusCode::kInvalidArgument);
}

// --- Crafted answers ------------------------------------------------------

// Housing demand in Villeurbanne, no housing partner anywhere: the top
// recruitment is a housing service there.
TEST(RecruitmentTest, HousingClusterWithoutPartnerComesFirst) {
  Crafted c;
  c.Service("E", "sante", 10);
  const Commune* vil = FindCommune("69266");
  const Commune* ste = FindCommune("42218");
  ASSERT_NE(vil, nullptr);
  ASSERT_NE(ste, nullptr);
  for (int i = 0; i < 4; ++i) {
    const std::string id = absl::StrCat("v", i);
    c.Person(id, "69266", vil->lat, vil->lng);
    c.Need(id, "logement-hebergement");
  }
  c.Person("far", "42218", ste->lat, ste->lng);
  c.Need("far", "logement-hebergement");
  c.Person("ok", "69381", Crafted::kLat, Crafted::kLng);
  c.Need("ok", "sante");
  const Network net = std::move(c).Build();
  GapAnalyzer a = Analyzer(net);
  absl::StatusOr<RecruitmentPlan> plan = a.RecommendRecruitments("t");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_GE(plan->recruitments.size(), 1u);
  const Recruitment& top = plan->recruitments[0];
  EXPECT_EQ(top.category, "logement-hebergement");
  EXPECT_EQ(top.insee_com, "69266");
  EXPECT_EQ(top.epci, vil->epci);
  EXPECT_EQ(top.places, 4);
  EXPECT_EQ(top.people_served, 4);
  EXPECT_EQ(top.unmatched_here, 4);
  EXPECT_EQ(top.gain.needs, 4);
  EXPECT_EQ(top.gain.people, 4);
  // The far person gets their own, after; nobody counted twice.
  ASSERT_EQ(plan->recruitments.size(), 2u);
  EXPECT_EQ(plan->recruitments[1].insee_com, "42218");
  EXPECT_EQ(plan->recruitments[1].gain.needs, 1);
  EXPECT_TRUE(plan->verified.matches_expected);
  EXPECT_EQ(plan->verified.gain.needs, 5);
}

// A recruitment is the size of a partner the territory knows: here its
// largest service has 2 places, so the housing partner gets 2, not 4.
TEST(RecruitmentTest, PlacesAtMostTheTerritorysLargestService) {
  Crafted c;
  c.Service("E", "sante", 2);
  const Commune* vil = FindCommune("69266");
  ASSERT_NE(vil, nullptr);
  for (int i = 0; i < 4; ++i) {
    const std::string id = absl::StrCat("v", i);
    c.Person(id, "69266", vil->lat, vil->lng);
    c.Need(id, "logement-hebergement");
  }
  const Network net = std::move(c).Build();
  GapAnalyzer a = Analyzer(net);
  absl::StatusOr<RecruitmentPlan> plan = a.RecommendRecruitments("t");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_GE(plan->recruitments.size(), 1u);
  const Recruitment& top = plan->recruitments[0];
  EXPECT_EQ(top.insee_com, "69266");
  EXPECT_EQ(top.places, 2);
  EXPECT_EQ(top.gain.needs, 2);
  EXPECT_TRUE(plan->verified.matches_expected);
}

TEST(HelpTest, EachKindOfChange) {
  Crafted c;
  // Full: two people for one place.
  c.Service("full", "sante", 1);
  // Out of reach: 36 km away (reach 30 km).
  c.Service("far", "mobilite", 3, 36.0);
  // Zone: a service for Grenoble only.
  c.Service("zoned", "famille", 3, 0, {}, {"38185"});
  // Public: a service for women only.
  c.Service("women", "equipement-et-alimentation", 3, 0, {"femmes"});
  c.Person("a", "69381", Crafted::kLat, Crafted::kLng, {"jeunes"});
  c.Person("b", "69381", Crafted::kLat, Crafted::kLng, {"jeunes"});
  c.Need("a", "sante");
  c.Need("b", "sante");
  c.Need("a", "mobilite");
  c.Need("a", "famille");
  c.Need("a", "equipement-et-alimentation");
  const Network net = std::move(c).Build();
  GapAnalyzer a = Analyzer(net);
  absl::StatusOr<std::vector<Help>> helps = a.WhatWouldHelp();
  ASSERT_TRUE(helps.ok()) << helps.status();
  ASSERT_EQ(helps->size(), 4u);
  std::map<std::string, const Help*> by_theme;
  for (const Help& h : *helps) {
    by_theme[std::string(ThemeCode(net.need(h.need).theme))] = &h;
  }
  ASSERT_EQ(by_theme.count("sante"), 1u);
  EXPECT_EQ(by_theme["sante"]->kind, HelpKind::kPlace);
  EXPECT_EQ(net.service(by_theme["sante"]->service).id, "full");
  EXPECT_EQ(by_theme["sante"]->gain.needs, 1);
  EXPECT_EQ(by_theme["mobilite"]->kind, HelpKind::kReach);
  EXPECT_EQ(by_theme["mobilite"]->reason, UnmatchedReason::kOutOfReach);
  EXPECT_NEAR(by_theme["mobilite"]->extra_km, 6.0, 0.11);
  EXPECT_EQ(by_theme["famille"]->kind, HelpKind::kZone);
  EXPECT_EQ(net.service(by_theme["famille"]->service).id, "zoned");
  EXPECT_EQ(by_theme["equipement-et-alimentation"]->kind, HelpKind::kPublic);
  EXPECT_EQ(by_theme["equipement-et-alimentation"]->public_code, "jeunes");
  for (const auto& [theme, h] : by_theme) EXPECT_EQ(h->gain.needs, 1) << theme;
}

TEST(HelpTest, NothingHelpsWithoutAnyService) {
  Crafted c;
  c.Service("s", "sante", 1);
  c.Person("a", "69381", Crafted::kLat, Crafted::kLng);
  c.Need("a", "mobilite");
  const Network net = std::move(c).Build();
  GapAnalyzer a = Analyzer(net);
  absl::StatusOr<std::vector<Help>> helps = a.WhatWouldHelp();
  ASSERT_TRUE(helps.ok());
  ASSERT_EQ(helps->size(), 1u);
  EXPECT_EQ((*helps)[0].kind, HelpKind::kNone);
  EXPECT_EQ((*helps)[0].reason, UnmatchedReason::kNoServiceForTheme);
}

}  // namespace
}  // namespace maillage
