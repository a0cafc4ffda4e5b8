// The synthetic network generator. The model and its numbers are documented
// in docs/synth.md (README "Synthetic network").

#include "maillage/synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "data/embedded.h"
#include "geo/grid_index.h"
#include "base/csv.h"
#include "maillage/geo.h"
#include "maillage/model.h"
#include "maillage/network.h"
#include "maillage/vocabulary.h"
#include "rank/eligibility.h"
#include "synth/geography.h"
#include "synth/partner_kinds.h"
#include "synth/persons.h"
#include "synth/places.h"
#include "synth/random.h"
#include "synth/region_state.h"
#include "synth/regions.h"
#include "synth/services.h"
#include "synth/vocab.h"

namespace maillage {

namespace synth {
namespace {

// ---------------------------------------------------------------------------
// Model parameters (see docs/synth.md)
// ---------------------------------------------------------------------------

constexpr double kConventionDecayKm = 10;
constexpr double kCooperationDecayKm = 10;
constexpr double kPoolRadiiKm[] = {1, 2, 5, 10, 20, 40, 80};
constexpr size_t kConventionPool = 60;
constexpr size_t kCooperationPool = 24;

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

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

class RegionGenerator {
 public:
  RegionGenerator(const Region& region, uint64_t seed, const Vocab& vocab,
                  const Geography& geography, NetworkRows* out)
      : st_(region, seed, vocab, geography, out) {}

  void Run() {
    GenerateSites(st_);
    GeneratePartners(st_);
    IndexPartners(st_);
    GenerateServices(st_);
    IndexServices(st_);
    GeneratePersons(st_);
    Conventions();
    Cooperations();
  }

 private:
  static double Strength(Rng& rng) { return Round(rng.Uniform(0.3, 1.0), 100); }

  // (distance, index) of the partners other than `self` within the smallest
  // radius of kPoolRadiiKm that holds at least `min_count` of them, else of
  // all partners: the far ones would almost never be drawn, and scanning
  // every partner of a large département for every site would be quadratic.
  void NearPartners(double lat, double lng, size_t min_count, size_t self,
                    std::vector<std::pair<double, size_t>>* out) const {
    auto distance = [&](size_t p) {
      return st_.planar.Km(lat, lng, st_.partners[p].lat, st_.partners[p].lng);
    };
    if (st_.partners.size() > min_count + 1) {
      for (double r : kPoolRadiiKm) {
        out->clear();
        st_.partner_grid.ForEachNear(lat, lng, r, [&](int32_t i) {
          const auto p = static_cast<size_t>(i);
          const double d = distance(p);
          if (p != self && d <= r) out->push_back({d, p});
        });
        if (out->size() >= min_count) return;
      }
    }
    out->clear();
    for (size_t p = 0; p < st_.partners.size(); ++p) {
      if (p != self) out->push_back({distance(p), p});
    }
  }

  // Each site: conventions with 5..15 partners, nearer ones more likely
  // (weighted sampling without replacement by exponential keys:
  // key = log(E) + d / decay with E ~ Exp(1); the k smallest keys win).
  void Conventions() {
    std::vector<std::pair<double, size_t>> keys;
    for (const Place& s : st_.sites) {
      const auto k = static_cast<size_t>(st_.rng.UniformInt(5, 15));
      NearPartners(s.lat, s.lng, kConventionPool, st_.partners.size(), &keys);
      for (auto& [key, p] : keys) {
        key = std::log(st_.rng.Exponential()) + key / kConventionDecayKm;
      }
      for (size_t p : SmallestK(&keys, k)) {
        st_.out->partnerships.push_back({.from_id = s.id,
                                      .to_id = st_.partners[p].id,
                                      .kind = "convention",
                                      .strength = Strength(st_.rng)});
      }
    }
  }

  // Each partner: 0..3 cooperations with partners of the region, nearer ones
  // more likely; no self-loop, no pair twice (in either direction).
  void Cooperations() {
    const size_t np = st_.partners.size();
    absl::flat_hash_set<std::pair<size_t, size_t>> pairs;
    std::vector<std::pair<double, size_t>> keys;
    for (size_t a = 0; a < np; ++a) {
      const auto want = static_cast<size_t>(st_.rng.UniformInt(0, 3));
      if (want == 0 || np < 2) continue;
      NearPartners(st_.partners[a].lat, st_.partners[a].lng, kCooperationPool, a,
                   &keys);
      for (auto& [key, b] : keys) {
        key = std::log(st_.rng.Exponential()) + key / kCooperationDecayKm;
      }
      size_t made = 0;
      for (size_t b : SmallestK(&keys, want + 3)) {
        if (made == want) break;
        if (!pairs.insert({std::min(a, b), std::max(a, b)}).second) continue;
        ++made;
        st_.out->partnerships.push_back({.from_id = st_.partners[a].id,
                                      .to_id = st_.partners[b].id,
                                      .kind = "cooperation",
                                      .strength = Strength(st_.rng)});
      }
    }
  }

  RegionState st_;
};

}  // namespace

}  // namespace synth

absl::StatusOr<NetworkRows> GenerateRows(const SynthOptions& options) {
  if (!synth::ScaleOk(options.scale)) {
    return absl::InvalidArgumentError(
        absl::StrCat("scale must be a finite number > 0, got ", options.scale));
  }
  const synth::Vocab& vocab = synth::GetVocab();
  if (!vocab.error.empty()) {
    return absl::InternalError(
        absl::StrCat("synthetic generator tables: ", vocab.error));
  }
  const synth::Geography& geography = synth::GetGeography();
  absl::StatusOr<std::vector<synth::Region>> regions =
      options.national ? synth::NationalRegions(options, geography)
                       : synth::TerritoryRegions(options, geography);
  if (!regions.ok()) return regions.status();

  // Regions append to the tables in turn (each from its own stream).
  NetworkRows all;
  for (const synth::Region& r : *regions) {
    synth::RegionGenerator(r, options.seed, vocab, geography, &all).Run();
  }
  return all;
}

absl::StatusOr<Network> Generate(const SynthOptions& options) {
  absl::StatusOr<NetworkRows> rows = GenerateRows(options);
  if (!rows.ok()) return rows.status();
  NetworkBuilder builder;
  builder.AddRows(*std::move(rows));
  BuildReport report = std::move(builder).BuildWithReport();
  // The generator controls every row: any problem, even a warning (e.g. more
  // pinned supports than places), is a defect of the generator.
  if (!report.problems.empty()) {
    std::string message =
        absl::StrCat("synthetic network failed validation (generator defect), ",
                     report.problems.size(), " problem(s):");
    for (size_t i = 0; i < report.problems.size() && i < 10; ++i) {
      absl::StrAppend(&message, "\n  ", report.problems[i].ToString());
    }
    return absl::InternalError(message);
  }
  return std::move(report.network);
}

}  // namespace maillage
