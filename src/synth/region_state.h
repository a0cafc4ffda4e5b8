// The state the components of the synthetic generator share while they
// generate one region: the region, its random stream, and what has been
// generated so far (sites, partners, services and their indexes). The
// components run in a fixed order on one RegionState (synth.cc), each
// appending its rows to `out`; every draw comes from `rng` in that order, so
// the same seed gives the same rows. Also the ids and names of generated
// rows.

#ifndef MAILLAGE_SRC_SYNTH_REGION_STATE_H_
#define MAILLAGE_SRC_SYNTH_REGION_STATE_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "geo/grid_index.h"
#include "maillage/geo.h"
#include "maillage/model.h"
#include "maillage/schema.h"
#include "synth/geography.h"
#include "synth/random.h"
#include "synth/regions.h"
#include "synth/vocab.h"

namespace maillage::synth {

// A generated site or partner.
struct Place {
  int32_t commune = 0;  // index in the commune table
  double lat = 0, lng = 0;
  std::string id;
};

// A generated service, as the ranker will see it (id, themes, publics,
// modes, zone, location, capacities, ages; not its partner, name or date),
// and the current supports drawn to it so far.
struct GeneratedService {
  Service service;
  int32_t pinned = 0;
};

struct RegionState {
  // The region's stream is seeded by `seed` and the region's name.
  RegionState(const Region& r, uint64_t seed, const Vocab& v,
              const Geography& g, NetworkRows* rows)
      : region(r),
        rng(Mix64(seed ^ Mix64(StableHash(r.name)))),
        vocab(v),
        geo(g),
        out(rows) {
    planar.cos_lat = std::cos(r.centre_lat * kPi / 180);
  }

  const Commune& commune(int32_t i) const {
    return geo.communes[static_cast<size_t>(i)];
  }

  const Region& region;
  Rng rng;
  const Vocab& vocab;
  const Geography& geo;
  NetworkRows* out;  // the rows of all regions, appended to
  Planar planar;     // distances around the region's centre

  std::vector<Place> sites;
  std::vector<Place> partners;
  std::vector<int> partner_kind;           // index in vocab.kinds
  std::vector<std::string> partner_names;  // as in the partners' rows
  geo::GridIndex partner_grid;             // indices in `partners`
  std::vector<GeneratedService> services;
  // Services by theme served: a grid of the in-person ones and a list of
  // the remote ones (indices in `services`).
  std::vector<geo::GridIndex> grid_by_theme;
  std::vector<std::vector<int32_t>> remote_by_theme;
};

// `n` with leading zeros to `width` digits, for ids.
inline std::string Padded(int64_t n, int width) {
  return absl::StrFormat("%0*d", width, n);
}

// "name", then "name 2", "name 3"... for repeated names.
class Namer {
 public:
  std::string Name(std::string base) {
    const int n = ++count_[base];
    if (n == 1) return base;
    return absl::StrCat(base, " ", n);
  }

 private:
  absl::flat_hash_map<std::string, int> count_;
};

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_REGION_STATE_H_
