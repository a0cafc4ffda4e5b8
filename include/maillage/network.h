// NetworkBuilder validates input rows and produces an immutable Network.
//
// Rows come in as strings and numbers, the way they are written in the native
// CSV format, in DataFrames, or by an application. `Build` checks every row
// (codes against the data·inclusion vocabularies, ranges, references between
// tables, duplicates) and reports every problem, not only the first. A row
// with a problem is rejected; rows that refer to a rejected row are rejected
// too, with their own problem. Nothing is dropped without a problem.
//
// Problems never quote the value of a person's field (persons, needs,
// supports): only the table, line, column, field name and reason.
//
// Example:
//   maillage::NetworkBuilder b;
//   b.AddSite({.id = "s1", .name = "ACI Gerland", .territory = "lyon",
//              .insee_com = "69387", .lat = 45.73, .lng = 4.83});
//   ...
//   absl::StatusOr<maillage::Network> net = std::move(b).Build();
//   if (!net.ok()) std::cerr << net.status();
//
// A Network is an immutable snapshot; copies share the same data (cheap), and
// all its methods are const and safe to call from several threads.

#ifndef MAILLAGE_NETWORK_H_
#define MAILLAGE_NETWORK_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "maillage/ids.h"
#include "maillage/model.h"

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
// "sites.csv", ...
absl::string_view TableFileName(Table t);
// The columns of a table in the native format, in order.
absl::Span<const absl::string_view> TableColumns(Table t);
// The columns a table must have (its header, its DataFrame); the others may
// be left out.
absl::Span<const absl::string_view> RequiredColumns(Table t);
// True for the tables that may be absent: supports, partnerships, travel
// times.
bool IsOptionalTable(Table t);
// True for tables about people, whose values never appear in messages.
bool IsPersonalTable(Table t);

// Where a row came from. `line` is the 1-based line in its file (the header
// is line 1), or for rows added by code, the row's 1-based index + 1.
struct RowOrigin {
  int64_t line = 0;
};

// One problem with the input. Rendered as `FILE:LINE:COLUMN: reason` where
// COLUMN is the 1-based field (column) index in the row.
struct Problem {
  std::string file;    // file name or path
  int64_t line = 0;    // 1-based, 0 when not tied to a row
  int32_t column = 0;  // 1-based field index, 0 when not tied to a field
  std::string field;   // column name, may be empty
  std::string reason;
  bool warning = false;  // warnings do not reject the row
  std::string ToString() const;
};

// Input rows. Empty strings / empty optionals are "absent" cells.
struct SiteRow {
  std::string id, name, territory, insee_com;
  absl::optional<double> lat, lng;
};
struct PartnerRow {
  std::string id, name, kind, insee_com;
  absl::optional<double> lat, lng;
};
struct ServiceRow {
  std::string id, partner_id, name;
  std::vector<std::string> thematiques, publics, modes_accueil,
      zone_eligibilite;
  std::string insee_com;
  absl::optional<double> lat, lng;
  absl::optional<int64_t> capacity_available, capacity_max, min_age, max_age;
  std::string updated;
};
struct PersonRow {
  std::string id, site_id, insee_com;
  absl::optional<double> lat, lng;
  absl::optional<int64_t> age;
  std::vector<std::string> publics;
  absl::optional<double> max_distance_km;
};
struct NeedRow {
  std::string person_id, thematique;
  absl::optional<int64_t> urgency;
};
struct SupportRow {
  std::string person_id, service_id, thematique, status;
};
struct PartnershipRow {
  std::string from_id, to_id, kind;
  absl::optional<double> strength;
};
struct TravelTimeRow {
  std::string from_insee_com, service_id;
  absl::optional<double> minutes;
};

// Rows read / loaded / rejected for one table.
struct TableCounts {
  int64_t read = 0;
  int64_t loaded = 0;
  int64_t rejected = 0;
};

class Network;

// What `NetworkBuilder::BuildWithReport` returns: the network of all accepted
// rows, every problem, and counts per table (read == loaded + rejected).
struct BuildReport;

class NetworkBuilder {
 public:
  NetworkBuilder();
  ~NetworkBuilder();
  NetworkBuilder(NetworkBuilder&&) noexcept;
  NetworkBuilder& operator=(NetworkBuilder&&) noexcept;

  // Name used for a table's file in problems (default: TableFileName).
  void SetFileName(Table t, std::string file);
  // Field name -> column index of a table's file, when its header orders the
  // columns differently from `TableColumns` (default: that order).
  void SetColumns(Table t, std::vector<std::string> header);
  // Adds a problem found before building (e.g. a malformed number), rejecting
  // the row of `table` at `line` when it is not a warning. Such rows must
  // still be added (with the cell left absent) or counted with `AddRejected`.
  void AddProblem(Table t, int64_t line, absl::string_view field,
                  std::string reason, bool warning = false);
  // Counts a row that could not be turned into a row at all (e.g. wrong
  // number of fields); its problem must have been added with AddProblem.
  // `id`, when known, is the row's id: references to it then say that they
  // refer to a rejected row.
  void AddRejected(Table t, int64_t line, std::string id = {});
  // Checks a table's column names (its file's header, its DataFrame's
  // columns): adds a problem at line 1 for each unknown, duplicate or
  // missing required column (an unknown column's name is not repeated for a
  // personal table). False when the table's rows must all be rejected.
  bool CheckHeader(Table t, const std::vector<std::string>& names);

  // Rows; `origin.line` 0 means "next row index".
  void AddSite(SiteRow row, RowOrigin origin = {});
  void AddPartner(PartnerRow row, RowOrigin origin = {});
  void AddService(ServiceRow row, RowOrigin origin = {});
  void AddPerson(PersonRow row, RowOrigin origin = {});
  void AddNeed(NeedRow row, RowOrigin origin = {});
  void AddSupport(SupportRow row, RowOrigin origin = {});
  void AddPartnership(PartnershipRow row, RowOrigin origin = {});
  void AddTravelTime(TravelTimeRow row, RowOrigin origin = {});

  // Validates everything and builds the network of accepted rows.
  BuildReport BuildWithReport() &&;
  // As BuildWithReport, but an InvalidArgument error listing the problems
  // (up to 20, then a count) when any row was rejected.
  absl::StatusOr<Network> Build() &&;

  struct Rows;  // implementation detail

 private:
  std::unique_ptr<Rows> rows_;
};

// Travel time from a commune to a service, when a table was given.
struct TravelTime {
  std::string from_insee_com;
  ServiceId service;
  double minutes = 0;
};

class Network {
 public:
  // An empty network.
  Network();

  absl::Span<const Site> sites() const;
  absl::Span<const Partner> partners() const;
  absl::Span<const Service> services() const;
  absl::Span<const Person> persons() const;
  // All needs, grouped by person in person order.
  absl::Span<const Need> needs() const;
  absl::Span<const Support> supports() const;
  absl::Span<const Partnership> partnerships() const;
  absl::Span<const TravelTime> travel_times() const;

  const Site& site(SiteId id) const { return sites()[id.value()]; }
  const Partner& partner(PartnerId id) const { return partners()[id.value()]; }
  const Service& service(ServiceId id) const { return services()[id.value()]; }
  const Person& person(PersonId id) const { return persons()[id.value()]; }
  const Need& need(NeedId id) const { return needs()[id.value()]; }

  // Needs of a person: ids [first, last) in `needs()`.
  NeedId first_need(PersonId p) const;
  NeedId end_need(PersonId p) const;

  absl::optional<SiteId> FindSite(absl::string_view id) const;
  absl::optional<PartnerId> FindPartner(absl::string_view id) const;
  absl::optional<ServiceId> FindService(absl::string_view id) const;
  absl::optional<PersonId> FindPerson(absl::string_view id) const;

  // The service holding this need through a `current` or `accepted` support
  // of the same theme, if any. Such a need is already met: it is not ranked
  // for allocation and it holds one of the service's places.
  absl::optional<ServiceId> pinned_service(NeedId need) const;
  // Places held by current/accepted supports of this service.
  int32_t pinned_places(ServiceId s) const;
  // capacity_available minus pinned places, at least 0.
  int32_t free_places(ServiceId s) const;
  // True when the person refused or was refused by `s` for `theme` (a refused
  // support of the same theme, or of the category and one of its subthemes).
  bool IsRefused(PersonId p, ServiceId s, ThemeId theme) const;
  // Supports of a person.
  absl::Span<const Support> supports_of(PersonId p) const;

  // Hops from a site to a partner in the partnership graph: 1 for a direct
  // convention, 2 through a cooperating partner (or another site's
  // partner), 3 and more beyond. kNoPath when not connected or farther than
  // `kMaxHops`. O(1) average (precomputed for hops <= kMaxHops).
  static constexpr int kMaxHops = 3;
  static constexpr int kNoPath = -1;
  int HopDistance(SiteId site, PartnerId partner) const;
  // Strength of the direct convention site<->partner, 0 when none.
  double ConventionStrength(SiteId site, PartnerId partner) const;

  // Travel time from a commune to a service, if given. O(log n).
  absl::optional<double> TravelMinutes(absl::string_view insee_com,
                                       ServiceId s) const;

  // Distinct territories of the sites, sorted.
  std::vector<std::string> Territories() const;

  struct Data;  // implementation detail
  explicit Network(std::shared_ptr<const Data> data);
  const Data& data() const { return *data_; }

 private:
  std::shared_ptr<const Data> data_;
};

// The text of a failed build or load: `<prefix><N> <what>:` then the first
// 20 errors (warnings left out), one `FILE:LINE:COLUMN: reason` a line, and
// `... and M more` beyond. Build() uses ("", "invalid row(s)"),
// LoadFolderStrict (dir + ": ", "problem(s)").
std::string ProblemsMessage(const std::vector<Problem>& problems,
                            absl::string_view prefix, absl::string_view what);

struct BuildReport {
  Network network;
  std::vector<Problem> problems;  // in table then line order
  std::array<TableCounts, kNumTables> counts{};
  // True when no row was rejected (warnings allowed).
  bool ok() const;
};

}  // namespace maillage

#endif  // MAILLAGE_NETWORK_H_
