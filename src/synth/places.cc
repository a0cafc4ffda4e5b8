// Sites and partners of a region (see docs/synth.md for the numbers).

#include "synth/places.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "maillage/geo.h"
#include "synth/geography.h"
#include "synth/partner_kinds.h"
#include "synth/random.h"
#include "synth/region_state.h"

namespace maillage::synth {
namespace {

// Model parameters (see docs/synth.md).
constexpr double kSiteDecayKm = 15;         // sites around the centre
constexpr double kPartnerDecayKm = 20;      // partners around the centre
constexpr double kPartnerFloor = 0.3;       // ... and across the territory
constexpr double kTownPopulation = 10'000;  // institutions sit in towns
constexpr double kPlaceJitterKm = 0.8;      // site, partner in its commune

// Weighted draws over the region's communes (uniform when all weights are
// 0). Weight of a commune: its population, times floor + exp(-d / decay_km)
// for a distance d from the centre when decay_km > 0, times
// min(1, population / kTownPopulation)^2 when `urban`.
CumulativeWeights CommuneWeights(const RegionState& st, double decay_km,
                                 double floor, bool urban) {
  const Region& r = st.region;
  std::vector<double> w(r.communes.size());
  for (size_t i = 0; i < w.size(); ++i) {
    const Commune& c = st.commune(r.communes[i]);
    const auto population = static_cast<double>(c.population);
    double f = 1.0;
    if (decay_km > 0) {
      const double d = st.planar.Km(c.lat, c.lng, r.centre_lat, r.centre_lng);
      f = floor + std::exp(-d / decay_km);
    }
    if (urban) {
      const double town = std::min(1.0, population / kTownPopulation);
      f *= town * town;
    }
    w[i] = population * f;
  }
  CumulativeWeights cw(w);
  if (cw.total() <= 0) {
    cw = CumulativeWeights(std::vector<double>(w.size(), 1));
  }
  return cw;
}

}  // namespace

void GenerateSites(RegionState& st) {
  const Region& r = st.region;
  const CumulativeWeights cw = r.national
                                   ? CommuneWeights(st, 0, 0, false)
                                   : CommuneWeights(st, kSiteDecayKm, 0, false);
  Namer namer;
  for (int64_t i = 0; i < r.sites; ++i) {
    const int32_t c = r.communes[cw.Draw(st.rng)];
    const Commune& commune = st.commune(c);
    auto [lat, lng] = Jitter(st.rng, commune.lat, commune.lng, kPlaceJitterKm);
    Place s{c, lat, lng, absl::StrCat("S-", r.name, "-", Padded(i + 1, 3))};
    st.out->sites.push_back(
        {.id = s.id,
         .name = namer.Name(absl::StrCat("ACI ", commune.name)),
         .territory = r.name,
         .insee_com = commune.insee_com,
         .lat = lat,
         .lng = lng});
    st.sites.push_back(std::move(s));
  }
}

void GeneratePartners(RegionState& st) {
  const Region& r = st.region;
  // Institutions (kinds marked `urban`) sit in towns; the others anywhere
  // people live.
  const double decay = r.national ? 0 : kPartnerDecayKm;
  const double base = r.national ? 0 : kPartnerFloor;
  const CumulativeWeights spread = CommuneWeights(st, decay, base, false);
  const CumulativeWeights urban = CommuneWeights(st, decay, base, true);
  const CumulativeWeights kinds(st.vocab.kind_weights);
  auto kind_of = [&](int k) -> const PartnerKind& {
    return *st.vocab.kinds[static_cast<size_t>(k)].source;
  };
  auto draw_commune = [&](int k) {
    return r.communes[(kind_of(k).urban ? urban : spread).Draw(st.rng)];
  };
  Namer namer;
  // Départements that already have their one SIAO / MDPH, by kind.
  absl::flat_hash_set<std::pair<int, std::string>> unique_taken;
  auto taken = [&](int k, int32_t c) {
    return kind_of(k).one_per_departement &&
           unique_taken.contains({k, st.commune(c).insee_dep});
  };
  const std::vector<int>& core = st.vocab.core_kinds;
  for (int64_t i = 0; i < r.partners; ++i) {
    int kind = static_cast<size_t>(i) < core.size()
                   ? core[static_cast<size_t>(i)]
                   : static_cast<int>(kinds.Draw(st.rng));
    int32_t c = draw_commune(kind);
    for (int attempt = 0; attempt < 20 && taken(kind, c); ++attempt) {
      c = draw_commune(kind);
    }
    while (taken(kind, c)) {  // every département has one: another kind
      kind = static_cast<int>(kinds.Draw(st.rng));
      c = draw_commune(kind);
    }
    const PartnerKind& pk = kind_of(kind);
    const Commune& commune = st.commune(c);
    if (pk.one_per_departement) unique_taken.insert({kind, commune.insee_dep});
    auto [lat, lng] = Jitter(st.rng, commune.lat, commune.lng, kPlaceJitterKm);
    Place p{c, lat, lng, absl::StrCat("P-", r.name, "-", Padded(i + 1, 4))};
    std::string name = namer.Name(absl::StrCat(pk.label, " ", commune.name));
    st.out->partners.push_back({.id = p.id,
                                .name = name,
                                .kind = pk.code,
                                .insee_com = commune.insee_com,
                                .lat = lat,
                                .lng = lng,
                                .siret = {},
                                .reseaux_porteurs = {},
                                .updated = {}});
    st.partner_kind.push_back(kind);
    st.partner_names.push_back(std::move(name));
    st.partners.push_back(std::move(p));
  }
}

void IndexPartners(RegionState& st) {
  std::vector<double> lat, lng;
  std::vector<int32_t> ids;
  for (size_t p = 0; p < st.partners.size(); ++p) {
    lat.push_back(st.partners[p].lat);
    lng.push_back(st.partners[p].lng);
    ids.push_back(static_cast<int32_t>(p));
  }
  st.partner_grid.Build(lat, lng, ids, kFineCellDegrees);
}

}  // namespace maillage::synth
