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
//   b.Add<maillage::SiteRow>(
//       {"s1", "ACI Gerland", "lyon", "69387", 45.73, 4.83});
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
#include "maillage/problem.h"
#include "maillage/schema.h"

namespace maillage {

// Where a row came from. `line` is the 1-based line in its file (the header
// is line 1), or for rows added by code, the row's 1-based index + 1.
struct RowOrigin {
  int64_t line = 0;
};

class Network;
namespace internal {
struct NetworkData;   // network/network_data.h
struct BuilderState;  // network/builder.cc
}  // namespace internal

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
  // The column names of a table's file (its header), when they differ from
  // `TableColumns`: problems then give a field's position in that header.
  void SetColumns(Table t, std::vector<std::string> header);
  // Checks a table's column names (its file's header, its DataFrame's
  // columns): adds a problem at line 1 for each unknown, duplicate or
  // missing required column (an unknown column's name is not repeated for a
  // personal table). False when the table's rows must all be rejected.
  bool CheckHeader(Table t, const std::vector<std::string>& names);
  // Adds a problem found before building in a cell of `field` (e.g. a
  // malformed number), rejecting the row of `table` at `line` when it is not
  // a warning. Such rows must still be added (with the cell left absent) or
  // counted with `AddRejected`.
  void AddProblem(Table t, int64_t line, absl::string_view field,
                  std::string reason, bool warning = false);
  // The same for a problem at a position that is not a known field (a
  // syntax error in the 1-based `column`, 0 for the whole row).
  void AddProblemAt(Table t, int64_t line, int32_t column, std::string reason);
  // Counts a row that could not be turned into a row at all (e.g. wrong
  // number of fields); its problem must have been added with AddProblem.
  // `id`, when known, is the row's id: references to it then say that they
  // refer to a rejected row.
  void AddRejected(Table t, int64_t line, std::string id = {});

  // A row of the table of `Row` (SiteRow ... TravelTimeRow, see schema.h);
  // `origin.line` 0 means "the line after the previous row of that table".
  template <typename Row>
  void Add(Row row, RowOrigin origin = {});
  // Every row of every table, in table order (lines: row index + 2).
  void AddRows(NetworkRows rows);

  // Validates everything and builds the network of accepted rows.
  BuildReport BuildWithReport() &&;
  // As BuildWithReport, but an InvalidArgument error listing the problems
  // (up to 20, then a count) when any row was rejected.
  absl::StatusOr<Network> Build() &&;

 private:
  std::unique_ptr<internal::BuilderState> state_;
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

  // Two networks are equal when they hold the same rows (`RowsOf`): the
  // same entities with the same fields, in the same order. O(size), O(1)
  // for copies of one network.
  friend bool operator==(const Network& a, const Network& b);

 private:
  friend class NetworkBuilder;
  explicit Network(std::shared_ptr<const internal::NetworkData> data);
  std::shared_ptr<const internal::NetworkData> data_;
};

// Every row of the network, in network order: the rows it was built from,
// locations resolved and defaults filled in (`ColumnInfo::always_set`), so
// that building them again gives an equal network. O(size of the network).
NetworkRows RowsOf(const Network& network);

// The network of `rows` (NetworkBuilder::AddRows, then Build).
absl::StatusOr<Network> BuildNetwork(NetworkRows rows);

struct BuildReport {
  Network network;
  std::vector<Problem> problems;  // in table then line order
  std::array<TableCounts, kNumTables> counts{};
  // True when no row was rejected (warnings allowed).
  bool ok() const;
};

}  // namespace maillage

#endif  // MAILLAGE_NETWORK_H_
