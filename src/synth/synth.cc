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

constexpr double kHomeRadiusKm = 25;        // home commune around the site
constexpr double kHomeDecayKm = 8;
constexpr double kPersonJitterKm = 0.8;      // home within its commune
constexpr double kSupportRadiusKm = 30;
constexpr double kSupportDecayKm = 8;
constexpr double kSupportRadiiKm[] = {1, 3, 8, 15, kSupportRadiusKm};
constexpr size_t kSupportPool = 8;  // enough candidates to stop growing
constexpr double kConventionDecayKm = 10;
constexpr double kCooperationDecayKm = 10;
constexpr double kPoolRadiiKm[] = {1, 2, 5, 10, 20, 40, 80};
constexpr size_t kConventionPool = 60;
constexpr size_t kCooperationPool = 24;

constexpr double kShareCurrent = 0.08;
constexpr double kShareRefused = 0.03;
constexpr double kShareCompleted = 0.05;

// Needs per person: 1..5.
constexpr double kNeedCountWeights[] = {0.15, 0.30, 0.30, 0.15, 0.10};

constexpr double kShareCategoryNeed = 0.5;  // need names the category
// Urgency 1, 2, 3: housing and health are more often urgent.
constexpr double kUrgencyUrgentCategories[] = {0.25, 0.35, 0.40};
constexpr double kUrgencyOtherCategories[] = {0.47, 0.35, 0.18};

constexpr double kShareNoCar = 0.20;  // max_distance_km 10..20

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
    Persons();
    Conventions();
    Cooperations();
  }

 private:
  const Commune& C(int32_t i) const { return st_.commune(i); }

  // How far a person looks for a support: kSupportRadiusKm, less without a
  // car.
  static double ReachKm(const Person& p) {
    return std::min(kSupportRadiusKm,
                    p.max_distance_km.value_or(kSupportRadiusKm));
  }

  // The ranker's publics, zone and age filters.
  static bool Eligible(const Service& s, const Person& p) {
    return rank::PublicsMatch(s, p.publics) &&
           rank::InZone(s.zone, p.insee_com) && rank::AgeWithin(s, p.age);
  }

  // A service near the person, eligible, serving `theme` (with a free place
  // when `needs_place`); -1 when none. Nearer services are more likely.
  int32_t SupportService(const Person& p, ThemeId theme, bool needs_place) {
    auto consider = [&](int32_t s, double d) {
      const GeneratedService& g = st_.services[static_cast<size_t>(s)];
      const Service& info = g.service;
      if (!info.served.Contains(theme)) return;
      if (needs_place && g.pinned >= info.capacity_available) return;
      if (!Eligible(info, p)) return;
      candidates_.push_back(s);
      weights_.push_back(std::exp(-d / kSupportDecayKm));
    };
    // The nearest few candidates are enough (and keep large networks fast):
    // growing radii up to the person's reach; remote services only when
    // little is at hand in person.
    const double reach_km = ReachKm(p);
    for (double r : kSupportRadiiKm) {
      const double radius = std::min(r, reach_km);
      candidates_.clear();
      weights_.clear();
      st_.grid_by_theme[theme].ForEachNear(p.lat, p.lng, radius, [&](int32_t s) {
        const Service& info = st_.services[static_cast<size_t>(s)].service;
        const double d = st_.planar.Km(p.lat, p.lng, info.lat, info.lng);
        if (d <= radius) consider(s, d);
      });
      if (candidates_.size() >= kSupportPool || radius >= reach_km) break;
    }
    if (candidates_.size() < kSupportPool) {
      for (int32_t s : st_.remote_by_theme[theme]) {
        consider(s, 2 * kSupportDecayKm);
      }
    }
    if (candidates_.empty()) return -1;
    return candidates_[st_.rng.Weighted(weights_)];
  }

  // Candidate home communes of a site: within kHomeRadiusKm, weighted by
  // unemployment and distance.
  struct HomeCandidates {
    bool ready = false;
    std::vector<int32_t> communes;
    CumulativeWeights weights;
  };
  const HomeCandidates& Homes(size_t site) {
    HomeCandidates& h = homes_[site];
    if (h.ready) return h;
    h.ready = true;
    const Place& s = st_.sites[site];
    std::vector<double> w;
    st_.geo.grid.ForEachNear(s.lat, s.lng, kHomeRadiusKm, [&](int32_t i) {
      const Commune& c = C(i);
      const double d = GreatCircleKm(s.lat, s.lng, c.lat, c.lng);
      if (d > kHomeRadiusKm || c.unemployed <= 0) return;
      h.communes.push_back(i);
      w.push_back(static_cast<double>(c.unemployed) *
                  std::exp(-d / kHomeDecayKm));
    });
    h.weights = CumulativeWeights(w);
    if (h.weights.total() <= 0) {  // nobody around: live in the site's commune
      h.communes = {s.commune};
      h.weights = CumulativeWeights(std::vector<double>{1.0});
    }
    return h;
  }

  int32_t DrawAge() {
    const double u = st_.rng.Uniform01();
    if (u < 0.15) return static_cast<int32_t>(st_.rng.UniformInt(18, 24));
    if (u < 0.77) return static_cast<int32_t>(st_.rng.UniformInt(25, 49));
    return static_cast<int32_t>(st_.rng.UniformInt(50, 64));
  }

  void Persons() {
    // Sites of unequal size (0.6x to 1.4x the mean), people shuffled.
    std::vector<double> site_w(st_.sites.size());
    for (double& w : site_w) w = st_.rng.Uniform(0.6, 1.4);
    const std::vector<int64_t> per_site = Apportion(st_.region.persons, site_w);
    std::vector<int32_t> site_of;
    site_of.reserve(static_cast<size_t>(st_.region.persons));
    for (size_t s = 0; s < per_site.size(); ++s) {
      site_of.insert(site_of.end(), static_cast<size_t>(per_site[s]),
                     static_cast<int32_t>(s));
    }
    st_.rng.Shuffle(&site_of);
    homes_.assign(st_.sites.size(), HomeCandidates{});

    for (size_t i = 0; i < site_of.size(); ++i) {
      const auto site = static_cast<size_t>(site_of[i]);
      const HomeCandidates& h = Homes(site);
      // The person as the ranker will see it (commune, location, age,
      // publics, reach; not its id or site).
      Person p;
      const Commune& c = C(h.communes[h.weights.Draw(st_.rng)]);
      p.insee_com = c.insee_com;
      std::tie(p.lat, p.lng) = Jitter(st_.rng, c.lat, c.lng, kPersonJitterKm);
      const int32_t age = DrawAge();
      p.age = age;
      PersonRow row;
      row.id = absl::StrCat("p-", st_.region.name, "-",
                            Padded(static_cast<int64_t>(i) + 1, 6));
      row.site_id = st_.sites[site].id;
      row.insee_com = c.insee_com;
      row.lat = p.lat;
      row.lng = p.lng;
      row.age = age;
      for (const Vocab::PersonPublic& pp : st_.vocab.person_publics) {
        if (st_.rng.Bernoulli(pp.share)) {
          row.publics.push_back(pp.code);
          p.publics = static_cast<PublicSet>(p.publics | (1u << pp.id));
        }
      }
      if (age < 26) {
        row.publics.push_back("jeunes");
        p.publics = static_cast<PublicSet>(p.publics | (1u << st_.vocab.jeunes));
      }
      if (age >= 55) {
        row.publics.push_back("seniors");
        p.publics = static_cast<PublicSet>(p.publics | (1u << st_.vocab.seniors));
      }
      if (st_.rng.Bernoulli(kShareNoCar)) {
        const auto km = static_cast<double>(st_.rng.UniformInt(10, 20));
        row.max_distance_km = p.max_distance_km = km;
      }
      Needs(row.id, p);
      st_.out->persons.push_back(std::move(row));
    }
  }

  double PublicFactor(const Person& p, ThemeId category) const {
    auto has = [&](PublicId id) { return ((p.publics >> id) & 1u) != 0; };
    double f = 1.0;
    if (category == st_.vocab.cat_logement && has(st_.vocab.urgence)) {
      f *= 1.5;
    }
    if (category == st_.vocab.cat_sante && has(st_.vocab.handicap)) {
      f *= 1.3;
    }
    if (category == st_.vocab.cat_admin &&
        (has(st_.vocab.exilees) || has(st_.vocab.juridique))) {
      f *= 1.5;
    }
    if (category == st_.vocab.cat_lecture && has(st_.vocab.exilees)) f *= 3;
    if (category == st_.vocab.cat_se_former && has(st_.vocab.jeunes)) f *= 1.5;
    if (category == st_.vocab.cat_numerique && has(st_.vocab.seniors)) f *= 1.5;
    if (category == st_.vocab.cat_famille && has(st_.vocab.familles)) f *= 3;
    return f;
  }

  void Needs(const std::string& person_id, const Person& p) {
    const size_t count = 1 + st_.rng.Weighted(kNeedCountWeights);
    std::vector<double> w(st_.vocab.category_weight);
    for (size_t c = 0; c < w.size(); ++c) {
      if (w[c] > 0) w[c] *= PublicFactor(p, static_cast<ThemeId>(c));
    }
    for (size_t k = 0; k < count; ++k) {
      const size_t c = st_.rng.Weighted(w);  // without replacement
      w[c] = 0;
      ThemeId theme = static_cast<ThemeId>(c);
      if (!st_.rng.Bernoulli(kShareCategoryNeed) && !st_.vocab.subthemes[c].empty()) {
        theme = st_.vocab.subthemes[c][st_.rng.Weighted(st_.vocab.subtheme_weights[c])];
      }
      const double* urgency = st_.vocab.urgent_category[c]
                                  ? kUrgencyUrgentCategories
                                  : kUrgencyOtherCategories;
      const auto level = static_cast<int64_t>(
          1 + st_.rng.Weighted(absl::Span<const double>(urgency, 3)));
      const std::string code(ThemeCode(theme));
      st_.out->needs.push_back(
          {.person_id = person_id, .thematique = code, .urgency = level});

      // A support with the drawn status; when no service fits, the support
      // is owed and given to a later need of the region that has one.
      const double u = st_.rng.Uniform01();
      int drawn = -1;
      if (u < kShareCurrent) {
        drawn = 0;
      } else if (u < kShareCurrent + kShareRefused) {
        drawn = 1;
      } else if (u < kShareCurrent + kShareRefused + kShareCompleted) {
        drawn = 2;
      }
      if (drawn < 0) {
        for (int st = 0; st < 3 && drawn < 0; ++st) {
          if (owed_[static_cast<size_t>(st)] > 0) drawn = st;
        }
        if (drawn < 0) continue;
        --owed_[static_cast<size_t>(drawn)];
      }
      static constexpr const char* kStatus[] = {"current", "refused",
                                                "completed"};
      const bool pinned = drawn == 0;
      const int32_t s = SupportService(p, theme, pinned);
      if (s < 0) {
        ++owed_[static_cast<size_t>(drawn)];
        continue;
      }
      GeneratedService& g = st_.services[static_cast<size_t>(s)];
      if (pinned) ++g.pinned;
      st_.out->supports.push_back({.person_id = person_id,
                                .service_id = g.service.id,
                                .thematique = code,
                                .status = kStatus[drawn]});
    }
  }

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
  std::vector<HomeCandidates> homes_;
  std::array<int64_t, 3> owed_{};  // supports not yet placed, by status
  std::vector<int32_t> candidates_;
  std::vector<double> weights_;
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
