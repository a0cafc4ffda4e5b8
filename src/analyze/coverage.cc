// Coverage tables (maillage/analyze.h): one pass over the needs of a plan.

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "maillage/analyze.h"
#include "maillage/geo.h"
#include "maillage/vocabulary.h"

namespace maillage {

absl::string_view CoverageByCode(CoverageBy by) {
  switch (by) {
    case CoverageBy::kTerritory:
      return "territory";
    case CoverageBy::kEpci:
      return "epci";
    case CoverageBy::kCommune:
      return "commune";
    case CoverageBy::kPublic:
      return "public";
  }
  return "territory";
}

namespace {

// The key of a row: by, territory, category, epci, commune, public.
using Key = std::tuple<int, std::string, std::string, std::string, std::string,
                       std::string>;

struct Cell {
  CoverageRow row;
  // Per person of the row: whether one of their needs in it is covered.
  std::map<int32_t, bool> people;
};

}  // namespace

std::vector<CoverageRow> Coverage(const Network& network, const Plan& plan) {
  const auto num_needs = static_cast<int32_t>(network.needs().size());
  // Per need: -1 covered (pinned: -2), else the unmatched reason.
  std::vector<int> status(static_cast<size_t>(num_needs), -3);
  for (const Assignment& a : plan.assignments) {
    if (a.need.valid() && a.need.value() < num_needs) {
      status[static_cast<size_t>(a.need.value())] = a.pinned ? -2 : -1;
    }
  }
  for (const Unmatched& u : plan.unmatched) {
    if (u.need.valid() && u.need.value() < num_needs) {
      status[static_cast<size_t>(u.need.value())] = static_cast<int>(u.reason);
    }
  }
  std::map<Key, Cell> cells;
  auto add = [&](Key key, int32_t person, int st) {
    Cell& c = cells[key];
    const bool covered = st == -1 || st == -2;
    auto [it, inserted] = c.people.emplace(person, covered);
    if (!inserted && covered) it->second = true;
    ++c.row.needs;
    if (covered) ++c.row.needs_covered;
    if (st == -2) ++c.row.needs_pinned;
    if (st >= 0 && st < kNumUnmatchedReasons) {
      ++c.row.unmatched[static_cast<size_t>(st)];
    }
  };
  for (int32_t n = 0; n < num_needs; ++n) {
    const int st = status[static_cast<size_t>(n)];
    if (st == -3) continue;  // not in the plan
    const Need& need = network.need(NeedId(n));
    const Person& p = network.person(need.person);
    const std::string& territory = network.site(p.site).territory;
    const std::string category(ThemeCode(CategoryOf(need.theme)));
    const Commune* com = FindCommune(p.insee_com);
    const std::string epci = com != nullptr ? com->epci : std::string();
    std::vector<std::string> publics;
    for (int i = 0; i < NumPublics(); ++i) {
      if ((p.publics >> i) & 1u) {
        publics.emplace_back(PublicCode(static_cast<PublicId>(i)));
      }
    }
    if (publics.empty()) publics.emplace_back();
    const int32_t person = need.person.value();
    for (const std::string& cat : {category, std::string()}) {
      add({0, territory, cat, "", "", ""}, person, st);
      add({1, territory, cat, epci, "", ""}, person, st);
      add({2, territory, cat, epci, p.insee_com, ""}, person, st);
      for (const std::string& pub : publics) {
        add({3, territory, cat, "", "", pub}, person, st);
      }
    }
  }
  std::vector<CoverageRow> rows;
  rows.reserve(cells.size());
  for (auto& [key, cell] : cells) {
    CoverageRow r = cell.row;
    r.by = static_cast<CoverageBy>(std::get<0>(key));
    r.territory = std::get<1>(key);
    r.category = std::get<2>(key);
    r.epci = std::get<3>(key);
    r.insee_com = std::get<4>(key);
    r.public_code = std::get<5>(key);
    r.people = static_cast<int64_t>(cell.people.size());
    for (const auto& [person, covered] : cell.people) {
      if (!covered) ++r.people_without_covered_need;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace maillage
