// AllocationSession: a territory-wide plan kept optimal as events come
// (arrivals, departures, needs, capacity changes, refusals, acceptances),
// without full re-solves.
//
// Each event changes a few arcs of the flow problem of maillage/allocate.h
// and the plan is re-optimised by shortest paths on reduced costs from the
// previous optimum (its potentials). After any sequence of events the flow
// cost equals that of a full re-solve of the session's final problem
// (`FullResolveCost`), and an accepted referral is pinned: it never moves
// again.
//
// The session's problem is the one Allocate builds, changed by the events.
// Scores are those the Ranker gives when an option enters the session (the
// capacity part uses the demand of the network the Ranker was built on). The
// level weights are computed with room for growth (twice the sizes); an event
// that grows the problem beyond that room makes the session rescale its
// costs and solve once from scratch.
//
// Events are checked as the loader checks rows (network/checks.h): a person
// or need that the loader would reject, places the loader would refuse, fail
// with InvalidArgument naming the field and the loader's reason (never a
// value of the person's row), and change nothing. Ids: people and needs of
// the network keep their ids; people and needs added by events get the next
// ids. Events on ids that do not exist fail with InvalidArgument, on people
// who left or needs that are closed with FailedPrecondition.
//
// Example:
//   absl::StatusOr<AllocationSession> s = AllocationSession::Start(ranker);
//   s->SetCapacity(service, 4);
//   s->Refuse(need, other_service);
//   s->Accept(need2, *s->assignment(need2));
//   maillage::PersonRow arrival;
//   arrival.id = "p-new";
//   arrival.site_id = "S-lyon-001";
//   absl::StatusOr<PersonId> p = s->AddPerson(arrival, {{"", "sante", 2}});
//
// Referrals (maillage/referral.h): the plan proposes a service for a need
// (`assignment`); Send pins the need there, holding one place, until the
// partner answers (Accept, Refuse with a reason) or the referral expires
// (Expire, ExpireDue); Start and Complete follow an accepted referral, and
// Complete closes the need; Cancel reopens it. A refusal tells the model
// what it means (referral.h, EffectOf) and the need is re-optimised. A need
// met by a support of the network (supports.csv: current, a started
// referral; accepted; sent, a referral without date that ExpireDue leaves)
// has no options in the session: Cancel, Expire and an unpinning Refuse fail
// on it with FailedPrecondition (close it and add the need again).
//
// Snapshots: `Snapshot()` is the whole state of the session as bytes (the
// flow problem, its optimal flow and potentials, the people, needs,
// referrals and services), and `FromSnapshot` makes the same session again
// from them and the Ranker of the same network: the same plan, referral
// states and objective, without a solve, and the same answers to every later
// event (maillage/journal.h keeps sessions this way). The bytes hold the
// pseudonymous ids and the rows of the people who arrived during the session
// (their commune, location, age and publics); for the people who left, only
// their pseudonymous id.
//
// Not thread-safe. The session keeps its own copy of the Ranker (a shared
// immutable handle).

#ifndef MAILLAGE_SESSION_H_
#define MAILLAGE_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "maillage/allocate.h"
#include "maillage/ids.h"
#include "maillage/rank.h"
#include "maillage/referral.h"
#include "maillage/schema.h"
#include "maillage/vocabulary.h"

namespace maillage {

// The levels of a session's current plan.
struct SessionObjective {
  int64_t people_covered = 0;
  int64_t needs_covered = 0;  // pinned included
  int64_t needs_pinned = 0;
  int64_t urgency_level = 0;
  int64_t total_score_scaled = 0;  // of the assignments that are not pinned
  // The cost of the session's flow problem: with stable(), the levels' cost
  // times the stability factor, less one for each need on the service it
  // had before the last event.
  int64_t flow_cost = 0;
};

// A need whose assignment an event changed: the service it had and the one
// it has (an invalid id: none).
struct NeedChange {
  NeedId need;
  ServiceId from, to;
  friend bool operator==(const NeedChange&, const NeedChange&) = default;
};

// An option of a need in the session: its service and its score as the
// objective counts it (score × score scale, rounded), and whether a refusal
// excluded it.
struct SessionOption {
  ServiceId service;
  int64_t score_scaled = 0;
  bool excluded = false;
};

// A service in the session: its places (held ones included) and how many
// pinned referrals hold one.
struct SessionService {
  int32_t capacity_available = 0;
  int32_t capacity_max = 0;
  int32_t pinned = 0;
};

// What the session knows of one of its needs.
struct SessionNeed {
  PersonId person;
  ThemeId theme = 0;
  int32_t urgency = 1;
  enum class State : uint8_t { kOpen, kPinned, kClosed };
  State state = State::kOpen;
};

class AllocationSession {
 public:
  static absl::StatusOr<AllocationSession> Start(
      const Ranker& ranker, const AllocateOptions& options = {});
  // The session of `Snapshot()`'s bytes, for `ranker` built on the same
  // network (same rows, same options) as the ranker of the session that
  // wrote them. InvalidArgument when the bytes are not a snapshot of this
  // library's format, were cut or do not fit the network; DataLoss when the
  // restored plan fails its certificate.
  static absl::StatusOr<AllocationSession> FromSnapshot(
      const Ranker& ranker, absl::string_view bytes,
      const AllocateOptions& options = {});
  AllocationSession(AllocationSession&&) noexcept;
  AllocationSession& operator=(AllocationSession&&) noexcept;
  ~AllocationSession();

  // A person arrives: a row as in persons.csv (its site_id a site of the
  // network, its person_id new to the session) and their needs, rows as in
  // needs.csv whose person_id is empty or the person's. All or nothing: a
  // rejected need rejects the arrival. Returns the person's id.
  absl::StatusOr<PersonId> AddPerson(const PersonRow& person,
                                     absl::Span<const NeedRow> needs);
  // A person leaves: all their needs are closed, pinned ones included.
  absl::Status RemovePerson(PersonId person);
  // A new need of a person (person_id empty or theirs), of a theme they have
  // no open or pinned need of.
  absl::StatusOr<NeedId> AddNeed(PersonId person, const NeedRow& need);
  // The need is met or no longer relevant; a pinned need frees its place.
  absl::Status CloseNeed(NeedId need);
  // New capacity_available of a service (places held by pinned referrals
  // included), and its capacity_max when given; checked as services.csv is
  // (0 <= available <= capacity_max).
  absl::Status SetCapacity(ServiceId service, int32_t capacity_available,
                           absl::optional<int32_t> capacity_max = {});
  // The referral of the need to the service (one of its options, the one
  // the plan proposes or another) is sent at `sent_at`: the need is pinned
  // there and holds one of its places until it is answered or expires.
  absl::Status Send(NeedId need, ServiceId service, absl::Time sent_at);
  // The referral was refused for `reason`. A sent referral to that service
  // gives its place back first. Then the model learns what the reason
  // means (EffectOf): kOther, kNotEligible and kDeclined exclude that
  // service for that need, kPlaceNoLongerFree lowers the service's places
  // by one, kCannotTravel excludes every in-person option of the need at
  // that service's distance or farther, kNoAnswer changes nothing. An
  // accepted or started referral cannot be refused (Cancel it).
  absl::Status Refuse(NeedId need, ServiceId service,
                      RefusalReason reason = RefusalReason::kOther);
  // The referral was accepted: the need is pinned to that service (one of
  // its options), holds one of its places and never moves again unless the
  // referral is cancelled. A sent referral to that service becomes accepted;
  // an open need is pinned at once.
  absl::Status Accept(NeedId need, ServiceId service);
  // The sent referral of the need got no answer: its place is given back
  // and the need is open again.
  absl::Status Expire(NeedId need);
  // Expires every sent referral sent at `now - after` or earlier; returns
  // their needs, in need order.
  absl::StatusOr<std::vector<NeedId>> ExpireDue(
      absl::Time now,
      absl::Duration after = absl::Hours(24) * kDefaultExpiryDays);
  // The person started at the service of the accepted referral.
  absl::Status Start(NeedId need);
  // The support of a started referral is over: the need is met and closed,
  // its place given back.
  absl::Status Complete(NeedId need);
  // The sent, accepted or started referral is cancelled: its place is given
  // back and the need is open again.
  absl::Status Cancel(NeedId need);
  // The state of the need's referral: kProposed for an open need the plan
  // assigns, kSent, kAccepted or kStarted for a pinned need (a support of
  // the network: as its status), kCompleted for a need closed by Complete,
  // nullopt otherwise (an open need without a place, a need closed by
  // CloseNeed or RemovePerson, an unknown id). A refused, expired or
  // cancelled referral leaves its need open: the state is then the new
  // proposal's, if any.
  absl::optional<ReferralState> referral_state(NeedId need) const;

  // The service currently assigned to a need (pinned or not).
  absl::optional<ServiceId> assignment(NeedId need) const;
  bool pinned(NeedId need) const;
  // A need of the session (nullopt for an unknown id).
  absl::optional<SessionNeed> need(NeedId need) const;
  // The options of a need, by service (empty for an unknown id, and for a
  // need met by a support of the network).
  std::vector<SessionOption> options(NeedId need) const;
  // The places of a service (nullopt for an unknown id).
  absl::optional<SessionService> service(ServiceId service) const;
  // The person_id of a person of the session ("" for an unknown id).
  const std::string& person_id(PersonId person) const;
  // False for people who left and unknown ids.
  bool active(PersonId person) const;
  // The whole state as bytes (see the top of this file). O(arcs).
  std::string Snapshot() const;
  int32_t num_people() const;
  int32_t num_needs() const;
  SessionObjective objective() const;
  // Solves the session's current flow problem from scratch and returns its
  // optimal cost (for audits and tests; as slow as a full solve).
  absl::StatusOr<int64_t> FullResolveCost() const;
  // Re-checks the current plan's certificate without trusting the searches:
  // the flow is feasible and the node potentials prove it optimal (reduced
  // costs and complementary slackness). FailedPrecondition naming the
  // violation. O(arcs).
  absl::Status Verify() const;
  // Nodes settled by the shortest-path searches of the last event.
  int64_t last_event_work() const;
  // The needs whose assignment the last event changed, in need order: the
  // event's own need, and the others it moved, covered or uncovered. With
  // stable() (below) none moves without a gain on a level of the objective.
  const std::vector<NeedChange>& last_event_changes() const;
  // Stable re-planning: every re-optimisation keeps each need on its
  // current service unless moving it gains on a level of the objective
  // (people, needs, urgency, score). It needs costs (room for needs + 1)
  // times larger; false when they would not fit in 64 bits at the session's
  // score scale (beyond about 5,000 needs: all Convergence fits, a national
  // network at scale 0.02 does not): the plan is then optimal but may move
  // needs between equal options.
  bool stable() const;
  // The score scale of the session's costs: AllocateOptions::score_scale,
  // halved until the weights fit the 64-bit incremental solver (national
  // networks; Allocate keeps it whole with 128-bit potentials). It can drop
  // further when arrivals make the network larger.
  int64_t score_scale() const;
  // True when the last event rescaled the costs and solved from scratch.
  bool last_event_rescaled() const;
  // True when the last event solved from scratch because its searches went
  // past options.session_resolve_factor × nodes.
  bool last_event_resolved() const;

 private:
  struct Impl;
  explicit AllocationSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace maillage

#endif  // MAILLAGE_SESSION_H_
