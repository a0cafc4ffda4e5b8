// Ranking referral options by capacity, proximity and complementarity.
//
// For a person's need and a service, the service is an option when it passes
// every eligibility filter, checked in this order (the first that fails is the
// reason given by `Check`):
//   kTheme    the service serves the need's theme (a category need is served
//             by any of its subthemes, a subtheme need by a service declaring
//             it or its whole category);
//   kFrais    when `RankOptions::frais` is set, the service's `frais` share a
//             code with it (a service that does not say passes unless
//             `exclude_unknown_frais`);
//   kServiceType  when `RankOptions::service_types` is set, the service's
//             `types` share a code with it (unknown: as for frais);
//   kPublic   the service's publics are empty, include `tous-publics`, or
//             share a public with the person;
//   kZone     the zone is empty or `france`, or lists the person's commune,
//             the city of their arrondissement (75056 for 75111), their
//             EPCI or their département;
//   kAge      the person's age (when known) is within [min_age, max_age];
//   kReach    an in-person service lies within the person's reach: the travel
//             time, when the travel-time table has the pair, is at most
//             `max_travel_minutes`; else the great-circle distance is at most
//             the person's `max_distance_km` (default
//             `default_max_distance_km`). A service offered `a-distance` is
//             always within reach;
//   kRefused  no `refused` support of that person, service and theme.
//
// Each option gets a score in [0, 1], the weighted sum of three parts in
// [0, 1] (weights normalised to sum 1):
//   capacity        = min(1, free / demand), where free = available places
//                     not held by current/accepted supports and demand = the
//                     number of open needs of the network for which the service
//                     is an option; 0 for a full service (still ranked, flagged
//                     `full`, so that a waiting list can be offered);
//                     `unknown_capacity_score` for a service whose capacity
//                     is unknown (flagged `capacity_known` false); times the
//                     trust in the service's places when freshness is on
//                     (`freshness_half_life_days`);
//   proximity       = 1 / (1 + d / proximity_half_km) for great-circle d, or
//                     1 / (1 + t / proximity_half_minutes) for travel time t;
//                     a remote service gets max(remote_proximity, the in-person
//                     value when in reach);
//   complementarity = link * w_link + cover * w_cover + novelty * w_novelty:
//                     link    = 0.5 + 0.5 * strength for a direct convention
//                               between the person's site and the partner,
//                               0.25 at two hops, 0 beyond;
//                     cover   = share of the person's other open needs the same
//                               service also serves (0 when none);
//                     novelty = 0 when the person already has a current,
//                               accepted or completed support with this service
//                               in the same theme category (a duplicate),
//                               else 1.
// Options are sorted by score (descending), then service index (ascending).
//
// Default weights: capacity 0.40, proximity 0.35, complementarity 0.25. A
// referral to a service without places fails or waits, so free capacity
// weighs most; the people concerned often have no car and little money for
// transport, so distance comes next; complementarity (working partnerships,
// one service for several needs, no duplicate) breaks near-ties in favour of
// the network the chargés de partenariat build. Inside complementarity the
// partnership link weighs 0.5, cover 0.3, novelty 0.2.
//
// Example:
//   absl::StatusOr<maillage::Ranker> r = maillage::Ranker::Create(network);
//   for (const maillage::Option& o : r->Rank(maillage::NeedId(0), 10)) ...
//
// A Ranker keeps a copy of the Network handle (shared, immutable): it does not
// depend on the caller's object. All queries are const and thread-safe.
// Candidates are found with a spatial grid per theme, so a query touches
// only the services of its theme near the person (and the remote ones whose
// zone can include the person), never every service of the country. `Rank`
// evaluates them best first: each candidate's score is bounded from a
// compact copy of its record (capacity, link and cover exact, proximity from
// the straight-line chord, novelty 1), and the search stops when no bound
// can reach the k-th score found. The result is exactly the head of all the
// options sorted (tests/rank_test.cc checks it to the last bit).

#ifndef MAILLAGE_RANK_H_
#define MAILLAGE_RANK_H_

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "maillage/ids.h"
#include "maillage/network.h"

namespace maillage {

struct RankWeights {
  double capacity = 0.40;
  double proximity = 0.35;
  double complementarity = 0.25;
};

struct ComplementarityWeights {
  double link = 0.5;
  double cover = 0.3;
  double novelty = 0.2;
};

struct RankOptions {
  RankWeights weights;
  ComplementarityWeights complementarity;
  // Reach of a person whose max_distance_km is absent.
  double default_max_distance_km = 30.0;
  // Reach in travel time, for pairs present in the travel-time table.
  double max_travel_minutes = 45.0;
  // Distance (time) at which proximity falls to 0.5.
  double proximity_half_km = 10.0;
  double proximity_half_minutes = 20.0;
  // Proximity of a service used remotely.
  double remote_proximity = 0.5;

  // Filters on what a record says (bit sets over Vocabulary::kFrais and
  // Vocabulary::kServiceTypes, e.g. 1 << *ParseCode(Vocabulary::kFrais,
  // "gratuit")); 0 = no filter. A service whose record does not say passes,
  // unless the matching `exclude_unknown_...` is set.
  CodeSet frais = 0;
  bool exclude_unknown_frais = false;
  CodeSet service_types = 0;
  bool exclude_unknown_types = false;

  // The capacity part of a service whose capacity is unknown (no
  // capacity_available, as in data·inclusion): neither full nor free.
  double unknown_capacity_score = 0.5;

  // Freshness: a directory's free places are only as true as their date.
  // When > 0, the capacity part is multiplied by the trust in the service's
  // places, 0.5 ^ (age / freshness_half_life_days), where age is the number
  // of days from the service's `updated` date to `as_of` (0 when `updated`
  // is later); a service without a readable date gets 0.5, as if one
  // half-life old. 0 (the default) = off: no directory uses freshness in
  // matching today, so it is opt-in.
  double freshness_half_life_days = 0;
  // The day the ages are counted to (ISO date, "2026-12-01"); empty = the
  // latest `updated` date of the network's services, so that a run never
  // depends on the clock.
  std::string as_of;
};

// Eligibility filters, in the order they are checked.
enum class Filter : uint8_t {
  kNone,  // eligible
  kTheme,
  kFrais,
  kServiceType,
  kPublic,
  kZone,
  kAge,
  kReach,
  kRefused,
};
inline constexpr int kNumFilters = 9;  // kNone included
// "eligible", "theme", "frais", "type", "public", "zone", "age", "reach",
// "refused".
absl::string_view FilterCode(Filter f);

struct Option {
  PersonId person;
  NeedId need;  // Invalid() for an ad hoc (person, theme) query
  ThemeId theme = 0;
  ServiceId service;
  double score = 0;
  double capacity = 0;
  double proximity = 0;
  double complementarity = 0;
  // The parts of complementarity (each in [0, 1]; complementarity is their
  // sum weighted by RankOptions::complementarity): the site's convention
  // with the partner (link), the share of the person's other open needs the
  // service also serves (cover), and 1 unless the person already has a
  // support at the service in the same category (novelty).
  double link = 0;
  double cover = 0;
  double novelty = 0;
  // Great-circle distance person -> service; NaN for a service without
  // location (remote only).
  double distance_km = std::numeric_limits<double>::quiet_NaN();
  bool remote = false;         // reached through its `a-distance` mode
  bool full = false;           // no free place (known capacity only)
  bool capacity_known = true;  // the service's Service::capacity_known
};

class Ranker {
 public:
  // Validates the options (weights >= 0 with a positive sum, distances > 0,
  // unknown_capacity_score in [0, 1], freshness_half_life_days >= 0, as_of
  // empty or an ISO date)
  // and precomputes the spatial index and each service's demand: one pass
  // over all open needs, O(sum of candidates).
  static absl::StatusOr<Ranker> Create(Network network,
                                       RankOptions options = {});

  const Network& network() const;
  const RankOptions& options() const;

  // The top `k` options of a need of the network, best first.
  // O(c + e log c) for c services of the theme near the person, of which
  // e (about k) are evaluated in full.
  std::vector<Option> Rank(NeedId need, int k) const;
  // The top `k` options for `theme` for a person, whether or not it is one of
  // their needs (their other open needs count for complementarity).
  std::vector<Option> Rank(PersonId person, ThemeId theme, int k) const;
  // Every option of a need, in no particular order (appended to `out`).
  void Candidates(NeedId need, std::vector<Option>* out) const;
  // The options of a need that may score above a bound per service: every
  // option o with o.score > min_score(o.service) is appended to `out`, with
  // some of the others (services whose upper bound on the score does not
  // exclude them). Faster than Candidates when most bounds are high: those
  // services are never scored. `min_score` is called once per service
  // that passes the cheap filters.
  void CandidatesAbove(NeedId need,
                       absl::FunctionRef<double(ServiceId)> min_score,
                       std::vector<Option>* out) const;
  // Every option of `theme` for a person who is not in the network (an
  // arrival; `person.site` must be a site of the network, its location
  // resolved), given the themes of their other open needs. The options carry
  // `id` as their person. Such a person has no supports.
  void CandidatesFor(const Person& person, PersonId id, ThemeId theme,
                     absl::Span<const ThemeId> other_open_themes,
                     std::vector<Option>* out) const;
  // The option of `need` for `service`, exactly as Candidates gives it, or
  // nullopt when the service is not an option of the need.
  absl::optional<Option> OptionFor(NeedId need, ServiceId service) const;
  // Whether `service` is an option for `need`: kNone, or the first filter
  // that fails.
  Filter Check(NeedId need, ServiceId service) const;
  // Open needs for which the service is an option.
  int32_t demand(ServiceId service) const;

  // What-if queries (maillage/analyze.h): the options a need would have if
  // the network changed as a Relaxation says, scored as in this network
  // (the demand of each service unchanged).
  struct Relaxation {
    // The person's reach in km, when > 0 (instead of max_distance_km or
    // default_max_distance_km; travel times still apply to their pairs).
    double reach_km = 0;
    // The service whose publics or zone change (Invalid(): none).
    ServiceId service = ServiceId::Invalid();
    // Publics that `service` admits besides its own.
    PublicSet extra_publics = 0;
    // A commune that `service`'s zone lists besides its own.
    std::string zone_commune;
  };
  // Every option of a need under the change (appended to `out`).
  void CandidatesIf(NeedId need, const Relaxation& change,
                    std::vector<Option>* out) const;
  // The option of a need at a service under the change, or nullopt.
  absl::optional<Option> OptionIf(NeedId need, ServiceId service,
                                  const Relaxation& change) const;

  // Why a need has (or lacks) options, over the services that serve its
  // theme within `radius_km` of the person or usable remotely where the
  // person lives: how many serve it, how many each filter excludes (the
  // first failing filter, reach checked last so that the other filters
  // count), the nearest service that passes every filter but reach, and the
  // best option (if any).
  struct Explanation {
    int32_t serving = 0;
    std::array<int32_t, kNumFilters> excluded_by{};  // indexed by Filter
    ServiceId nearest_out_of_reach;                  // Invalid() when none
    double nearest_distance_km = std::numeric_limits<double>::quiet_NaN();
    int32_t options = 0;
    ServiceId best_option;  // Invalid() when none
  };
  Explanation Explain(NeedId need, double radius_km) const;

 private:
  struct Impl;
  explicit Ranker(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace maillage

#endif  // MAILLAGE_RANK_H_
