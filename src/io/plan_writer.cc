// Writing allocation plans: assignments.csv, unmatched.csv, summary.json.

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/csv.h"
#include "maillage/io.h"

namespace maillage {
namespace {

std::string_view View(absl::string_view s) { return {s.data(), s.size()}; }

std::string Num(double v, int decimals) {
  if (std::isnan(v)) return "";
  return absl::StrFormat("%.*f", decimals, v);
}

absl::Status Save(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out)
    return absl::UnavailableError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

// JSON string literal (ids and codes only).
std::string Json(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

struct Counts {
  int64_t people = 0, people_covered = 0, needs = 0, needs_covered = 0,
          pinned = 0;
  std::array<int64_t, 4> unmatched{};
};

std::string CountsJson(const Counts& c) {
  return absl::StrFormat(
      "{\"people\": %d, \"people_covered\": %d, \"needs\": %d, "
      "\"needs_covered\": %d, \"needs_pinned\": %d, \"unmatched\": "
      "{\"no_service_for_theme\": %d, \"not_eligible\": %d, "
      "\"out_of_reach\": %d, \"capacity_full\": %d}}",
      c.people, c.people_covered, c.needs, c.needs_covered, c.pinned,
      c.unmatched[0], c.unmatched[1], c.unmatched[2], c.unmatched[3]);
}

}  // namespace

std::string PlanSummaryJson(const Network& net, const Plan& plan) {
  const PlanObjective& o = plan.objective;
  std::map<std::string, Counts> by_territory;
  std::vector<char> covered(net.persons().size(), 0),
      counted(net.persons().size(), 0);
  for (const Assignment& a : plan.assignments) {
    Counts& c = by_territory[net.site(net.person(a.person).site).territory];
    ++c.needs;
    ++c.needs_covered;
    c.pinned += a.pinned;
    covered[a.person.value()] = 1;
  }
  std::array<int64_t, 4> reasons{};
  for (const Unmatched& u : plan.unmatched) {
    Counts& c = by_territory[net.site(net.person(u.person).site).territory];
    ++c.needs;
    ++c.unmatched[static_cast<size_t>(u.reason)];
    ++reasons[static_cast<size_t>(u.reason)];
  }
  for (const Need& n : net.needs()) {
    const size_t p = static_cast<size_t>(n.person.value());
    if (counted[p]) continue;
    counted[p] = 1;
    Counts& c = by_territory[net.site(net.person(n.person).site).territory];
    ++c.people;
    c.people_covered += covered[p];
  }
  std::string territories;
  for (const auto& [name, c] : by_territory) {
    if (!territories.empty()) territories += ",\n    ";
    absl::StrAppend(&territories, Json(name), ": ", CountsJson(c));
  }
  return absl::StrFormat(
      "{\n"
      "  \"people\": %d,\n  \"people_covered\": %d,\n"
      "  \"needs\": %d,\n  \"needs_covered\": %d,\n  \"needs_pinned\": %d,\n"
      "  \"needs_by_urgency\": [%d, %d, %d],\n"
      "  \"needs_covered_by_urgency\": [%d, %d, %d],\n"
      "  \"unmatched\": {\"no_service_for_theme\": %d, \"not_eligible\": %d, "
      "\"out_of_reach\": %d, \"capacity_full\": %d},\n"
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
      o.needs_covered_by_urgency[2], reasons[0], reasons[1], reasons[2],
      reasons[3], o.people_covered, o.needs_covered, o.urgency_level,
      o.total_score, o.total_score_scaled, o.flow_cost,
      plan.scaling.score_scale, plan.scaling.urgency_weight,
      plan.scaling.need_weight, plan.scaling.person_weight, plan.build_seconds,
      plan.solve_seconds, territories);
}

absl::Status WritePlan(const Network& net, const Plan& plan,
                       const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create folder ", dir, ": ", ec.message()));
  }
  const std::filesystem::path root(dir);
  std::string text =
      "person_id,thematique,service_id,score,capacity,proximity,"
      "complementarity,distance_km,pinned\n";
  for (const Assignment& a : plan.assignments) {
    const std::string score =
        a.pinned
            ? std::string(",,,,")
            : absl::StrCat(Num(a.score, 6), ",", Num(a.capacity, 6), ",",
                           Num(a.proximity, 6), ",", Num(a.complementarity, 6));
    base::AppendCsvRecord(
        {net.person(a.person).id, View(ThemeCode(net.need(a.need).theme)),
         net.service(a.service).id},
        &text);
    text.pop_back();  // newline
    absl::StrAppend(&text, ",", score, ",", Num(a.distance_km, 3), ",",
                    a.pinned ? "true" : "false", "\n");
  }
  if (absl::Status s = Save(root / "assignments.csv", text); !s.ok()) return s;
  text = "person_id,thematique,reason,detail,suggested_service_id\n";
  for (const Unmatched& u : plan.unmatched) {
    const std::string reason(UnmatchedReasonCode(u.reason));
    std::string detail = u.detail;
    if (u.reason == UnmatchedReason::kNotEligible) {
      detail = absl::StrCat("filter ", FilterCode(u.filter), ": ", detail);
    }
    base::AppendCsvRecord(
        {net.person(u.person).id, View(ThemeCode(net.need(u.need).theme)),
         reason, detail,
         u.suggested.valid() ? std::string_view(net.service(u.suggested).id)
                             : std::string_view()},
        &text);
  }
  if (absl::Status s = Save(root / "unmatched.csv", text); !s.ok()) return s;
  return Save(root / "summary.json", PlanSummaryJson(net, plan));
}

}  // namespace maillage
