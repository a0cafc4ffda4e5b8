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

inline constexpr std::array<std::string_view, 10> kAssignmentsColumns = {
    "person_id",       "thematique",  "service_id", "score",
    "capacity",        "proximity",   "complementarity",
    "distance_km",     "pinned",      "capacity_assumed"};
inline constexpr std::array<std::string_view, 5> kUnmatchedColumns = {
    "person_id", "thematique", "reason", "detail", "suggested_service_id"};

// The detail of a not_eligible need starts with "filter CODE: ".
inline constexpr char kFilterPrefix[] = "filter ";

}  // namespace maillage::io

#endif  // MAILLAGE_SRC_IO_PLAN_FILES_H_
