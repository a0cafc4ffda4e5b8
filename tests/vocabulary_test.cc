// The compiled data·inclusion vocabularies and the commune table.

#include "maillage/vocabulary.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "maillage/geo.h"

namespace maillage {
namespace {

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
  EXPECT_EQ(Communes().size(), 34931u);
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
