// Reading a plan folder (assignments.csv, unmatched.csv) back against its
// network, every problem reported as FILE:LINE:COLUMN: reason.

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "allocate/levels.h"
#include "base/cells.h"
#include "base/csv.h"
#include "base/text.h"
#include "io/plan_files.h"
#include "maillage/export.h"

namespace maillage {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

// One plan file being read: its records, where each expected column is, and
// the problems found.
template <size_t N>
class PlanFile {
 public:
  // `columns` are required; `accepted` may be there too (the columns
  // WritePlan adds, which describe the need from the network).
  PlanFile(std::string path, const std::array<std::string_view, N>& columns,
           std::vector<std::string_view> accepted,
           std::vector<Problem>* problems)
      : path_(std::move(path)),
        columns_(columns),
        accepted_(std::move(accepted)),
        problems_(problems) {}

  // Reads the file and checks its header. NotFound or Unavailable when the
  // file cannot be read; problems of its content are added.
  absl::Status Read() {
    absl::StatusOr<base::CsvTable> t = base::ReadCsvFile(path_);
    if (!t.ok()) return t.status();
    table_ = std::move(*t);
    for (const base::CsvError& e : table_.errors) {
      Add(e.line, static_cast<int32_t>(e.column), e.message);
    }
    if (table_.records.empty()) {
      Add(0, 0, "empty file: expected a header row");
      return absl::OkStatus();
    }
    positions_.fill(-1);
    const base::CsvRecord& header = table_.records[0];
    bool ok = !table_.bad[0];
    for (size_t i = 0; i < header.fields.size(); ++i) {
      const std::string& name = header.fields[i];
      const auto it = std::find(columns_.begin(), columns_.end(), name);
      const auto column = static_cast<int32_t>(i + 1);
      if (it == columns_.end()) {
        if (std::find(accepted_.begin(), accepted_.end(), name) !=
            accepted_.end()) {
          if (Extra(name) >= 0) {
            Add(1, column,
                absl::StrCat("duplicate column ", base::Quoted(name)));
            ok = false;
          }
          extra_.emplace_back(
              accepted_[static_cast<size_t>(
                  std::find(accepted_.begin(), accepted_.end(), name) -
                  accepted_.begin())],
              static_cast<int>(i));
          continue;
        }
        Add(1, column, absl::StrCat("unknown column ", base::Quoted(name)));
        ok = false;
      } else if (int& at =
                     positions_[static_cast<size_t>(it - columns_.begin())];
                 at >= 0) {
        Add(1, column, absl::StrCat("duplicate column ", base::Quoted(name)));
        ok = false;
      } else {
        at = static_cast<int>(i);
      }
    }
    for (size_t c = 0; c < N; ++c) {
      if (positions_[c] < 0) {
        Add(1, 0, absl::StrCat("missing column ", AbslView(columns_[c])));
        ok = false;
      }
    }
    header_ok_ = ok;
    return absl::OkStatus();
  }

  // The data records that can be read (header, syntax and field count
  // checked), with `line()` and `cell()` valid inside `f(*this)`.
  template <typename F>
  void ForEachRow(F f) {
    if (!header_ok_) return;
    const size_t width = table_.records[0].fields.size();
    for (size_t i = 1; i < table_.records.size(); ++i) {
      if (table_.bad[i]) continue;  // its syntax error is reported
      record_ = &table_.records[i];
      if (record_->fields.size() != width) {
        Add(record_->line, 0,
            absl::StrCat("expected ", width, " fields, found ",
                         record_->fields.size()));
        continue;
      }
      f(*this);
    }
  }

  int64_t line() const { return record_->line; }
  // The cell of expected column `c` in the current record.
  const std::string& cell(size_t c) const {
    return record_->fields[static_cast<size_t>(positions_[c])];
  }
  // A problem of the current record's cell of expected column `c`.
  void Bad(size_t c, std::string reason) {
    Add(record_->line, positions_[c] + 1, std::move(reason));
  }
  const std::string& path() const { return path_; }
  // The current record's cell of an accepted column, or nullptr when the
  // file does not have it.
  const std::string* extra_cell(std::string_view name) const {
    const int at = Extra(name);
    return at < 0 ? nullptr : &record_->fields[static_cast<size_t>(at)];
  }
  // A problem of the current record's cell of an accepted column.
  void BadExtra(std::string_view name, std::string reason) {
    Add(record_->line, Extra(name) + 1, std::move(reason));
  }

 private:
  int Extra(std::string_view name) const {
    for (const auto& [n, at] : extra_) {
      if (n == name) return at;
    }
    return -1;
  }

  void Add(int64_t line, int32_t column, std::string reason) {
    problems_->push_back(Problem{path_, line, column, "", std::move(reason)});
  }

  std::string path_;
  const std::array<std::string_view, N>& columns_;
  std::vector<std::string_view> accepted_;
  std::vector<std::pair<std::string_view, int>> extra_;
  std::vector<Problem>* problems_;
  base::CsvTable table_;
  std::array<int, N> positions_{};
  bool header_ok_ = false;
  const base::CsvRecord* record_ = nullptr;
};

// Column indices, in the order of io::kAssignmentsColumns and
// io::kUnmatchedColumns.
enum AssignmentColumn : size_t {
  kAPerson,
  kATheme,
  kAService,
  kAScore,
  kACapacity,
  kAProximity,
  kAComplementarity,
  kADistance,
  kAPinned,
  kACapacityAssumed
};
enum UnmatchedColumn : size_t {
  kUPerson,
  kUTheme,
  kUReason,
  kUDetail,
  kUSuggested
};

// Where each need was listed: file and line, 0 when not yet.
struct Seen {
  std::vector<int64_t> line;
  std::vector<const std::string*> file;
};

// The need of the current row (person_id, thematique in columns 0 and 1),
// or Invalid after adding the problem. Marks the need as listed.
template <size_t N>
NeedId NeedOfRow(const Network& net, PlanFile<N>& f, Seen* seen) {
  const std::string& person_id = f.cell(0);
  const absl::optional<PersonId> person = net.FindPerson(person_id);
  if (!person) {
    f.Bad(0, absl::StrCat("person_id ", base::Quoted(person_id),
                          " refers to no person of the network"));
    return NeedId::Invalid();
  }
  const absl::optional<ThemeId> theme = ParseTheme(f.cell(1));
  if (!theme) {
    f.Bad(1, "thematique is not a data·inclusion theme");
    return NeedId::Invalid();
  }
  NeedId need = NeedId::Invalid();
  for (NeedId n = net.first_need(*person); n < net.end_need(*person);
       n = NeedId(n.value() + 1)) {
    if (net.need(n).theme == *theme) need = n;
  }
  if (!need.valid()) {
    f.Bad(1, "the person has no need of this thematique");
    return need;
  }
  const auto i = static_cast<size_t>(need.value());
  if (seen->line[i] != 0) {
    f.Bad(1, absl::StrCat("this need is already listed at ", *seen->file[i],
                          ":", seen->line[i]));
    return NeedId::Invalid();
  }
  seen->line[i] = f.line();
  seen->file[i] = &f.path();
  return need;
}

// A score part of [0, 1], or an empty cell for a pinned support.
template <size_t N>
bool ReadPart(PlanFile<N>& f, size_t c, bool pinned, double* out) {
  const std::string& cell = f.cell(c);
  const std::string_view name = io::kAssignmentsColumns[c];
  if (pinned) {
    if (!cell.empty()) {
      f.Bad(c, absl::StrCat(AbslView(name),
                            " must be empty for a pinned support"));
      return false;
    }
    *out = 0;
    return true;
  }
  if (!base::ParseNumber(cell, out) || *out < 0 || *out > 1) {
    f.Bad(c, absl::StrCat(AbslView(name), " must be a number in [0, 1]"));
    return false;
  }
  return true;
}

void ReadAssignments(const Network& net, PlanFile<10>& f, Seen* seen,
                     Plan* plan) {
  f.ForEachRow([&](PlanFile<10>& row) {
    const NeedId need = NeedOfRow(net, row, seen);
    Assignment a;
    bool ok = need.valid();
    const std::string& service_id = row.cell(kAService);
    if (absl::optional<ServiceId> s = net.FindService(service_id)) {
      a.service = *s;
    } else {
      row.Bad(kAService, absl::StrCat("service_id ", base::Quoted(service_id),
                                      " refers to no service"));
      ok = false;
    }
    const std::string& pinned = row.cell(kAPinned);
    if (pinned != "true" && pinned != "false") {
      row.Bad(kAPinned, "pinned must be true or false");
      return;
    }
    a.pinned = pinned == "true";
    if (ok) {
      const absl::optional<ServiceId> support = net.pinned_service(need);
      if (a.pinned && support != a.service) {
        row.Bad(kAPinned,
                "pinned, but the need has no current or accepted support at "
                "this service");
        ok = false;
      } else if (!a.pinned && support) {
        row.Bad(kAPinned,
                "the need is met by a current or accepted support: its row "
                "must be pinned at that service");
        ok = false;
      }
    }
    ok &= ReadPart(row, kAScore, a.pinned, &a.score);
    ok &= ReadPart(row, kACapacity, a.pinned, &a.capacity);
    ok &= ReadPart(row, kAProximity, a.pinned, &a.proximity);
    ok &= ReadPart(row, kAComplementarity, a.pinned, &a.complementarity);
    const std::string& distance = row.cell(kADistance);
    a.remote = distance.empty();
    a.distance_km = kNaN;
    if (!a.remote &&
        (!base::ParseNumber(distance, &a.distance_km) || a.distance_km < 0)) {
      row.Bad(kADistance,
              "distance_km must be empty (remote) or a number >= 0");
      ok = false;
    }
    const std::string& assumed = row.cell(kACapacityAssumed);
    if (assumed != "true" && assumed != "false") {
      row.Bad(kACapacityAssumed, "capacity_assumed must be true or false");
      ok = false;
    } else if (ok) {
      a.capacity_assumed = assumed == "true";
      const bool unknown = !net.service(a.service).capacity_known;
      if (a.capacity_assumed && (a.pinned || !unknown)) {
        row.Bad(kACapacityAssumed,
                a.pinned ? "a pinned support holds its place: capacity_assumed "
                           "must be false"
                         : "the service's capacity is known: capacity_assumed "
                           "must be false");
        ok = false;
      } else if (!a.capacity_assumed && !a.pinned && unknown) {
        row.Bad(kACapacityAssumed,
                "the service's capacity is unknown: capacity_assumed must be "
                "true");
        ok = false;
      }
    }
    if (!ok) return;
    a.person = net.need(need).person;
    a.need = need;
    plan->assignments.push_back(a);
  });
}

void ReadUnmatched(const Network& net, PlanFile<5>& f, Seen* seen, Plan* plan) {
  f.ForEachRow([&](PlanFile<5>& row) {
    const NeedId need = NeedOfRow(net, row, seen);
    Unmatched u;
    bool ok = need.valid();
    if (ok && net.pinned_service(need)) {
      row.Bad(kUTheme,
              "the need is met by a current or accepted support: it cannot "
              "be unmatched");
      ok = false;
    }
    bool known = false;
    for (int r = 0; r < kNumUnmatchedReasons; ++r) {
      const auto reason = static_cast<UnmatchedReason>(r);
      if (UnmatchedReasonCode(reason) == row.cell(kUReason)) {
        u.reason = reason;
        known = true;
      }
    }
    if (!known) {
      std::vector<std::string> codes;
      for (int r = 0; r < kNumUnmatchedReasons; ++r) {
        codes.emplace_back(
            UnmatchedReasonCode(static_cast<UnmatchedReason>(r)));
      }
      row.Bad(kUReason, absl::StrCat("unknown reason (expected one of ",
                                     absl::StrJoin(codes, ", "), ")"));
      return;
    }
    u.detail = row.cell(kUDetail);
    const std::string* filter = row.extra_cell("filter");
    if (u.reason == UnmatchedReason::kNotEligible && filter != nullptr &&
        !absl::StartsWith(u.detail, io::kFilterPrefix)) {
      // The filter in its own column (WritePlan), the detail as it is.
      bool parsed = false;
      for (int i = static_cast<int>(Filter::kTheme);
           i <= static_cast<int>(Filter::kRefused) && !parsed; ++i) {
        if (FilterCode(static_cast<Filter>(i)) == *filter) {
          u.filter = static_cast<Filter>(i);
          parsed = true;
        }
      }
      if (!parsed) {
        std::vector<std::string> codes;
        for (int i = static_cast<int>(Filter::kTheme);
             i <= static_cast<int>(Filter::kRefused); ++i) {
          codes.emplace_back(FilterCode(static_cast<Filter>(i)));
        }
        row.BadExtra("filter",
                     absl::StrCat("the filter of a not_eligible need must be "
                                  "one of ",
                                  absl::StrJoin(codes, ", ")));
        ok = false;
      }
    } else if (u.reason == UnmatchedReason::kNotEligible) {
      // "filter CODE: rest" (the files of earlier versions).
      bool parsed = false;
      absl::string_view rest = u.detail;
      const size_t colon = rest.find(": ");
      if (absl::ConsumePrefix(&rest, io::kFilterPrefix) &&
          colon != absl::string_view::npos) {
        const absl::string_view code =
            rest.substr(0, colon - (sizeof(io::kFilterPrefix) - 1));
        for (int i = static_cast<int>(Filter::kTheme);
             i <= static_cast<int>(Filter::kRefused) && !parsed; ++i) {
          if (FilterCode(static_cast<Filter>(i)) == code) {
            u.filter = static_cast<Filter>(i);
            u.detail =
                std::string(absl::string_view(u.detail).substr(colon + 2));
            parsed = true;
          }
        }
      }
      if (!parsed) {
        row.Bad(kUDetail,
                "the detail of a not_eligible need must start with "
                "'filter FILTER: ' (FILTER: public, zone, age or refused)");
        ok = false;
      }
    }
    const std::string& suggested = row.cell(kUSuggested);
    if (!suggested.empty()) {
      if (absl::optional<ServiceId> s = net.FindService(suggested)) {
        u.suggested = *s;
      } else {
        row.Bad(kUSuggested,
                absl::StrCat("suggested_service_id ", base::Quoted(suggested),
                             " refers to no service"));
        ok = false;
      }
    }
    // The numbers WritePlan adds, when there: read back as written.
    u.distance_km = kNaN;
    if (const std::string* d = row.extra_cell("distance_km");
        d != nullptr && !d->empty() &&
        (!base::ParseNumber(*d, &u.distance_km) || u.distance_km < 0)) {
      row.BadExtra("distance_km", "distance_km must be a number >= 0");
      ok = false;
    }
    auto count = [&](std::string_view column, int32_t* out) {
      const std::string* cell = row.extra_cell(column);
      if (cell == nullptr || cell->empty()) return;
      double v = 0;
      if (!base::ParseNumber(*cell, &v) || v < 0 || v != std::floor(v) ||
          v > 1e9) {
        row.BadExtra(column, absl::StrCat(AbslView(column),
                                          " must be a whole number >= 0"));
        ok = false;
        return;
      }
      *out = static_cast<int32_t>(v);
    };
    count("in_reach", &u.in_reach);
    count("serving", &u.serving);
    for (Filter by :
         {Filter::kFrais, Filter::kServiceType, Filter::kPublic, Filter::kZone,
          Filter::kAge, Filter::kReach, Filter::kRefused}) {
      const std::string column = absl::StrCat("excluded_", FilterCode(by));
      count(column, &u.excluded_by[static_cast<size_t>(by)]);
    }
    if (!ok) return;
    u.person = net.need(need).person;
    u.need = need;
    plan->unmatched.push_back(std::move(u));
  });
}

}  // namespace

absl::StatusOr<Plan> ReadPlan(const Network& net, const std::string& dir) {
  const std::filesystem::path root(dir);
  std::vector<Problem> problems;
  PlanFile<10> assignments(
      (root / io::kAssignmentsFile).string(), io::kAssignmentsColumns,
      {io::kAssignmentsWritten.begin(), io::kAssignmentsWritten.end()},
      &problems);
  PlanFile<5> unmatched(
      (root / io::kUnmatchedFile).string(), io::kUnmatchedColumns,
      {io::kUnmatchedWritten.begin(), io::kUnmatchedWritten.end()}, &problems);
  if (absl::Status s = assignments.Read(); !s.ok()) return s;
  if (absl::Status s = unmatched.Read(); !s.ok()) return s;
  const size_t num_needs = net.needs().size();
  Seen seen{std::vector<int64_t>(num_needs, 0),
            std::vector<const std::string*>(num_needs, nullptr)};
  Plan plan;
  ReadAssignments(net, assignments, &seen, &plan);
  ReadUnmatched(net, unmatched, &seen, &plan);
  const auto missing = std::count(seen.line.begin(), seen.line.end(), 0);
  // Only when both files were read whole: otherwise their problems say why.
  if (missing > 0 && problems.empty()) {
    const size_t first = static_cast<size_t>(
        std::find(seen.line.begin(), seen.line.end(), 0) - seen.line.begin());
    const Person& p = net.person(net.needs()[first].person);
    problems.push_back(
        Problem{dir, 0, 0, "",
                absl::StrCat(missing, " need(s) of the network are in neither ",
                             io::kAssignmentsFile, " nor ", io::kUnmatchedFile,
                             " (the first: a need of person ",
                             base::Quoted(p.id), ")")});
  }
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const Problem& a, const Problem& b) {
                       return std::tie(a.file, a.line, a.column) <
                              std::tie(b.file, b.line, b.column);
                     });
    return absl::InvalidArgumentError(
        ProblemsMessage(problems, absl::StrCat(dir, ": "), "problem(s)"));
  }
  const auto by_need = [](const auto& a, const auto& b) {
    return a.need < b.need;
  };
  std::sort(plan.assignments.begin(), plan.assignments.end(), by_need);
  std::sort(plan.unmatched.begin(), plan.unmatched.end(), by_need);
  plan.objective = allocate::Levels(net, plan.scaling, plan.assignments);
  return plan;
}

}  // namespace maillage
