#include "allocate/levels.h"

#include <vector>

#include "allocate/costs.h"

namespace maillage::allocate {

PlanObjective Levels(const Network& net, const PlanScaling& scaling,
                     const std::vector<Assignment>& as) {
  PlanObjective o;
  std::vector<char> covered(net.persons().size(), 0),
      has_need(net.persons().size(), 0);
  for (const Need& n : net.needs()) {
    has_need[n.person.value()] = 1;
    ++o.needs_by_urgency[static_cast<size_t>(n.urgency - 1)];
  }
  o.needs = static_cast<int64_t>(net.needs().size());
  for (const Assignment& a : as) {
    covered[a.person.value()] = 1;
    ++o.needs_covered;
    const int32_t u = net.need(a.need).urgency;
    ++o.needs_covered_by_urgency[static_cast<size_t>(u - 1)];
    o.urgency_level += u - 1;
    if (a.pinned) {
      ++o.needs_pinned;
    } else {
      o.total_score += a.score;
      o.total_score_scaled += ScaledScore(scaling, a.score);
    }
  }
  for (size_t p = 0; p < covered.size(); ++p) {
    o.people += has_need[p];
    o.people_covered += covered[p];
  }
  return o;
}

}  // namespace maillage::allocate
