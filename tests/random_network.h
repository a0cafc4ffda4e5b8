// A seeded random referral network around Lyon, for property tests against
// oracles: services with random themes (from three categories, so that they
// collide), publics, modes, zones, ages and capacities; people with random
// homes, reach, needs and supports; conventions and cooperations.

#ifndef MAILLAGE_TESTS_RANDOM_NETWORK_H_
#define MAILLAGE_TESTS_RANDOM_NETWORK_H_

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "maillage/network.h"

namespace maillage::testing_networks {

struct RandomSizes {
  int min_sites = 2, max_sites = 4;
  int min_partners = 4, max_partners = 9;
  int min_services = 10, max_services = 69;
  int min_persons = 5, max_persons = 34;
  int max_needs = 4;
  int max_capacity = 3;
  // Share of the (commune of kCommunes, service) pairs given a travel time
  // (5 to 90 minutes); 0 = no travel-time table.
  double travel_time_share = 0;
};

// Communes of the Lyon area, for zones and homes.
inline const char* const kCommunes[] = {"69123", "69266", "69029", "69259",
                                        "69290", "01053", "38053", "42218"};

inline Network RandomNetwork(uint64_t seed, const RandomSizes& z = {}) {
  std::mt19937_64 rng(seed);
  auto uni = [&](double a, double b) {
    return a + (b - a) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
  };
  auto pick = [&](int n) {
    return static_cast<int>(rng() % static_cast<uint64_t>(n));
  };
  const int themes = NumThemes();
  NetworkBuilder b;
  auto between = [&](int lo, int hi) { return lo + pick(hi - lo + 1); };
  const int sites = between(z.min_sites, z.max_sites),
            partners = between(z.min_partners, z.max_partners),
            services = between(z.min_services, z.max_services),
            persons = between(z.min_persons, z.max_persons);
  for (int i = 0; i < sites; ++i) {
    b.Add<SiteRow>(
        {absl::StrCat("s", i), "", "t", "", uni(45.5, 46.0), uni(4.6, 5.2)});
  }
  for (int i = 0; i < partners; ++i) {
    b.Add<PartnerRow>(
        {absl::StrCat("p", i), "", "", "", uni(45.5, 46.0), uni(4.6, 5.2), "",
         {}, ""});
  }
  // Themes from 3 categories only, so that themes collide often.
  std::vector<ThemeId> pool;
  for (int t = 0; t < themes; ++t) {
    const ThemeId c = CategoryOf(static_cast<ThemeId>(t));
    if (c < 3) pool.push_back(static_cast<ThemeId>(t));
  }
  for (int i = 0; i < services; ++i) {
    ServiceRow s;
    s.id = absl::StrCat("v", i);
    s.partner_id = absl::StrCat("p", pick(partners));
    for (int k = 0, n = 1 + pick(3); k < n; ++k) {
      s.thematiques.emplace_back(ThemeCode(
          pool[static_cast<size_t>(pick(static_cast<int>(pool.size())))]));
    }
    std::sort(s.thematiques.begin(), s.thematiques.end());
    s.thematiques.erase(std::unique(s.thematiques.begin(), s.thematiques.end()),
                        s.thematiques.end());
    for (int k = 0, n = pick(3); k < n; ++k) {
      s.publics.emplace_back(
          PublicCode(static_cast<PublicId>(pick(NumPublics()))));
    }
    std::sort(s.publics.begin(), s.publics.end());
    s.publics.erase(std::unique(s.publics.begin(), s.publics.end()),
                    s.publics.end());
    const int mode = pick(10);
    if (mode == 0) s.modes_accueil = {"a-distance"};
    if (mode == 1) s.modes_accueil = {"a-distance", "en-presentiel"};
    const int zone = pick(6);
    if (zone == 0) s.zone_eligibilite = {"69"};
    if (zone == 1)
      s.zone_eligibilite = {kCommunes[pick(8)], kCommunes[pick(8)]};
    if (zone == 2) s.zone_eligibilite = {"france"};
    if (zone == 3) s.zone_eligibilite = {"01", "38"};
    std::sort(s.zone_eligibilite.begin(), s.zone_eligibilite.end());
    s.zone_eligibilite.erase(
        std::unique(s.zone_eligibilite.begin(), s.zone_eligibilite.end()),
        s.zone_eligibilite.end());
    s.lat = uni(45.4, 46.1);
    s.lng = uni(4.5, 5.3);
    s.capacity_available = pick(z.max_capacity + 1);
    if (pick(4) == 0) s.min_age = 18 + pick(20);
    if (pick(4) == 0) s.max_age = 30 + pick(40);
    if (s.min_age && s.max_age && *s.min_age > *s.max_age) s.max_age.reset();
    b.Add<ServiceRow>(std::move(s));
  }
  for (int i = 0; i < persons; ++i) {
    PersonRow p;
    p.id = absl::StrCat("u", i);
    p.site_id = absl::StrCat("s", pick(sites));
    p.insee_com = kCommunes[pick(8)];
    p.lat = uni(45.5, 46.0);
    p.lng = uni(4.6, 5.2);
    if (pick(5) != 0) p.age = 18 + pick(50);
    for (int k = 0, n = pick(3); k < n; ++k) {
      p.publics.emplace_back(
          PublicCode(static_cast<PublicId>(pick(NumPublics()))));
    }
    if (pick(3) == 0) p.max_distance_km = uni(5, 40);
    b.Add<PersonRow>(std::move(p));
    std::vector<ThemeId> mine;
    for (int k = 0, n = 1 + pick(z.max_needs); k < n; ++k) {
      const ThemeId t =
          pick(3) == 0
              ? static_cast<ThemeId>(pick(3))
              : pool[static_cast<size_t>(pick(static_cast<int>(pool.size())))];
      if (std::find(mine.begin(), mine.end(), t) != mine.end()) continue;
      mine.push_back(t);
      b.Add<NeedRow>({absl::StrCat("u", i), std::string(ThemeCode(t)), 1 + pick(3)});
      const int sup = pick(8);
      if (sup < 3) {
        const char* status[] = {"refused", "current", "completed"};
        b.Add<SupportRow>({absl::StrCat("u", i), absl::StrCat("v", pick(services)),
                      std::string(ThemeCode(t)), status[sup]});
      }
    }
  }
  for (int i = 0; i < sites; ++i) {
    for (int k = 0; k < 2; ++k) {
      b.Add<PartnershipRow>({absl::StrCat("s", i), absl::StrCat("p", pick(partners)),
                        "convention", uni(0.1, 1.0)});
    }
  }
  for (int k = 0; k < partners; ++k) {
    const int a = pick(partners), c = pick(partners);
    if (a != c) {
      b.Add<PartnershipRow>(
          {absl::StrCat("p", a), absl::StrCat("p", c), "cooperation", 0.5});
    }
  }
  if (z.travel_time_share > 0) {
    for (const char* com : kCommunes) {
      for (int i = 0; i < services; ++i) {
        if (uni(0, 1) < z.travel_time_share) {
          b.Add<TravelTimeRow>({com, absl::StrCat("v", i), uni(5, 90)});
        }
      }
    }
  }
  BuildReport r = std::move(b).BuildWithReport();
  return r.network;  // rows rejected as duplicates are fine here
}

}  // namespace maillage::testing_networks

#endif  // MAILLAGE_TESTS_RANDOM_NETWORK_H_
