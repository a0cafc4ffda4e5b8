#include "maillage/synth.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "maillage/geo.h"
#include "maillage/network.h"
#include "maillage/vocabulary.h"
#include "network_equality.h"
#include "synth/partner_kinds.h"
#include "synth/random.h"

namespace maillage {
namespace {

using ::testing::Test;

Network MustGenerate(const SynthOptions& o) {
  absl::StatusOr<Network> net = Generate(o);
  EXPECT_TRUE(net.ok()) << net.status();
  return net.ok() ? *std::move(net) : Network();
}

SynthOptions Options(std::vector<std::string> territories, uint64_t seed,
                     double scale = 1.0) {
  SynthOptions o;
  o.territories = std::move(territories);
  o.seed = seed;
  o.scale = scale;
  return o;
}

// The all-territory network at scale 1, seed 1, built once for the suite.
class SynthTerritoriesTest : public Test {
 protected:
  static void SetUpTestSuite() {
    net_ = new Network(MustGenerate(SynthOptions{}));
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }
  static Network* net_;
};
Network* SynthTerritoriesTest::net_ = nullptr;

// ---------------------------------------------------------------------------
// Portable randomness
// ---------------------------------------------------------------------------

TEST(SynthRandomTest, EngineIsTheStandardMersenneTwister) {
  // [rand.predef]: the 10000th output of a default-constructed mt19937_64.
  synth::Rng rng(5489u);
  uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.Next();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(SynthRandomTest, UniformIntStaysInRangeAndHitsEveryValue) {
  synth::Rng rng(3);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const int64_t v = rng.UniformInt(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    ++seen[static_cast<size_t>(v + 3)];
  }
  for (int c : seen) EXPECT_GT(c, 800);  // expected 1000 each
  EXPECT_EQ(rng.UniformInt(5, 5), 5);
}

TEST(SynthRandomTest, WeightedDrawsNeverPickAZeroWeight) {
  synth::Rng rng(11);
  const std::vector<double> w = {0, 2, 0, 0, 1, 0};
  const synth::CumulativeWeights cw(w);
  int ones = 0;
  for (int i = 0; i < 3000; ++i) {
    const size_t a = cw.Draw(rng), b = rng.Weighted(w);
    ASSERT_TRUE(a == 1 || a == 4) << a;
    ASSERT_TRUE(b == 1 || b == 4) << b;
    ones += a == 1;
  }
  EXPECT_NEAR(ones / 3000.0, 2.0 / 3, 0.05);
}

TEST(SynthRandomTest, ApportionSumsToTotalAndFollowsWeights) {
  const std::vector<int64_t> parts =
      synth::Apportion(10, std::vector<double>{1, 1, 1});
  EXPECT_EQ(parts, (std::vector<int64_t>{4, 3, 3}));
  const std::vector<int64_t> skewed =
      synth::Apportion(100, std::vector<double>{0, 3, 1});
  EXPECT_EQ(skewed, (std::vector<int64_t>{0, 75, 25}));
  EXPECT_EQ(synth::Apportion(5, std::vector<double>{0, 0}),
            (std::vector<int64_t>{3, 2}));
}

// ---------------------------------------------------------------------------
// Territories table
// ---------------------------------------------------------------------------

TEST(ConvergenceTerritoriesTest, EightTerritoriesWithPublishedTotals) {
  absl::Span<const TerritoryInfo> all = ConvergenceTerritories();
  ASSERT_EQ(all.size(), 8u);
  int sites = 0, persons = 0;
  for (const TerritoryInfo& t : all) {
    sites += t.sites;
    persons += t.persons;
    EXPECT_FALSE(t.departements.empty()) << t.name;
    for (const std::string& d : t.departements) {
      EXPECT_TRUE(IsDepartementCode(d)) << t.name << " " << d;
    }
    EXPECT_TRUE(IsCommuneCode(t.center_insee_com)) << t.name;
  }
  EXPECT_EQ(sites, 48);
  EXPECT_EQ(persons, 1670);
  EXPECT_EQ(all[0].name, "lyon");
  EXPECT_EQ(all[3].name, "paris");
  EXPECT_EQ(all[3].departements,
            (std::vector<std::string>{"75", "92", "93", "94"}));
}

// ---------------------------------------------------------------------------
// Counts, ids, fields
// ---------------------------------------------------------------------------

TEST_F(SynthTerritoriesTest, CountsMatchTheTerritoriesTable) {
  const Network& net = *net_;
  EXPECT_EQ(net.sites().size(), 48u);
  EXPECT_EQ(net.persons().size(), 1670u);
  std::map<std::string, int> sites, persons;
  for (const Site& s : net.sites()) ++sites[s.territory];
  for (const Person& p : net.persons()) ++persons[net.site(p.site).territory];
  for (const TerritoryInfo& t : ConvergenceTerritories()) {
    EXPECT_EQ(sites[t.name], t.sites) << t.name;
    EXPECT_EQ(persons[t.name], t.persons) << t.name;
  }
  EXPECT_EQ(net.Territories().size(), 8u);
  // ~persons / 3 services, ~services / 2.5 partners, per territory.
  EXPECT_NEAR(static_cast<double>(net.services().size()), 1670 / 3.0, 8);
  EXPECT_NEAR(static_cast<double>(net.partners().size()),
              static_cast<double>(net.services().size()) / 2.5, 8);
}

TEST_F(SynthTerritoriesTest, IdsAndNamesFollowTheConventions) {
  const Network& net = *net_;
  for (const Site& s : net.sites()) {
    EXPECT_TRUE(absl::StartsWith(s.id, "S-" + s.territory + "-")) << s.id;
    EXPECT_TRUE(absl::StartsWith(s.name, "ACI ")) << s.name;
  }
  for (const Partner& p : net.partners()) {
    EXPECT_TRUE(absl::StartsWith(p.id, "P-")) << p.id;
  }
  for (const Service& s : net.services()) {
    EXPECT_TRUE(absl::StartsWith(s.id, "SV-")) << s.id;
    EXPECT_TRUE(absl::StartsWith(s.name, net.partner(s.partner).name))
        << s.name;
  }
  // Persons: "p-<territory>-NNNNNN", nothing else (no names).
  for (const Person& p : net.persons()) {
    const std::string prefix = "p-" + net.site(p.site).territory + "-";
    ASSERT_TRUE(absl::StartsWith(p.id, prefix)) << p.id;
    const std::string number = p.id.substr(prefix.size());
    EXPECT_EQ(number.size(), 6u) << p.id;
    int n = 0;
    EXPECT_TRUE(absl::SimpleAtoi(number, &n)) << p.id;
  }
}

TEST_F(SynthTerritoriesTest, PeopleLiveNearTheirSiteInRealCommunes) {
  const Network& net = *net_;
  int no_car = 0;
  for (const Person& p : net.persons()) {
    const Commune* c = FindCommune(p.insee_com);
    ASSERT_NE(c, nullptr) << p.id;
    ASSERT_TRUE(c->has_location);
    EXPECT_LE(GreatCircleKm(p.lat, p.lng, c->lat, c->lng), 1.0) << p.id;
    const Site& s = net.site(p.site);
    EXPECT_LE(GreatCircleKm(c->lat, c->lng, s.lat, s.lng), 25.0 + 1.0) << p.id;
    ASSERT_TRUE(p.age.has_value());
    EXPECT_GE(*p.age, 18);
    EXPECT_LE(*p.age, 64);
    const bool jeune = (p.publics >> *ParsePublic("jeunes")) & 1;
    EXPECT_EQ(jeune, *p.age < 26) << p.id;
    const bool senior = (p.publics >> *ParsePublic("seniors")) & 1;
    EXPECT_EQ(senior, *p.age >= 55) << p.id;
    if (p.max_distance_km.has_value()) {
      ++no_car;
      EXPECT_GE(*p.max_distance_km, 10);
      EXPECT_LE(*p.max_distance_km, 20);
    }
  }
  EXPECT_NEAR(no_car / 1670.0, 0.20, 0.04);
  for (const Site& s : net.sites()) {
    const Commune* c = FindCommune(s.insee_com);
    ASSERT_NE(c, nullptr) << s.id;
    EXPECT_LE(GreatCircleKm(s.lat, s.lng, c->lat, c->lng), 1.0);
    // A territory's sites are in its départements.
    const auto& all = ConvergenceTerritories();
    auto t = std::find_if(all.begin(), all.end(), [&](const TerritoryInfo& x) {
      return x.name == s.territory;
    });
    ASSERT_NE(t, all.end());
    EXPECT_NE(
        std::find(t->departements.begin(), t->departements.end(), c->insee_dep),
        t->departements.end())
        << s.id;
  }
}

TEST_F(SynthTerritoriesTest, NeedsPerPersonFollowTheDistribution) {
  const Network& net = *net_;
  std::vector<int> histogram(6, 0);
  const auto n = static_cast<int32_t>(net.persons().size());
  for (int32_t p = 0; p < n; ++p) {
    const int count =
        net.end_need(PersonId(p)).value() - net.first_need(PersonId(p)).value();
    ASSERT_GE(count, 1);
    ASSERT_LE(count, 5);
    ++histogram[static_cast<size_t>(count)];
    // No theme twice for one person.
    std::set<ThemeId> themes;
    for (int32_t i = net.first_need(PersonId(p)).value();
         i < net.end_need(PersonId(p)).value(); ++i) {
      EXPECT_TRUE(themes.insert(net.need(NeedId(i)).theme).second);
    }
  }
  const double mean = static_cast<double>(net.needs().size()) / n;
  EXPECT_NEAR(mean, 2.75, 0.12);  // sd of the mean ~0.028
  const double expected[] = {0, 0.15, 0.30, 0.30, 0.15, 0.10};
  for (int k = 1; k <= 5; ++k) {
    EXPECT_NEAR(histogram[static_cast<size_t>(k)] / static_cast<double>(n),
                expected[k], 0.04)
        << k << " needs";
  }
}

TEST_F(SynthTerritoriesTest, NeedsHaveValidThemesAndUrgentHousing) {
  const Network& net = *net_;
  const ThemeId housing = *ParseTheme("logement-hebergement");
  int urgent = 0, housing_needs = 0, housing_urgent = 0, categories = 0;
  std::map<ThemeId, int> by_category;
  for (const Need& need : net.needs()) {
    ASSERT_LT(need.theme, NumThemes());
    ASSERT_GE(need.urgency, kMinUrgency);
    ASSERT_LE(need.urgency, kMaxUrgency);
    urgent += need.urgency == 3;
    categories += IsCategory(need.theme);
    ++by_category[CategoryOf(need.theme)];
    if (CategoryOf(need.theme) == housing) {
      ++housing_needs;
      housing_urgent += need.urgency == 3;
    }
  }
  const auto total = static_cast<double>(net.needs().size());
  EXPECT_NEAR(urgent / total, 0.25, 0.04);
  EXPECT_NEAR(categories / total, 0.5, 0.04);
  EXPECT_GT(housing_urgent / static_cast<double>(housing_needs), 0.33);
  // Housing is the most frequent need.
  for (const auto& [c, count] : by_category) {
    if (c != housing) {
      EXPECT_GT(by_category[housing], count);
    }
  }
}

TEST_F(SynthTerritoriesTest, ServicesAreValidAndFollowTheirKind) {
  const Network& net = *net_;
  const ThemeId permis = *ParseTheme("mobilite--preparer-un-permis");
  const PublicId jeunes = *ParsePublic("jeunes");
  int remote = 0;
  for (const Service& s : net.services()) {
    EXPECT_FALSE(s.themes.Empty()) << s.id;
    EXPECT_TRUE(s.served == ServedThemes(s.themes)) << s.id;
    EXPECT_NE(s.publics, 0) << s.id;
    EXPECT_LT(s.publics, 1u << NumPublics()) << s.id;
    EXPECT_GE(s.capacity_available, 0) << s.id;
    EXPECT_GE(s.capacity_max, s.capacity_available) << s.id;
    EXPECT_TRUE(absl::StartsWith(s.updated, "2026-")) << s.id;
    EXPECT_TRUE(s.modes == kRemoteBit || s.modes == kInPersonBit) << s.id;
    const Partner& p = net.partner(s.partner);
    if (s.remote()) {
      ++remote;  // a zone: the territory's départements or "france"
      EXPECT_TRUE(s.zone.france || !s.zone.departements.empty()) << s.id;
    } else {
      ASSERT_TRUE(s.has_location) << s.id;
      EXPECT_EQ(s.insee_com, p.insee_com) << s.id;
      EXPECT_LE(GreatCircleKm(s.lat, s.lng, p.lat, p.lng), 0.5) << s.id;
    }
    if (p.kind == "ccas-cias" && s.in_person()) {
      EXPECT_EQ(s.zone.communes, std::vector<std::string>{p.insee_com});
    }
    if (p.kind == "cmp" && s.in_person()) {
      EXPECT_TRUE(std::binary_search(s.zone.communes.begin(),
                                     s.zone.communes.end(), p.insee_com))
          << s.id;
      EXPECT_LE(s.zone.communes.size(), 40u);
    }
    if (p.kind == "mission-locale") {
      EXPECT_EQ(s.publics, PublicSet{1} << jeunes) << s.id;
      EXPECT_EQ(s.min_age, 16);
      EXPECT_EQ(s.max_age, 25);
    }
    if (s.themes.Contains(permis)) {
      EXPECT_LE(s.capacity_available, 3) << s.id;  // scarce
    }
  }
  EXPECT_GT(remote, 0);
  EXPECT_LT(remote, static_cast<int>(net.services().size()) / 10);
}

TEST_F(SynthTerritoriesTest, PartnerKindsAreReseauxPorteurs) {
  std::set<std::string> kinds;
  for (const Partner& p : net_->partners()) {
    kinds.insert(p.kind);
    EXPECT_TRUE(IsReseauPorteur(p.kind) || p.kind == "asl") << p.kind;
  }
  // The core of every territory is there.
  for (const char* core : synth::CoreKinds()) {
    EXPECT_TRUE(kinds.count(core)) << core;
  }
  EXPECT_GT(kinds.size(), 25u);
}

TEST_F(SynthTerritoriesTest, SupportsServeTheirNeedAndFitCapacity) {
  const Network& net = *net_;
  std::map<SupportStatus, int> by_status;
  std::set<std::pair<int32_t, ThemeId>> needs;
  for (const Need& n : net.needs()) needs.insert({n.person.value(), n.theme});
  for (const Support& s : net.supports()) {
    ++by_status[s.status];
    EXPECT_TRUE(net.service(s.service).served.Contains(s.theme));
    EXPECT_TRUE(needs.count({s.person.value(), s.theme}))
        << "a support is for one of the person's needs";
  }
  for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); ++s) {
    EXPECT_LE(net.pinned_places(ServiceId(s)),
              net.service(ServiceId(s)).capacity_available)
        << net.service(ServiceId(s)).id;
  }
  const auto total = static_cast<double>(net.needs().size());
  EXPECT_NEAR(by_status[SupportStatus::kCurrent] / total, 0.08, 0.02);
  EXPECT_NEAR(by_status[SupportStatus::kRefused] / total, 0.03, 0.015);
  EXPECT_NEAR(by_status[SupportStatus::kCompleted] / total, 0.05, 0.02);
  EXPECT_EQ(by_status[SupportStatus::kAccepted], 0);
}

TEST_F(SynthTerritoriesTest, PartnershipsAreConventionsAndCooperations) {
  const Network& net = *net_;
  std::vector<int> conventions(net.sites().size(), 0);
  std::set<std::pair<int32_t, int32_t>> site_pairs, partner_pairs;
  for (const Partnership& e : net.partnerships()) {
    EXPECT_GT(e.strength, 0);
    EXPECT_LE(e.strength, 1);
    if (e.kind == PartnershipKind::kConvention) {
      ++conventions[static_cast<size_t>(e.site.value())];
      EXPECT_TRUE(
          site_pairs.insert({e.site.value(), e.partner_a.value()}).second);
      // Within the territory: the partner's ids carry the territory.
      const std::string& t = net.site(e.site).territory;
      EXPECT_TRUE(
          absl::StartsWith(net.partner(e.partner_a).id, "P-" + t + "-"));
    } else {
      EXPECT_NE(e.partner_a, e.partner_b);
      const auto a = e.partner_a.value(), b = e.partner_b.value();
      EXPECT_TRUE(
          partner_pairs.insert({std::min(a, b), std::max(a, b)}).second);
    }
  }
  for (size_t s = 0; s < conventions.size(); ++s) {
    EXPECT_GE(conventions[s], 5) << net.sites()[s].id;
    EXPECT_LE(conventions[s], 15) << net.sites()[s].id;
  }
  EXPECT_FALSE(partner_pairs.empty());
}

// ---------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------

TEST(SynthDeterminismTest, SameSeedSameNetwork) {
  const SynthOptions o = Options({"lyon", "rouen"}, 42);
  const Network a = MustGenerate(o);
  const Network b = MustGenerate(o);
  ASSERT_GT(a.persons().size(), 0u);
  testing_networks::ExpectSameNetwork(a, b);
}

TEST(SynthDeterminismTest, DifferentSeedsDiffer) {
  const Network a = MustGenerate(Options({"lille"}, 1));
  const Network b = MustGenerate(Options({"lille"}, 2));
  ASSERT_EQ(a.persons().size(), b.persons().size());  // same counts
  int same_commune = 0;
  for (size_t i = 0; i < a.persons().size(); ++i) {
    same_commune += a.persons()[i].insee_com == b.persons()[i].insee_com;
  }
  EXPECT_LT(same_commune, static_cast<int>(a.persons().size()) / 2);
  bool any_site_differs = false;
  for (size_t i = 0; i < a.sites().size(); ++i) {
    any_site_differs |= a.sites()[i].lat != b.sites()[i].lat;
  }
  EXPECT_TRUE(any_site_differs);
}

TEST(SynthDeterminismTest, TerritoryIsTheSameAloneOrWithOthers) {
  absl::StatusOr<NetworkRows> alone =
      GenerateRows(Options({"nantes"}, 9));
  absl::StatusOr<NetworkRows> all = GenerateRows(Options({}, 9));
  ASSERT_TRUE(alone.ok() && all.ok());
  std::vector<const PersonRow*> from_all;
  for (const PersonRow& p : all->persons) {
    if (absl::StartsWith(p.id, "p-nantes-")) from_all.push_back(&p);
  }
  ASSERT_EQ(from_all.size(), alone->persons.size());
  for (size_t i = 0; i < from_all.size(); ++i) {
    EXPECT_EQ(from_all[i]->id, alone->persons[i].id);
    EXPECT_EQ(from_all[i]->insee_com, alone->persons[i].insee_com);
    EXPECT_EQ(from_all[i]->lat, alone->persons[i].lat);
    EXPECT_EQ(from_all[i]->publics, alone->persons[i].publics);
  }
}

TEST(SynthDeterminismTest, RowsBuildWithoutAnyProblem) {
  absl::StatusOr<NetworkRows> rows =
      GenerateRows(Options({"paris", "charente"}, 5, 2.0));
  ASSERT_TRUE(rows.ok()) << rows.status();
  NetworkBuilder builder;
  builder.AddRows(*std::move(rows));
  BuildReport report = std::move(builder).BuildWithReport();
  for (const Problem& p : report.problems) ADD_FAILURE() << p.ToString();
  EXPECT_TRUE(report.ok());
  for (const TableCounts& c : report.counts) EXPECT_EQ(c.rejected, 0);
}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

TEST(SynthOptionsTest, UnknownTerritoryIsNamed) {
  absl::StatusOr<Network> net = Generate(Options({"lyon", "atlantis"}, 1));
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(net.status().message(), "atlantis"))
      << net.status();
}

TEST(SynthOptionsTest, TerritoryListedTwiceIsRejected) {
  absl::StatusOr<Network> net = Generate(Options({"lyon", "lyon"}, 1));
  EXPECT_EQ(net.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SynthOptionsTest, BadScalesAreRejected) {
  for (double scale : {0.0, -1.0, std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    SynthOptions o = Options({"lyon"}, 1, scale);
    EXPECT_EQ(Generate(o).status().code(), absl::StatusCode::kInvalidArgument)
        << scale;
    o.national = true;
    EXPECT_EQ(Generate(o).status().code(), absl::StatusCode::kInvalidArgument)
        << scale;
  }
  // More than 10 million people.
  EXPECT_EQ(Generate(Options({}, 1, 7000)).status().code(),
            absl::StatusCode::kInvalidArgument);  // 1670 * 7000 = 11.7 M
  SynthOptions national;
  national.national = true;
  national.scale = 70;  // 150,000 * 70 = 10.5 M
  EXPECT_EQ(Generate(national).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SynthOptionsTest, ScaleMultipliesCounts) {
  const Network net =
      MustGenerate(Options({"marseille", "strasbourg"}, 3, 2.5));
  // marseille 8 sites / 135 persons, strasbourg 5 / 218.
  EXPECT_EQ(net.sites().size(), 20u + 13u);  // round(12.5)=13 (away from 0)
  EXPECT_EQ(net.persons().size(), 338u + 545u);
  // A tiny scale keeps at least one site, partner and service per territory.
  const Network tiny = MustGenerate(Options({"rouen"}, 3, 0.001));
  EXPECT_EQ(tiny.sites().size(), 1u);
  EXPECT_EQ(tiny.persons().size(), 0u);
  EXPECT_GE(tiny.services().size(), 1u);
}

// ---------------------------------------------------------------------------
// National mode
// ---------------------------------------------------------------------------

TEST(SynthNationalTest, EveryDepartementAtSmallScale) {
  SynthOptions o;
  o.national = true;
  o.scale = 0.02;
  o.territories = {"ignored"};  // ignored in national mode
  const Network net = MustGenerate(o);
  std::set<std::string> expected;
  for (const Commune& c : Communes()) {
    if (c.has_location) expected.insert("dep-" + c.insee_dep);
  }
  const std::vector<std::string> territories = net.Territories();
  EXPECT_EQ(std::set<std::string>(territories.begin(), territories.end()),
            expected);
  EXPECT_GT(expected.size(), 95u);  // metropolitan + overseas
  for (const Site& s : net.sites()) {
    const Commune* c = FindCommune(s.insee_com);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(s.territory, "dep-" + c->insee_dep);
  }
  EXPECT_EQ(net.persons().size(), 3000u);  // round(150,000 * 0.02)
  // Services: 1,000, plus at most one per département given its minimum.
  EXPECT_GE(net.services().size(), 1000u);
  EXPECT_LE(net.services().size(), 1000u + expected.size());
  EXPECT_NEAR(static_cast<double>(net.partners().size()),
              static_cast<double>(net.services().size()) / 2.5,
              static_cast<double>(expected.size()));
  // ~35 people per site, at least one site per département.
  EXPECT_GE(net.sites().size(), expected.size());
  EXPECT_LE(net.sites().size(), 3000u / 35 + expected.size());
  // The most unemployed départements have the most people.
  std::map<std::string, int> persons;
  for (const Person& p : net.persons()) ++persons[net.site(p.site).territory];
  EXPECT_GT(persons["dep-59"], persons["dep-48"]);
  EXPECT_GT(persons["dep-93"], persons["dep-23"]);
}

TEST(SynthNationalTest, SharesHoldAtLargerScale) {
  absl::StatusOr<NetworkRows> rows = [] {
    SynthOptions o;
    o.national = true;
    o.scale = 0.1;
    o.seed = 17;
    return GenerateRows(o);
  }();
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->persons.size(), 15000u);
  int remote = 0;
  for (const ServiceRow& s : rows->services) {
    remote += s.modes_accueil == std::vector<std::string>{"a-distance"};
  }
  EXPECT_NEAR(remote / static_cast<double>(rows->services.size()), 0.03, 0.015);
  EXPECT_NEAR(static_cast<double>(rows->needs.size()) / 15000, 2.75, 0.05);
  absl::flat_hash_set<std::string> ids;
  for (const PersonRow& p : rows->persons) {
    EXPECT_TRUE(ids.insert(p.id).second) << "duplicate id";
  }
}

}  // namespace
}  // namespace maillage
