// Gap analysis: where the net has holes, and which places, partners or
// conventions would close them, each answer verified on the model.
//
// Four questions, all answered from the optimal plan of maillage/allocate.h:
//   * Coverage: per territory, theme category, EPCI, commune and public,
//     how many needs are covered, and why the others are not.
//   * Marginal gains: what more places at some services really change.
//     Never read from the duals: a shadow price (Plan::shadow_prices) is the
//     reduced cost of a capacity arc in ONE optimal dual solution; it is an
//     upper bound on the gain of one more place, and when the duals are
//     degenerate (many optimal dual solutions) it may promise a gain that no
//     place brings. MarginalGain re-optimises the plan with the places added
//     (successive shortest paths from the optimum, flow/incremental.h) and
//     reports the change of each level of the objective.
//   * Recommendations: a greedy portfolio of places under a budget
//     (RecommendPlaces) and new partners to recruit where unmatched demand
//     lives (RecommendRecruitments), each step chosen by exact gains and the
//     whole verified by one final re-solve of the edited network.
//   * What would help each unmatched need: the smallest single change of the
//     network that meets it, verified on the model (WhatWouldHelp).
//
// Gains are exact for the first three levels (people, needs, urgency): these
// depend only on which options exist and on the places, never on scores.
// Level 4 (score) is re-optimised with the scores of the baseline plan; the
// final re-solves rank again, so their score gains may differ slightly (the
// capacity part of a score changes with the places).
//
// Example:
//   absl::StatusOr<maillage::GapAnalyzer> a =
//       maillage::GapAnalyzer::Create(ranker);
//   absl::StatusOr<maillage::Gain> g = a->MarginalGain({svc}, 1);
//   absl::StatusOr<maillage::PlacePortfolio> p =
//       a->RecommendPlaces(20, "lyon");
//
// A GapAnalyzer keeps an incremental copy of the model and returns it to the
// baseline optimum after every query: queries do not change each other's
// answers, but the class is not thread-safe. Building it costs one Allocate.

#ifndef MAILLAGE_ANALYZE_H_
#define MAILLAGE_ANALYZE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "maillage/allocate.h"
#include "maillage/ids.h"
#include "maillage/network.h"
#include "maillage/rank.h"

namespace maillage {

// --- Coverage -------------------------------------------------------------

// How a coverage row groups the needs. Every row has a territory (of the
// person's site) and a category ("" for all categories together).
enum class CoverageBy : uint8_t {
  kTerritory,  // territory × category
  kEpci,       // territory × category × EPCI of the person's commune
  kCommune,    // territory × category × commune (with its EPCI)
  kPublic,     // territory × category × public of the person
};
inline constexpr int kNumCoverageBy = 4;
// "territory", "epci", "commune", "public".
absl::string_view CoverageByCode(CoverageBy by);

struct CoverageRow {
  CoverageBy by = CoverageBy::kTerritory;
  std::string territory;
  std::string category;   // a theme category code, "" = all categories
  std::string epci;       // SIREN, for kEpci and kCommune ("" when unknown)
  std::string insee_com;  // for kCommune
  // For kPublic: a public code, or "" for people who declare none. A person
  // with several publics counts in each of their rows.
  std::string public_code;
  int64_t people = 0;  // people with at least one need in the row
  // ... of whom none of those needs is covered.
  int64_t people_without_covered_need = 0;
  int64_t needs = 0;
  int64_t needs_covered = 0;  // pinned included
  int64_t needs_pinned = 0;
  std::array<int64_t, kNumUnmatchedReasons> unmatched{};
};

// Every non-empty row of each grouping, for a plan of `network` (one that
// lists every need once, as Allocate and ReadPlan give). Sorted by `by`,
// territory, category ("" first), then epci, commune, public. O(needs).
std::vector<CoverageRow> Coverage(const Network& network, const Plan& plan);

// --- Gains ----------------------------------------------------------------

// The change of each level of the objective between two plans.
struct Gain {
  int64_t people = 0;   // people with at least one need covered
  int64_t needs = 0;    // needs covered
  int64_t urgency = 0;  // sum of (urgency - 1) over covered needs
  double score = 0;     // total score of the new referrals
  // The change of the scaled objective (the plan's flow cost, negated):
  // positive is better. Compares gains lexicographically.
  int64_t scaled = 0;
  bool operator==(const Gain&) const = default;
};

// after - before, level by level (flow costs: before - after).
Gain GainBetween(const PlanObjective& before, const PlanObjective& after);

// A gain checked by building the edited network and allocating it again.
struct VerifiedGain {
  Gain gain;  // from the re-solve
  // Needs covered by urgency 1, 2, 3, before and after.
  std::array<int64_t, 3> covered_by_urgency_before{};
  std::array<int64_t, 3> covered_by_urgency_after{};
  // True when the re-solve's people, needs and urgency gains equal the
  // expected ones (they must: see the header comment).
  bool matches_expected = false;
};

struct ServiceGain {
  ServiceId service;
  int32_t places = 0;  // added
  Gain gain;
  ShadowPrice shadow_price;  // of the baseline plan, for comparison
};

// One step of a portfolio: one more place at a service.
struct PlaceStep {
  ServiceId service;
  Gain gain;  // of this place, given the places of the previous steps
  int64_t shadow_price_scaled = 0;  // at that step, an upper bound of gain
};

struct PlacePortfolio {
  std::string territory;  // "" = the whole network
  int32_t budget = 0;
  // The places, in the order chosen; fewer than `budget` when no place
  // gains anything at the first three levels any more.
  std::vector<PlaceStep> steps;
  Gain expected;  // sum of the steps' gains
  VerifiedGain verified;
};

// A partner to recruit: a service of `category` in commune `insee_com`.
struct Recruitment {
  std::string territory;
  std::string category;
  std::string insee_com;
  std::string epci;
  // Places it would need: the needs it would take in the re-optimised plan.
  int32_t places = 0;
  // People whose needs it would take.
  int32_t people_served = 0;
  // Unmatched needs (out_of_reach or no_service_for_theme) of that category
  // among people of the territory who live in that commune.
  int32_t unmatched_here = 0;
  Gain gain;  // given the recruitments chosen before it in the territory
};

struct RecruitmentPlan {
  std::string territory;
  std::vector<Recruitment> recruitments;  // in the order chosen
  Gain expected;
  VerifiedGain verified;
};

// The smallest single change that meets one unmatched need.
enum class HelpKind : uint8_t {
  kNone,    // no single change of the kinds below meets it
  kPlace,   // one more place at `service`
  kReach,   // the person's reach longer by `extra_km`
  kZone,    // `service`'s zone widened to the person's commune
  kPublic,  // `service` admits `public_code` (a public of the person)
};
inline constexpr int kNumHelpKinds = 5;
// "none", "place", "reach", "zone", "public".
absl::string_view HelpKindCode(HelpKind k);

struct Help {
  PersonId person;
  NeedId need;
  UnmatchedReason reason = UnmatchedReason::kNoServiceForTheme;
  HelpKind kind = HelpKind::kNone;
  ServiceId service;        // the service the need would get
  double extra_km = 0;      // kReach
  std::string public_code;  // kPublic
  // The change of the whole plan with that change (the need covered).
  Gain gain;
};

struct GapOptions {
  // Changes tried per need for each kind (best options first).
  int32_t max_tries_per_kind = 3;
  // A reach is lengthened at most to this (the reasons' search radius).
  double max_reach_km = 100.0;
  // Recruitments chosen per territory, at most.
  int32_t recruitments_per_territory = 3;
  // Communes tried per territory and category for a recruitment, the ones
  // with the most unmatched needs first.
  int32_t recruitment_candidates = 12;
};

// OK, or InvalidArgument naming the first option out of range (counts >= 0,
// max_reach_km finite and > 0).
absl::Status ValidateGapOptions(const GapOptions& options);

class GapAnalyzer {
 public:
  // Allocates the baseline plan and prepares the incremental model.
  static absl::StatusOr<GapAnalyzer> Create(const Ranker& ranker,
                                            const AllocateOptions& options = {},
                                            const GapOptions& gap_options = {});
  GapAnalyzer(GapAnalyzer&&) noexcept;
  GapAnalyzer& operator=(GapAnalyzer&&) noexcept;
  ~GapAnalyzer();

  const Ranker& ranker() const;
  const Network& network() const;
  // The baseline: Allocate(ranker, options).
  const Plan& plan() const;

  // The gain of `places` more places at each of `services` together.
  // InvalidArgument for an unknown id or places < 0.
  absl::StatusOr<Gain> MarginalGain(absl::Span<const ServiceId> services,
                                    int32_t places);
  // The gain of `places` more at each service on its own.
  absl::StatusOr<std::vector<ServiceGain>> MarginalGains(
      absl::Span<const ServiceId> services, int32_t places);

  // Up to `budget` places, one at a time, each at the service whose extra
  // place gains most (lexicographically) at that step, among the services
  // of `territory` ("" = every service): a service belongs to the territory
  // whose needs have the most options at it (a remote service reached from
  // several territories belongs to one; the gain of its places counts every
  // need it then covers, whatever their territory). Each territory's
  // portfolio starts from the baseline plan, so that portfolios of different
  // territories do not add up exactly when they share needs. Candidates
  // are tried in decreasing order of their current shadow price, which
  // bounds the gain, so the search stops early without missing the best.
  // Verified by one re-solve of the network with the places added.
  absl::StatusOr<PlacePortfolio> RecommendPlaces(int32_t budget,
                                                 absl::string_view territory);

  // For the needs of `territory` left out_of_reach or no_service_for_theme:
  // candidate services of their category (open to all, in person, at the
  // centre of a commune where such needs live, with as many places as the
  // needs that could use it but at most those of the territory's largest
  // service of that category, else of its largest service), each evaluated by
  // re-optimisation; the best one is kept and the others evaluated again
  // (none counted twice), up to recruitments_per_territory. Verified by one
  // re-solve with the recruited partners added.
  absl::StatusOr<RecruitmentPlan> RecommendRecruitments(
      absl::string_view territory);

  // One row per unmatched need of the baseline plan whose person's site is in
  // `territory` ("" = every territory), in need order.
  absl::StatusOr<std::vector<Help>> WhatWouldHelp(
      absl::string_view territory = {});

 private:
  struct Impl;
  explicit GapAnalyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace maillage

#endif  // MAILLAGE_ANALYZE_H_
