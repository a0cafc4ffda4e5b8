// Everything `maillage gaps` computes for a network, in one call, and the
// files it writes: the chargé de partenariat's view of where the net has
// holes and what closes them (maillage/analyze.h, maillage/partner_graph.h).
//
// Example:
//   absl::StatusOr<maillage::GapReport> r = maillage::AnalyzeGaps(ranker);
//   absl::Status s = maillage::WriteGaps(*r, "gaps/");
//
// Thread-safe (each call builds its own GapAnalyzer).

#ifndef MAILLAGE_GAPS_H_
#define MAILLAGE_GAPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "maillage/allocate.h"
#include "maillage/analyze.h"
#include "maillage/network.h"
#include "maillage/partner_graph.h"
#include "maillage/rank.h"

namespace maillage {

struct GapsOptions {
  AllocateOptions allocate;
  GapOptions gaps;
  PartnerGraphOptions partner_graph;
  // Places recommended per territory, at most.
  int32_t budget = 10;
  // Territories analysed; empty = all of the network's.
  std::vector<std::string> territories;
  // Whether to compute what would help each unmatched need (one row per
  // such need; the slowest part on large networks).
  bool what_would_help = true;
};

struct GapReport {
  Network network;
  // The plan the coverage describes: the given one, or the baseline
  // allocation. The recommendations are always computed from the baseline
  // (an optimal plan), whose objective is `baseline`.
  Plan plan;
  bool plan_given = false;
  PlanObjective baseline;
  std::vector<CoverageRow> coverage;
  std::vector<PlacePortfolio> places;         // one per territory
  std::vector<RecruitmentPlan> recruitments;  // one per territory
  std::vector<Help> what_would_help;          // empty when not asked
  PartnerGraphAnalysis partner_graph;
  GapsOptions options;
};

// With `plan` (for instance read by ReadPlan), coverage describes that plan;
// else the baseline allocation. InvalidArgument for bad options or an
// unknown territory.
absl::StatusOr<GapReport> AnalyzeGaps(const Ranker& ranker,
                                      const GapsOptions& options = {},
                                      const Plan* plan = nullptr);

// Writes into `dir` (created if needed), as CSV with a header (UTF-8, `,`,
// `.` decimals, as the folder format):
//   coverage.csv           CoverageRow: by, territory, category, epci,
//                          insee_com, public, people,
//                          people_without_covered_need, needs, needs_covered,
//                          needs_pinned, unmatched, then one column per
//                          unmatched reason;
//   recommended_places.csv territory, step, service_id, partner_id,
//                          service_name, gain_people, gain_needs,
//                          gain_urgency, gain_score, shadow_price_scaled,
//                          then one row per territory with step "total"
//                          and the verified gains;
//   recruitments.csv       territory, rank, category, insee_com,
//                          commune_name, epci, epci_name, places,
//                          people_served, unmatched_here, gain_people,
//                          gain_needs, gain_urgency, then a "total" row per
//                          territory with the verified gains;
//   what_would_help.csv    person_id, thematique, reason, change,
//                          service_id, partner_id, extra_km, public,
//                          gain_people, gain_needs, gain_urgency (one row per
//                          unmatched need; personal, like unmatched.csv);
//   partner_graph.csv      PartnerGraphRow;
//   gaps.json              the baseline objective, the options, and per
//                          territory the verified totals.
// Unavailable when a file cannot be written.
absl::Status WriteGaps(const GapReport& report, const std::string& dir);

// The text of one of the files WriteGaps writes, by name
// ("coverage.csv"...); InvalidArgument for another name. A file reads only
// the parts of `report` it shows (coverage.csv: `network`, `coverage`).
absl::StatusOr<std::string> GapsFileText(const GapReport& report,
                                         absl::string_view name);
// The names of those files, in the order WriteGaps writes them.
std::vector<std::string> GapsFileNames();

}  // namespace maillage

#endif  // MAILLAGE_GAPS_H_
