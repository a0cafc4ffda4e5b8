// Allocation: a territory-wide referral plan in which nobody is left without a
// match when a match exists, with a reason for every need left without one.
//
// Each open (person, need) asks for one place; each service offers its free
// places (capacity_available minus the places held by current/accepted
// supports). Options come from a Ranker (every eligible service of every open
// need, with its score). The plan is an optimal solution of ONE min-cost flow
// problem whose objective is lexicographic:
//   1. the most people with at least one need covered (pinned supports
//      count: a person with one is covered already);
//   2. then the most needs covered;
//   3. then, urgent needs first: the largest sum of (urgency - 1) over the
//      covered needs;
//   4. then the highest total score (scores rounded to 1/score_scale).
//
// The flow network: source -> person -> need -> service -> sink, plus a
// bypass for what stays unmatched. Costs are the negated bonuses of the four
// levels, weighted so that each level strictly dominates the next, at the
// score scale requested whatever the size of the network: the solver
// computes potentials and the objective in 64 bits when they fit and in 128
// bits otherwise (PlanScaling::cost_bits; ResourceExhausted if even 128 bits
// cannot hold them, which no network of the generator reaches). The weights
// and why they suffice: docs/model.md.
//
// Example:
//   absl::StatusOr<maillage::Ranker> ranker = maillage::Ranker::Create(net);
//   absl::StatusOr<maillage::Plan> plan = maillage::Allocate(*ranker);
//   absl::Status ok = maillage::VerifyPlan(*ranker, *plan);
//
// Allocate is O(options) to build plus the solver's time; it is reentrant.

#ifndef MAILLAGE_ALLOCATE_H_
#define MAILLAGE_ALLOCATE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "maillage/ids.h"
#include "maillage/network.h"
#include "maillage/progress.h"
#include "maillage/rank.h"

namespace maillage {

struct AllocateOptions {
  // Scores enter the objective rounded to 1 / score_scale (level 4).
  int64_t score_scale = 1000;
  // Options on demand: Allocate ranks and models the best
  // `candidate_limit` options of each need (by score) only; once the simplex
  // has no eligible arc left, the needs whose other options could improve
  // the plan (a bound from their best option left out) are ranked in full,
  // every option of negative reduced cost is added, and the solve goes on
  // until none is. The plan is optimal for all the options whatever the
  // limit; the limit only changes the time and the memory. With `previous`
  // set, and in AllocationSession::Start and the analyzer, every option is
  // modelled and the limit is the number priced first. 0 = every option,
  // priced from the start. Timings: docs/performance.md.
  int32_t candidate_limit = 16;
  // Radius of the search behind the reasons of unmatched needs: services
  // farther than this (and not usable remotely) do not count as "in the
  // territory".
  double explain_radius_km = 100.0;
  // Threads that rank the needs' options while the model is built; 0 = the
  // hardware's. The plan does not depend on it.
  int32_t threads = 0;
  // AllocationSession only: an event whose shortest-path searches settle
  // more than this many times the problem's node count stops and solves the
  // session's problem from scratch instead (bounds the worst case of one
  // event by about the cost of a full solve). 0 = always solve from scratch
  // (for audits and tests).
  double session_resolve_factor = 4.0;
  // Places assumed at a service whose capacity is unknown (a record without
  // capacity_available, as data·inclusion's: Service::capacity_known false).
  // 0 leaves such services out of the plan (they are still ranked). The
  // default, 1, lets each of them take one referral, to be confirmed with
  // the partner: a need is not left unmatched only because a directory does
  // not publish places, and no partner receives a wave of referrals it may
  // not absorb. Every assignment resting on it has `capacity_assumed` set
  // (assignments.csv, summary.json). AllocationSession starts such a
  // service with these places; SetCapacity sets them like any other's.
  int32_t assumed_capacity = 1;
  // Stable re-planning (Allocate only): the service each need had in a
  // previous plan, as (need of this network, service of this network).
  // Among the optimal plans, Allocate then returns one that keeps the most
  // of them: an exact tie-break below the four levels, by a second solve on
  // the optimal face (the arcs of reduced cost 0; the potentials, so the
  // certificate and the shadow prices, stay those of the first solve). A
  // need then moves only for a gain on a level. A pair that is no longer an
  // option is ignored. PreviousAssignments (below) maps a plan of another
  // network (a scenario's base) by ids. Empty: no tie-break.
  std::vector<std::pair<NeedId, ServiceId>> previous;
  // Progress and cancellation (maillage/progress.h): Allocate reports
  // "rank", "solve" and "explain", VerifyPlan "rank" and "verify". Empty =
  // none.
  ProgressCallback progress;
};

enum class UnmatchedReason : uint8_t {
  // No service of the territory (within explain_radius_km, or usable
  // remotely there) serves the theme.
  kNoServiceForTheme,
  // Services serve the theme but none is eligible: `filter` is the filter
  // that excluded the most of them (public, zone, age or refused).
  kNotEligible,
  // Eligible services exist but none is within reach: `suggested` is the
  // nearest one.
  kOutOfReach,
  // Eligible services in reach are all full (or their places went to needs
  // that rank higher in the objective): `suggested` is the best of them, for
  // a waiting list.
  kCapacityFull,
};
inline constexpr int kNumUnmatchedReasons = 4;
// "no_service_for_theme", "not_eligible", "out_of_reach", "capacity_full".
absl::string_view UnmatchedReasonCode(UnmatchedReason r);

struct Assignment {
  PersonId person;
  NeedId need;
  ServiceId service;
  double score = 0;
  double capacity = 0;
  double proximity = 0;
  double complementarity = 0;
  double distance_km = 0;  // NaN when remote
  bool remote = false;
  bool pinned = false;  // from a current/accepted support (score parts 0)
  // The service's capacity is unknown: the place rests on
  // AllocateOptions::assumed_capacity, to be confirmed.
  bool capacity_assumed = false;
};

struct Unmatched {
  PersonId person;
  NeedId need;
  UnmatchedReason reason = UnmatchedReason::kNoServiceForTheme;
  Filter filter = Filter::kNone;  // for kNotEligible
  ServiceId suggested;            // for kOutOfReach, kCapacityFull
  double distance_km = 0;         // of `suggested`, NaN when remote/none
  std::string detail;             // human-readable, no personal values
  // The counts `detail` tells, as numbers. kCapacityFull: `in_reach`
  // eligible services in reach, all full (`serving` is -1: not computed).
  // Other reasons: `in_reach` 0; `serving` services serve the theme within
  // explain_radius_km or remotely, and `excluded_by[f]` of them fail filter
  // f first (reach checked last; indexed by Filter, kNone unused).
  int32_t in_reach = 0;
  int32_t serving = -1;
  std::array<int32_t, kNumFilters> excluded_by{};
};

// Why a need that has no option at all is unmatched (kNoServiceForTheme,
// kNotEligible or kOutOfReach, with `detail` and the counts), from
// Ranker::Explain over `explain_radius_km`; what Allocate writes for such a
// need. `person` and `need` are set.
Unmatched ExplainWithoutOptions(const Ranker& ranker, NeedId need,
                                double explain_radius_km);

// The objective at each level.
struct PlanObjective {
  int64_t people = 0;          // people with at least one need
  int64_t people_covered = 0;  // ... with at least one covered
  int64_t needs = 0;           // all needs (open and pinned)
  int64_t needs_covered = 0;   // covered (pinned included)
  int64_t needs_pinned = 0;
  std::array<int64_t, 3> needs_by_urgency{};          // urgency 1, 2, 3
  std::array<int64_t, 3> needs_covered_by_urgency{};  // urgency 1, 2, 3
  int64_t urgency_level = 0;       // sum of (urgency - 1) over covered needs
  double total_score = 0;          // sum of scores of the new assignments
  int64_t total_score_scaled = 0;  // the same, rounded as in the objective
  absl::int128 flow_cost = 0;      // min-cost flow objective (scaled, negative)
};

struct PlanScaling {
  // The one used: Allocate always uses AllocateOptions::score_scale;
  // AllocationSession (64-bit costs) halves it on networks too large for it
  // (see AllocationSession::scaling).
  int64_t score_scale = 0;
  int64_t urgency_weight = 0;
  int64_t need_weight = 0;
  int64_t person_weight = 0;
  // Width of the solver's potentials and objective: 64, or 128 when the
  // weights times the network's size exceed 64 bits and a checked 64-bit
  // solve could not finish (flow::SolveMinCostFlow). The plan is optimal
  // either way.
  int32_t cost_bits = 64;
};

// What one more place at a service is worth, from the optimal duals: the
// reduced cost of its capacity arc, in scaled cost units, split by level
// (people, needs, urgency, score) by the weights of PlanScaling. 0 for a
// service with free places left.
struct ShadowPrice {
  ServiceId service;
  int64_t scaled = 0;
  int64_t people = 0;
  int64_t needs = 0;
  int64_t urgency = 0;
  double score = 0;
};

struct Plan {
  // One per covered need (pinned supports included), in need order.
  std::vector<Assignment> assignments;
  // One per need without a place, in need order. Every need of the network
  // is in exactly one of the two lists.
  std::vector<Unmatched> unmatched;
  PlanObjective objective;
  PlanScaling scaling;
  // One per service, in service order.
  std::vector<ShadowPrice> shadow_prices;
  // Node potentials of the solved flow problem (the optimality certificate,
  // checked by VerifyPlan), in the node order of BuildFlowProblem. 128-bit:
  // with cost_bits 128 they exceed 64 bits.
  std::vector<absl::int128> potentials;
  // Timings in seconds.
  double build_seconds = 0;
  double solve_seconds = 0;
  // Arcs of the problem solved at the end (with candidate_limit: the best
  // options plus those added on demand; else all), and the rounds that
  // looked for options to add (the last adds none).
  int64_t arcs_solved = 0;
  int32_t repair_rounds = 0;
};

// OK, or InvalidArgument naming the first option out of range: score_scale
// in [1, 2^30], candidate_limit and threads >= 0, explain_radius_km finite
// and > 0, session_resolve_factor >= 0 (infinity: never fall back),
// assumed_capacity in [0, 1,000,000]. Every
// function that takes AllocateOptions checks them first.
absl::Status ValidateOptions(const AllocateOptions& options);

absl::StatusOr<Plan> Allocate(const Ranker& ranker,
                              const AllocateOptions& options = {});

// The new assignments of `previous` (a plan of `previous_network`) as
// AllocateOptions::previous for `network`: each need and service found in
// `network` by its person_id, thematique and service_id; the others are
// left out.
std::vector<std::pair<NeedId, ServiceId>> PreviousAssignments(
    const Network& previous_network, const Plan& previous,
    const Network& network);

// The places a plan may give at a service: its free places when its
// capacity is known, else options.assumed_capacity minus the places held by
// current/accepted supports (at least 0).
int32_t PlacesForPlan(const Network& network, ServiceId service,
                      const AllocateOptions& options);

// Re-checks a plan without trusting the solver: rebuilds the flow problem
// from the ranker, derives the flow from the assignments, and checks
// capacities, conservation, that every need is listed once, the objective
// levels, and optimality through the potentials (reduced costs and
// complementary slackness). OK or FailedPrecondition naming the violation.
absl::Status VerifyPlan(const Ranker& ranker, const Plan& plan,
                        const AllocateOptions& options = {});

// The flow problem Allocate solves, in DIMACS min-cost flow format (1-based
// nodes: 1 source, 2 sink, then people, needs and services in network order),
// with comment lines describing the model and the scaling.
absl::StatusOr<std::string> ExportDimacs(const Ranker& ranker,
                                         const AllocateOptions& options = {});

}  // namespace maillage

#endif  // MAILLAGE_ALLOCATE_H_
