// The checks of one row of each table, turning it into an entity of the
// network: the one validation path of the library. NetworkBuilder runs them
// over whole tables (with the table-wide checks: duplicate ids and keys); the
// AllocationSession runs the same ones on the people, needs and capacities
// that events bring, so that an event is accepted or refused exactly as the
// loader would accept or reject the row.
//
// Problems never quote a value of a personal table (persons, needs,
// supports): `RowCheck::Quote` is empty there.

#ifndef MAILLAGE_SRC_NETWORK_CHECKS_H_
#define MAILLAGE_SRC_NETWORK_CHECKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "maillage/model.h"
#include "maillage/network.h"
#include "maillage/schema.h"

namespace maillage::network {

inline constexpr int64_t kMaxAge = 130;
// Places of a service; a quarter of the int32 range keeps sums safe.
inline constexpr int64_t kMaxPlaces = INT32_MAX / 4;

// Receives the problems of rows.
class ProblemSink {
 public:
  virtual ~ProblemSink() = default;
  virtual void Add(Table table, int64_t line, absl::string_view field,
                   std::string reason, bool warning) = 0;
  // True when the row was rejected before its checks (a cell that could not
  // be read): its other problems are still reported.
  virtual bool RowRejected(Table table, int64_t line) const;
  // True when the cell already has its problem (it could not be read and
  // was left absent): the checks do not report it again.
  virtual bool CellReported(Table table, int64_t line,
                            absl::string_view field) const;
};

// The problems of one row.
class RowCheck {
 public:
  RowCheck(ProblemSink* sink, Table table, int64_t line);
  // A problem that rejects the row.
  void Error(absl::string_view field, std::string reason);
  // A problem that does not.
  void Warning(absl::string_view field, std::string reason);
  bool ok() const { return ok_; }
  Table table() const { return table_; }
  int64_t line() const { return line_; }
  // " 'value'" to append to a reason, or "" in a personal table.
  std::string Quote(absl::string_view value) const;
  // True for the tables about people (persons, needs, supports), whose
  // values are never quoted.
  bool personal() const;
  // For an unknown code: " (did you mean 'code'?)" with the closest of
  // `candidates` when one is close (base::ClosestCode), else " (the codes:
  // docs/format.md)"; in a personal table, where no value is shown, always
  // the latter.
  std::string Suggest(absl::string_view value,
                      const std::vector<absl::string_view>& candidates) const;

 private:
  ProblemSink* sink_;
  Table table_;
  int64_t line_;
  bool ok_;
};

// The ids of the accepted (and rejected) rows of a table, for the rows that
// refer to them.
class IdIndex {
 public:
  virtual ~IdIndex() = default;
  // The index of the accepted row with this id, or -1.
  virtual int32_t Find(absl::string_view id) const = 0;
  // True for the id of a rejected row.
  virtual bool IsRejected(absl::string_view id) const = 0;
};

// The index a reference resolves to, or -1 with its problem ("refers to no
// partner", "refers to a rejected partner row"); -1 without a problem for an
// empty id (reported as required).
int32_t Resolve(RowCheck& c, absl::string_view field, const std::string& id,
                absl::string_view target, const IdIndex& ids);

// The checks of one row, each returning the entity it describes (complete
// only when `c.ok()`). Ids are not checked for duplicates here (a table-wide
// check).
Site CheckSite(SiteRow r, RowCheck& c);
Partner CheckPartner(PartnerRow r, RowCheck& c);
// `partners` are the accepted partners, as indexed by `partner_ids`.
Service CheckService(ServiceRow r, RowCheck& c, const IdIndex& partner_ids,
                     absl::Span<const Partner> partners);
// `sites` are the accepted sites, as indexed by `site_ids`.
Person CheckPerson(PersonRow r, RowCheck& c, const IdIndex& site_ids,
                   absl::Span<const Site> sites);
Need CheckNeed(const NeedRow& r, RowCheck& c, const IdIndex& person_ids);
Support CheckSupport(const SupportRow& r, RowCheck& c,
                     const IdIndex& person_ids, const IdIndex& service_ids);
Partnership CheckPartnership(const PartnershipRow& r, RowCheck& c,
                             const IdIndex& site_ids,
                             const IdIndex& partner_ids);
TravelTime CheckTravelTime(TravelTimeRow r, RowCheck& c,
                           const IdIndex& service_ids);

// Parts of the checks above, for events that change one field.
// capacity_available absent is an error when `available_required`, else
// the capacity is unknown.
void CheckCapacity(RowCheck& c, const absl::optional<int64_t>& available,
                   const absl::optional<int64_t>& max, bool available_required);
void CheckUrgency(RowCheck& c, const absl::optional<int64_t>& urgency);

// The site ids of a built network.
class NetworkSites : public IdIndex {
 public:
  explicit NetworkSites(const Network& network) : network_(network) {}
  int32_t Find(absl::string_view id) const override;
  bool IsRejected(absl::string_view) const override { return false; }

 private:
  const Network& network_;
};

}  // namespace maillage::network

#endif  // MAILLAGE_SRC_NETWORK_CHECKS_H_
