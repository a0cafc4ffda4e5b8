#include "plan_columns.h"

#include <cmath>
#include <string>

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
  PyObject* Theme(ThemeId t) { return themes_.Get(t, View(ThemeCode(t))); }
  PyObject* Category(ThemeId t) { return Theme(CategoryOf(t)); }
  PyObject* Code(size_t key, absl::string_view code) {
    return codes_.Get(key, View(code));
  }

 private:
  const Network& net_;
  StrCache persons_, territories_, services_, partners_, themes_, codes_;
};

double NanIf(bool absent, double v) { return absent ? std::nan("") : v; }

// The columns of the need of each row: person_id, territory, thematique,
// category, urgency. `need_of(i)` is the row's NeedId.
template <typename NeedOf>
ColumnsOf NeedColumns(const Network& net, Names& names, size_t rows,
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

}  // namespace

py::dict AssignmentColumns(const Network& net, const Plan& plan) {
  Names names(net);
  const std::vector<Assignment>& as = plan.assignments;
  return NeedColumns(net, names, as.size(),
                     [&](size_t i) { return as[i].need; })
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
  return NeedColumns(net, names, us.size(),
                     [&](size_t i) { return us[i].need; })
      .Str("reason",
           [&](size_t i) {
             return names.Code(static_cast<size_t>(us[i].reason),
                               UnmatchedReasonCode(us[i].reason));
           })
      .Str("filter",
           [&](size_t i) -> PyObject* {
             if (us[i].reason != UnmatchedReason::kNotEligible) return nullptr;
             return names.Code(16 + static_cast<size_t>(us[i].filter),
                               FilterCode(us[i].filter));
           })
      .Str("detail", [&](size_t i) { return us[i].detail; })
      .Str("suggested_service_id",
           [&](size_t i) -> PyObject* {
             return us[i].suggested.valid() ? names.Service(us[i].suggested)
                                            : nullptr;
           })
      .Num<double>("distance_km", [&](size_t i) { return us[i].distance_km; })
      .dict();
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
      .Num<bool>("capacity_known",
                 [&](size_t i) {
                   return net.service(service(i)).capacity_known;
                 })
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

py::dict OptionColumns(const Network& net, const std::vector<Option>& options) {
  Names names(net);
  const std::vector<Option>& os = options;
  // 1-based within a person's theme.
  std::vector<int32_t> rank(os.size());
  for (size_t i = 0; i < os.size(); ++i) {
    const bool same = i > 0 && os[i - 1].person == os[i].person &&
                      os[i - 1].theme == os[i].theme;
    rank[i] = same ? rank[i - 1] + 1 : 1;
  }
  return ColumnsOf(os.size())
      .Str("person_id", [&](size_t i) { return names.Person(os[i].person); })
      .Str("thematique", [&](size_t i) { return names.Theme(os[i].theme); })
      .Num<int32_t>("rank", [&](size_t i) { return rank[i]; })
      .Str("service_id", [&](size_t i) { return names.Service(os[i].service); })
      .Str("partner_id", [&](size_t i) { return names.Partner(os[i].service); })
      .Num<double>("score", [&](size_t i) { return os[i].score; })
      .Num<double>("capacity", [&](size_t i) { return os[i].capacity; })
      .Num<double>("proximity", [&](size_t i) { return os[i].proximity; })
      .Num<double>("complementarity",
                   [&](size_t i) { return os[i].complementarity; })
      // As in the CLI's options: no distance for an option used remotely.
      .Num<double>("distance_km",
                   [&](size_t i) {
                     return os[i].remote ? std::nan("") : os[i].distance_km;
                   })
      .Num<bool>("remote", [&](size_t i) { return os[i].remote; })
      .Num<bool>("full", [&](size_t i) { return os[i].full; })
      .Num<bool>("capacity_known",
                 [&](size_t i) { return os[i].capacity_known; })
      .dict();
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
