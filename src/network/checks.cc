#include "network/checks.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/date.h"
#include "base/text.h"
#include "maillage/geo.h"
#include "maillage/vocabulary.h"

namespace maillage::network {
namespace {

std::vector<absl::string_view> ThemeCodes() {
  std::vector<absl::string_view> out;
  for (int t = 0; t < NumThemes(); ++t) {
    out.push_back(ThemeCode(static_cast<ThemeId>(t)));
  }
  return out;
}

std::vector<absl::string_view> PublicCodes() {
  std::vector<absl::string_view> out;
  for (int p = 0; p < NumPublics(); ++p) {
    out.push_back(PublicCode(static_cast<PublicId>(p)));
  }
  return out;
}

std::vector<absl::string_view> CodesOfVocabulary(Vocabulary v) {
  std::vector<absl::string_view> out;
  for (int i = 0; i < NumCodes(v); ++i) out.push_back(CodeOf(v, i));
  return out;
}

void CheckRequired(RowCheck& c, absl::string_view field,
                   const std::string& value) {
  if (value.empty()) c.Error(field, absl::StrCat(field, " is required"));
}

// The id of a row: required, and without a character that cannot be seen
// or would change the output it is printed in (a NUL, a newline, a byte
// order mark...): two such ids would look the same and differ.
void CheckId(RowCheck& c, absl::string_view field, const std::string& id) {
  CheckRequired(c, field, id);
  if (base::HasHiddenCharacter(id)) {
    c.Error(field,
            absl::StrCat(field, " contains a control or invisible character"));
  }
}

// Free text (a name, a kind, a date): anything but a NUL character.
void CheckText(RowCheck& c, absl::string_view field, const std::string& value) {
  if (value.find('\0') != std::string::npos) {
    c.Error(field, absl::StrCat(field, " contains a NUL character"));
  }
}

// Latitude / longitude: both given and in range, or both absent.
bool CheckLatLng(RowCheck& c, const absl::optional<double>& lat,
                 const absl::optional<double>& lng) {
  if (lat.has_value() != lng.has_value()) {
    c.Error(lat ? "lng" : "lat", "lat and lng must be given together");
    return false;
  }
  if (!lat) return true;
  bool ok = true;
  if (!std::isfinite(*lat) || *lat < -90 || *lat > 90) {
    c.Error("lat", "latitude out of range [-90, 90]");
    ok = false;
  }
  if (!std::isfinite(*lng) || *lng < -180 || *lng > 180) {
    c.Error("lng", "longitude out of range [-180, 180]");
    ok = false;
  }
  return ok;
}

// A commune code: well formed; a former code (a commune merged since) is
// replaced by its current commune's, with a warning.
void CheckCommune(RowCheck& c, absl::string_view field, std::string* code) {
  if (code->empty()) return;
  if (!IsCommuneCode(*code)) {
    // "1053" for "01053": a spreadsheet or a DataFrame read the column as
    // numbers. In a table about people the hint is the same whatever the
    // code, so that it tells nothing of it.
    const bool lost_zero = code->size() < 5 &&
                           std::all_of(code->begin(), code->end(), [](char ch) {
                             return ch >= '0' && ch <= '9';
                           });
    const char* hint =
        c.personal()
            ? " (a code read as a number loses its leading zero: read the "
              "column as text, e.g. dtype=str)"
        : lost_zero ? ": fewer than 5 digits, as when a code is read as a "
                      "number and loses its leading zero (read the column as "
                      "text, e.g. dtype=str; '01053', not 1053)"
                    : "";
    c.Error(field,
            absl::StrCat("malformed INSEE commune code", c.Quote(*code), hint));
    return;
  }
  if (const Commune* now = FindFormerCommune(*code); now != nullptr) {
    const std::string was = std::exchange(*code, now->insee_com);
    c.Warning(field, absl::StrCat("former commune code", c.Quote(was),
                                  ", read as its current commune",
                                  c.Quote(now->insee_com)));
  }
}

// An ISO date (YYYY-MM-DD, optionally followed by a time "T..."): the
// freshness option reads it; anything else is kept as text with a warning.
void CheckDate(RowCheck& c, absl::string_view field, const std::string& date) {
  if (!date.empty() && !base::ParseIsoDay(date)) {
    c.Warning(field, absl::StrCat(field,
                                  " is not an ISO date (YYYY-MM-DD): kept as "
                                  "text, its age unknown",
                                  c.Quote(date)));
  }
}

// The codes of a flat vocabulary, as a bit set.
CodeSet ParseCodes(RowCheck& c, absl::string_view field, Vocabulary v,
                   const std::vector<std::string>& codes) {
  CodeSet set = 0;
  for (const std::string& code : codes) {
    if (absl::optional<int> i = ParseCode(v, code)) {
      set = static_cast<CodeSet>(set | (1u << *i));
    } else {
      c.Error(field, absl::StrCat("unknown data·inclusion ", field, " code",
                                  c.Quote(code),
                                  c.Suggest(code, CodesOfVocabulary(v))));
    }
  }
  return set;
}

// Resolves a location: given lat/lng, else the commune's centre.
bool ResolveLocation(const absl::optional<double>& lat,
                     const absl::optional<double>& lng,
                     const std::string& insee_com, double* out_lat,
                     double* out_lng) {
  if (lat && lng) {
    *out_lat = *lat;
    *out_lng = *lng;
    return true;
  }
  if (const Commune* com = FindCommune(insee_com);
      com != nullptr && com->has_location) {
    *out_lat = com->lat;
    *out_lng = com->lng;
    return true;
  }
  return false;
}

// A site or a partner: placed by lat/lng or by its commune; its id, name
// and commune moved out of the row.
template <typename Entity, typename Row>
Entity CheckPlace(Row& r, RowCheck& c) {
  Entity e;
  CheckCommune(c, "insee_com", &r.insee_com);
  if (CheckLatLng(c, r.lat, r.lng) &&
      !ResolveLocation(r.lat, r.lng, r.insee_com, &e.lat, &e.lng)) {
    c.Error("lat", "location required: lat/lng, or a known insee_com");
  }
  e.id = std::move(r.id);
  e.name = std::move(r.name);
  e.insee_com = std::move(r.insee_com);
  return e;
}

void AddThemes(const ServiceRow& r, RowCheck& c, Service* s) {
  if (r.thematiques.empty()) {
    c.Error("thematiques", "thematiques is required (at least one theme)");
  }
  for (const std::string& code : r.thematiques) {
    if (auto t = ParseTheme(code)) {
      s->themes.Add(*t);
    } else {
      c.Error("thematiques",
              absl::StrCat("unknown data·inclusion theme", c.Quote(code),
                           c.Suggest(code, ThemeCodes())));
    }
  }
  s->served = ServedThemes(s->themes);
}

PublicSet ParsePublics(const std::vector<std::string>& codes, RowCheck& c) {
  PublicSet set = 0;
  for (const std::string& code : codes) {
    if (auto p = ParsePublic(code)) {
      set = static_cast<PublicSet>(set | (1u << *p));
    } else {
      c.Error("publics",
              absl::StrCat("unknown data·inclusion public", c.Quote(code),
                           c.Suggest(code, PublicCodes())));
    }
  }
  return set;
}

void AddModes(const ServiceRow& r, RowCheck& c, Service* s) {
  if (r.modes_accueil.empty()) return;  // in person by default
  s->modes = 0;
  for (const std::string& code : r.modes_accueil) {
    if (auto m = ParseMode(code)) {
      s->modes = static_cast<ModeSet>(s->modes | (1u << static_cast<int>(*m)));
    } else {
      c.Error("modes_accueil",
              absl::StrCat("unknown mode d'accueil", c.Quote(code)));
    }
  }
}

// Zone codes as data·inclusion writes them: `france` or `99100` (the
// country's code), a département, a commune or arrondissement (a former code
// mapped to its current commune), an EPCI's 9-digit SIREN.
void AddZone(const ServiceRow& r, RowCheck& c, Service* s) {
  for (std::string code : r.zone_eligibilite) {
    if (code == "france" || code == "99100") {
      s->zone.france = true;
    } else if (IsDepartementCode(code)) {
      s->zone.departements.push_back(code);
    } else if (IsCommuneCode(code)) {
      CheckCommune(c, "zone_eligibilite", &code);
      s->zone.communes.push_back(code);
    } else if (IsSirenCode(code)) {
      if (FindEpci(code) == nullptr) {
        c.Error("zone_eligibilite",
                absl::StrCat("unknown EPCI SIREN", c.Quote(code)));
      }
      s->zone.epcis.push_back(code);
    } else {
      c.Error("zone_eligibilite",
              absl::StrCat("zone code is not 'france', a département, a "
                           "commune code or an EPCI SIREN",
                           c.Quote(code)));
    }
  }
  for (auto* list :
       {&s->zone.departements, &s->zone.communes, &s->zone.epcis}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
}

void CheckServiceDetails(ServiceRow& r, RowCheck& c, Service* s) {
  s->types = ParseCodes(c, "types", Vocabulary::kServiceTypes, r.types);
  s->frais = ParseCodes(c, "frais", Vocabulary::kFrais, r.frais);
  s->modes_mobilisation =
      ParseCodes(c, "modes_mobilisation", Vocabulary::kModesMobilisation,
                 r.modes_mobilisation);
  s->mobilisable_par =
      ParseCodes(c, "mobilisable_par", Vocabulary::kPersonnesMobilisatrices,
                 r.mobilisable_par);
  for (auto [field, text] :
       {std::pair{"lien_mobilisation", &r.lien_mobilisation},
        std::pair{"horaires_accueil", &r.horaires_accueil},
        std::pair{"conditions_acces", &r.conditions_acces}}) {
    CheckText(c, field, *text);
  }
  if (r.score_qualite && !(*r.score_qualite >= 0 && *r.score_qualite <= 1)) {
    c.Error("score_qualite", "score_qualite out of range [0, 1]");
  }
  CheckDate(c, "updated", r.updated);
  if (!c.ok()) return;
  s->lien_mobilisation = std::move(r.lien_mobilisation);
  s->horaires_accueil = std::move(r.horaires_accueil);
  s->conditions_acces = std::move(r.conditions_acces);
  s->score_qualite = r.score_qualite;
}

void CheckAges(const ServiceRow& r, RowCheck& c) {
  for (auto [field, v] :
       {std::pair{"min_age", &r.min_age}, std::pair{"max_age", &r.max_age}}) {
    if (*v && (**v < 0 || **v > kMaxAge)) {
      c.Error(field, absl::StrCat(field, " out of range [0, ", kMaxAge, "]"));
    }
  }
  if (r.min_age && r.max_age && *r.min_age > *r.max_age) {
    c.Error("min_age", "min_age is greater than max_age");
  }
}

}  // namespace

bool ProblemSink::RowRejected(Table, int64_t) const { return false; }
bool ProblemSink::CellReported(Table, int64_t, absl::string_view) const {
  return false;
}

RowCheck::RowCheck(ProblemSink* sink, Table table, int64_t line)
    : sink_(sink),
      table_(table),
      line_(line),
      ok_(!sink->RowRejected(table, line)) {}

void RowCheck::Error(absl::string_view field, std::string reason) {
  ok_ = false;
  if (sink_->CellReported(table_, line_, field)) return;
  sink_->Add(table_, line_, field, std::move(reason), false);
}

void RowCheck::Warning(absl::string_view field, std::string reason) {
  sink_->Add(table_, line_, field, std::move(reason), true);
}

bool RowCheck::personal() const { return IsPersonalTable(table_); }

std::string RowCheck::Quote(absl::string_view value) const {
  if (IsPersonalTable(table_)) return "";
  return absl::StrCat(" ", base::Quoted(value));
}

std::string RowCheck::Suggest(
    absl::string_view value,
    const std::vector<absl::string_view>& candidates) const {
  if (!IsPersonalTable(table_)) {
    const std::string close = base::ClosestCode(value, candidates);
    if (!close.empty()) {
      return absl::StrCat(" (did you mean ", base::Quoted(close), "?)");
    }
  }
  return " (the codes: docs/format.md)";
}

int32_t Resolve(RowCheck& c, absl::string_view field, const std::string& id,
                absl::string_view target, const IdIndex& ids) {
  if (id.empty()) return -1;
  if (const int32_t i = ids.Find(id); i >= 0) return i;
  if (ids.IsRejected(id)) {
    c.Error(field, absl::StrCat(field, " ", base::Quoted(id),
                                " refers to a rejected ", target, " row"));
  } else {
    c.Error(field, absl::StrCat(field, " ", base::Quoted(id), " refers to no ",
                                target));
  }
  return -1;
}

Site CheckSite(SiteRow r, RowCheck& c) {
  CheckId(c, "site_id", r.id);
  CheckText(c, "name", r.name);
  CheckText(c, "territory", r.territory);
  CheckRequired(c, "territory", r.territory);
  Site s = CheckPlace<Site>(r, c);
  s.territory = std::move(r.territory);
  return s;
}

Partner CheckPartner(PartnerRow r, RowCheck& c) {
  CheckId(c, "partner_id", r.id);
  CheckText(c, "name", r.name);
  CheckText(c, "kind", r.kind);
  Partner p = CheckPlace<Partner>(r, c);
  p.kind = std::move(r.kind);
  if (!r.siret.empty() &&
      (r.siret.size() != 14 ||
       !std::all_of(r.siret.begin(), r.siret.end(),
                    [](char ch) { return ch >= '0' && ch <= '9'; }))) {
    c.Error("siret", absl::StrCat("siret is not 14 digits", c.Quote(r.siret)));
  }
  for (const std::string& code : r.reseaux_porteurs) {
    if (!IsReseauPorteur(code)) {
      c.Error(
          "reseaux_porteurs",
          absl::StrCat("unknown data·inclusion reseau porteur", c.Quote(code)));
    }
  }
  CheckText(c, "updated", r.updated);
  CheckDate(c, "updated", r.updated);
  p.siret = std::move(r.siret);
  p.reseaux_porteurs = std::move(r.reseaux_porteurs);
  std::sort(p.reseaux_porteurs.begin(), p.reseaux_porteurs.end());
  p.reseaux_porteurs.erase(
      std::unique(p.reseaux_porteurs.begin(), p.reseaux_porteurs.end()),
      p.reseaux_porteurs.end());
  p.updated = std::move(r.updated);
  return p;
}

Service CheckService(ServiceRow r, RowCheck& c, const IdIndex& partner_ids,
                     absl::Span<const Partner> partners) {
  Service s;
  CheckId(c, "service_id", r.id);
  CheckRequired(c, "partner_id", r.partner_id);
  CheckText(c, "name", r.name);
  CheckText(c, "updated", r.updated);
  const int32_t partner =
      Resolve(c, "partner_id", r.partner_id, "partner", partner_ids);
  AddThemes(r, c, &s);
  s.publics = ParsePublics(r.publics, c);
  AddModes(r, c, &s);
  AddZone(r, c, &s);
  CheckServiceDetails(r, c, &s);
  CheckCommune(c, "insee_com", &r.insee_com);
  if (CheckLatLng(c, r.lat, r.lng)) {
    s.has_location = ResolveLocation(r.lat, r.lng, r.insee_com, &s.lat, &s.lng);
    // An in-person service without location is at its partner's; a
    // remote-only one may have none.
    if (!s.has_location && partner >= 0 && s.modes != kRemoteBit) {
      s.lat = partners[static_cast<size_t>(partner)].lat;
      s.lng = partners[static_cast<size_t>(partner)].lng;
      s.has_location = true;
    }
  }
  CheckCapacity(c, r.capacity_available, r.capacity_max,
                /*available_required=*/false);
  CheckAges(r, c);
  if (!c.ok()) return s;
  s.id = std::move(r.id);
  s.partner = PartnerId(partner);
  s.name = std::move(r.name);
  s.insee_com = std::move(r.insee_com);
  s.capacity_known = r.capacity_available.has_value();
  s.capacity_available = static_cast<int32_t>(r.capacity_available.value_or(0));
  s.capacity_max = static_cast<int32_t>(
      r.capacity_max.value_or(r.capacity_available.value_or(0)));
  if (r.min_age) s.min_age = static_cast<int32_t>(*r.min_age);
  if (r.max_age) s.max_age = static_cast<int32_t>(*r.max_age);
  s.updated = std::move(r.updated);
  return s;
}

void CheckCapacity(RowCheck& c, const absl::optional<int64_t>& available,
                   const absl::optional<int64_t>& max,
                   bool available_required) {
  if (!available && available_required) {
    c.Error("capacity_available", "capacity_available is required");
  } else if (available && *available < 0) {
    c.Error("capacity_available", "negative capacity_available");
  } else if (available && *available > kMaxPlaces) {
    c.Error("capacity_available", "capacity_available too large");
  }
  if (max && *max < 0) {
    c.Error("capacity_max", "negative capacity_max");
  } else if (max && *max > kMaxPlaces) {
    c.Error("capacity_max", "capacity_max too large");
  } else if (max && available && *available > *max) {
    c.Error("capacity_available",
            "capacity_available is greater than capacity_max");
  }
}

Person CheckPerson(PersonRow r, RowCheck& c, const IdIndex& site_ids,
                   absl::Span<const Site> sites) {
  Person p;
  CheckId(c, "person_id", r.id);
  CheckRequired(c, "site_id", r.site_id);
  const int32_t site = Resolve(c, "site_id", r.site_id, "site", site_ids);
  CheckCommune(c, "insee_com", &r.insee_com);
  if (CheckLatLng(c, r.lat, r.lng) &&
      !ResolveLocation(r.lat, r.lng, r.insee_com, &p.lat, &p.lng) &&
      site >= 0) {
    p.lat = sites[static_cast<size_t>(site)].lat;
    p.lng = sites[static_cast<size_t>(site)].lng;
  }
  if (r.age && (*r.age < 0 || *r.age > kMaxAge)) {
    c.Error("age", absl::StrCat("age out of range [0, ", kMaxAge, "]"));
  }
  for (const std::string& code : r.publics) {
    if (auto pub = ParsePublic(code)) {
      p.publics = static_cast<PublicSet>(p.publics | (1u << *pub));
    } else {
      c.Error("publics", absl::StrCat("unknown data·inclusion public code",
                                      c.Suggest(code, PublicCodes())));
    }
  }
  if (r.max_distance_km &&
      (!std::isfinite(*r.max_distance_km) || *r.max_distance_km <= 0)) {
    c.Error("max_distance_km", "max_distance_km must be positive");
  }
  if (!c.ok()) return p;
  p.id = std::move(r.id);
  p.site = SiteId(site);
  p.insee_com = r.insee_com.empty() ? sites[static_cast<size_t>(site)].insee_com
                                    : std::move(r.insee_com);
  if (r.age) p.age = static_cast<int32_t>(*r.age);
  p.max_distance_km = r.max_distance_km;
  return p;
}

void CheckUrgency(RowCheck& c, const absl::optional<int64_t>& urgency) {
  if (!urgency) {
    c.Error("urgency", "urgency is required");
  } else if (*urgency < kMinUrgency || *urgency > kMaxUrgency) {
    c.Error("urgency", absl::StrCat("urgency out of range [", kMinUrgency, ", ",
                                    kMaxUrgency, "]"));
  }
}

Need CheckNeed(const NeedRow& r, RowCheck& c, const IdIndex& person_ids) {
  Need n;
  CheckRequired(c, "person_id", r.person_id);
  const int32_t person =
      Resolve(c, "person_id", r.person_id, "person", person_ids);
  CheckRequired(c, "thematique", r.thematique);
  const absl::optional<ThemeId> theme = ParseTheme(r.thematique);
  if (!r.thematique.empty() && !theme) {
    c.Error("thematique", absl::StrCat("unknown data·inclusion theme",
                                       c.Suggest(r.thematique, ThemeCodes())));
  }
  CheckUrgency(c, r.urgency);
  n.person = PersonId(person);
  if (theme) n.theme = *theme;
  if (c.ok()) n.urgency = static_cast<int32_t>(*r.urgency);
  return n;
}

Support CheckSupport(const SupportRow& r, RowCheck& c,
                     const IdIndex& person_ids, const IdIndex& service_ids) {
  Support s;
  CheckRequired(c, "person_id", r.person_id);
  CheckRequired(c, "service_id", r.service_id);
  CheckRequired(c, "thematique", r.thematique);
  CheckRequired(c, "status", r.status);
  const int32_t person =
      Resolve(c, "person_id", r.person_id, "person", person_ids);
  const int32_t service =
      Resolve(c, "service_id", r.service_id, "service", service_ids);
  const absl::optional<ThemeId> theme = ParseTheme(r.thematique);
  if (!r.thematique.empty() && !theme) {
    c.Error("thematique", absl::StrCat("unknown data·inclusion theme",
                                       c.Suggest(r.thematique, ThemeCodes())));
  }
  const absl::optional<SupportStatus> status = ParseSupportStatus(r.status);
  if (!r.status.empty() && !status) {
    c.Error("status",
            "unknown status (current, accepted, sent, refused, completed, "
            "expired, cancelled)");
  }
  if (!c.ok()) return s;
  s = Support{PersonId(person), ServiceId(service), *theme, *status};
  return s;
}

// A convention links a site and a partner (either order), a cooperation two
// different partners.
Partnership CheckPartnership(const PartnershipRow& r, RowCheck& c,
                             const IdIndex& site_ids,
                             const IdIndex& partner_ids) {
  CheckRequired(c, "from_id", r.from_id);
  CheckRequired(c, "to_id", r.to_id);
  CheckRequired(c, "kind", r.kind);
  const absl::optional<PartnershipKind> kind = ParsePartnershipKind(r.kind);
  if (!r.kind.empty() && !kind) {
    c.Error("kind", absl::StrCat("unknown partnership kind", c.Quote(r.kind),
                                 " (convention, cooperation)"));
  }
  if (!r.strength) {
    c.Error("strength", "strength is required");
  } else if (!std::isfinite(*r.strength) || *r.strength <= 0 ||
             *r.strength > 1) {
    c.Error("strength", "strength out of range (0, 1]");
  }
  Partnership p;
  if (!kind || r.from_id.empty() || r.to_id.empty()) return p;
  p.kind = *kind;
  if (*kind == PartnershipKind::kCooperation) {
    p.partner_a =
        PartnerId(Resolve(c, "from_id", r.from_id, "partner", partner_ids));
    p.partner_b =
        PartnerId(Resolve(c, "to_id", r.to_id, "partner", partner_ids));
    if (r.from_id == r.to_id) {
      c.Error("to_id", "a cooperation links two different partners");
    }
  } else {
    auto is_site = [&](const std::string& id) {
      return site_ids.Find(id) >= 0 || site_ids.IsRejected(id);
    };
    const bool from_is_site = is_site(r.from_id);
    const std::string& site_id = from_is_site ? r.from_id : r.to_id;
    const std::string& partner_id = from_is_site ? r.to_id : r.from_id;
    if (!is_site(site_id)) {
      c.Error(
          "from_id",
          absl::StrCat("a convention links a site and a partner; ",
                       base::Quoted(r.from_id), " and ", base::Quoted(r.to_id),
                       " are not a site and a partner"));
    } else {
      p.site = SiteId(Resolve(c, from_is_site ? "from_id" : "to_id", site_id,
                              "site", site_ids));
      p.partner_a = PartnerId(Resolve(c, from_is_site ? "to_id" : "from_id",
                                      partner_id, "partner", partner_ids));
    }
  }
  if (c.ok()) p.strength = *r.strength;
  return p;
}

TravelTime CheckTravelTime(TravelTimeRow r, RowCheck& c,
                           const IdIndex& service_ids) {
  CheckRequired(c, "from_insee_com", r.from_insee_com);
  CheckCommune(c, "from_insee_com", &r.from_insee_com);
  CheckRequired(c, "service_id", r.service_id);
  const int32_t service =
      Resolve(c, "service_id", r.service_id, "service", service_ids);
  if (!r.minutes) {
    c.Error("minutes", "minutes is required");
  } else if (!std::isfinite(*r.minutes) || *r.minutes < 0) {
    c.Error("minutes", "minutes must be a non-negative number");
  }
  TravelTime t;
  if (!c.ok()) return t;
  t = TravelTime{std::move(r.from_insee_com), ServiceId(service), *r.minutes};
  return t;
}

int32_t NetworkSites::Find(absl::string_view id) const {
  const absl::optional<SiteId> site = network_.FindSite(id);
  return site ? site->value() : -1;
}

}  // namespace maillage::network
