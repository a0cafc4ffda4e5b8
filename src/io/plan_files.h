// The files of a plan folder (WritePlan, ReadPlan): names and columns.
// Private.

#ifndef MAILLAGE_SRC_IO_PLAN_FILES_H_
#define MAILLAGE_SRC_IO_PLAN_FILES_H_

#include <array>
#include <string_view>

namespace maillage::io {

inline constexpr char kAssignmentsFile[] = "assignments.csv";
inline constexpr char kUnmatchedFile[] = "unmatched.csv";
inline constexpr char kSummaryFile[] = "summary.json";
inline constexpr char kNeedsFile[] = "plan_needs.csv";

// The columns ReadPlan requires.
inline constexpr std::array<std::string_view, 10> kAssignmentsColumns = {
    "person_id", "thematique",      "service_id",      "score",
    "capacity",  "proximity",       "complementarity", "distance_km",
    "pinned",    "capacity_assumed"};
inline constexpr std::array<std::string_view, 5> kUnmatchedColumns = {
    "person_id", "thematique", "reason", "detail", "suggested_service_id"};

// What WritePlan writes, in this order: the required columns and the ones
// that describe the need, the service or the reason from the network
// (ReadPlan accepts them and reads `filter`).
inline constexpr std::array<std::string_view, 15> kAssignmentsWritten = {
    "person_id", "territory",  "thematique",      "category",
    "urgency",   "service_id", "partner_id",      "score",
    "capacity",  "proximity",  "complementarity", "distance_km",
    "remote",    "pinned",     "capacity_assumed"};
inline constexpr std::array<std::string_view, 20> kUnmatchedWritten = {
    "person_id",
    "territory",
    "thematique",
    "category",
    "urgency",
    "reason",
    "filter",
    "detail",
    "suggested_service_id",
    "suggested_partner_id",
    "distance_km",
    "in_reach",
    "serving",
    "excluded_frais",
    "excluded_type",
    "excluded_public",
    "excluded_zone",
    "excluded_age",
    "excluded_reach",
    "excluded_refused"};
// plan_needs.csv: one row per need, covered or not (distance_km: of the
// service, or of the suggested one).
inline constexpr std::array<std::string_view, 33> kNeedsWritten = {
    "person_id",
    "territory",
    "site_id",
    "thematique",
    "category",
    "urgency",
    "status",
    "service_id",
    "service_name",
    "partner_id",
    "partner_name",
    "partner_kind",
    "score",
    "capacity",
    "proximity",
    "complementarity",
    "distance_km",
    "remote",
    "capacity_assumed",
    "reason",
    "filter",
    "suggested_service_id",
    "suggested_service_name",
    "suggested_partner_id",
    "in_reach",
    "serving",
    "excluded_frais",
    "excluded_type",
    "excluded_public",
    "excluded_zone",
    "excluded_age",
    "excluded_reach",
    "excluded_refused"};

// The detail of a not_eligible need starts with "filter CODE: ".
inline constexpr char kFilterPrefix[] = "filter ";

}  // namespace maillage::io

#endif  // MAILLAGE_SRC_IO_PLAN_FILES_H_
