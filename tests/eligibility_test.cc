// The publics, zone and age filters shared by the ranker and the synthetic
// generator, on hand-built services, zones and people.

#include "rank/eligibility.h"

#include <cstdint>
#include <initializer_list>
#include <string>

#include "absl/types/optional.h"
#include "gtest/gtest.h"
#include "maillage/model.h"
#include "maillage/vocabulary.h"

namespace maillage::rank {
namespace {

PublicSet Publics(std::initializer_list<const char*> codes) {
  PublicSet set = 0;
  for (const char* code : codes) {
    const absl::optional<PublicId> id = ParsePublic(code);
    EXPECT_TRUE(id.has_value()) << code;
    if (id.has_value()) set = static_cast<PublicSet>(set | (1u << *id));
  }
  return set;
}

Service WithPublics(std::initializer_list<const char*> codes) {
  Service s;
  s.publics = Publics(codes);
  return s;
}

Service WithAges(absl::optional<int32_t> min_age,
                 absl::optional<int32_t> max_age) {
  Service s;
  s.min_age = min_age;
  s.max_age = max_age;
  return s;
}

TEST(PublicsMatchTest, EmptyPublicsAreOpenToAll) {
  const Service s = WithPublics({});
  EXPECT_TRUE(PublicsMatch(s, 0));
  EXPECT_TRUE(PublicsMatch(s, Publics({"femmes"})));
}

TEST(PublicsMatchTest, TousPublicsIsOpenToAll) {
  EXPECT_TRUE(PublicsMatch(WithPublics({"tous-publics"}), 0));
  EXPECT_TRUE(PublicsMatch(WithPublics({"tous-publics"}), Publics({"femmes"})));
  // Listed with others, tous-publics still opens the service.
  const Service s = WithPublics({"jeunes", "tous-publics"});
  EXPECT_TRUE(PublicsMatch(s, Publics({"seniors"})));
  EXPECT_TRUE(PublicsMatch(s, 0));
}

TEST(PublicsMatchTest, OtherwiseOnePublicInCommon) {
  const Service s = WithPublics({"jeunes", "personnes-exilees"});
  EXPECT_TRUE(PublicsMatch(s, Publics({"jeunes"})));
  EXPECT_TRUE(PublicsMatch(s, Publics({"femmes", "personnes-exilees"})));
  EXPECT_FALSE(PublicsMatch(s, Publics({"femmes", "seniors"})));
  EXPECT_FALSE(PublicsMatch(s, 0));
}

TEST(InZoneTest, EmptyZoneIsUnrestricted) {
  const Zone zone;
  EXPECT_TRUE(InZone(zone, "69123"));
  EXPECT_TRUE(InZone(zone, "97411"));
}

TEST(InZoneTest, FranceIsUnrestricted) {
  Zone zone;
  zone.france = true;
  EXPECT_TRUE(InZone(zone, "13055"));
  // Lists beside "france" do not narrow it.
  zone.departements = {"69"};
  zone.communes = {"69123"};
  EXPECT_TRUE(InZone(zone, "13055"));
}

TEST(InZoneTest, ListedCommunes) {
  Zone zone;
  zone.communes = {"69001", "69123"};
  EXPECT_TRUE(InZone(zone, "69001"));
  EXPECT_TRUE(InZone(zone, "69123"));
  // Same département, commune not listed.
  EXPECT_FALSE(InZone(zone, "69124"));
  EXPECT_FALSE(InZone(zone, "01001"));
}

TEST(InZoneTest, ListedDepartements) {
  Zone zone;
  zone.departements = {"13", "2A", "69", "974"};
  EXPECT_TRUE(InZone(zone, "69124"));
  EXPECT_TRUE(InZone(zone, "13001"));
  EXPECT_TRUE(InZone(zone, "2A004"));
  EXPECT_TRUE(InZone(zone, "97411"));
  EXPECT_FALSE(InZone(zone, "2B033"));
  EXPECT_FALSE(InZone(zone, "97101"));
  EXPECT_FALSE(InZone(zone, "01001"));
  // An overseas commune's département has three characters.
  zone.departements = {"97"};
  EXPECT_FALSE(InZone(zone, "97411"));
}

TEST(InZoneTest, CommunesAndDepartementsTogether) {
  Zone zone;
  zone.departements = {"69"};
  zone.communes = {"01001"};
  EXPECT_TRUE(InZone(zone, "01001"));
  EXPECT_TRUE(InZone(zone, "69123"));
  EXPECT_FALSE(InZone(zone, "01002"));
}

TEST(AgeWithinTest, NoBoundsAcceptEveryAge) {
  const Service s = WithAges(absl::nullopt, absl::nullopt);
  EXPECT_TRUE(AgeWithin(s, 0));
  EXPECT_TRUE(AgeWithin(s, 99));
  EXPECT_TRUE(AgeWithin(s, absl::nullopt));
}

TEST(AgeWithinTest, BoundsAreInclusive) {
  const Service s = WithAges(16, 25);
  EXPECT_FALSE(AgeWithin(s, 15));
  EXPECT_TRUE(AgeWithin(s, 16));
  EXPECT_TRUE(AgeWithin(s, 25));
  EXPECT_FALSE(AgeWithin(s, 26));
}

TEST(AgeWithinTest, OneBound) {
  EXPECT_FALSE(AgeWithin(WithAges(50, absl::nullopt), 49));
  EXPECT_TRUE(AgeWithin(WithAges(50, absl::nullopt), 50));
  EXPECT_TRUE(AgeWithin(WithAges(50, absl::nullopt), 90));
  EXPECT_TRUE(AgeWithin(WithAges(absl::nullopt, 25), 18));
  EXPECT_TRUE(AgeWithin(WithAges(absl::nullopt, 25), 25));
  EXPECT_FALSE(AgeWithin(WithAges(absl::nullopt, 25), 26));
}

TEST(AgeWithinTest, UnknownAgeIsNotFiltered) {
  EXPECT_TRUE(AgeWithin(WithAges(16, 25), absl::nullopt));
  EXPECT_TRUE(AgeWithin(WithAges(50, absl::nullopt), absl::nullopt));
}

}  // namespace
}  // namespace maillage::rank
