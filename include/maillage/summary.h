// Counts of a plan, overall and per territory: what the command-line tool
// prints and summary.json holds.
//
// Example:
//   maillage::PlanSummary s = maillage::SummarizePlan(network, plan);
//   for (const auto& [territory, c] : s.territories)
//     std::cout << territory << ": " << c.needs_covered << "/" << c.needs;
//
// O(needs); thread-safe.

#ifndef MAILLAGE_SUMMARY_H_
#define MAILLAGE_SUMMARY_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "maillage/allocate.h"
#include "maillage/network.h"

namespace maillage {

struct CoverageCounts {
  int64_t people = 0;          // people with at least one need
  int64_t people_covered = 0;  // ... with at least one covered
  int64_t needs = 0;
  int64_t needs_covered = 0;  // pinned supports included
  int64_t needs_pinned = 0;
  // Needs left without a place, by UnmatchedReason.
  std::array<int64_t, kNumUnmatchedReasons> unmatched{};
};

struct PlanSummary {
  CoverageCounts all;
  // One per territory with at least one need, sorted by name. A person
  // counts in the territory of their site.
  std::vector<std::pair<std::string, CoverageCounts>> territories;
};

PlanSummary SummarizePlan(const Network& network, const Plan& plan);

}  // namespace maillage

#endif  // MAILLAGE_SUMMARY_H_
