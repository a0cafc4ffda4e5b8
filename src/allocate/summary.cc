#include "maillage/summary.h"

#include <map>

namespace maillage {
namespace {

void AddTo(CoverageCounts* to, const CoverageCounts& c) {
  to->people += c.people;
  to->people_covered += c.people_covered;
  to->needs += c.needs;
  to->needs_covered += c.needs_covered;
  to->needs_pinned += c.needs_pinned;
  for (size_t r = 0; r < c.unmatched.size(); ++r) {
    to->unmatched[r] += c.unmatched[r];
  }
}

}  // namespace

PlanSummary SummarizePlan(const Network& net, const Plan& plan) {
  std::map<std::string, CoverageCounts> by_territory;
  auto counts_of = [&](PersonId p) -> CoverageCounts& {
    return by_territory[net.site(net.person(p).site).territory];
  };
  std::vector<char> covered(net.persons().size(), 0);
  for (const Assignment& a : plan.assignments) {
    CoverageCounts& c = counts_of(a.person);
    ++c.needs;
    ++c.needs_covered;
    c.needs_pinned += a.pinned;
    covered[static_cast<size_t>(a.person.value())] = 1;
  }
  for (const Unmatched& u : plan.unmatched) {
    CoverageCounts& c = counts_of(u.person);
    ++c.needs;
    ++c.unmatched[static_cast<size_t>(u.reason)];
  }
  for (size_t p = 0; p < net.persons().size(); ++p) {
    const PersonId id(static_cast<int32_t>(p));
    if (net.first_need(id) == net.end_need(id)) continue;
    CoverageCounts& c = counts_of(id);
    ++c.people;
    c.people_covered += covered[p];
  }
  PlanSummary s;
  for (auto& [name, c] : by_territory) {
    AddTo(&s.all, c);
    s.territories.emplace_back(name, c);
  }
  return s;
}

}  // namespace maillage
