// The columns of the 8 native tables (maillage/schema.h).

#include "maillage/schema.h"

#include <type_traits>
#include <vector>

namespace maillage {
namespace {

// By Table.
constexpr absl::string_view kFileNames[kNumTables] = {
    "sites.csv", "partners.csv", "services.csv",     "persons.csv",
    "needs.csv", "supports.csv", "partnerships.csv", "travel_times.csv"};

// A column of the field `f`; its cell type follows from the field's type.
enum Need : uint8_t { kOptional = 0, kRequired = 1, kAlwaysSet = 2 };

template <typename Row, typename Field>
constexpr Column<Row> Col(absl::string_view name, Field Row::*f,
                          Need need = kOptional) {
  Column<Row> c;
  c.info = {name, CellType::kText, need == kRequired, need != kOptional};
  if constexpr (std::is_same_v<Field, std::string>) {
    c.text = f;
  } else if constexpr (std::is_same_v<Field, std::vector<std::string>>) {
    c.info.type = CellType::kList;
    c.list = f;
  } else if constexpr (std::is_same_v<Field, absl::optional<double>>) {
    c.info.type = CellType::kNumber;
    c.number = f;
  } else {
    static_assert(std::is_same_v<Field, absl::optional<int64_t>>);
    c.info.type = CellType::kInteger;
    c.integer = f;
  }
  return c;
}

constexpr Column<SiteRow> kSiteColumns[] = {
    Col("site_id", &SiteRow::id, kRequired),
    Col("name", &SiteRow::name),
    Col("territory", &SiteRow::territory, kRequired),
    Col("insee_com", &SiteRow::insee_com),
    Col("lat", &SiteRow::lat, kAlwaysSet),
    Col("lng", &SiteRow::lng, kAlwaysSet),
};
constexpr Column<PartnerRow> kPartnerColumns[] = {
    Col("partner_id", &PartnerRow::id, kRequired),
    Col("name", &PartnerRow::name),
    Col("kind", &PartnerRow::kind),
    Col("insee_com", &PartnerRow::insee_com),
    Col("lat", &PartnerRow::lat, kAlwaysSet),
    Col("lng", &PartnerRow::lng, kAlwaysSet),
    Col("siret", &PartnerRow::siret),
    Col("reseaux_porteurs", &PartnerRow::reseaux_porteurs),
    Col("updated", &PartnerRow::updated),
};
constexpr Column<ServiceRow> kServiceColumns[] = {
    Col("service_id", &ServiceRow::id, kRequired),
    Col("partner_id", &ServiceRow::partner_id, kRequired),
    Col("name", &ServiceRow::name),
    Col("thematiques", &ServiceRow::thematiques, kRequired),
    Col("publics", &ServiceRow::publics),
    Col("modes_accueil", &ServiceRow::modes_accueil),
    Col("zone_eligibilite", &ServiceRow::zone_eligibilite),
    Col("insee_com", &ServiceRow::insee_com),
    Col("lat", &ServiceRow::lat),
    Col("lng", &ServiceRow::lng),
    Col("capacity_available", &ServiceRow::capacity_available),
    Col("capacity_max", &ServiceRow::capacity_max),
    Col("min_age", &ServiceRow::min_age),
    Col("max_age", &ServiceRow::max_age),
    Col("updated", &ServiceRow::updated),
    Col("types", &ServiceRow::types),
    Col("frais", &ServiceRow::frais),
    Col("modes_mobilisation", &ServiceRow::modes_mobilisation),
    Col("mobilisable_par", &ServiceRow::mobilisable_par),
    Col("lien_mobilisation", &ServiceRow::lien_mobilisation),
    Col("horaires_accueil", &ServiceRow::horaires_accueil),
    Col("conditions_acces", &ServiceRow::conditions_acces),
    Col("score_qualite", &ServiceRow::score_qualite),
};
constexpr Column<PersonRow> kPersonColumns[] = {
    Col("person_id", &PersonRow::id, kRequired),
    Col("site_id", &PersonRow::site_id, kRequired),
    Col("insee_com", &PersonRow::insee_com, kAlwaysSet),
    Col("lat", &PersonRow::lat, kAlwaysSet),
    Col("lng", &PersonRow::lng, kAlwaysSet),
    Col("age", &PersonRow::age),
    Col("publics", &PersonRow::publics),
    Col("max_distance_km", &PersonRow::max_distance_km),
};
constexpr Column<NeedRow> kNeedColumns[] = {
    Col("person_id", &NeedRow::person_id, kRequired),
    Col("thematique", &NeedRow::thematique, kRequired),
    Col("urgency", &NeedRow::urgency, kRequired),
};
constexpr Column<SupportRow> kSupportColumns[] = {
    Col("person_id", &SupportRow::person_id, kRequired),
    Col("service_id", &SupportRow::service_id, kRequired),
    Col("thematique", &SupportRow::thematique, kRequired),
    Col("status", &SupportRow::status, kRequired),
};
constexpr Column<PartnershipRow> kPartnershipColumns[] = {
    Col("from_id", &PartnershipRow::from_id, kRequired),
    Col("to_id", &PartnershipRow::to_id, kRequired),
    Col("kind", &PartnershipRow::kind, kRequired),
    Col("strength", &PartnershipRow::strength, kRequired),
};
constexpr Column<TravelTimeRow> kTravelTimeColumns[] = {
    Col("from_insee_com", &TravelTimeRow::from_insee_com, kRequired),
    Col("service_id", &TravelTimeRow::service_id, kRequired),
    Col("minutes", &TravelTimeRow::minutes, kRequired),
};

template <typename Row>
std::vector<ColumnInfo> InfoOf() {
  std::vector<ColumnInfo> out;
  for (const Column<Row>& c : Columns<Row>()) out.push_back(c.info);
  return out;
}

}  // namespace

#define MAILLAGE_SCHEMA_ROW_(Row, table, columns) \
  template <>                                     \
  absl::Span<const Column<Row>> Columns<Row>() {  \
    return columns;                               \
  }                                               \
  template <>                                     \
  Table TableOf<Row>() {                          \
    return table;                                 \
  }
MAILLAGE_SCHEMA_ROW_(SiteRow, Table::kSites, kSiteColumns)
MAILLAGE_SCHEMA_ROW_(PartnerRow, Table::kPartners, kPartnerColumns)
MAILLAGE_SCHEMA_ROW_(ServiceRow, Table::kServices, kServiceColumns)
MAILLAGE_SCHEMA_ROW_(PersonRow, Table::kPersons, kPersonColumns)
MAILLAGE_SCHEMA_ROW_(NeedRow, Table::kNeeds, kNeedColumns)
MAILLAGE_SCHEMA_ROW_(SupportRow, Table::kSupports, kSupportColumns)
MAILLAGE_SCHEMA_ROW_(PartnershipRow, Table::kPartnerships, kPartnershipColumns)
MAILLAGE_SCHEMA_ROW_(TravelTimeRow, Table::kTravelTimes, kTravelTimeColumns)
#undef MAILLAGE_SCHEMA_ROW_

absl::string_view TableFileName(Table t) {
  return kFileNames[static_cast<size_t>(t)];
}

absl::string_view TableName(Table t) {
  absl::string_view file = TableFileName(t);
  return file.substr(0, file.size() - 4);  // without ".csv"
}

bool IsOptionalTable(Table t) {
  return t == Table::kSupports || t == Table::kPartnerships ||
         t == Table::kTravelTimes;
}

bool IsPersonalTable(Table t) {
  return t == Table::kPersons || t == Table::kNeeds || t == Table::kSupports;
}

absl::Span<const ColumnInfo> TableColumns(Table t) {
  static const auto* const all = [] {
    auto* tables = new std::array<std::vector<ColumnInfo>, kNumTables>;
    NetworkRows none;
    ForEachTable(none, [&](Table table, auto& rows) {
      using Row = typename std::decay_t<decltype(rows)>::value_type;
      (*tables)[static_cast<size_t>(table)] = InfoOf<Row>();
    });
    return tables;
  }();
  return (*all)[static_cast<size_t>(t)];
}

int ColumnIndex(Table t, absl::string_view name) {
  absl::Span<const ColumnInfo> columns = TableColumns(t);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace maillage
