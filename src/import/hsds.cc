// Open Referral HSDS 3.x exports: a folder of tables, each `<table>.csv` or
// `<table>.json` (an array of records). Organizations become partners and
// services services (as data·inclusion structures and services are, with the
// same checks); the tables around them fill their fields. docs/import.md
// lists the mappings.

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "import/fields.h"
#include "import/importer.h"
#include "import/mapping.h"
#include "import/record.h"
#include "maillage/geo.h"
#include "maillage/import.h"
#include "maillage/vocabulary.h"

namespace maillage {
namespace import {
namespace {

namespace fs = std::filesystem;

// A table's records, kept to be joined to organizations and services.
struct Row {
  Value record;
  int64_t position = 0;
};
struct TableRows {
  int source = -1;  // -1: no such file
  std::vector<Row> rows;
};

// The file of `table` in `dir`, "" when there is none.
std::string TableFile(const fs::path& dir, absl::string_view table) {
  for (absl::string_view ext : {".csv", ".json"}) {
    const fs::path p = dir / absl::StrCat(table, ext);
    std::error_code ec;
    if (fs::exists(p, ec)) return p.string();
  }
  return "";
}

// Reads a whole table into memory (records that cannot be read rejected).
absl::Status ReadTable(Importer& imp, const fs::path& dir,
                       absl::string_view table, TableRows* out) {
  const std::string path = TableFile(dir, table);
  if (path.empty()) return absl::OkStatus();
  return ReadSource(imp, path, table, "id", [&](const Value& r, Where& w) {
    out->source = w.source();
    out->rows.push_back(Row{r, w.position()});
  });
}

std::string Text(const Value& v) {
  return v.kind == Value::Kind::kText || v.kind == Value::Kind::kNumber
             ? std::string(absl::StripAsciiWhitespace(v.text))
             : std::string();
}

// "MO,TU" -> "Mo,Tu" (RFC 5545 days as OpenStreetMap writes them).
std::string OsmDays(absl::string_view byday) {
  std::vector<std::string> days;
  for (absl::string_view d : absl::StrSplit(byday, ',', absl::SkipEmpty())) {
    std::string day(absl::StripAsciiWhitespace(d));
    // A leading ordinal ("1MO") is kept as is: OSM has no simple form.
    if (day.size() == 2) {
      day = absl::StrCat(std::string(1, absl::ascii_toupper(day[0])),
                         std::string(1, absl::ascii_tolower(day[1])));
    }
    days.push_back(day);
  }
  return absl::StrJoin(days, ",");
}

// "09:00:00" -> "09:00".
std::string HourMinute(absl::string_view t) {
  return std::string(t.substr(0, std::min<size_t>(t.size(), 5)));
}

// A service_area's code, as zone_eligibilite writes it, or "".
std::string AreaCode(const Value& area) {
  for (absl::string_view field : {"code", "name", "uri"}) {
    std::string c = Text(area.Get(field));
    if (field == "uri") {
      const size_t slash = c.find_last_of('/');
      if (slash != std::string::npos) c = c.substr(slash + 1);
    }
    const std::string upper = absl::AsciiStrToUpper(c);
    if (upper == "FRANCE" || upper == "99100") return "france";
    if ((IsSirenCode(upper) && FindEpci(upper) != nullptr) ||
        (IsCommuneCode(upper) && FindCommune(upper) != nullptr) ||
        IsDepartementCode(upper)) {
      return upper;
    }
  }
  return "";
}

// The tables of HSDS 3 that maillage reads, and those it counts only.
constexpr absl::string_view kCountedOnly[] = {"language",
                                              "phone",
                                              "contact",
                                              "program",
                                              "funding",
                                              "accessibility",
                                              "cost_option",
                                              "required_document",
                                              "organization_identifier",
                                              "url",
                                              "metadata",
                                              "meta_table_description",
                                              "taxonomy"};

}  // namespace
}  // namespace import

absl::StatusOr<ImportResult> ImportHsds(const std::string& dir,
                                        const ImportOptions& options) {
  using import::Row;
  using import::TableRows;
  using import::Text;
  using import::Value;
  using import::Where;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat(dir, ": not a folder"));
  }
  const std::filesystem::path root(dir);
  if (import::TableFile(root, "organization").empty() &&
      import::TableFile(root, "service").empty()) {
    return absl::NotFoundError(
        absl::StrCat(dir,
                     ": no organization or service table (organization.csv, "
                     "service.json...)"));
  }
  return base::ExhaustedOnBadAlloc(
      "ImportHsds", [&]() -> absl::StatusOr<ImportResult> {
        import::Importer imp(options);
        // Organizations: partners.
        const std::string org_file = import::TableFile(root, "organization");
        absl::flat_hash_map<std::string, std::vector<size_t>> locations_of_org;
        TableRows location, address, sal, capacity, unit, area, schedule, term,
            attribute;
        // The tables joined to organizations and services first.
        for (auto [name, table] :
             {std::pair{"location", &location}, std::pair{"address", &address},
              std::pair{"service_at_location", &sal}, std::pair{"unit", &unit},
              std::pair{"taxonomy_term", &term},
              std::pair{"attribute", &attribute}}) {
          MAILLAGE_RETURN_IF_ERROR(import::ReadTable(imp, root, name, table));
        }
        absl::flat_hash_map<std::string, size_t> location_index, unit_index,
            term_index;
        absl::flat_hash_map<std::string, size_t> address_of_location;
        std::vector<bool> location_used(location.rows.size());
        std::vector<bool> address_used(address.rows.size());
        for (size_t i = 0; i < location.rows.size(); ++i) {
          location_index.emplace(Text(location.rows[i].record.Get("id")), i);
          locations_of_org[Text(location.rows[i].record.Get("organization_id"))]
              .push_back(i);
        }
        for (size_t i = 0; i < address.rows.size(); ++i) {
          address_of_location.emplace(
              Text(address.rows[i].record.Get("location_id")), i);
        }
        for (size_t i = 0; i < unit.rows.size(); ++i) {
          unit_index.emplace(Text(unit.rows[i].record.Get("id")), i);
        }
        for (size_t i = 0; i < term.rows.size(); ++i) {
          term_index.emplace(Text(term.rows[i].record.Get("id")), i);
        }
        // The place of a location: its coordinates, its address's postal
        // code and city, an INSEE code as its external identifier.
        auto place_of = [&](size_t loc, Where& w) {
          const Value& l = location.rows[loc].record;
          location_used[loc] = true;
          import::PlaceFields pf;
          pf.latitude = &l.Get("latitude");
          pf.longitude = &l.Get("longitude");
          pf.latitude_name = "location.latitude";
          pf.longitude_name = "location.longitude";
          const std::string id_type =
              absl::AsciiStrToLower(Text(l.Get("external_identifier_type")));
          if (id_type == "insee" || id_type == "code_insee") {
            pf.code_insee = &l.Get("external_identifier");
            pf.code_insee_name = "location.external_identifier";
          }
          if (auto it = address_of_location.find(Text(l.Get("id")));
              it != address_of_location.end()) {
            const Value& a = address.rows[it->second].record;
            address_used[it->second] = true;
            pf.code_postal = &a.Get("postal_code");
            pf.code_postal_name = "address.postal_code";
            pf.commune = &a.Get("city");
          }
          return import::PlaceOf(pf, w);
        };
        if (!org_file.empty()) {
          MAILLAGE_RETURN_IF_ERROR(import::ReadSource(
              imp, org_file, "organization", "id",
              [&](const Value& r, Where& w) {
                import::Fields f(r);
                PartnerRow row;
                row.id = import::IdOf(f["id"], w, "id");
                if (row.id.empty()) {
                  w.Reject("id", "id is required");
                  return;
                }
                row.name = import::TextOf(f["name"], w, "name");
                std::string tax = import::IdOf(f["tax_id"], w, "tax_id");
                tax.erase(std::remove(tax.begin(), tax.end(), ' '), tax.end());
                if (tax.size() == 14 &&
                    tax.find_first_not_of("0123456789") == std::string::npos) {
                  row.siret = tax;
                  w.Map("hsds organization.tax_id -> siret");
                }
                for (size_t loc : locations_of_org[row.id]) {
                  const std::string type = absl::AsciiStrToLower(
                      Text(location.rows[loc].record.Get("location_type")));
                  if (type == "virtual" || type == "postal") continue;
                  import::Place p = place_of(loc, w);
                  if (p.insee_com.empty() && !p.lat) continue;
                  row.insee_com = p.insee_com;
                  row.lat = p.lat;
                  row.lng = p.lng;
                  w.Map("hsds location -> partner place");
                  break;
                }
                f.CountIgnored(imp, w.source());
                imp.AddPartner(std::move(row), w);
              }));
        }
        // Services.
        absl::flat_hash_map<std::string, std::vector<size_t>> terms_of_service;
        std::vector<bool> attribute_used(attribute.rows.size());
        for (size_t i = 0; i < attribute.rows.size(); ++i) {
          const Value& a = attribute.rows[i].record;
          const std::string type =
              absl::AsciiStrToLower(Text(a.Get("link_type")));
          if (type.empty() || type == "service") {
            terms_of_service[Text(a.Get("link_id"))].push_back(i);
          }
        }
        absl::flat_hash_map<std::string, std::vector<size_t>> sal_of_service;
        std::vector<bool> sal_used(sal.rows.size());
        for (size_t i = 0; i < sal.rows.size(); ++i) {
          sal_of_service[Text(sal.rows[i].record.Get("service_id"))].push_back(
              i);
        }
        const std::string service_file = import::TableFile(root, "service");
        if (!service_file.empty()) {
          MAILLAGE_RETURN_IF_ERROR(import::ReadSource(
              imp, service_file, "service", "id",
              [&](const Value& r, Where& w) {
                import::Fields f(r);
                import::PendingService s;
                ServiceRow& row = s.row;
                row.id = import::IdOf(f["id"], w, "id");
                if (row.id.empty()) w.Reject("id", "id is required");
                s.structure_ref =
                    import::IdOf(f["organization_id"], w, "organization_id");
                if (s.structure_ref.empty()) {
                  w.Reject("organization_id", "organization_id is required");
                }
                row.name = import::TextOf(f["name"], w, "name");
                const std::string status =
                    absl::AsciiStrToLower(Text(f["status"]));
                if (status == "inactive" || status == "defunct") {
                  w.Reject("status",
                           absl::StrCat("status ", base::Quoted(status),
                                        ": not imported"));
                } else if (!status.empty() && status != "active") {
                  w.Warn("status", absl::StrCat("status ", base::Quoted(status),
                                                ": imported as active"));
                }
                for (auto [field, out] :
                     {std::pair{"minimum_age", &row.min_age},
                      std::pair{"maximum_age", &row.max_age}}) {
                  if (auto a = import::NumberOf(f[field], w, field)) {
                    if (*a >= 0 && *a <= 130 &&
                        *a == static_cast<int64_t>(*a)) {
                      *out = static_cast<int64_t>(*a);
                    } else {
                      w.Warn(field, absl::StrCat(field,
                                                 " is not an age in [0, "
                                                 "130]: dropped"));
                    }
                  }
                }
                if (row.min_age && row.max_age && *row.min_age > *row.max_age) {
                  w.Warn("minimum_age",
                         "minimum_age is greater than maximum_age: both "
                         "dropped");
                  row.min_age.reset();
                  row.max_age.reset();
                }
                row.updated =
                    import::DateOf(f["last_modified"], w, "last_modified");
                row.conditions_acces = import::TextOf(
                    f["eligibility_description"], w, "eligibility_description");
                if (!row.conditions_acces.empty()) {
                  w.Map("hsds eligibility_description -> conditions_acces");
                }
                row.lien_mobilisation = import::TextOf(f["url"], w, "url");
                // Themes, publics, modes, types from taxonomy terms.
                for (size_t a : terms_of_service[row.id]) {
                  const Value& at = attribute.rows[a].record;
                  const auto it =
                      term_index.find(Text(at.Get("taxonomy_term_id")));
                  if (it == term_index.end()) continue;
                  const Value& t = term.rows[it->second].record;
                  std::string code = Text(t.Get("code"));
                  if (code.empty()) code = Text(t.Get("name"));
                  bool used = true;
                  if (ParseTheme(code)) {
                    row.thematiques.push_back(code);
                  } else if (ParsePublic(code)) {
                    row.publics.push_back(code);
                  } else if (ParseMode(code)) {
                    row.modes_accueil.push_back(code);
                  } else if (ParseCode(Vocabulary::kServiceTypes, code)) {
                    row.types.push_back(code);
                  } else if (ParseCode(Vocabulary::kFrais, code)) {
                    row.frais.push_back(code);
                  } else {
                    used = false;
                  }
                  if (used) {
                    attribute_used[a] = true;
                    w.Map("hsds attribute + taxonomy_term -> codes");
                  }
                }
                for (auto* list :
                     {&row.thematiques, &row.publics, &row.modes_accueil,
                      &row.types, &row.frais}) {
                  std::sort(list->begin(), list->end());
                  list->erase(std::unique(list->begin(), list->end()),
                              list->end());
                }
                if (row.thematiques.empty()) {
                  w.Reject("",
                           "no data·inclusion theme among its taxonomy "
                           "terms (attribute, taxonomy_term): a service "
                           "needs one");
                }
                // Place and modes from its locations.
                bool physical = false, remote = false;
                for (size_t i : sal_of_service[row.id]) {
                  const auto it = location_index.find(
                      Text(sal.rows[i].record.Get("location_id")));
                  if (it == location_index.end()) continue;
                  sal_used[i] = true;
                  const std::string type = absl::AsciiStrToLower(Text(
                      location.rows[it->second].record.Get("location_type")));
                  if (type == "virtual") {
                    remote = true;
                    location_used[it->second] = true;
                    continue;
                  }
                  physical = true;
                  if (!row.insee_com.empty() || row.lat) continue;
                  import::Place p = place_of(it->second, w);
                  row.insee_com = p.insee_com;
                  row.lat = p.lat;
                  row.lng = p.lng;
                  if (!p.insee_com.empty() || p.lat) {
                    w.Map("hsds service_at_location + location -> place");
                  }
                }
                if (row.modes_accueil.empty() && (physical || remote)) {
                  if (remote) row.modes_accueil.push_back("a-distance");
                  if (physical) row.modes_accueil.push_back("en-presentiel");
                  w.Map("hsds location_type -> modes_accueil");
                }
                f.CountIgnored(imp, w.source());
                if (!w.rejected()) imp.AddService(std::move(s), w);
              }));
        }
        // What fills the services: areas, schedules, capacities.
        for (auto [name, table] : {std::pair{"service_area", &area},
                                   std::pair{"schedule", &schedule},
                                   std::pair{"service_capacity", &capacity}}) {
          MAILLAGE_RETURN_IF_ERROR(import::ReadTable(imp, root, name, table));
        }
        auto service_of = [&](const Row& r,
                              Where& w) -> import::PendingService* {
          const std::string id = Text(r.record.Get("service_id"));
          import::PendingService* s =
              id.empty() ? nullptr : imp.FindService(id);
          if (s == nullptr || s->rejected) {
            w.Reject(
                "service_id",
                absl::StrCat("service_id ", base::Quoted(id),
                             s == nullptr ? " refers to no service"
                                          : " refers to a rejected service"));
            return nullptr;
          }
          return s;
        };
        for (const Row& r : area.rows) {
          Where w(&imp, area.source, r.position);
          import::PendingService* s = service_of(r, w);
          if (s == nullptr) continue;
          const std::string code = import::AreaCode(r.record);
          if (code.empty()) {
            w.Reject("",
                     "no zone code (france, a département, a commune, an "
                     "EPCI SIREN) in code, name or uri: not mapped");
            continue;
          }
          auto& zone = s->row.zone_eligibilite;
          if (std::find(zone.begin(), zone.end(), code) == zone.end()) {
            zone.push_back(code);
          }
          imp.CountImported(area.source);
          w.Map("hsds service_area -> zone_eligibilite");
        }
        for (const Row& r : schedule.rows) {
          Where w(&imp, schedule.source, r.position);
          import::PendingService* s = service_of(r, w);
          if (s == nullptr) continue;
          const std::string days = import::OsmDays(Text(r.record.Get("byday")));
          const std::string opens =
              import::HourMinute(Text(r.record.Get("opens_at")));
          const std::string closes =
              import::HourMinute(Text(r.record.Get("closes_at")));
          std::string text;
          if (!opens.empty() && !closes.empty()) {
            text =
                absl::StrCat(days, days.empty() ? "" : " ", opens, "-", closes);
          } else {
            text =
                import::TextOf(r.record.Get("description"), w, "description");
          }
          if (text.empty()) {
            w.Reject("", "no opens_at/closes_at nor description: not mapped");
            continue;
          }
          std::string& h = s->row.horaires_accueil;
          h = h.empty() ? text : absl::StrCat(h, "; ", text);
          imp.CountImported(schedule.source);
          w.Map("hsds schedule -> horaires_accueil");
        }
        for (const Row& r : capacity.rows) {
          Where w(&imp, capacity.source, r.position);
          Value c = r.record;
          const std::string unit_id = Text(r.record.Get("unit_id"));
          if (!unit_id.empty()) {
            const auto it = unit_index.find(unit_id);
            Value name;
            name.kind = Value::Kind::kText;
            name.text = it == unit_index.end()
                            ? unit_id
                            : Text(unit.rows[it->second].record.Get("name"));
            c.fields.emplace_back("unit", std::move(name));
            if (it != unit_index.end()) imp.Map("hsds unit -> capacity unit");
          }
          if (import::AddCapacity(imp, c, w)) {
            w.Map("hsds service_capacity -> capacity");
          }
        }
        // The joined tables: a row used is imported, the others rejected.
        auto settle = [&](TableRows& t, const std::vector<bool>& used,
                          absl::string_view why) {
          for (size_t i = 0; i < t.rows.size(); ++i) {
            if (used[i]) {
              imp.CountImported(t.source);
            } else {
              Where w(&imp, t.source, t.rows[i].position);
              w.Reject("", std::string(why));
            }
          }
        };
        settle(location, location_used,
               "not the location of an imported organization or service");
        settle(address, address_used, "not the address of a location used");
        settle(sal, sal_used, "refers to no location");
        settle(attribute, attribute_used,
               "not a data·inclusion code (theme, public, mode, type, frais) "
               "of a service: not mapped");
        std::vector<bool> all(unit.rows.size(), true);
        settle(unit, all, "");
        all.assign(term.rows.size(), true);
        settle(term, all, "");
        // Tables counted, not imported.
        for (absl::string_view name : import::kCountedOnly) {
          const std::string path = import::TableFile(root, name);
          if (path.empty()) continue;
          int64_t n = 0;
          MAILLAGE_RETURN_IF_ERROR(
              import::ReadRecords(path, options.max_file_bytes,
                                  [&](import::RecordEvent&) { ++n; }));
          imp.Map(absl::StrCat("hsds ", name, ": records not imported"), n);
        }
        return std::move(imp).Finish();
      });
}

}  // namespace maillage
