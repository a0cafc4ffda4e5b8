// NetworkBuilder: the rows of each table through the checks of
// network/checks.h, the table-wide checks (duplicate ids and keys), and the
// construction of the Network of the accepted rows.

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/text.h"
#include "maillage/network.h"
#include "network/checks.h"
#include "network/network_data.h"
#include "network/partner_graph.h"

namespace maillage {
namespace {

size_t Index(Table t) { return static_cast<size_t>(t); }

template <typename Row>
struct Entry {
  Row row;
  int64_t line;
};

// The ids claimed by the rows of a table while it is built: accepted ones
// (with their index), the line of each first claim, and the ids of rejected
// rows, so that a reference to one says so instead of "unknown".
struct IdRegistry : network::IdIndex {
  absl::flat_hash_map<std::string, int32_t> index;
  absl::flat_hash_map<std::string, int64_t> first_line;
  absl::flat_hash_set<std::string> rejected;

  int32_t Find(absl::string_view id) const override {
    auto it = index.find(id);
    return it == index.end() ? -1 : it->second;
  }
  bool IsRejected(absl::string_view id) const override {
    return rejected.contains(id);
  }
  bool IsClaimed(absl::string_view id) const { return first_line.contains(id); }
  // A duplicate id is an error of the row that repeats it.
  void Claim(network::RowCheck& c, absl::string_view field,
             const std::string& id) {
    if (id.empty()) return;  // reported as required
    auto [it, inserted] = first_line.emplace(id, c.line());
    if (!inserted) {
      c.Error(field, absl::StrCat("duplicate ", field, " ", base::Quoted(id),
                                  " (first at line ", it->second, ")"));
    }
  }
};

struct Registries {
  IdRegistry sites, partners, services, persons;
};

}  // namespace

struct internal::BuilderState : network::ProblemSink {
  std::tuple<std::vector<Entry<SiteRow>>, std::vector<Entry<PartnerRow>>,
             std::vector<Entry<ServiceRow>>, std::vector<Entry<PersonRow>>,
             std::vector<Entry<NeedRow>>, std::vector<Entry<SupportRow>>,
             std::vector<Entry<PartnershipRow>>,
             std::vector<Entry<TravelTimeRow>>>
      rows;
  std::array<std::string, kNumTables> file_names;
  // Field name -> 1-based position in the table's header, when set.
  std::array<absl::flat_hash_map<std::string, int32_t>, kNumTables> columns;
  std::array<int64_t, kNumTables> next_line{};
  // Rows that could not be read into a row, and their ids.
  std::array<int64_t, kNumTables> extra_rejected{};
  std::array<std::vector<std::string>, kNumTables> extra_rejected_ids;
  // Lines rejected by problems added before building, and the cells those
  // problems are about (not reported twice).
  std::array<absl::flat_hash_set<int64_t>, kNumTables> rejected_lines;
  std::array<absl::flat_hash_set<std::pair<int64_t, std::string>>, kNumTables>
      reported_cells;
  std::array<std::vector<Problem>, kNumTables> problems;  // by table
  // Problems per table, and those not kept (beyond a bound: a file of
  // millions of bad cells must not take gigabytes to report).
  std::array<int64_t, kNumTables> found{};
  std::array<int64_t, kNumTables> dropped_errors{}, dropped_warnings{};

  BuilderState() {
    for (Table t : kTables) {
      file_names[Index(t)] = std::string(TableFileName(t));
      next_line[Index(t)] = 2;  // line 1 is the header
    }
  }

  template <typename Row>
  std::vector<Entry<Row>>& Of() {
    return std::get<std::vector<Entry<Row>>>(rows);
  }

  int64_t Line(Table t, RowOrigin origin) {
    int64_t& next = next_line[Index(t)];
    if (origin.line > 0) {
      next = origin.line + 1;
      return origin.line;
    }
    return next++;
  }

  int32_t Column(Table t, absl::string_view field) const {
    if (field.empty()) return 0;
    const auto& map = columns[Index(t)];
    if (!map.empty()) {
      auto it = map.find(field);
      return it == map.end() ? 0 : it->second;
    }
    return ColumnIndex(t, field) + 1;  // 0 when unknown
  }

  void AddAt(Table t, int64_t line, int32_t column, absl::string_view field,
             std::string reason, bool warning) {
    if (++found[Index(t)] > 10 * kMaxProblemsPerFile) {
      ++(warning ? dropped_warnings : dropped_errors)[Index(t)];
      return;
    }
    problems[Index(t)].push_back(Problem{file_names[Index(t)], line, column,
                                         std::string(field), std::move(reason),
                                         warning});
  }

  // The problems by table, then line (stable: a row's problems keep their
  // field order): the first kMaxProblemsPerFile of each table, followed by
  // one that counts the others.
  std::vector<Problem> SortedAndCapped() {
    std::vector<Problem> out;
    for (size_t t = 0; t < problems.size(); ++t) {
      std::vector<Problem>& list = problems[t];
      std::stable_sort(
          list.begin(), list.end(),
          [](const Problem& a, const Problem& b) { return a.line < b.line; });
      int64_t errors = dropped_errors[t], warnings = dropped_warnings[t];
      for (size_t i = 0; i < list.size(); ++i) {
        if (i < static_cast<size_t>(kMaxProblemsPerFile)) {
          out.push_back(std::move(list[i]));
        } else {
          ++(list[i].warning ? warnings : errors);
        }
      }
      if (errors + warnings > 0) {
        out.push_back(
            Problem{file_names[t], 0, 0, "",
                    absl::StrCat(errors, " more error(s) and ", warnings,
                                 " more warning(s) in this file, not listed"),
                    errors == 0});
      }
    }
    return out;
  }

  // network::ProblemSink
  void Add(Table t, int64_t line, absl::string_view field, std::string reason,
           bool warning) override {
    AddAt(t, line, Column(t, field), field, std::move(reason), warning);
  }
  bool RowRejected(Table t, int64_t line) const override {
    return rejected_lines[Index(t)].contains(line);
  }
  bool CellReported(Table t, int64_t line,
                    absl::string_view field) const override {
    return reported_cells[Index(t)].contains({line, std::string(field)});
  }

  // Runs `check(row, c)` on every row of `Row`'s table and counts it read,
  // loaded or rejected. With `ids`, the row's id is claimed first and, when
  // the row is rejected, remembered as the id of a rejected row.
  template <typename Row, typename F>
  void ForEachRow(BuildReport& report, IdRegistry* ids, F&& check) {
    const Table t = TableOf<Row>();
    if (ids != nullptr) {
      for (const std::string& id : extra_rejected_ids[Index(t)]) {
        ids->rejected.insert(id);
      }
    }
    TableCounts& counts = report.counts[Index(t)];
    for (Entry<Row>& entry : Of<Row>()) {
      Row& row = entry.row;
      network::RowCheck c(this, t, entry.line);
      std::string id;
      if constexpr (requires { row.id; }) {
        id = row.id;
        if (ids != nullptr) ids->Claim(c, TableColumns(t)[0].name, id);
      }
      check(row, c);
      ++counts.read;
      ++(c.ok() ? counts.loaded : counts.rejected);
      if (!c.ok() && ids != nullptr && !id.empty()) ids->rejected.insert(id);
    }
  }
};

namespace {

using State = internal::BuilderState;
using network::RowCheck;

// The rows of a table of entities with an id (sites, partners, services,
// persons): `check(row, c)` gives the entity, kept with its index when the
// row is accepted.
template <typename Row, typename Entity, typename Check>
void BuildEntities(State& st, BuildReport& report, IdRegistry& ids,
                   std::vector<Entity>* out, Check check) {
  st.ForEachRow<Row>(report, &ids, [&](Row& r, RowCheck& c) {
    Entity e = check(std::move(r), c);
    if (!c.ok()) return;
    ids.index.emplace(e.id, static_cast<int32_t>(out->size()));
    out->push_back(std::move(e));
  });
}

void BuildEntities(State& st, BuildReport& report, Registries& ids,
                   internal::NetworkData& d) {
  BuildEntities<SiteRow>(st, report, ids.sites, &d.sites, network::CheckSite);
  BuildEntities<PartnerRow>(
      st, report, ids.partners, &d.partners, [&](PartnerRow r, RowCheck& c) {
        if (ids.sites.IsClaimed(r.id)) {
          c.Error("partner_id", absl::StrCat("partner_id ", base::Quoted(r.id),
                                             " is already a site_id"));
        }
        return network::CheckPartner(std::move(r), c);
      });
  BuildEntities<ServiceRow>(
      st, report, ids.services, &d.services, [&](ServiceRow r, RowCheck& c) {
        return network::CheckService(std::move(r), c, ids.partners, d.partners);
      });
  BuildEntities<PersonRow>(
      st, report, ids.persons, &d.persons, [&](PersonRow r, RowCheck& c) {
        return network::CheckPerson(std::move(r), c, ids.sites, d.sites);
      });
}

// Prefix sums of per-person counts in begin[p + 1].
void Cumulate(std::vector<int32_t>* begin) {
  for (size_t i = 1; i < begin->size(); ++i) (*begin)[i] += (*begin)[i - 1];
}

void BuildNeeds(State& st, BuildReport& report, Registries& ids,
                internal::NetworkData& d) {
  absl::flat_hash_map<std::pair<int32_t, ThemeId>, int64_t> seen;
  std::vector<Need> needs;
  st.ForEachRow<NeedRow>(report, nullptr, [&](NeedRow& r, RowCheck& c) {
    const Need n = network::CheckNeed(r, c, ids.persons);
    // A row rejected for another reason still claims its (person, theme).
    if (n.person.valid() && ParseTheme(r.thematique)) {
      auto [it, inserted] =
          seen.emplace(std::pair{n.person.value(), n.theme}, c.line());
      if (!inserted && c.ok()) {
        c.Error("thematique",
                absl::StrCat("duplicate need of the same person and theme "
                             "(first at line ",
                             it->second, ")"));
      }
    }
    if (c.ok()) needs.push_back(n);
  });
  std::stable_sort(
      needs.begin(), needs.end(),
      [](const Need& a, const Need& b) { return a.person < b.person; });
  d.needs = std::move(needs);
  d.need_begin.assign(d.persons.size() + 1, 0);
  for (const Need& n : d.needs) ++d.need_begin[n.person.value() + 1];
  Cumulate(&d.need_begin);
}

// A current or accepted support holds a place and meets the person's need of
// the same theme.
void Pin(State& st, const Support& s, int64_t line, internal::NetworkData& d) {
  const int32_t places = ++d.pinned_places[s.service.value()];
  const Service& service = d.services[s.service.value()];
  if (service.capacity_known && places > service.capacity_available) {
    st.Add(Table::kSupports, line, "service_id",
           absl::StrCat("more current/accepted supports than the ",
                        "service's capacity_available (",
                        service.capacity_available, ")"),
           true);
  }
  for (int32_t n = d.need_begin[s.person.value()];
       n < d.need_begin[s.person.value() + 1]; ++n) {
    if (d.needs[n].theme != s.theme) continue;
    if (d.pinned_service[n] < 0) {
      d.pinned_service[n] = s.service.value();
    } else {
      st.Add(Table::kSupports, line, "thematique",
             "this need is already met by another current/accepted support",
             true);
    }
  }
}

void BuildSupports(State& st, BuildReport& report, Registries& ids,
                   internal::NetworkData& d) {
  absl::flat_hash_set<std::tuple<int32_t, int32_t, ThemeId>> seen;
  std::vector<std::pair<Support, int64_t>> supports;
  st.ForEachRow<SupportRow>(report, nullptr, [&](SupportRow& r, RowCheck& c) {
    const Support s = network::CheckSupport(r, c, ids.persons, ids.services);
    if (!c.ok()) return;
    if (!seen.insert({s.person.value(), s.service.value(), s.theme}).second) {
      c.Error("service_id",
              "duplicate support of the same person, service and theme");
      return;
    }
    if (!d.services[s.service.value()].served.Contains(s.theme)) {
      c.Warning("thematique", "the service does not serve this theme");
    }
    supports.push_back({s, c.line()});
  });
  std::stable_sort(supports.begin(), supports.end(),
                   [](const auto& a, const auto& b) {
                     return a.first.person < b.first.person;
                   });
  d.pinned_service.assign(d.needs.size(), -1);
  d.pinned_places.assign(d.services.size(), 0);
  d.support_begin.assign(d.persons.size() + 1, 0);
  for (auto& [s, line] : supports) {
    ++d.support_begin[s.person.value() + 1];
    if (PinsItsNeed(s.status)) Pin(st, s, line, d);
    d.supports.push_back(s);
  }
  Cumulate(&d.support_begin);
}

void BuildPartnerships(State& st, BuildReport& report, Registries& ids,
                       internal::NetworkData& d) {
  // The same edge twice (a cooperation in either direction).
  absl::flat_hash_map<std::tuple<int, int32_t, int32_t, int32_t>, int64_t> seen;
  st.ForEachRow<PartnershipRow>(
      report, nullptr, [&](PartnershipRow& r, RowCheck& c) {
        const Partnership p =
            network::CheckPartnership(r, c, ids.sites, ids.partners);
        if (!c.ok()) return;
        int32_t a = p.partner_a.value(), b = p.partner_b.value();
        if (p.kind == PartnershipKind::kCooperation && b < a) std::swap(a, b);
        auto [it, inserted] = seen.emplace(
            std::tuple(static_cast<int>(p.kind), p.site.value(), a, b),
            c.line());
        if (!inserted) {
          c.Error("to_id", absl::StrCat("duplicate partnership (first at line ",
                                        it->second, ")"));
          return;
        }
        d.partnerships.push_back(p);
      });
}

void BuildTravelTimes(State& st, BuildReport& report, Registries& ids,
                      internal::NetworkData& d) {
  absl::flat_hash_set<std::pair<std::string, int32_t>> seen;
  st.ForEachRow<TravelTimeRow>(
      report, nullptr, [&](TravelTimeRow& r, RowCheck& c) {
        TravelTime t = network::CheckTravelTime(std::move(r), c, ids.services);
        if (!c.ok()) return;
        if (!seen.insert({t.from_insee_com, t.service.value()}).second) {
          c.Error("service_id",
                  "duplicate travel time for this commune and service");
          return;
        }
        d.travel_times.push_back(std::move(t));
      });
  std::sort(d.travel_times.begin(), d.travel_times.end(),
            [](const TravelTime& a, const TravelTime& b) {
              return std::tie(a.from_insee_com, a.service) <
                     std::tie(b.from_insee_com, b.service);
            });
}

}  // namespace

NetworkBuilder::NetworkBuilder()
    : state_(std::make_unique<internal::BuilderState>()) {}
NetworkBuilder::~NetworkBuilder() = default;
NetworkBuilder::NetworkBuilder(NetworkBuilder&&) noexcept = default;
NetworkBuilder& NetworkBuilder::operator=(NetworkBuilder&&) noexcept = default;

void NetworkBuilder::SetFileName(Table t, std::string file) {
  state_->file_names[Index(t)] = std::move(file);
}

void NetworkBuilder::SetColumns(Table t, std::vector<std::string> header) {
  auto& map = state_->columns[Index(t)];
  map.clear();
  for (size_t i = 0; i < header.size(); ++i) {
    map.emplace(std::move(header[i]), static_cast<int32_t>(i + 1));
  }
}

void NetworkBuilder::AddProblem(Table t, int64_t line, absl::string_view field,
                                std::string reason, bool warning) {
  state_->Add(t, line, field, std::move(reason), warning);
  if (!warning && line > 0) {
    state_->rejected_lines[Index(t)].insert(line);
    state_->reported_cells[Index(t)].insert({line, std::string(field)});
  }
}

void NetworkBuilder::AddProblemAt(Table t, int64_t line, int32_t column,
                                  std::string reason) {
  state_->AddAt(t, line, column, "", std::move(reason), false);
  if (line > 0) state_->rejected_lines[Index(t)].insert(line);
}

void NetworkBuilder::AddRejected(Table t, int64_t line, std::string id) {
  ++state_->extra_rejected[Index(t)];
  if (!id.empty())
    state_->extra_rejected_ids[Index(t)].push_back(std::move(id));
  state_->Line(t, RowOrigin{line});
}

bool NetworkBuilder::CheckHeader(Table t,
                                 const std::vector<std::string>& names) {
  // A table has a handful of columns: thousands mean the first row is not a
  // header (a file of one long line), and are not listed one by one.
  constexpr size_t kMaxColumns = 256;
  if (names.size() > kMaxColumns) {
    AddProblemAt(
        t, 1, 0,
        absl::StrCat("the header has ", names.size(), " columns, more than ",
                     kMaxColumns, ": it is not the header of this table"));
    return false;
  }
  bool ok = true;
  std::vector<absl::string_view> known;
  for (const ColumnInfo& c : TableColumns(t)) known.push_back(c.name);
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const auto column = static_cast<int32_t>(i + 1);
    if (ColumnIndex(t, name) < 0) {
      // In a personal table a header-less file would show a person's values
      // here: the name is not repeated.
      AddProblemAt(
          t, 1, column,
          absl::StrCat(
              "unknown column",
              IsPersonalTable(t) ? "" : absl::StrCat(" ", base::Quoted(name)),
              " (expected: ", absl::StrJoin(known, ", "), ")"));
      ok = false;
    } else if (!seen.insert(name).second) {
      AddProblemAt(t, 1, column,
                   absl::StrCat("duplicate column ", base::Quoted(name)));
      ok = false;
    }
  }
  for (const ColumnInfo& c : TableColumns(t)) {
    if (c.required && !seen.contains(c.name)) {
      AddProblemAt(t, 1, 0,
                   absl::StrCat("missing required column '", c.name, "'"));
      ok = false;
    }
  }
  return ok;
}

template <typename Row>
void NetworkBuilder::Add(Row row, RowOrigin origin) {
  const int64_t line = state_->Line(TableOf<Row>(), origin);
  state_->Of<Row>().push_back({std::move(row), line});
}
template void NetworkBuilder::Add(SiteRow, RowOrigin);
template void NetworkBuilder::Add(PartnerRow, RowOrigin);
template void NetworkBuilder::Add(ServiceRow, RowOrigin);
template void NetworkBuilder::Add(PersonRow, RowOrigin);
template void NetworkBuilder::Add(NeedRow, RowOrigin);
template void NetworkBuilder::Add(SupportRow, RowOrigin);
template void NetworkBuilder::Add(PartnershipRow, RowOrigin);
template void NetworkBuilder::Add(TravelTimeRow, RowOrigin);

void NetworkBuilder::AddRows(NetworkRows rows) {
  ForEachTable(rows, [&](Table, auto& table) {
    for (auto& row : table) Add(std::move(row));
  });
}

BuildReport NetworkBuilder::BuildWithReport() && {
  internal::BuilderState& st = *state_;
  auto data = std::make_shared<internal::NetworkData>();
  BuildReport report;
  Registries ids;
  BuildEntities(st, report, ids, *data);
  BuildNeeds(st, report, ids, *data);
  BuildSupports(st, report, ids, *data);
  BuildPartnerships(st, report, ids, *data);
  BuildTravelTimes(st, report, ids, *data);

  // Rows that could not even be read into a row.
  for (Table t : kTables) {
    report.counts[Index(t)].read += st.extra_rejected[Index(t)];
    report.counts[Index(t)].rejected += st.extra_rejected[Index(t)];
  }
  data->site_index = std::move(ids.sites.index);
  data->partner_index = std::move(ids.partners.index);
  data->service_index = std::move(ids.services.index);
  data->person_index = std::move(ids.persons.index);
  data->reach =
      graph::ComputePartnerReach(static_cast<int32_t>(data->sites.size()),
                                 static_cast<int32_t>(data->partners.size()),
                                 data->partnerships, Network::kMaxHops);

  report.problems = st.SortedAndCapped();
  report.network = Network(std::move(data));
  return report;
}

absl::StatusOr<Network> NetworkBuilder::Build() && {
  BuildReport report = std::move(*this).BuildWithReport();
  if (!report.ok()) {
    return absl::InvalidArgumentError(
        ProblemsMessage(report.problems, "", "invalid row(s)"));
  }
  return std::move(report.network);
}

bool BuildReport::ok() const {
  for (const TableCounts& c : counts) {
    if (c.rejected > 0) return false;
  }
  return true;
}

}  // namespace maillage
