// NetworkBuilder: validation of input rows and construction of a Network.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "maillage/geo.h"
#include "maillage/network.h"
#include "network/network_data.h"

namespace maillage {
namespace {

constexpr int kTableCount = kNumTables;
constexpr int64_t kMaxAge = 130;

size_t Index(Table t) { return static_cast<size_t>(t); }

template <typename Row>
struct Entry {
  Row row;
  int64_t line;
};

}  // namespace

struct NetworkBuilder::Rows {
  std::vector<Entry<SiteRow>> sites;
  std::vector<Entry<PartnerRow>> partners;
  std::vector<Entry<ServiceRow>> services;
  std::vector<Entry<PersonRow>> persons;
  std::vector<Entry<NeedRow>> needs;
  std::vector<Entry<SupportRow>> supports;
  std::vector<Entry<PartnershipRow>> partnerships;
  std::vector<Entry<TravelTimeRow>> travel_times;

  std::array<std::string, kTableCount> file_names;
  std::array<absl::flat_hash_map<std::string, int32_t>, kTableCount> columns;
  std::array<int64_t, kTableCount> next_line{};
  std::array<int64_t, kTableCount> extra_rejected{};
  std::array<std::vector<std::string>, kTableCount> extra_rejected_ids;
  // Lines rejected by problems added before building, per table, and the
  // fields those problems are about (not reported twice).
  std::array<absl::flat_hash_set<int64_t>, kTableCount> rejected_lines;
  std::array<absl::flat_hash_set<std::pair<int64_t, std::string>>, kTableCount>
      reported_fields;
  std::vector<Problem> problems;

  Rows() {
    for (int t = 0; t < kTableCount; ++t) {
      file_names[t] = std::string(TableFileName(static_cast<Table>(t)));
      next_line[t] = 2;  // line 1 is the header
    }
  }

  int64_t Line(Table t, RowOrigin origin) {
    int64_t& next = next_line[Index(t)];
    if (origin.line > 0) {
      next = origin.line + 1;
      return origin.line;
    }
    return next++;
  }

  int32_t Column(Table t, absl::string_view field) const {
    const auto& map = columns[Index(t)];
    if (!map.empty()) {
      auto it = map.find(field);
      return it == map.end() ? 0 : it->second;
    }
    absl::Span<const absl::string_view> cols = TableColumns(t);
    for (size_t i = 0; i < cols.size(); ++i) {
      if (cols[i] == field) return static_cast<int32_t>(i + 1);
    }
    return 0;
  }

  void Add(Table t, int64_t line, absl::string_view field, std::string reason,
           bool warning) {
    Problem p;
    p.file = file_names[Index(t)];
    p.line = line;
    p.field = std::string(field);
    p.column = field.empty() ? 0 : Column(t, field);
    p.reason = std::move(reason);
    p.warning = warning;
    problems.push_back(std::move(p));
  }
};

namespace {

// Collects the problems of one row.
class RowCheck {
 public:
  RowCheck(NetworkBuilder::Rows* rows, Table table, int64_t line)
      : rows_(rows), table_(table), line_(line) {
    ok_ = !rows->rejected_lines[Index(table)].contains(line);
  }
  void Error(absl::string_view field, std::string reason) {
    ok_ = false;
    // A cell the loader could not parse is left absent; its problem is
    // already reported.
    if (rows_->reported_fields[Index(table_)].contains(
            std::pair(line_, std::string(field)))) {
      return;
    }
    rows_->Add(table_, line_, field, std::move(reason), false);
  }
  void Warning(absl::string_view field, std::string reason) {
    rows_->Add(table_, line_, field, std::move(reason), true);
  }
  bool ok() const { return ok_; }
  // Values of personal tables never appear in messages.
  std::string Quote(absl::string_view value) const {
    if (IsPersonalTable(table_)) return "";
    return absl::StrCat(" '", value, "'");
  }

 private:
  NetworkBuilder::Rows* rows_;
  Table table_;
  int64_t line_;
  bool ok_;
};

void CheckRequired(RowCheck& c, absl::string_view field,
                   const std::string& value) {
  if (value.empty()) c.Error(field, absl::StrCat(field, " is required"));
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

void CheckCommune(RowCheck& c, absl::string_view field,
                  const std::string& code) {
  if (!code.empty() && !IsCommuneCode(code)) {
    c.Error(field, absl::StrCat("malformed INSEE commune code", c.Quote(code)));
  }
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

// Id registry of one table: accepted ids, and ids of rejected rows (so that a
// reference to them says so instead of "unknown").
struct IdRegistry {
  absl::flat_hash_map<std::string, int32_t> index;
  absl::flat_hash_map<std::string, int64_t> first_line;
  absl::flat_hash_set<std::string> rejected;

  // Returns false (with an error) for a duplicate id.
  bool Claim(RowCheck& c, absl::string_view field, const std::string& id,
             int64_t line) {
    if (id.empty()) return true;  // reported as required
    auto [it, inserted] = first_line.emplace(id, line);
    if (!inserted) {
      c.Error(field, absl::StrCat("duplicate ", field, " '", id,
                                  "' (first at line ", it->second, ")"));
      return false;
    }
    return true;
  }
  // Resolves a reference; reports unknown or rejected targets.
  int32_t Resolve(RowCheck& c, absl::string_view field, const std::string& id,
                  absl::string_view target) const {
    if (id.empty()) return -1;
    if (auto it = index.find(id); it != index.end()) return it->second;
    if (rejected.contains(id)) {
      c.Error(field, absl::StrCat(field, " '", id, "' refers to a rejected ",
                                  target, " row"));
    } else {
      c.Error(field, absl::StrCat(field, " '", id, "' refers to no ", target));
    }
    return -1;
  }
};

}  // namespace

NetworkBuilder::NetworkBuilder() : rows_(std::make_unique<Rows>()) {}
NetworkBuilder::~NetworkBuilder() = default;
NetworkBuilder::NetworkBuilder(NetworkBuilder&&) noexcept = default;
NetworkBuilder& NetworkBuilder::operator=(NetworkBuilder&&) noexcept = default;

void NetworkBuilder::SetFileName(Table t, std::string file) {
  rows_->file_names[Index(t)] = std::move(file);
}

void NetworkBuilder::SetColumns(Table t, std::vector<std::string> header) {
  auto& map = rows_->columns[Index(t)];
  map.clear();
  for (size_t i = 0; i < header.size(); ++i) {
    map.emplace(std::move(header[i]), static_cast<int32_t>(i + 1));
  }
}

void NetworkBuilder::AddProblem(Table t, int64_t line, absl::string_view field,
                                std::string reason, bool warning) {
  rows_->Add(t, line, field, std::move(reason), warning);
  if (!warning && line > 0) {
    rows_->rejected_lines[Index(t)].insert(line);
    rows_->reported_fields[Index(t)].insert({line, std::string(field)});
  }
}

void NetworkBuilder::AddRejected(Table t, int64_t line, std::string id) {
  ++rows_->extra_rejected[Index(t)];
  if (!id.empty()) rows_->extra_rejected_ids[Index(t)].push_back(std::move(id));
  rows_->Line(t, RowOrigin{line});
}

bool NetworkBuilder::CheckHeader(Table t,
                                 const std::vector<std::string>& names) {
  bool ok = true;
  absl::Span<const absl::string_view> known = TableColumns(t);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const auto before = names.begin() + static_cast<std::ptrdiff_t>(i);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      // In a personal table a header-less file would show a person's values
      // here: the name is not repeated.
      AddProblem(
          t, 1, "",
          absl::StrCat("column ", i + 1, ": unknown column",
                       IsPersonalTable(t) ? "" : absl::StrCat(" '", name, "'"),
                       " (expected: ", absl::StrJoin(known, ", "), ")"));
      ok = false;
    } else if (std::find(names.begin(), before, name) != before) {
      AddProblem(
          t, 1, "",
          absl::StrCat("column ", i + 1, ": duplicate column '", name, "'"));
      ok = false;
    }
  }
  for (absl::string_view name : RequiredColumns(t)) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      AddProblem(t, 1, "",
                 absl::StrCat("missing required column '", name, "'"));
      ok = false;
    }
  }
  return ok;
}

std::string ProblemsMessage(const std::vector<Problem>& problems,
                            absl::string_view prefix, absl::string_view what) {
  std::vector<std::string> lines;
  int errors = 0;
  for (const Problem& p : problems) {
    if (p.warning) continue;
    if (++errors <= 20) lines.push_back(p.ToString());
  }
  std::string msg = absl::StrCat(prefix, errors, " ", what, ":\n",
                                 absl::StrJoin(lines, "\n"));
  if (errors > 20) absl::StrAppend(&msg, "\n... and ", errors - 20, " more");
  return msg;
}

void NetworkBuilder::AddSite(SiteRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kSites, origin);
  rows_->sites.push_back({std::move(row), line});
}
void NetworkBuilder::AddPartner(PartnerRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kPartners, origin);
  rows_->partners.push_back({std::move(row), line});
}
void NetworkBuilder::AddService(ServiceRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kServices, origin);
  rows_->services.push_back({std::move(row), line});
}
void NetworkBuilder::AddPerson(PersonRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kPersons, origin);
  rows_->persons.push_back({std::move(row), line});
}
void NetworkBuilder::AddNeed(NeedRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kNeeds, origin);
  rows_->needs.push_back({std::move(row), line});
}
void NetworkBuilder::AddSupport(SupportRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kSupports, origin);
  rows_->supports.push_back({std::move(row), line});
}
void NetworkBuilder::AddPartnership(PartnershipRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kPartnerships, origin);
  rows_->partnerships.push_back({std::move(row), line});
}
void NetworkBuilder::AddTravelTime(TravelTimeRow row, RowOrigin origin) {
  int64_t line = rows_->Line(Table::kTravelTimes, origin);
  rows_->travel_times.push_back({std::move(row), line});
}

BuildReport NetworkBuilder::BuildWithReport() && {
  Rows& rows = *rows_;
  auto data = std::make_shared<Network::Data>();
  BuildReport report;
  auto count = [&](Table t, bool ok) {
    TableCounts& c = report.counts[Index(t)];
    ++c.read;
    ++(ok ? c.loaded : c.rejected);
  };

  // --- sites ---
  IdRegistry site_ids;
  for (const std::string& id : rows.extra_rejected_ids[Index(Table::kSites)]) {
    site_ids.rejected.insert(id);
  }
  for (auto& [r, line] : rows.sites) {
    RowCheck c(&rows, Table::kSites, line);
    CheckRequired(c, "site_id", r.id);
    site_ids.Claim(c, "site_id", r.id, line);
    CheckRequired(c, "territory", r.territory);
    CheckCommune(c, "insee_com", r.insee_com);
    Site s;
    if (CheckLatLng(c, r.lat, r.lng) &&
        !ResolveLocation(r.lat, r.lng, r.insee_com, &s.lat, &s.lng)) {
      c.Error("lat", "location required: lat/lng, or a known insee_com");
    }
    count(Table::kSites, c.ok());
    if (!c.ok()) {
      if (!r.id.empty()) site_ids.rejected.insert(r.id);
      continue;
    }
    s.id = r.id;
    s.name = std::move(r.name);
    s.territory = std::move(r.territory);
    s.insee_com = std::move(r.insee_com);
    site_ids.index.emplace(s.id, static_cast<int32_t>(data->sites.size()));
    data->sites.push_back(std::move(s));
  }

  // --- partners ---
  IdRegistry partner_ids;
  for (const std::string& id :
       rows.extra_rejected_ids[Index(Table::kPartners)]) {
    partner_ids.rejected.insert(id);
  }
  for (auto& [r, line] : rows.partners) {
    RowCheck c(&rows, Table::kPartners, line);
    CheckRequired(c, "partner_id", r.id);
    partner_ids.Claim(c, "partner_id", r.id, line);
    if (site_ids.first_line.contains(r.id)) {
      c.Error("partner_id",
              absl::StrCat("partner_id '", r.id, "' is already a site_id"));
    }
    CheckCommune(c, "insee_com", r.insee_com);
    Partner p;
    if (CheckLatLng(c, r.lat, r.lng) &&
        !ResolveLocation(r.lat, r.lng, r.insee_com, &p.lat, &p.lng)) {
      c.Error("lat", "location required: lat/lng, or a known insee_com");
    }
    count(Table::kPartners, c.ok());
    if (!c.ok()) {
      if (!r.id.empty()) partner_ids.rejected.insert(r.id);
      continue;
    }
    p.id = r.id;
    p.name = std::move(r.name);
    p.kind = std::move(r.kind);
    p.insee_com = std::move(r.insee_com);
    partner_ids.index.emplace(p.id,
                              static_cast<int32_t>(data->partners.size()));
    data->partners.push_back(std::move(p));
  }

  // --- services ---
  IdRegistry service_ids;
  for (const std::string& id :
       rows.extra_rejected_ids[Index(Table::kServices)]) {
    service_ids.rejected.insert(id);
  }
  for (auto& [r, line] : rows.services) {
    RowCheck c(&rows, Table::kServices, line);
    Service s;
    CheckRequired(c, "service_id", r.id);
    service_ids.Claim(c, "service_id", r.id, line);
    CheckRequired(c, "partner_id", r.partner_id);
    const int32_t partner =
        partner_ids.Resolve(c, "partner_id", r.partner_id, "partner");
    if (r.thematiques.empty()) {
      c.Error("thematiques", "thematiques is required (at least one theme)");
    }
    for (const std::string& code : r.thematiques) {
      if (auto t = ParseTheme(code)) {
        s.themes.Add(*t);
      } else {
        c.Error("thematiques",
                absl::StrCat("unknown data·inclusion theme", c.Quote(code)));
      }
    }
    for (const std::string& code : r.publics) {
      if (auto p = ParsePublic(code)) {
        s.publics = static_cast<PublicSet>(s.publics | (1u << *p));
      } else {
        c.Error("publics",
                absl::StrCat("unknown data·inclusion public", c.Quote(code)));
      }
    }
    if (!r.modes_accueil.empty()) {
      s.modes = 0;
      for (const std::string& code : r.modes_accueil) {
        if (auto m = ParseMode(code)) {
          s.modes =
              static_cast<ModeSet>(s.modes | (1u << static_cast<int>(*m)));
        } else {
          c.Error("modes_accueil",
                  absl::StrCat("unknown mode d'accueil", c.Quote(code)));
        }
      }
    }
    for (const std::string& code : r.zone_eligibilite) {
      if (code == "france") {
        s.zone.france = true;
      } else if (IsDepartementCode(code)) {
        s.zone.departements.push_back(code);
      } else if (IsCommuneCode(code)) {
        s.zone.communes.push_back(code);
      } else {
        c.Error("zone_eligibilite",
                absl::StrCat("zone code is not 'france', a département or a "
                             "commune code",
                             c.Quote(code)));
      }
    }
    std::sort(s.zone.departements.begin(), s.zone.departements.end());
    std::sort(s.zone.communes.begin(), s.zone.communes.end());
    CheckCommune(c, "insee_com", r.insee_com);
    if (CheckLatLng(c, r.lat, r.lng)) {
      s.has_location =
          ResolveLocation(r.lat, r.lng, r.insee_com, &s.lat, &s.lng);
      // An in-person service without location is at its partner's; a
      // remote-only one may have none.
      if (!s.has_location && partner >= 0 && s.modes != kRemoteBit) {
        s.lat = data->partners[static_cast<size_t>(partner)].lat;
        s.lng = data->partners[static_cast<size_t>(partner)].lng;
        s.has_location = true;
      }
    }
    if (!r.capacity_available) {
      c.Error("capacity_available", "capacity_available is required");
    } else if (*r.capacity_available < 0) {
      c.Error("capacity_available", "negative capacity_available");
    } else if (*r.capacity_available > INT32_MAX / 4) {
      c.Error("capacity_available", "capacity_available too large");
    }
    if (r.capacity_max && *r.capacity_max < 0) {
      c.Error("capacity_max", "negative capacity_max");
    } else if (r.capacity_max && *r.capacity_max > INT32_MAX / 4) {
      c.Error("capacity_max", "capacity_max too large");
    } else if (r.capacity_max && r.capacity_available &&
               *r.capacity_available > *r.capacity_max) {
      c.Error("capacity_available",
              "capacity_available is greater than capacity_max");
    }
    for (auto [field, v] :
         {std::pair{"min_age", &r.min_age}, std::pair{"max_age", &r.max_age}}) {
      if (*v && (**v < 0 || **v > kMaxAge)) {
        c.Error(field, absl::StrCat(field, " out of range [0, ", kMaxAge, "]"));
      }
    }
    if (r.min_age && r.max_age && *r.min_age > *r.max_age) {
      c.Error("min_age", "min_age is greater than max_age");
    }
    count(Table::kServices, c.ok());
    if (!c.ok()) {
      if (!r.id.empty()) service_ids.rejected.insert(r.id);
      continue;
    }
    s.id = r.id;
    s.partner = PartnerId(partner);
    s.name = std::move(r.name);
    s.served = ServedThemes(s.themes);
    s.insee_com = std::move(r.insee_com);
    s.capacity_available = static_cast<int32_t>(*r.capacity_available);
    s.capacity_max =
        static_cast<int32_t>(r.capacity_max.value_or(*r.capacity_available));
    if (r.min_age) s.min_age = static_cast<int32_t>(*r.min_age);
    if (r.max_age) s.max_age = static_cast<int32_t>(*r.max_age);
    s.updated = std::move(r.updated);
    service_ids.index.emplace(s.id,
                              static_cast<int32_t>(data->services.size()));
    data->services.push_back(std::move(s));
  }

  // --- persons (personal: no values in messages) ---
  IdRegistry person_ids;
  for (const std::string& id :
       rows.extra_rejected_ids[Index(Table::kPersons)]) {
    person_ids.rejected.insert(id);
  }
  for (auto& [r, line] : rows.persons) {
    RowCheck c(&rows, Table::kPersons, line);
    Person p;
    CheckRequired(c, "person_id", r.id);
    person_ids.Claim(c, "person_id", r.id, line);
    CheckRequired(c, "site_id", r.site_id);
    const int32_t site = site_ids.Resolve(c, "site_id", r.site_id, "site");
    CheckCommune(c, "insee_com", r.insee_com);
    if (CheckLatLng(c, r.lat, r.lng) &&
        !ResolveLocation(r.lat, r.lng, r.insee_com, &p.lat, &p.lng) &&
        site >= 0) {
      p.lat = data->sites[static_cast<size_t>(site)].lat;
      p.lng = data->sites[static_cast<size_t>(site)].lng;
    }
    if (r.age && (*r.age < 0 || *r.age > kMaxAge)) {
      c.Error("age", absl::StrCat("age out of range [0, ", kMaxAge, "]"));
    }
    for (const std::string& code : r.publics) {
      if (auto pub = ParsePublic(code)) {
        p.publics = static_cast<PublicSet>(p.publics | (1u << *pub));
      } else {
        c.Error("publics", "unknown data·inclusion public code");
      }
    }
    if (r.max_distance_km &&
        (!std::isfinite(*r.max_distance_km) || *r.max_distance_km <= 0)) {
      c.Error("max_distance_km", "max_distance_km must be positive");
    }
    count(Table::kPersons, c.ok());
    if (!c.ok()) {
      if (!r.id.empty()) person_ids.rejected.insert(r.id);
      continue;
    }
    p.id = r.id;
    p.site = SiteId(site);
    p.insee_com = r.insee_com.empty()
                      ? data->sites[static_cast<size_t>(site)].insee_com
                      : std::move(r.insee_com);
    if (r.age) p.age = static_cast<int32_t>(*r.age);
    p.max_distance_km = r.max_distance_km;
    person_ids.index.emplace(p.id, static_cast<int32_t>(data->persons.size()));
    data->persons.push_back(std::move(p));
  }
  const size_t num_persons = data->persons.size();

  // --- needs (personal) ---
  {
    absl::flat_hash_map<std::pair<int32_t, ThemeId>, int64_t> seen;
    std::vector<Need> needs;
    for (auto& [r, line] : rows.needs) {
      RowCheck c(&rows, Table::kNeeds, line);
      Need n;
      CheckRequired(c, "person_id", r.person_id);
      const int32_t person =
          person_ids.Resolve(c, "person_id", r.person_id, "person");
      CheckRequired(c, "thematique", r.thematique);
      auto theme = ParseTheme(r.thematique);
      if (!r.thematique.empty() && !theme) {
        c.Error("thematique", "unknown data·inclusion theme");
      }
      if (!r.urgency) {
        c.Error("urgency", "urgency is required");
      } else if (*r.urgency < kMinUrgency || *r.urgency > kMaxUrgency) {
        c.Error("urgency", absl::StrCat("urgency out of range [", kMinUrgency,
                                        ", ", kMaxUrgency, "]"));
      }
      if (person >= 0 && theme) {
        auto [it, inserted] = seen.emplace(std::pair{person, *theme}, line);
        if (!inserted && c.ok()) {
          c.Error("thematique",
                  absl::StrCat("duplicate need of the same person and theme "
                               "(first at line ",
                               it->second, ")"));
        }
      }
      count(Table::kNeeds, c.ok());
      if (!c.ok()) continue;
      n.person = PersonId(person);
      n.theme = *theme;
      n.urgency = static_cast<int32_t>(*r.urgency);
      needs.push_back(n);
    }
    std::stable_sort(
        needs.begin(), needs.end(),
        [](const Need& a, const Need& b) { return a.person < b.person; });
    data->needs = std::move(needs);
    data->need_begin.assign(num_persons + 1, 0);
    for (const Need& n : data->needs) ++data->need_begin[n.person.value() + 1];
    for (size_t i = 0; i < num_persons; ++i) {
      data->need_begin[i + 1] += data->need_begin[i];
    }
  }

  // --- supports (personal) ---
  {
    absl::flat_hash_set<std::tuple<int32_t, int32_t, ThemeId>> seen;
    std::vector<std::pair<Support, int64_t>> supports;
    for (auto& [r, line] : rows.supports) {
      RowCheck c(&rows, Table::kSupports, line);
      CheckRequired(c, "person_id", r.person_id);
      CheckRequired(c, "service_id", r.service_id);
      CheckRequired(c, "thematique", r.thematique);
      CheckRequired(c, "status", r.status);
      const int32_t person =
          person_ids.Resolve(c, "person_id", r.person_id, "person");
      const int32_t service =
          service_ids.Resolve(c, "service_id", r.service_id, "service");
      auto theme = ParseTheme(r.thematique);
      if (!r.thematique.empty() && !theme) {
        c.Error("thematique", "unknown data·inclusion theme");
      }
      auto status = ParseSupportStatus(r.status);
      if (!r.status.empty() && !status) {
        c.Error("status",
                "unknown status (current, accepted, refused, completed)");
      }
      if (c.ok() && !seen.insert({person, service, *theme}).second) {
        c.Error("service_id",
                "duplicate support of the same person, service and theme");
      }
      if (c.ok() &&
          !data->services[static_cast<size_t>(service)].served.Contains(
              *theme)) {
        c.Warning("thematique", "the service does not serve this theme");
      }
      count(Table::kSupports, c.ok());
      if (!c.ok()) continue;
      supports.push_back(
          {Support{PersonId(person), ServiceId(service), *theme, *status},
           line});
    }
    std::stable_sort(supports.begin(), supports.end(),
                     [](const auto& a, const auto& b) {
                       return a.first.person < b.first.person;
                     });
    data->pinned_service.assign(data->needs.size(), -1);
    data->pinned_places.assign(data->services.size(), 0);
    data->support_begin.assign(num_persons + 1, 0);
    for (auto& [s, line] : supports) {
      ++data->support_begin[s.person.value() + 1];
      if (s.status == SupportStatus::kCurrent ||
          s.status == SupportStatus::kAccepted) {
        const int32_t places = ++data->pinned_places[s.service.value()];
        const Service& service = data->services[s.service.value()];
        if (places > service.capacity_available) {
          rows.Add(Table::kSupports, line, "service_id",
                   absl::StrCat("more current/accepted supports than the ",
                                "service's capacity_available (",
                                service.capacity_available, ")"),
                   true);
        }
        // The need of the same theme, if any, is met by this service.
        const int32_t b = data->need_begin[s.person.value()];
        const int32_t e = data->need_begin[s.person.value() + 1];
        for (int32_t n = b; n < e; ++n) {
          if (data->needs[n].theme != s.theme) continue;
          if (data->pinned_service[n] < 0) {
            data->pinned_service[n] = s.service.value();
          } else {
            rows.Add(Table::kSupports, line, "thematique",
                     "this need is already met by another current/accepted "
                     "support",
                     true);
          }
        }
      }
      data->supports.push_back(s);
    }
    for (size_t i = 0; i < num_persons; ++i) {
      data->support_begin[i + 1] += data->support_begin[i];
    }
  }

  // --- partnerships ---
  absl::flat_hash_map<std::tuple<int, int32_t, int32_t, int32_t>, int64_t>
      seen_partnerships;
  for (auto& [r, line] : rows.partnerships) {
    RowCheck c(&rows, Table::kPartnerships, line);
    CheckRequired(c, "from_id", r.from_id);
    CheckRequired(c, "to_id", r.to_id);
    CheckRequired(c, "kind", r.kind);
    auto kind = ParsePartnershipKind(r.kind);
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
    if (kind && !r.from_id.empty() && !r.to_id.empty()) {
      p.kind = *kind;
      if (*kind == PartnershipKind::kConvention) {
        // site <-> partner, either order.
        bool from_is_site = site_ids.first_line.contains(r.from_id);
        const std::string& site_id = from_is_site ? r.from_id : r.to_id;
        const std::string& partner_id = from_is_site ? r.to_id : r.from_id;
        const char* site_field = from_is_site ? "from_id" : "to_id";
        const char* partner_field = from_is_site ? "to_id" : "from_id";
        if (!site_ids.first_line.contains(site_id)) {
          c.Error("from_id",
                  absl::StrCat("a convention links a site and a partner; '",
                               r.from_id, "' and '", r.to_id,
                               "' are not a site and a partner"));
        } else {
          p.site = SiteId(site_ids.Resolve(c, site_field, site_id, "site"));
          p.partner_a = PartnerId(
              partner_ids.Resolve(c, partner_field, partner_id, "partner"));
        }
      } else {
        p.partner_a =
            PartnerId(partner_ids.Resolve(c, "from_id", r.from_id, "partner"));
        p.partner_b =
            PartnerId(partner_ids.Resolve(c, "to_id", r.to_id, "partner"));
        if (r.from_id == r.to_id) {
          c.Error("to_id", "a cooperation links two different partners");
        }
      }
    }
    if (c.ok()) {
      // The same edge twice (a cooperation in either direction).
      int32_t a = p.partner_a.value(), bb = p.partner_b.value();
      if (p.kind == PartnershipKind::kCooperation && bb < a) std::swap(a, bb);
      auto [it, inserted] = seen_partnerships.emplace(
          std::tuple(static_cast<int>(p.kind), p.site.value(), a, bb), line);
      if (!inserted) {
        c.Error("to_id", absl::StrCat("duplicate partnership (first at line ",
                                      it->second, ")"));
      }
    }
    count(Table::kPartnerships, c.ok());
    if (!c.ok()) continue;
    p.strength = *r.strength;
    data->partnerships.push_back(p);
  }

  // --- travel times ---
  {
    absl::flat_hash_set<std::pair<std::string, int32_t>> seen;
    for (auto& [r, line] : rows.travel_times) {
      RowCheck c(&rows, Table::kTravelTimes, line);
      CheckRequired(c, "from_insee_com", r.from_insee_com);
      CheckCommune(c, "from_insee_com", r.from_insee_com);
      CheckRequired(c, "service_id", r.service_id);
      const int32_t service =
          service_ids.Resolve(c, "service_id", r.service_id, "service");
      if (!r.minutes) {
        c.Error("minutes", "minutes is required");
      } else if (!std::isfinite(*r.minutes) || *r.minutes < 0) {
        c.Error("minutes", "minutes must be a non-negative number");
      }
      if (c.ok() && !seen.insert({r.from_insee_com, service}).second) {
        c.Error("service_id",
                "duplicate travel time for this commune and "
                "service");
      }
      count(Table::kTravelTimes, c.ok());
      if (!c.ok()) continue;
      data->travel_times.push_back(TravelTime{std::move(r.from_insee_com),
                                              ServiceId(service), *r.minutes});
    }
    std::sort(data->travel_times.begin(), data->travel_times.end(),
              [](const TravelTime& a, const TravelTime& b) {
                return std::tie(a.from_insee_com, a.service) <
                       std::tie(b.from_insee_com, b.service);
              });
  }

  // Rows that could not even be parsed into a row.
  for (int t = 0; t < kTableCount; ++t) {
    report.counts[t].read += rows.extra_rejected[t];
    report.counts[t].rejected += rows.extra_rejected[t];
  }

  data->site_index = std::move(site_ids.index);
  data->partner_index = std::move(partner_ids.index);
  data->service_index = std::move(service_ids.index);
  data->person_index = std::move(person_ids.index);
  ComputePartnerReach(data.get());

  // Problems in table, then line order (stable: a row's problems keep their
  // field order).
  absl::flat_hash_map<std::string, int> table_of_file;
  for (int t = 0; t < kTableCount; ++t) table_of_file[rows.file_names[t]] = t;
  std::stable_sort(rows.problems.begin(), rows.problems.end(),
                   [&](const Problem& a, const Problem& b) {
                     return std::pair(table_of_file[a.file], a.line) <
                            std::pair(table_of_file[b.file], b.line);
                   });
  report.problems = std::move(rows.problems);
  report.network = Network(std::move(data));
  return report;
}

absl::StatusOr<Network> NetworkBuilder::Build() && {
  BuildReport report = std::move(*this).BuildWithReport();
  if (!report.ok()) {
    return absl::InvalidArgumentError(
        ProblemsMessage(report.problems, "", "invalid row(s)"));
  }
  return std::move(report.network);
}

bool BuildReport::ok() const {
  for (const TableCounts& c : counts) {
    if (c.rejected > 0) return false;
  }
  return true;
}

}  // namespace maillage
