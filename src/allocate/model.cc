#include "allocate/model.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "allocate/costs.h"
#include "base/parallel.h"
#include "base/progress.h"
#include "base/status_macros.h"

namespace maillage::allocate {

namespace {

// The level weights in type T (int64_t for the model, long double to check
// first that they fit). See docs/model.md: bounds on the change of each
// level along a simple residual cycle.
template <typename T>
struct Weights {
  T urgency, need, person;
};

template <typename T>
Weights<T> WeightsOf(int64_t score_scale, int64_t people, int64_t needs,
                     int64_t services) {
  const T l = static_cast<T>(std::min(needs, 2 * services + 2));
  const T p = static_cast<T>(std::min(people, services + 1));
  const T score_range = static_cast<T>(score_scale) * l;
  Weights<T> w;
  w.urgency = score_range + 1;
  const T urgency_range = 2 * (p + 1) * w.urgency;
  w.need = urgency_range + score_range + 1;
  w.person = 2 * w.need + urgency_range + score_range + 1;
  return w;
}

// True when ComputeScaling's largest weight is below 2^61 (it would
// overflow int64 past 2^63).
bool WeightsFit(int64_t score_scale, int64_t people, int64_t needs,
                int64_t services) {
  return WeightsOf<long double>(score_scale, people, needs, services).person <
         static_cast<long double>(int64_t{1} << 61);
}

}  // namespace

PlanScaling ComputeScaling(int64_t score_scale, int64_t people, int64_t needs,
                           int64_t services) {
  const Weights<int64_t> w =
      WeightsOf<int64_t>(score_scale, people, needs, services);
  PlanScaling s;
  s.score_scale = score_scale;
  s.urgency_weight = w.urgency;
  s.need_weight = w.need;
  s.person_weight = w.person;
  return s;
}

namespace {

// |objective| and potentials stay within the solver's limits
// (flow/flow_problem.h), with a factor 2 of margin: the largest cost times
// the number of nodes, and the sum of |cost| * capacity over the arcs.
// `cost_limit` and `objective_limit` are those of 64 or 128 bits. The
// weights themselves are below 2^61 (WeightsFit).
bool Fits(const PlanScaling& s, int64_t nodes, int64_t people, int64_t needs,
          int64_t options, long double cost_limit,
          long double objective_limit) {
  using F = long double;
  const F c = static_cast<F>(
      std::max(s.person_weight, s.need_weight + 2 * s.urgency_weight));
  const F obj = static_cast<F>(s.person_weight) * static_cast<F>(people) +
                static_cast<F>(s.need_weight + 2 * s.urgency_weight) *
                    static_cast<F>(needs) +
                static_cast<F>(s.score_scale) * static_cast<F>(options);
  return c * static_cast<F>(nodes + 1) < cost_limit / 2 &&
         obj < objective_limit / 2;
}

bool FitsNarrow(const PlanScaling& s, int64_t nodes, int64_t people,
                int64_t needs, int64_t options) {
  return Fits(s, nodes, people, needs, options,
              static_cast<long double>(flow::kMaxCostTimesNodes),
              static_cast<long double>(flow::kMaxObjective));
}

bool FitsWide(const PlanScaling& s, int64_t nodes, int64_t people,
              int64_t needs, int64_t options) {
  return Fits(s, nodes, people, needs, options,
              static_cast<long double>(flow::kMaxWideCostTimesNodes),
              static_cast<long double>(flow::kMaxWideObjective));
}

// The options of every open need (with m->on_demand > 0, its best
// m->on_demand and the next best in m->next_*), by need then service, in
// m->options and m->option_begin. Ranked in blocks of needs on several
// threads (the Ranker is immutable), then concatenated in need order: the
// result does not depend on the number of threads.
absl::Status RankOptions(const Ranker& ranker, int32_t threads,
                         const ProgressCallback& progress, Model* m) {
  const Network& net = ranker.network();
  const auto num_needs = static_cast<int32_t>(net.needs().size());
  m->option_begin.assign(static_cast<size_t>(num_needs) + 1, 0);
  const int32_t k = m->on_demand;
  if (k > 0) {
    m->next_score.assign(static_cast<size_t>(num_needs), 0);
    m->next_service.assign(static_cast<size_t>(num_needs),
                           ServiceId::Invalid());
  }
  constexpr int32_t kBlock = 2048;
  const int32_t num_blocks = (num_needs + kBlock - 1) / kBlock;
  std::vector<std::vector<ModelOption>> block_options(
      static_cast<size_t>(num_blocks));
  std::atomic<int32_t> blocks_done{0};
  // Progress is reported by the calling thread only, between its blocks;
  // a cancellation stops every thread at its next block.
  bool cancelled = false;
  base::StageProgress stage(progress, "rank", num_needs);
  base::ForEachBlock(num_blocks, threads, [&](int32_t b, int32_t thread) {
    std::vector<Option> buf;
    std::vector<ModelOption>& out = block_options[static_cast<size_t>(b)];
    for (int32_t n = b * kBlock; n < std::min(num_needs, (b + 1) * kBlock);
         ++n) {
      if (!net.pinned_service(NeedId(n))) {
        buf.clear();
        if (k > 0) {
          buf = ranker.Rank(NeedId(n), k + 1);
          if (static_cast<int32_t>(buf.size()) > k) {
            // Distinct needs: no two threads write the same entry.
            m->next_score[static_cast<size_t>(n)] = buf.back().score;
            m->next_service[static_cast<size_t>(n)] = buf.back().service;
            buf.pop_back();
          }
        } else {
          ranker.Candidates(NeedId(n), &buf);
        }
        std::sort(buf.begin(), buf.end(), [](const Option& x, const Option& y) {
          return x.service < y.service;
        });
        for (const Option& o : buf) out.push_back({o.service, o.score});
      }
      // Count for now; made cumulative below.
      m->option_begin[static_cast<size_t>(n) + 1] =
          static_cast<int32_t>(out.size());
    }
    const int32_t done = ++blocks_done;
    if (thread == 0 &&
        !stage.Update(std::min<int64_t>(num_needs, int64_t{done} * kBlock))) {
      cancelled = true;
    }
    return !cancelled;
  });
  if (cancelled || !stage.Finish()) {
    return absl::CancelledError("cancelled while ranking the options");
  }
  size_t total = 0;
  for (const auto& b : block_options) total += b.size();
  if (total > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return absl::ResourceExhaustedError("more than 2^31 options");
  }
  m->options.reserve(total);
  for (int32_t b = 0; b < num_blocks; ++b) {
    // option_begin[n + 1] holds the size of the block's list after need n.
    const auto base = static_cast<int32_t>(m->options.size());
    for (int32_t n = b * kBlock; n < std::min(num_needs, (b + 1) * kBlock);
         ++n) {
      m->option_begin[static_cast<size_t>(n) + 1] += base;
    }
    std::vector<ModelOption>& list = block_options[static_cast<size_t>(b)];
    m->options.insert(m->options.end(), list.begin(), list.end());
    std::vector<ModelOption>().swap(list);
  }
  return absl::OkStatus();
}

// What the weights depend on: the people, needs and services of the model,
// and per person the needs modelled and whether a pinned support covers them.
struct Sizes {
  int64_t people = 0, needs = 0, services = 0;
  std::vector<char> service_used;   // per service
  std::vector<int32_t> modelled;    // per person
  std::vector<char> pinned_person;  // per person
};

// The sizes, and m->all_options.
Sizes SizesOf(const Ranker& ranker, bool all_open_needs, Model* m) {
  const Network& net = ranker.network();
  const auto num_persons = static_cast<int32_t>(net.persons().size());
  Sizes z;
  z.service_used.assign(net.services().size(), 0);
  if (m->on_demand > 0) {
    // The services that are an option of some need, and the options, as in
    // the whole model.
    m->all_options = 0;
    for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); ++s) {
      const int32_t demand = ranker.demand(ServiceId(s));
      z.service_used[static_cast<size_t>(s)] = demand > 0;
      m->all_options += demand;
    }
  } else {
    for (const ModelOption& o : m->options) {
      z.service_used[o.service.value()] = 1;
    }
    m->all_options = static_cast<int64_t>(m->options.size());
  }
  // Options may be added to any service later: each gets its arc to the
  // sink.
  if (all_open_needs) z.service_used.assign(net.services().size(), 1);
  for (char u : z.service_used) z.services += u;
  z.modelled.assign(static_cast<size_t>(num_persons), 0);
  z.pinned_person.assign(static_cast<size_t>(num_persons), 0);
  for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
    const Need& need = net.need(NeedId(n));
    if (net.pinned_service(NeedId(n))) {
      z.pinned_person[need.person.value()] = 1;
    } else if (all_open_needs || m->option_begin[n + 1] > m->option_begin[n]) {
      ++z.modelled[need.person.value()];
      ++z.needs;
    }
  }
  for (int32_t p = 0; p < num_persons; ++p) {
    if (z.modelled[p] > 0) ++z.people;
    m->people_pinned += z.pinned_person[p];
  }
  m->modelled_needs = z.needs;
  return z;
}

// The arcs of the model, in the order documented in model.h.
void AddArcs(const Network& net, const Sizes& z, const AllocateOptions& options,
             bool all_open_needs, Model* m) {
  const auto num_persons = static_cast<int32_t>(net.persons().size());
  const auto num_needs = static_cast<int32_t>(net.needs().size());
  const auto num_services = static_cast<int32_t>(net.services().size());
  const PlanScaling& sc = m->scaling;
  flow::FlowProblem& pb = m->problem;
  const int64_t nodes = 2 + num_persons + num_needs + num_services;
  pb.num_nodes = static_cast<int32_t>(nodes);
  pb.supply.assign(static_cast<size_t>(nodes), 0);
  pb.supply[kSource] = z.needs;
  pb.supply[kSink] = -z.needs;
  m->bonus_arc.assign(static_cast<size_t>(num_persons), -1);
  m->rest_arc.assign(static_cast<size_t>(num_persons), -1);
  m->need_arc.assign(static_cast<size_t>(num_needs), -1);
  m->service_arc.assign(static_cast<size_t>(num_services), -1);
  const size_t arcs = static_cast<size_t>(2 * z.people + z.needs) +
                      m->options.size() + static_cast<size_t>(z.services) + 1;
  pb.tail.reserve(arcs);
  pb.head.reserve(arcs);
  pb.capacity.reserve(arcs);
  pb.cost.reserve(arcs);
  for (int32_t p = 0; p < num_persons; ++p) {
    if (z.modelled[p] == 0) continue;
    const int32_t node = m->person_node0 + p;
    if (!z.pinned_person[p]) {
      m->bonus_arc[p] = pb.AddArc(kSource, node, 1, PersonBonusCost(sc));
    }
    const int64_t rest = z.pinned_person[p] ? z.modelled[p] : z.modelled[p] - 1;
    if (rest > 0) m->rest_arc[p] = pb.AddArc(kSource, node, rest, 0);
  }
  for (int32_t n = 0; n < num_needs; ++n) {
    if (m->option_begin[n + 1] == m->option_begin[n] &&
        !(all_open_needs && !net.pinned_service(NeedId(n)))) {
      continue;
    }
    const Need& need = net.need(NeedId(n));
    m->need_arc[n] =
        pb.AddArc(m->person_node0 + need.person.value(), m->need_node0 + n, 1,
                  NeedCost(sc, need.urgency));
  }
  m->first_option_arc = pb.num_arcs();
  for (int32_t n = 0; n < num_needs; ++n) {
    for (int32_t i = m->option_begin[n]; i < m->option_begin[n + 1]; ++i) {
      const ModelOption& o = m->options[static_cast<size_t>(i)];
      pb.AddArc(m->need_node0 + n, m->service_node0 + o.service.value(), 1,
                OptionCost(sc, o.score));
    }
  }
  for (int32_t s = 0; s < num_services; ++s) {
    if (!z.service_used[s]) continue;
    m->service_arc[s] = pb.AddArc(m->service_node0 + s, kSink,
                                  PlacesForPlan(net, ServiceId(s), options), 0);
  }
  m->bypass_arc = pb.AddArc(kSource, kSink, z.needs, 0);
  m->first_added_arc = pb.num_arcs();
}

}  // namespace

absl::StatusOr<Model> BuildModel(const Ranker& ranker,
                                 const AllocateOptions& options,
                                 bool all_open_needs, CostWidth width,
                                 int32_t on_demand) {
  MAILLAGE_RETURN_IF_ERROR(ValidateOptions(options));
  if (on_demand < 0 || (on_demand > 0 && all_open_needs)) {
    return absl::InvalidArgumentError(
        "options on demand need on_demand > 0 and not all_open_needs");
  }
  const Network& net = ranker.network();
  Model m;
  m.on_demand = on_demand;
  m.need_node0 = m.person_node0 + static_cast<int32_t>(net.persons().size());
  m.service_node0 = m.need_node0 + static_cast<int32_t>(net.needs().size());
  if (absl::Status s =
          RankOptions(ranker, options.threads, options.progress, &m);
      !s.ok()) {
    return s;
  }
  const Sizes z = SizesOf(ranker, all_open_needs, &m);
  const int64_t nodes =
      2 + static_cast<int64_t>(net.persons().size() + net.needs().size() +
                               net.services().size());
  const int64_t num_options = m.all_options;
  int64_t scale = options.score_scale;
  PlanScaling scaling;
  if (width == CostWidth::kAny) {
    // ComputeScaling's weights grow as score_scale * needs * services, far
    // below int64 for any network at the default scale: only the
    // potentials may need 128 bits.
    if (WeightsFit(scale, z.people, z.needs, z.services)) {
      scaling = ComputeScaling(scale, z.people, z.needs, z.services);
    }
    if (scaling.score_scale == 0 ||
        !FitsWide(scaling, nodes, z.people, z.needs, num_options)) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the allocation problem is too large for exact 128-bit costs at "
          "score scale ",
          scale, " (", z.people, " people, ", z.needs, " needs, ", z.services,
          " services with options)"));
    }
    scaling.cost_bits =
        FitsNarrow(scaling, nodes, z.people, z.needs, num_options) ? 64 : 128;
  } else {
    // The finest scale, halving from the one requested, that fits 64 bits.
    for (;; scale /= 2) {
      if (scale < 1) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "the allocation problem is too large for exact 64-bit scaling (",
            z.people, " people, ", z.needs, " needs, ", z.services,
            " services with options)"));
      }
      if (!WeightsFit(scale, z.people, z.needs, z.services)) continue;
      scaling = ComputeScaling(scale, z.people, z.needs, z.services);
      if (FitsNarrow(scaling, nodes, z.people, z.needs, num_options)) break;
    }
  }
  m.scaling = scaling;
  AddArcs(net, z, options, all_open_needs, &m);
  return m;
}

}  // namespace maillage::allocate
