// The geography the synthetic generator places everything on: the located
// communes of the commune table grouped by département and on a grid (Paris,
// Lyon and Marseille through their arrondissements), and the small geometric
// helpers of the generator (planar distances, jitter, rounding).

#ifndef MAILLAGE_SRC_SYNTH_GEOGRAPHY_H_
#define MAILLAGE_SRC_SYNTH_GEOGRAPHY_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "geo/grid_index.h"
#include "maillage/geo.h"
#include "synth/random.h"

namespace maillage::synth {

struct Geography {
  // Communes(), except that a commune without census figures (the
  // arrondissements, communes split since 2024) has an estimated number of
  // unemployed: its population times the national share of unemployed in
  // the population (docs/synth.md). The cities with arrondissements are
  // not located: their arrondissements are.
  std::vector<Commune> communes;
  std::vector<std::string> departements;  // sorted, with located communes
  std::vector<std::vector<int32_t>> communes_of;  // located communes, by dep
  geo::GridIndex grid;                            // all located communes

  // Index of `dep` in `departements`; -1 when absent.
  int DepIndex(absl::string_view dep) const;
};

// The geography of Communes(), built once.
const Geography& GetGeography();

// Grid cells for partners and services (~2 km): a query for the nearest few
// scans a few cells, whatever the density of a large network.
inline constexpr double kFineCellDegrees = 0.02;

inline constexpr double kKmPerDegree = 111.195;
inline constexpr double kPi = 3.14159265358979323846;

inline double Round(double x, double scale) {
  return std::round(x * scale) / scale;
}
inline double RoundCoord(double x) { return Round(x, 1e5); }  // ~1 m

// Fast planar distance for weights inside a region (error << 1% at 100 km).
struct Planar {
  double cos_lat = 1;
  double Km(double lat1, double lng1, double lat2, double lng2) const {
    const double dy = (lat1 - lat2) * kKmPerDegree;
    const double dx = (lng1 - lng2) * kKmPerDegree * cos_lat;
    return std::sqrt(dx * dx + dy * dy);
  }
};

// A point uniform in the disc of `radius_km` around (lat, lng), rounded.
std::pair<double, double> Jitter(Rng& rng, double lat, double lng,
                                 double radius_km);

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_GEOGRAPHY_H_
