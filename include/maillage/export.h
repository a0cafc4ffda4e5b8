// Writing what maillage computes: ranked options and plans, as files that
// any CSV reader, spreadsheet or JSON parser opens.
//
// Example:
//   absl::StatusOr<maillage::Plan> plan = maillage::Allocate(ranker);
//   absl::Status s = maillage::WritePlan(ranker.network(), *plan, "out/");
//
// Thread-safe (the functions only read their arguments).

#ifndef MAILLAGE_EXPORT_H_
#define MAILLAGE_EXPORT_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
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

// Writes a plan into `dir` (created if needed):
//  - assignments.csv: person_id, thematique, service_id, score, capacity,
//    proximity, complementarity, distance_km, pinned, capacity_assumed (the
//    place rests on AllocateOptions::assumed_capacity)
//  - unmatched.csv: person_id, thematique, reason, detail,
//    suggested_service_id
//  - summary.json: PlanSummaryJson.
// Every need of the network is in exactly one of the two CSV files.
// Unavailable when a file cannot be written.
absl::Status WritePlan(const Network& network, const Plan& plan,
                       const std::string& dir);

// The summary.json text of a plan: the counts of SummarizePlan (overall and
// per territory), the services whose capacity is unknown and the
// assignments that rest on an assumed capacity, the objective levels, the
// scaling and the timings.
std::string PlanSummaryJson(const Network& network, const Plan& plan);

}  // namespace maillage

#endif  // MAILLAGE_EXPORT_H_
