// Conventions and cooperations of a region (see docs/synth.md for the
// numbers). Partners are drawn without replacement, weighted by distance,
// with exponential keys: key = log(E) + d / decay with E ~ Exp(1); the k
// smallest keys win.

#include "synth/partnerships.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "synth/geography.h"
#include "synth/random.h"
#include "synth/region_state.h"

namespace maillage::synth {
namespace {

// Model parameters (see docs/synth.md).
constexpr double kConventionDecayKm = 10;
constexpr double kCooperationDecayKm = 10;
constexpr double kPoolRadiiKm[] = {1, 2, 5, 10, 20, 40, 80};
constexpr size_t kConventionPool = 60;
constexpr size_t kCooperationPool = 24;

double Strength(Rng& rng) { return Round(rng.Uniform(0.3, 1.0), 100); }

// Indices of the `k` smallest keys (ties: lower index first).
std::vector<size_t> SmallestK(std::vector<std::pair<double, size_t>>* keys,
                              size_t k) {
  k = std::min(k, keys->size());
  std::partial_sort(keys->begin(), keys->begin() + static_cast<ptrdiff_t>(k),
                    keys->end());
  std::vector<size_t> out;
  out.reserve(k);
  for (size_t i = 0; i < k; ++i) out.push_back((*keys)[i].second);
  return out;
}

// (distance, index) of the partners other than `self` within the smallest
// radius of kPoolRadiiKm that holds at least `min_count` of them, else of
// all partners: the far ones would almost never be drawn, and scanning
// every partner of a large département for every site would be quadratic.
void NearPartners(const RegionState& st, double lat, double lng,
                  size_t min_count, size_t self,
                  std::vector<std::pair<double, size_t>>* out) {
  auto distance = [&](size_t p) {
    return st.planar.Km(lat, lng, st.partners[p].lat, st.partners[p].lng);
  };
  if (st.partners.size() > min_count + 1) {
    for (double r : kPoolRadiiKm) {
      out->clear();
      st.partner_grid.ForEachNear(lat, lng, r, [&](int32_t i) {
        const auto p = static_cast<size_t>(i);
        const double d = distance(p);
        if (p != self && d <= r) out->push_back({d, p});
      });
      if (out->size() >= min_count) return;
    }
  }
  out->clear();
  for (size_t p = 0; p < st.partners.size(); ++p) {
    if (p != self) out->push_back({distance(p), p});
  }
}

}  // namespace

void GenerateConventions(RegionState& st) {
  std::vector<std::pair<double, size_t>> keys;
  for (const Place& s : st.sites) {
    const auto k = static_cast<size_t>(st.rng.UniformInt(5, 15));
    NearPartners(st, s.lat, s.lng, kConventionPool, st.partners.size(), &keys);
    for (auto& [key, p] : keys) {
      key = std::log(st.rng.Exponential()) + key / kConventionDecayKm;
    }
    for (size_t p : SmallestK(&keys, k)) {
      st.out->partnerships.push_back({.from_id = s.id,
                                      .to_id = st.partners[p].id,
                                      .kind = "convention",
                                      .strength = Strength(st.rng)});
    }
  }
}

void GenerateCooperations(RegionState& st) {
  const size_t np = st.partners.size();
  absl::flat_hash_set<std::pair<size_t, size_t>> pairs;
  std::vector<std::pair<double, size_t>> keys;
  for (size_t a = 0; a < np; ++a) {
    const auto want = static_cast<size_t>(st.rng.UniformInt(0, 3));
    if (want == 0 || np < 2) continue;
    NearPartners(st, st.partners[a].lat, st.partners[a].lng, kCooperationPool,
                 a, &keys);
    for (auto& [key, b] : keys) {
      key = std::log(st.rng.Exponential()) + key / kCooperationDecayKm;
    }
    size_t made = 0;
    for (size_t b : SmallestK(&keys, want + 3)) {
      if (made == want) break;
      if (!pairs.insert({std::min(a, b), std::max(a, b)}).second) continue;
      ++made;
      st.out->partnerships.push_back({.from_id = st.partners[a].id,
                                      .to_id = st.partners[b].id,
                                      .kind = "cooperation",
                                      .strength = Strength(st.rng)});
    }
  }
}

}  // namespace maillage::synth
