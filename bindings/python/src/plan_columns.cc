#include "plan_columns.h"

#include <cmath>
#include <string>

#include "columns.h"

namespace maillage::python {
namespace {

// Shared str objects for the ids and codes a plan repeats.
class Names {
 public:
  explicit Names(const Network& net) : net_(net) {}

  PyObject* Person(PersonId p) {
    return persons_.Get(static_cast<size_t>(p.value()),
                        [&] { return net_.person(p).id; });
  }
  PyObject* Territory(PersonId p) {
    const SiteId s = net_.person(p).site;
    return territories_.Get(static_cast<size_t>(s.value()),
                            [&] { return net_.site(s).territory; });
  }
  PyObject* Service(ServiceId s) {
    return services_.Get(static_cast<size_t>(s.value()),
                         [&] { return net_.service(s).id; });
  }
  PyObject* Partner(ServiceId s) {
    const PartnerId p = net_.service(s).partner;
    return partners_.Get(static_cast<size_t>(p.value()),
                         [&] { return net_.partner(p).id; });
  }
  PyObject* Theme(ThemeId t) {
    return themes_.Get(t, [&] { return std::string(ThemeCode(t)); });
  }
  PyObject* Category(ThemeId t) { return Theme(CategoryOf(t)); }
  PyObject* Code(size_t key, absl::string_view code) {
    return codes_.Get(key, [&] { return std::string(code); });
  }

 private:
  const Network& net_;
  StrCache persons_, territories_, services_, partners_, themes_, codes_;
};

double NanIf(bool absent, double v) { return absent ? std::nan("") : v; }

}  // namespace

py::dict AssignmentColumns(const Network& net, const Plan& plan) {
  const size_t n = plan.assignments.size();
  Names names(net);
  StrColumn person(n), territory(n), theme(n), category(n), service(n),
      partner(n);
  NumColumn<int32_t> urgency(n);
  F64Column score(n), capacity(n), proximity(n), complementarity(n),
      distance(n);
  NumColumn<bool> remote(n), pinned(n);
  for (size_t i = 0; i < n; ++i) {
    const Assignment& a = plan.assignments[i];
    const Need& need = net.need(a.need);
    person.SetObject(i, names.Person(a.person));
    territory.SetObject(i, names.Territory(a.person));
    theme.SetObject(i, names.Theme(need.theme));
    category.SetObject(i, names.Category(need.theme));
    urgency.Set(i, need.urgency);
    service.SetObject(i, names.Service(a.service));
    partner.SetObject(i, names.Partner(a.service));
    score.Set(i, NanIf(a.pinned, a.score));
    capacity.Set(i, NanIf(a.pinned, a.capacity));
    proximity.Set(i, NanIf(a.pinned, a.proximity));
    complementarity.Set(i, NanIf(a.pinned, a.complementarity));
    distance.Set(i, a.distance_km);
    remote.Set(i, a.remote);
    pinned.Set(i, a.pinned);
  }
  py::dict d;
  d["person_id"] = std::move(person).array();
  d["territory"] = std::move(territory).array();
  d["thematique"] = std::move(theme).array();
  d["category"] = std::move(category).array();
  d["urgency"] = std::move(urgency).array();
  d["service_id"] = std::move(service).array();
  d["partner_id"] = std::move(partner).array();
  d["score"] = std::move(score).array();
  d["capacity"] = std::move(capacity).array();
  d["proximity"] = std::move(proximity).array();
  d["complementarity"] = std::move(complementarity).array();
  d["distance_km"] = std::move(distance).array();
  d["remote"] = std::move(remote).array();
  d["pinned"] = std::move(pinned).array();
  return d;
}

py::dict UnmatchedColumns(const Network& net, const Plan& plan) {
  const size_t n = plan.unmatched.size();
  Names names(net);
  StrColumn person(n), territory(n), theme(n), category(n), reason(n),
      filter(n), detail(n), suggested(n);
  NumColumn<int32_t> urgency(n);
  F64Column distance(n);
  for (size_t i = 0; i < n; ++i) {
    const Unmatched& u = plan.unmatched[i];
    const Need& need = net.need(u.need);
    person.SetObject(i, names.Person(u.person));
    territory.SetObject(i, names.Territory(u.person));
    theme.SetObject(i, names.Theme(need.theme));
    category.SetObject(i, names.Category(need.theme));
    urgency.Set(i, need.urgency);
    const size_t r = static_cast<size_t>(u.reason);
    reason.SetObject(i, names.Code(r, UnmatchedReasonCode(u.reason)));
    if (u.reason == UnmatchedReason::kNotEligible) {
      const size_t f = 16 + static_cast<size_t>(u.filter);
      filter.SetObject(i, names.Code(f, FilterCode(u.filter)));
    } else {
      filter.SetNone(i);
    }
    detail.Set(i, u.detail);
    if (u.suggested.valid()) {
      suggested.SetObject(i, names.Service(u.suggested));
    } else {
      suggested.SetNone(i);
    }
    distance.Set(i, u.distance_km);
  }
  py::dict d;
  d["person_id"] = std::move(person).array();
  d["territory"] = std::move(territory).array();
  d["thematique"] = std::move(theme).array();
  d["category"] = std::move(category).array();
  d["urgency"] = std::move(urgency).array();
  d["reason"] = std::move(reason).array();
  d["filter"] = std::move(filter).array();
  d["detail"] = std::move(detail).array();
  d["suggested_service_id"] = std::move(suggested).array();
  d["distance_km"] = std::move(distance).array();
  return d;
}

py::dict ShadowPriceColumns(const Network& net, const Plan& plan) {
  const size_t n = plan.shadow_prices.size();
  Names names(net);
  std::vector<int32_t> assigned(net.services().size(), 0);
  for (const Assignment& a : plan.assignments) {
    if (!a.pinned) ++assigned[static_cast<size_t>(a.service.value())];
  }
  StrColumn service(n), partner(n);
  NumColumn<int32_t> available(n), pinned(n), free(n), used(n);
  NumColumn<int64_t> scaled(n), people(n), needs(n), urgency(n);
  F64Column score(n);
  for (size_t i = 0; i < n; ++i) {
    const ShadowPrice& p = plan.shadow_prices[i];
    service.SetObject(i, names.Service(p.service));
    partner.SetObject(i, names.Partner(p.service));
    available.Set(i, net.service(p.service).capacity_available);
    pinned.Set(i, net.pinned_places(p.service));
    free.Set(i, net.free_places(p.service));
    used.Set(i, assigned[static_cast<size_t>(p.service.value())]);
    scaled.Set(i, p.scaled);
    people.Set(i, p.people);
    needs.Set(i, p.needs);
    urgency.Set(i, p.urgency);
    score.Set(i, p.score);
  }
  py::dict d;
  d["service_id"] = std::move(service).array();
  d["partner_id"] = std::move(partner).array();
  d["capacity_available"] = std::move(available).array();
  d["pinned_places"] = std::move(pinned).array();
  d["free_places"] = std::move(free).array();
  d["assigned"] = std::move(used).array();
  d["scaled"] = std::move(scaled).array();
  d["people"] = std::move(people).array();
  d["needs"] = std::move(needs).array();
  d["urgency"] = std::move(urgency).array();
  d["score"] = std::move(score).array();
  return d;
}

py::dict OptionColumns(const Network& net, const std::vector<Option>& options) {
  const size_t n = options.size();
  Names names(net);
  StrColumn person(n), theme(n), service(n), partner(n);
  NumColumn<int32_t> rank(n);
  F64Column score(n), capacity(n), proximity(n), complementarity(n),
      distance(n);
  NumColumn<bool> remote(n), full(n);
  int32_t r = 0;
  for (size_t i = 0; i < n; ++i) {
    const Option& o = options[i];
    const bool same = i > 0 && options[i - 1].person == o.person &&
                      options[i - 1].theme == o.theme;
    r = same ? r + 1 : 1;
    person.SetObject(i, names.Person(o.person));
    theme.SetObject(i, names.Theme(o.theme));
    rank.Set(i, r);
    service.SetObject(i, names.Service(o.service));
    partner.SetObject(i, names.Partner(o.service));
    score.Set(i, o.score);
    capacity.Set(i, o.capacity);
    proximity.Set(i, o.proximity);
    complementarity.Set(i, o.complementarity);
    // As in the CLI's options: no distance for an option used remotely.
    distance.Set(i, o.remote ? std::nan("") : o.distance_km);
    remote.Set(i, o.remote);
    full.Set(i, o.full);
  }
  py::dict d;
  d["person_id"] = std::move(person).array();
  d["thematique"] = std::move(theme).array();
  d["rank"] = std::move(rank).array();
  d["service_id"] = std::move(service).array();
  d["partner_id"] = std::move(partner).array();
  d["score"] = std::move(score).array();
  d["capacity"] = std::move(capacity).array();
  d["proximity"] = std::move(proximity).array();
  d["complementarity"] = std::move(complementarity).array();
  d["distance_km"] = std::move(distance).array();
  d["remote"] = std::move(remote).array();
  d["full"] = std::move(full).array();
  return d;
}

}  // namespace maillage::python
