// NetworkBuilder validation and Network queries.

#include "maillage/network.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "maillage/geo.h"

namespace maillage {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A small valid network:
//
//   site s1 (Lyon 7e) ==convention 0.8== partner pa --cooperation-- pb
//   site s2 (Villeurbanne)                                           |
//                                                     partner pc ----+
//   services: sv1 (pa, logement, 3 places), sv2 (pb, sante), sv3 (pc, remote)
//   persons: u1 @ s1 with needs logement (urgency 3), sante (1)
//            u2 @ s2 with need mobilite (2)
NetworkBuilder SmallNetwork() {
  NetworkBuilder b;
  b.Add<SiteRow>({"s1", "ACI Gerland", "lyon", "69123", 45.73, 4.83});
  b.Add<SiteRow>({"s2", "ACI Villeurbanne", "lyon", "69266", 45.77, 4.88});
  b.Add<PartnerRow>({"pa", "CHRS A", "chrs", "69266", 45.76, 4.87, "", {}, ""});
  b.Add<PartnerRow>({"pb", "CMP B", "cmp", "69123", 45.75, 4.85, "", {}, ""});
  b.Add<PartnerRow>(
      {"pc", "Wimoov", "wimoov", "69266", 45.77, 4.89, "", {}, ""});
  // Rows written out in full: id, partner, name, themes, publics, modes,
  // zone, commune, lat, lng, available, max, min_age, max_age, updated,
  // types, frais, modes_mobilisation, mobilisable_par, lien_mobilisation,
  // horaires_accueil, conditions_acces, score_qualite.
  const std::string shelter =
      "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";
  b.Add<ServiceRow>({"sv1",
                     "pa",
                     "Hébergement",
                     {shelter},
                     {"personnes-en-situation-durgence"},
                     {},
                     {},
                     "",
                     {},
                     {},
                     3,
                     10,
                     {},
                     {},
                     "",
                     {},
                     {},
                     {},
                     {},
                     "",
                     "",
                     "",
                     {}});
  b.Add<ServiceRow>({"sv2",     "pb", "Hébergement",
                     {"sante"}, {},   {},
                     {"69"},    "",   {},
                     {},        1,    1,
                     {},        {},   "",
                     {},        {},   {},
                     {},        "",   "",
                     "",        {}});
  b.Add<ServiceRow>({"sv3",
                     "pc",
                     "Hébergement",
                     {"mobilite--preparer-un-permis"},
                     {"tous-publics"},
                     {"a-distance"},
                     {},
                     "",
                     {},
                     {},
                     3,
                     10,
                     {},
                     {},
                     "",
                     {},
                     {},
                     {},
                     {},
                     "",
                     "",
                     "",
                     {}});
  PersonRow u1;
  u1.id = "u1";
  u1.site_id = "s1";
  u1.insee_com = "69266";
  u1.age = 34;
  u1.publics = {"personnes-en-situation-durgence"};
  b.Add<PersonRow>(u1);
  PersonRow u2;
  u2.id = "u2";
  u2.site_id = "s2";
  b.Add<PersonRow>(u2);
  b.Add<NeedRow>({"u2", "mobilite", 2});
  b.Add<NeedRow>({"u1", "logement-hebergement", 3});
  b.Add<NeedRow>({"u1", "sante", 1});
  b.Add<SupportRow>({"u1", "sv2", "sante", "current"});
  b.Add<PartnershipRow>({"s1", "pa", "convention", 0.8});
  b.Add<PartnershipRow>({"pa", "pb", "cooperation", 0.5});
  b.Add<PartnershipRow>({"pc", "pb", "cooperation", 0.5});
  return b;
}

TEST(NetworkBuilderTest, BuildsAValidNetwork) {
  absl::StatusOr<Network> net = SmallNetwork().Build();
  ASSERT_TRUE(net.ok()) << net.status();
  EXPECT_EQ(net->sites().size(), 2u);
  EXPECT_EQ(net->partners().size(), 3u);
  EXPECT_EQ(net->services().size(), 3u);
  EXPECT_EQ(net->persons().size(), 2u);
  ASSERT_EQ(net->needs().size(), 3u);
  // Needs grouped by person in person order.
  const PersonId u1 = *net->FindPerson("u1");
  const PersonId u2 = *net->FindPerson("u2");
  EXPECT_EQ(net->end_need(u1).value() - net->first_need(u1).value(), 2);
  EXPECT_EQ(net->end_need(u2).value() - net->first_need(u2).value(), 1);
  EXPECT_EQ(net->need(net->first_need(u2)).person, u2);
  // u2 has no location nor commune: the site's location and commune are used.
  EXPECT_DOUBLE_EQ(net->person(u2).lat, 45.77);
  EXPECT_EQ(net->person(u2).insee_com, "69266");
  // u1 has a commune but no coordinates: the commune's centre.
  const Commune* villeurbanne = FindCommune("69266");
  ASSERT_NE(villeurbanne, nullptr);
  EXPECT_DOUBLE_EQ(net->person(u1).lat, villeurbanne->lat);
}

TEST(NetworkBuilderTest, PinsCurrentSupportsAndCountsPlaces) {
  absl::StatusOr<Network> net = SmallNetwork().Build();
  ASSERT_TRUE(net.ok()) << net.status();
  const PersonId u1 = *net->FindPerson("u1");
  const ServiceId sv2 = *net->FindService("sv2");
  NeedId sante = NeedId::Invalid(), logement = NeedId::Invalid();
  for (int32_t n = net->first_need(u1).value(); n < net->end_need(u1).value();
       ++n) {
    (ThemeCode(net->need(NeedId(n)).theme) == "sante" ? sante : logement) =
        NeedId(n);
  }
  EXPECT_EQ(net->pinned_service(sante), sv2);
  EXPECT_FALSE(net->pinned_service(logement).has_value());
  EXPECT_EQ(net->pinned_places(sv2), 1);
  EXPECT_EQ(net->free_places(sv2), 0);
  EXPECT_EQ(net->free_places(*net->FindService("sv1")), 3);
}

TEST(NetworkBuilderTest, HopDistancesFollowThePartnershipGraph) {
  absl::StatusOr<Network> net = SmallNetwork().Build();
  ASSERT_TRUE(net.ok()) << net.status();
  const SiteId s1 = *net->FindSite("s1"), s2 = *net->FindSite("s2");
  const PartnerId pa = *net->FindPartner("pa"), pb = *net->FindPartner("pb"),
                  pc = *net->FindPartner("pc");
  EXPECT_EQ(net->HopDistance(s1, pa), 1);
  EXPECT_EQ(net->HopDistance(s1, pb), 2);
  EXPECT_EQ(net->HopDistance(s1, pc), 3);
  EXPECT_EQ(net->HopDistance(s2, pa), Network::kNoPath);
  EXPECT_DOUBLE_EQ(net->ConventionStrength(s1, pa), 0.8f);
  EXPECT_EQ(net->ConventionStrength(s1, pb), 0.0);
}

TEST(NetworkBuilderTest, ServedThemesFollowTheHierarchy) {
  absl::StatusOr<Network> net = SmallNetwork().Build();
  ASSERT_TRUE(net.ok()) << net.status();
  const Service& sv1 = net->service(*net->FindService("sv1"));
  EXPECT_TRUE(sv1.served.Contains(*ParseTheme("logement-hebergement")));
  EXPECT_FALSE(sv1.served.Contains(
      *ParseTheme("logement-hebergement--louer-un-logement")));
  const Service& sv2 = net->service(*net->FindService("sv2"));
  EXPECT_TRUE(sv2.served.Contains(*ParseTheme("sante--addictions")));
  EXPECT_TRUE(sv2.served.Contains(*ParseTheme("sante")));
  EXPECT_FALSE(sv2.served.Contains(*ParseTheme("mobilite")));
}

TEST(NetworkBuilderTest, ReportsEveryProblemWithFieldAndLine) {
  NetworkBuilder b = SmallNetwork();
  // Rows added after SmallNetwork's: services line 5, persons line 4...
  ServiceRow bad;
  bad.id = "sv1";                                            // duplicate
  bad.partner_id = "nope";                                   // dangling
  bad.thematiques = {"logement", "sante--acces-aux-soins"};  // unknown code
  bad.capacity_available = -1;
  bad.lat = 95;
  bad.lng = 4;
  b.Add<ServiceRow>(bad);
  PersonRow p;
  p.id = "u3";
  p.site_id = "s9";
  p.publics = {"secret-public-value"};
  p.age = 200;
  b.Add<PersonRow>(p);
  b.Add<NeedRow>({"u3", "sante", 2});  // refers to a rejected person
  b.Add<NeedRow>({"u1", "sante", 7});  // urgency out of range
  BuildReport r = std::move(b).BuildWithReport();
  EXPECT_FALSE(r.ok());
  std::vector<std::string> lines;
  for (const Problem& pr : r.problems) lines.push_back(pr.ToString());
  EXPECT_THAT(lines,
              testing::ElementsAre(
                  "services.csv:5:1: duplicate service_id 'sv1' (first at "
                  "line 2)",
                  "services.csv:5:2: partner_id 'nope' refers to no partner",
                  "services.csv:5:4: unknown data·inclusion theme 'logement' "
                  "(the codes: docs/format.md)",
                  "services.csv:5:9: latitude out of range [-90, 90]",
                  "services.csv:5:11: negative capacity_available",
                  "persons.csv:4:2: site_id 's9' refers to no site",
                  "persons.csv:4:6: age out of range [0, 130]",
                  "persons.csv:4:7: unknown data·inclusion public code (the "
                  "codes: docs/format.md)",
                  "needs.csv:5:1: person_id 'u3' refers to a rejected person "
                  "row",
                  "needs.csv:6:3: urgency out of range [1, 3]"));
  for (const std::string& l : lines) {
    EXPECT_THAT(l, Not(HasSubstr("secret-public-value")));
  }
  const auto& services = r.counts[static_cast<size_t>(Table::kServices)];
  EXPECT_EQ(services.read, 4);
  EXPECT_EQ(services.loaded, 3);
  EXPECT_EQ(services.rejected, 1);
  const auto& needs = r.counts[static_cast<size_t>(Table::kNeeds)];
  EXPECT_EQ(needs.read, needs.loaded + needs.rejected);
  EXPECT_EQ(needs.rejected, 2);
  // The network holds the accepted rows.
  EXPECT_EQ(r.network.services().size(), 3u);
  EXPECT_EQ(r.network.persons().size(), 2u);
}

TEST(NetworkBuilderTest, MisspeltCodesGetASuggestionOutsidePersonalTables) {
  NetworkBuilder b = SmallNetwork();
  ServiceRow bad;
  bad.id = "sv9";
  bad.partner_id = "pa";
  bad.thematiques = {"logement-hebergment"};  // one letter missing
  bad.publics = {"femme"};
  b.Add<ServiceRow>(bad);
  PersonRow p;
  p.id = "u9";
  p.site_id = "s1";
  p.publics = {"femme"};
  b.Add<PersonRow>(p);
  b.Add<NeedRow>({"u1", "sant", 2});
  BuildReport r = std::move(b).BuildWithReport();
  std::vector<std::string> lines;
  for (const Problem& pr : r.problems) lines.push_back(pr.ToString());
  EXPECT_THAT(
      lines, testing::Contains("services.csv:5:4: unknown data·inclusion theme "
                               "'logement-hebergment' (did you mean "
                               "'logement-hebergement'?)"));
  EXPECT_THAT(lines, testing::Contains(
                         "services.csv:5:5: unknown data·inclusion public "
                         "'femme' (did you mean 'femmes'?)"));
  // Personal tables: neither the value nor a code close to it.
  EXPECT_THAT(lines, testing::Contains("persons.csv:4:7: unknown "
                                       "data·inclusion public code (the "
                                       "codes: docs/format.md)"));
  EXPECT_THAT(lines, testing::Contains("needs.csv:5:2: unknown data·inclusion "
                                       "theme (the codes: docs/format.md)"));
}

TEST(NetworkBuilderTest, BuildFailsWithTheProblemList) {
  NetworkBuilder b = SmallNetwork();
  b.Add<SiteRow>({"s1", "again", "lyon", "", 45.0, 4.0});
  absl::StatusOr<Network> net = std::move(b).Build();
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(net.status().message(),
              HasSubstr("sites.csv:4:1: duplicate site_id 's1'"));
}

TEST(NetworkBuilderTest, CapacityChecks) {
  NetworkBuilder b = SmallNetwork();
  ServiceRow s;
  s.id = "sv9";
  s.partner_id = "pa";
  s.thematiques = {"sante"};
  s.capacity_available = 5;
  s.capacity_max = 2;
  s.min_age = 30;
  s.max_age = 20;
  b.Add<ServiceRow>(s);
  BuildReport r = std::move(b).BuildWithReport();
  std::vector<std::string> lines;
  for (const Problem& pr : r.problems) lines.push_back(pr.ToString());
  EXPECT_THAT(lines, testing::ElementsAre(
                         "services.csv:5:11: capacity_available is greater "
                         "than capacity_max",
                         "services.csv:5:13: min_age is greater than max_age"));
}

TEST(NetworkBuilderTest, MorePinnedSupportsThanPlacesIsAWarning) {
  NetworkBuilder b = SmallNetwork();
  b.Add<SupportRow>({"u2", "sv2", "sante", "accepted"});  // sv2 has 1 place
  BuildReport r = std::move(b).BuildWithReport();
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_TRUE(r.problems[0].warning);
  EXPECT_EQ(r.problems[0].ToString(),
            "supports.csv:3:2: warning: more current/accepted supports than "
            "the service's capacity_available (1)");
  EXPECT_EQ(r.network.free_places(*r.network.FindService("sv2")), 0);
}

TEST(NetworkBuilderTest, PartnershipChecks) {
  NetworkBuilder b = SmallNetwork();
  b.Add<PartnershipRow>({"pa", "pb", "convention", 0.5});  // not site<->partner
  b.Add<PartnershipRow>({"pa", "pa", "cooperation", 0.5});  // self loop
  b.Add<PartnershipRow>({"s1", "pb", "convention", 1.5});   // strength
  b.Add<PartnershipRow>({"s1", "pb", "alliance", 0.5});     // kind
  BuildReport r = std::move(b).BuildWithReport();
  std::vector<std::string> lines;
  for (const Problem& pr : r.problems) lines.push_back(pr.ToString());
  EXPECT_THAT(lines,
              testing::ElementsAre(
                  "partnerships.csv:5:1: a convention links a site and a "
                  "partner; 'pa' and 'pb' are not a site and a partner",
                  "partnerships.csv:6:2: a cooperation links two different "
                  "partners",
                  "partnerships.csv:7:4: strength out of range (0, 1]",
                  "partnerships.csv:8:3: unknown partnership kind 'alliance' "
                  "(convention, cooperation)"));
}

TEST(NetworkTest, EmptyNetworkIsUsable) {
  Network net;
  EXPECT_TRUE(net.sites().empty());
  EXPECT_TRUE(net.needs().empty());
  EXPECT_FALSE(net.FindPerson("x").has_value());
  EXPECT_TRUE(net.Territories().empty());
}

TEST(NetworkTest, CopiesShareImmutableData) {
  absl::StatusOr<Network> net = SmallNetwork().Build();
  ASSERT_TRUE(net.ok());
  Network copy = *net;
  EXPECT_EQ(copy.sites().data(), net->sites().data());
  EXPECT_TRUE(copy == *net);
  EXPECT_EQ(copy.Territories(), std::vector<std::string>{"lyon"});
}

}  // namespace
}  // namespace maillage
