#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/codes.h"
#include "base/date.h"
#include "base/parallel.h"
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
  // In-person-only services serving each theme, on a grid (one per theme,
  // so that a query visits only services of its theme).
  std::vector<geo::GridIndex> grid;  // by theme
  // Services usable remotely: unrestricted zone, or by département.
  std::vector<std::vector<int32_t>> remote_any;  // by theme
  std::vector<absl::flat_hash_map<std::string, std::vector<int32_t>>>
      remote_by_dep;            // by theme
  std::vector<int32_t> demand;  // by service
  // The trust in each service's places (freshness); empty when off.
  std::vector<double> trust;
  // What the candidate loops read of a service before Evaluate: enough to
  // reject most candidates and to bound the score of the others without
  // reading the Service record. A query visits hundreds of services whose
  // records are large and scattered in memory; these compact copies are
  // read in order (the grid's and the remote lists').
  struct Brief {
    ThemeSet served;
    double x = 0, y = 0, z = 0;  // unit vector of the location, if any
    // The capacity part of every option at the service (trust included;
    // SetCapacityParts).
    double capacity = 0;
    int32_t id = 0;
    int32_t partner = 0;
    PublicSet publics = 0;
    CodeSet frais = 0, types = 0;
    bool located = false, in_person = false, remote = false;
    // A restricted zone without EPCIs: the départements it can include
    // (bits of dep_index), a person elsewhere being outside it.
    bool zone_by_dep = false;
    uint64_t zone_deps[2] = {0, 0};
  };
  // Index of each département that a zone can include (ZoneDepartements).
  absl::flat_hash_map<std::string, int32_t> dep_index;
  // Per site, the partners of link > 0 and their link part (as Evaluate
  // computes it): those of a convention and their cooperation partners.
  std::vector<std::vector<std::pair<int32_t, double>>> site_links;
  std::vector<Brief> brief;                        // by service
  std::vector<std::array<double, 3>> person_unit;  // by person (UnitVector)
  double default_reach_chord2 = 0;  // ReachChord2(default_max_distance_km)
  std::vector<std::vector<Brief>> grid_brief;    // by theme, grid order
  std::vector<std::vector<Brief>> remote_brief;  // by theme, remote_any's

  // The person of a query, for the quick checks (NearOf).
  struct Near {
    double x = 0, y = 0, z = 0;
    // Squared chord of the reach, widened by a relative 1e-9 so that a
    // service beyond it is beyond GreatCircleKm's reach too; infinite when
    // the reach covers the Earth.
    double reach_chord2 = 0;
    PublicSet publics = 0;
    const Relaxation* relax = nullptr;
    SiteId site;
    // The person's département in dep_index, -1 when none, kDepUnknown
    // until a zone needs it (Quick).
    static constexpr int32_t kDepUnknown = -2;
    int32_t dep = kDepUnknown;
    absl::string_view insee_com;
    // The link part per partner, filled for the person's site (Top only).
    const double* link = nullptr;
    // The themes of the person's other open needs, as Evaluate counts them
    // for cover (the bound takes cover as 1 past kMaxOthers).
    static constexpr int kMaxOthers = 32;
    int num_others = 0;
    std::array<ThemeId, kMaxOthers> others{};
  };

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
    o.capacity_known = s.capacity_known;
    o.full = s.capacity_known && network.free_places(sid) == 0;
    o.capacity = brief[static_cast<size_t>(sid.value())].capacity;
    // Complementarity.
    const double link = LinkPart(p.site, s.partner);
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

  // The Briefs of every service, in the grids' and remote lists' orders
  // (capacities set later by SetCapacityParts); `zone_deps` per service,
  // ZoneDepartements of a restricted zone, else empty.
  void SetBriefs(const std::vector<std::vector<std::string>>& zone_deps) {
    const auto services = static_cast<int32_t>(network.services().size());
    person_unit.clear();
    person_unit.reserve(network.persons().size());
    for (const Person& p : network.persons()) {
      std::array<double, 3> u;
      UnitVector(p.lat, p.lng, &u[0], &u[1], &u[2]);
      person_unit.push_back(u);
    }
    default_reach_chord2 = ReachChord2(options.default_max_distance_km);
    dep_index.clear();
    for (const std::vector<std::string>& deps : zone_deps) {
      for (const std::string& d : deps) {
        dep_index.emplace(d, static_cast<int32_t>(dep_index.size()));
      }
    }
    brief.clear();
    brief.reserve(static_cast<size_t>(services));
    for (int32_t i = 0; i < services; ++i) {
      brief.push_back(BriefOf(network.service(ServiceId(i)), i,
                              zone_deps[static_cast<size_t>(i)]));
    }
    grid_brief.assign(grid.size(), {});
    remote_brief.assign(remote_any.size(), {});
    for (size_t c = 0; c < grid.size(); ++c) {
      for (int32_t id : grid[c].ids()) {
        grid_brief[c].push_back(brief[static_cast<size_t>(id)]);
      }
      for (int32_t id : remote_any[c]) {
        remote_brief[c].push_back(brief[static_cast<size_t>(id)]);
      }
    }
  }

  // site_links: a partner has a link part only at 1 or 2 hops from the
  // site, i.e. through a convention, then possibly a cooperation.
  void SetSiteLinks() {
    const size_t partners = network.partners().size();
    std::vector<std::vector<int32_t>> cooperating(partners);
    std::vector<std::vector<int32_t>> convention(network.sites().size());
    for (const Partnership& e : network.partnerships()) {
      if (e.kind == PartnershipKind::kConvention) {
        convention[static_cast<size_t>(e.site.value())].push_back(
            e.partner_a.value());
      } else {
        cooperating[static_cast<size_t>(e.partner_a.value())].push_back(
            e.partner_b.value());
        cooperating[static_cast<size_t>(e.partner_b.value())].push_back(
            e.partner_a.value());
      }
    }
    site_links.assign(network.sites().size(), {});
    for (size_t site = 0; site < convention.size(); ++site) {
      std::vector<int32_t> near = convention[site];
      for (int32_t p : convention[site]) {
        const auto& c = cooperating[static_cast<size_t>(p)];
        near.insert(near.end(), c.begin(), c.end());
      }
      std::sort(near.begin(), near.end());
      near.erase(std::unique(near.begin(), near.end()), near.end());
      const SiteId sid(static_cast<int32_t>(site));
      for (int32_t p : near) {
        const double l = LinkPart(sid, PartnerId(p));
        if (l > 0) site_links[site].emplace_back(p, l);
      }
    }
  }

  // The link part of complementarity (see rank.h).
  double LinkPart(SiteId site, PartnerId partner) const {
    const int hops = network.HopDistance(site, partner);
    if (hops == 1) {
      return 0.5 + 0.5 * network.ConventionStrength(site, partner);
    }
    return hops == 2 ? 0.25 : 0.0;
  }

  // Brief::capacity from the demand and the trust, in every copy.
  void SetCapacityParts() {
    const auto services = static_cast<int32_t>(network.services().size());
    for (int32_t i = 0; i < services; ++i) {
      const ServiceId sid(i);
      const Service& s = network.service(sid);
      double c = options.unknown_capacity_score;
      if (s.capacity_known) {
        const int32_t free = network.free_places(sid);
        const int32_t d = demand[static_cast<size_t>(i)];
        c = free == 0 ? 0.0
                      : std::min(1.0, static_cast<double>(free) /
                                          static_cast<double>(std::max(d, 1)));
      }
      if (!trust.empty()) c *= trust[static_cast<size_t>(i)];
      brief[static_cast<size_t>(i)].capacity = c;
    }
    for (auto* lists : {&grid_brief, &remote_brief}) {
      for (std::vector<Brief>& list : *lists) {
        for (Brief& b : list) {
          b.capacity = brief[static_cast<size_t>(b.id)].capacity;
        }
      }
    }
  }

  static void UnitVector(double lat, double lng, double* x, double* y,
                         double* z) {
    constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
    const double p = lat * kDegToRad, l = lng * kDegToRad;
    const double cp = std::cos(p);
    *x = cp * std::cos(l);
    *y = cp * std::sin(l);
    *z = std::sin(p);
  }

  // The départements a restricted zone can include: its own, those of its
  // communes and those of its EPCIs' communes; sorted, unique.
  static std::vector<std::string> ZoneDepartements(const Zone& zone) {
    std::vector<std::string> deps = zone.departements;
    for (const std::string& com : zone.communes) {
      deps.push_back(DepartementOf(com));
    }
    for (const std::string& siren : zone.epcis) {
      if (const Epci* e = FindEpci(siren); e != nullptr) {
        for (const std::string& com : e->communes) {
          deps.push_back(DepartementOf(com));
        }
      }
    }
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    return deps;
  }

  Brief BriefOf(const Service& s, int32_t id,
                const std::vector<std::string>& zone_deps) const {
    Brief b;
    // A person in the zone lives in one of its départements (a listed
    // commune, the city of their arrondissement, or the département), unless
    // through an EPCI, whose composition the check leaves to Evaluate.
    if (!s.zone.unrestricted() && s.zone.epcis.empty()) {
      b.zone_by_dep = true;
      for (const std::string& d : zone_deps) {
        const int32_t i = dep_index.at(d);
        if (i >= 128) {
          b.zone_by_dep = false;
          break;
        }
        b.zone_deps[i >> 6] |= uint64_t{1} << (i & 63);
      }
    }
    b.served = s.served;
    b.id = id;
    b.partner = s.partner.value();
    // 0 = open to all, as in Service.
    if (s.publics != 0 && (s.publics & (1u << AllPublicsId())) == 0) {
      b.publics = s.publics;
    }
    b.frais = s.frais;
    b.types = s.types;
    b.located = s.has_location;
    b.in_person = s.in_person();
    b.remote = s.remote();
    if (s.has_location) UnitVector(s.lat, s.lng, &b.x, &b.y, &b.z);
    return b;
  }

  Near NearOf(const Query& q) const {
    const Person& p = PersonOf(q);
    Near n;
    if (q.external == nullptr) {
      const std::array<double, 3>& u =
          person_unit[static_cast<size_t>(q.person.value())];
      n.x = u[0];
      n.y = u[1];
      n.z = u[2];
    } else {
      UnitVector(p.lat, p.lng, &n.x, &n.y, &n.z);
    }
    const double reach = Reach(q);
    n.reach_chord2 = reach == options.default_max_distance_km
                         ? default_reach_chord2
                         : ReachChord2(reach);
    n.publics = p.publics;
    n.relax = q.relax;
    n.site = p.site;
    n.insee_com = p.insee_com;
    auto other = [&](ThemeId t) {
      if (n.num_others < Near::kMaxOthers) {
        n.others[static_cast<size_t>(n.num_others)] = t;
      }
      ++n.num_others;
    };
    if (q.external != nullptr) {
      for (ThemeId t : q.external_open_themes) {
        if (t != q.theme) other(t);
      }
    } else {
      for (int32_t i = network.first_need(q.person).value();
           i < network.end_need(q.person).value(); ++i) {
        const NeedId nid(i);
        if (nid == q.need || !IsOpen(nid)) continue;
        const ThemeId t = network.need(nid).theme;
        if (t != q.theme) other(t);
      }
    }
    return n;
  }

  // Near::reach_chord2 for a reach in km.
  static double ReachChord2(double reach_km) {
    const double half_angle = reach_km / (2 * kEarthRadiusKm);
    if (half_angle >= 1.5) return std::numeric_limits<double>::infinity();
    const double chord = 2 * std::sin(std::max(0.0, half_angle));
    return chord * chord * (1 + 1e-9) + 1e-15;
  }

  static double Chord2(const Near& n, const Brief& b) {
    const double dx = n.x - b.x, dy = n.y - b.y, dz = n.z - b.z;
    return dx * dx + dy * dy + dz * dz;
  }

  // False when the service is surely not an option of the query (Evaluate
  // would reject it for frais, type, public, zone or reach): the checks
  // that need nothing but the Brief. The service serves the query's theme
  // (the candidate lists are per theme). `in_grid`: the service came from the
  // grid, so it has no travel time for the person and is within reach
  // only by distance. Else true, and with kBound *ub is an upper bound of
  // the option's score: the capacity, link and cover parts exact, novelty
  // taken as 1, proximity from the chord (shorter than the arc), with a
  // margin for rounding. Floating-point sums and products of non-negative
  // numbers are monotone, so the bound holds for the computed score too.
  template <bool kBound>
  bool Quick(Near& n, const Brief& b, bool in_grid, double* ub) const {
    if (!rank::CodesMatch(b.frais, options.frais,
                          options.exclude_unknown_frais) ||
        !rank::CodesMatch(b.types, options.service_types,
                          options.exclude_unknown_types)) {
      return false;
    }
    const bool relaxed = n.relax != nullptr && n.relax->service.value() == b.id;
    if (!relaxed && b.publics != 0 && (b.publics & n.publics) == 0) {
      return false;
    }
    double proximity = 1.0;
    if (b.located && b.in_person &&
        (in_grid || network.travel_times().empty())) {
      const double c2 = Chord2(n, b);
      if (c2 > n.reach_chord2) {
        if (!b.remote) return false;
        proximity = options.remote_proximity;
      } else if constexpr (kBound) {
        const double lower_km = kEarthRadiusKm * std::sqrt(c2) * (1 - 1e-9);
        proximity = 1.0 / (1.0 + lower_km / options.proximity_half_km);
        if (b.remote) proximity = std::max(proximity, options.remote_proximity);
      }
    } else if (!b.in_person || !b.located) {
      // Used remotely only (an in-person service without location is never
      // within reach, and is in no candidate list unless it is remote).
      proximity = options.remote_proximity;
    }
    if (b.zone_by_dep) {
      if (n.dep == Near::kDepUnknown) {
        auto it = dep_index.find(DepartementOf(n.insee_com));
        n.dep = it == dep_index.end() ? -1 : it->second;
      }
      if (n.dep < 0 || ((b.zone_deps[n.dep >> 6] >> (n.dep & 63)) & 1) == 0) {
        return false;
      }
    }
    if constexpr (kBound) {
      const double link = n.link[b.partner];
      double cover = 1.0;
      if (n.num_others == 0) {
        cover = 0.0;
      } else if (n.num_others <= Near::kMaxOthers) {
        int covered = 0;
        for (int i = 0; i < n.num_others; ++i) {
          if (b.served.Contains(n.others[static_cast<size_t>(i)])) ++covered;
        }
        cover = static_cast<double>(covered) / n.num_others;
      }
      const RankWeights& w = options.weights;
      const ComplementarityWeights& cw = options.complementarity;
      const double complementarity =
          cw.link * link + cw.cover * cover + cw.novelty * 1.0;
      *ub = w.capacity * b.capacity + w.proximity * proximity +
            w.complementarity * complementarity + 1e-9;
    }
    return true;
  }

  // Calls f(ServiceId, ub) for every service that may be an option of the
  // query: a superset of the eligible ones, each service once. With kBound,
  // ub bounds the option's score (see Quick); else it is 0.
  template <bool kBound, typename F>
  void ForEachCandidate(const Query& q, const double* link, F&& f) const {
    const Person& p = PersonOf(q);
    Near near = NearOf(q);
    near.link = link;
    const ThemeId theme = q.theme;
    const bool has_travel = !network.travel_times().empty();
    const std::vector<Brief>& in_grid = grid_brief[theme];
    double ub = 0;
    grid[theme].ForEachNearRange(
        p.lat, p.lng, Reach(q), [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) {
            const Brief& b = in_grid[i];
            if (!Quick<kBound>(near, b, /*in_grid=*/true, &ub)) continue;
            // Pairs in the travel-time table are visited below.
            if (has_travel &&
                network.TravelMinutes(p.insee_com, ServiceId(b.id))) {
              continue;
            }
            f(ServiceId(b.id), ub);
          }
        });
    for (const Brief& b : remote_brief[theme]) {
      if (Quick<kBound>(near, b, /*in_grid=*/false, &ub)) {
        f(ServiceId(b.id), ub);
      }
    }
    if (!remote_by_dep[theme].empty()) {
      auto it = remote_by_dep[theme].find(DepartementOf(p.insee_com));
      if (it != remote_by_dep[theme].end()) {
        for (int32_t s : it->second) {
          if (Quick<kBound>(near, brief[static_cast<size_t>(s)],
                            /*in_grid=*/false, &ub)) {
            f(ServiceId(s), ub);
          }
        }
      }
    }
    if (has_travel) {
      const ThemeId cat = CategoryOf(theme);
      const auto& tt = network.travel_times();
      auto it = std::lower_bound(tt.begin(), tt.end(), p.insee_com,
                                 [](const TravelTime& t, const std::string& c) {
                                   return t.from_insee_com < c;
                                 });
      for (; it != tt.end() && it->from_insee_com == p.insee_com; ++it) {
        const Service& s = network.service(it->service);
        if (!s.remote() && s.served.Contains(cat)) {
          f(it->service, std::numeric_limits<double>::infinity());
        }
      }
    }
  }

  void Collect(const Query& q, std::vector<Option>* out) const {
    ForEachCandidate<false>(q, nullptr, [&](ServiceId s, double) {
      Option o;
      if (Evaluate(q, s, &o) == Filter::kNone) out->push_back(o);
    });
  }

  // ForEachCandidate<true>, with the link part of every partner from the
  // person's site in the thread's dense table by partner (all zero between
  // calls: the site's entries are set, then reset).
  template <typename F>
  void ForEachBounded(const Query& q, F&& f) const {
    thread_local std::vector<double> link;
    link.resize(network.partners().size(), 0.0);
    const auto& links =
        site_links[static_cast<size_t>(PersonOf(q).site.value())];
    for (const auto& [partner, l] : links) {
      link[static_cast<size_t>(partner)] = l;
    }
    ForEachCandidate<true>(q, link.data(), f);
    for (const auto& [partner, l] : links) {
      link[static_cast<size_t>(partner)] = 0;
    }
  }

  void CollectAbove(const Query& q,
                    absl::FunctionRef<double(ServiceId)> min_score,
                    std::vector<Option>* out) const {
    ForEachBounded(q, [&](ServiceId s, double ub) {
      if (ub <= min_score(s)) return;
      Option o;
      if (Evaluate(q, s, &o) == Filter::kNone) out->push_back(o);
    });
  }

  // The `k` best options (score descending, then service ascending). Best
  // first: the candidates are evaluated in decreasing order of their score's
  // upper bound, and the search stops when that bound falls below the k-th
  // best score found, so that most candidates are never evaluated.
  std::vector<Option> Top(const Query& q, int k) const {
    std::vector<Option> best;
    if (k <= 0) return best;
    thread_local std::vector<std::pair<double, int32_t>> cands;
    cands.clear();
    ForEachBounded(
        q, [&](ServiceId s, double ub) { cands.emplace_back(ub, s.value()); });
    auto better = [](const Option& a, const Option& b) {
      if (a.score != b.score) return a.score > b.score;
      return a.service < b.service;
    };
    // `best` is a heap whose top is the worst kept option.
    std::make_heap(cands.begin(), cands.end());
    auto end = cands.end();
    const auto want = static_cast<size_t>(k);
    best.reserve(std::min(want, cands.size()));
    while (end != cands.begin()) {
      if (best.size() == want && cands.front().first < best.front().score) {
        break;
      }
      std::pop_heap(cands.begin(), end);
      --end;
      Option o;
      if (Evaluate(q, ServiceId(end->second), &o) != Filter::kNone) continue;
      if (best.size() < want) {
        best.push_back(o);
        std::push_heap(best.begin(), best.end(), better);
      } else if (better(o, best.front())) {
        std::pop_heap(best.begin(), best.end(), better);
        best.back() = o;
        std::push_heap(best.begin(), best.end(), better);
      }
    }
    std::sort(best.begin(), best.end(), better);
    return best;
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
  const ThemeId theme = q.theme;
  impl.grid[theme].ForEachNear(p.lat, p.lng, radius_km, [&](int32_t s) {
    const Service& service = impl.network.service(ServiceId(s));
    if (GreatCircleKm(p.lat, p.lng, service.lat, service.lng) <= radius_km ||
        (!impl.network.travel_times().empty() &&
         impl.network.TravelMinutes(p.insee_com, ServiceId(s)))) {
      visit(ServiceId(s));
    }
  });
  for (int32_t s : impl.remote_any[theme]) visit(ServiceId(s));
  if (auto it = impl.remote_by_dep[theme].find(DepartementOf(p.insee_com));
      it != impl.remote_by_dep[theme].end()) {
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
        // Per theme: a grid of the in-person services serving it, the
        // remote ones open everywhere, and the remote ones by département.
        const auto themes = static_cast<size_t>(NumThemes());
        impl->grid.resize(themes);
        impl->remote_any.resize(themes);
        impl->remote_by_dep.resize(themes);
        std::vector<std::vector<double>> lat(themes), lng(themes);
        std::vector<std::vector<int32_t>> ids(themes);
        std::vector<std::vector<std::string>> zone_deps(net.services().size());
        for (int32_t i = 0; i < static_cast<int32_t>(net.services().size());
             ++i) {
          const Service& s = net.services()[static_cast<size_t>(i)];
          const std::vector<ThemeId> served = s.served.ToVector();
          std::vector<std::string>& deps = zone_deps[static_cast<size_t>(i)];
          if (!s.zone.unrestricted()) deps = Impl::ZoneDepartements(s.zone);
          if (s.remote()) {
            if (s.zone.unrestricted()) {
              for (ThemeId t : served) impl->remote_any[t].push_back(i);
              continue;
            }
            for (ThemeId t : served) {
              for (const std::string& d : deps) {
                impl->remote_by_dep[t][d].push_back(i);
              }
            }
          } else if (s.has_location) {
            for (ThemeId t : served) {
              lat[t].push_back(s.lat);
              lng[t].push_back(s.lng);
              ids[t].push_back(i);
            }
          }
        }
        for (size_t t = 0; t < themes; ++t) {
          impl->grid[t].Build(lat[t], lng[t], ids[t]);
        }
        impl->SetBriefs(zone_deps);
        impl->SetSiteLinks();
        // Demand: open needs for which each service is an option. Counted
        // in blocks of needs on the hardware's threads (the index is
        // complete and only read), each thread into its own counts, then
        // summed: the same counts whatever the threads.
        const auto num_needs = static_cast<int32_t>(net.needs().size());
        constexpr int32_t kBlock = 8192;
        const int32_t num_blocks = (num_needs + kBlock - 1) / kBlock;
        std::vector<std::vector<int32_t>> counts(
            static_cast<size_t>(base::BlockThreads(0, num_blocks)),
            std::vector<int32_t>(net.services().size(), 0));
        base::ForEachBlock(num_blocks, 0, [&](int32_t b, int32_t thread) {
          std::vector<int32_t>& demand = counts[static_cast<size_t>(thread)];
          for (int32_t n = b * kBlock;
               n < std::min(num_needs, (b + 1) * kBlock); ++n) {
            const NeedId nid(n);
            if (!impl->IsOpen(nid)) continue;
            const Need& need = net.need(nid);
            const Impl::Query q{need.person, need.theme, nid};
            impl->ForEachCandidate<false>(q, nullptr, [&](ServiceId s, double) {
              if (impl->Evaluate(q, s, nullptr) == Filter::kNone) {
                ++demand[static_cast<size_t>(s.value())];
              }
            });
          }
          return true;
        });
        impl->demand = std::move(counts[0]);
        for (size_t t = 1; t < counts.size(); ++t) {
          for (size_t s = 0; s < impl->demand.size(); ++s) {
            impl->demand[s] += counts[t][s];
          }
        }
        impl->trust = Trust(net, options);
        impl->SetCapacityParts();
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

void Ranker::CandidatesAbove(NeedId need,
                             absl::FunctionRef<double(ServiceId)> min_score,
                             std::vector<Option>* out) const {
  const Need& n = impl_->network.need(need);
  impl_->CollectAbove({n.person, n.theme, need}, min_score, out);
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
