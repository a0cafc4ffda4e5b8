// GapAnalyzer (maillage/analyze.h): exact what-if questions on the
// allocation model, answered by re-optimising an incremental copy of it.
//
// The copy is built on an "analysis network": the network plus, for each
// territory, theme category and commune where needs are left out_of_reach or
// no_service_for_theme, a candidate service of that category at the
// commune's centre with no place (a recruitment not made yet). Such a
// service is an option of the needs around it but takes nobody, and adding
// it changes no other option's score (a score depends only on its own
// service, and the candidates' partner has no partnership): the optimum's
// levels are those of the baseline, which Create checks. Every open need
// has its arc person -> need even without options (allocate::BuildModel's
// all_open_needs), so that a question may give it options.
//
// A question changes capacities or adds option arcs, re-optimises, reads
// the levels' change from the arcs whose flow moved (IncrementalFlow's log),
// and rolls the solver back to its mark (IncrementalFlow::RollbackTo: flows,
// potentials and capacities restored, added arcs removed), which brings the
// flow cost back to the baseline's (checked). The searches start from the
// deficits: a change grows a service's places or opens an arc into one, so
// the deficit is near the service and the excess at the sink, a hub.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "allocate/costs.h"
#include "allocate/model.h"
#include "base/status_macros.h"
#include "flow/incremental.h"
#include "maillage/analyze.h"
#include "maillage/edit.h"
#include "maillage/geo.h"
#include "maillage/schema.h"
#include "maillage/vocabulary.h"

namespace maillage {
namespace {

using allocate::Model;

constexpr absl::string_view kCandidatePartner = "recrutement-candidat";

// What an arc of the model counts for.
struct ArcInfo {
  enum Kind : uint8_t { kOther, kBonus, kNeed, kOption, kService };
  Kind kind = kOther;
  int32_t need = -1;     // kNeed, kOption
  int32_t service = -1;  // kOption, kService
  double score = 0;      // kOption
};

// A candidate recruitment in the analysis network.
struct Candidate {
  std::string territory;
  ThemeId category = 0;
  std::string insee_com;
  std::string epci;
  int32_t unmatched_here = 0;
  ServiceId service;             // in the analysis network
  std::vector<int32_t> in_arcs;  // option arcs into it
  // Places it is given: as many as the needs that could use it, at most the
  // places of the territory's largest service of that category
  // (SizeCandidates).
  int32_t places = 0;
};

std::string CandidateId(absl::string_view territory, ThemeId category,
                        absl::string_view insee_com) {
  return absl::StrCat("recrutement-", territory, "-", ThemeCode(category), "-",
                      insee_com);
}

}  // namespace

absl::string_view HelpKindCode(HelpKind k) {
  switch (k) {
    case HelpKind::kNone:
      return "none";
    case HelpKind::kPlace:
      return "place";
    case HelpKind::kReach:
      return "reach";
    case HelpKind::kZone:
      return "zone";
    case HelpKind::kPublic:
      return "public";
  }
  return "none";
}

Gain GainBetween(const PlanObjective& before, const PlanObjective& after) {
  Gain g;
  g.people = after.people_covered - before.people_covered;
  g.needs = after.needs_covered - before.needs_covered;
  g.urgency = after.urgency_level - before.urgency_level;
  g.score = after.total_score - before.total_score;
  // The analyzer's plans come from 64-bit sessions and models.
  g.scaled = static_cast<int64_t>(before.flow_cost - after.flow_cost);
  return g;
}

absl::Status ValidateGapOptions(const GapOptions& o) {
  if (o.max_tries_per_kind < 0) {
    return absl::InvalidArgumentError("max_tries_per_kind must be >= 0");
  }
  if (!(std::isfinite(o.max_reach_km) && o.max_reach_km > 0)) {
    return absl::InvalidArgumentError("max_reach_km must be finite and > 0");
  }
  if (o.recruitments_per_territory < 0) {
    return absl::InvalidArgumentError(
        "recruitments_per_territory must be >= 0");
  }
  if (o.recruitment_candidates < 0) {
    return absl::InvalidArgumentError("recruitment_candidates must be >= 0");
  }
  return absl::OkStatus();
}

struct GapAnalyzer::Impl {
  Ranker ranker;
  AllocateOptions options;
  GapOptions gap;
  Plan plan;

  Network anet;
  absl::optional<Ranker> aranker;
  Model m;
  flow::IncrementalFlow inc;
  std::vector<ArcInfo> arcs;
  std::vector<std::pair<int32_t, int64_t>> log;
  int64_t base_cost = 0;
  int32_t num_services = 0;  // of the original network
  std::vector<Candidate> candidates;
  // Per service of the network: the territory whose needs have the most
  // options there ("" when none; ties: the first by name). A service
  // reached from several territories (remote ones) belongs to one.
  std::vector<std::string> service_territory;

  Impl(Ranker r, AllocateOptions o, GapOptions g)
      : ranker(std::move(r)), options(o), gap(g) {}

  const Network& net() const { return ranker.network(); }

  std::string TerritoryOfPerson(PersonId p) const {
    return net().site(net().person(p).site).territory;
  }

  // --- Building ----------------------------------------------------------

  absl::Status BuildCandidates(NetworkEdit* edit) {
    // (territory, category, commune) -> unmatched needs.
    std::map<std::tuple<std::string, ThemeId, std::string>, int32_t> counts;
    for (const Unmatched& u : plan.unmatched) {
      if (u.reason != UnmatchedReason::kOutOfReach &&
          u.reason != UnmatchedReason::kNoServiceForTheme) {
        continue;
      }
      const Person& p = net().person(u.person);
      if (FindCommune(p.insee_com) == nullptr) continue;
      ++counts[{TerritoryOfPerson(u.person),
                CategoryOf(net().need(u.need).theme), p.insee_com}];
    }
    // The communes with the most such needs per territory and category.
    std::map<std::pair<std::string, ThemeId>,
             std::vector<std::pair<int32_t, std::string>>>
        by_group;
    for (const auto& [key, n] : counts) {
      const auto& [territory, category, com] = key;
      by_group[{territory, category}].push_back({-n, com});
    }
    bool any = false;
    for (auto& [group, list] : by_group) {
      std::sort(list.begin(), list.end());
      if (list.size() > static_cast<size_t>(gap.recruitment_candidates)) {
        list.resize(static_cast<size_t>(gap.recruitment_candidates));
      }
      for (const auto& [neg, com] : list) {
        const Commune* c = FindCommune(com);
        if (c == nullptr || !c->has_location) continue;
        Candidate cand;
        cand.territory = group.first;
        cand.category = group.second;
        cand.insee_com = com;
        cand.epci = c->epci;
        cand.unmatched_here = -neg;
        ServiceRow row;
        row.id = CandidateId(cand.territory, cand.category, com);
        row.partner_id = std::string(kCandidatePartner);
        row.name = row.id;
        row.thematiques = {std::string(ThemeCode(cand.category))};
        row.modes_accueil = {"en-presentiel"};
        row.insee_com = com;
        row.lat = c->lat;
        row.lng = c->lng;
        row.capacity_available = 0;
        row.capacity_max = 0;
        edit->AddService(std::move(row));
        candidates.push_back(std::move(cand));
        any = true;
      }
    }
    if (any) {
      PartnerRow partner;
      partner.id = std::string(kCandidatePartner);
      partner.name = "candidate recruitment";
      partner.kind = "";
      // Any valid commune: the partner's own place is never used.
      partner.insee_com = candidates.front().insee_com;
      edit->AddPartner(std::move(partner));
    }
    return absl::OkStatus();
  }

  absl::Status Build() {
    MAILLAGE_ASSIGN_OR_RETURN(plan, Allocate(ranker, options));
    num_services = static_cast<int32_t>(net().services().size());
    NetworkEdit edit;
    MAILLAGE_RETURN_IF_ERROR(BuildCandidates(&edit));
    if (edit.empty()) {
      anet = net();
    } else {
      absl::StatusOr<Network> a = edit.Apply(net());
      if (!a.ok()) {
        return absl::InternalError(absl::StrCat(
            "the candidate recruitments do not build: ", a.status().message()));
      }
      anet = *std::move(a);
    }
    for (Candidate& c : candidates) {
      absl::optional<ServiceId> s =
          anet.FindService(CandidateId(c.territory, c.category, c.insee_com));
      if (!s) return absl::InternalError("a candidate service is missing");
      c.service = *s;
    }
    MAILLAGE_ASSIGN_OR_RETURN(Ranker ar,
                              Ranker::Create(anet, ranker.options()));
    aranker.emplace(std::move(ar));
    MAILLAGE_ASSIGN_OR_RETURN(
        m, allocate::BuildModel(*aranker, options, /*all_open_needs=*/true,
                                allocate::CostWidth::kNarrow));
    int32_t rounds = 0;
    int64_t priced = 0;
    MAILLAGE_ASSIGN_OR_RETURN(
        flow::FlowSolution sol,
        allocate::SolveModel(m, m.problem, options.candidate_limit, &rounds,
                             &priced));
    if (sol.status != flow::FlowStatus::kOptimal) {
      return absl::InternalError("the analysis model has no optimum");
    }
    // What each arc counts for.
    arcs.assign(static_cast<size_t>(m.problem.num_arcs()), ArcInfo{});
    for (int32_t a : m.bonus_arc) {
      if (a >= 0) arcs[static_cast<size_t>(a)].kind = ArcInfo::kBonus;
    }
    for (size_t n = 0; n < m.need_arc.size(); ++n) {
      if (m.need_arc[n] >= 0) {
        arcs[static_cast<size_t>(m.need_arc[n])] = {
            ArcInfo::kNeed, static_cast<int32_t>(n), -1, 0};
      }
    }
    const auto num_needs = static_cast<int32_t>(anet.needs().size());
    absl::flat_hash_map<int32_t, size_t> candidate_of;
    for (size_t i = 0; i < candidates.size(); ++i) {
      candidate_of[candidates[i].service.value()] = i;
    }
    std::vector<std::map<std::string, int32_t>> options_from(
        static_cast<size_t>(num_services));
    for (int32_t n = 0; n < num_needs; ++n) {
      const std::string territory =
          TerritoryOfPerson(anet.need(NeedId(n)).person);
      for (int32_t i = m.option_begin[static_cast<size_t>(n)];
           i < m.option_begin[static_cast<size_t>(n) + 1]; ++i) {
        const allocate::ModelOption& o = m.options[static_cast<size_t>(i)];
        const int32_t arc = m.first_option_arc + i;
        arcs[static_cast<size_t>(arc)] = {ArcInfo::kOption, n,
                                          o.service.value(), o.score};
        if (auto it = candidate_of.find(o.service.value());
            it != candidate_of.end()) {
          candidates[it->second].in_arcs.push_back(arc);
        } else if (o.service.value() < num_services) {
          ++options_from[static_cast<size_t>(o.service.value())][territory];
        }
      }
    }
    service_territory.assign(static_cast<size_t>(num_services), "");
    for (size_t s = 0; s < options_from.size(); ++s) {
      int32_t most = 0;
      for (const auto& [t, k] : options_from[s]) {
        if (k > most) {
          most = k;
          service_territory[s] = t;
        }
      }
    }
    SizeCandidates();
    for (size_t s = 0; s < m.service_arc.size(); ++s) {
      if (m.service_arc[s] >= 0) {
        arcs[static_cast<size_t>(m.service_arc[s])] = {
            ArcInfo::kService, -1, static_cast<int32_t>(s), 0};
      }
    }
    MAILLAGE_RETURN_IF_ERROR(inc.Init(m.problem, sol));
    inc.SetLog(&log);
    // The changes tried here grow a service's places or open an arc into
    // one: the deficit is at a leaf, the excess at the sink (a hub).
    inc.set_search_from_deficits(true);
    base_cost = inc.objective();
    // The baseline's levels, from the flow: they must be the plan's.
    int64_t people = m.people_pinned, needs = 0, urgency = 0;
    for (size_t a = 0; a < arcs.size(); ++a) {
      const int64_t f = inc.flow(static_cast<int32_t>(a));
      if (f == 0) continue;
      if (arcs[a].kind == ArcInfo::kBonus) people += f;
      if (arcs[a].kind == ArcInfo::kNeed) {
        needs += f;
        urgency += f * (anet.need(NeedId(arcs[a].need)).urgency - 1);
      }
    }
    int64_t pinned_urgency = 0;
    for (const Assignment& a : plan.assignments) {
      if (a.pinned) pinned_urgency += net().need(a.need).urgency - 1;
    }
    if (people != plan.objective.people_covered ||
        needs + plan.objective.needs_pinned != plan.objective.needs_covered ||
        urgency + pinned_urgency != plan.objective.urgency_level) {
      return absl::InternalError(absl::StrCat(
          "the analysis model's optimum (", people, " people, ",
          needs + plan.objective.needs_pinned,
          " needs) differs from the plan's (", plan.objective.people_covered,
          ", ", plan.objective.needs_covered, ")"));
    }
    return absl::OkStatus();
  }

  // --- Probes ------------------------------------------------------------

  // The levels' change since the log was cleared, the flow cost having
  // been `cost0`.
  Gain Measure(int64_t cost0) const {
    Gain g;
    for (const auto& [a, delta] : log) {
      const ArcInfo& info = arcs[static_cast<size_t>(a)];
      switch (info.kind) {
        case ArcInfo::kBonus:
          g.people += delta;
          break;
        case ArcInfo::kNeed:
          g.needs += delta;
          g.urgency += delta * (anet.need(NeedId(info.need)).urgency - 1);
          break;
        case ArcInfo::kOption:
          g.score += static_cast<double>(delta) * info.score;
          break;
        default:
          break;
      }
    }
    g.scaled = cost0 - inc.objective();
    return g;
  }

  absl::Status Reoptimize() {
    absl::Status s = inc.Reoptimize();
    if (!s.ok()) {
      return absl::InternalError(
          absl::StrCat("re-optimisation failed: ", s.message()));
    }
    return absl::OkStatus();
  }

  // Undoes every change since `mark` (IncrementalFlow::Mark); the cost must
  // be `cost0` again.
  absl::Status Rollback(size_t mark, int64_t cost0) {
    inc.RollbackTo(mark);
    arcs.resize(static_cast<size_t>(inc.problem().num_arcs()));  // added ones
    log.clear();
    if (inc.objective() != cost0) {
      return absl::InternalError(
          "the analysis model did not return to its optimum");
    }
    return absl::OkStatus();
  }

  int32_t AddOptionArc(const Option& o, NeedId need) {
    const int32_t a = inc.AddArc(m.need_node0 + need.value(),
                                 m.service_node0 + o.service.value(), 1,
                                 allocate::OptionCost(m.scaling, o.score));
    arcs.push_back(
        {ArcInfo::kOption, need.value(), o.service.value(), o.score});
    return a;
  }

  // Adds places at services (by their arcs): returns the old capacities.
  std::vector<std::pair<int32_t, int64_t>> AddPlaces(
      absl::Span<const ServiceId> services, int32_t places) {
    std::vector<std::pair<int32_t, int64_t>> old;
    for (ServiceId s : services) {
      const int32_t a = m.service_arc[static_cast<size_t>(s.value())];
      if (a < 0) continue;
      old.emplace_back(a, inc.problem().capacity[static_cast<size_t>(a)]);
      inc.SetCapacity(a, old.back().second + places);
    }
    return old;
  }

  absl::StatusOr<Gain> Probe(absl::Span<const ServiceId> services,
                             int32_t places) {
    log.clear();
    const int64_t cost0 = inc.objective();
    const size_t mark = inc.Mark();
    AddPlaces(services, places);
    MAILLAGE_RETURN_IF_ERROR(Reoptimize());
    const Gain g = Measure(cost0);
    MAILLAGE_RETURN_IF_ERROR(Rollback(mark, cost0));
    return g;
  }

  // The shadow price of a service's places now: minus the reduced cost of
  // its arc when negative (an upper bound of one more place's gain).
  int64_t Price(int32_t arc) const {
    const auto i = static_cast<size_t>(arc);
    const int64_t rc = inc.problem().cost[i] +
                       inc.potential(inc.problem().tail[i]) -
                       inc.potential(inc.problem().head[i]);
    return rc < 0 ? -rc : 0;
  }

  bool Covered(NeedId n) const {
    const int32_t a = m.need_arc[static_cast<size_t>(n.value())];
    return a >= 0 && inc.flow(a) > 0;
  }

  // The service a covered need is assigned to now, among its model options
  // and `added` arcs.
  ServiceId AssignedService(NeedId n, const std::vector<int32_t>& added) const {
    for (int32_t i = m.option_begin[static_cast<size_t>(n.value())];
         i < m.option_begin[static_cast<size_t>(n.value()) + 1]; ++i) {
      if (inc.flow(m.first_option_arc + i) > 0) {
        return m.options[static_cast<size_t>(i)].service;
      }
    }
    for (int32_t a : added) {
      const ArcInfo& info = arcs[static_cast<size_t>(a)];
      if (info.need == n.value() && inc.flow(a) > 0)
        return ServiceId(info.service);
    }
    return ServiceId::Invalid();
  }

  // A candidate's places: the needs that could use it, at most the places
  // (the larger of capacity_max and capacity_available) of the largest
  // service of its category in its territory, else of the territory's
  // largest service, else the same in the whole network, so that a
  // recruitment is the size of a partner the territory (or the network)
  // knows.
  void SizeCandidates() {
    // A key no territory has (territory names are not empty and have no
    // control character).
    static constexpr absl::string_view kNetwork = "\x01network";
    std::map<std::pair<std::string, ThemeId>, int32_t> largest;
    std::map<std::string, int32_t> largest_any;
    for (int32_t s = 0; s < num_services; ++s) {
      const Service& svc = net().service(ServiceId(s));
      if (!svc.capacity_known) continue;
      const std::string& t = service_territory[static_cast<size_t>(s)];
      const int32_t places = std::max(svc.capacity_max, svc.capacity_available);
      for (const std::string& key : {t, std::string(kNetwork)}) {
        largest_any[key] = std::max(largest_any[key], places);
        for (int c = 0; c < NumCategories(); ++c) {
          if (svc.served.Contains(static_cast<ThemeId>(c))) {
            auto& l = largest[{key, static_cast<ThemeId>(c)}];
            l = std::max(l, places);
          }
        }
      }
    }
    for (Candidate& c : candidates) {
      int32_t cap = 0;
      for (const std::string& key : {c.territory, std::string(kNetwork)}) {
        if (cap == 0) cap = largest[{key, c.category}];
        if (cap == 0) cap = largest_any[key];
      }
      const auto wanted = static_cast<int32_t>(c.in_arcs.size());
      c.places = cap > 0 ? std::min(wanted, cap) : wanted;
    }
  }

  bool InTerritory(ServiceId s, absl::string_view territory) const {
    if (territory.empty()) return true;
    return service_territory[static_cast<size_t>(s.value())] == territory;
  }

  // --- Verification -------------------------------------------------------

  absl::StatusOr<VerifiedGain> Verify(const NetworkEdit& edit,
                                      const Gain& expected) const {
    VerifiedGain v;
    for (int u = 0; u < 3; ++u) {
      v.covered_by_urgency_before[static_cast<size_t>(u)] =
          plan.objective.needs_covered_by_urgency[static_cast<size_t>(u)];
    }
    Plan after;
    if (edit.empty()) {
      after = plan;
    } else {
      MAILLAGE_ASSIGN_OR_RETURN(Network edited, edit.Apply(net()));
      MAILLAGE_ASSIGN_OR_RETURN(Ranker r,
                                Ranker::Create(edited, ranker.options()));
      MAILLAGE_ASSIGN_OR_RETURN(after, Allocate(r, options));
    }
    v.gain = GainBetween(plan.objective, after.objective);
    v.covered_by_urgency_after = after.objective.needs_covered_by_urgency;
    v.matches_expected = v.gain.people == expected.people &&
                         v.gain.needs == expected.needs &&
                         v.gain.urgency == expected.urgency;
    return v;
  }
};

GapAnalyzer::GapAnalyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GapAnalyzer::GapAnalyzer(GapAnalyzer&&) noexcept = default;
GapAnalyzer& GapAnalyzer::operator=(GapAnalyzer&&) noexcept = default;
GapAnalyzer::~GapAnalyzer() = default;

absl::StatusOr<GapAnalyzer> GapAnalyzer::Create(const Ranker& ranker,
                                                const AllocateOptions& options,
                                                const GapOptions& gap_options) {
  MAILLAGE_RETURN_IF_ERROR(ValidateOptions(options));
  MAILLAGE_RETURN_IF_ERROR(ValidateGapOptions(gap_options));
  auto impl = std::make_unique<Impl>(ranker, options, gap_options);
  MAILLAGE_RETURN_IF_ERROR(impl->Build());
  return GapAnalyzer(std::move(impl));
}

const Ranker& GapAnalyzer::ranker() const { return impl_->ranker; }
const Network& GapAnalyzer::network() const { return impl_->net(); }
const Plan& GapAnalyzer::plan() const { return impl_->plan; }

namespace {

absl::Status CheckServices(const Network& net,
                           absl::Span<const ServiceId> services,
                           int32_t places) {
  if (places < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("places must be >= 0, got ", places));
  }
  for (ServiceId s : services) {
    if (!s.valid() ||
        s.value() >= static_cast<int32_t>(net.services().size())) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown service index ", s.value()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Gain> GapAnalyzer::MarginalGain(
    absl::Span<const ServiceId> services, int32_t places) {
  MAILLAGE_RETURN_IF_ERROR(CheckServices(network(), services, places));
  std::vector<ServiceId> distinct(services.begin(), services.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  return impl_->Probe(distinct, places);
}

absl::StatusOr<std::vector<ServiceGain>> GapAnalyzer::MarginalGains(
    absl::Span<const ServiceId> services, int32_t places) {
  MAILLAGE_RETURN_IF_ERROR(CheckServices(network(), services, places));
  std::vector<ServiceGain> out;
  out.reserve(services.size());
  for (ServiceId s : services) {
    ServiceGain g;
    g.service = s;
    g.places = places;
    MAILLAGE_ASSIGN_OR_RETURN(g.gain, impl_->Probe({s}, places));
    g.shadow_price = impl_->plan.shadow_prices[static_cast<size_t>(s.value())];
    out.push_back(g);
  }
  return out;
}

absl::StatusOr<PlacePortfolio> GapAnalyzer::RecommendPlaces(
    int32_t budget, absl::string_view territory) {
  if (budget < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("budget must be >= 0, got ", budget));
  }
  Impl& im = *impl_;
  PlacePortfolio p;
  p.territory = std::string(territory);
  p.budget = budget;
  const int64_t cost0 = im.inc.objective();
  const size_t mark0 = im.inc.Mark();
  absl::flat_hash_map<int32_t, int32_t> added;  // service -> places
  for (int32_t step = 0; step < budget; ++step) {
    // Candidates by decreasing shadow price, which bounds the gain.
    std::vector<std::pair<int64_t, int32_t>> order;
    for (int32_t s = 0; s < im.num_services; ++s) {
      const int32_t a = im.m.service_arc[static_cast<size_t>(s)];
      if (a < 0 || !im.InTerritory(ServiceId(s), territory)) continue;
      const int64_t price = im.Price(a);
      if (price > 0) order.push_back({-price, s});
    }
    std::sort(order.begin(), order.end());
    Gain best;
    int32_t best_service = -1;
    int64_t best_price = 0;
    for (const auto& [neg_price, s] : order) {
      if (-neg_price <= best.scaled) break;
      const ServiceId sid(s);
      MAILLAGE_ASSIGN_OR_RETURN(Gain g, im.Probe({&sid, 1}, 1));
      if (g.scaled > best.scaled) {
        best = g;
        best_service = s;
        best_price = -neg_price;
      }
    }
    if (best_service < 0 ||
        (best.people == 0 && best.needs == 0 && best.urgency == 0)) {
      break;
    }
    const ServiceId sid(best_service);
    im.AddPlaces({&sid, 1}, 1);
    MAILLAGE_RETURN_IF_ERROR(im.Reoptimize());
    im.log.clear();
    p.steps.push_back({sid, best, best_price});
    ++added[best_service];
    p.expected.people += best.people;
    p.expected.needs += best.needs;
    p.expected.urgency += best.urgency;
    p.expected.score += best.score;
    p.expected.scaled += best.scaled;
  }
  MAILLAGE_RETURN_IF_ERROR(im.Rollback(mark0, cost0));
  NetworkEdit edit;
  std::vector<std::pair<int32_t, int32_t>> sorted(added.begin(), added.end());
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [s, k] : sorted) {
    const Network& net = im.net();
    // The places the plan may give there become k more (for a service
    // whose capacity is unknown: the assumed places plus k, then known);
    // the places held by pinned referrals stay held.
    edit.SetPlaces(net.service(ServiceId(s)).id,
                   net.pinned_places(ServiceId(s)) +
                       PlacesForPlan(net, ServiceId(s), im.options) + k);
  }
  MAILLAGE_ASSIGN_OR_RETURN(p.verified, im.Verify(edit, p.expected));
  return p;
}

absl::StatusOr<RecruitmentPlan> GapAnalyzer::RecommendRecruitments(
    absl::string_view territory) {
  Impl& im = *impl_;
  RecruitmentPlan plan;
  plan.territory = std::string(territory);
  const int64_t cost0 = im.inc.objective();
  const size_t mark0 = im.inc.Mark();
  std::vector<size_t> chosen;
  std::vector<int32_t> places_of;
  for (int32_t r = 0; r < im.gap.recruitments_per_territory; ++r) {
    // Bound: places × shadow price of the candidate's arc.
    std::vector<std::pair<double, size_t>> order;
    for (size_t i = 0; i < im.candidates.size(); ++i) {
      const Candidate& c = im.candidates[i];
      if ((!territory.empty() && c.territory != territory) ||
          c.in_arcs.empty()) {
        continue;
      }
      if (std::find(chosen.begin(), chosen.end(), i) != chosen.end()) continue;
      const int32_t a =
          im.m.service_arc[static_cast<size_t>(c.service.value())];
      if (a < 0) continue;
      const double bound =
          static_cast<double>(im.Price(a)) * static_cast<double>(c.places);
      if (bound > 0) order.push_back({-bound, i});
    }
    std::sort(order.begin(), order.end());
    Gain best;
    size_t best_i = 0;
    bool found = false;
    for (const auto& [neg_bound, i] : order) {
      if (-neg_bound <= static_cast<double>(best.scaled)) break;
      const Candidate& c = im.candidates[i];
      const int32_t places = c.places;
      MAILLAGE_ASSIGN_OR_RETURN(Gain g, im.Probe({&c.service, 1}, places));
      if (g.scaled > best.scaled) {
        best = g;
        best_i = i;
        found = true;
      }
    }
    if (!found || (best.people == 0 && best.needs == 0 && best.urgency == 0)) {
      break;
    }
    // Keep it with the places it takes.
    Candidate& c = im.candidates[best_i];
    im.AddPlaces({&c.service, 1}, c.places);
    MAILLAGE_RETURN_IF_ERROR(im.Reoptimize());
    int32_t used = 0;
    std::set<int32_t> people;
    for (int32_t a : c.in_arcs) {
      if (im.inc.flow(a) > 0) {
        ++used;
        people.insert(im.anet.need(NeedId(im.arcs[static_cast<size_t>(a)].need))
                          .person.value());
      }
    }
    const int32_t arc =
        im.m.service_arc[static_cast<size_t>(c.service.value())];
    im.inc.SetCapacity(arc, used);
    MAILLAGE_RETURN_IF_ERROR(im.Reoptimize());
    im.log.clear();
    chosen.push_back(best_i);
    places_of.push_back(used);
    Recruitment rec;
    rec.territory = c.territory;
    rec.category = std::string(ThemeCode(c.category));
    rec.insee_com = c.insee_com;
    rec.epci = c.epci;
    rec.places = used;
    rec.people_served = static_cast<int32_t>(people.size());
    rec.unmatched_here = c.unmatched_here;
    rec.gain = best;
    plan.recruitments.push_back(rec);
    plan.expected.people += best.people;
    plan.expected.needs += best.needs;
    plan.expected.urgency += best.urgency;
    plan.expected.score += best.score;
    plan.expected.scaled += best.scaled;
  }
  MAILLAGE_RETURN_IF_ERROR(im.Rollback(mark0, cost0));
  NetworkEdit edit;
  if (!chosen.empty()) {
    PartnerRow partner;
    partner.id = std::string(kCandidatePartner);
    partner.name = "candidate recruitment";
    partner.insee_com = im.candidates[chosen.front()].insee_com;
    edit.AddPartner(partner);
  }
  for (size_t k = 0; k < chosen.size(); ++k) {
    const Candidate& c = im.candidates[chosen[k]];
    ServiceRow row;
    const Service& s = im.anet.service(c.service);
    row.id = s.id;
    row.partner_id = std::string(kCandidatePartner);
    row.name = s.name;
    row.thematiques = {std::string(ThemeCode(c.category))};
    row.modes_accueil = {"en-presentiel"};
    row.insee_com = c.insee_com;
    row.lat = s.lat;
    row.lng = s.lng;
    row.capacity_available = places_of[k];
    row.capacity_max = places_of[k];
    edit.AddService(std::move(row));
  }
  MAILLAGE_ASSIGN_OR_RETURN(plan.verified, im.Verify(edit, plan.expected));
  return plan;
}

absl::StatusOr<std::vector<Help>> GapAnalyzer::WhatWouldHelp(
    absl::string_view territory) {
  Impl& im = *impl_;
  const Network& net = im.net();
  const Ranker& ar = *im.aranker;
  const int32_t tries = im.gap.max_tries_per_kind;
  // Needs by person commune and by public, and services by category, for
  // the zone and public changes.
  absl::flat_hash_map<std::string, std::vector<int32_t>> needs_by_commune;
  std::vector<std::vector<int32_t>> services_by_category(
      static_cast<size_t>(NumCategories()));
  for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
    if (net.pinned_service(NeedId(n))) continue;
    needs_by_commune[net.person(net.need(NeedId(n)).person).insee_com]
        .push_back(n);
  }
  for (int32_t s = 0; s < im.num_services; ++s) {
    for (int c = 0; c < NumCategories(); ++c) {
      if (net.service(ServiceId(s)).served.Contains(static_cast<ThemeId>(c))) {
        services_by_category[static_cast<size_t>(c)].push_back(s);
      }
    }
  }
  std::vector<Help> out;
  out.reserve(im.plan.unmatched.size());
  for (const Unmatched& u : im.plan.unmatched) {
    if (!territory.empty() && im.TerritoryOfPerson(u.person) != territory) {
      continue;
    }
    Help h;
    h.person = u.person;
    h.need = u.need;
    h.reason = u.reason;
    const Person& person = net.person(u.person);
    const Need& need = net.need(u.need);
    bool met = false;
    // Applies a change given as option arcs (and places), checks that the
    // need is covered, and undoes it.
    auto attempt = [&](const std::vector<std::pair<NeedId, Option>>& new_arcs,
                       absl::Span<const ServiceId> places,
                       HelpKind kind) -> absl::Status {
      im.log.clear();
      const int64_t cost0 = im.inc.objective();
      const size_t mark = im.inc.Mark();
      std::vector<int32_t> added;
      for (const auto& [n, o] : new_arcs)
        added.push_back(im.AddOptionArc(o, n));
      im.AddPlaces(places, 1);
      MAILLAGE_RETURN_IF_ERROR(im.Reoptimize());
      const Gain g = im.Measure(cost0);
      // Met, and the plan better for it (not a swap with another need).
      if (im.Covered(u.need) &&
          (g.people != 0 || g.needs != 0 || g.urgency != 0)) {
        met = true;
        h.kind = kind;
        h.gain = g;
        h.service = im.AssignedService(u.need, added);
      }
      return im.Rollback(mark, cost0);
    };
    // 1. One more place at one of its options (best scores first).
    {
      std::vector<std::pair<double, int32_t>> opts;
      for (int32_t i = im.m.option_begin[static_cast<size_t>(u.need.value())];
           i < im.m.option_begin[static_cast<size_t>(u.need.value()) + 1];
           ++i) {
        const allocate::ModelOption& o = im.m.options[static_cast<size_t>(i)];
        if (o.service.value() < im.num_services) {
          opts.push_back({-o.score, o.service.value()});
        }
      }
      std::sort(opts.begin(), opts.end());
      for (int32_t t = 0;
           t < std::min<int32_t>(tries, static_cast<int32_t>(opts.size())) &&
           !met;
           ++t) {
        const ServiceId s(opts[static_cast<size_t>(t)].second);
        MAILLAGE_RETURN_IF_ERROR(attempt({}, {&s, 1}, HelpKind::kPlace));
      }
    }
    // 2. A longer reach: the distances of the services beyond it.
    if (!met && tries > 0) {
      const double reach = person.max_distance_km.value_or(
          im.ranker.options().default_max_distance_km);
      Ranker::Relaxation far;
      far.reach_km = im.gap.max_reach_km;
      std::vector<Option> beyond;
      ar.CandidatesIf(u.need, far, &beyond);
      std::vector<double> distances;
      for (const Option& o : beyond) {
        if (o.service.value() >= im.num_services || o.remote ||
            !(o.distance_km > reach)) {
          continue;
        }
        distances.push_back(std::ceil(o.distance_km * 10.0) / 10.0);
      }
      std::sort(distances.begin(), distances.end());
      distances.erase(std::unique(distances.begin(), distances.end()),
                      distances.end());
      for (int32_t t = 0; t < std::min<int32_t>(tries, static_cast<int32_t>(
                                                           distances.size())) &&
                          !met;
           ++t) {
        Ranker::Relaxation longer;
        longer.reach_km = distances[static_cast<size_t>(t)];
        std::vector<std::pair<NeedId, Option>> arcs;
        for (int32_t n = net.first_need(u.person).value();
             n < net.end_need(u.person).value(); ++n) {
          if (net.pinned_service(NeedId(n))) continue;
          std::vector<Option> now;
          ar.CandidatesIf(NeedId(n), longer, &now);
          for (const Option& o : now) {
            if (o.service.value() >= im.num_services) continue;
            if (ar.Check(NeedId(n), o.service) == Filter::kReach) {
              arcs.push_back({NeedId(n), o});
            }
          }
        }
        MAILLAGE_RETURN_IF_ERROR(attempt(arcs, {}, HelpKind::kReach));
        if (met) h.extra_km = longer.reach_km - reach;
      }
    }
    // 3. A zone widened to the person's commune; 4. one more public.
    for (HelpKind kind : {HelpKind::kZone, HelpKind::kPublic}) {
      if (met || tries == 0) break;
      const Filter filter =
          kind == HelpKind::kZone ? Filter::kZone : Filter::kPublic;
      // (score, service, public)
      std::vector<std::tuple<double, int32_t, int>> cands;
      for (int32_t s : services_by_category[CategoryOf(need.theme)]) {
        if (ar.Check(u.need, ServiceId(s)) != filter) continue;
        if (kind == HelpKind::kZone) {
          Ranker::Relaxation r;
          r.service = ServiceId(s);
          r.zone_commune = person.insee_com;
          if (auto o = ar.OptionIf(u.need, ServiceId(s), r)) {
            cands.push_back({-o->score, s, -1});
          }
        } else {
          for (int pub = 0; pub < NumPublics(); ++pub) {
            // Admitting `tous-publics` would open the service to everyone:
            // not one more public.
            if (pub == AllPublicsId() ||
                (person.publics & static_cast<PublicSet>(1u << pub)) == 0) {
              continue;
            }
            Ranker::Relaxation r;
            r.service = ServiceId(s);
            r.extra_publics = static_cast<PublicSet>(1u << pub);
            if (auto o = ar.OptionIf(u.need, ServiceId(s), r)) {
              cands.push_back({-o->score, s, pub});
            }
          }
        }
      }
      std::sort(cands.begin(), cands.end());
      for (int32_t t = 0;
           t < std::min<int32_t>(tries, static_cast<int32_t>(cands.size())) &&
           !met;
           ++t) {
        // Plain copies, not a structured binding: the lambda below captures
        // them, which clang 14 does not allow for bindings.
        const int32_t s = std::get<1>(cands[static_cast<size_t>(t)]);
        const int32_t pub = std::get<2>(cands[static_cast<size_t>(t)]);
        Ranker::Relaxation r;
        r.service = ServiceId(s);
        std::vector<std::pair<NeedId, Option>> arcs;
        auto consider = [&](int32_t n) {
          if (ar.Check(NeedId(n), ServiceId(s)) == Filter::kNone) return;
          if (auto o = ar.OptionIf(NeedId(n), ServiceId(s), r)) {
            arcs.push_back({NeedId(n), *o});
          }
        };
        if (kind == HelpKind::kZone) {
          r.zone_commune = person.insee_com;
          for (int32_t n : needs_by_commune[person.insee_com]) consider(n);
        } else {
          r.extra_publics = static_cast<PublicSet>(1u << pub);
          for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size());
               ++n) {
            if (net.pinned_service(NeedId(n))) continue;
            if ((net.person(net.need(NeedId(n)).person).publics &
                 r.extra_publics) == 0) {
              continue;
            }
            consider(n);
          }
        }
        MAILLAGE_RETURN_IF_ERROR(attempt(arcs, {}, kind));
        if (met && kind == HelpKind::kPublic) {
          h.public_code = std::string(PublicCode(static_cast<PublicId>(pub)));
        }
      }
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace maillage
