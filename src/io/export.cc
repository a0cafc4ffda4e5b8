// Writing ranked options and plans: options.csv, assignments.csv,
// unmatched.csv, summary.json.

#include "maillage/export.h"

#include <array>
#include <cmath>
#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/json.h"
#include "io/plan_files.h"
#include "maillage/summary.h"

namespace maillage {
namespace {

std::string_view View(absl::string_view s) { return {s.data(), s.size()}; }

std::string Num(double v, int decimals) {
  if (std::isnan(v)) return "";
  return absl::StrFormat("%.*f", decimals, v);
}

std::string ReasonsJson(const CoverageCounts& c) {
  std::string out = "{";
  for (int r = 0; r < kNumUnmatchedReasons; ++r) {
    absl::StrAppend(
        &out, r > 0 ? ", " : "",
        base::JsonString(UnmatchedReasonCode(static_cast<UnmatchedReason>(r))),
        ": ", c.unmatched[static_cast<size_t>(r)]);
  }
  return out + "}";
}

std::string CountsJson(const CoverageCounts& c) {
  return absl::StrFormat(
      "{\"people\": %d, \"people_covered\": %d, \"needs\": %d, "
      "\"needs_covered\": %d, \"needs_pinned\": %d, \"unmatched\": %s}",
      c.people, c.people_covered, c.needs, c.needs_covered, c.needs_pinned,
      ReasonsJson(c));
}

template <size_t N>
std::string Header(const std::array<std::string_view, N>& columns) {
  std::string text;
  base::AppendCsvRecord({columns.begin(), columns.end()}, &text);
  return text;
}

std::string AssignmentsCsv(const Network& net, const Plan& plan) {
  std::string text = Header(io::kAssignmentsColumns);
  for (const Assignment& a : plan.assignments) {
    // A pinned support has no score: four empty cells.
    const std::string score =
        a.pinned
            ? std::string(",,,")
            : absl::StrCat(Num(a.score, 6), ",", Num(a.capacity, 6), ",",
                           Num(a.proximity, 6), ",", Num(a.complementarity, 6));
    base::AppendCsvRecord(
        {net.person(a.person).id, View(ThemeCode(net.need(a.need).theme)),
         net.service(a.service).id},
        &text);
    text.pop_back();  // newline
    absl::StrAppend(&text, ",", score, ",", Num(a.distance_km, 3), ",",
                    a.pinned ? "true" : "false", ",",
                    a.capacity_assumed ? "true" : "false", "\n");
  }
  return text;
}

std::string UnmatchedCsv(const Network& net, const Plan& plan) {
  std::string text = Header(io::kUnmatchedColumns);
  for (const Unmatched& u : plan.unmatched) {
    const std::string reason(UnmatchedReasonCode(u.reason));
    std::string detail = u.detail;
    if (u.reason == UnmatchedReason::kNotEligible) {
      detail =
          absl::StrCat(io::kFilterPrefix, FilterCode(u.filter), ": ", detail);
    }
    base::AppendCsvRecord(
        {net.person(u.person).id, View(ThemeCode(net.need(u.need).theme)),
         reason, detail,
         u.suggested.valid() ? std::string_view(net.service(u.suggested).id)
                             : std::string_view()},
        &text);
  }
  return text;
}

}  // namespace

void WriteOptionsCsv(const Network& net, absl::Span<const Option> options,
                     std::ostream& out) {
  std::string text =
      "person_id,thematique,rank,service_id,score,capacity,proximity,"
      "complementarity,distance_km,capacity_known\n";
  int rank = 0;
  for (size_t i = 0; i < options.size(); ++i) {
    const Option& o = options[i];
    const bool same = i > 0 && options[i - 1].person == o.person &&
                      options[i - 1].theme == o.theme;
    rank = same ? rank + 1 : 1;
    base::AppendCsvField(net.person(o.person).id, &text);
    text += ',';
    base::AppendCsvField(View(ThemeCode(o.theme)), &text);
    text += ',';
    absl::StrAppend(&text, rank, ",");
    base::AppendCsvField(net.service(o.service).id, &text);
    absl::StrAppend(&text,
                    absl::StrFormat(",%.6f,%.6f,%.6f,%.6f,", o.score,
                                    o.capacity, o.proximity, o.complementarity),
                    o.remote || std::isnan(o.distance_km)
                        ? ""
                        : absl::StrFormat("%.3f", o.distance_km),
                    o.capacity_known ? ",true\n" : ",false\n");
  }
  out << text;
}

std::string PlanSummaryJson(const Network& net, const Plan& plan) {
  const PlanObjective& o = plan.objective;
  const PlanSummary summary = SummarizePlan(net, plan);
  int64_t assumed = 0, unknown = 0;
  for (const Assignment& a : plan.assignments) assumed += a.capacity_assumed;
  for (const Service& s : net.services()) unknown += !s.capacity_known;
  std::string territories;
  for (const auto& [name, c] : summary.territories) {
    if (!territories.empty()) territories += ",\n    ";
    absl::StrAppend(&territories, base::JsonString(name), ": ", CountsJson(c));
  }
  return absl::StrFormat(
      "{\n"
      "  \"people\": %d,\n  \"people_covered\": %d,\n"
      "  \"needs\": %d,\n  \"needs_covered\": %d,\n  \"needs_pinned\": %d,\n"
      "  \"needs_by_urgency\": [%d, %d, %d],\n"
      "  \"needs_covered_by_urgency\": [%d, %d, %d],\n"
      "  \"unmatched\": %s,\n"
      "  \"services_capacity_unknown\": %d,\n"
      "  \"assignments_on_assumed_capacity\": %d,\n"
      "  \"objective\": {\"people_covered\": %d, \"needs_covered\": %d, "
      "\"urgency_level\": %d, \"total_score\": %.6f, \"total_score_scaled\": "
      "%d, \"flow_cost\": %d},\n"
      "  \"scaling\": {\"score_scale\": %d, \"urgency_weight\": %d, "
      "\"need_weight\": %d, \"person_weight\": %d},\n"
      "  \"seconds\": {\"build\": %.6f, \"solve\": %.6f},\n"
      "  \"territories\": {\n    %s\n  }\n"
      "}\n",
      o.people, o.people_covered, o.needs, o.needs_covered, o.needs_pinned,
      o.needs_by_urgency[0], o.needs_by_urgency[1], o.needs_by_urgency[2],
      o.needs_covered_by_urgency[0], o.needs_covered_by_urgency[1],
      o.needs_covered_by_urgency[2], ReasonsJson(summary.all), unknown, assumed,
      o.people_covered,
      o.needs_covered, o.urgency_level, o.total_score, o.total_score_scaled,
      o.flow_cost, plan.scaling.score_scale, plan.scaling.urgency_weight,
      plan.scaling.need_weight, plan.scaling.person_weight, plan.build_seconds,
      plan.solve_seconds, territories);
}

absl::Status WritePlan(const Network& net, const Plan& plan,
                       const std::string& dir) {
  if (absl::Status s = base::MakeFolder(dir); !s.ok()) return s;
  const std::filesystem::path root(dir);
  if (absl::Status s = base::WriteFile((root / io::kAssignmentsFile).string(),
                                       AssignmentsCsv(net, plan));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = base::WriteFile((root / io::kUnmatchedFile).string(),
                                       UnmatchedCsv(net, plan));
      !s.ok()) {
    return s;
  }
  return base::WriteFile((root / io::kSummaryFile).string(),
                         PlanSummaryJson(net, plan));
}

}  // namespace maillage
