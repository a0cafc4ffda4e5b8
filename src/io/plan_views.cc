// A plan as one JSON document, and what one partner receives of it.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/csv.h"
#include "base/json.h"
#include "base/text.h"
#include "maillage/export.h"

namespace maillage {
namespace {

std::string_view View(absl::string_view s) { return {s.data(), s.size()}; }

// The fields every row of a need starts with.
base::JsonObject NeedFields(const Network& net, PersonId person, NeedId need) {
  const Need& n = net.need(need);
  base::JsonObject o;
  o.Str("person_id", net.person(person).id)
      .Str("thematique", ThemeCode(n.theme))
      .Int("urgency", n.urgency);
  return o;
}

// The items, one a line, as a JSON array.
std::string Array(const std::vector<std::string>& items) {
  if (items.empty()) return "[]";
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? ",\n    " : "\n    ", items[i]);
  }
  return out + "\n  ]";
}

}  // namespace

std::string PlanJson(const Network& net, const Plan& plan) {
  std::vector<std::string> assignments;
  assignments.reserve(plan.assignments.size());
  for (const Assignment& a : plan.assignments) {
    base::JsonObject o = NeedFields(net, a.person, a.need);
    o.Str("service_id", net.service(a.service).id);
    if (a.pinned) {
      for (const char* part :
           {"score", "capacity", "proximity", "complementarity"}) {
        o.Raw(part, "null");
      }
    } else {
      o.Num("score", a.score, 6)
          .Num("capacity", a.capacity, 6)
          .Num("proximity", a.proximity, 6)
          .Num("complementarity", a.complementarity, 6);
    }
    assignments.push_back(o.Num("distance_km", a.distance_km, 3)
                              .Bool("remote", a.remote)
                              .Bool("pinned", a.pinned)
                              .Bool("capacity_assumed", a.capacity_assumed)
                              .Close());
  }
  std::vector<std::string> unmatched;
  unmatched.reserve(plan.unmatched.size());
  for (const Unmatched& u : plan.unmatched) {
    base::JsonObject o = NeedFields(net, u.person, u.need);
    o.Str("reason", UnmatchedReasonCode(u.reason));
    if (u.reason == UnmatchedReason::kNotEligible) {
      o.Str("filter", FilterCode(u.filter));
    } else {
      o.Raw("filter", "null");
    }
    o.Str("detail", u.detail);
    if (u.suggested.valid()) {
      o.Str("suggested_service_id", net.service(u.suggested).id);
    } else {
      o.Raw("suggested_service_id", "null");
    }
    unmatched.push_back(o.Num("distance_km", u.distance_km, 3).Close());
  }
  std::string summary = PlanSummaryJson(net, plan);
  while (!summary.empty() && summary.back() == '\n') summary.pop_back();
  return absl::StrCat("{\n  \"assignments\": ", Array(assignments),
                      ",\n  \"unmatched\": ", Array(unmatched),
                      ",\n  \"summary\": ", summary, "\n}\n");
}

absl::StatusOr<std::vector<Referral>> PartnerReferrals(
    const Network& net, const Plan& plan, absl::string_view partner_id) {
  const absl::optional<PartnerId> partner = net.FindPartner(partner_id);
  if (!partner) {
    return absl::InvalidArgumentError(
        absl::StrCat("no partner with id ", base::Quoted(partner_id)));
  }
  std::vector<Referral> out;
  for (const Assignment& a : plan.assignments) {
    const Service& s = net.service(a.service);
    if (s.partner != *partner) continue;
    const Person& p = net.person(a.person);
    const Site& site = net.site(p.site);
    out.push_back({p.id, site.id, site.name, s.id, s.name,
                   std::string(ThemeCode(net.need(a.need).theme)),
                   net.need(a.need).urgency, a.pinned});
  }
  return out;
}

std::string ReferralsCsv(absl::Span<const Referral> referrals) {
  std::string text;
  std::vector<std::string_view> header;
  for (absl::string_view c : kReferralColumns) header.push_back(View(c));
  base::AppendCsvRecord(header, &text);
  for (const Referral& r : referrals) {
    const std::string urgency = absl::StrCat(r.urgency);
    base::AppendCsvRecord(
        {r.person_id, r.site_id, r.site_name, r.service_id, r.service_name,
         r.thematique, urgency, r.pinned ? "true" : "false"},
        &text);
  }
  return text;
}

}  // namespace maillage
