#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/codes.h"
#include "base/date.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "geo/grid_index.h"
#include "maillage/geo.h"
#include "maillage/rank.h"
#include "rank/eligibility.h"

namespace maillage {

absl::string_view FilterCode(Filter f) {
  static constexpr base::Code<Filter> kCodes[] = {
      {Filter::kNone, "eligible"},  {Filter::kTheme, "theme"},
      {Filter::kFrais, "frais"},    {Filter::kServiceType, "type"},
      {Filter::kPublic, "public"},  {Filter::kZone, "zone"},
      {Filter::kAge, "age"},        {Filter::kReach, "reach"},
      {Filter::kRefused, "refused"}};
  return base::CodeOf(kCodes, f);
}

struct Ranker::Impl {
  Network network;
  RankOptions options;
  // In-person-only services serving each category, on a grid.
  std::vector<geo::GridIndex> grid;  // by category
  // Services usable remotely: unrestricted zone, or by département.
  std::vector<std::vector<int32_t>> remote_any;  // by category
  std::vector<absl::flat_hash_map<std::string, std::vector<int32_t>>>
      remote_by_dep;            // by category
  std::vector<int32_t> demand;  // by service
  // The trust in each service's places (freshness); empty when off.
  std::vector<double> trust;

  // A query: a person and a theme, and the need it stands for (if any).
  struct Query {
    PersonId person;
    ThemeId theme;
    NeedId need;  // excluded from "other open needs"; may be invalid
    // A person who is not in the network (no supports), with the themes of
    // their other open needs.
    const Person* external = nullptr;
    absl::Span<const ThemeId> external_open_themes = {};
    // A what-if change of the network (Ranker::Relaxation), or none.
    const Relaxation* relax = nullptr;
  };

  const Person& PersonOf(const Query& q) const {
    return q.external != nullptr ? *q.external : network.person(q.person);
  }

  double Reach(const Query& q) const {
    if (q.relax != nullptr && q.relax->reach_km > 0) return q.relax->reach_km;
    return PersonOf(q).max_distance_km.value_or(
        options.default_max_distance_km);
  }

  bool IsOpen(NeedId n) const { return !network.pinned_service(n).has_value(); }

  // Eligibility of one service, filters in the documented order, and the
  // option's parts when eligible.
  Filter Evaluate(const Query& q, ServiceId sid, Option* out,
                  bool ignore_reach = false) const {
    const Service& s = network.service(sid);
    const Person& p = PersonOf(q);
    if (!s.served.Contains(q.theme)) return Filter::kTheme;
    if (!rank::CodesMatch(s.frais, options.frais,
                          options.exclude_unknown_frais)) {
      return Filter::kFrais;
    }
    if (!rank::CodesMatch(s.types, options.service_types,
                          options.exclude_unknown_types)) {
      return Filter::kServiceType;
    }
    const bool relaxed = q.relax != nullptr && q.relax->service == sid;
    if (!rank::PublicsMatch(s, p.publics) &&
        !(relaxed && (q.relax->extra_publics & p.publics) != 0)) {
      return Filter::kPublic;
    }
    if (!rank::InZone(s.zone, p.insee_com) &&
        !(relaxed && !q.relax->zone_commune.empty() &&
          q.relax->zone_commune == p.insee_com)) {
      return Filter::kZone;
    }
    if (!rank::AgeWithin(s, p.age)) return Filter::kAge;
    double distance = std::numeric_limits<double>::quiet_NaN();
    if (s.has_location) distance = GreatCircleKm(p.lat, p.lng, s.lat, s.lng);
    bool in_person_ok = false;
    double in_person_proximity = 0;
    if (s.in_person() && s.has_location) {
      absl::optional<double> minutes;
      if (!network.travel_times().empty()) {
        minutes = network.TravelMinutes(p.insee_com, sid);
      }
      if (minutes) {
        in_person_ok = *minutes <= options.max_travel_minutes;
        in_person_proximity =
            1.0 / (1.0 + *minutes / options.proximity_half_minutes);
      } else {
        in_person_ok = distance <= Reach(q);
        in_person_proximity =
            1.0 / (1.0 + distance / options.proximity_half_km);
      }
    }
    if (!in_person_ok && !s.remote() && !ignore_reach) return Filter::kReach;
    if (q.external == nullptr && network.IsRefused(q.person, sid, q.theme)) {
      return Filter::kRefused;
    }
    if (out == nullptr) return Filter::kNone;

    Option& o = *out;
    o.person = q.person;
    o.need = q.need;
    o.theme = q.theme;
    o.service = sid;
    o.distance_km = distance;
    o.remote = !in_person_ok;
    o.proximity = in_person_ok ? in_person_proximity : 0.0;
    if (s.remote())
      o.proximity = std::max(o.proximity, options.remote_proximity);
    const int32_t free = network.free_places(sid);
    const int32_t d = demand[static_cast<size_t>(sid.value())];
    o.capacity_known = s.capacity_known;
    if (!s.capacity_known) {
      o.capacity = options.unknown_capacity_score;
    } else {
      o.full = free == 0;
      o.capacity = free == 0
                       ? 0.0
                       : std::min(1.0, static_cast<double>(free) /
                                           static_cast<double>(std::max(d, 1)));
    }
    if (!trust.empty()) o.capacity *= trust[static_cast<size_t>(sid.value())];
    // Complementarity.
    double link = 0;
    const int hops = network.HopDistance(p.site, s.partner);
    if (hops == 1) {
      link = 0.5 + 0.5 * network.ConventionStrength(p.site, s.partner);
    } else if (hops == 2) {
      link = 0.25;
    }
    int others = 0, covered = 0;
    double novelty = 1.0;
    if (q.external != nullptr) {
      for (ThemeId t : q.external_open_themes) {
        if (t == q.theme) continue;
        ++others;
        if (s.served.Contains(t)) ++covered;
      }
    } else {
      for (int32_t n = network.first_need(q.person).value();
           n < network.end_need(q.person).value(); ++n) {
        const NeedId nid(n);
        if (nid == q.need || !IsOpen(nid)) continue;
        const Need& need = network.need(nid);
        if (need.theme == q.theme) continue;
        ++others;
        if (s.served.Contains(need.theme)) ++covered;
      }
      for (const Support& sup : network.supports_of(q.person)) {
        if (sup.service == sid && IsSupportOfRecord(sup.status) &&
            CategoryOf(sup.theme) == CategoryOf(q.theme)) {
          novelty = 0.0;
          break;
        }
      }
    }
    const double cover =
        others == 0 ? 0.0 : static_cast<double>(covered) / others;
    const ComplementarityWeights& cw = options.complementarity;
    o.link = link;
    o.cover = cover;
    o.novelty = novelty;
    o.complementarity =
        cw.link * link + cw.cover * cover + cw.novelty * novelty;
    const RankWeights& w = options.weights;
    o.score = w.capacity * o.capacity + w.proximity * o.proximity +
              w.complementarity * o.complementarity;
    return Filter::kNone;
  }

  // Calls f(ServiceId) for every service that may be an option of the query:
  // a superset of the eligible ones, each service once.
  template <typename F>
  void ForEachCandidate(const Query& q, F&& f) const {
    const Person& p = PersonOf(q);
    const ThemeId cat = CategoryOf(q.theme);
    const bool has_travel = !network.travel_times().empty();
    grid[cat].ForEachNear(p.lat, p.lng, Reach(q), [&](int32_t s) {
      // Pairs in the travel-time table are visited below.
      if (has_travel && network.TravelMinutes(p.insee_com, ServiceId(s)))
        return;
      f(ServiceId(s));
    });
    for (int32_t s : remote_any[cat]) f(ServiceId(s));
    if (!remote_by_dep[cat].empty()) {
      auto it = remote_by_dep[cat].find(DepartementOf(p.insee_com));
      if (it != remote_by_dep[cat].end()) {
        for (int32_t s : it->second) f(ServiceId(s));
      }
    }
    if (has_travel) {
      const auto& tt = network.travel_times();
      auto it = std::lower_bound(tt.begin(), tt.end(), p.insee_com,
                                 [](const TravelTime& t, const std::string& c) {
                                   return t.from_insee_com < c;
                                 });
      for (; it != tt.end() && it->from_insee_com == p.insee_com; ++it) {
        const Service& s = network.service(it->service);
        if (!s.remote() && s.served.Contains(cat)) f(it->service);
      }
    }
  }

  void Collect(const Query& q, std::vector<Option>* out) const {
    ForEachCandidate(q, [&](ServiceId s) {
      Option o;
      if (Evaluate(q, s, &o) == Filter::kNone) out->push_back(o);
    });
  }

  std::vector<Option> Top(const Query& q, int k) const {
    std::vector<Option> all;
    if (k <= 0) return all;
    Collect(q, &all);
    auto better = [](const Option& a, const Option& b) {
      if (a.score != b.score) return a.score > b.score;
      return a.service < b.service;
    };
    if (all.size() > static_cast<size_t>(k)) {
      std::partial_sort(all.begin(), all.begin() + k, all.end(), better);
      all.resize(static_cast<size_t>(k));
    } else {
      std::sort(all.begin(), all.end(), better);
    }
    return all;
  }
};

Ranker::Explanation Ranker::Explain(NeedId need, double radius_km) const {
  const Impl& impl = *impl_;
  const Need& n = impl.network.need(need);
  const Impl::Query q{n.person, n.theme, need};
  const Person& p = impl.network.person(n.person);
  Explanation e;
  double best_score = -1;
  auto visit = [&](ServiceId sid) {
    const Service& s = impl.network.service(sid);
    if (!s.served.Contains(q.theme)) return;
    ++e.serving;
    Option o;
    const Filter f = impl.Evaluate(q, sid, &o, /*ignore_reach=*/true);
    if (f != Filter::kNone) {
      ++e.excluded_by[static_cast<size_t>(f)];
      return;
    }
    if (impl.Evaluate(q, sid, nullptr) == Filter::kReach) {
      ++e.excluded_by[static_cast<size_t>(Filter::kReach)];
      if (!e.nearest_out_of_reach.valid() ||
          o.distance_km < e.nearest_distance_km ||
          (o.distance_km == e.nearest_distance_km &&
           sid < e.nearest_out_of_reach)) {
        e.nearest_out_of_reach = sid;
        e.nearest_distance_km = o.distance_km;
      }
      return;
    }
    ++e.options;
    if (o.score > best_score ||
        (o.score == best_score && sid < e.best_option)) {
      best_score = o.score;
      e.best_option = sid;
    }
  };
  const ThemeId cat = CategoryOf(q.theme);
  impl.grid[cat].ForEachNear(p.lat, p.lng, radius_km, [&](int32_t s) {
    const Service& service = impl.network.service(ServiceId(s));
    if (GreatCircleKm(p.lat, p.lng, service.lat, service.lng) <= radius_km ||
        (!impl.network.travel_times().empty() &&
         impl.network.TravelMinutes(p.insee_com, ServiceId(s)))) {
      visit(ServiceId(s));
    }
  });
  for (int32_t s : impl.remote_any[cat]) visit(ServiceId(s));
  if (auto it = impl.remote_by_dep[cat].find(DepartementOf(p.insee_com));
      it != impl.remote_by_dep[cat].end()) {
    for (int32_t s : it->second) visit(ServiceId(s));
  }
  return e;
}

namespace {

// The trust in each service's places (RankOptions::freshness_half_life_days);
// empty when freshness is off.
std::vector<double> Trust(const Network& net, const RankOptions& options) {
  std::vector<double> trust;
  if (options.freshness_half_life_days <= 0) return trust;
  std::vector<absl::optional<int32_t>> day;
  day.reserve(net.services().size());
  absl::optional<int32_t> latest;
  for (const Service& s : net.services()) {
    day.push_back(base::ParseIsoDay(s.updated));
    if (day.back() && (!latest || *day.back() > *latest)) latest = day.back();
  }
  const absl::optional<int32_t> as_of =
      options.as_of.empty() ? latest : base::ParseIsoDay(options.as_of);
  trust.reserve(day.size());
  for (const absl::optional<int32_t>& d : day) {
    if (!d || !as_of) {
      trust.push_back(0.5);
      continue;
    }
    const double age = std::max(0, *as_of - *d);
    trust.push_back(std::exp2(-age / options.freshness_half_life_days));
  }
  return trust;
}

}  // namespace

Ranker::Ranker(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

absl::StatusOr<Ranker> Ranker::Create(Network network, RankOptions options) {
  return base::ExhaustedOnBadAlloc(
      "Ranker::Create", [&]() -> absl::StatusOr<Ranker> {
        RankWeights& w = options.weights;
        ComplementarityWeights& cw = options.complementarity;
        for (double x : {w.capacity, w.proximity, w.complementarity, cw.link,
                         cw.cover, cw.novelty}) {
          if (!std::isfinite(x) || x < 0) {
            return absl::InvalidArgumentError(
                "rank weights must be finite and >= 0");
          }
        }
        const double sum = w.capacity + w.proximity + w.complementarity;
        const double csum = cw.link + cw.cover + cw.novelty;
        if (sum <= 0 || csum <= 0) {
          return absl::InvalidArgumentError(
              "rank weights must have a positive sum");
        }
        w = {w.capacity / sum, w.proximity / sum, w.complementarity / sum};
        cw = {cw.link / csum, cw.cover / csum, cw.novelty / csum};
        for (double x :
             {options.default_max_distance_km, options.max_travel_minutes,
              options.proximity_half_km, options.proximity_half_minutes}) {
          if (!std::isfinite(x) || x <= 0) {
            return absl::InvalidArgumentError(
                "rank distances and times must be positive");
          }
        }
        if (!std::isfinite(options.remote_proximity) ||
            options.remote_proximity < 0 || options.remote_proximity > 1) {
          return absl::InvalidArgumentError(
              "remote_proximity must be in [0, 1]");
        }
        if (!(options.unknown_capacity_score >= 0 &&
              options.unknown_capacity_score <= 1)) {
          return absl::InvalidArgumentError(
              "unknown_capacity_score must be in [0, 1]");
        }
        if (!(options.freshness_half_life_days >= 0) ||
            std::isinf(options.freshness_half_life_days)) {
          return absl::InvalidArgumentError(
              "freshness_half_life_days must be finite and >= 0");
        }
        if (!options.as_of.empty() && !base::ParseIsoDay(options.as_of)) {
          return absl::InvalidArgumentError(
              absl::StrCat("as_of is not an ISO date (YYYY-MM-DD): ",
                           base::Quoted(options.as_of)));
        }

        auto impl = std::make_shared<Impl>();
        impl->network = std::move(network);
        impl->options = options;
        const Network& net = impl->network;
        const int categories = NumCategories();
        impl->grid.resize(static_cast<size_t>(categories));
        impl->remote_any.resize(static_cast<size_t>(categories));
        impl->remote_by_dep.resize(static_cast<size_t>(categories));
        for (int c = 0; c < categories; ++c) {
          std::vector<double> lat, lng;
          std::vector<int32_t> ids;
          const auto cat = static_cast<ThemeId>(c);
          for (int32_t i = 0; i < static_cast<int32_t>(net.services().size());
               ++i) {
            const Service& s = net.services()[static_cast<size_t>(i)];
            if (!s.served.Contains(cat)) continue;
            if (s.remote()) {
              if (s.zone.unrestricted()) {
                impl->remote_any[cat].push_back(i);
                continue;
              }
              std::vector<std::string> deps = s.zone.departements;
              for (const std::string& com : s.zone.communes) {
                deps.push_back(DepartementOf(com));
              }
              for (const std::string& siren : s.zone.epcis) {
                if (const Epci* e = FindEpci(siren); e != nullptr) {
                  for (const std::string& com : e->communes) {
                    deps.push_back(DepartementOf(com));
                  }
                }
              }
              std::sort(deps.begin(), deps.end());
              deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
              for (const std::string& d : deps) {
                impl->remote_by_dep[cat][d].push_back(i);
              }
            } else if (s.has_location) {
              lat.push_back(s.lat);
              lng.push_back(s.lng);
              ids.push_back(i);
            }
          }
          impl->grid[cat].Build(lat, lng, ids);
        }
        // Demand: open needs for which each service is an option.
        impl->demand.assign(net.services().size(), 0);
        for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
          const NeedId nid(n);
          if (!impl->IsOpen(nid)) continue;
          const Need& need = net.need(nid);
          const Impl::Query q{need.person, need.theme, nid};
          impl->ForEachCandidate(q, [&](ServiceId s) {
            if (impl->Evaluate(q, s, nullptr) == Filter::kNone) {
              ++impl->demand[static_cast<size_t>(s.value())];
            }
          });
        }
        impl->trust = Trust(net, options);
        return Ranker(std::move(impl));
      });
}

const Network& Ranker::network() const { return impl_->network; }
const RankOptions& Ranker::options() const { return impl_->options; }

std::vector<Option> Ranker::Rank(NeedId need, int k) const {
  const Need& n = impl_->network.need(need);
  return impl_->Top({n.person, n.theme, need}, k);
}

std::vector<Option> Ranker::Rank(PersonId person, ThemeId theme, int k) const {
  NeedId need = NeedId::Invalid();
  const Network& net = impl_->network;
  for (int32_t n = net.first_need(person).value();
       n < net.end_need(person).value(); ++n) {
    if (net.need(NeedId(n)).theme == theme) need = NeedId(n);
  }
  return impl_->Top({person, theme, need}, k);
}

void Ranker::Candidates(NeedId need, std::vector<Option>* out) const {
  const Need& n = impl_->network.need(need);
  impl_->Collect({n.person, n.theme, need}, out);
}

absl::optional<Option> Ranker::OptionFor(NeedId need, ServiceId service) const {
  const Need& n = impl_->network.need(need);
  Option o;
  if (impl_->Evaluate({n.person, n.theme, need}, service, &o) !=
      Filter::kNone) {
    return absl::nullopt;
  }
  return o;
}

Filter Ranker::Check(NeedId need, ServiceId service) const {
  const Need& n = impl_->network.need(need);
  return impl_->Evaluate({n.person, n.theme, need}, service, nullptr);
}

void Ranker::CandidatesFor(const Person& person, PersonId id, ThemeId theme,
                           absl::Span<const ThemeId> other_open_themes,
                           std::vector<Option>* out) const {
  Impl::Query q{id, theme, NeedId::Invalid(), &person, other_open_themes};
  impl_->Collect(q, out);
}

void Ranker::CandidatesIf(NeedId need, const Relaxation& change,
                          std::vector<Option>* out) const {
  const Need& n = impl_->network.need(need);
  Impl::Query q{n.person, n.theme, need};
  q.relax = &change;
  impl_->Collect(q, out);
}

absl::optional<Option> Ranker::OptionIf(NeedId need, ServiceId service,
                                        const Relaxation& change) const {
  const Need& n = impl_->network.need(need);
  Impl::Query q{n.person, n.theme, need};
  q.relax = &change;
  Option o;
  if (impl_->Evaluate(q, service, &o) != Filter::kNone) return absl::nullopt;
  return o;
}

int32_t Ranker::demand(ServiceId service) const {
  return impl_->demand[static_cast<size_t>(service.value())];
}

}  // namespace maillage
