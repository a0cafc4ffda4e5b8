#include "rows.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace maillage::python {
namespace {

std::vector<std::string> ThemeCodes(const ThemeSet& themes) {
  std::vector<std::string> out;
  for (ThemeId t : themes.ToVector()) out.emplace_back(ThemeCode(t));
  return out;
}

std::vector<std::string> PublicCodes(PublicSet publics) {
  std::vector<std::string> out;
  for (int p = 0; p < NumPublics(); ++p) {
    if (publics & (1u << p)) {
      out.emplace_back(PublicCode(static_cast<PublicId>(p)));
    }
  }
  return out;
}

std::vector<std::string> ModeCodes(ModeSet modes) {
  std::vector<std::string> out;
  if (modes & kRemoteBit) out.emplace_back(ModeCode(Mode::kRemote));
  if (modes & kInPersonBit) out.emplace_back(ModeCode(Mode::kInPerson));
  return out;
}

std::vector<std::string> ZoneCodes(const Zone& z) {
  std::vector<std::string> out;
  if (z.france) out.emplace_back("france");
  out.insert(out.end(), z.departements.begin(), z.departements.end());
  out.insert(out.end(), z.communes.begin(), z.communes.end());
  return out;
}

template <typename T>
absl::optional<int64_t> Widen(const absl::optional<T>& v) {
  if (!v) return absl::nullopt;
  return static_cast<int64_t>(*v);
}

}  // namespace

NetworkRows RowsOf(const Network& net) {
  NetworkRows rows;
  rows.sites.reserve(net.sites().size());
  for (const Site& s : net.sites()) {
    rows.sites.push_back(
        {s.id, s.name, s.territory, s.insee_com, s.lat, s.lng});
  }
  rows.partners.reserve(net.partners().size());
  for (const Partner& p : net.partners()) {
    rows.partners.push_back({p.id, p.name, p.kind, p.insee_com, p.lat, p.lng});
  }
  rows.services.reserve(net.services().size());
  for (const Service& s : net.services()) {
    ServiceRow r;
    r.id = s.id;
    r.partner_id = net.partner(s.partner).id;
    r.name = s.name;
    r.thematiques = ThemeCodes(s.themes);
    r.publics = PublicCodes(s.publics);
    r.modes_accueil = ModeCodes(s.modes);
    r.zone_eligibilite = ZoneCodes(s.zone);
    r.insee_com = s.insee_com;
    if (s.has_location) {
      r.lat = s.lat;
      r.lng = s.lng;
    }
    r.capacity_available = s.capacity_available;
    r.capacity_max = s.capacity_max;
    r.min_age = Widen(s.min_age);
    r.max_age = Widen(s.max_age);
    r.updated = s.updated;
    rows.services.push_back(std::move(r));
  }
  rows.persons.reserve(net.persons().size());
  for (const Person& p : net.persons()) {
    PersonRow r;
    r.id = p.id;
    r.site_id = net.site(p.site).id;
    r.insee_com = p.insee_com;
    r.lat = p.lat;
    r.lng = p.lng;
    r.age = Widen(p.age);
    r.publics = PublicCodes(p.publics);
    r.max_distance_km = p.max_distance_km;
    rows.persons.push_back(std::move(r));
  }
  rows.needs.reserve(net.needs().size());
  for (const Need& n : net.needs()) {
    rows.needs.push_back(
        {net.person(n.person).id, std::string(ThemeCode(n.theme)), n.urgency});
  }
  rows.supports.reserve(net.supports().size());
  for (const Support& s : net.supports()) {
    rows.supports.push_back({net.person(s.person).id, net.service(s.service).id,
                             std::string(ThemeCode(s.theme)),
                             std::string(SupportStatusCode(s.status))});
  }
  rows.partnerships.reserve(net.partnerships().size());
  for (const Partnership& p : net.partnerships()) {
    const bool convention = p.kind == PartnershipKind::kConvention;
    rows.partnerships.push_back(
        {convention ? net.site(p.site).id : net.partner(p.partner_a).id,
         convention ? net.partner(p.partner_a).id : net.partner(p.partner_b).id,
         std::string(PartnershipKindCode(p.kind)), p.strength});
  }
  rows.travel_times.reserve(net.travel_times().size());
  for (const TravelTime& t : net.travel_times()) {
    rows.travel_times.push_back(
        {t.from_insee_com, net.service(t.service).id, t.minutes});
  }
  return rows;
}

absl::StatusOr<Network> BuildFromRows(NetworkRows rows) {
  NetworkBuilder b;
  for (SiteRow& r : rows.sites) b.AddSite(std::move(r));
  for (PartnerRow& r : rows.partners) b.AddPartner(std::move(r));
  for (ServiceRow& r : rows.services) b.AddService(std::move(r));
  for (PersonRow& r : rows.persons) b.AddPerson(std::move(r));
  for (NeedRow& r : rows.needs) b.AddNeed(std::move(r));
  for (SupportRow& r : rows.supports) b.AddSupport(std::move(r));
  for (PartnershipRow& r : rows.partnerships) b.AddPartnership(std::move(r));
  for (TravelTimeRow& r : rows.travel_times) b.AddTravelTime(std::move(r));
  return std::move(b).Build();
}

absl::StatusOr<Network> WithCapacity(
    const Network& net,
    const std::vector<std::pair<std::string, int64_t>>& places) {
  // Checked before copying the rows: a typo fails fast on a large network.
  std::vector<std::pair<int32_t, int64_t>> changes;
  changes.reserve(places.size());
  for (const auto& [id, n] : places) {
    absl::optional<ServiceId> s = net.FindService(id);
    if (!s) {
      return absl::InvalidArgumentError(
          absl::StrCat("with_capacity: no service with id '", id, "'"));
    }
    if (n < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "with_capacity: negative number of places for '", id, "'"));
    }
    changes.emplace_back(s->value(), n);
  }
  NetworkRows rows = RowsOf(net);
  for (const auto& [s, n] : changes) {
    ServiceRow& r = rows.services[static_cast<size_t>(s)];
    r.capacity_available = n;
    if (r.capacity_max && *r.capacity_max < n) r.capacity_max = n;
  }
  return BuildFromRows(std::move(rows));
}

absl::StatusOr<Network> Without(const Network& net,
                                const std::vector<std::string>& partner_ids,
                                const std::vector<std::string>& service_ids) {
  absl::flat_hash_set<std::string> partners, services;
  for (const std::string& id : partner_ids) {
    if (!net.FindPartner(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("without: no partner with id '", id, "'"));
    }
    partners.insert(id);
  }
  for (const std::string& id : service_ids) {
    if (!net.FindService(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("without: no service with id '", id, "'"));
    }
    services.insert(id);
  }
  NetworkRows rows = RowsOf(net);
  NetworkRows kept;
  kept.sites = std::move(rows.sites);
  kept.persons = std::move(rows.persons);
  kept.needs = std::move(rows.needs);
  for (PartnerRow& r : rows.partners) {
    if (!partners.contains(r.id)) kept.partners.push_back(std::move(r));
  }
  for (ServiceRow& r : rows.services) {
    if (partners.contains(r.partner_id)) services.insert(r.id);
    if (!services.contains(r.id)) kept.services.push_back(std::move(r));
  }
  for (SupportRow& r : rows.supports) {
    if (!services.contains(r.service_id)) kept.supports.push_back(std::move(r));
  }
  for (PartnershipRow& r : rows.partnerships) {
    if (!partners.contains(r.from_id) && !partners.contains(r.to_id)) {
      kept.partnerships.push_back(std::move(r));
    }
  }
  for (TravelTimeRow& r : rows.travel_times) {
    if (!services.contains(r.service_id)) {
      kept.travel_times.push_back(std::move(r));
    }
  }
  return BuildFromRows(std::move(kept));
}

}  // namespace maillage::python
