// The generator's geography, built once from the commune table, and the
// jitter of generated points.

#include "synth/geography.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "geo/grid_index.h"
#include "maillage/geo.h"
#include "synth/random.h"

namespace maillage::synth {
namespace {

Geography* BuildGeography() {
  auto* g = new Geography;
  g->communes.assign(Communes().begin(), Communes().end());
  double unemployed = 0, population = 0;
  for (const Commune& c : g->communes) {
    if (!c.census) continue;
    unemployed += static_cast<double>(c.unemployed);
    population += static_cast<double>(c.population);
  }
  const double share = population > 0 ? unemployed / population : 0;
  for (Commune& c : g->communes) {
    if (!c.census) {
      c.unemployed = std::llround(static_cast<double>(c.population) * share);
    }
  }
  std::vector<double> lat, lng;
  std::vector<int32_t> ids;
  for (size_t i = 0; i < g->communes.size(); ++i) {
    const Commune& c = g->communes[i];
    if (!c.has_location || c.has_arrondissements) continue;
    g->departements.push_back(c.insee_dep);
    lat.push_back(c.lat);
    lng.push_back(c.lng);
    ids.push_back(static_cast<int32_t>(i));
  }
  std::sort(g->departements.begin(), g->departements.end());
  g->departements.erase(
      std::unique(g->departements.begin(), g->departements.end()),
      g->departements.end());
  g->communes_of.resize(g->departements.size());
  for (int32_t i : ids) {
    const int d = g->DepIndex(g->communes[static_cast<size_t>(i)].insee_dep);
    g->communes_of[static_cast<size_t>(d)].push_back(i);
  }
  g->grid.Build(lat, lng, ids);
  return g;
}

}  // namespace

int Geography::DepIndex(absl::string_view dep) const {
  auto it = std::lower_bound(departements.begin(), departements.end(), dep,
                             [](const std::string& a, absl::string_view b) {
                               return absl::string_view(a) < b;
                             });
  if (it == departements.end() || *it != dep) return -1;
  return static_cast<int>(it - departements.begin());
}

const Geography& GetGeography() {
  static const Geography* const geography = BuildGeography();
  return *geography;
}

std::pair<double, double> Jitter(Rng& rng, double lat, double lng,
                                 double radius_km) {
  const double r = radius_km * std::sqrt(rng.Uniform01());
  const double a = 2 * kPi * rng.Uniform01();
  const double dlat = r * std::cos(a) / kKmPerDegree;
  const double dlng =
      r * std::sin(a) / (kKmPerDegree * std::cos(lat * kPi / 180));
  return {RoundCoord(lat + dlat), RoundCoord(lng + dlng)};
}

}  // namespace maillage::synth
