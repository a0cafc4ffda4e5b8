// The native tables, their rows and their columns: the one description of
// the data format that every reader and writer derives from.
//
// A network is 8 tables (sites, partners, services, persons, needs and the
// optional supports, partnerships, travel times). Each table has a row struct
// (`SiteRow`...) whose fields are the table's columns as written in the CSV
// files: strings, '|' lists, numbers and integers, with absent cells as empty
// strings, empty lists and empty optionals. `TableColumns` describes the
// columns (name, cell type, required or not) and `Columns<Row>()` ties each
// column to its field, so that the folder reader and writer, the DataFrame
// conversions of the Python package, the generator and the tests' equality all
// work column by column from here: a new column is added in one place.
//
// Example:
//   for (const maillage::ColumnInfo& c : maillage::TableColumns(Table::kSites))
//     std::cout << c.name << (c.required ? " (required)" : "") << "\n";
//   maillage::SiteRow row;
//   for (const maillage::Column<maillage::SiteRow>& c :
//        maillage::Columns<maillage::SiteRow>()) {
//     if (c.text != nullptr) row.*c.text = "...";
//   }
//
// Everything here is constant data and pure functions: thread-safe.

#ifndef MAILLAGE_SCHEMA_H_
#define MAILLAGE_SCHEMA_H_

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"

namespace maillage {

// The tables of the native format, in load order.
enum class Table : uint8_t {
  kSites,
  kPartners,
  kServices,
  kPersons,
  kNeeds,
  kSupports,
  kPartnerships,
  kTravelTimes,
};
inline constexpr int kNumTables = 8;
inline constexpr std::array<Table, kNumTables> kTables = {
    Table::kSites, Table::kPartners, Table::kServices,     Table::kPersons,
    Table::kNeeds, Table::kSupports, Table::kPartnerships, Table::kTravelTimes};

// "sites.csv", "partners.csv", ...
absl::string_view TableFileName(Table t);
// "sites", "partners", ...: the file name without ".csv" (the name of a
// table's DataFrame in the Python package).
absl::string_view TableName(Table t);
// True for the tables that may be absent: supports, partnerships, travel
// times.
bool IsOptionalTable(Table t);
// True for the tables about people (persons, needs, supports), whose values
// never appear in messages.
bool IsPersonalTable(Table t);

// How a cell is written.
enum class CellType : uint8_t {
  kText,     // as is
  kList,     // items separated by '|', none empty
  kNumber,   // a finite decimal number ("45.76", "-3", "1e3")
  kInteger,  // a base-10 64-bit integer
};

struct ColumnInfo {
  absl::string_view name;
  CellType type = CellType::kText;
  // A required column must be in the table's header (or DataFrame), and its
  // cells must not be absent.
  bool required = false;
  // Always given in the rows of a built network (`RowsOf`): required, or
  // filled in by the builder (a location resolved, capacity_max defaulting
  // to capacity_available...).
  bool always_set = false;
};

// The columns of a table, in their order in the files the library writes.
absl::Span<const ColumnInfo> TableColumns(Table t);
// The 0-based position of `name` in TableColumns(t), or -1.
int ColumnIndex(Table t, absl::string_view name);

// --- Rows -------------------------------------------------------------------
// One struct per table, one field per column (same names, except the id
// column, `id`). Empty strings, empty lists and empty optionals are absent
// cells.

struct SiteRow {
  std::string id, name, territory, insee_com;
  absl::optional<double> lat, lng;
  friend bool operator==(const SiteRow&, const SiteRow&) = default;
};
struct PartnerRow {
  std::string id, name, kind, insee_com;
  absl::optional<double> lat, lng;
  std::string siret;                          // 14 digits
  std::vector<std::string> reseaux_porteurs;  // data·inclusion codes
  std::string updated;                        // ISO date (date_maj)
  friend bool operator==(const PartnerRow&, const PartnerRow&) = default;
};
struct ServiceRow {
  std::string id, partner_id, name;
  std::vector<std::string> thematiques, publics, modes_accueil,
      zone_eligibilite;
  std::string insee_com;
  absl::optional<double> lat, lng;
  // capacity_available absent: capacity unknown (see docs/format.md).
  absl::optional<int64_t> capacity_available, capacity_max, min_age, max_age;
  std::string updated;  // ISO date (date_maj)
  // What data·inclusion records carry besides: `Vocabulary` codes, and text
  // kept as it is (horaires_accueil: OpenStreetMap opening_hours syntax).
  std::vector<std::string> types, frais, modes_mobilisation, mobilisable_par;
  std::string lien_mobilisation, horaires_accueil, conditions_acces;
  absl::optional<double> score_qualite;  // in [0, 1]
  friend bool operator==(const ServiceRow&, const ServiceRow&) = default;
};
struct PersonRow {
  std::string id, site_id, insee_com;
  absl::optional<double> lat, lng;
  absl::optional<int64_t> age;
  std::vector<std::string> publics;
  absl::optional<double> max_distance_km;
  friend bool operator==(const PersonRow&, const PersonRow&) = default;
};
struct NeedRow {
  std::string person_id, thematique;
  absl::optional<int64_t> urgency;
  friend bool operator==(const NeedRow&, const NeedRow&) = default;
};
struct SupportRow {
  std::string person_id, service_id, thematique, status;
  friend bool operator==(const SupportRow&, const SupportRow&) = default;
};
struct PartnershipRow {
  std::string from_id, to_id, kind;
  absl::optional<double> strength;
  friend bool operator==(const PartnershipRow&,
                         const PartnershipRow&) = default;
};
struct TravelTimeRow {
  std::string from_insee_com, service_id;
  absl::optional<double> minutes;
  friend bool operator==(const TravelTimeRow&, const TravelTimeRow&) = default;
};

// The rows of every table.
struct NetworkRows {
  std::vector<SiteRow> sites;
  std::vector<PartnerRow> partners;
  std::vector<ServiceRow> services;
  std::vector<PersonRow> persons;
  std::vector<NeedRow> needs;
  std::vector<SupportRow> supports;
  std::vector<PartnershipRow> partnerships;
  std::vector<TravelTimeRow> travel_times;

  // The rows of the table of `Row`: rows.of<SiteRow>() is rows.sites.
  template <typename Row>
  std::vector<Row>& of();
  template <typename Row>
  const std::vector<Row>& of() const {
    return const_cast<NetworkRows*>(this)->of<Row>();
  }
  friend bool operator==(const NetworkRows&, const NetworkRows&) = default;
};

template <typename Row>
std::vector<Row>& NetworkRows::of() {
  if constexpr (std::is_same_v<Row, SiteRow>) return sites;
  if constexpr (std::is_same_v<Row, PartnerRow>) return partners;
  if constexpr (std::is_same_v<Row, ServiceRow>) return services;
  if constexpr (std::is_same_v<Row, PersonRow>) return persons;
  if constexpr (std::is_same_v<Row, NeedRow>) return needs;
  if constexpr (std::is_same_v<Row, SupportRow>) return supports;
  if constexpr (std::is_same_v<Row, PartnershipRow>) return partnerships;
  if constexpr (std::is_same_v<Row, TravelTimeRow>) return travel_times;
}

// Calls f(table, rows) for each table of `rows`, in table order, with rows
// the table's std::vector<...Row> (const or not, as `rows` is).
template <typename Rows, typename F>
void ForEachTable(Rows& rows, F&& f) {
  f(Table::kSites, rows.sites);
  f(Table::kPartners, rows.partners);
  f(Table::kServices, rows.services);
  f(Table::kPersons, rows.persons);
  f(Table::kNeeds, rows.needs);
  f(Table::kSupports, rows.supports);
  f(Table::kPartnerships, rows.partnerships);
  f(Table::kTravelTimes, rows.travel_times);
}

// A column of a table, with the field of its row that holds it: exactly one
// of the four member pointers is set, the one of `info.type`.
template <typename Row>
struct Column {
  ColumnInfo info;
  std::string Row::*text = nullptr;
  std::vector<std::string> Row::*list = nullptr;
  absl::optional<double> Row::*number = nullptr;
  absl::optional<int64_t> Row::*integer = nullptr;
};

// The columns of the table of `Row` (SiteRow ... TravelTimeRow), in the order
// of TableColumns(TableOf<Row>()).
template <typename Row>
absl::Span<const Column<Row>> Columns();
// The table whose rows are `Row`.
template <typename Row>
Table TableOf();

#define MAILLAGE_SCHEMA_ROW_(Row)               \
  template <>                                   \
  absl::Span<const Column<Row>> Columns<Row>(); \
  template <>                                   \
  Table TableOf<Row>();
MAILLAGE_SCHEMA_ROW_(SiteRow)
MAILLAGE_SCHEMA_ROW_(PartnerRow)
MAILLAGE_SCHEMA_ROW_(ServiceRow)
MAILLAGE_SCHEMA_ROW_(PersonRow)
MAILLAGE_SCHEMA_ROW_(NeedRow)
MAILLAGE_SCHEMA_ROW_(SupportRow)
MAILLAGE_SCHEMA_ROW_(PartnershipRow)
MAILLAGE_SCHEMA_ROW_(TravelTimeRow)
#undef MAILLAGE_SCHEMA_ROW_

}  // namespace maillage

#endif  // MAILLAGE_SCHEMA_H_
