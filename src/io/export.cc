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

// The cells of one need of a plan, by column: every column of
// io::kNeedsWritten, then "pinned" and "detail"; the three plan files pick
// theirs.
constexpr size_t kPinnedCell = io::kNeedsWritten.size();
constexpr size_t kDetailCell = kPinnedCell + 1;
using NeedCells = std::array<std::string, kDetailCell + 1>;

constexpr size_t Cell(std::string_view name) {
  for (size_t i = 0; i < io::kNeedsWritten.size(); ++i) {
    if (io::kNeedsWritten[i] == name) return i;
  }
  return name == "pinned" ? kPinnedCell : kDetailCell;
}

std::string Bool(bool b) { return b ? "true" : "false"; }

// The columns of the need itself.
void NeedPart(const Network& net, NeedId n, NeedCells* c) {
  const Need& need = net.need(n);
  const Person& p = net.person(need.person);
  const Site& site = net.site(p.site);
  (*c)[Cell("person_id")] = p.id;
  (*c)[Cell("territory")] = site.territory;
  (*c)[Cell("site_id")] = site.id;
  (*c)[Cell("thematique")] = std::string(ThemeCode(need.theme));
  (*c)[Cell("category")] = std::string(ThemeCode(CategoryOf(need.theme)));
  (*c)[Cell("urgency")] = absl::StrCat(need.urgency);
}

void ServicePart(const Network& net, ServiceId s, NeedCells* c,
                 std::string_view service_column,
                 std::string_view partner_column) {
  if (!s.valid()) return;
  const Service& service = net.service(s);
  const Partner& partner = net.partner(service.partner);
  (*c)[Cell(service_column)] = service.id;
  (*c)[Cell(partner_column)] = partner.id;
  if (service_column == "service_id") {
    (*c)[Cell("service_name")] = service.name;
    (*c)[Cell("partner_name")] = partner.name;
    (*c)[Cell("partner_kind")] = partner.kind;
  } else {
    (*c)[Cell("suggested_service_name")] = service.name;
  }
}

NeedCells CoveredCells(const Network& net, const Assignment& a) {
  NeedCells c;
  NeedPart(net, a.need, &c);
  c[Cell("status")] = a.pinned ? "pinned" : "covered";
  ServicePart(net, a.service, &c, "service_id", "partner_id");
  if (!a.pinned) {
    c[Cell("score")] = Num(a.score, 6);
    c[Cell("capacity")] = Num(a.capacity, 6);
    c[Cell("proximity")] = Num(a.proximity, 6);
    c[Cell("complementarity")] = Num(a.complementarity, 6);
  }
  c[Cell("distance_km")] = Num(a.distance_km, 3);
  c[Cell("remote")] = Bool(a.remote);
  c[kPinnedCell] = Bool(a.pinned);
  c[Cell("capacity_assumed")] = Bool(a.capacity_assumed);
  return c;
}

NeedCells UnmatchedCells(const Network& net, const Unmatched& u) {
  NeedCells c;
  NeedPart(net, u.need, &c);
  c[Cell("status")] = "unmatched";
  c[Cell("reason")] = std::string(UnmatchedReasonCode(u.reason));
  if (u.reason == UnmatchedReason::kNotEligible) {
    c[Cell("filter")] = std::string(FilterCode(u.filter));
  }
  ServicePart(net, u.suggested, &c, "suggested_service_id",
              "suggested_partner_id");
  c[Cell("distance_km")] = Num(u.distance_km, 3);
  c[kDetailCell] = u.detail;
  c[Cell("in_reach")] = absl::StrCat(u.in_reach);
  // The counts of the explanation, when it was computed.
  if (u.serving >= 0) {
    c[Cell("serving")] = absl::StrCat(u.serving);
    for (Filter f :
         {Filter::kFrais, Filter::kServiceType, Filter::kPublic, Filter::kZone,
          Filter::kAge, Filter::kReach, Filter::kRefused}) {
      c[Cell(absl::StrCat("excluded_", FilterCode(f)))] =
          absl::StrCat(u.excluded_by[static_cast<size_t>(f)]);
    }
  }
  return c;
}

// Writes the cells of `columns` of each row: one row per call.
template <size_t N>
class RowWriter {
 public:
  explicit RowWriter(const std::array<std::string_view, N>& columns)
      : text_(Header(columns)) {
    for (size_t i = 0; i < N; ++i) at_[i] = Cell(columns[i]);
  }
  void Add(const NeedCells& cells) {
    for (size_t i = 0; i < N; ++i) fields_[i] = cells[at_[i]];
    base::AppendCsvRecord(fields_, &text_);
  }
  std::string& text() { return text_; }

 private:
  std::string text_;
  std::array<size_t, N> at_{};
  std::vector<std::string_view> fields_ = std::vector<std::string_view>(N);
};

// The three CSV files of a plan, in one pass over its needs in need order:
// each need's cells are computed once, for assignments.csv or
// unmatched.csv and for plan_needs.csv.
struct PlanCsvs {
  std::string assignments, unmatched, needs;
};

PlanCsvs PlanTables(const Network& net, const Plan& plan) {
  RowWriter covered(io::kAssignmentsWritten);
  RowWriter missed(io::kUnmatchedWritten);
  RowWriter all(io::kNeedsWritten);
  size_t a = 0, u = 0;
  while (a < plan.assignments.size() || u < plan.unmatched.size()) {
    const bool take_a = u == plan.unmatched.size() ||
                        (a < plan.assignments.size() &&
                         plan.assignments[a].need < plan.unmatched[u].need);
    if (take_a) {
      const NeedCells cells = CoveredCells(net, plan.assignments[a++]);
      covered.Add(cells);
      all.Add(cells);
    } else {
      const NeedCells cells = UnmatchedCells(net, plan.unmatched[u++]);
      missed.Add(cells);
      all.Add(cells);
    }
  }
  return {std::move(covered.text()), std::move(missed.text()),
          std::move(all.text())};
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
      "\"need_weight\": %d, \"person_weight\": %d, \"cost_bits\": %d},\n"
      "  \"seconds\": {\"build\": %.6f, \"solve\": %.6f},\n"
      "  \"territories\": {\n    %s\n  }\n"
      "}\n",
      o.people, o.people_covered, o.needs, o.needs_covered, o.needs_pinned,
      o.needs_by_urgency[0], o.needs_by_urgency[1], o.needs_by_urgency[2],
      o.needs_covered_by_urgency[0], o.needs_covered_by_urgency[1],
      o.needs_covered_by_urgency[2], ReasonsJson(summary.all), unknown, assumed,
      o.people_covered, o.needs_covered, o.urgency_level, o.total_score,
      o.total_score_scaled, o.flow_cost, plan.scaling.score_scale,
      plan.scaling.urgency_weight, plan.scaling.need_weight,
      plan.scaling.person_weight, plan.scaling.cost_bits, plan.build_seconds,
      plan.solve_seconds, territories);
}

absl::Status WritePlan(const Network& net, const Plan& plan,
                       const std::string& dir) {
  if (absl::Status s = base::MakeFolder(dir); !s.ok()) return s;
  const std::filesystem::path root(dir);
  const PlanCsvs tables = PlanTables(net, plan);
  for (const auto& [file, text] :
       {std::pair{io::kAssignmentsFile, &tables.assignments},
        std::pair{io::kUnmatchedFile, &tables.unmatched},
        std::pair{io::kNeedsFile, &tables.needs}}) {
    if (absl::Status s = base::WriteFile((root / file).string(), *text);
        !s.ok()) {
      return s;
    }
  }
  return base::WriteFile((root / io::kSummaryFile).string(),
                         PlanSummaryJson(net, plan));
}

}  // namespace maillage
