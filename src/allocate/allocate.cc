#include "maillage/allocate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocate/costs.h"
#include "allocate/levels.h"
#include "allocate/model.h"
#include "base/codes.h"
#include "base/parallel.h"
#include "base/progress.h"
#include "base/status_macros.h"
#include "flow/network_simplex.h"
#include "flow/verify.h"
#include "maillage/geo.h"

namespace maillage {

absl::string_view UnmatchedReasonCode(UnmatchedReason r) {
  static constexpr base::Code<UnmatchedReason> kCodes[] = {
      {UnmatchedReason::kNoServiceForTheme, "no_service_for_theme"},
      {UnmatchedReason::kNotEligible, "not_eligible"},
      {UnmatchedReason::kOutOfReach, "out_of_reach"},
      {UnmatchedReason::kCapacityFull, "capacity_full"}};
  return base::CodeOf(kCodes, r);
}

absl::Status ValidateOptions(const AllocateOptions& o) {
  if (o.score_scale < 1 || o.score_scale > (int64_t{1} << 30)) {
    return absl::InvalidArgumentError(
        absl::StrCat("score_scale must be in [1, 2^30], got ", o.score_scale));
  }
  if (o.candidate_limit < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("candidate_limit must be >= 0 (0: every option), got ",
                     o.candidate_limit));
  }
  if (!std::isfinite(o.explain_radius_km) || o.explain_radius_km <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("explain_radius_km must be a finite number > 0, got ",
                     o.explain_radius_km));
  }
  if (o.threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "threads must be >= 0 (0: the hardware's), got ", o.threads));
  }
  if (!(o.session_resolve_factor >= 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "session_resolve_factor must be >= 0, got ", o.session_resolve_factor));
  }
  if (o.assumed_capacity < 0 || o.assumed_capacity > 1000000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "assumed_capacity must be in [0, 1000000], got ", o.assumed_capacity));
  }
  return absl::OkStatus();
}

int32_t PlacesForPlan(const Network& network, ServiceId service,
                      const AllocateOptions& options) {
  if (network.service(service).capacity_known) {
    return network.free_places(service);
  }
  return std::max(0, options.assumed_capacity - network.pinned_places(service));
}

namespace {

using allocate::Model;
using allocate::ModelOption;
using Clock = std::chrono::steady_clock;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The flow of the model that corresponds to a set of (need, service)
// assignments; an error when an assignment is not an arc of the model.
absl::StatusOr<std::vector<int64_t>> FlowOf(const Model& m, const Network& net,
                                            const std::vector<Assignment>& as) {
  const flow::FlowProblem& pb = m.problem;
  std::vector<int64_t> f(static_cast<size_t>(pb.num_arcs()), 0);
  std::vector<int32_t> per_person(net.persons().size(), 0);
  int64_t routed = 0;
  for (const Assignment& a : as) {
    if (a.pinned) continue;
    const int32_t n = a.need.value();
    const int32_t b = m.option_begin[static_cast<size_t>(n)];
    const int32_t e = m.option_begin[static_cast<size_t>(n) + 1];
    auto it = std::lower_bound(
        m.options.begin() + b, m.options.begin() + e, a.service,
        [](const ModelOption& o, ServiceId s) { return o.service < s; });
    if (it == m.options.begin() + e || it->service != a.service) {
      return absl::FailedPreconditionError(
          absl::StrCat("need ", n, ": service ", a.service.value(),
                       " is not one of its options"));
    }
    const auto opt = static_cast<size_t>(it - m.options.begin());
    f[static_cast<size_t>(m.first_option_arc) + opt] += 1;
    f[static_cast<size_t>(m.need_arc[static_cast<size_t>(n)])] += 1;
    f[static_cast<size_t>(m.service_arc[a.service.value()])] += 1;
    ++per_person[a.person.value()];
    ++routed;
  }
  for (size_t p = 0; p < per_person.size(); ++p) {
    int32_t c = per_person[p];
    if (c == 0) continue;
    if (m.bonus_arc[p] >= 0) {
      f[static_cast<size_t>(m.bonus_arc[p])] = 1;
      --c;
    }
    if (c > 0) {
      if (m.rest_arc[p] < 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("person ", p, ": more needs assigned than modelled"));
      }
      f[static_cast<size_t>(m.rest_arc[p])] = c;
    }
  }
  f[static_cast<size_t>(m.bypass_arc)] = m.modelled_needs - routed;
  return f;
}

// An unmatched need: all its options (the model may hold only its best
// ones) come from the ranker.
Unmatched Explain(const Ranker& ranker, NeedId need,
                  const AllocateOptions& options) {
  std::vector<Option> all;
  ranker.Candidates(need, &all);
  if (all.empty()) {
    return ExplainWithoutOptions(ranker, need, options.explain_radius_km);
  }
  const Network& net = ranker.network();
  Unmatched u;
  u.person = net.need(need).person;
  u.need = need;
  // Options exist, but their places went elsewhere: the best one (the
  // first service of the highest score) for a waiting list.
  const Option* best = &all[0];
  for (const Option& o : all) {
    if (o.score > best->score ||
        (o.score == best->score && o.service < best->service)) {
      best = &o;
    }
  }
  u.reason = UnmatchedReason::kCapacityFull;
  u.suggested = best->service;
  u.distance_km = best->remote ? kNaN : best->distance_km;
  const auto count = static_cast<int32_t>(all.size());
  u.in_reach = count;
  u.detail = absl::StrCat(count, " eligible service(s) in reach, all full");
  return u;
}

}  // namespace

Unmatched ExplainWithoutOptions(const Ranker& ranker, NeedId need,
                                double explain_radius_km) {
  const Network& net = ranker.network();
  Unmatched u;
  u.person = net.need(need).person;
  u.need = need;
  u.distance_km = kNaN;
  const Ranker::Explanation x = ranker.Explain(need, explain_radius_km);
  u.serving = x.serving;
  u.excluded_by = x.excluded_by;
  if (x.serving == 0) {
    u.reason = UnmatchedReason::kNoServiceForTheme;
    u.detail = absl::StrCat("no service serves this theme within ",
                            explain_radius_km, " km or remotely");
    return u;
  }
  if (x.nearest_out_of_reach.valid()) {
    u.reason = UnmatchedReason::kOutOfReach;
    u.suggested = x.nearest_out_of_reach;
    u.distance_km = x.nearest_distance_km;
    u.detail = absl::StrCat(x.excluded_by[static_cast<size_t>(Filter::kReach)],
                            " eligible service(s) out of reach, nearest at ",
                            std::round(x.nearest_distance_km * 10) / 10, " km");
    return u;
  }
  u.reason = UnmatchedReason::kNotEligible;
  Filter worst = Filter::kPublic;
  std::vector<std::string> parts;
  for (Filter f : {Filter::kFrais, Filter::kServiceType, Filter::kPublic,
                   Filter::kZone, Filter::kAge, Filter::kRefused}) {
    const int32_t c = x.excluded_by[static_cast<size_t>(f)];
    if (c > x.excluded_by[static_cast<size_t>(worst)]) worst = f;
    if (c > 0) parts.push_back(absl::StrCat(FilterCode(f), " ", c));
  }
  u.filter = worst;
  u.detail = absl::StrCat(x.serving,
                          " service(s) serve this theme, none "
                          "eligible (",
                          absl::StrJoin(parts, ", "), ")");
  return u;
}

// With limit > 0 the simplex prices the `limit` best options of each need
// (and every arc that is not an option) first, and the other options only
// once those are exhausted (see flow::SolveOptions::first_arcs): the result
// is optimal for the full problem whatever the limit.
absl::StatusOr<flow::FlowSolution> allocate::SolveModel(
    const Model& m, const flow::FlowProblem& full, int32_t limit,
    int32_t* rounds, int64_t* arcs_priced) {
  flow::SolveOptions options = allocate::ModelSolveOptions();
  const auto num_needs = static_cast<int32_t>(m.option_begin.size()) - 1;
  options.first_arcs = flow::CheapestOutArcsFirst(
      full, m.need_node0, m.need_node0 + num_needs, limit);
  // Start from the likely solution: each need's best option, with its
  // person's bonus and the service's places (a third fewer pivots).
  options.initial_arcs =
      flow::CheapestPathArcs(full, allocate::kSource, allocate::kSink,
                             m.need_node0, m.need_node0 + num_needs);
  absl::StatusOr<flow::FlowSolution> sol =
      flow::SolveMinCostFlow(full, options);
  if (!sol.ok()) return sol.status();
  if (sol->status != flow::FlowStatus::kOptimal) {
    return absl::InternalError(
        absl::StrCat("allocation flow problem not optimal: ",
                     flow::FlowStatusName(sol->status)));
  }
  if (rounds != nullptr) *rounds = sol->pricing_rounds;
  if (arcs_priced != nullptr) *arcs_priced = sol->arcs_priced;
  return sol;
}

absl::StatusOr<flow::FlowSolution> allocate::SolveModelOnDemand(
    const Ranker& ranker, Model* m, int32_t threads, int32_t* rounds) {
  const PlanScaling& sc = m->scaling;
  const auto num_needs = static_cast<int32_t>(m->option_begin.size()) - 1;
  flow::SolveOptions options = allocate::ModelSolveOptions();
  options.initial_arcs =
      flow::CheapestPathArcs(m->problem, allocate::kSource, allocate::kSink,
                             m->need_node0, m->need_node0 + num_needs);
  // At most every option left out, each of |cost| <= score_scale.
  options.budget.max_cost = sc.score_scale;
  options.budget.capacity = std::max<int64_t>(
      0, m->all_options - static_cast<int64_t>(m->options.size()));
  options.budget.cost_times_capacity =
      static_cast<__int128>(options.budget.capacity) * sc.score_scale;
  absl::flat_hash_set<std::pair<int32_t, int32_t>> added;  // need, service
  // The options of needs [begin, end) to add, in need order.
  auto options_to_add = [&](absl::Span<const flow::int128> pi, int32_t begin,
                            int32_t end, std::vector<AddedOption>* out) {
    // With every service's potential at most the sink's (lowered where
    // above: exact, see model.h), an option left out of need n has reduced
    // cost at least OptionCost(next score) + pi(n) - pi(sink).
    const flow::int128 pi_sink = pi[allocate::kSink];
    std::vector<Option> all;
    for (int32_t n = begin; n < end; ++n) {
      const auto i = static_cast<size_t>(n);
      const ServiceId next = m->next_service[i];
      if (!next.valid()) continue;
      const double next_score = m->next_score[i];
      const flow::int128 pi_need = pi[static_cast<size_t>(m->need_node0 + n)];
      if (OptionCost(sc, next_score) + pi_need - pi_sink >= 0) continue;
      // rc < 0 needs llround(score * scale) > pi(n) - pi'(s) = d: a score
      // above (d - 1) / scale (a margin for the rounding of the division).
      auto min_score = [&](ServiceId s) {
        const flow::int128 d =
            pi_need -
            std::min(pi[static_cast<size_t>(m->service_node0 + s.value())],
                     pi_sink);
        if (d > sc.score_scale) return 2.0;
        if (d < -sc.score_scale) return -1.0;
        return static_cast<double>(static_cast<int64_t>(d) - 1) /
               static_cast<double>(sc.score_scale);
      };
      all.clear();
      ranker.CandidatesAbove(NeedId(n), min_score, &all);
      std::sort(all.begin(), all.end(), [](const Option& x, const Option& y) {
        return x.service < y.service;
      });
      for (const Option& o : all) {
        // In the model from the start: before the next best in ranking
        // order.
        if (o.score > next_score ||
            (o.score == next_score && o.service < next)) {
          continue;
        }
        if (added.contains({n, o.service.value()})) continue;
        const int32_t node = m->service_node0 + o.service.value();
        if (OptionCost(sc, o.score) + pi_need -
                std::min(pi[static_cast<size_t>(node)], pi_sink) >=
            0) {
          continue;
        }
        out->push_back({NeedId(n), o.service, o.score});
      }
    }
  };
  // Blocks of needs on several threads (the Ranker is immutable, `added`
  // only read), concatenated in need order: the arcs added do not depend on
  // the number of threads.
  constexpr int32_t kBlock = 4096;
  const int32_t num_blocks = (num_needs + kBlock - 1) / kBlock;
  options.generate = [&](absl::Span<const flow::int128> pi,
                         flow::FlowProblem* more) {
    std::vector<std::vector<AddedOption>> blocks(
        static_cast<size_t>(num_blocks));
    base::ForEachBlock(num_blocks, threads, [&](int32_t b, int32_t) {
      options_to_add(pi, b * kBlock, std::min(num_needs, (b + 1) * kBlock),
                     &blocks[static_cast<size_t>(b)]);
      return true;
    });
    for (const std::vector<AddedOption>& block : blocks) {
      for (const AddedOption& o : block) {
        more->AddArc(m->need_node0 + o.need.value(),
                     m->service_node0 + o.service.value(), 1,
                     OptionCost(sc, o.score));
        m->added.push_back(o);
        added.insert({o.need.value(), o.service.value()});
      }
    }
    return absl::OkStatus();
  };
  absl::StatusOr<flow::FlowSolution> sol =
      flow::SolveMinCostFlow(m->problem, options);
  if (!sol.ok()) return sol.status();
  if (sol->status != flow::FlowStatus::kOptimal) {
    return absl::InternalError(
        absl::StrCat("allocation flow problem not optimal: ",
                     flow::FlowStatusName(sol->status)));
  }
  for (const AddedOption& a : m->added) {
    m->problem.AddArc(m->need_node0 + a.need.value(),
                      m->service_node0 + a.service.value(), 1,
                      OptionCost(sc, a.score));
  }
  if (sol->flow.size() != static_cast<size_t>(m->problem.num_arcs())) {
    return absl::InternalError("options added and arcs solved differ");
  }
  // A service whose potential is above the sink's carries no flow (its arc
  // to the sink would have a negative reduced cost): lowering it to the
  // sink's keeps the certificate of the arcs solved, and makes it one for
  // the options left out.
  for (size_t s = 0; s < m->service_arc.size(); ++s) {
    if (m->service_arc[s] < 0) continue;
    flow::int128& p = sol->potential[static_cast<size_t>(m->service_node0) + s];
    p = std::min(p, sol->potential[allocate::kSink]);
  }
  if (rounds != nullptr) *rounds = sol->generation_rounds;
  return sol;
}

namespace {

// Among the optimal flows of `m` (those that keep every arc of non-zero
// reduced cost at its flow in `sol`), one that uses the most arcs of
// `keep`: a min-cost flow on the arcs of reduced cost 0, each arc of `keep`
// costing -1. The flow in `sol` is replaced; its cost and potentials stay
// (the change is a circulation on arcs of reduced cost 0).
absl::Status KeepPrevious(const Model& m, const std::vector<char>& keep,
                          flow::FlowSolution* sol) {
  const flow::FlowProblem& p = m.problem;
  flow::FlowProblem face;
  face.num_nodes = p.num_nodes;
  face.supply = p.supply;
  std::vector<int32_t> arc_of;  // face arc -> problem arc
  for (int32_t a = 0; a < p.num_arcs(); ++a) {
    const auto i = static_cast<size_t>(a);
    const flow::int128 rc = p.cost[i] +
                            sol->potential[static_cast<size_t>(p.tail[i])] -
                            sol->potential[static_cast<size_t>(p.head[i])];
    if (rc == 0) {
      face.AddArc(p.tail[i], p.head[i], p.capacity[i], keep[i] != 0 ? -1 : 0);
      arc_of.push_back(a);
    } else {
      face.supply[static_cast<size_t>(p.tail[i])] -= sol->flow[i];
      face.supply[static_cast<size_t>(p.head[i])] += sol->flow[i];
    }
  }
  absl::StatusOr<flow::FlowSolution> f = flow::SolveMinCostFlow(face);
  if (!f.ok()) return f.status();
  if (f->status != flow::FlowStatus::kOptimal) {
    return absl::InternalError("the optimal face has no feasible flow");
  }
  for (size_t k = 0; k < arc_of.size(); ++k) {
    sol->flow[static_cast<size_t>(arc_of[k])] = f->flow[k];
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::pair<NeedId, ServiceId>> PreviousAssignments(
    const Network& previous_network, const Plan& previous,
    const Network& network) {
  std::vector<std::pair<NeedId, ServiceId>> out;
  // The needs of `network` by person and theme.
  absl::flat_hash_map<std::pair<int32_t, ThemeId>, NeedId> needs;
  for (int32_t n = 0; n < static_cast<int32_t>(network.needs().size()); ++n) {
    const Need& need = network.need(NeedId(n));
    needs[{need.person.value(), need.theme}] = NeedId(n);
  }
  for (const Assignment& a : previous.assignments) {
    if (a.pinned) continue;
    const absl::optional<PersonId> p =
        network.FindPerson(previous_network.person(a.person).id);
    const absl::optional<ServiceId> s =
        network.FindService(previous_network.service(a.service).id);
    if (!p || !s) continue;
    auto it = needs.find({p->value(), previous_network.need(a.need).theme});
    if (it != needs.end()) out.emplace_back(it->second, *s);
  }
  return out;
}

absl::StatusOr<Plan> Allocate(const Ranker& ranker,
                              const AllocateOptions& options) {
  return base::ExhaustedOnBadAlloc("Allocate", [&]() -> absl::StatusOr<Plan> {
    const auto t0 = Clock::now();
    // The best candidate_limit options of each need are ranked, the others
    // only for the needs that may use them (SolveModelOnDemand); with
    // previous assignments to keep, every option is needed to choose among
    // the optimal plans.
    const int32_t on_demand =
        options.previous.empty() ? options.candidate_limit : 0;
    absl::StatusOr<Model> model =
        allocate::BuildModel(ranker, options, /*all_open_needs=*/false,
                             allocate::CostWidth::kAny, on_demand);
    if (!model.ok()) return model.status();
    Model& m = *model;
    const Network& net = ranker.network();
    Plan plan;
    plan.scaling = m.scaling;
    const auto t1 = Clock::now();
    base::StageProgress solving(options.progress, "solve", 0);
    if (solving.cancelled()) return absl::CancelledError("cancelled");
    absl::StatusOr<flow::FlowSolution> sol =
        on_demand > 0
            ? allocate::SolveModelOnDemand(ranker, &m, options.threads,
                                           &plan.repair_rounds)
            : allocate::SolveModel(m, m.problem, options.candidate_limit,
                                   &plan.repair_rounds, &plan.arcs_solved);
    if (!sol.ok()) return sol.status();
    if (on_demand > 0) plan.arcs_solved = m.problem.num_arcs();
    plan.scaling.cost_bits = sol->cost_bits;
    if (!options.previous.empty()) {
      std::vector<char> keep(static_cast<size_t>(m.problem.num_arcs()), 0);
      const auto needs = static_cast<int32_t>(net.needs().size());
      const auto services = static_cast<int32_t>(net.services().size());
      for (const auto& [need, service] : options.previous) {
        if (!need.valid() || need.value() >= needs || !service.valid() ||
            service.value() >= services) {
          return absl::InvalidArgumentError(
              absl::StrCat("previous: need ", need.value(), " or service ",
                           service.value(), " is not of this network"));
        }
        for (int32_t i = m.option_begin[static_cast<size_t>(need.value())];
             i < m.option_begin[static_cast<size_t>(need.value()) + 1]; ++i) {
          if (m.options[static_cast<size_t>(i)].service == service) {
            keep[static_cast<size_t>(m.first_option_arc + i)] = 1;
          }
        }
      }
      MAILLAGE_RETURN_IF_ERROR(KeepPrevious(m, keep, &*sol));
    }
    if (!solving.Finish()) return absl::CancelledError("cancelled");
    const auto t2 = Clock::now();

    // Assignments and unmatched needs, in need order.
    const auto num_needs = static_cast<int32_t>(net.needs().size());
    std::vector<ServiceId> assigned(static_cast<size_t>(num_needs),
                                    ServiceId::Invalid());
    for (int32_t n = 0; n < num_needs; ++n) {
      for (int32_t i = m.option_begin[static_cast<size_t>(n)];
           i < m.option_begin[static_cast<size_t>(n) + 1]; ++i) {
        if (sol->flow[static_cast<size_t>(m.first_option_arc + i)] != 0) {
          assigned[static_cast<size_t>(n)] =
              m.options[static_cast<size_t>(i)].service;
        }
      }
    }
    for (size_t k = 0; k < m.added.size(); ++k) {
      if (sol->flow[static_cast<size_t>(m.first_added_arc) + k] != 0) {
        assigned[static_cast<size_t>(m.added[k].need.value())] =
            m.added[k].service;
      }
    }
    base::StageProgress explaining(options.progress, "explain", num_needs);
    for (int32_t n = 0; n < num_needs; ++n) {
      if (!explaining.Update(n)) return absl::CancelledError("cancelled");
      const NeedId nid(n);
      const Need& need = net.need(nid);
      if (auto pinned = net.pinned_service(nid)) {
        Assignment a;
        a.person = need.person;
        a.need = nid;
        a.service = *pinned;
        a.pinned = true;
        const Service& s = net.service(*pinned);
        const Person& p = net.person(need.person);
        // As for options: a service used remotely has no distance.
        a.remote = !s.in_person() || !s.has_location;
        a.distance_km =
            a.remote ? kNaN : GreatCircleKm(p.lat, p.lng, s.lat, s.lng);
        plan.assignments.push_back(a);
        continue;
      }
      if (const ServiceId service = assigned[static_cast<size_t>(n)];
          service.valid()) {
        const absl::optional<Option> found = ranker.OptionFor(nid, service);
        if (!found) {
          return absl::InternalError(absl::StrCat(
              "need ", n, ": its assigned service is no longer an option"));
        }
        const Option& o = *found;
        Assignment a;
        a.person = need.person;
        a.need = nid;
        a.service = o.service;
        a.score = o.score;
        a.capacity = o.capacity;
        a.proximity = o.proximity;
        a.complementarity = o.complementarity;
        a.distance_km = o.remote ? kNaN : o.distance_km;
        a.remote = o.remote;
        a.capacity_assumed = !o.capacity_known;
        plan.assignments.push_back(a);
      } else {
        plan.unmatched.push_back(Explain(ranker, nid, options));
      }
    }
    if (!explaining.Finish()) return absl::CancelledError("cancelled");
    plan.objective = allocate::Levels(net, m.scaling, plan.assignments);
    plan.objective.flow_cost = sol->objective;

    // Shadow prices: reduced cost of each service's capacity arc.
    const PlanScaling& sc = m.scaling;
    for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); ++s) {
      ShadowPrice sp;
      sp.service = ServiceId(s);
      const int32_t arc = m.service_arc[static_cast<size_t>(s)];
      if (arc >= 0) {
        const flow::int128 rc =
            m.problem.cost[static_cast<size_t>(arc)] +
            sol->potential[static_cast<size_t>(m.service_node0 + s)] -
            sol->potential[allocate::kSink];
        // One more place gains at most one person, need, urgency and score
        // bonus: -rc is below the sum of the weights, within int64.
        sp.scaled = rc >= 0 ? 0 : static_cast<int64_t>(-rc);
        int64_t rest = sp.scaled;
        sp.people = rest / sc.person_weight;
        rest -= sp.people * sc.person_weight;
        sp.needs = rest / sc.need_weight;
        rest -= sp.needs * sc.need_weight;
        sp.urgency = rest / sc.urgency_weight;
        rest -= sp.urgency * sc.urgency_weight;
        sp.score =
            static_cast<double>(rest) / static_cast<double>(sc.score_scale);
      }
      plan.shadow_prices.push_back(sp);
    }
    plan.potentials.assign(sol->potential.begin(), sol->potential.end());
    plan.build_seconds = std::chrono::duration<double>(t1 - t0).count();
    plan.solve_seconds = std::chrono::duration<double>(t2 - t1).count();
    return plan;
  });
}

absl::Status VerifyPlan(const Ranker& ranker, const Plan& plan,
                        const AllocateOptions& options) {
  absl::StatusOr<Model> model = allocate::BuildModel(ranker, options);
  if (!model.ok()) return model.status();
  const Model& m = *model;
  const Network& net = ranker.network();
  base::StageProgress checking(options.progress, "verify", 0);
  if (checking.cancelled()) return absl::CancelledError("cancelled");
  if (plan.scaling.score_scale != m.scaling.score_scale) {
    return absl::FailedPreconditionError("plan built with other options");
  }
  // Every need exactly once; pinned needs assigned to their service.
  std::vector<int> seen(net.needs().size(), 0);
  for (const Assignment& a : plan.assignments) {
    if (!a.need.valid() ||
        a.need.value() >= static_cast<int32_t>(seen.size())) {
      return absl::FailedPreconditionError("assignment of an unknown need");
    }
    ++seen[static_cast<size_t>(a.need.value())];
    if (net.need(a.need).person != a.person) {
      return absl::FailedPreconditionError(
          absl::StrCat("need ", a.need.value(), ": wrong person"));
    }
    auto pinned = net.pinned_service(a.need);
    if (a.pinned != pinned.has_value() || (pinned && *pinned != a.service)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "need ", a.need.value(), ": pinned support not kept as it is"));
    }
  }
  for (const Unmatched& u : plan.unmatched) {
    if (!u.need.valid() ||
        u.need.value() >= static_cast<int32_t>(seen.size())) {
      return absl::FailedPreconditionError("unmatched row of an unknown need");
    }
    ++seen[static_cast<size_t>(u.need.value())];
  }
  for (size_t n = 0; n < seen.size(); ++n) {
    if (seen[n] != 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("need ", n, " appears ", seen[n], " times in the plan"));
    }
  }
  absl::StatusOr<std::vector<int64_t>> f = FlowOf(m, net, plan.assignments);
  if (!f.ok()) return f.status();
  flow::FlowSolution sol;
  sol.status = flow::FlowStatus::kOptimal;
  sol.flow = *std::move(f);
  sol.potential.reserve(plan.potentials.size());
  for (const absl::int128 v : plan.potentials) {
    sol.potential.push_back(static_cast<flow::int128>(v));
  }
  flow::int128 obj = 0;
  for (size_t a = 0; a < sol.flow.size(); ++a) {
    obj += static_cast<flow::int128>(m.problem.cost[a]) * sol.flow[a];
  }
  sol.objective = obj;
  if (sol.objective != static_cast<flow::int128>(plan.objective.flow_cost)) {
    return absl::FailedPreconditionError(
        "the plan's flow cost does not match its assignments");
  }
  if (absl::Status s = flow::Verify(m.problem, sol); !s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("flow certificate: ", s.message()));
  }
  const PlanObjective levels =
      allocate::Levels(net, m.scaling, plan.assignments);
  const PlanObjective& o = plan.objective;
  if (levels.people_covered != o.people_covered ||
      levels.needs_covered != o.needs_covered ||
      levels.urgency_level != o.urgency_level ||
      levels.total_score_scaled != o.total_score_scaled) {
    return absl::FailedPreconditionError(
        "the plan's objective levels do not match its assignments");
  }
  // The flow cost is the levels, weighted.
  const PlanScaling& sc = m.scaling;
  const int64_t modelled_people_covered = o.people_covered - m.people_pinned;
  const int64_t new_needs = o.needs_covered - o.needs_pinned;
  int64_t pinned_urgency = 0;
  for (const Assignment& a : plan.assignments) {
    if (a.pinned) pinned_urgency += net.need(a.need).urgency - 1;
  }
  const __int128 expected =
      -static_cast<__int128>(sc.person_weight) * modelled_people_covered -
      static_cast<__int128>(sc.need_weight) * new_needs -
      static_cast<__int128>(sc.urgency_weight) *
          (o.urgency_level - pinned_urgency) -
      o.total_score_scaled;
  if (expected != obj) {
    return absl::FailedPreconditionError(
        "the flow cost is not the weighted sum of the levels");
  }
  if (!checking.Finish()) return absl::CancelledError("cancelled");
  return absl::OkStatus();
}

absl::StatusOr<std::string> ExportDimacs(const Ranker& ranker,
                                         const AllocateOptions& options) {
  absl::StatusOr<Model> model = allocate::BuildModel(ranker, options);
  if (!model.ok()) return model.status();
  const Network& net = ranker.network();
  const PlanScaling& s = model->scaling;
  std::string comment = absl::StrCat(
      "maillage referral allocation (lexicographic min-cost flow)\n"
      "nodes: 1 source, 2 sink, 3.. people (",
      net.persons().size(), "), then needs (", net.needs().size(),
      "), then services (", net.services().size(),
      "), in network order\n"
      "weights: person ",
      s.person_weight, ", need ", s.need_weight, ", urgency ", s.urgency_weight,
      ", score scale ", s.score_scale);
  return flow::WriteDimacs(model->problem, comment);
}

}  // namespace maillage
