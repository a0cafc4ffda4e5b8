#include "plan_codec.h"

#include <cstring>
#include <type_traits>

#include "absl/status/status.h"

namespace maillage::python {
namespace {

constexpr absl::string_view kMagic = "maillage-plan/4";

class Writer {
 public:
  // Each value's bytes, in order.
  template <typename... T>
  void Put(T... v) {
    (PutOne(v), ...);
  }
  void PutString(absl::string_view s) {
    Put<uint64_t>(s.size());
    out_.append(s.data(), s.size());
  }
  std::string Take() && { return std::move(out_); }

 private:
  template <typename T>
  void PutOne(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const size_t at = out_.size();
    out_.resize(at + sizeof(T));
    std::memcpy(out_.data() + at, &v, sizeof(T));
  }
  std::string out_;
};

class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}
  // Reads each value in order; false when the input is too short.
  template <typename... T>
  bool Get(T*... v) {
    return (GetOne(v) && ...);
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
  template <typename T>
  bool GetOne(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
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
    w.Put(a.person.value(), a.need.value(), a.service.value(), a.score,
          a.capacity, a.proximity, a.complementarity, a.distance_km,
          static_cast<uint8_t>(a.remote), static_cast<uint8_t>(a.pinned),
          static_cast<uint8_t>(a.capacity_assumed));
  }
  w.Put<uint64_t>(plan.unmatched.size());
  for (const Unmatched& u : plan.unmatched) {
    w.Put(u.person.value(), u.need.value(), static_cast<uint8_t>(u.reason),
          static_cast<uint8_t>(u.filter), u.suggested.value(), u.distance_km);
    w.PutString(u.detail);
    w.Put(u.in_reach, u.serving);
    for (int32_t c : u.excluded_by) w.Put(c);
  }
  const PlanObjective& o = plan.objective;
  w.Put(o.people, o.people_covered, o.needs, o.needs_covered, o.needs_pinned);
  for (int64_t v : o.needs_by_urgency) w.Put(v);
  for (int64_t v : o.needs_covered_by_urgency) w.Put(v);
  w.Put(o.urgency_level, o.total_score, o.total_score_scaled, o.flow_cost);
  const PlanScaling& s = plan.scaling;
  w.Put(s.score_scale, s.urgency_weight, s.need_weight, s.person_weight,
        s.cost_bits);
  w.Put<uint64_t>(plan.shadow_prices.size());
  for (const ShadowPrice& p : plan.shadow_prices) {
    w.Put(p.service.value(), p.scaled, p.people, p.needs, p.urgency, p.score);
  }
  w.Put<uint64_t>(plan.potentials.size());
  for (absl::int128 v : plan.potentials) w.Put(v);
  w.Put(plan.build_seconds, plan.solve_seconds, plan.arcs_solved,
        plan.repair_rounds);
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
  if (!r.GetCount(3 * 4 + 5 * 8 + 3, &n)) return bad();
  plan.assignments.resize(n);
  for (Assignment& a : plan.assignments) {
    int32_t person = 0, need = 0, service = 0;
    uint8_t remote = 0, pinned = 0, assumed = 0;
    if (!r.Get(&person, &need, &service, &a.score, &a.capacity, &a.proximity,
               &a.complementarity, &a.distance_km, &remote, &pinned,
               &assumed)) {
      return bad();
    }
    a.capacity_assumed = assumed != 0;
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
    if (!r.Get(&person, &need, &reason, &filter, &suggested, &u.distance_km) ||
        !r.GetString(&u.detail) || !r.Get(&u.in_reach, &u.serving)) {
      return bad();
    }
    for (int32_t& c : u.excluded_by) {
      if (!r.Get(&c)) return bad();
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
  bool ok = r.Get(&o.people, &o.people_covered, &o.needs, &o.needs_covered,
                  &o.needs_pinned);
  for (int64_t& v : o.needs_by_urgency) ok = ok && r.Get(&v);
  for (int64_t& v : o.needs_covered_by_urgency) ok = ok && r.Get(&v);
  ok = ok && r.Get(&o.urgency_level, &o.total_score, &o.total_score_scaled,
                   &o.flow_cost);
  PlanScaling& s = plan.scaling;
  ok = ok && r.Get(&s.score_scale, &s.urgency_weight, &s.need_weight,
                   &s.person_weight, &s.cost_bits);
  ok = ok && (s.cost_bits == 64 || s.cost_bits == 128);
  if (!ok || !r.GetCount(4 + 4 * 8 + 8, &n)) return bad();
  plan.shadow_prices.resize(n);
  for (ShadowPrice& p : plan.shadow_prices) {
    int32_t service = 0;
    if (!r.Get(&service, &p.scaled, &p.people, &p.needs, &p.urgency,
               &p.score)) {
      return bad();
    }
    p.service = ServiceId(service);
    if (!InRange(p.service, services)) return bad();
  }
  if (!r.GetCount(sizeof(absl::int128), &n)) return bad();
  plan.potentials.resize(n);
  for (absl::int128& v : plan.potentials) {
    if (!r.Get(&v)) return bad();
  }
  if (!r.Get(&plan.build_seconds, &plan.solve_seconds, &plan.arcs_solved,
             &plan.repair_rounds) ||
      !r.done()) {
    return bad();
  }
  return plan;
}

}  // namespace maillage::python
