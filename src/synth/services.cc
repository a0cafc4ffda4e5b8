// Services of a region's partners (see docs/synth.md for the numbers).

#include "synth/services.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "geo/grid_index.h"
#include "maillage/geo.h"
#include "maillage/model.h"
#include "maillage/vocabulary.h"
#include "synth/geography.h"
#include "synth/partner_kinds.h"
#include "synth/random.h"
#include "synth/region_state.h"
#include "synth/vocab.h"

namespace maillage::synth {
namespace {

// Model parameters (see docs/synth.md).
constexpr double kServiceJitterKm = 0.3;     // service near its partner
constexpr double kRemoteShare = 0.14;        // of remote-capable services
constexpr double kRemoteFranceShare = 0.25;  // remote zone = "france"

std::string Date2026(Rng& rng) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const int64_t m = rng.UniformInt(1, 12);
  const int64_t d = rng.UniformInt(1, kDays[m - 1]);
  return absl::StrFormat("2026-%02d-%02d", m, d);
}

// The CMP's sector: communes of its département within kSecteurKm, the
// nearest kMaxSecteurCommunes, sorted by code. Contains its own commune.
std::vector<std::string> Secteur(const RegionState& st, int32_t commune) {
  const Commune& centre = st.commune(commune);
  std::vector<std::pair<double, int32_t>> near;
  st.geo.grid.ForEachNear(centre.lat, centre.lng, kSecteurKm, [&](int32_t i) {
    const Commune& c = st.commune(i);
    if (c.insee_dep != centre.insee_dep) return;
    const double d = GreatCircleKm(centre.lat, centre.lng, c.lat, c.lng);
    if (d <= kSecteurKm || i == commune) near.push_back({d, i});
  });
  std::sort(near.begin(), near.end());
  if (near.size() > static_cast<size_t>(kMaxSecteurCommunes)) {
    near.resize(static_cast<size_t>(kMaxSecteurCommunes));
  }
  std::vector<std::string> codes;
  for (const auto& [d, i] : near) codes.push_back(st.commune(i).insee_com);
  std::sort(codes.begin(), codes.end());
  return codes;
}

// The template's themes, each extra theme with probability 1/2, and one of
// its choices of publics.
void DrawThemesAndPublics(Rng& rng, const PreparedTemplate& t, ServiceRow* row,
                          Service* info) {
  ThemeSet declared;
  row->thematiques = t.themes;
  for (ThemeId id : t.theme_ids) declared.Add(id);
  for (size_t i = 0; i < t.extra_themes.size(); ++i) {
    if (rng.Bernoulli(0.5)) {
      row->thematiques.push_back(t.extra_themes[i]);
      declared.Add(t.extra_theme_ids[i]);
    }
  }
  info->themes = declared;
  info->served = ServedThemes(declared);
  const PreparedPublics& pub = t.publics[rng.Weighted(t.publics_weights)];
  row->publics = pub.codes;
  info->publics = pub.set;
}

// Remote (zone: France or the region's départements) or in person near the
// partner (zone: the template's rule around the partner's commune).
void DrawModeAndZone(RegionState& st, const Place& partner,
                     const ServiceTemplate& src, ServiceRow* row,
                     Service* info) {
  const bool remote = src.remote_ok && st.rng.Bernoulli(kRemoteShare);
  if (remote) {
    row->modes_accueil = {"a-distance"};
    info->modes = kRemoteBit;
    if (st.rng.Bernoulli(kRemoteFranceShare)) {
      row->zone_eligibilite = {"france"};
      info->zone.france = true;
    } else {
      row->zone_eligibilite = st.region.departements;
      info->zone.departements = st.region.departements;
    }
  } else {
    const Commune& pc = st.commune(partner.commune);
    row->modes_accueil = {"en-presentiel"};
    auto [lat, lng] =
        Jitter(st.rng, partner.lat, partner.lng, kServiceJitterKm);
    row->insee_com = info->insee_com = pc.insee_com;
    info->has_location = true;
    row->lat = info->lat = lat;
    row->lng = info->lng = lng;
    switch (src.zone) {
      case ZoneRule::kNone:
        break;
      case ZoneRule::kCommune:
        info->zone.communes = {pc.insee_com};
        break;
      case ZoneRule::kDepartement:
        info->zone.departements = {pc.insee_dep};
        break;
      case ZoneRule::kSecteur:
        info->zone.communes = Secteur(st, partner.commune);
        break;
    }
    row->zone_eligibilite = info->zone.departements;
    row->zone_eligibilite.insert(row->zone_eligibilite.end(),
                                 info->zone.communes.begin(),
                                 info->zone.communes.end());
  }
  std::sort(info->zone.departements.begin(), info->zone.departements.end());
}

// Free places (none with probability p_full), occupied ones, age bounds.
void DrawCapacity(Rng& rng, const ServiceTemplate& src, ServiceRow* row,
                  Service* info) {
  int32_t available = 0;
  if (!rng.Bernoulli(src.p_full)) {
    available = static_cast<int32_t>(
        rng.UniformInt(src.available_lo, src.available_hi));
  }
  const auto occupied =
      static_cast<int32_t>(rng.UniformInt(src.occupied_lo, src.occupied_hi));
  row->capacity_available = info->capacity_available = available;
  row->capacity_max = info->capacity_max = available + occupied;
  if (src.min_age > 0) row->min_age = info->min_age = src.min_age;
  if (src.max_age > 0) row->max_age = info->max_age = src.max_age;
}

// Service number `number` of the region, of partner `p`, from template `t`.
void AddService(RegionState& st, size_t p, const PreparedTemplate& t,
                int64_t number, const std::string& suffix) {
  const ServiceTemplate& src = *t.source;
  const Place& partner = st.partners[p];
  ServiceRow row;
  Service info;
  row.id = absl::StrCat("SV-", st.region.name, "-", Padded(number, 5));
  row.partner_id = partner.id;
  row.name = absl::StrCat(st.partner_names[p], " - ", src.label, suffix);
  DrawThemesAndPublics(st.rng, t, &row, &info);
  DrawModeAndZone(st, partner, src, &row, &info);
  DrawCapacity(st.rng, src, &row, &info);
  row.updated = Date2026(st.rng);
  info.id = row.id;
  st.out->services.push_back(std::move(row));
  st.services.push_back({.service = std::move(info)});
}

}  // namespace

void GenerateServices(RegionState& st) {
  // One service per partner, the rest spread by kind.
  const size_t np = st.partners.size();
  std::vector<int64_t> count(np, 1);
  std::vector<double> extra(np);
  for (size_t p = 0; p < np; ++p) {
    extra[p] = st.vocab.kinds[static_cast<size_t>(st.partner_kind[p])]
                   .source->extra_services_weight;
  }
  const CumulativeWeights extra_cw(extra);
  for (int64_t s = static_cast<int64_t>(np); s < st.region.services; ++s) {
    ++count[extra_cw.Draw(st.rng)];
  }
  int64_t next = 0;
  for (size_t p = 0; p < np; ++p) {
    const PreparedKind& kind =
        st.vocab.kinds[static_cast<size_t>(st.partner_kind[p])];
    // Each template once, then antennas of the same templates.
    std::vector<double> unused = kind.template_weights;
    std::vector<int> uses(unused.size(), 0);
    for (int64_t j = 0; j < count[p]; ++j) {
      double left = 0;
      for (double w : unused) left += w;
      const size_t t = left > 0 ? st.rng.Weighted(unused)
                                : st.rng.Weighted(kind.template_weights);
      unused[t] = 0;
      const int use = ++uses[t];
      AddService(st, p, kind.templates[t], ++next,
                 use == 1 ? "" : absl::StrCat(" (antenne ", use, ")"));
    }
  }
}

void IndexServices(RegionState& st) {
  const auto nt = static_cast<size_t>(NumThemes());
  std::vector<std::vector<double>> lat(nt), lng(nt);
  std::vector<std::vector<int32_t>> ids(nt);
  st.remote_by_theme.assign(nt, {});
  for (size_t s = 0; s < st.services.size(); ++s) {
    const Service& info = st.services[s].service;
    for (ThemeId t : info.served.ToVector()) {
      if (info.in_person()) {
        lat[t].push_back(info.lat);
        lng[t].push_back(info.lng);
        ids[t].push_back(static_cast<int32_t>(s));
      } else {
        st.remote_by_theme[t].push_back(static_cast<int32_t>(s));
      }
    }
  }
  st.grid_by_theme.resize(nt);
  for (size_t t = 0; t < nt; ++t) {
    st.grid_by_theme[t].Build(lat[t], lng[t], ids[t], kFineCellDegrees);
  }
}

}  // namespace maillage::synth
