// The compiled data·inclusion vocabularies and the commune table.

#include "maillage/vocabulary.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "gtest/gtest.h"
#include "maillage/geo.h"

namespace maillage {
namespace {

TEST(ClosestCodeTest, SuggestsOnlyCodesAFewEditsAway) {
  const std::vector<absl::string_view> codes = {"femmes", "jeunes",
                                                "logement-hebergement"};
  EXPECT_EQ(base::ClosestCode("femme", codes), "femmes");
  EXPECT_EQ(base::ClosestCode("jenues", codes), "jeunes");  // transposition
  EXPECT_EQ(base::ClosestCode("logement-hebergment", codes),
            "logement-hebergement");
  EXPECT_EQ(base::ClosestCode("Logement-Hebergement", codes),
            "logement-hebergement");
  EXPECT_EQ(base::ClosestCode("logement", codes), "");  // too far
  EXPECT_EQ(base::ClosestCode("x", codes), "");
  EXPECT_EQ(base::ClosestCode("", codes), "");
}

TEST(VocabularyTest, ThemesHaveSixteenCategoriesAndSixtyNineSubthemes) {
  EXPECT_EQ(NumCategories(), 16);
  EXPECT_EQ(NumThemes(), 16 + 69);
  std::set<std::string> codes;
  for (int t = 0; t < NumThemes(); ++t) {
    const auto id = static_cast<ThemeId>(t);
    const std::string code(ThemeCode(id));
    EXPECT_TRUE(codes.insert(code).second) << code;
    EXPECT_EQ(ParseTheme(code), id);
    EXPECT_EQ(IsCategory(id), t < 16);
    if (!IsCategory(id)) {
      EXPECT_EQ(code.substr(0, code.find("--")), ThemeCode(CategoryOf(id)));
    } else {
      EXPECT_EQ(CategoryOf(id), id);
    }
  }
  EXPECT_FALSE(ParseTheme("logement").has_value());
  EXPECT_FALSE(ParseTheme("").has_value());
  EXPECT_EQ(ThemeLabel(*ParseTheme("sante--addictions")), "Addictions");
}

TEST(VocabularyTest, ServedThemesExpandTheHierarchy) {
  ThemeSet declared;
  declared.Add(*ParseTheme("mobilite--preparer-un-permis"));
  declared.Add(*ParseTheme("sante"));
  const ThemeSet served = ServedThemes(declared);
  EXPECT_TRUE(served.Contains(*ParseTheme("mobilite")));
  EXPECT_TRUE(served.Contains(*ParseTheme("mobilite--preparer-un-permis")));
  EXPECT_FALSE(served.Contains(*ParseTheme("mobilite--acceder-a-un-vehicule")));
  EXPECT_TRUE(served.Contains(*ParseTheme("sante--sante-mentale")));
  EXPECT_FALSE(served.Contains(*ParseTheme("logement-hebergement")));
  EXPECT_EQ(served.ToVector().size(), 2u + 1u + 5u);  // mobilite x2, sante+5
}

TEST(VocabularyTest, PublicsModesAndNetworks) {
  EXPECT_EQ(NumPublics(), 14);
  EXPECT_EQ(PublicCode(AllPublicsId()), "tous-publics");
  EXPECT_EQ(ParsePublic("jeunes").has_value(), true);
  EXPECT_FALSE(ParsePublic("Jeunes").has_value());
  EXPECT_EQ(ParseMode("a-distance"), Mode::kRemote);
  EXPECT_FALSE(ParseMode("distance").has_value());
  EXPECT_TRUE(IsReseauPorteur("chrs"));
  EXPECT_TRUE(IsReseauPorteur("mission-locale"));
  EXPECT_FALSE(IsReseauPorteur("asl"));
}

TEST(GeoTest, CommuneTableIsComplete) {
  // The 34,875 current communes of the 2026 COG (overseas collectivities
  // aside) and the 45 arrondissements of Paris, Lyon and Marseille.
  EXPECT_EQ(Communes().size(), 34920u);
  int arrondissements = 0, unlocated = 0;
  for (const Commune& c : Communes()) {
    arrondissements += c.type == CommuneType::kArrondissement;
    unlocated += !c.has_location;
  }
  EXPECT_EQ(arrondissements, 45);
  EXPECT_LE(unlocated, 10);
  const Commune* nantes = FindCommune("44109");
  ASSERT_NE(nantes, nullptr);
  EXPECT_EQ(nantes->name, "Nantes");
  EXPECT_EQ(nantes->insee_dep, "44");
  EXPECT_GT(nantes->population, 300000);
  EXPECT_TRUE(nantes->has_location);
  const Commune* ajaccio = FindCommune("2A004");
  ASSERT_NE(ajaccio, nullptr);
  EXPECT_EQ(ajaccio->insee_dep, "2A");
  // Rows without coordinates are kept, flagged.
  const Commune* no_loc = FindCommune("85165");
  ASSERT_NE(no_loc, nullptr);
  EXPECT_FALSE(no_loc->has_location);
  EXPECT_EQ(FindCommune("99999"), nullptr);
}

TEST(GeoTest, ParisLyonMarseilleAndTheirArrondissements) {
  for (const char* city : {"75056", "69123", "13055"}) {
    const Commune* c = FindCommune(city);
    ASSERT_NE(c, nullptr) << city;
    EXPECT_TRUE(c->has_location) << city;
    EXPECT_TRUE(c->has_arrondissements) << city;
    EXPECT_EQ(c->type, CommuneType::kCommune);
  }
  const Commune* paris = FindCommune("75056");
  EXPECT_NEAR(paris->lat, 48.86, 0.05);
  EXPECT_NEAR(paris->lng, 2.35, 0.05);
  const Commune* p11 = FindCommune("75111");
  ASSERT_NE(p11, nullptr);
  EXPECT_EQ(p11->type, CommuneType::kArrondissement);
  EXPECT_EQ(p11->parent, "75056");
  EXPECT_EQ(p11->insee_dep, "75");
  EXPECT_EQ(p11->epci, paris->epci);
  EXPECT_FALSE(p11->census);
  EXPECT_GT(p11->population, 100000);
  EXPECT_NEAR(GreatCircleKm(p11->lat, p11->lng, 48.859, 2.379), 0, 1.0);
  const Commune* lyon7 = FindCommune("69387");
  ASSERT_NE(lyon7, nullptr);
  EXPECT_EQ(lyon7->parent, "69123");
  const Commune* m13 = FindCommune("13213");
  ASSERT_NE(m13, nullptr);
  EXPECT_EQ(m13->parent, "13055");
  EXPECT_EQ(FindCommune("75121"), nullptr);
  // The syntactic rule agrees with the table, both ways.
  int arrondissements = 0;
  for (const Commune& c : Communes()) {
    EXPECT_EQ(CityOfArrondissement(c.insee_com), c.parent) << c.insee_com;
    arrondissements += !c.parent.empty();
  }
  EXPECT_EQ(arrondissements, 45);
  EXPECT_EQ(CityOfArrondissement("75121"), "");
  EXPECT_EQ(CityOfArrondissement("69380"), "");
  EXPECT_EQ(CityOfArrondissement("13217"), "");
  EXPECT_EQ(CityOfArrondissement("7510"), "");
}

TEST(GeoTest, FormerCodesMapToTheirCurrentCommune) {
  int former = 0;
  for (const Commune& c : Communes()) {
    for (const std::string& old : c.former_codes) {
      ++former;
      EXPECT_EQ(FindCommune(old), nullptr) << old;
      const Commune* now = FindFormerCommune(old);
      ASSERT_NE(now, nullptr) << old;
      EXPECT_EQ(now->insee_com, c.insee_com) << old;
    }
  }
  EXPECT_GT(former, 1000);
  EXPECT_EQ(FindFormerCommune("69123"), nullptr);  // current
  EXPECT_EQ(FindFormerCommune("99999"), nullptr);
  // Les Trois Lacs (27676) took in Bernières-sur-Seine and Tosny.
  ASSERT_NE(FindFormerCommune("27058"), nullptr);
  EXPECT_EQ(FindFormerCommune("27058")->insee_com, "27676");
}

TEST(GeoTest, PostalCodes) {
  const std::vector<const Commune*> p11 = CommunesOfPostalCode("75011");
  ASSERT_EQ(p11.size(), 1u);
  EXPECT_EQ(p11[0]->insee_com, "75111");
  // 75116 is the second postal code of Paris 16e.
  ASSERT_EQ(CommunesOfPostalCode("75116").size(), 1u);
  EXPECT_EQ(CommunesOfPostalCode("75116")[0]->insee_com, "75116");
  const std::vector<const Commune*> lyon1 = CommunesOfPostalCode("69001");
  ASSERT_EQ(lyon1.size(), 1u);
  EXPECT_EQ(lyon1[0]->insee_com, "69381");
  // A postal code shared by several communes gives all of them, sorted.
  const std::vector<const Commune*> shared = CommunesOfPostalCode("01400");
  ASSERT_GT(shared.size(), 1u);
  EXPECT_TRUE(std::is_sorted(shared.begin(), shared.end(),
                             [](const Commune* a, const Commune* b) {
                               return a->insee_com < b->insee_com;
                             }));
  EXPECT_TRUE(CommunesOfPostalCode("00000").empty());
}

TEST(GeoTest, EpcisAndRegions) {
  EXPECT_EQ(Epcis().size(), 1255u);
  const Epci* lyon = FindEpci("200046977");
  ASSERT_NE(lyon, nullptr);
  EXPECT_EQ(lyon->name, "Métropole de Lyon");
  EXPECT_TRUE(std::binary_search(lyon->communes.begin(), lyon->communes.end(),
                                 std::string("69123")));
  EXPECT_TRUE(std::binary_search(lyon->communes.begin(), lyon->communes.end(),
                                 std::string("69266")));  // Villeurbanne
  EXPECT_EQ(FindCommune("69266")->epci, "200046977");
  EXPECT_EQ(FindEpci("123456789"), nullptr);
  EXPECT_TRUE(IsSirenCode("200046977"));
  EXPECT_FALSE(IsSirenCode("20004697"));
  EXPECT_FALSE(IsSirenCode("20004697a"));
  EXPECT_EQ(DepartementsOfRegion("11"),
            (std::vector<std::string>{"75", "77", "78", "91", "92", "93", "94",
                                      "95"}));
  EXPECT_EQ(DepartementsOfRegion("94"), (std::vector<std::string>{"2A", "2B"}));
  EXPECT_TRUE(DepartementsOfRegion("99").empty());
}

TEST(GeoTest, Codes) {
  // Every code against both checks: a commune code is never a département
  // code, nor the other way round.
  struct CodeCase {
    const char* code;
    bool commune, departement;
  };
  const CodeCase cases[] = {
      {"69123", true, false},  {"2B033", true, false},  {"6912", false, false},
      {"2C033", false, false}, {"69a23", false, false}, {"01", false, true},
      {"2A", false, true},     {"974", false, true},    {"20", false, false},
      {"00", false, false},    {"96", false, false},    {"977", false, false},
  };
  for (const CodeCase& c : cases) {
    EXPECT_EQ(IsCommuneCode(c.code), c.commune) << c.code;
    EXPECT_EQ(IsDepartementCode(c.code), c.departement) << c.code;
  }
  EXPECT_EQ(DepartementOf("97411"), "974");
  EXPECT_EQ(DepartementOf("2A004"), "2A");
  EXPECT_EQ(DepartementOf("69123"), "69");
}

// The synthetic generator groups communes by their table `insee_dep`, the
// ranker by `DepartementOf(insee_com)`: both must name the same département.
TEST(GeoTest, DepartementOfAgreesWithTheCommuneTable) {
  int disagreeing = 0;
  for (const Commune& c : Communes()) {
    if (DepartementOf(c.insee_com) != c.insee_dep) {
      ADD_FAILURE() << c.insee_com << " is in " << c.insee_dep
                    << ", DepartementOf gives " << DepartementOf(c.insee_com);
      if (++disagreeing == 10) break;
    }
  }
  EXPECT_EQ(disagreeing, 0);
}

TEST(GeoTest, GreatCircle) {
  EXPECT_DOUBLE_EQ(GreatCircleKm(45, 4, 45, 4), 0.0);
  // Paris - Lyon, about 392 km.
  EXPECT_NEAR(GreatCircleKm(48.8566, 2.3522, 45.7640, 4.8357), 392.0, 2.0);
  // One degree of latitude, about 111.2 km.
  EXPECT_NEAR(GreatCircleKm(0, 0, 1, 0), 111.195, 0.01);
  EXPECT_NEAR(GreatCircleKm(10, 20, -5, 30), GreatCircleKm(-5, 30, 10, 20),
              1e-9);
}

}  // namespace
}  // namespace maillage
