// AnalyzeGaps and WriteGaps (maillage/gaps.h).

#include "maillage/gaps.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/json.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "maillage/geo.h"
#include "maillage/vocabulary.h"

namespace maillage {

absl::StatusOr<GapReport> AnalyzeGaps(const Ranker& ranker,
                                      const GapsOptions& options,
                                      const Plan* plan) {
  if (options.budget < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("budget must be >= 0, got ", options.budget));
  }
  MAILLAGE_RETURN_IF_ERROR(ValidatePartnerGraphOptions(options.partner_graph));
  const Network& net = ranker.network();
  const std::vector<std::string> all = net.Territories();
  std::vector<std::string> territories = options.territories;
  for (const std::string& t : territories) {
    if (std::find(all.begin(), all.end(), t) == all.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown territory ", base::Quoted(t),
                       " (known: ", absl::StrJoin(all, ", "), ")"));
    }
  }
  if (territories.empty()) territories = all;
  std::sort(territories.begin(), territories.end());
  territories.erase(std::unique(territories.begin(), territories.end()),
                    territories.end());

  MAILLAGE_ASSIGN_OR_RETURN(
      GapAnalyzer analyzer,
      GapAnalyzer::Create(ranker, options.allocate, options.gaps));
  GapReport r;
  r.network = net;
  r.options = options;
  // The report outlives the call: it keeps no callback of the caller's.
  r.options.allocate.progress = nullptr;
  r.options.territories = territories;
  r.plan_given = plan != nullptr;
  r.plan = plan != nullptr ? *plan : analyzer.plan();
  r.baseline = analyzer.plan().objective;
  r.coverage = Coverage(net, r.plan);
  for (const std::string& t : territories) {
    MAILLAGE_ASSIGN_OR_RETURN(PlacePortfolio p,
                              analyzer.RecommendPlaces(options.budget, t));
    r.places.push_back(std::move(p));
    MAILLAGE_ASSIGN_OR_RETURN(RecruitmentPlan rp,
                              analyzer.RecommendRecruitments(t));
    r.recruitments.push_back(std::move(rp));
  }
  if (options.what_would_help) {
    if (territories.size() == all.size()) {  // all of them
      MAILLAGE_ASSIGN_OR_RETURN(r.what_would_help, analyzer.WhatWouldHelp());
    } else {
      for (const std::string& t : territories) {
        MAILLAGE_ASSIGN_OR_RETURN(std::vector<Help> helps,
                                  analyzer.WhatWouldHelp(t));
        for (Help& h : helps) r.what_would_help.push_back(std::move(h));
      }
      std::sort(r.what_would_help.begin(), r.what_would_help.end(),
                [](const Help& a, const Help& b) { return a.need < b.need; });
    }
  }
  PartnerGraphOptions graph_options = options.partner_graph;
  if (graph_options.territories.empty() && territories.size() < all.size()) {
    graph_options.territories = territories;
  }
  MAILLAGE_ASSIGN_OR_RETURN(
      r.partner_graph,
      AnalyzePartnerGraph(ranker, analyzer.plan(), options.allocate,
                          graph_options, &analyzer.plan()));
  return r;
}

namespace {

// CSV text built row by row.
class Csv {
 public:
  explicit Csv(std::vector<std::string> header) { Row(std::move(header)); }
  void Row(std::vector<std::string> fields) {
    std::vector<std::string_view> views(fields.begin(), fields.end());
    base::AppendCsvRecord(views, &text_);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

std::string Int(int64_t v) { return absl::StrCat(v); }
std::string Dec(double v, int decimals = 6) {
  return base::JsonNumber(v, decimals);
}

std::string CommuneName(absl::string_view code) {
  const Commune* c = FindCommune(code);
  return c != nullptr ? c->name : std::string();
}
std::string EpciName(absl::string_view siren) {
  const Epci* e = FindEpci(siren);
  return e != nullptr ? e->name : std::string();
}

std::string CoverageCsv(const GapReport& r) {
  std::vector<std::string> header = {
      "by",           "territory",
      "category",     "epci",
      "insee_com",    "public",
      "people",       "people_without_covered_need",
      "needs",        "needs_covered",
      "needs_pinned", "unmatched"};
  for (int k = 0; k < kNumUnmatchedReasons; ++k) {
    header.emplace_back(UnmatchedReasonCode(static_cast<UnmatchedReason>(k)));
  }
  Csv csv(header);
  for (const CoverageRow& c : r.coverage) {
    int64_t unmatched = 0;
    for (int64_t u : c.unmatched) unmatched += u;
    std::vector<std::string> row = {std::string(CoverageByCode(c.by)),
                                    c.territory,
                                    c.category,
                                    c.epci,
                                    c.insee_com,
                                    c.public_code,
                                    Int(c.people),
                                    Int(c.people_without_covered_need),
                                    Int(c.needs),
                                    Int(c.needs_covered),
                                    Int(c.needs_pinned),
                                    Int(unmatched)};
    for (int64_t u : c.unmatched) row.push_back(Int(u));
    csv.Row(std::move(row));
  }
  return csv.text();
}

std::string PlacesCsv(const GapReport& r) {
  const Network& net = r.network;
  Csv csv({"territory", "step", "service_id", "partner_id", "service_name",
           "gain_people", "gain_needs", "gain_urgency", "gain_score",
           "shadow_price_scaled"});
  for (const PlacePortfolio& p : r.places) {
    int i = 0;
    for (const PlaceStep& s : p.steps) {
      const Service& svc = net.service(s.service);
      csv.Row({p.territory, Int(++i), svc.id, net.partner(svc.partner).id,
               svc.name, Int(s.gain.people), Int(s.gain.needs),
               Int(s.gain.urgency), Dec(s.gain.score),
               Int(s.shadow_price_scaled)});
    }
    const Gain& v = p.verified.gain;
    csv.Row({p.territory, "total", "", "", "", Int(v.people), Int(v.needs),
             Int(v.urgency), Dec(v.score), ""});
  }
  return csv.text();
}

std::string RecruitmentsCsv(const GapReport& r) {
  Csv csv({"territory", "rank", "category", "insee_com", "commune_name", "epci",
           "epci_name", "places", "people_served", "unmatched_here",
           "gain_people", "gain_needs", "gain_urgency"});
  for (const RecruitmentPlan& p : r.recruitments) {
    int i = 0;
    for (const Recruitment& c : p.recruitments) {
      csv.Row({p.territory, Int(++i), c.category, c.insee_com,
               CommuneName(c.insee_com), c.epci, EpciName(c.epci),
               Int(c.places), Int(c.people_served), Int(c.unmatched_here),
               Int(c.gain.people), Int(c.gain.needs), Int(c.gain.urgency)});
    }
    const Gain& v = p.verified.gain;
    csv.Row({p.territory, "total", "", "", "", "", "", "", "", "",
             Int(v.people), Int(v.needs), Int(v.urgency)});
  }
  return csv.text();
}

std::string HelpCsv(const GapReport& r) {
  const Network& net = r.network;
  Csv csv({"person_id", "thematique", "reason", "change", "service_id",
           "partner_id", "extra_km", "public", "gain_people", "gain_needs",
           "gain_urgency"});
  for (const Help& h : r.what_would_help) {
    std::string service, partner;
    if (h.service.valid()) {
      const Service& s = net.service(h.service);
      service = s.id;
      partner = net.partner(s.partner).id;
    }
    csv.Row({net.person(h.person).id,
             std::string(ThemeCode(net.need(h.need).theme)),
             std::string(UnmatchedReasonCode(h.reason)),
             std::string(HelpKindCode(h.kind)), service, partner,
             h.kind == HelpKind::kReach ? Dec(h.extra_km, 1) : "",
             h.public_code, Int(h.gain.people), Int(h.gain.needs),
             Int(h.gain.urgency)});
  }
  return csv.text();
}

std::string PartnerGraphCsv(const GapReport& r) {
  Csv csv({"kind", "territory", "site_id", "partner_id", "other_partner_id",
           "category", "value", "count", "detail"});
  for (const PartnerGraphRow& g :
       PartnerGraphRows(r.network, r.partner_graph)) {
    csv.Row({g.kind, g.territory, g.site_id, g.partner_id, g.other_partner_id,
             g.category, Dec(g.value), Int(g.count), g.detail});
  }
  return csv.text();
}

std::string GainJson(const Gain& g) {
  return absl::StrCat("{\"people\": ", g.people, ", \"needs\": ", g.needs,
                      ", \"urgency\": ", g.urgency,
                      ", \"score\": ", Dec(g.score), "}");
}

std::string VerifiedJson(const VerifiedGain& v) {
  auto arr = [](const std::array<int64_t, 3>& a) {
    return absl::StrCat("[", a[0], ", ", a[1], ", ", a[2], "]");
  };
  return absl::StrCat(
      "{\"gain\": ", GainJson(v.gain),
      ", \"covered_by_urgency_before\": ", arr(v.covered_by_urgency_before),
      ", \"covered_by_urgency_after\": ", arr(v.covered_by_urgency_after),
      ", \"matches_expected\": ", v.matches_expected ? "true" : "false", "}");
}

std::string GapsJson(const GapReport& r) {
  const PlanObjective& b = r.baseline;
  std::string s = absl::StrCat(
      "{\n  \"plan_given\": ", r.plan_given ? "true" : "false",
      ",\n  \"baseline\": {\"people\": ", b.people,
      ", \"people_covered\": ", b.people_covered, ", \"needs\": ", b.needs,
      ", \"needs_covered\": ", b.needs_covered,
      ", \"urgency_level\": ", b.urgency_level,
      "},\n  \"budget\": ", r.options.budget, ",\n  \"territories\": [");
  for (size_t i = 0; i < r.places.size(); ++i) {
    const PlacePortfolio& p = r.places[i];
    const RecruitmentPlan& rc = r.recruitments[i];
    absl::StrAppend(
        &s, i ? "," : "",
        "\n    {\"territory\": ", base::JsonString(p.territory),
        ",\n     \"places\": {\"count\": ", p.steps.size(),
        ", \"expected\": ", GainJson(p.expected),
        ", \"verified\": ", VerifiedJson(p.verified), "}",
        ",\n     \"recruitments\": {\"count\": ", rc.recruitments.size(),
        ", \"expected\": ", GainJson(rc.expected),
        ", \"verified\": ", VerifiedJson(rc.verified), "}}");
  }
  std::array<int64_t, kNumHelpKinds> kinds{};
  for (const Help& h : r.what_would_help) ++kinds[static_cast<size_t>(h.kind)];
  absl::StrAppend(&s, "\n  ],\n  \"what_would_help\": {");
  for (int k = 0; k < kNumHelpKinds; ++k) {
    absl::StrAppend(&s, k ? ", " : "",
                    base::JsonString(HelpKindCode(static_cast<HelpKind>(k))),
                    ": ", kinds[static_cast<size_t>(k)]);
  }
  absl::StrAppend(&s, "}\n}\n");
  return s;
}

}  // namespace

std::vector<std::string> GapsFileNames() {
  return {"coverage.csv",        "recommended_places.csv", "recruitments.csv",
          "what_would_help.csv", "partner_graph.csv",      "gaps.json"};
}

absl::StatusOr<std::string> GapsFileText(const GapReport& report,
                                         absl::string_view name) {
  if (name == "coverage.csv") return CoverageCsv(report);
  if (name == "recommended_places.csv") return PlacesCsv(report);
  if (name == "recruitments.csv") return RecruitmentsCsv(report);
  if (name == "what_would_help.csv") return HelpCsv(report);
  if (name == "partner_graph.csv") return PartnerGraphCsv(report);
  if (name == "gaps.json") return GapsJson(report);
  return absl::InvalidArgumentError(
      absl::StrCat("no gaps file named ", base::Quoted(name), " (",
                   absl::StrJoin(GapsFileNames(), ", "), ")"));
}

absl::Status WriteGaps(const GapReport& report, const std::string& dir) {
  // Every file is computed before any is written.
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& name : GapsFileNames()) {
    MAILLAGE_ASSIGN_OR_RETURN(std::string text, GapsFileText(report, name));
    files.emplace_back(name, std::move(text));
  }
  MAILLAGE_RETURN_IF_ERROR(base::MakeFolder(dir));
  for (const auto& [name, text] : files) {
    MAILLAGE_RETURN_IF_ERROR(base::WriteFile(dir + "/" + name, text));
  }
  return absl::OkStatus();
}

}  // namespace maillage
