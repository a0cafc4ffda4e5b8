#include "plan_codec.h"

#include <cstring>
#include <type_traits>

#include "absl/status/status.h"

namespace maillage::python {
namespace {

constexpr absl::string_view kMagic = "maillage-plan/1";

class Writer {
 public:
  template <typename T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const size_t at = out_.size();
    out_.resize(at + sizeof(T));
    std::memcpy(out_.data() + at, &v, sizeof(T));
  }
  void PutString(absl::string_view s) {
    Put<uint64_t>(s.size());
    out_.append(s.data(), s.size());
  }
  std::string Take() && { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetString(std::string* s) {
    uint64_t n = 0;
    if (!Get(&n) || in_.size() - pos_ < n) return false;
    s->assign(in_.data() + pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return true;
  }
  // A count of items of at least `item_bytes` each that fits in the input.
  bool GetCount(size_t item_bytes, size_t* n) {
    uint64_t v = 0;
    if (!Get(&v) || v > (in_.size() - pos_) / item_bytes) return false;
    *n = static_cast<size_t>(v);
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  absl::string_view in_;
  size_t pos_ = 0;
};

template <typename Id>
bool InRange(Id id, size_t size) {
  return id.valid() && static_cast<size_t>(id.value()) < size;
}

}  // namespace

std::string EncodePlan(const Plan& plan) {
  Writer w;
  w.PutString(kMagic);
  w.Put<uint64_t>(plan.assignments.size());
  for (const Assignment& a : plan.assignments) {
    w.Put(a.person.value());
    w.Put(a.need.value());
    w.Put(a.service.value());
    w.Put(a.score);
    w.Put(a.capacity);
    w.Put(a.proximity);
    w.Put(a.complementarity);
    w.Put(a.distance_km);
    w.Put<uint8_t>(a.remote);
    w.Put<uint8_t>(a.pinned);
  }
  w.Put<uint64_t>(plan.unmatched.size());
  for (const Unmatched& u : plan.unmatched) {
    w.Put(u.person.value());
    w.Put(u.need.value());
    w.Put(static_cast<uint8_t>(u.reason));
    w.Put(static_cast<uint8_t>(u.filter));
    w.Put(u.suggested.value());
    w.Put(u.distance_km);
    w.PutString(u.detail);
  }
  const PlanObjective& o = plan.objective;
  for (int64_t v :
       {o.people, o.people_covered, o.needs, o.needs_covered, o.needs_pinned}) {
    w.Put(v);
  }
  for (int64_t v : o.needs_by_urgency) w.Put(v);
  for (int64_t v : o.needs_covered_by_urgency) w.Put(v);
  w.Put(o.urgency_level);
  w.Put(o.total_score);
  w.Put(o.total_score_scaled);
  w.Put(o.flow_cost);
  const PlanScaling& s = plan.scaling;
  for (int64_t v :
       {s.score_scale, s.urgency_weight, s.need_weight, s.person_weight}) {
    w.Put(v);
  }
  w.Put<uint64_t>(plan.shadow_prices.size());
  for (const ShadowPrice& p : plan.shadow_prices) {
    w.Put(p.service.value());
    w.Put(p.scaled);
    w.Put(p.people);
    w.Put(p.needs);
    w.Put(p.urgency);
    w.Put(p.score);
  }
  w.Put<uint64_t>(plan.potentials.size());
  for (int64_t v : plan.potentials) w.Put(v);
  w.Put(plan.build_seconds);
  w.Put(plan.solve_seconds);
  w.Put(plan.arcs_solved);
  w.Put(plan.repair_rounds);
  return std::move(w).Take();
}

absl::StatusOr<Plan> DecodePlan(absl::string_view bytes,
                                const Network& network) {
  const auto bad = [] {
    return absl::InvalidArgumentError("not an encoded plan of this network");
  };
  const size_t persons = network.persons().size();
  const size_t needs = network.needs().size();
  const size_t services = network.services().size();
  Reader r(bytes);
  std::string magic;
  if (!r.GetString(&magic) || magic != kMagic) return bad();
  Plan plan;
  size_t n = 0;
  if (!r.GetCount(3 * 4 + 5 * 8 + 2, &n)) return bad();
  plan.assignments.resize(n);
  for (Assignment& a : plan.assignments) {
    int32_t person = 0, need = 0, service = 0;
    uint8_t remote = 0, pinned = 0;
    if (!r.Get(&person) || !r.Get(&need) || !r.Get(&service) ||
        !r.Get(&a.score) || !r.Get(&a.capacity) || !r.Get(&a.proximity) ||
        !r.Get(&a.complementarity) || !r.Get(&a.distance_km) ||
        !r.Get(&remote) || !r.Get(&pinned)) {
      return bad();
    }
    a.person = PersonId(person);
    a.need = NeedId(need);
    a.service = ServiceId(service);
    a.remote = remote != 0;
    a.pinned = pinned != 0;
    if (!InRange(a.person, persons) || !InRange(a.need, needs) ||
        !InRange(a.service, services)) {
      return bad();
    }
  }
  if (!r.GetCount(2 * 4 + 2 + 4 + 8 + 8, &n)) return bad();
  plan.unmatched.resize(n);
  for (Unmatched& u : plan.unmatched) {
    int32_t person = 0, need = 0, suggested = 0;
    uint8_t reason = 0, filter = 0;
    if (!r.Get(&person) || !r.Get(&need) || !r.Get(&reason) ||
        !r.Get(&filter) || !r.Get(&suggested) || !r.Get(&u.distance_km) ||
        !r.GetString(&u.detail)) {
      return bad();
    }
    if (reason > static_cast<uint8_t>(UnmatchedReason::kCapacityFull) ||
        filter > static_cast<uint8_t>(Filter::kRefused)) {
      return bad();
    }
    u.person = PersonId(person);
    u.need = NeedId(need);
    u.reason = static_cast<UnmatchedReason>(reason);
    u.filter = static_cast<Filter>(filter);
    u.suggested = ServiceId(suggested);
    if (!InRange(u.person, persons) || !InRange(u.need, needs) ||
        (u.suggested.valid() && !InRange(u.suggested, services))) {
      return bad();
    }
  }
  PlanObjective& o = plan.objective;
  bool ok = r.Get(&o.people) && r.Get(&o.people_covered) && r.Get(&o.needs) &&
            r.Get(&o.needs_covered) && r.Get(&o.needs_pinned);
  for (int64_t& v : o.needs_by_urgency) ok = ok && r.Get(&v);
  for (int64_t& v : o.needs_covered_by_urgency) ok = ok && r.Get(&v);
  ok = ok && r.Get(&o.urgency_level) && r.Get(&o.total_score) &&
       r.Get(&o.total_score_scaled) && r.Get(&o.flow_cost);
  PlanScaling& s = plan.scaling;
  ok = ok && r.Get(&s.score_scale) && r.Get(&s.urgency_weight) &&
       r.Get(&s.need_weight) && r.Get(&s.person_weight);
  if (!ok || !r.GetCount(4 + 4 * 8 + 8, &n)) return bad();
  plan.shadow_prices.resize(n);
  for (ShadowPrice& p : plan.shadow_prices) {
    int32_t service = 0;
    if (!r.Get(&service) || !r.Get(&p.scaled) || !r.Get(&p.people) ||
        !r.Get(&p.needs) || !r.Get(&p.urgency) || !r.Get(&p.score)) {
      return bad();
    }
    p.service = ServiceId(service);
    if (!InRange(p.service, services)) return bad();
  }
  if (!r.GetCount(8, &n)) return bad();
  plan.potentials.resize(n);
  for (int64_t& v : plan.potentials) {
    if (!r.Get(&v)) return bad();
  }
  if (!r.Get(&plan.build_seconds) || !r.Get(&plan.solve_seconds) ||
      !r.Get(&plan.arcs_solved) || !r.Get(&plan.repair_rounds) || !r.done()) {
    return bad();
  }
  return plan;
}

}  // namespace maillage::python
