// Field-by-field equality of two networks, for tests of determinism and of
// write/load round trips.

#ifndef MAILLAGE_TESTS_NETWORK_EQUALITY_H_
#define MAILLAGE_TESTS_NETWORK_EQUALITY_H_

#include "gtest/gtest.h"
#include "maillage/network.h"

namespace maillage::testing_networks {

// Field-by-field equality of two networks (every table, every field).
inline void ExpectSameNetwork(const Network &a, const Network &b) {
  ASSERT_EQ(a.sites().size(), b.sites().size());
  for (size_t i = 0; i < a.sites().size(); ++i) {
    const Site &x = a.sites()[i], &y = b.sites()[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.territory, y.territory);
    EXPECT_EQ(x.insee_com, y.insee_com);
    EXPECT_EQ(x.lat, y.lat);
    EXPECT_EQ(x.lng, y.lng);
  }
  ASSERT_EQ(a.partners().size(), b.partners().size());
  for (size_t i = 0; i < a.partners().size(); ++i) {
    const Partner &x = a.partners()[i], &y = b.partners()[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.insee_com, y.insee_com);
    EXPECT_EQ(x.lat, y.lat);
    EXPECT_EQ(x.lng, y.lng);
  }
  ASSERT_EQ(a.services().size(), b.services().size());
  for (size_t i = 0; i < a.services().size(); ++i) {
    const Service &x = a.services()[i], &y = b.services()[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.partner, y.partner);
    EXPECT_EQ(x.name, y.name);
    EXPECT_TRUE(x.themes == y.themes) << x.id;
    EXPECT_TRUE(x.served == y.served) << x.id;
    EXPECT_EQ(x.publics, y.publics);
    EXPECT_EQ(x.modes, y.modes);
    EXPECT_EQ(x.zone.france, y.zone.france);
    EXPECT_EQ(x.zone.departements, y.zone.departements);
    EXPECT_EQ(x.zone.communes, y.zone.communes);
    EXPECT_EQ(x.insee_com, y.insee_com);
    EXPECT_EQ(x.has_location, y.has_location);
    EXPECT_EQ(x.lat, y.lat);
    EXPECT_EQ(x.lng, y.lng);
    EXPECT_EQ(x.capacity_available, y.capacity_available);
    EXPECT_EQ(x.capacity_max, y.capacity_max);
    EXPECT_EQ(x.min_age, y.min_age);
    EXPECT_EQ(x.max_age, y.max_age);
    EXPECT_EQ(x.updated, y.updated);
  }
  ASSERT_EQ(a.persons().size(), b.persons().size());
  for (size_t i = 0; i < a.persons().size(); ++i) {
    const Person &x = a.persons()[i], &y = b.persons()[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.site, y.site);
    EXPECT_EQ(x.insee_com, y.insee_com);
    EXPECT_EQ(x.lat, y.lat);
    EXPECT_EQ(x.lng, y.lng);
    EXPECT_EQ(x.age, y.age);
    EXPECT_EQ(x.publics, y.publics);
    EXPECT_EQ(x.max_distance_km, y.max_distance_km);
  }
  ASSERT_EQ(a.needs().size(), b.needs().size());
  for (size_t i = 0; i < a.needs().size(); ++i) {
    const Need &x = a.needs()[i], &y = b.needs()[i];
    EXPECT_EQ(x.person, y.person);
    EXPECT_EQ(x.theme, y.theme);
    EXPECT_EQ(x.urgency, y.urgency);
  }
  ASSERT_EQ(a.supports().size(), b.supports().size());
  for (size_t i = 0; i < a.supports().size(); ++i) {
    const Support &x = a.supports()[i], &y = b.supports()[i];
    EXPECT_EQ(x.person, y.person);
    EXPECT_EQ(x.service, y.service);
    EXPECT_EQ(x.theme, y.theme);
    EXPECT_EQ(x.status, y.status);
  }
  ASSERT_EQ(a.partnerships().size(), b.partnerships().size());
  for (size_t i = 0; i < a.partnerships().size(); ++i) {
    const Partnership &x = a.partnerships()[i], &y = b.partnerships()[i];
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.site, y.site);
    EXPECT_EQ(x.partner_a, y.partner_a);
    EXPECT_EQ(x.partner_b, y.partner_b);
    EXPECT_EQ(x.strength, y.strength);
  }
}

}  // namespace maillage::testing_networks

#endif  // MAILLAGE_TESTS_NETWORK_EQUALITY_H_
