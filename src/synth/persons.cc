// People, needs and supports of a region (see docs/synth.md for the
// numbers).

#include "synth/persons.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "maillage/geo.h"
#include "maillage/model.h"
#include "maillage/vocabulary.h"
#include "rank/eligibility.h"
#include "synth/geography.h"
#include "synth/random.h"
#include "synth/region_state.h"
#include "synth/vocab.h"

namespace maillage::synth {
namespace {

// Model parameters (see docs/synth.md).
constexpr double kHomeRadiusKm = 25;  // home commune around the site
constexpr double kHomeDecayKm = 8;
constexpr double kPersonJitterKm = 0.8;  // home within its commune
constexpr double kShareNoCar = 0.20;     // max_distance_km 10..20
constexpr double kSupportRadiusKm = 30;
constexpr double kSupportDecayKm = 8;
constexpr double kSupportRadiiKm[] = {1, 3, 8, 15, kSupportRadiusKm};
constexpr size_t kSupportPool = 8;  // enough candidates to stop growing

constexpr double kShareCurrent = 0.08;
constexpr double kShareRefused = 0.03;
constexpr double kShareCompleted = 0.05;

// Needs per person: 1..5.
constexpr double kNeedCountWeights[] = {0.15, 0.30, 0.30, 0.15, 0.10};

constexpr double kShareCategoryNeed = 0.5;  // need names the category
// Urgency 1, 2, 3: housing and health are more often urgent.
constexpr double kUrgencyUrgentCategories[] = {0.25, 0.35, 0.40};
constexpr double kUrgencyOtherCategories[] = {0.47, 0.35, 0.18};

// Candidate home communes of each site, computed on first use: within
// kHomeRadiusKm, weighted by unemployment and distance.
class HomeCommunes {
 public:
  struct Candidates {
    bool ready = false;
    std::vector<int32_t> communes;
    CumulativeWeights weights;
  };

  explicit HomeCommunes(const RegionState& st)
      : st_(st), homes_(st.sites.size()) {}

  const Candidates& Of(size_t site) {
    Candidates& h = homes_[site];
    if (h.ready) return h;
    h.ready = true;
    const Place& s = st_.sites[site];
    std::vector<double> w;
    st_.geo.grid.ForEachNear(s.lat, s.lng, kHomeRadiusKm, [&](int32_t i) {
      const Commune& c = st_.commune(i);
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

 private:
  const RegionState& st_;
  std::vector<Candidates> homes_;
};

// How far a person looks for a support: kSupportRadiusKm, less without a
// car.
double ReachKm(const Person& p) {
  return std::min(kSupportRadiusKm,
                  p.max_distance_km.value_or(kSupportRadiusKm));
}

// The ranker's publics, zone and age filters.
bool Eligible(const Service& s, const Person& p) {
  return rank::PublicsMatch(s, p.publics) &&
         rank::InZone(s.zone, p.insee_com) && rank::AgeWithin(s, p.age);
}

// The current, refused and completed supports of a region's people. A need
// draws a status; when no service fits, the support is owed and given to a
// later need of the region that has one.
class SupportDrawer {
 public:
  explicit SupportDrawer(RegionState& st) : st_(st) {}

  // Maybe a support of the person for a need of `theme` (code `code`).
  void ForNeed(const std::string& person_id, const Person& p, ThemeId theme,
               const std::string& code) {
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
      for (int status = 0; status < 3 && drawn < 0; ++status) {
        if (owed_[static_cast<size_t>(status)] > 0) drawn = status;
      }
      if (drawn < 0) return;
      --owed_[static_cast<size_t>(drawn)];
    }
    static constexpr const char* kStatus[] = {"current", "refused",
                                              "completed"};
    const bool pinned = drawn == 0;
    const int32_t s = ServiceFor(p, theme, pinned);
    if (s < 0) {
      ++owed_[static_cast<size_t>(drawn)];
      return;
    }
    GeneratedService& g = st_.services[static_cast<size_t>(s)];
    if (pinned) ++g.pinned;
    st_.out->supports.push_back({.person_id = person_id,
                                 .service_id = g.service.id,
                                 .thematique = code,
                                 .status = kStatus[drawn]});
  }

 private:
  // A service near the person, eligible, serving `theme` (with a free place
  // when `needs_place`); -1 when none. Nearer services are more likely.
  int32_t ServiceFor(const Person& p, ThemeId theme, bool needs_place) {
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
      st_.grid_by_theme[theme].ForEachNear(
          p.lat, p.lng, radius, [&](int32_t s) {
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

  RegionState& st_;
  std::array<int64_t, 3> owed_{};  // supports not yet placed, by status
  std::vector<int32_t> candidates_;
  std::vector<double> weights_;
};

int32_t DrawAge(Rng& rng) {
  const double u = rng.Uniform01();
  if (u < 0.15) return static_cast<int32_t>(rng.UniformInt(18, 24));
  if (u < 0.77) return static_cast<int32_t>(rng.UniformInt(25, 49));
  return static_cast<int32_t>(rng.UniformInt(50, 64));
}

// How much more likely a category of need is for the person's publics.
double PublicFactor(const Vocab& v, const Person& p, ThemeId category) {
  auto has = [&](PublicId id) { return ((p.publics >> id) & 1u) != 0; };
  double f = 1.0;
  if (category == v.cat_logement && has(v.urgence)) f *= 1.5;
  if (category == v.cat_sante && has(v.handicap)) f *= 1.3;
  if (category == v.cat_admin && (has(v.exilees) || has(v.juridique))) {
    f *= 1.5;
  }
  if (category == v.cat_lecture && has(v.exilees)) f *= 3;
  if (category == v.cat_se_former && has(v.jeunes)) f *= 1.5;
  if (category == v.cat_numerique && has(v.seniors)) f *= 1.5;
  if (category == v.cat_famille && has(v.familles)) f *= 3;
  return f;
}

// The person's needs (distinct categories, a subtheme half of the time), each
// with an urgency and maybe a support.
void DrawNeeds(RegionState& st, SupportDrawer& supports,
               const std::string& person_id, const Person& p) {
  const Vocab& v = st.vocab;
  const size_t count = 1 + st.rng.Weighted(kNeedCountWeights);
  std::vector<double> w(v.category_weight);
  for (size_t c = 0; c < w.size(); ++c) {
    if (w[c] > 0) w[c] *= PublicFactor(v, p, static_cast<ThemeId>(c));
  }
  for (size_t k = 0; k < count; ++k) {
    const size_t c = st.rng.Weighted(w);  // without replacement
    w[c] = 0;
    ThemeId theme = static_cast<ThemeId>(c);
    if (!st.rng.Bernoulli(kShareCategoryNeed) && !v.subthemes[c].empty()) {
      theme = v.subthemes[c][st.rng.Weighted(v.subtheme_weights[c])];
    }
    const double* urgency = v.urgent_category[c] ? kUrgencyUrgentCategories
                                                 : kUrgencyOtherCategories;
    const auto level = static_cast<int64_t>(
        1 + st.rng.Weighted(absl::Span<const double>(urgency, 3)));
    const std::string code(ThemeCode(theme));
    st.out->needs.push_back(
        {.person_id = person_id, .thematique = code, .urgency = level});
    supports.ForNeed(person_id, p, theme, code);
  }
}

// Person `number` of the region, of `site`: its row in `row`, and the person
// as the ranker will see it (commune, location, age, publics, reach; not its
// id or site).
Person DrawPerson(RegionState& st, HomeCommunes& homes, size_t site,
                  int64_t number, PersonRow* row) {
  const HomeCommunes::Candidates& h = homes.Of(site);
  Person p;
  const Commune& c = st.commune(h.communes[h.weights.Draw(st.rng)]);
  p.insee_com = c.insee_com;
  std::tie(p.lat, p.lng) = Jitter(st.rng, c.lat, c.lng, kPersonJitterKm);
  const int32_t age = DrawAge(st.rng);
  p.age = age;
  row->id = absl::StrCat("p-", st.region.name, "-", Padded(number, 6));
  row->site_id = st.sites[site].id;
  row->insee_com = c.insee_com;
  row->lat = p.lat;
  row->lng = p.lng;
  row->age = age;
  auto add = [&](const std::string& code, PublicId id) {
    row->publics.push_back(code);
    p.publics = static_cast<PublicSet>(p.publics | (1u << id));
  };
  for (const Vocab::PersonPublic& pp : st.vocab.person_publics) {
    if (st.rng.Bernoulli(pp.share)) add(pp.code, pp.id);
  }
  if (age < 26) add("jeunes", st.vocab.jeunes);
  if (age >= 55) add("seniors", st.vocab.seniors);
  if (st.rng.Bernoulli(kShareNoCar)) {
    const auto km = static_cast<double>(st.rng.UniformInt(10, 20));
    row->max_distance_km = p.max_distance_km = km;
  }
  return p;
}

}  // namespace

void GeneratePersons(RegionState& st) {
  // Sites of unequal size (0.6x to 1.4x the mean), people shuffled.
  std::vector<double> site_w(st.sites.size());
  for (double& w : site_w) w = st.rng.Uniform(0.6, 1.4);
  const std::vector<int64_t> per_site = Apportion(st.region.persons, site_w);
  std::vector<int32_t> site_of;
  site_of.reserve(static_cast<size_t>(st.region.persons));
  for (size_t s = 0; s < per_site.size(); ++s) {
    site_of.insert(site_of.end(), static_cast<size_t>(per_site[s]),
                   static_cast<int32_t>(s));
  }
  st.rng.Shuffle(&site_of);

  HomeCommunes homes(st);
  SupportDrawer supports(st);
  for (size_t i = 0; i < site_of.size(); ++i) {
    PersonRow row;
    const Person p = DrawPerson(st, homes, static_cast<size_t>(site_of[i]),
                                static_cast<int64_t>(i) + 1, &row);
    DrawNeeds(st, supports, row.id, p);
    st.out->persons.push_back(std::move(row));
  }
}

}  // namespace maillage::synth
