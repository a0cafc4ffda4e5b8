// Shareable results: the map (geojson.h), the plan as JSON, the partner
// view and reading a plan folder back (export.h). People's coordinates, ages
// and publics are planted canaries that must never come out.

#include "maillage/export.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/plan_files.h"
#include "maillage/allocate.h"
#include "maillage/geo.h"
#include "maillage/geojson.h"
#include "maillage/synth.h"

namespace maillage {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// Where every person of the tests lives: never to be written.
constexpr double kCanaryLat = 45.7654321;
constexpr double kCanaryLng = 4.8765432;
constexpr int64_t kCanaryAge = 77;
const char* const kCanaryPublics[] = {"beneficiaires-des-minimas-sociaux",
                                      "personnes-en-situation-durgence"};

// What must not appear in a shared text: the canary coordinates at any
// precision that could be printed, and the publics' codes.
std::vector<std::string> Canaries() {
  std::vector<std::string> out = {"45.7654321", "4.8765432", "45.765432",
                                  "4.876543",   "45.76543",  "4.87654"};
  for (const char* p : kCanaryPublics) out.emplace_back(p);
  return out;
}

// Whether `text` holds `part`; on failure, only the part is printed (the
// texts are long).
void ExpectHas(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part;
}
void ExpectHasNot(const std::string& text, const std::string& part) {
  EXPECT_EQ(text.find(part), std::string::npos) << "found: " << part;
}

void ExpectNoCanary(const std::string& text, absl::string_view what) {
  SCOPED_TRACE(std::string(what));
  for (const std::string& c : Canaries()) ExpectHasNot(text, c);
  // No member of a person's row under its own name.
  for (const char* key : {"\"lat\"", "\"lng\"", "\"age\"", "\"publics\"",
                          "\"insee_com\"", "\"max_distance_km\""}) {
    ExpectHasNot(text, key);
  }
}

fs::path TempDir(const std::string& name) {
  fs::path p = fs::path(::testing::TempDir()) / ("maillage_export_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string ReadText(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void WriteText(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// The hand-built network of the pooling tests: one territory, one site, one
// partner with a housing and a mobility service (100 places each), no
// health service; everybody lives at the canary point.
//
//   commune             people   needs
//   69266 Villeurbanne  c1..c6   logement; c1, c2 mobilite; c1..c5 sante
//   69029 Bron          b1..b3   logement
//   69259 Vénissieux    n1, n2   logement
//   69999 (no such)     x1..x5   logement        -> drawn at the site
//   38053 Bourgoin      i1, i2   logement
//   01053 Bourg         a1..a3   logement
//
// Groups of 5: v1 from commune 69266 (6 people), site s1 (5),
// département 69 (3 + 2), territory lyon (2 + 3, two départements of 2 and
// 3); v2: 2 people, suppressed; sante unmatched (no service): 69266 (5).
Network PoolingNetwork() {
  // Rows filled by field: the schema may gain columns.
  NetworkBuilder b;
  SiteRow site;
  site.id = "s1";
  site.name = "ACI Gerland";
  site.territory = "lyon";
  site.insee_com = "69123";
  site.lat = 45.73;
  site.lng = 4.83;
  b.Add<SiteRow>(site);
  PartnerRow partner;
  partner.id = "p1";
  partner.name = "CHRS Le Tremplin";
  partner.kind = "chrs";
  partner.lat = 45.75;
  partner.lng = 4.85;
  b.Add<PartnerRow>(partner);
  ServiceRow housing;
  housing.id = "v1";
  housing.partner_id = "p1";
  housing.name = "Hébergement";
  housing.thematiques = {"logement-hebergement"};
  housing.lat = 45.75;
  housing.lng = 4.85;
  housing.capacity_available = housing.capacity_max = 100;
  ServiceRow mobility = housing;
  mobility.id = "v2";
  mobility.name = "Garage solidaire";
  mobility.thematiques = {"mobilite"};
  b.Add<ServiceRow>(housing);
  b.Add<ServiceRow>(mobility);
  auto person = [&](const std::string& id, const std::string& commune,
                    std::vector<std::string> themes) {
    PersonRow p;
    p.id = id;
    p.site_id = "s1";
    p.insee_com = commune;
    p.lat = kCanaryLat;
    p.lng = kCanaryLng;
    p.age = kCanaryAge;
    p.publics = {kCanaryPublics[0], kCanaryPublics[1]};
    b.Add<PersonRow>(p);
    for (const std::string& t : themes) {
      NeedRow n;
      n.person_id = id;
      n.thematique = t;
      n.urgency = 2;
      b.Add<NeedRow>(n);
    }
  };
  for (int i = 1; i <= 6; ++i) {
    std::vector<std::string> themes = {"logement-hebergement"};
    if (i <= 2) themes.push_back("mobilite");
    if (i <= 5) themes.push_back("sante");
    person(absl::StrCat("c", i), "69266", themes);
  }
  for (int i = 1; i <= 3; ++i) {
    person(absl::StrCat("b", i), "69029", {"logement-hebergement"});
  }
  for (int i = 1; i <= 2; ++i) {
    person(absl::StrCat("n", i), "69259", {"logement-hebergement"});
  }
  for (int i = 1; i <= 5; ++i) {
    person(absl::StrCat("x", i), "69999", {"logement-hebergement"});
  }
  for (int i = 1; i <= 2; ++i) {
    person(absl::StrCat("i", i), "38053", {"logement-hebergement"});
  }
  for (int i = 1; i <= 3; ++i) {
    person(absl::StrCat("a", i), "01053", {"logement-hebergement"});
  }
  absl::StatusOr<Network> net = std::move(b).Build();
  EXPECT_TRUE(net.ok()) << net.status();
  return net.ok() ? *std::move(net) : Network();
}

// A generated territory; with `canaries` (Lyon only: the canary point is
// there), its people all live at the canary point, are kCanaryAge and have
// the canary publics.
Network GeneratedNetwork(const std::string& territory, uint64_t seed,
                         bool canaries) {
  SynthOptions o;
  o.territories = {territory};
  o.seed = seed;
  absl::StatusOr<NetworkRows> rows = GenerateRows(o);
  EXPECT_TRUE(rows.ok()) << rows.status();
  for (PersonRow& p : rows->persons) {
    if (!canaries) break;
    p.lat = kCanaryLat;
    p.lng = kCanaryLng;
    p.age = kCanaryAge;
    p.publics = {kCanaryPublics[0], kCanaryPublics[1]};
  }
  absl::StatusOr<Network> net = BuildNetwork(*std::move(rows));
  EXPECT_TRUE(net.ok()) << net.status();
  return net.ok() ? *std::move(net) : Network();
}

Plan AllocateOrDie(const Network& net) {
  absl::StatusOr<Ranker> ranker = Ranker::Create(net);
  EXPECT_TRUE(ranker.ok()) << ranker.status();
  absl::StatusOr<Plan> plan = Allocate(*ranker);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *std::move(plan) : Plan();
}

std::string Coordinates(double lat, double lng) {
  return absl::StrFormat("[%.6f, %.6f]", lng, lat);
}

// --- the map

class ExportMapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(FindCommune("69999"), nullptr);
    ASSERT_NE(FindCommune("69266"), nullptr);
    net_ = PoolingNetwork();
    plan_ = AllocateOrDie(net_);
    ASSERT_EQ(plan_.assignments.size(), 23u);  // 21 logement + 2 mobilite
    ASSERT_EQ(plan_.unmatched.size(), 5u);     // sante
  }
  Network net_;
  Plan plan_;
};

TEST_F(ExportMapTest, PoolsSmallGroupsUpwardAndSuppressesTheRest) {
  absl::StatusOr<PlanMap> map = MapPlan(net_, plan_);
  ASSERT_TRUE(map.ok()) << map.status();
  const ServiceId v1 = *net_.FindService("v1");
  ASSERT_EQ(map->assignments.size(), 4u);
  struct Expected {
    MapLevel level;
    const char* area;
    int64_t people;
  };
  const Expected expected[] = {{MapLevel::kCommune, "69266", 6},
                               {MapLevel::kSite, "s1", 5},
                               {MapLevel::kDepartement, "69", 5},
                               {MapLevel::kTerritory, "lyon", 5}};
  for (size_t i = 0; i < 4; ++i) {
    const MapGroup& g = map->assignments[i];
    EXPECT_EQ(g.service, v1);
    EXPECT_EQ(g.level, expected[i].level) << i;
    EXPECT_EQ(g.area, expected[i].area) << i;
    EXPECT_EQ(g.people, expected[i].people) << i;
    EXPECT_EQ(g.needs, expected[i].people) << i;
    EXPECT_EQ(g.pinned, 0);
  }
  // Drawn where the level says: never at the people's canary point.
  const Commune* villeurbanne = FindCommune("69266");
  EXPECT_DOUBLE_EQ(map->assignments[0].lat, villeurbanne->lat);
  EXPECT_DOUBLE_EQ(map->assignments[1].lat, 45.73);  // the site
  EXPECT_DOUBLE_EQ(map->assignments[3].lng, 4.83);   // mean of the sites
  EXPECT_EQ(map->suppressed_assignments, 2);         // mobilite
  EXPECT_EQ(map->assignments_not_located, 0);
  ASSERT_EQ(map->unmatched.size(), 1u);
  const MapGroup& u = map->unmatched[0];
  EXPECT_EQ(u.level, MapLevel::kCommune);
  EXPECT_EQ(u.area, "69266");
  EXPECT_EQ(ThemeCode(u.theme), "sante");
  EXPECT_EQ(u.reason, UnmatchedReason::kNoServiceForTheme);
  EXPECT_EQ(u.people, 5);
  EXPECT_EQ(map->suppressed_unmatched, 0);
}

TEST_F(ExportMapTest, ALargerMinimumPoolsMoreAndASmallerOneIsRefused) {
  absl::StatusOr<PlanMap> map = MapPlan(net_, plan_, {6});
  ASSERT_TRUE(map.ok()) << map.status();
  // The commune keeps its 6; the site's 5 join the département (5 + 5);
  // the territory's 5 and mobility's 2 are suppressed, and sante's 5.
  ASSERT_EQ(map->assignments.size(), 2u);
  EXPECT_EQ(map->assignments[0].area, "69266");
  EXPECT_EQ(map->assignments[1].level, MapLevel::kDepartement);
  EXPECT_EQ(map->assignments[1].people, 10);
  EXPECT_EQ(map->suppressed_assignments, 7);
  EXPECT_TRUE(map->unmatched.empty());
  EXPECT_EQ(map->suppressed_unmatched, 5);

  absl::StatusOr<PlanMap> small = MapPlan(net_, plan_, {4});
  EXPECT_EQ(small.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(small.status().message(), HasSubstr("at least 5"));
  EXPECT_FALSE(PlanGeoJson(net_, plan_, {1}).ok());
}

TEST_F(ExportMapTest, GeoJsonHasEveryKindAndNoPersonalValue) {
  absl::StatusOr<std::string> text = PlanGeoJson(net_, plan_);
  ASSERT_TRUE(text.ok()) << text.status();
  ExpectHas(*text, "{\"type\": \"FeatureCollection\"");
  for (const char* kind : {"site", "service", "assignments", "unmatched"}) {
    ExpectHas(*text, absl::StrCat("\"kind\": \"", kind, "\""));
  }
  // [lng, lat]: the commune group's line starts at Villeurbanne's centre
  // and ends at the service.
  const Commune* c = FindCommune("69266");
  ExpectHas(*text,
            absl::StrCat("\"coordinates\": [", Coordinates(c->lat, c->lng),
                         ", ", Coordinates(45.75, 4.85), "]"));
  ExpectHas(*text, "\"min_group_size\": 5");
  ExpectHas(*text, "\"suppressed\": 2");
  ExpectHas(*text, "\"places_given\": 21");
  ExpectNoCanary(*text, "geojson");
  // No person id (c1.., b1.., x1..): the ids of the text are the site's,
  // the services' and the partner's.
  for (const Person& p : net_.persons()) {
    ExpectHasNot(*text, absl::StrCat("\"", p.id, "\""));
  }
  ExpectHasNot(*text, "\"person_id\"");
}

// On generated territories: every group drawn has at least 5 people, and
// every need is drawn, suppressed or counted as not located.
TEST(ExportMapGenerated, GroupsOfFiveAndEveryNeedAccountedFor) {
  for (const char* territory : {"lyon", "lille", "charente"}) {
    const bool canaries = std::string(territory) == "lyon";
    const Network net = GeneratedNetwork(territory, 3, canaries);
    const Plan plan = AllocateOrDie(net);
    absl::StatusOr<PlanMap> map = MapPlan(net, plan);
    ASSERT_TRUE(map.ok()) << map.status();
    int64_t assigned =
        map->suppressed_assignments + map->assignments_not_located;
    for (const MapGroup& g : map->assignments) {
      EXPECT_GE(g.people, kMinGroupSize) << territory << " " << g.area;
      EXPECT_GE(g.needs, g.people);
      assigned += g.needs;
    }
    EXPECT_EQ(assigned, static_cast<int64_t>(plan.assignments.size()));
    int64_t unmatched = map->suppressed_unmatched;
    for (const MapGroup& g : map->unmatched) {
      EXPECT_GE(g.people, kMinGroupSize) << territory << " " << g.area;
      unmatched += g.needs;
    }
    EXPECT_EQ(unmatched, static_cast<int64_t>(plan.unmatched.size()));
    EXPECT_GT(map->assignments.size(), 0u) << territory;
    if (canaries) ExpectNoCanary(PlanMapGeoJson(net, plan, *map), territory);
  }
}

// --- the plan as JSON

TEST(ExportPlanJson, HoldsThePlanAndNoPersonalValue) {
  const Network net = GeneratedNetwork("lyon", 3, true);
  const Plan plan = AllocateOrDie(net);
  const std::string text = PlanJson(net, plan);
  ExpectHas(text, "\"assignments\": [");
  ExpectHas(text, "\"unmatched\": [");
  ExpectHas(text, "\"summary\": {");
  // A pinned support: its score parts are null.
  ExpectHas(text, "\"score\": null");
  ExpectHas(text, "\"pinned\": true");
  ExpectHasNot(text, ": nan");
  // People are named by their pseudonymous id, and nothing else of them.
  ExpectHas(text, absl::StrCat("\"person_id\": \"", net.persons()[0].id, "\""));
  ExpectNoCanary(text, "plan json");
}

// --- the partner view

TEST(ExportPartnerView, OnlyThePartnersReferralsAndOnlyTheAllowedFields) {
  const Network net = GeneratedNetwork("lyon", 3, true);
  const Plan plan = AllocateOrDie(net);
  // The partner with the most pinned assignments, so that they are shown.
  std::vector<int> pinned(net.partners().size(), 0);
  for (const Assignment& a : plan.assignments) {
    pinned[static_cast<size_t>(net.service(a.service).partner.value())] +=
        a.pinned;
  }
  const auto best = static_cast<int32_t>(
      std::max_element(pinned.begin(), pinned.end()) - pinned.begin());
  ASSERT_GT(pinned[static_cast<size_t>(best)], 0);
  const Partner& partner = net.partner(PartnerId(best));
  absl::StatusOr<std::vector<Referral>> view =
      PartnerReferrals(net, plan, partner.id);
  ASSERT_TRUE(view.ok()) << view.status();
  std::vector<Referral> expected;
  for (const Assignment& a : plan.assignments) {
    const Service& s = net.service(a.service);
    if (s.partner != PartnerId(best)) continue;
    const Person& p = net.person(a.person);
    expected.push_back({p.id, net.site(p.site).id, net.site(p.site).name, s.id,
                        s.name, std::string(ThemeCode(net.need(a.need).theme)),
                        net.need(a.need).urgency, a.pinned});
  }
  EXPECT_EQ(*view, expected);

  const std::string csv = ReferralsCsv(*view);
  const base::CsvTable t = base::ParseCsv(csv);
  ASSERT_TRUE(t.errors.empty());
  ASSERT_EQ(t.records.size(), view->size() + 1);
  EXPECT_EQ(t.records[0].fields,
            std::vector<std::string>(kReferralColumns.begin(),
                                     kReferralColumns.end()));
  EXPECT_EQ(t.records[0].fields,
            (std::vector<std::string>{"person_id", "site_id", "site_name",
                                      "service_id", "service_name",
                                      "thematique", "urgency", "pinned"}));
  for (const base::CsvRecord& r : t.records) EXPECT_EQ(r.fields.size(), 8u);
  ExpectNoCanary(csv, "partner view");
  // None of the person's other needs: each row's theme is a need assigned
  // to this partner.
  std::set<std::string> themes_sent;
  for (const Referral& r : *view)
    themes_sent.insert(r.person_id + r.thematique);
  for (const Need& n : net.needs()) {
    const std::string key =
        net.person(n.person).id + std::string(ThemeCode(n.theme));
    bool to_partner = false;
    for (const Assignment& a : plan.assignments) {
      to_partner |= net.need(a.need).person == n.person &&
                    net.need(a.need).theme == n.theme &&
                    net.service(a.service).partner == PartnerId(best);
    }
    EXPECT_EQ(themes_sent.count(key) > 0, to_partner);
  }
}

TEST(ExportPartnerView, UnknownPartner) {
  const Network net = PoolingNetwork();
  const Plan plan = AllocateOrDie(net);
  absl::StatusOr<std::vector<Referral>> view =
      PartnerReferrals(net, plan, "nope");
  EXPECT_EQ(view.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(view.status().message(), "no partner with id 'nope'");
}

// --- reading a plan folder back

void ExpectSamePlan(const Plan& a, const Plan& b) {
  ASSERT_EQ(a.assignments.size(), b.assignments.size());
  for (size_t i = 0; i < a.assignments.size(); ++i) {
    const Assignment& x = a.assignments[i];
    const Assignment& y = b.assignments[i];
    EXPECT_EQ(x.person, y.person) << i;
    EXPECT_EQ(x.need, y.need) << i;
    EXPECT_EQ(x.service, y.service) << i;
    EXPECT_EQ(x.pinned, y.pinned) << i;
    EXPECT_EQ(x.remote, y.remote) << i;
    // Written with 6 decimals (score parts) and 3 (distance).
    EXPECT_NEAR(x.score, y.score, 5e-7) << i;
    EXPECT_NEAR(x.capacity, y.capacity, 5e-7) << i;
    EXPECT_NEAR(x.proximity, y.proximity, 5e-7) << i;
    EXPECT_NEAR(x.complementarity, y.complementarity, 5e-7) << i;
    if (x.remote) {
      EXPECT_TRUE(std::isnan(y.distance_km)) << i;
    } else {
      EXPECT_NEAR(x.distance_km, y.distance_km, 5e-4) << i;
    }
  }
  ASSERT_EQ(a.unmatched.size(), b.unmatched.size());
  for (size_t i = 0; i < a.unmatched.size(); ++i) {
    const Unmatched& x = a.unmatched[i];
    const Unmatched& y = b.unmatched[i];
    EXPECT_EQ(x.person, y.person) << i;
    EXPECT_EQ(x.need, y.need) << i;
    EXPECT_EQ(x.reason, y.reason) << i;
    EXPECT_EQ(x.filter, y.filter) << i;
    EXPECT_EQ(x.suggested, y.suggested) << i;
    EXPECT_EQ(x.detail, y.detail) << i;
    EXPECT_EQ(x.in_reach, y.in_reach) << i;
    EXPECT_EQ(x.serving, y.serving) << i;
    EXPECT_EQ(x.excluded_by, y.excluded_by) << i;
    if (std::isnan(x.distance_km)) {
      EXPECT_TRUE(std::isnan(y.distance_km)) << i;
    } else {
      EXPECT_NEAR(x.distance_km, y.distance_km, 5e-4) << i;
    }
  }
  const PlanObjective& o = a.objective;
  const PlanObjective& p = b.objective;
  EXPECT_EQ(o.people, p.people);
  EXPECT_EQ(o.people_covered, p.people_covered);
  EXPECT_EQ(o.needs, p.needs);
  EXPECT_EQ(o.needs_covered, p.needs_covered);
  EXPECT_EQ(o.needs_pinned, p.needs_pinned);
  EXPECT_EQ(o.needs_by_urgency, p.needs_by_urgency);
  EXPECT_EQ(o.needs_covered_by_urgency, p.needs_covered_by_urgency);
  EXPECT_EQ(o.urgency_level, p.urgency_level);
  EXPECT_NEAR(o.total_score, p.total_score,
              5e-7 * static_cast<double>(a.assignments.size()) + 1e-9);
}

TEST(ExportReadPlan, RoundTripsAllocatedPlans) {
  for (const char* territory : {"lyon", "paris", "marseille"}) {
    const Network net = GeneratedNetwork(territory, 5, false);
    const Plan plan = AllocateOrDie(net);
    const fs::path dir = TempDir(absl::StrCat("roundtrip_", territory));
    ASSERT_TRUE(WritePlan(net, plan, dir.string()).ok());
    absl::StatusOr<Plan> back = ReadPlan(net, dir.string());
    ASSERT_TRUE(back.ok()) << back.status();
    ExpectSamePlan(plan, *back);
    bool not_eligible = false, pinned = false;
    for (const Unmatched& u : plan.unmatched) {
      not_eligible |= u.reason == UnmatchedReason::kNotEligible;
    }
    for (const Assignment& a : plan.assignments) pinned |= a.pinned;
    EXPECT_TRUE(not_eligible && pinned) << territory << ": not a test of both";
    // plan_needs.csv: one row per need, in need order, with its outcome.
    const base::CsvTable needs =
        base::ParseCsv(ReadText(dir / "plan_needs.csv"));
    ASSERT_TRUE(needs.errors.empty());
    ASSERT_EQ(needs.records.size(), net.needs().size() + 1);
    std::vector<std::string> header;
    for (std::string_view c : io::kNeedsWritten) header.emplace_back(c);
    EXPECT_EQ(needs.records[0].fields, header);
    std::vector<std::string> status(net.needs().size(), "");
    for (const Assignment& a : plan.assignments) {
      status[static_cast<size_t>(a.need.value())] =
          a.pinned ? "pinned" : "covered";
    }
    for (const Unmatched& u : plan.unmatched) {
      status[static_cast<size_t>(u.need.value())] = "unmatched";
    }
    auto at = [&](std::string_view column) {
      return static_cast<size_t>(
          std::find(header.begin(), header.end(), column) - header.begin());
    };
    for (size_t n = 0; n < net.needs().size(); ++n) {
      const std::vector<std::string>& row = needs.records[n + 1].fields;
      ASSERT_EQ(row.size(), header.size()) << n;
      const Need& need = net.need(NeedId(static_cast<int32_t>(n)));
      EXPECT_EQ(row[at("person_id")], net.person(need.person).id) << n;
      EXPECT_EQ(row[at("thematique")], ThemeCode(need.theme)) << n;
      EXPECT_EQ(row[at("status")], status[n]) << n;
      EXPECT_EQ(row[at("service_id")].empty(), status[n] == "unmatched") << n;
      EXPECT_EQ(row[at("reason")].empty(), status[n] != "unmatched") << n;
      if (const absl::optional<ServiceId> s =
              net.FindService(row[at("service_id")])) {
        EXPECT_EQ(row[at("service_name")], net.service(*s).name) << n;
        EXPECT_EQ(row[at("partner_name")],
                  net.partner(net.service(*s).partner).name)
            << n;
      }
    }
    // Written again, the same files.
    const fs::path again = TempDir(absl::StrCat("again_", territory));
    ASSERT_TRUE(WritePlan(net, *back, again.string()).ok());
    EXPECT_EQ(ReadText(dir / "assignments.csv"),
              ReadText(again / "assignments.csv"));
    EXPECT_EQ(ReadText(dir / "unmatched.csv"),
              ReadText(again / "unmatched.csv"));
    EXPECT_EQ(ReadText(dir / "plan_needs.csv"),
              ReadText(again / "plan_needs.csv"));
    // The map of the plan read back is the map of the plan.
    EXPECT_EQ(*PlanGeoJson(net, plan), *PlanGeoJson(net, *back));
  }
}

// Each test writes the pooling network's plan, then spoils one file.
class ExportReadPlanErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = PoolingNetwork();
    plan_ = AllocateOrDie(net_);
    dir_ = TempDir(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(WritePlan(net_, plan_, dir_.string()).ok());
    assignments_ = ReadText(dir_ / "assignments.csv");
    unmatched_ = ReadText(dir_ / "unmatched.csv");
  }

  // ReadPlan's message; the test fails when it reads the folder.
  std::string Error() const {
    absl::StatusOr<Plan> p = ReadPlan(net_, dir_.string());
    EXPECT_FALSE(p.ok());
    if (p.ok()) return "";
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(p.status().message());
  }

  // The file's text with its line `line` (1-based) replaced.
  static std::string WithLine(const std::string& text, size_t line,
                              const std::string& replacement) {
    std::vector<std::string> lines = absl::StrSplit(text, '\n');
    lines[line - 1] = replacement;
    return absl::StrJoin(lines, "\n");
  }
  static std::string Line(const std::string& text, size_t line) {
    return std::vector<std::string>(absl::StrSplit(text, '\n'))[line - 1];
  }

  std::string file(const char* name) const { return (dir_ / name).string(); }

  // Row `line` of a file (no quoted cells) with some cells changed, by
  // column name.
  static std::string Changed(
      const std::string& text, size_t line,
      const std::vector<std::pair<std::string, std::string>>& changes) {
    const std::vector<std::string> header = absl::StrSplit(Line(text, 1), ',');
    std::vector<std::string> cells = absl::StrSplit(Line(text, line), ',');
    for (const auto& [column, value] : changes) {
      const auto it = std::find(header.begin(), header.end(), column);
      EXPECT_NE(it, header.end()) << column;
      if (it != header.end()) cells[it - header.begin()] = value;
    }
    return WithLine(text, line, absl::StrJoin(cells, ","));
  }

  // A row of unmatched.csv: the given cells, the others empty.
  std::string UnmatchedRow(
      const std::vector<std::pair<std::string, std::string>>& cells) const {
    const std::vector<std::string> header =
        absl::StrSplit(Line(unmatched_, 1), ',');
    std::vector<std::string> row(header.size());
    for (const auto& [column, value] : cells) {
      const auto it = std::find(header.begin(), header.end(), column);
      EXPECT_NE(it, header.end()) << column;
      if (it != header.end()) row[it - header.begin()] = value;
    }
    return absl::StrJoin(row, ",");
  }

  Network net_;
  Plan plan_;
  fs::path dir_;
  std::string assignments_, unmatched_;
};

TEST_F(ExportReadPlanErrors, UnknownPersonServiceAndTheme) {
  ASSERT_THAT(Line(assignments_, 2),
              ::testing::StartsWith("c1,lyon,logement-hebergement,"));
  std::string text = Changed(assignments_, 2, {{"person_id", "zz"}});
  text = Changed(text, 3, {{"service_id", "nope"}});
  text = Changed(text, 4, {{"thematique", "transport-secret"}});
  WriteText(dir_ / "assignments.csv", text);
  const std::string e = Error();
  EXPECT_THAT(e, HasSubstr(file("assignments.csv") +
                           ":2:1: person_id 'zz' refers to no person"));
  EXPECT_THAT(e, HasSubstr(file("assignments.csv") +
                           ":3:6: service_id 'nope' refers to no service"));
  EXPECT_THAT(e, HasSubstr(file("assignments.csv") +
                           ":4:3: thematique is not a data·inclusion theme"));
  // A need's value is not repeated.
  EXPECT_THAT(e, Not(HasSubstr("transport-secret")));
}

TEST_F(ExportReadPlanErrors, ANeedTwiceOrMissing) {
  // c1's housing row again, in unmatched.csv.
  WriteText(dir_ / "unmatched.csv",
            unmatched_ +
                UnmatchedRow({{"person_id", "c1"},
                              {"thematique", "logement-hebergement"},
                              {"reason", "capacity_full"},
                              {"detail", "full"},
                              {"suggested_service_id", "v1"}}) +
                "\n");
  std::string e = Error();
  EXPECT_THAT(e, HasSubstr(file("unmatched.csv") +
                           ":7:3: this need is "
                           "already listed at " +
                           file("assignments.csv") + ":2"));
  // The last unmatched row removed.
  WriteText(
      dir_ / "unmatched.csv",
      unmatched_.substr(0, unmatched_.rfind('\n', unmatched_.size() - 2) + 1));
  e = Error();
  EXPECT_THAT(e, HasSubstr("1 need(s) of the network are in neither "
                           "assignments.csv nor unmatched.csv (the first: a "
                           "need of person 'c5')"));
  // A need of another theme than the person's.
  WriteText(dir_ / "unmatched.csv",
            unmatched_ +
                UnmatchedRow({{"person_id", "b1"},
                              {"thematique", "sante"},
                              {"reason", "no_service_for_theme"},
                              {"detail", "none"}}) +
                "\n");
  EXPECT_THAT(Error(), HasSubstr(file("unmatched.csv") +
                                 ":7:3: the person has no need of this "
                                 "thematique"));
}

TEST_F(ExportReadPlanErrors, TheFilesOfEarlierVersionsAreRead) {
  // Before the territory, category, urgency, partner, filter and count
  // columns: ten columns in assignments.csv, five in unmatched.csv with the
  // filter in the detail's "filter CODE: " prefix.
  const std::vector<std::string> kept = {
      "person_id", "thematique",      "service_id",      "score",
      "capacity",  "proximity",       "complementarity", "distance_km",
      "pinned",    "capacity_assumed"};
  const std::vector<std::string> header =
      absl::StrSplit(Line(assignments_, 1), ',');
  std::string old_assignments;
  for (absl::string_view line : absl::StrSplit(assignments_, '\n')) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = absl::StrSplit(line, ',');
    std::vector<std::string> out;
    for (const std::string& name : kept) {
      out.push_back(cells[std::find(header.begin(), header.end(), name) -
                          header.begin()]);
    }
    absl::StrAppend(&old_assignments, absl::StrJoin(out, ","), "\n");
  }
  WriteText(dir_ / "assignments.csv", old_assignments);
  std::string old_unmatched =
      "person_id,thematique,reason,detail,suggested_service_id\n";
  for (const Unmatched& u : plan_.unmatched) {
    const Need& need = net_.need(u.need);
    absl::StrAppend(
        &old_unmatched, net_.person(need.person).id, ",", ThemeCode(need.theme),
        ",", UnmatchedReasonCode(u.reason), ",",
        u.reason == UnmatchedReason::kNotEligible
            ? absl::StrCat("filter ", FilterCode(u.filter), ": none eligible")
            : "none",
        ",", u.suggested.valid() ? net_.service(u.suggested).id : "", "\n");
  }
  WriteText(dir_ / "unmatched.csv", old_unmatched);
  absl::StatusOr<Plan> p = ReadPlan(net_, dir_.string());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->assignments.size(), plan_.assignments.size());
  ASSERT_EQ(p->unmatched.size(), plan_.unmatched.size());
  for (size_t i = 0; i < p->unmatched.size(); ++i) {
    const Unmatched& u = p->unmatched[i];
    EXPECT_EQ(u.need, plan_.unmatched[i].need);
    EXPECT_EQ(u.reason, plan_.unmatched[i].reason);
    EXPECT_EQ(u.filter, plan_.unmatched[i].filter);
    EXPECT_EQ(u.detail, u.reason == UnmatchedReason::kNotEligible
                            ? "none eligible"
                            : "none");
    EXPECT_EQ(u.serving, -1);  // not in the file: not known
    EXPECT_TRUE(std::isnan(u.distance_km));
  }
  for (size_t i = 0; i < p->assignments.size(); ++i) {
    EXPECT_EQ(p->assignments[i].service, plan_.assignments[i].service);
  }
}

TEST_F(ExportReadPlanErrors, ColumnsReasonsAndCells) {
  WriteText(dir_ / "assignments.csv",
            WithLine(assignments_, 1,
                     "person_id,thematique,service_id,score,capacity,"
                     "proximity,complementarity,distance_km,colour"));
  std::string e = Error();
  EXPECT_THAT(
      e, HasSubstr(file("assignments.csv") + ":1:9: unknown column 'colour'"));
  EXPECT_THAT(
      e, HasSubstr(file("assignments.csv") + ":1:0: missing column pinned"));

  WriteText(dir_ / "assignments.csv", assignments_);
  WriteText(
      dir_ / "unmatched.csv",
      WithLine(unmatched_, 2,
               UnmatchedRow({{"person_id", "c1"},
                             {"thematique", "sante"},
                             {"reason", "lost"},
                             {"detail", "no service serves this theme"}})));
  e = Error();
  EXPECT_THAT(e, HasSubstr(file("unmatched.csv") + ":2:6: unknown reason"));
  WriteText(dir_ / "unmatched.csv",
            WithLine(unmatched_, 2,
                     UnmatchedRow({{"person_id", "c1"},
                                   {"thematique", "sante"},
                                   {"reason", "not_eligible"},
                                   {"detail", "no filter"}})));
  EXPECT_THAT(Error(), HasSubstr(":2:7: the filter of a not_eligible need "
                                 "must be one of theme, frais, type, public, "
                                 "zone, age, reach, refused"));
  WriteText(dir_ / "unmatched.csv",
            WithLine(unmatched_, 2,
                     UnmatchedRow({{"person_id", "c1"},
                                   {"thematique", "sante"},
                                   {"reason", "no_service_for_theme"},
                                   {"detail", "none"},
                                   {"in_reach", "-2"}})));
  EXPECT_THAT(Error(), HasSubstr(":2:12: in_reach must be"));

  WriteText(dir_ / "unmatched.csv", unmatched_);
  WriteText(dir_ / "assignments.csv",
            Changed(assignments_, 2, {{"pinned", "yes"}}));
  EXPECT_THAT(Error(), HasSubstr(":2:14: pinned must be true or false"));
  WriteText(dir_ / "assignments.csv",
            Changed(assignments_, 2, {{"capacity_assumed", "maybe"}}));
  EXPECT_THAT(Error(),
              HasSubstr(":2:15: capacity_assumed must be true or false"));
  WriteText(dir_ / "assignments.csv",
            Changed(assignments_, 2, {{"capacity_assumed", "true"}}));
  EXPECT_THAT(Error(), HasSubstr(":2:15: the service's capacity is known: "
                                 "capacity_assumed must be false"));
  WriteText(dir_ / "assignments.csv",
            Changed(assignments_, 2, {{"pinned", "true"}}));
  e = Error();
  EXPECT_THAT(e, HasSubstr(":2:14: pinned, but the need has no current"));
  EXPECT_THAT(e, HasSubstr(":2:8: score must be empty for a pinned support"));
  WriteText(dir_ / "assignments.csv",
            Changed(assignments_, 2, {{"score", "2"}, {"capacity", ""}}));
  e = Error();
  EXPECT_THAT(e, HasSubstr(":2:8: score must be a number in [0, 1]"));
  EXPECT_THAT(e, HasSubstr(":2:9: capacity must be a number in [0, 1]"));
  WriteText(dir_ / "assignments.csv",
            WithLine(assignments_, 2, "c1,logement-hebergement"));
  EXPECT_THAT(Error(), HasSubstr(":2:0: expected 15 fields, found 2"));
}

TEST_F(ExportReadPlanErrors, MissingFileAndFolder) {
  fs::remove(dir_ / "unmatched.csv");
  absl::StatusOr<Plan> p = ReadPlan(net_, dir_.string());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(p.status().message(), HasSubstr("unmatched.csv"));
  p = ReadPlan(net_, (dir_ / "nowhere").string());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
}

TEST(ExportReadPlan, ThePinnedSupportMustStayPinned) {
  const Network net = GeneratedNetwork("lyon", 3, true);
  const Plan plan = AllocateOrDie(net);
  Plan changed = plan;
  bool found = false;
  for (Assignment& a : changed.assignments) {
    if (a.pinned && !found) {
      a.pinned = false;
      a.score = 0.5;
      found = true;
    }
  }
  ASSERT_TRUE(found);
  const fs::path dir = TempDir("unpinned");
  ASSERT_TRUE(WritePlan(net, changed, dir.string()).ok());
  absl::StatusOr<Plan> back = ReadPlan(net, dir.string());
  ASSERT_FALSE(back.ok());
  EXPECT_THAT(back.status().message(),
              HasSubstr(":14: the need is met by a current or accepted "
                        "support: its row must be pinned at that service"));
}

TEST(ExportReadPlan, ThePlanReadHasNoCertificate) {
  const Network net = PoolingNetwork();
  const Plan plan = AllocateOrDie(net);
  const fs::path dir = TempDir("certificate");
  ASSERT_TRUE(WritePlan(net, plan, dir.string()).ok());
  absl::StatusOr<Plan> back = ReadPlan(net, dir.string());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->potentials.empty());
  absl::StatusOr<Ranker> ranker = Ranker::Create(net);
  ASSERT_TRUE(ranker.ok());
  EXPECT_FALSE(VerifyPlan(*ranker, *back).ok());
}

}  // namespace
}  // namespace maillage
