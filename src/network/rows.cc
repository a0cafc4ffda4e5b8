// RowsOf and BuildNetwork: a network as the rows it is built from, and back.

#include <string>
#include <utility>
#include <vector>

#include "maillage/network.h"
#include "maillage/vocabulary.h"

namespace maillage {
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
  out.insert(out.end(), z.epcis.begin(), z.epcis.end());
  return out;
}

template <typename T>
absl::optional<int64_t> Widen(const absl::optional<T>& v) {
  if (!v) return absl::nullopt;
  return static_cast<int64_t>(*v);
}

ServiceRow RowOf(const Network& net, const Service& s) {
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
  if (s.capacity_known) r.capacity_available = s.capacity_available;
  if (s.capacity_known || s.capacity_max > 0) r.capacity_max = s.capacity_max;
  r.min_age = Widen(s.min_age);
  r.max_age = Widen(s.max_age);
  r.updated = s.updated;
  r.types = CodesOf(Vocabulary::kServiceTypes, s.types);
  r.frais = CodesOf(Vocabulary::kFrais, s.frais);
  r.modes_mobilisation =
      CodesOf(Vocabulary::kModesMobilisation, s.modes_mobilisation);
  r.mobilisable_par =
      CodesOf(Vocabulary::kPersonnesMobilisatrices, s.mobilisable_par);
  r.lien_mobilisation = s.lien_mobilisation;
  r.horaires_accueil = s.horaires_accueil;
  r.conditions_acces = s.conditions_acces;
  r.score_qualite = s.score_qualite;
  return r;
}

PersonRow RowOf(const Network& net, const Person& p) {
  return {p.id,         net.site(p.site).id,    p.insee_com,      p.lat, p.lng,
          Widen(p.age), PublicCodes(p.publics), p.max_distance_km};
}

PartnershipRow RowOf(const Network& net, const Partnership& p) {
  const bool convention = p.kind == PartnershipKind::kConvention;
  return {
      convention ? net.site(p.site).id : net.partner(p.partner_a).id,
      convention ? net.partner(p.partner_a).id : net.partner(p.partner_b).id,
      std::string(PartnershipKindCode(p.kind)), p.strength};
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
    rows.partners.push_back({p.id, p.name, p.kind, p.insee_com, p.lat, p.lng,
                             p.siret, p.reseaux_porteurs, p.updated});
  }
  rows.services.reserve(net.services().size());
  for (const Service& s : net.services())
    rows.services.push_back(RowOf(net, s));
  rows.persons.reserve(net.persons().size());
  for (const Person& p : net.persons()) rows.persons.push_back(RowOf(net, p));
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
    rows.partnerships.push_back(RowOf(net, p));
  }
  rows.travel_times.reserve(net.travel_times().size());
  for (const TravelTime& t : net.travel_times()) {
    rows.travel_times.push_back(
        {t.from_insee_com, net.service(t.service).id, t.minutes});
  }
  return rows;
}

absl::StatusOr<Network> BuildNetwork(NetworkRows rows) {
  NetworkBuilder b;
  b.AddRows(std::move(rows));
  return std::move(b).Build();
}

}  // namespace maillage
