// AllocationSession (maillage/session.h): the allocation model kept optimal
// under events.

#include "maillage/session.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "allocate/costs.h"
#include "allocate/model.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "flow/incremental.h"
#include "flow/network_simplex.h"
#include "flow/verify.h"
#include "maillage/geo.h"
#include "network/checks.h"

namespace maillage {

namespace {

// The problems of an event's rows, as one InvalidArgument status: "EVENT:
// field: reason; ..." with the loader's reasons.
class EventProblems : public network::ProblemSink {
 public:
  void Add(Table, int64_t, absl::string_view field, std::string reason,
           bool warning) override {
    if (warning) return;
    errors_.push_back(field.empty() ? std::move(reason)
                                    : absl::StrCat(field, ": ", reason));
  }
  bool ok() const { return errors_.empty(); }
  absl::Status ToStatus(absl::string_view event) const {
    return absl::InvalidArgumentError(
        absl::StrCat(event, ": ", absl::StrJoin(errors_, "; ")));
  }

 private:
  std::vector<std::string> errors_;
};

// One person's id, for the needs that refer to it.
class OneId : public network::IdIndex {
 public:
  OneId(absl::string_view id, int32_t index) : id_(id), index_(index) {}
  int32_t Find(absl::string_view id) const override {
    return id == id_ ? index_ : -1;
  }
  bool IsRejected(absl::string_view) const override { return false; }

 private:
  absl::string_view id_;
  int32_t index_;
};

// The bytes of a snapshot: "MSS1", then unsigned LEB128 varints (signed
// values zigzag-encoded) and length-prefixed strings.
constexpr absl::string_view kSnapshotMagic = "MSS1";

class SnapshotWriter {
 public:
  SnapshotWriter() {
    out_.append(kSnapshotMagic.data(), kSnapshotMagic.size());
  }
  void U(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void I(int64_t v) {
    U((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void D(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    U(bits);
  }
  void S(absl::string_view v) {
    U(v.size());
    out_.append(v.data(), v.size());
  }
  void T(absl::Time t) {
    if (t == absl::InfinitePast()) {
      U(0);
    } else if (t == absl::InfiniteFuture()) {
      U(1);
    } else {
      U(2);
      I(absl::ToUnixMicros(t));
    }
  }
  std::string Take() && { return std::move(out_); }

 private:
  std::string out_;
};

class SnapshotReader {
 public:
  explicit SnapshotReader(absl::string_view in) : in_(in) {
    if (!absl::ConsumePrefix(&in_, kSnapshotMagic)) ok_ = false;
  }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }
  uint64_t U() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) break;
      const auto b = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    ok_ = false;
    return 0;
  }
  int64_t I() {
    const uint64_t u = U();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  double D() {
    const uint64_t bits = U();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  std::string S() {
    const uint64_t n = U();
    if (n > in_.size()) {
      ok_ = false;
      return "";
    }
    std::string v(in_.substr(0, n));
    in_.remove_prefix(n);
    return v;
  }
  absl::Time T() {
    switch (U()) {
      case 0:
        return absl::InfinitePast();
      case 1:
        return absl::InfiniteFuture();
      case 2:
        return absl::FromUnixMicros(I());
      default:
        ok_ = false;
        return absl::InfinitePast();
    }
  }
  // A count of items that each take at least one byte.
  size_t Count() {
    const uint64_t n = U();
    if (n > in_.size()) {
      ok_ = false;
      return 0;
    }
    return static_cast<size_t>(n);
  }
  // A value in [lo, hi).
  int32_t Index(int64_t lo, int64_t hi) {
    const int64_t v = I();
    if (v < lo || v >= hi) {
      ok_ = false;
      return static_cast<int32_t>(lo);
    }
    return static_cast<int32_t>(v);
  }

 private:
  absl::string_view in_;
  bool ok_ = true;
};

enum class ArcKind : uint8_t {
  kBonus,
  kRest,
  kNeed,
  kOption,
  kService,
  kBypass
};
}  // namespace

struct AllocationSession::Impl {
  Ranker ranker;
  AllocateOptions options;
  PlanScaling scaling;
  // Sizes the weights were computed for (with room to grow).
  int64_t room_people = 0, room_needs = 0, room_services = 0;
  flow::IncrementalFlow inc;
  std::vector<ArcKind> arc_kind;   // per arc
  std::vector<int64_t> arc_value;  // urgency (need arcs), score (options)
  int32_t bypass_arc = -1;
  int64_t modelled = 0;  // needs with a need arc, open
  int64_t last_work = 0;
  bool last_rescaled = false;
  bool last_resolved = false;
  // Stable re-planning: every cost is multiplied by `stability` (the room
  // for needs + 1, or 1 when that does not fit in 64 bits) and the option
  // arc of each need's current assignment costs 1 less (assigned[arc]): a
  // re-optimisation then keeps every need where it is unless moving it
  // gains on a level above (the bonuses of all needs add up to less than
  // one unit of the levels).
  int64_t stability = 1;
  std::vector<char>
      assigned;  // per arc: an option arc carrying flow after the last event
  std::vector<int32_t> arc_need;  // per arc: the need of an option arc, or -1
  std::vector<std::pair<int32_t, int64_t>> flow_log;
  std::vector<NeedChange> changes;  // of the last event
  // The pins the current event released: need, service.
  std::vector<std::pair<int32_t, ServiceId>> released;

  struct PersonState {
    int32_t node = -1;
    int32_t bonus_arc = -1, rest_arc = -1;
    int32_t open_modelled = 0;
    int32_t pinned = 0;
    bool active = true;
    Person value;  // location, site, publics... (arrivals and network)
    std::vector<int32_t> needs;
  };
  struct OptionArc {
    int32_t arc;
    ServiceId service;
    bool refused = false;
  };
  enum class NeedState : uint8_t { kOpen, kPinned, kClosed };
  struct NeedInfo {
    int32_t node = -1;
    PersonId person;
    ThemeId theme = 0;
    int32_t urgency = 1;
    int32_t need_arc = -1;
    std::vector<OptionArc> options;  // sorted by service
    NeedState state = NeedState::kOpen;
    ServiceId pinned_to;
    // A pinned need's referral: kSent, kAccepted or kStarted (a support
    // of the network: as its status); kCompleted for a need closed by
    // Complete; none otherwise.
    absl::optional<ReferralState> referral;
    absl::Time sent_at = absl::InfinitePast();
  };
  struct ServiceState {
    int32_t arc = -1;
    int32_t capacity = 0;  // capacity_available
    int32_t capacity_max = 0;
    int32_t pinned = 0;
  };
  std::vector<PersonState> people;
  std::vector<NeedInfo> needs;
  std::vector<ServiceState> services;
  // Ids of the people who arrived during the session.
  absl::flat_hash_set<std::string> arrived_ids;

  explicit Impl(Ranker r) : ranker(std::move(r)) {}

  int64_t OptionCost(double score) const {
    return allocate::OptionCost(scaling, score);
  }
  // The cost of an arc of kind `k` whose value is the need's urgency (need
  // arcs) or the option's cost (option arcs).
  int64_t Cost(ArcKind k, int64_t value) const {
    switch (k) {
      case ArcKind::kBonus:
        return stability * allocate::PersonBonusCost(scaling);
      case ArcKind::kNeed:
        return stability *
               allocate::NeedCost(scaling, static_cast<int32_t>(value));
      case ArcKind::kOption:
        return stability * value;  // value already scaled
      default:
        return 0;
    }
  }
  // The cost of arc `a` in the flow problem: its level cost, less its
  // stability bonus.
  int64_t ArcCost(size_t a) const {
    return Cost(arc_kind[a], arc_value[a]) -
           (stability > 1 && assigned[a] != 0 ? 1 : 0);
  }
  // The stability factor for the current rooms, if the costs of `p` (with
  // this session's arcs) fit with it; else 1.
  int64_t StabilityFor(const flow::FlowProblem& p) {
    const int64_t saved = stability;
    stability = room_needs + 1;
    flow::FlowProblem q = p;
    for (size_t a = 0; a < arc_kind.size(); ++a) q.cost[a] = ArcCost(a);
    const bool fits = flow::ValidateProblem(q).ok();
    const int64_t k = fits ? stability : 1;
    stability = saved;
    return k;
  }
  // After an event: the bonus goes to each need's new assignment (a change
  // that keeps every reduced cost optimal: an option arc carries its one
  // unit or nothing), and `changed` lists the needs that moved.
  void UpdateBonuses(bool all_arcs) {
    changes.clear();
    // need -> (the service it was assigned, the one it is assigned now),
    // for the needs whose option arcs changed.
    absl::flat_hash_map<int32_t, std::pair<ServiceId, ServiceId>> moved;
    auto update = [&](size_t a) {
      if (arc_kind[a] != ArcKind::kOption) return;
      const bool want = inc.flow(static_cast<int32_t>(a)) > 0;
      if (want != (assigned[a] != 0)) {
        const int32_t n = arc_need[a];
        const NeedInfo& info = needs[static_cast<size_t>(n)];
        ServiceId service;
        for (const OptionArc& o : info.options) {
          if (o.arc == static_cast<int32_t>(a)) service = o.service;
        }
        auto& m = moved[n];
        (want ? m.second : m.first) = service;
      }
      assigned[a] = want ? 1 : 0;
      if (inc.problem().cost[a] != ArcCost(a)) {
        inc.SetCost(static_cast<int32_t>(a), ArcCost(a));
      }
    };
    if (all_arcs) {
      for (size_t a = 0; a < arc_kind.size(); ++a) update(a);
    } else {
      // (No change below pushes flow: an option arc carries its whole
      // capacity or nothing, so moving a bonus keeps it optimal.)
      for (size_t k = 0; k < flow_log.size(); ++k) {
        update(static_cast<size_t>(flow_log[k].first));
      }
    }
    flow_log.clear();
    // A need whose pin the event released had that service before.
    for (const auto& [n, service] : released) {
      auto [it, fresh] = moved.try_emplace(n);
      if (!it->second.first.valid()) it->second.first = service;
    }
    released.clear();
    for (auto& [n, m] : moved) {
      const NeedInfo& info = needs[static_cast<size_t>(n)];
      // A need pinned by the event keeps the service it had.
      if (!m.second.valid() && info.state == NeedState::kPinned) {
        m.second = info.pinned_to;
      }
      if (m.first != m.second)
        changes.push_back(NeedChange{NeedId(n), m.first, m.second});
    }
    std::sort(changes.begin(), changes.end(),
              [](const NeedChange& x, const NeedChange& y) {
                return x.need < y.need;
              });
  }
  int32_t AddArc(int32_t t, int32_t h, int64_t cap, ArcKind k, int64_t value,
                 int32_t need = -1) {
    assigned.push_back(0);
    arc_need.push_back(need);
    const int32_t a = inc.AddArc(t, h, cap, Cost(k, value));
    arc_kind.push_back(k);
    arc_value.push_back(value);
    return a;
  }
  int32_t ServiceNode(ServiceId s) const {
    return 2 + static_cast<int32_t>(ranker.network().persons().size()) +
           static_cast<int32_t>(ranker.network().needs().size()) + s.value();
  }
  int64_t FreePlaces(const ServiceState& s) const {
    return std::max(0, s.capacity - s.pinned);
  }
  void UpdateService(ServiceId s) {
    ServiceState& st = services[static_cast<size_t>(s.value())];
    if (st.arc < 0) {
      // A service entering the model has no arcs yet: at the sink's
      // potential its arc starts empty at reduced cost 0.
      inc.SetIsolatedPotential(ServiceNode(s), inc.potential(allocate::kSink));
      st.arc = AddArc(ServiceNode(s), allocate::kSink, FreePlaces(st),
                      ArcKind::kService, 0);
    } else {
      inc.SetCapacity(st.arc, FreePlaces(st));
    }
  }
  // Capacities of a person's source arcs from their counts.
  void UpdatePerson(PersonState& p) {
    const int64_t bonus = (p.open_modelled >= 1 && p.pinned == 0) ? 1 : 0;
    const int64_t rest = p.open_modelled - bonus;
    if (p.bonus_arc < 0 && bonus > 0) {
      p.bonus_arc = AddArc(allocate::kSource, p.node, 0, ArcKind::kBonus, 0);
    }
    if (p.rest_arc < 0 && rest > 0) {
      p.rest_arc = AddArc(allocate::kSource, p.node, 0, ArcKind::kRest, 0);
    }
    // Lower the capacity that shrinks first, so that flow moves over.
    if (p.bonus_arc >= 0) inc.SetCapacity(p.bonus_arc, bonus);
    if (p.rest_arc >= 0) inc.SetCapacity(p.rest_arc, rest);
  }
  void ChangeModelled(int64_t delta) {
    modelled += delta;
    inc.AddSupply(allocate::kSource, delta);
    inc.AddSupply(allocate::kSink, -delta);
    inc.SetCapacity(bypass_arc, modelled);
  }
  // Removes an open need from the flow (closing or pinning it).
  void Unmodel(NeedInfo& n) {
    if (n.need_arc < 0) return;
    inc.SetCapacity(n.need_arc, 0);
    for (const OptionArc& o : n.options) inc.SetCapacity(o.arc, 0);
    PersonState& p = people[static_cast<size_t>(n.person.value())];
    --p.open_modelled;
    ChangeModelled(-1);
    UpdatePerson(p);
  }

  // Every event starts with a clean report of how it was solved.
  Impl& BeginEvent() {
    last_rescaled = false;
    last_resolved = false;
    changes.clear();
    released.clear();
    return *this;
  }
  // An open need back in the flow: the inverse of Unmodel (refused options
  // stay out).
  void Remodel(NeedInfo& n) {
    inc.SetCapacity(n.need_arc, 1);
    for (const OptionArc& o : n.options) {
      if (!o.refused) inc.SetCapacity(o.arc, 1);
    }
    PersonState& p = people[static_cast<size_t>(n.person.value())];
    ++p.open_modelled;
    ChangeModelled(1);
    UpdatePerson(p);
  }
  // A pinned need open again in the flow, its place given back.
  void Unpin(NeedInfo& n) {
    ReleasePin(n);
    n.state = NeedState::kOpen;
    n.pinned_to = ServiceId();
    n.referral.reset();
    n.sent_at = absl::InfinitePast();
    Remodel(n);
  }
  // The need of a referral event: InvalidArgument for an unknown need,
  // FailedPrecondition unless it is pinned with a referral that `event` may
  // follow (referral.h) and, when the event reopens the need, it has
  // options in the session.
  absl::StatusOr<NeedInfo*> ReferralOf(NeedId need, ReferralEvent event,
                                       bool reopens) {
    MAILLAGE_RETURN_IF_ERROR(CheckNeed(need));
    NeedInfo& n = needs[static_cast<size_t>(need.value())];
    if (n.state != NeedState::kPinned || !n.referral) {
      return absl::FailedPreconditionError(
          absl::StrCat("the need has no referral to ", ReferralEventCode(event),
                       " (none was sent)"));
    }
    MAILLAGE_RETURN_IF_ERROR(NextState(*n.referral, event).status());
    if (reopens && n.need_arc < 0) {
      return absl::FailedPreconditionError(
          "the need is met by a support of the network and has no options "
          "in the session: close it and add a new need instead");
    }
    return &n;
  }
  // The referral ends without its support (expired, cancelled): its place
  // is given back and the need is open again.
  absl::Status Reopen(NeedId need, ReferralEvent event) {
    MAILLAGE_ASSIGN_OR_RETURN(NeedInfo * n,
                              ReferralOf(need, event, /*reopens=*/true));
    Unpin(*n);
    return Finish();
  }
  // Excludes an option of an open need.
  void Exclude(OptionArc& o) {
    o.refused = true;
    inc.SetCapacity(o.arc, 0);
  }
  // What a refusal of `service` for `reason` tells the model.
  void LearnRefusal(NeedInfo& n, ServiceId service, RefusalReason reason) {
    switch (EffectOf(reason)) {
      case RefusalEffect::kExcludeOption:
        for (OptionArc& o : n.options) {
          if (o.service == service) Exclude(o);
        }
        break;
      case RefusalEffect::kLowerPlaces: {
        ServiceState& st = services[static_cast<size_t>(service.value())];
        st.capacity = std::max(0, st.capacity - 1);
        if (st.arc >= 0) UpdateService(service);
        break;
      }
      case RefusalEffect::kShortenReach: {
        // Every in-person option at that distance or farther goes; the
        // services the person can use remotely stay.
        const Network& net = ranker.network();
        const Person& person =
            people[static_cast<size_t>(n.person.value())].value;
        auto km = [&](ServiceId s) {
          const Service& sv = net.service(s);
          return sv.has_location
                     ? GreatCircleKm(person.lat, person.lng, sv.lat, sv.lng)
                     : std::numeric_limits<double>::infinity();
        };
        const double limit = km(service);
        for (OptionArc& o : n.options) {
          if (o.refused) continue;
          if (o.service == service ||
              (!net.service(o.service).remote() && km(o.service) >= limit)) {
            Exclude(o);
          }
        }
        break;
      }
      case RefusalEffect::kReopen:
        break;
    }
  }

  // Pins an open need to one of its options (not refused): it leaves the
  // flow and holds one place there.
  absl::Status Pin(NeedInfo& n, NeedId need, ServiceId service) {
    auto it =
        std::find_if(n.options.begin(), n.options.end(),
                     [&](const OptionArc& o) { return o.service == service; });
    if (it == n.options.end() || it->refused) {
      return absl::InvalidArgumentError(
          absl::StrCat("service ", service.value(),
                       " is not an option of need ", need.value()));
    }
    Unmodel(n);
    n.state = NeedState::kPinned;
    n.pinned_to = service;
    PersonState& p = people[static_cast<size_t>(n.person.value())];
    ++p.pinned;
    UpdatePerson(p);
    ++services[static_cast<size_t>(service.value())].pinned;
    UpdateService(service);
    return absl::OkStatus();
  }

  // A pinned need gives back its place at its service and its person's
  // pin (the need is then closed by the caller).
  void ReleasePin(const NeedInfo& n) {
    released.emplace_back(static_cast<int32_t>(&n - needs.data()), n.pinned_to);
    ServiceState& ss = services[static_cast<size_t>(n.pinned_to.value())];
    --ss.pinned;
    if (ss.arc >= 0) UpdateService(n.pinned_to);
    --people[static_cast<size_t>(n.person.value())].pinned;
  }

  // The needs of `rows` for a person (`person_id`, whose needs in the
  // session are those of `person` when it is in the session already),
  // checked as needs.csv rows are: the same reasons, and no two open or
  // pinned needs of one theme. Problems go to `problems`.
  std::vector<Need> CheckNeeds(PersonId person, const std::string& person_id,
                               absl::Span<const NeedRow> rows,
                               EventProblems* problems) const {
    std::vector<Need> out;
    std::vector<ThemeId> taken;
    if (person.value() < static_cast<int32_t>(people.size())) {
      for (int32_t n : people[static_cast<size_t>(person.value())].needs) {
        const NeedInfo& info = needs[static_cast<size_t>(n)];
        if (info.state != NeedState::kClosed) taken.push_back(info.theme);
      }
    }
    const OneId ids(person_id, person.value());
    for (const NeedRow& given : rows) {
      NeedRow r = given;
      if (r.person_id.empty()) r.person_id = person_id;
      network::RowCheck c(problems, Table::kNeeds, 0);
      const Need n = network::CheckNeed(r, c, ids);
      if (!c.ok()) continue;
      if (std::find(taken.begin(), taken.end(), n.theme) != taken.end()) {
        c.Error("thematique", "duplicate need of the same person and theme");
        continue;
      }
      taken.push_back(n.theme);
      out.push_back(n);
    }
    return out;
  }

  // InvalidArgument for an id out of [0, size).
  template <typename Id>
  static absl::Status CheckId(Id id, size_t size, absl::string_view what) {
    if (!id.valid() || static_cast<size_t>(id.value()) >= size) {
      return absl::InvalidArgumentError(
          absl::StrCat("no ", what, " ", id.value()));
    }
    return absl::OkStatus();
  }
  absl::Status CheckNeed(NeedId need) const {
    MAILLAGE_RETURN_IF_ERROR(CheckId(need, needs.size(), "need"));
    if (needs[static_cast<size_t>(need.value())].state == NeedState::kClosed) {
      return absl::FailedPreconditionError(
          absl::StrCat("need ", need.value(), " is closed"));
    }
    return absl::OkStatus();
  }
  absl::Status CheckPerson(PersonId p) const {
    MAILLAGE_RETURN_IF_ERROR(CheckId(p, people.size(), "person"));
    if (!people[static_cast<size_t>(p.value())].active) {
      return absl::FailedPreconditionError(
          absl::StrCat("person ", p.value(), " has left"));
    }
    return absl::OkStatus();
  }
  absl::Status CheckService(ServiceId s) const {
    return CheckId(s, services.size(), "service");
  }

  // Makes sure every candidate's service has its arc to the sink.
  void AddServiceArcs(const std::vector<Option>& candidates) {
    for (const Option& o : candidates) {
      if (services[static_cast<size_t>(o.service.value())].arc < 0) {
        UpdateService(o.service);
      }
    }
  }
  // The potential of a new need node that leaves all its option arcs at a
  // non-negative reduced cost, one of them at 0: max over options of
  // potential(service) - cost. A new node at potential 0 instead would see
  // most option arcs at a negative reduced cost, each saturated and then
  // repaired by a search of its own (measured: the searches of one arrival
  // settled tens of millions of nodes at département size).
  int64_t NeedPotential(const std::vector<Option>& candidates) const {
    int64_t best = std::numeric_limits<int64_t>::min();
    for (const Option& o : candidates) {
      best = std::max(best, inc.potential(ServiceNode(o.service)) -
                                Cost(ArcKind::kOption, OptionCost(o.score)));
    }
    return candidates.empty() ? 0 : best;
  }

  // Adds a need with its options (as the ranker gives them now).
  NeedId AddNeedNode(PersonId person, ThemeId theme, int32_t urgency,
                     const std::vector<Option>& candidates) {
    AddServiceArcs(candidates);
    NeedInfo n;
    n.node = inc.AddNode(0, NeedPotential(candidates));
    n.person = person;
    n.theme = theme;
    n.urgency = urgency;
    const NeedId id(static_cast<int32_t>(needs.size()));
    PersonState& p = people[static_cast<size_t>(person.value())];
    p.needs.push_back(id.value());
    if (!candidates.empty()) {
      n.need_arc = AddArc(p.node, n.node, 1, ArcKind::kNeed, urgency);
      std::vector<Option> sorted = candidates;
      std::sort(sorted.begin(), sorted.end(),
                [](const Option& a, const Option& b) {
                  return a.service < b.service;
                });
      for (const Option& o : sorted) {
        n.options.push_back(
            {AddArc(n.node, ServiceNode(o.service), 1, ArcKind::kOption,
                    OptionCost(o.score), id.value()),
             o.service});
      }
      ++p.open_modelled;
      needs.push_back(std::move(n));
      ChangeModelled(1);
      UpdatePerson(p);
    } else {
      needs.push_back(std::move(n));
    }
    return id;
  }

  int64_t ServicesInModel() const {
    int64_t c = 0;
    for (const ServiceState& s : services) c += s.arc >= 0;
    return c;
  }

  // Re-weights every cost for the current sizes and solves from scratch.
  absl::Status Rescale() {
    room_people = 2 * static_cast<int64_t>(people.size()) + 16;
    room_needs = 2 * static_cast<int64_t>(needs.size()) + 16;
    room_services = 2 * ServicesInModel() + 16;
    scaling = allocate::ComputeScaling(scaling.score_scale, room_people,
                                       room_needs, room_services);
    flow::FlowProblem p = inc.problem();
    stability = StabilityFor(p);
    // The bonuses stay on the assignments before the event.
    for (size_t a = 0; a < arc_kind.size(); ++a) p.cost[a] = ArcCost(a);
    absl::StatusOr<flow::FlowSolution> sol =
        flow::SolveMinCostFlow(p, allocate::ModelSolveOptions());
    if (!sol.ok()) return sol.status();
    if (sol->status != flow::FlowStatus::kOptimal) {
      return absl::InternalError("session re-solve not optimal");
    }
    last_rescaled = true;
    return InitFlow(std::move(p), *sol);
  }

  absl::Status InitFlow(flow::FlowProblem p, const flow::FlowSolution& sol) {
    if (absl::Status st = inc.Init(std::move(p), sol); !st.ok()) return st;
    // The source's searches end at the sink through the bypass whenever it
    // carries flow (reduced cost 0): look at it before the source's
    // arc to every person.
    inc.ScanFirst(bypass_arc);
    return absl::OkStatus();
  }

  // Solves the current problem from scratch (same costs).
  absl::Status Resolve() {
    flow::FlowProblem p = inc.problem();
    absl::StatusOr<flow::FlowSolution> sol =
        flow::SolveMinCostFlow(p, allocate::ModelSolveOptions());
    if (!sol.ok()) return sol.status();
    if (sol->status != flow::FlowStatus::kOptimal) {
      return absl::InternalError("session re-solve not optimal");
    }
    last_resolved = true;
    return InitFlow(std::move(p), *sol);
  }

  absl::Status Reoptimize() {
    if (static_cast<int64_t>(people.size()) > room_people ||
        static_cast<int64_t>(needs.size()) > room_needs ||
        ServicesInModel() > room_services) {
      return Rescale();
    }
    const double limit = options.session_resolve_factor *
                         static_cast<double>(inc.problem().num_nodes);
    absl::Status s =
        inc.Reoptimize(limit >= 9e18 ? std::numeric_limits<int64_t>::max()
                                     : static_cast<int64_t>(limit));
    last_work = inc.last_settled();
    if (absl::IsResourceExhausted(s)) return Resolve();
    return s;
  }
  absl::Status Finish() {
    MAILLAGE_RETURN_IF_ERROR(Reoptimize());
    UpdateBonuses(/*all_arcs=*/last_rescaled || last_resolved);
    return absl::OkStatus();
  }
};

AllocationSession::AllocationSession(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
AllocationSession::AllocationSession(AllocationSession&&) noexcept = default;
AllocationSession& AllocationSession::operator=(AllocationSession&&) noexcept =
    default;
AllocationSession::~AllocationSession() = default;

absl::StatusOr<AllocationSession> AllocationSession::Start(
    const Ranker& ranker, const AllocateOptions& options) {
  return base::ExhaustedOnBadAlloc(
      "AllocationSession::Start", [&]() -> absl::StatusOr<AllocationSession> {
        absl::StatusOr<allocate::Model> model =
            allocate::BuildModel(ranker, options, /*all_open_needs=*/false,
                                 allocate::CostWidth::kNarrow);
        if (!model.ok()) return model.status();
        auto impl = std::make_unique<Impl>(ranker);
        Impl& s = *impl;
        s.options = options;
        const Network& net = ranker.network();
        allocate::Model& m = *model;

        // Room to grow: the weights of twice the current sizes.
        int64_t services = 0;
        for (int32_t a : m.service_arc) services += a >= 0;
        s.room_people = 2 * static_cast<int64_t>(net.persons().size()) + 16;
        s.room_needs = 2 * static_cast<int64_t>(net.needs().size()) + 16;
        s.room_services = 2 * services + 16;
        s.scaling =
            allocate::ComputeScaling(m.scaling.score_scale, s.room_people,
                                     s.room_needs, s.room_services);
        // Costs with the session's weights; remember what each arc is.
        flow::FlowProblem& p = m.problem;
        s.arc_kind.assign(static_cast<size_t>(p.num_arcs()), ArcKind::kRest);
        s.arc_value.assign(static_cast<size_t>(p.num_arcs()), 0);
        s.assigned.assign(static_cast<size_t>(p.num_arcs()), 0);
        s.arc_need.assign(static_cast<size_t>(p.num_arcs()), -1);
        s.people.resize(net.persons().size());
        for (size_t i = 0; i < net.persons().size(); ++i) {
          Impl::PersonState& ps = s.people[i];
          ps.node = m.person_node0 + static_cast<int32_t>(i);
          ps.bonus_arc = m.bonus_arc[i];
          ps.rest_arc = m.rest_arc[i];
          ps.value = net.persons()[i];
          if (ps.bonus_arc >= 0)
            s.arc_kind[static_cast<size_t>(ps.bonus_arc)] = ArcKind::kBonus;
        }
        s.services.resize(net.services().size());
        for (size_t i = 0; i < net.services().size(); ++i) {
          Impl::ServiceState& ss = s.services[i];
          ss.arc = m.service_arc[i];
          ss.capacity = net.services()[i].capacity_known
                            ? net.services()[i].capacity_available
                            : options.assumed_capacity;
          ss.capacity_max = net.services()[i].capacity_max;
          ss.pinned = net.pinned_places(ServiceId(static_cast<int32_t>(i)));
          if (ss.arc >= 0)
            s.arc_kind[static_cast<size_t>(ss.arc)] = ArcKind::kService;
        }
        s.needs.resize(net.needs().size());
        for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
          const Need& need = net.need(NeedId(n));
          Impl::NeedInfo& ni = s.needs[static_cast<size_t>(n)];
          Impl::PersonState& ps =
              s.people[static_cast<size_t>(need.person.value())];
          ni.node = m.need_node0 + n;
          ni.person = need.person;
          ni.theme = need.theme;
          ni.urgency = need.urgency;
          ps.needs.push_back(n);
          if (auto pin = net.pinned_service(NeedId(n))) {
            ni.state = Impl::NeedState::kPinned;
            ni.pinned_to = *pin;
            // The referral where its support stands: current is started.
            // A referral sent before the session has no date: ExpireDue
            // leaves it.
            ni.referral = ReferralState::kAccepted;
            ni.sent_at = absl::InfiniteFuture();
            for (const Support& sup : net.supports_of(need.person)) {
              if (sup.service != *pin || sup.theme != need.theme) continue;
              if (sup.status == SupportStatus::kCurrent) {
                ni.referral = ReferralState::kStarted;
              } else if (sup.status == SupportStatus::kSent) {
                ni.referral = ReferralState::kSent;
              }
            }
            ++ps.pinned;
            continue;
          }
          ni.need_arc = m.need_arc[static_cast<size_t>(n)];
          if (ni.need_arc >= 0) {
            s.arc_kind[static_cast<size_t>(ni.need_arc)] = ArcKind::kNeed;
            s.arc_value[static_cast<size_t>(ni.need_arc)] = need.urgency;
            ++ps.open_modelled;
          }
          for (int32_t i = m.option_begin[static_cast<size_t>(n)];
               i < m.option_begin[static_cast<size_t>(n) + 1]; ++i) {
            const int32_t arc = m.first_option_arc + i;
            s.arc_kind[static_cast<size_t>(arc)] = ArcKind::kOption;
            s.arc_need[static_cast<size_t>(arc)] = n;
            s.arc_value[static_cast<size_t>(arc)] =
                s.OptionCost(m.options[static_cast<size_t>(i)].score);
            ni.options.push_back(
                {arc, m.options[static_cast<size_t>(i)].service});
          }
        }
        s.bypass_arc = m.bypass_arc;
        s.arc_kind[static_cast<size_t>(m.bypass_arc)] = ArcKind::kBypass;
        s.modelled = m.modelled_needs;
        // The weights with room to grow may not fit where the plan's did: lower
        // the score scale until they do.
        while (true) {
          for (size_t a = 0; a < s.arc_kind.size(); ++a) {
            if (s.arc_kind[a] == ArcKind::kOption) {
              s.arc_value[a] = s.OptionCost(
                  m.options[a - static_cast<size_t>(m.first_option_arc)].score);
            }
            p.cost[a] = s.Cost(s.arc_kind[a], s.arc_value[a]);
          }
          absl::Status st = flow::ValidateProblem(p);
          if (st.ok()) break;
          if (s.scaling.score_scale == 1) {
            return absl::ResourceExhaustedError(absl::StrCat(
                "session too large for 64-bit costs: ", st.message()));
          }
          s.scaling =
              allocate::ComputeScaling(s.scaling.score_scale / 2, s.room_people,
                                       s.room_needs, s.room_services);
        }
        // Stable re-planning when its factor fits at that score scale.
        s.stability = s.StabilityFor(p);
        for (size_t a = 0; a < s.arc_kind.size(); ++a) p.cost[a] = s.ArcCost(a);
        absl::StatusOr<flow::FlowSolution> sol = allocate::SolveModel(
            m, p, options.candidate_limit, nullptr, nullptr);
        if (!sol.ok()) return sol.status();
        MAILLAGE_RETURN_IF_ERROR(s.InitFlow(std::move(p), *sol));
        s.inc.SetLog(&s.flow_log);
        s.UpdateBonuses(/*all_arcs=*/true);
        s.changes.clear();
        return AllocationSession(std::move(impl));
      });
}

absl::StatusOr<PersonId> AllocationSession::AddPerson(
    const PersonRow& row, absl::Span<const NeedRow> need_rows) {
  Impl& s = impl_->BeginEvent();
  const Network& net = s.ranker.network();
  const PersonId id(static_cast<int32_t>(s.people.size()));
  EventProblems problems;
  network::RowCheck c(&problems, Table::kPersons, 0);
  if (!row.id.empty() &&
      (net.FindPerson(row.id) || s.arrived_ids.contains(row.id))) {
    c.Error("person_id",
            absl::StrCat("duplicate person_id ", base::Quoted(row.id),
                         " (already in the session)"));
  }
  const Person p =
      network::CheckPerson(row, c, network::NetworkSites(net), net.sites());
  const std::vector<Need> new_needs =
      s.CheckNeeds(id, row.id, need_rows, &problems);
  if (!problems.ok()) return problems.ToStatus("AddPerson");

  std::vector<ThemeId> themes;
  for (const Need& n : new_needs) themes.push_back(n.theme);
  std::vector<std::vector<Option>> options(new_needs.size());
  for (size_t i = 0; i < new_needs.size(); ++i) {
    s.ranker.CandidatesFor(p, id, new_needs[i].theme, themes, &options[i]);
  }
  // The person node's potential leaves their need arcs at a non-negative
  // reduced cost (see NeedPotential): only the source arcs are saturated,
  // and one search per need unit places them.
  int64_t potential = 0;
  bool first = true;
  for (size_t i = 0; i < new_needs.size(); ++i) {
    if (options[i].empty()) continue;
    s.AddServiceArcs(options[i]);
    const int64_t v = s.NeedPotential(options[i]) -
                      s.Cost(ArcKind::kNeed, new_needs[i].urgency);
    potential = first ? v : std::max(potential, v);
    first = false;
  }
  Impl::PersonState ps;
  ps.node = s.inc.AddNode(0, potential);
  ps.value = p;
  s.people.push_back(std::move(ps));
  s.arrived_ids.insert(row.id);
  for (size_t i = 0; i < new_needs.size(); ++i) {
    s.AddNeedNode(id, new_needs[i].theme, new_needs[i].urgency, options[i]);
  }
  MAILLAGE_RETURN_IF_ERROR(s.Finish());
  return id;
}

absl::Status AllocationSession::RemovePerson(PersonId person) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_RETURN_IF_ERROR(s.CheckPerson(person));
  Impl::PersonState& p = s.people[static_cast<size_t>(person.value())];
  for (int32_t n : p.needs) {
    Impl::NeedInfo& need = s.needs[static_cast<size_t>(n)];
    if (need.state == Impl::NeedState::kOpen) {
      s.Unmodel(need);
    } else if (need.state == Impl::NeedState::kPinned) {
      s.ReleasePin(need);
    }
    need.state = Impl::NeedState::kClosed;
    need.referral.reset();
  }
  p.active = false;
  s.UpdatePerson(p);
  return s.Finish();
}

absl::StatusOr<NeedId> AllocationSession::AddNeed(PersonId person,
                                                  const NeedRow& row) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_RETURN_IF_ERROR(s.CheckPerson(person));
  EventProblems problems;
  const std::vector<Need> checked = s.CheckNeeds(
      person, s.people[static_cast<size_t>(person.value())].value.id,
      absl::MakeConstSpan(&row, 1), &problems);
  if (!problems.ok()) return problems.ToStatus("AddNeed");
  const Need& need = checked[0];
  const Network& net = s.ranker.network();
  std::vector<Option> options;
  if (person.value() < static_cast<int32_t>(net.persons().size())) {
    options = s.ranker.Rank(person, need.theme,
                            static_cast<int>(net.services().size()));
  } else {
    std::vector<ThemeId> others;
    for (int32_t n : s.people[static_cast<size_t>(person.value())].needs) {
      if (s.needs[static_cast<size_t>(n)].state == Impl::NeedState::kOpen) {
        others.push_back(s.needs[static_cast<size_t>(n)].theme);
      }
    }
    s.ranker.CandidatesFor(s.people[static_cast<size_t>(person.value())].value,
                           person, need.theme, others, &options);
  }
  const NeedId id = s.AddNeedNode(person, need.theme, need.urgency, options);
  MAILLAGE_RETURN_IF_ERROR(s.Finish());
  return id;
}

absl::Status AllocationSession::CloseNeed(NeedId need) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_RETURN_IF_ERROR(s.CheckNeed(need));
  Impl::NeedInfo& n = s.needs[static_cast<size_t>(need.value())];
  if (n.state == Impl::NeedState::kPinned) {
    s.ReleasePin(n);
    n.state = Impl::NeedState::kClosed;
    s.UpdatePerson(s.people[static_cast<size_t>(n.person.value())]);
  } else {
    s.Unmodel(n);
    n.state = Impl::NeedState::kClosed;
  }
  n.referral.reset();
  return s.Finish();
}

absl::Status AllocationSession::SetCapacity(
    ServiceId service, int32_t capacity_available,
    absl::optional<int32_t> capacity_max) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_RETURN_IF_ERROR(s.CheckService(service));
  Impl::ServiceState& state = s.services[static_cast<size_t>(service.value())];
  EventProblems problems;
  network::RowCheck c(&problems, Table::kServices, 0);
  network::CheckCapacity(c, capacity_available,
                         capacity_max.value_or(state.capacity_max),
                         /*available_required=*/true);
  if (!problems.ok()) return problems.ToStatus("SetCapacity");
  state.capacity = capacity_available;
  if (capacity_max) state.capacity_max = *capacity_max;
  s.UpdateService(service);
  return s.Finish();
}

absl::Status AllocationSession::Refuse(NeedId need, ServiceId service,
                                       RefusalReason reason) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_RETURN_IF_ERROR(s.CheckNeed(need));
  MAILLAGE_RETURN_IF_ERROR(s.CheckService(service));
  Impl::NeedInfo& n = s.needs[static_cast<size_t>(need.value())];
  if (n.state == Impl::NeedState::kPinned) {
    if (n.pinned_to != service || n.referral != ReferralState::kSent) {
      return absl::FailedPreconditionError(
          n.pinned_to == service
              ? "an accepted referral cannot be refused; cancel it instead"
              : "the need is pinned to another service");
    }
    MAILLAGE_RETURN_IF_ERROR(
        s.ReferralOf(need, ReferralEvent::kRefuse, /*reopens=*/true).status());
    s.Unpin(n);
  } else if (std::none_of(n.options.begin(), n.options.end(),
                          [&](const Impl::OptionArc& o) {
                            return o.service == service;
                          })) {
    return absl::InvalidArgumentError(absl::StrCat("service ", service.value(),
                                                   " is not an option of need ",
                                                   need.value()));
  }
  s.LearnRefusal(n, service, reason);
  return s.Finish();
}

absl::Status AllocationSession::Send(NeedId need, ServiceId service,
                                     absl::Time sent_at) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_RETURN_IF_ERROR(s.CheckNeed(need));
  Impl::NeedInfo& n = s.needs[static_cast<size_t>(need.value())];
  if (n.state == Impl::NeedState::kPinned) {
    return absl::FailedPreconditionError(
        absl::StrCat("the need already has a ", ReferralStateCode(*n.referral),
                     " referral"));
  }
  MAILLAGE_RETURN_IF_ERROR(s.Pin(n, need, service));
  n.referral = ReferralState::kSent;
  n.sent_at = sent_at;
  return s.Finish();
}

absl::Status AllocationSession::Accept(NeedId need, ServiceId service) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_RETURN_IF_ERROR(s.CheckNeed(need));
  Impl::NeedInfo& n = s.needs[static_cast<size_t>(need.value())];
  if (n.state == Impl::NeedState::kPinned) {
    if (n.pinned_to != service) {
      return absl::FailedPreconditionError(
          "the need is pinned to another service");
    }
    if (n.referral == ReferralState::kSent) {
      n.referral = ReferralState::kAccepted;  // its place is held already
    }
    return absl::OkStatus();
  }
  MAILLAGE_RETURN_IF_ERROR(s.Pin(n, need, service));
  n.referral = ReferralState::kAccepted;
  return s.Finish();
}

absl::Status AllocationSession::Expire(NeedId need) {
  return impl_->BeginEvent().Reopen(need, ReferralEvent::kExpire);
}

absl::StatusOr<std::vector<NeedId>> AllocationSession::ExpireDue(
    absl::Time now, absl::Duration after) {
  Impl& s = impl_->BeginEvent();
  std::vector<NeedId> expired;
  for (size_t i = 0; i < s.needs.size(); ++i) {
    Impl::NeedInfo& n = s.needs[i];
    // A referral sent before the session (no date, no options) stays.
    if (n.state == Impl::NeedState::kPinned &&
        n.referral == ReferralState::kSent && n.need_arc >= 0 &&
        n.sent_at != absl::InfiniteFuture() && n.sent_at + after <= now) {
      s.Unpin(n);
      expired.emplace_back(static_cast<int32_t>(i));
    }
  }
  if (!expired.empty()) MAILLAGE_RETURN_IF_ERROR(s.Finish());
  return expired;
}

absl::Status AllocationSession::Start(NeedId need) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_ASSIGN_OR_RETURN(
      Impl::NeedInfo * n,
      s.ReferralOf(need, ReferralEvent::kStart, /*reopens=*/false));
  n->referral = ReferralState::kStarted;
  return absl::OkStatus();
}

absl::Status AllocationSession::Complete(NeedId need) {
  Impl& s = impl_->BeginEvent();
  MAILLAGE_ASSIGN_OR_RETURN(
      Impl::NeedInfo * n,
      s.ReferralOf(need, ReferralEvent::kComplete, /*reopens=*/false));
  s.ReleasePin(*n);
  n->state = Impl::NeedState::kClosed;
  n->referral = ReferralState::kCompleted;
  s.UpdatePerson(s.people[static_cast<size_t>(n->person.value())]);
  return s.Finish();
}

absl::Status AllocationSession::Cancel(NeedId need) {
  return impl_->BeginEvent().Reopen(need, ReferralEvent::kCancel);
}

absl::optional<ReferralState> AllocationSession::referral_state(
    NeedId need) const {
  const Impl& s = *impl_;
  if (!need.valid() || need.value() >= static_cast<int32_t>(s.needs.size())) {
    return absl::nullopt;
  }
  const Impl::NeedInfo& n = s.needs[static_cast<size_t>(need.value())];
  if (n.state == Impl::NeedState::kOpen) {
    return assignment(need) ? absl::make_optional(ReferralState::kProposed)
                            : absl::nullopt;
  }
  return n.referral;
}

absl::optional<ServiceId> AllocationSession::assignment(NeedId need) const {
  const Impl& s = *impl_;
  if (!need.valid() || need.value() >= static_cast<int32_t>(s.needs.size())) {
    return absl::nullopt;
  }
  const Impl::NeedInfo& n = s.needs[static_cast<size_t>(need.value())];
  if (n.state == Impl::NeedState::kPinned) return n.pinned_to;
  if (n.state == Impl::NeedState::kClosed) return absl::nullopt;
  for (const Impl::OptionArc& o : n.options) {
    if (s.inc.flow(o.arc) > 0) return o.service;
  }
  return absl::nullopt;
}

bool AllocationSession::pinned(NeedId need) const {
  const Impl& s = *impl_;
  return need.valid() && need.value() < static_cast<int32_t>(s.needs.size()) &&
         s.needs[static_cast<size_t>(need.value())].state ==
             Impl::NeedState::kPinned;
}

std::string AllocationSession::Snapshot() const {
  const Impl& s = *impl_;
  const Network& net = s.ranker.network();
  SnapshotWriter w;
  w.U(1);  // format version
  w.U(net.persons().size());
  w.U(net.needs().size());
  w.U(net.services().size());
  w.I(s.scaling.score_scale);
  w.I(s.room_people);
  w.I(s.room_needs);
  w.I(s.room_services);
  w.I(s.bypass_arc);
  w.I(s.modelled);
  w.I(s.stability);
  const flow::FlowProblem& p = s.inc.problem();
  w.U(static_cast<uint64_t>(p.num_nodes));
  for (int32_t v = 0; v < p.num_nodes; ++v) {
    w.I(p.supply[static_cast<size_t>(v)]);
    w.I(s.inc.potential(v));
  }
  w.U(static_cast<uint64_t>(p.num_arcs()));
  for (int32_t a = 0; a < p.num_arcs(); ++a) {
    const auto i = static_cast<size_t>(a);
    w.I(p.tail[i]);
    w.I(p.head[i]);
    w.I(p.capacity[i]);
    w.I(p.cost[i]);
    w.I(s.inc.flow(a));
    w.U(static_cast<uint64_t>(s.arc_kind[i]));
    w.I(s.arc_value[i]);
  }
  w.I(s.inc.objective());
  // The arc lists' order: the restored session breaks ties as this one.
  for (const auto* lists : {&s.inc.out_arcs(), &s.inc.in_arcs()}) {
    for (const std::vector<int32_t>& l : *lists) {
      w.U(l.size());
      int32_t prev = 0;
      for (int32_t a : l) {
        w.I(a - prev);
        prev = a;
      }
    }
  }
  w.U(s.people.size());
  for (size_t i = 0; i < s.people.size(); ++i) {
    const Impl::PersonState& ps = s.people[i];
    w.I(ps.node);
    w.I(ps.bonus_arc);
    w.I(ps.rest_arc);
    w.I(ps.open_modelled);
    w.I(ps.pinned);
    w.U(ps.active ? 1 : 0);
    if (i >= net.persons().size()) {
      // An arrival: its row, blanked once the person has left.
      w.S(ps.value.id);
      if (ps.active) {
        w.I(ps.value.site.value());
        w.S(ps.value.insee_com);
        w.D(ps.value.lat);
        w.D(ps.value.lng);
        w.I(ps.value.age.value_or(-1));
        w.U(ps.value.publics);
        w.D(ps.value.max_distance_km.value_or(-1));
      }
    }
    w.U(ps.needs.size());
    for (int32_t n : ps.needs) w.I(n);
  }
  w.U(s.needs.size());
  for (const Impl::NeedInfo& n : s.needs) {
    w.I(n.node);
    w.I(n.person.value());
    w.U(n.theme);
    w.I(n.urgency);
    w.I(n.need_arc);
    w.U(n.options.size());
    for (const Impl::OptionArc& o : n.options) {
      w.I(o.arc);
      w.I(o.service.value());
      w.U(o.refused ? 1 : 0);
    }
    w.U(static_cast<uint64_t>(n.state));
    w.I(n.pinned_to.valid() ? n.pinned_to.value() : -1);
    w.U(n.referral ? static_cast<uint64_t>(*n.referral) + 1 : 0);
    w.T(n.sent_at);
  }
  w.U(s.services.size());
  for (const Impl::ServiceState& ss : s.services) {
    w.I(ss.arc);
    w.I(ss.capacity);
    w.I(ss.capacity_max);
    w.I(ss.pinned);
  }
  return std::move(w).Take();
}

absl::StatusOr<AllocationSession> AllocationSession::FromSnapshot(
    const Ranker& ranker, absl::string_view bytes,
    const AllocateOptions& options) {
  return base::ExhaustedOnBadAlloc(
      "AllocationSession::FromSnapshot",
      [&]() -> absl::StatusOr<AllocationSession> {
        auto bad = [](absl::string_view why) {
          return absl::InvalidArgumentError(
              absl::StrCat("not a session snapshot of this network: ", why));
        };
        SnapshotReader r(bytes);
        if (!r.ok()) return bad("no snapshot header");
        if (r.U() != 1) return bad("unknown format version");
        const Network& net = ranker.network();
        if (r.U() != net.persons().size() || r.U() != net.needs().size() ||
            r.U() != net.services().size()) {
          return bad("the network's sizes differ");
        }
        auto impl = std::make_unique<Impl>(ranker);
        Impl& s = *impl;
        s.options = options;
        const int64_t score_scale = r.I();
        s.room_people = r.I();
        s.room_needs = r.I();
        s.room_services = r.I();
        if (!r.ok() || score_scale < 1 || s.room_people < 0 ||
            s.room_needs < 0 || s.room_services < 0) {
          return bad("bad scaling");
        }
        s.scaling = allocate::ComputeScaling(score_scale, s.room_people,
                                             s.room_needs, s.room_services);
        const int64_t bypass = r.I();
        s.modelled = r.I();
        s.stability = r.I();
        if (s.stability != 1 && s.stability != s.room_needs + 1) {
          return bad("bad stability factor");
        }
        flow::FlowProblem p;
        flow::FlowSolution sol;
        sol.status = flow::FlowStatus::kOptimal;
        const size_t nodes = r.Count();
        p.num_nodes = static_cast<int32_t>(nodes);
        p.supply.resize(nodes);
        sol.potential.resize(nodes);
        for (size_t v = 0; v < nodes && r.ok(); ++v) {
          p.supply[v] = r.I();
          sol.potential[v] = r.I();
        }
        const size_t arcs = r.Count();
        const auto n_nodes = static_cast<int64_t>(nodes);
        const auto n_arcs = static_cast<int64_t>(arcs);
        sol.flow.resize(arcs);
        s.arc_kind.resize(arcs);
        s.arc_value.resize(arcs);
        s.assigned.assign(arcs, 0);
        s.arc_need.assign(arcs, -1);
        for (size_t a = 0; a < arcs && r.ok(); ++a) {
          const int32_t t = r.Index(0, n_nodes);
          const int32_t h = r.Index(0, n_nodes);
          const int64_t cap = r.I();
          const int64_t cost = r.I();
          p.AddArc(t, h, cap, cost);
          sol.flow[a] = r.I();
          const uint64_t kind = r.U();
          if (kind > static_cast<uint64_t>(ArcKind::kBypass)) {
            return bad("unknown arc kind");
          }
          s.arc_kind[a] = static_cast<ArcKind>(kind);
          s.arc_value[a] = r.I();
          s.assigned[a] = s.arc_kind[a] == ArcKind::kOption && sol.flow[a] > 0;
          if (cost != s.ArcCost(a)) {
            return bad("an arc's cost does not match its level weights");
          }
        }
        sol.objective = r.I();
        if (!r.ok() || bypass < 0 || bypass >= n_arcs) {
          return bad("cut or malformed flow problem");
        }
        std::vector<std::vector<int32_t>> order[2];
        for (auto& lists : order) {
          lists.resize(nodes);
          for (size_t v = 0; v < nodes && r.ok(); ++v) {
            const size_t k = r.Count();
            lists[v].reserve(k);
            int64_t prev = 0;
            for (size_t j = 0; j < k && r.ok(); ++j) {
              prev += r.I();
              if (prev < 0 || prev >= n_arcs) return bad("bad arc order");
              lists[v].push_back(static_cast<int32_t>(prev));
            }
          }
        }
        s.bypass_arc = static_cast<int32_t>(bypass);
        auto arc_or_none = [&]() { return r.Index(-1, n_arcs); };
        const size_t people = r.Count();
        if (people < net.persons().size()) return bad("people missing");
        s.people.resize(people);
        for (size_t i = 0; i < people && r.ok(); ++i) {
          Impl::PersonState& ps = s.people[i];
          ps.node = r.Index(0, n_nodes);
          ps.bonus_arc = arc_or_none();
          ps.rest_arc = arc_or_none();
          ps.open_modelled = static_cast<int32_t>(r.I());
          ps.pinned = static_cast<int32_t>(r.I());
          ps.active = r.U() == 1;
          if (i < net.persons().size()) {
            ps.value = net.persons()[i];
          } else {
            ps.value.id = r.S();
            s.arrived_ids.insert(ps.value.id);
            if (ps.active) {
              ps.value.site =
                  SiteId(r.Index(0, static_cast<int64_t>(net.sites().size())));
              ps.value.insee_com = r.S();
              ps.value.lat = r.D();
              ps.value.lng = r.D();
              const int64_t age = r.I();
              if (age >= 0) ps.value.age = static_cast<int32_t>(age);
              ps.value.publics = static_cast<PublicSet>(r.U());
              const double km = r.D();
              if (km >= 0) ps.value.max_distance_km = km;
            }
          }
          const size_t k = r.Count();
          for (size_t j = 0; j < k && r.ok(); ++j) {
            ps.needs.push_back(static_cast<int32_t>(r.I()));
          }
        }
        const size_t needs = r.Count();
        if (needs < net.needs().size()) return bad("needs missing");
        s.needs.resize(needs);
        const auto n_people = static_cast<int64_t>(people);
        const auto n_services = static_cast<int64_t>(net.services().size());
        for (size_t i = 0; i < needs && r.ok(); ++i) {
          Impl::NeedInfo& n = s.needs[i];
          n.node = r.Index(0, n_nodes);
          n.person = PersonId(r.Index(0, n_people));
          const uint64_t theme = r.U();
          if (theme > std::numeric_limits<ThemeId>::max()) {
            return bad("bad theme");
          }
          n.theme = static_cast<ThemeId>(theme);
          n.urgency = static_cast<int32_t>(r.I());
          n.need_arc = arc_or_none();
          const size_t k = r.Count();
          for (size_t j = 0; j < k && r.ok(); ++j) {
            Impl::OptionArc o{r.Index(0, n_arcs),
                              ServiceId(r.Index(0, n_services))};
            o.refused = r.U() == 1;
            n.options.push_back(o);
          }
          const uint64_t state = r.U();
          if (state > static_cast<uint64_t>(Impl::NeedState::kClosed)) {
            return bad("bad need state");
          }
          n.state = static_cast<Impl::NeedState>(state);
          const int32_t pin = r.Index(-1, n_services);
          if (pin >= 0) n.pinned_to = ServiceId(pin);
          const uint64_t ref = r.U();
          if (ref > static_cast<uint64_t>(ReferralState::kCancelled) + 1) {
            return bad("bad referral state");
          }
          if (ref > 0) n.referral = static_cast<ReferralState>(ref - 1);
          n.sent_at = r.T();
        }
        const size_t services = r.Count();
        if (services != net.services().size()) return bad("services differ");
        s.services.resize(services);
        for (Impl::ServiceState& ss : s.services) {
          ss.arc = arc_or_none();
          ss.capacity = static_cast<int32_t>(r.I());
          ss.capacity_max = static_cast<int32_t>(r.I());
          ss.pinned = static_cast<int32_t>(r.I());
        }
        if (!r.done()) return bad("cut or malformed");
        for (const Impl::PersonState& ps : s.people) {
          for (int32_t n : ps.needs) {
            if (n < 0 || static_cast<size_t>(n) >= needs) {
              return bad("a person's need is out of range");
            }
          }
        }
        if (absl::Status st = flow::ValidateProblem(p); !st.ok()) {
          return bad(st.message());
        }
        if (absl::Status st = flow::Verify(p, sol); !st.ok()) {
          return absl::DataLossError(absl::StrCat(
              "the snapshot's plan fails its certificate: ", st.message()));
        }
        for (size_t i = 0; i < needs; ++i) {
          for (const Impl::OptionArc& o : s.needs[i].options) {
            if (s.arc_kind[static_cast<size_t>(o.arc)] != ArcKind::kOption) {
              return bad("an option is not an option arc");
            }
            s.arc_need[static_cast<size_t>(o.arc)] = static_cast<int32_t>(i);
          }
        }
        for (size_t a = 0; a < arcs; ++a) {
          if (s.arc_kind[a] == ArcKind::kOption && s.arc_need[a] < 0) {
            return bad("an option arc of no need");
          }
        }
        MAILLAGE_RETURN_IF_ERROR(s.inc.Init(std::move(p), sol));
        if (absl::Status st =
                s.inc.SetArcOrder(std::move(order[0]), std::move(order[1]));
            !st.ok()) {
          return bad(st.message());
        }
        s.inc.SetLog(&s.flow_log);
        return AllocationSession(std::move(impl));
      });
}

absl::optional<SessionNeed> AllocationSession::need(NeedId need) const {
  const Impl& s = *impl_;
  if (!need.valid() || need.value() >= static_cast<int32_t>(s.needs.size())) {
    return absl::nullopt;
  }
  const Impl::NeedInfo& n = s.needs[static_cast<size_t>(need.value())];
  SessionNeed out;
  out.person = n.person;
  out.theme = n.theme;
  out.urgency = n.urgency;
  out.state = static_cast<SessionNeed::State>(n.state);
  return out;
}

std::vector<SessionOption> AllocationSession::options(NeedId need) const {
  const Impl& s = *impl_;
  std::vector<SessionOption> out;
  if (!need.valid() || need.value() >= static_cast<int32_t>(s.needs.size())) {
    return out;
  }
  for (const Impl::OptionArc& o :
       s.needs[static_cast<size_t>(need.value())].options) {
    out.push_back(
        {o.service, -s.arc_value[static_cast<size_t>(o.arc)], o.refused});
  }
  return out;
}

absl::optional<SessionService> AllocationSession::service(
    ServiceId service) const {
  const Impl& s = *impl_;
  if (!service.valid() ||
      service.value() >= static_cast<int32_t>(s.services.size())) {
    return absl::nullopt;
  }
  const Impl::ServiceState& st =
      s.services[static_cast<size_t>(service.value())];
  return SessionService{st.capacity, st.capacity_max, st.pinned};
}

const std::string& AllocationSession::person_id(PersonId person) const {
  static const std::string* const kNone = new std::string();
  const Impl& s = *impl_;
  if (!person.valid() ||
      person.value() >= static_cast<int32_t>(s.people.size())) {
    return *kNone;
  }
  return s.people[static_cast<size_t>(person.value())].value.id;
}

bool AllocationSession::active(PersonId person) const {
  const Impl& s = *impl_;
  return person.valid() &&
         person.value() < static_cast<int32_t>(s.people.size()) &&
         s.people[static_cast<size_t>(person.value())].active;
}

int32_t AllocationSession::num_people() const {
  return static_cast<int32_t>(impl_->people.size());
}
int32_t AllocationSession::num_needs() const {
  return static_cast<int32_t>(impl_->needs.size());
}

SessionObjective AllocationSession::objective() const {
  const Impl& s = *impl_;
  SessionObjective o;
  std::vector<char> covered(s.people.size(), 0);
  for (const Impl::NeedInfo& n : s.needs) {
    bool c = false;
    if (n.state == Impl::NeedState::kPinned) {
      c = true;
      ++o.needs_pinned;
    } else if (n.state == Impl::NeedState::kOpen) {
      for (const Impl::OptionArc& a : n.options) {
        if (s.inc.flow(a.arc) > 0) {
          c = true;
          o.total_score_scaled -= s.arc_value[static_cast<size_t>(a.arc)];
        }
      }
    }
    if (!c) continue;
    ++o.needs_covered;
    o.urgency_level += n.urgency - 1;
    covered[static_cast<size_t>(n.person.value())] = 1;
  }
  for (char c : covered) o.people_covered += c;
  o.flow_cost = s.inc.objective();
  return o;
}

absl::StatusOr<int64_t> AllocationSession::FullResolveCost() const {
  absl::StatusOr<flow::FlowSolution> sol =
      flow::SolveMinCostFlow(impl_->inc.problem());
  if (!sol.ok()) return sol.status();
  if (sol->status != flow::FlowStatus::kOptimal) {
    return absl::InternalError("session problem not optimal");
  }
  return sol->objective;
}

absl::Status AllocationSession::Verify() const {
  const flow::IncrementalFlow& inc = impl_->inc;
  const flow::FlowProblem& p = inc.problem();
  flow::FlowSolution sol;
  sol.status = flow::FlowStatus::kOptimal;
  sol.objective = inc.objective();
  sol.flow.resize(static_cast<size_t>(p.num_arcs()));
  for (int32_t a = 0; a < p.num_arcs(); ++a) {
    sol.flow[static_cast<size_t>(a)] = inc.flow(a);
  }
  sol.potential.resize(static_cast<size_t>(p.num_nodes));
  for (int32_t v = 0; v < p.num_nodes; ++v) {
    sol.potential[static_cast<size_t>(v)] = inc.potential(v);
  }
  if (absl::Status s = flow::Verify(p, sol); !s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("session certificate: ", s.message()));
  }
  // The stability bonuses sit on the current assignments, and every cost is
  // its level cost less its bonus.
  const Impl& s = *impl_;
  for (size_t a = 0; a < s.arc_kind.size(); ++a) {
    const bool flowing = inc.flow(static_cast<int32_t>(a)) > 0;
    if (s.arc_kind[a] == ArcKind::kOption && (s.assigned[a] != 0) != flowing) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session: the stability bonus of arc ", a, " is not on the plan"));
    }
    if (p.cost[a] != s.ArcCost(a)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session: arc ", a, " costs ", p.cost[a], ", not ", s.ArcCost(a)));
    }
  }
  return absl::OkStatus();
}

int64_t AllocationSession::last_event_work() const { return impl_->last_work; }
const std::vector<NeedChange>& AllocationSession::last_event_changes() const {
  return impl_->changes;
}
bool AllocationSession::stable() const { return impl_->stability > 1; }

int64_t AllocationSession::score_scale() const {
  return impl_->scaling.score_scale;
}
bool AllocationSession::last_event_rescaled() const {
  return impl_->last_rescaled;
}
bool AllocationSession::last_event_resolved() const {
  return impl_->last_resolved;
}

}  // namespace maillage
