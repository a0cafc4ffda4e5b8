// Writing what maillage computes: ranked options and plans, as files that
// any CSV reader, spreadsheet or JSON parser opens; reading a written plan
// back; and what one partner receives of a plan. The map of a plan is in
// geojson.h.
//
// Example:
//   absl::StatusOr<maillage::Plan> plan = maillage::Allocate(ranker);
//   absl::Status s = maillage::WritePlan(ranker.network(), *plan, "out/");
//   absl::StatusOr<maillage::Plan> back = maillage::ReadPlan(net, "out/");
//   absl::StatusOr<std::vector<maillage::Referral>> view =
//       maillage::PartnerReferrals(net, *plan, "P-CHRS-01");
//
// Thread-safe (the functions only read their arguments).

#ifndef MAILLAGE_EXPORT_H_
#define MAILLAGE_EXPORT_H_

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "maillage/allocate.h"
#include "maillage/network.h"
#include "maillage/rank.h"

namespace maillage {

// Ranked options as CSV with header
// `person_id,thematique,rank,service_id,score,capacity,proximity,
//  complementarity,distance_km,capacity_known` (rank is 1-based within each
// need; the distance is empty for an option reached remotely;
// capacity_known false: the service publishes no places, its capacity part
// is RankOptions::unknown_capacity_score).
void WriteOptionsCsv(const Network& network, absl::Span<const Option> options,
                     std::ostream& out);

// Writes a plan into `dir` (created if needed), in need order:
//  - assignments.csv: person_id, territory, thematique, category, urgency,
//    service_id, partner_id, score, capacity, proximity, complementarity,
//    distance_km, remote, pinned, capacity_assumed (the place rests on
//    AllocateOptions::assumed_capacity);
//  - unmatched.csv: person_id, territory, thematique, category, urgency,
//    reason, filter (not_eligible), detail, suggested_service_id,
//    suggested_partner_id, distance_km (of the suggested service), and the
//    counts of Unmatched: in_reach, serving and excluded_FILTER for the
//    filters frais, type, public, zone, age, reach, refused (empty when not
//    computed, for capacity_full);
//  - plan_needs.csv: one row per need, both kinds together: person_id,
//    territory, site_id, thematique, category, urgency, status (covered,
//    pinned or unmatched), service_id, service_name, partner_id,
//    partner_name, partner_kind, score and its parts, distance_km, remote,
//    capacity_assumed, then reason, filter, suggested_service_id,
//    suggested_service_name, suggested_partner_id and the counts of
//    unmatched.csv;
//  - summary.json: PlanSummaryJson.
// Every need of the network is in exactly one of assignments.csv and
// unmatched.csv. The columns are those of the Python package's
// Plan.assignments, Plan.unmatched and Plan.needs. Unavailable when a file
// cannot be written.
absl::Status WritePlan(const Network& network, const Plan& plan,
                       const std::string& dir);

// The summary.json text of a plan: the counts of SummarizePlan (overall and
// per territory), the services whose capacity is unknown and the
// assignments that rest on an assumed capacity, the objective levels, the
// scaling and the timings.
std::string PlanSummaryJson(const Network& network, const Plan& plan);

// The whole plan as one JSON object:
//   {"assignments": [{"person_id", "thematique", "urgency", "service_id",
//     "score", "capacity", "proximity", "complementarity", "distance_km",
//     "remote", "pinned"}, ...],
//    "unmatched": [{"person_id", "thematique", "urgency", "reason",
//     "filter", "detail", "suggested_service_id", "distance_km"}, ...],
//    "summary": PlanSummaryJson}
// in need order. Absent values (score parts of a pinned support, the
// distance of a remote service, the filter of a need that is not
// not_eligible, no suggested service) are null. Ids and codes only: no
// location, age or public of a person.
std::string PlanJson(const Network& network, const Plan& plan);

// Reads a plan folder written by WritePlan (assignments.csv and
// unmatched.csv; summary.json is not read) against the network it was
// computed for. Columns may come in any order; every row must name a person
// and one of their needs (person_id, thematique), assignments a service,
// unmatched needs a known reason (and a suggested service when given), and
// every need of the network must be in exactly one row of the two files.
// A `pinned` row must be the need's current or accepted support.
// InvalidArgument listing the problems (`FILE:LINE:COLUMN: reason`, never a
// value of a person's row but their id); NotFound or Unavailable when a
// file cannot be read.
//
// Columns WritePlan adds (territory, category, urgency, partner ids...) are
// accepted and not checked against the network, except `filter`,
// `distance_km` and the counts of unmatched.csv, which are read; files of
// earlier versions, without them, are read too (the filter of a
// not_eligible need then starts its detail: "filter public: ...").
//
// The plan read holds the assignments (score parts as written, to 6
// decimals; `remote` where the distance is empty), the unmatched needs
// (filter, detail, distance and counts as written) and
// the objective levels recounted from them. It has no solver state
// (scaling, potentials, shadow prices, timings): VerifyPlan fails on it.
absl::StatusOr<Plan> ReadPlan(const Network& network, const std::string& dir);

// What a partner receives of one referral to one of its services: the
// allow-list of fields. Never a person's publics, age, location, commune or
// other needs.
struct Referral {
  std::string person_id;  // pseudonymous
  std::string site_id;    // the referring site
  std::string site_name;
  std::string service_id;
  std::string service_name;
  std::string thematique;
  int32_t urgency = kMinUrgency;
  bool pinned = false;  // an existing current or accepted support
  friend bool operator==(const Referral&, const Referral&) = default;
};
// The columns of a partner view, in Referral's order.
inline constexpr std::array<absl::string_view, 8> kReferralColumns = {
    "person_id",    "site_id",    "site_name", "service_id",
    "service_name", "thematique", "urgency",   "pinned"};

// The assignments of `plan` to the services of partner `partner_id`
// (pinned supports included), in need order. InvalidArgument when no
// partner has this id.
absl::StatusOr<std::vector<Referral>> PartnerReferrals(
    const Network& network, const Plan& plan, absl::string_view partner_id);

// Referrals as CSV with header kReferralColumns.
std::string ReferralsCsv(absl::Span<const Referral> referrals);

}  // namespace maillage

#endif  // MAILLAGE_EXPORT_H_
