#include "plan_columns.h"

#include <cmath>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "columns.h"

namespace maillage::python {
namespace {

template <typename Id>
size_t Key(Id id) {
  return static_cast<size_t>(id.value());
}
std::string_view View(absl::string_view s) { return {s.data(), s.size()}; }

// Shared str objects for the ids and codes a plan repeats.
class Names {
 public:
  explicit Names(const Network& net) : net_(net) {}

  PyObject* Person(PersonId p) {
    return persons_.Get(Key(p), net_.person(p).id);
  }
  PyObject* Territory(PersonId p) {
    const SiteId s = net_.person(p).site;
    return territories_.Get(Key(s), net_.site(s).territory);
  }
  PyObject* Service(ServiceId s) {
    return services_.Get(Key(s), net_.service(s).id);
  }
  PyObject* Partner(ServiceId s) {
    const PartnerId p = net_.service(s).partner;
    return partners_.Get(Key(p), net_.partner(p).id);
  }
  PyObject* Site(SiteId s) { return sites_.Get(Key(s), net_.site(s).id); }
  // A service's and its partner's names; nullptr (None) when empty.
  PyObject* ServiceName(ServiceId s) {
    const std::string& name = net_.service(s).name;
    return name.empty() ? nullptr : service_names_.Get(Key(s), name);
  }
  PyObject* PartnerName(ServiceId s) {
    const PartnerId p = net_.service(s).partner;
    const std::string& name = net_.partner(p).name;
    return name.empty() ? nullptr : partner_names_.Get(Key(p), name);
  }
  PyObject* Kind(const std::string& kind) {
    auto [it, added] = kinds_.try_emplace(kind, kinds_.size());
    return kind_codes_.Get(it->second, kind);
  }
  PyObject* Theme(ThemeId t) { return themes_.Get(t, View(ThemeCode(t))); }
  PyObject* Category(ThemeId t) { return Theme(CategoryOf(t)); }
  PyObject* Code(size_t key, absl::string_view code) {
    return codes_.Get(key, View(code));
  }

 private:
  const Network& net_;
  StrCache persons_, territories_, services_, partners_, themes_, codes_,
      sites_, kind_codes_, service_names_, partner_names_;
  absl::flat_hash_map<std::string, size_t> kinds_;
};

double NanIf(bool absent, double v) { return absent ? std::nan("") : v; }

// The columns of the need of each row: person_id, territory, thematique,
// category, urgency. `need_of(i)` is the row's NeedId.
template <typename NeedOf>
ColumnsOf NeedPart(const Network& net, Names& names, size_t rows,
                   NeedOf need_of) {
  auto need = [&](size_t i) -> const Need& { return net.need(need_of(i)); };
  ColumnsOf t(rows);
  t.Str("person_id", [&](size_t i) { return names.Person(need(i).person); })
      .Str("territory",
           [&](size_t i) { return names.Territory(need(i).person); })
      .Str("thematique", [&](size_t i) { return names.Theme(need(i).theme); })
      .Str("category", [&](size_t i) { return names.Category(need(i).theme); })
      .template Num<int32_t>("urgency",
                             [&](size_t i) { return need(i).urgency; });
  return t;
}

// The counts of an unmatched need (Unmatched): in_reach, serving and
// excluded_FILTER, NA where not computed (serving < 0). `u(i)` is the row's
// Unmatched, or nullptr for a covered need (all NA).
template <typename U>
void AddCounts(ColumnsOf& t, U u) {
  using Opt = absl::optional<int64_t>;
  t.OptInt("in_reach", [&](size_t i) -> Opt {
    const Unmatched* x = u(i);
    if (x == nullptr) return absl::nullopt;
    return x->in_reach;
  });
  t.OptInt("serving", [&](size_t i) -> Opt {
    const Unmatched* x = u(i);
    if (x == nullptr || x->serving < 0) return absl::nullopt;
    return x->serving;
  });
  static const std::string kNames[] = {
      "excluded_frais", "excluded_type",  "excluded_public", "excluded_zone",
      "excluded_age",   "excluded_reach", "excluded_refused"};
  const Filter filters[] = {
      Filter::kFrais, Filter::kServiceType, Filter::kPublic, Filter::kZone,
      Filter::kAge,   Filter::kReach,       Filter::kRefused};
  for (size_t k = 0; k < 7; ++k) {
    t.OptInt(kNames[k].c_str(), [&](size_t i) -> Opt {
      const Unmatched* x = u(i);
      if (x == nullptr || x->serving < 0) return absl::nullopt;
      return x->excluded_by[static_cast<size_t>(filters[k])];
    });
  }
}

}  // namespace

py::dict AssignmentColumns(const Network& net, const Plan& plan) {
  Names names(net);
  const std::vector<Assignment>& as = plan.assignments;
  return NeedPart(net, names, as.size(), [&](size_t i) { return as[i].need; })
      .Str("service_id", [&](size_t i) { return names.Service(as[i].service); })
      .Str("partner_id", [&](size_t i) { return names.Partner(as[i].service); })
      .Num<double>("score",
                   [&](size_t i) { return NanIf(as[i].pinned, as[i].score); })
      .Num<double>(
          "capacity",
          [&](size_t i) { return NanIf(as[i].pinned, as[i].capacity); })
      .Num<double>(
          "proximity",
          [&](size_t i) { return NanIf(as[i].pinned, as[i].proximity); })
      .Num<double>(
          "complementarity",
          [&](size_t i) { return NanIf(as[i].pinned, as[i].complementarity); })
      .Num<double>("distance_km", [&](size_t i) { return as[i].distance_km; })
      .Num<bool>("remote", [&](size_t i) { return as[i].remote; })
      .Num<bool>("pinned", [&](size_t i) { return as[i].pinned; })
      .Num<bool>("capacity_assumed",
                 [&](size_t i) { return as[i].capacity_assumed; })
      .dict();
}

py::dict UnmatchedColumns(const Network& net, const Plan& plan) {
  Names names(net);
  const std::vector<Unmatched>& us = plan.unmatched;
  ColumnsOf t =
      NeedPart(net, names, us.size(), [&](size_t i) { return us[i].need; })
          .Str("reason",
               [&](size_t i) {
                 return names.Code(static_cast<size_t>(us[i].reason),
                                   UnmatchedReasonCode(us[i].reason));
               })
          .Str("filter",
               [&](size_t i) -> PyObject* {
                 if (us[i].reason != UnmatchedReason::kNotEligible)
                   return nullptr;
                 return names.Code(16 + static_cast<size_t>(us[i].filter),
                                   FilterCode(us[i].filter));
               })
          .Str("detail", [&](size_t i) { return us[i].detail; })
          .Str("suggested_service_id",
               [&](size_t i) -> PyObject* {
                 return us[i].suggested.valid() ? names.Service(us[i].suggested)
                                                : nullptr;
               })
          .Str("suggested_partner_id",
               [&](size_t i) -> PyObject* {
                 return us[i].suggested.valid() ? names.Partner(us[i].suggested)
                                                : nullptr;
               })
          .Num<double>("distance_km",
                       [&](size_t i) { return us[i].distance_km; });
  AddCounts(t, [&](size_t i) -> const Unmatched* { return &us[i]; });
  return t.dict();
}

py::dict NeedColumns(const Network& net, const Plan& plan) {
  Names names(net);
  // Each row: an assignment (>= 0) or an unmatched need (-1 - index), in
  // need order.
  std::vector<int64_t> row;
  row.reserve(plan.assignments.size() + plan.unmatched.size());
  size_t a = 0, u = 0;
  while (a < plan.assignments.size() || u < plan.unmatched.size()) {
    const bool take_a = u == plan.unmatched.size() ||
                        (a < plan.assignments.size() &&
                         plan.assignments[a].need < plan.unmatched[u].need);
    row.push_back(take_a ? static_cast<int64_t>(a++)
                         : -1 - static_cast<int64_t>(u++));
  }
  auto as = [&](size_t i) -> const Assignment* {
    return row[i] >= 0 ? &plan.assignments[static_cast<size_t>(row[i])]
                       : nullptr;
  };
  auto un = [&](size_t i) -> const Unmatched* {
    return row[i] < 0 ? &plan.unmatched[static_cast<size_t>(-1 - row[i])]
                      : nullptr;
  };
  auto need = [&](size_t i) {
    return as(i) != nullptr ? as(i)->need : un(i)->need;
  };
  auto part = [&](size_t i, double Assignment::*field) {
    const Assignment* x = as(i);
    return x == nullptr || x->pinned ? std::nan("") : x->*field;
  };
  ColumnsOf t(row.size());
  t.Str("person_id",
        [&](size_t i) { return names.Person(net.need(need(i)).person); })
      .Str("territory",
           [&](size_t i) { return names.Territory(net.need(need(i)).person); })
      .Str("site_id",
           [&](size_t i) {
             return names.Site(net.person(net.need(need(i)).person).site);
           })
      .Str("thematique",
           [&](size_t i) { return names.Theme(net.need(need(i)).theme); })
      .Str("category",
           [&](size_t i) { return names.Category(net.need(need(i)).theme); })
      .Num<int32_t>("urgency",
                    [&](size_t i) { return net.need(need(i)).urgency; })
      .Str("status",
           [&](size_t i) {
             const Assignment* x = as(i);
             const char* s = x == nullptr ? "unmatched"
                             : x->pinned  ? "pinned"
                                          : "covered";
             return names.Code(32 + (x == nullptr ? 0 : x->pinned ? 1 : 2), s);
           })
      .Str("service_id",
           [&](size_t i) -> PyObject* {
             const Assignment* x = as(i);
             return x ? names.Service(x->service) : nullptr;
           })
      .Str("service_name",
           [&](size_t i) -> PyObject* {
             const Assignment* x = as(i);
             return x ? names.ServiceName(x->service) : nullptr;
           })
      .Str("partner_id",
           [&](size_t i) -> PyObject* {
             const Assignment* x = as(i);
             return x ? names.Partner(x->service) : nullptr;
           })
      .Str("partner_name",
           [&](size_t i) -> PyObject* {
             const Assignment* x = as(i);
             return x ? names.PartnerName(x->service) : nullptr;
           })
      .Str("partner_kind",
           [&](size_t i) -> PyObject* {
             const Assignment* x = as(i);
             if (x == nullptr) return nullptr;
             const Partner& p = net.partner(net.service(x->service).partner);
             return p.kind.empty() ? nullptr : names.Kind(p.kind);
           })
      .Num<double>("score",
                   [&](size_t i) { return part(i, &Assignment::score); })
      .Num<double>("capacity",
                   [&](size_t i) { return part(i, &Assignment::capacity); })
      .Num<double>("proximity",
                   [&](size_t i) { return part(i, &Assignment::proximity); })
      .Num<double>(
          "complementarity",
          [&](size_t i) { return part(i, &Assignment::complementarity); })
      .Num<double>("distance_km",
                   [&](size_t i) {
                     return as(i) ? as(i)->distance_km : un(i)->distance_km;
                   })
      .Num<bool>("remote", [&](size_t i) { return as(i) && as(i)->remote; })
      .Num<bool>("capacity_assumed",
                 [&](size_t i) { return as(i) && as(i)->capacity_assumed; })
      .Str("reason",
           [&](size_t i) -> PyObject* {
             const Unmatched* x = un(i);
             if (x == nullptr) return nullptr;
             return names.Code(static_cast<size_t>(x->reason),
                               UnmatchedReasonCode(x->reason));
           })
      .Str("filter",
           [&](size_t i) -> PyObject* {
             const Unmatched* x = un(i);
             if (x == nullptr || x->reason != UnmatchedReason::kNotEligible) {
               return nullptr;
             }
             return names.Code(16 + static_cast<size_t>(x->filter),
                               FilterCode(x->filter));
           })
      .Str("suggested_service_id",
           [&](size_t i) -> PyObject* {
             const Unmatched* x = un(i);
             return x && x->suggested.valid() ? names.Service(x->suggested)
                                              : nullptr;
           })
      .Str("suggested_service_name",
           [&](size_t i) -> PyObject* {
             const Unmatched* x = un(i);
             return x && x->suggested.valid() ? names.ServiceName(x->suggested)
                                              : nullptr;
           })
      .Str("suggested_partner_id", [&](size_t i) -> PyObject* {
        const Unmatched* x = un(i);
        return x && x->suggested.valid() ? names.Partner(x->suggested)
                                         : nullptr;
      });
  AddCounts(t, un);
  return t.dict();
}

py::dict ShadowPriceColumns(const Network& net, const Plan& plan) {
  Names names(net);
  std::vector<int32_t> assigned(net.services().size(), 0);
  for (const Assignment& a : plan.assignments) {
    if (!a.pinned) ++assigned[static_cast<size_t>(a.service.value())];
  }
  const std::vector<ShadowPrice>& ps = plan.shadow_prices;
  auto service = [&](size_t i) { return ps[i].service; };
  return ColumnsOf(ps.size())
      .Str("service_id", [&](size_t i) { return names.Service(service(i)); })
      .Str("partner_id", [&](size_t i) { return names.Partner(service(i)); })
      .Num<int32_t>(
          "capacity_available",
          [&](size_t i) { return net.service(service(i)).capacity_available; })
      .Num<bool>(
          "capacity_known",
          [&](size_t i) { return net.service(service(i)).capacity_known; })
      .Num<int32_t>("pinned_places",
                    [&](size_t i) { return net.pinned_places(service(i)); })
      .Num<int32_t>("free_places",
                    [&](size_t i) { return net.free_places(service(i)); })
      .Num<int32_t>("assigned",
                    [&](size_t i) {
                      return assigned[static_cast<size_t>(service(i).value())];
                    })
      .Num<int64_t>("scaled", [&](size_t i) { return ps[i].scaled; })
      .Num<int64_t>("people", [&](size_t i) { return ps[i].people; })
      .Num<int64_t>("needs", [&](size_t i) { return ps[i].needs; })
      .Num<int64_t>("urgency", [&](size_t i) { return ps[i].urgency; })
      .Num<double>("score", [&](size_t i) { return ps[i].score; })
      .dict();
}

py::dict OptionColumns(const Network& net, const std::vector<RankRow>& rows) {
  Names names(net);
  auto o = [&](size_t i) -> const Option& { return rows[i].option; };
  auto none = [&](size_t i) { return !rows[i].option.service.valid(); };
  // 1-based within a person's theme.
  std::vector<int32_t> rank(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool same =
        i > 0 && o(i - 1).person == o(i).person && o(i - 1).theme == o(i).theme;
    rank[i] = same ? rank[i - 1] + 1 : 1;
  }
  auto num = [&](size_t i, double Option::*field) {
    return none(i) ? std::nan("") : o(i).*field;
  };
  using Opt = absl::optional<int64_t>;
  ColumnsOf t(rows.size());
  t.Str("person_id", [&](size_t i) { return names.Person(o(i).person); })
      .Str("thematique", [&](size_t i) { return names.Theme(o(i).theme); })
      .OptInt("urgency",
              [&](size_t i) -> Opt {
                if (!o(i).need.valid()) return absl::nullopt;
                return net.need(o(i).need).urgency;
              })
      .OptInt("rank",
              [&](size_t i) -> Opt {
                if (none(i)) return absl::nullopt;
                return rank[i];
              })
      .Str("service_id",
           [&](size_t i) -> PyObject* {
             return none(i) ? nullptr : names.Service(o(i).service);
           })
      .Str("partner_id",
           [&](size_t i) -> PyObject* {
             return none(i) ? nullptr : names.Partner(o(i).service);
           })
      .Num<double>("score", [&](size_t i) { return num(i, &Option::score); })
      .Num<double>("capacity",
                   [&](size_t i) { return num(i, &Option::capacity); })
      .Num<double>("proximity",
                   [&](size_t i) { return num(i, &Option::proximity); })
      .Num<double>("complementarity",
                   [&](size_t i) { return num(i, &Option::complementarity); })
      .Num<double>("link", [&](size_t i) { return num(i, &Option::link); })
      .Num<double>("cover", [&](size_t i) { return num(i, &Option::cover); })
      .Num<double>("novelty",
                   [&](size_t i) { return num(i, &Option::novelty); })
      // As in the CLI's options: no distance for an option used remotely.
      .Num<double>("distance_km",
                   [&](size_t i) {
                     return none(i) || o(i).remote ? std::nan("")
                                                   : o(i).distance_km;
                   })
      .Num<bool>("remote", [&](size_t i) { return !none(i) && o(i).remote; })
      .Num<bool>("full", [&](size_t i) { return !none(i) && o(i).full; })
      .Num<bool>("capacity_known",
                 [&](size_t i) { return !none(i) && o(i).capacity_known; })
      .Str("reason",
           [&](size_t i) -> PyObject* {
             if (!none(i)) return nullptr;
             const UnmatchedReason r = rows[i].why.reason;
             return names.Code(static_cast<size_t>(r), UnmatchedReasonCode(r));
           })
      .Str("filter", [&](size_t i) -> PyObject* {
        if (!none(i) || rows[i].why.reason != UnmatchedReason::kNotEligible) {
          return nullptr;
        }
        const Filter f = rows[i].why.filter;
        return names.Code(16 + static_cast<size_t>(f), FilterCode(f));
      });
  return t.dict();
}

py::dict ReferralColumns(const std::vector<Referral>& referrals) {
  const std::vector<Referral>& rs = referrals;
  return ColumnsOf(rs.size())
      .Str("person_id", [&](size_t i) { return rs[i].person_id; })
      .Str("site_id", [&](size_t i) { return rs[i].site_id; })
      .Str("site_name", [&](size_t i) { return rs[i].site_name; })
      .Str("service_id", [&](size_t i) { return rs[i].service_id; })
      .Str("service_name", [&](size_t i) { return rs[i].service_name; })
      .Str("thematique", [&](size_t i) { return rs[i].thematique; })
      .Num<int32_t>("urgency", [&](size_t i) { return rs[i].urgency; })
      .Num<bool>("pinned", [&](size_t i) { return rs[i].pinned; })
      .dict();
}

}  // namespace maillage::python
