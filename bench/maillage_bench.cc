// Benchmarks of maillage's hot paths on generated networks at four sizes.
//
// The benchmark argument is the size (maillage::Generate, seed 1):
//   0  one territory    territories = {"lyon"}              ~257 people
//   1  all Convergence  default SynthOptions                ~1,670 people
//   2  one département  territories = {"lyon"}, scale = 80  ~20,000 people
//   3  national         national = true                     ~150,000 people,
//                                                           ~50,000 services
//
// Each size's network, ranker, written folder, allocation session and
// inputs are built once per process in function-local statics, outside the
// timed loops: the first benchmark that needs them pays (at national ~25 s
// for the session's Start, which solves the whole problem once).
//
// National allocation (~25 s per run) is registered on its own, with one
// iteration, as `BM_Allocate/3/iterations:1`; exclude it with a negative
// filter (what bench/run_benchmarks.sh does unless given --national):
//   maillage_bench --benchmark_filter=-BM_Allocate/3
// Only one size:       --benchmark_filter='/2$|/2/'
// Nothing national:    --benchmark_filter='-/3$|/3/'
//
// Session events (BM_SessionEvent_*) share one session per size, which
// carries over from one benchmark (and repetition) to the next. Arrivals add
// people (ids are never reused) and refusals consume options, so when a
// session is about to outgrow the room its weights were computed for (it
// would rescale and solve from scratch) or a third of its needs have been
// refused, it is started again with the timer paused; this only happens at
// the small sizes. Counters: `work` = nodes settled per event
// (last_event_work), `rescaled` = events that solved from scratch (expected
// 0), `speedup` = the session's Start time (model + full solve) / one event,
// and for arrivals `add_us`/`add_work` and `remove_us`/`remove_work` per
// AddPerson and RemovePerson, `add_max_us`, and `add_options` = options of
// the arriving needs. At sizes 0-1 the session's cost is checked
// against a full re-solve after each benchmark.
//
// "Library was built as DEBUG" in the output is about Debian's build of
// Google Benchmark itself, not about maillage (use the release preset).

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "allocate/model.h"
#include "benchmark/benchmark.h"
#include "maillage/allocate.h"
#include "maillage/io.h"
#include "maillage/network.h"
#include "maillage/rank.h"
#include "maillage/session.h"
#include "maillage/synth.h"
#include "maillage/vocabulary.h"

namespace maillage {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kNumSizes = 4;
constexpr int kTopK = 10;

SynthOptions OptionsForSize(int size) {
  SynthOptions o;
  switch (size) {
    case 0:
      o.territories = {"lyon"};
      break;
    case 1:
      break;
    case 2:
      o.territories = {"lyon"};
      o.scale = 80;
      break;
    default:
      o.national = true;
      break;
  }
  return o;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Sizes of the allocation's flow problem.
struct ModelStats {
  explicit ModelStats(const allocate::Model& model)
      : nodes(model.problem.num_nodes),
        arcs(model.problem.num_arcs()),
        options(static_cast<int64_t>(model.options.size())) {}
  int64_t nodes, arcs, options;
};

absl::StatusOr<ModelStats> MeasureModel(const Ranker& ranker) {
  absl::StatusOr<allocate::Model> model = allocate::BuildModel(ranker, {});
  if (!model.ok()) return model.status();
  return ModelStats(*model);
}

// A person of the network to add again as an arrival, with two of their
// needs.
struct Arrival {
  PersonRow row;
  std::vector<NeedRow> needs;  // person_id left empty
  int64_t options = 0;         // of the two needs in the network
};

struct SessionInputs {
  std::optional<AllocationSession> session;
  double start_seconds = 0;
  int32_t start_people = 0;
  int32_t start_needs = 0;
  int64_t refusals = 0;  // since the last Start
  int64_t arrivals_made = 0;
  // Capacity: services whose free places are all assigned, shuffled.
  std::vector<ServiceId> full_services;
  size_t capacity_cursor = 0;
  bool capacity_lowered = false;
  // Arrivals: templates, and the person added by the last arrival.
  std::vector<Arrival> arrivals;
  size_t arrival_cursor = 0;
  PersonId arrived = PersonId::Invalid();
  // Refusals: the network's needs, shuffled.
  std::vector<NeedId> refusal_order;
  size_t refusal_cursor = 0;
};

// Everything built for one size, lazily.
struct Fixture {
  std::string error;  // the first failure; nothing more is built
  std::optional<Network> network;
  std::optional<Ranker> ranker;
  std::optional<std::string> folder;
  int64_t folder_rows = 0;
  std::optional<ModelStats> stats;
  std::vector<NeedId> open_needs;  // not pinned, in network order
  std::vector<NeedId> shuffled_open_needs;
  std::optional<absl::int128> allocate_flow_cost;
  SessionInputs session;
};

// Removes the temporary folders at exit.
struct TempRoot {
  std::filesystem::path path;
  ~TempRoot() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};
const std::filesystem::path& TempDir() {
  static TempRoot root{std::filesystem::temp_directory_path() /
                       absl::StrCat("maillage_bench_", getpid())};
  return root.path;
}

Fixture& GetFixture(int size) {
  static std::array<Fixture, kNumSizes> fixtures;
  return fixtures[static_cast<size_t>(size)];
}

// Each getter builds what it needs (once), or records the error and calls
// state.SkipWithError; the benchmark then returns without running its loop.
bool Failed(Fixture& f, benchmark::State& state) {
  if (f.error.empty()) return false;
  state.SkipWithError(f.error.c_str());
  return true;
}
template <typename T>
bool Fail(Fixture& f, benchmark::State& state, const absl::StatusOr<T>& s,
          absl::string_view what) {
  if (s.ok()) return false;
  f.error = absl::StrCat(what, ": ", s.status().ToString());
  return Failed(f, state);
}

int SizeOf(const benchmark::State& state) {
  return static_cast<int>(
      std::clamp<int64_t>(state.range(0), 0, kNumSizes - 1));
}

// Skips the benchmark with `error` when it has no inputs.
template <typename T>
bool NoInputs(benchmark::State& state, const std::vector<T>& inputs,
              const char* error) {
  if (!inputs.empty()) return false;
  state.SkipWithError(error);
  return true;
}

const Network* GetNetwork(benchmark::State& state) {
  Fixture& f = GetFixture(SizeOf(state));
  if (Failed(f, state)) return nullptr;
  if (!f.network) {
    absl::StatusOr<Network> net = Generate(OptionsForSize(SizeOf(state)));
    if (Fail(f, state, net, "Generate")) return nullptr;
    f.network = std::move(*net);
    for (int32_t n = 0; n < static_cast<int32_t>(f.network->needs().size());
         ++n) {
      if (!f.network->pinned_service(NeedId(n)))
        f.open_needs.push_back(NeedId(n));
    }
    f.shuffled_open_needs = f.open_needs;
    std::shuffle(f.shuffled_open_needs.begin(), f.shuffled_open_needs.end(),
                 std::mt19937_64(42));
  }
  return &*f.network;
}

// `slot`, made by `make` (a StatusOr) the first time; nullptr when `make`
// failed, its error recorded under `what`.
template <typename T, typename Make>
const T* Once(Fixture& f, benchmark::State& state, std::optional<T>& slot,
              absl::string_view what, Make make) {
  if (!slot) {
    auto made = make();
    if (Fail(f, state, made, what)) return nullptr;
    slot.emplace(*std::move(made));
  }
  return &*slot;
}

const Ranker* GetRanker(benchmark::State& state) {
  const Network* net = GetNetwork(state);
  if (net == nullptr) return nullptr;
  Fixture& f = GetFixture(SizeOf(state));
  return Once(f, state, f.ranker, "Ranker::Create",
              [&] { return Ranker::Create(*net); });
}

const std::string* GetFolder(benchmark::State& state) {
  const Network* net = GetNetwork(state);
  if (net == nullptr) return nullptr;
  Fixture& f = GetFixture(SizeOf(state));
  if (!f.folder) {
    const std::string dir =
        (TempDir() / absl::StrCat("size", SizeOf(state))).string();
    absl::Status st = WriteFolder(*net, dir);
    if (!st.ok()) {
      f.error = absl::StrCat("WriteFolder: ", st.ToString());
      Failed(f, state);
      return nullptr;
    }
    f.folder = dir;
    f.folder_rows = static_cast<int64_t>(
        net->sites().size() + net->partners().size() + net->services().size() +
        net->persons().size() + net->needs().size() + net->supports().size() +
        net->partnerships().size() + net->travel_times().size());
  }
  return &*f.folder;
}

const ModelStats* GetStats(benchmark::State& state) {
  const Ranker* ranker = GetRanker(state);
  if (ranker == nullptr) return nullptr;
  Fixture& f = GetFixture(SizeOf(state));
  return Once(f, state, f.stats, "BuildModel",
              [&] { return MeasureModel(*ranker); });
}

void SetModelCounters(benchmark::State& state, const ModelStats& s) {
  state.counters["nodes"] = static_cast<double>(s.nodes);
  state.counters["arcs"] = static_cast<double>(s.arcs);
  state.counters["options"] = static_cast<double>(s.options);
}

// (Re)starts the session of a size; the timer must not be running.
bool StartSession(Fixture& f, benchmark::State& state) {
  const auto t0 = Clock::now();
  absl::StatusOr<AllocationSession> s = AllocationSession::Start(*f.ranker);
  if (Fail(f, state, s, "AllocationSession::Start")) return false;
  SessionInputs& in = f.session;
  in.start_seconds = Seconds(t0);
  in.session.emplace(std::move(*s));
  in.start_people = in.session->num_people();
  in.start_needs = in.session->num_needs();
  in.refusals = 0;
  in.capacity_lowered = false;
  in.arrived = PersonId::Invalid();
  return true;
}

std::vector<std::string> PublicCodes(PublicSet set) {
  std::vector<std::string> codes;
  for (int p = 0; p < NumPublics(); ++p) {
    if ((set >> p) & 1)
      codes.emplace_back(PublicCode(static_cast<PublicId>(p)));
  }
  return codes;
}

// The session of a size with the inputs of its event benchmarks.
SessionInputs* GetSession(benchmark::State& state) {
  const Ranker* ranker = GetRanker(state);
  if (ranker == nullptr || GetStats(state) == nullptr) return nullptr;
  Fixture& f = GetFixture(SizeOf(state));
  SessionInputs& in = f.session;
  if (in.session) return &in;
  if (!StartSession(f, state)) return nullptr;
  const Network& net = *f.network;
  const AllocationSession& s = *in.session;
  std::mt19937_64 rng(7);

  // Full services: every free place assigned (so one place less moves a
  // referral).
  std::vector<int32_t> load(net.services().size(), 0);
  for (NeedId n : f.open_needs) {
    if (auto a = s.assignment(n)) ++load[static_cast<size_t>(a->value())];
  }
  for (int32_t i = 0; i < static_cast<int32_t>(load.size()); ++i) {
    const ServiceId sv(i);
    if (load[static_cast<size_t>(i)] > 0 &&
        load[static_cast<size_t>(i)] == net.free_places(sv)) {
      in.full_services.push_back(sv);
    }
  }
  std::shuffle(in.full_services.begin(), in.full_services.end(), rng);

  // Arrivals: up to 256 people of the network, drawn at random, with at
  // least two open needs that have options.
  std::vector<PersonId> people;
  for (int32_t p = 0; p < static_cast<int32_t>(net.persons().size()); ++p) {
    people.emplace_back(p);
  }
  std::shuffle(people.begin(), people.end(), rng);
  std::vector<PersonId> candidates;
  for (PersonId id : people) {
    if (candidates.size() == 256) break;
    int with_options = 0;
    for (int32_t n = net.first_need(id).value(); n < net.end_need(id).value();
         ++n) {
      with_options +=
          !net.pinned_service(NeedId(n)) && !ranker->Rank(NeedId(n), 1).empty();
    }
    if (with_options >= 2) candidates.push_back(id);
  }
  for (PersonId id : candidates) {
    const Person& p = net.person(id);
    Arrival a;
    a.row.id = absl::StrCat("bench-arrival-", id.value());
    a.row.site_id = net.site(p.site).id;
    a.row.insee_com = p.insee_com;
    a.row.lat = p.lat;
    a.row.lng = p.lng;
    if (p.age) a.row.age = *p.age;
    a.row.publics = PublicCodes(p.publics);
    a.row.max_distance_km = p.max_distance_km;
    for (int32_t n = net.first_need(id).value();
         n < net.end_need(id).value() && a.needs.size() < 2; ++n) {
      if (!net.pinned_service(NeedId(n)) &&
          !ranker->Rank(NeedId(n), 1).empty()) {
        a.needs.push_back({"",
                           std::string(ThemeCode(net.need(NeedId(n)).theme)),
                           net.need(NeedId(n)).urgency});
        std::vector<Option> options;
        ranker->Candidates(NeedId(n), &options);
        a.options += static_cast<int64_t>(options.size());
      }
    }
    in.arrivals.push_back(std::move(a));
  }

  in.refusal_order = f.open_needs;
  std::shuffle(in.refusal_order.begin(), in.refusal_order.end(), rng);
  return &in;
}

// ---------------------------------------------------------------------------

// The timed loop of a benchmark that makes one result per iteration: the
// first result that `good` rejects stops the benchmark with `error`.
template <typename Make, typename Good>
void TimedLoop(benchmark::State& state, Make make, Good good,
               const char* error) {
  for (auto _ : state) {
    auto result = make();
    benchmark::DoNotOptimize(result);
    if (!good(result)) {
      state.SkipWithError(error);
      break;
    }
  }
}

void BM_Generate(benchmark::State& state) {
  const Network* cached = GetNetwork(state);  // the reference for the check
  if (cached == nullptr) return;
  const SynthOptions options = OptionsForSize(SizeOf(state));
  const size_t people = cached->persons().size();
  const size_t services = cached->services().size();
  TimedLoop(
      state, [&] { return Generate(options); },
      [&](const absl::StatusOr<Network>& net) {
        return net.ok() && net->persons().size() == people &&
               net->services().size() == services;
      },
      "Generate failed or is not deterministic");
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(people));
  state.counters["people"] = static_cast<double>(people);
  state.counters["services"] = static_cast<double>(services);
}

void BM_LoadFolder(benchmark::State& state) {
  const std::string* dir = GetFolder(state);
  if (dir == nullptr) return;
  const Fixture& f = GetFixture(SizeOf(state));
  TimedLoop(
      state, [&] { return LoadFolder(*dir); },
      [&](const absl::StatusOr<LoadResult>& r) {
        if (!r.ok() || !r->ok()) return false;
        int64_t rows = 0;
        for (const FileReport& file : r->files) rows += file.counts.loaded;
        return rows == f.folder_rows;
      },
      "LoadFolder failed or did not load every row");
  state.SetItemsProcessed(state.iterations() * f.folder_rows);
  state.counters["rows"] = static_cast<double>(f.folder_rows);
}

void BM_RankerCreate(benchmark::State& state) {
  const Network* net = GetNetwork(state);
  if (net == nullptr) return;
  TimedLoop(
      state, [&] { return Ranker::Create(*net); },
      [](const absl::StatusOr<Ranker>& r) { return r.ok(); },
      "Ranker::Create failed");
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(net->needs().size()));
  state.counters["needs"] = static_cast<double>(net->needs().size());
  state.counters["services"] = static_cast<double>(net->services().size());
}

void BM_RankOneNeed_Top10(benchmark::State& state) {
  const Ranker* ranker = GetRanker(state);
  if (ranker == nullptr) return;
  const std::vector<NeedId>& needs =
      GetFixture(SizeOf(state)).shuffled_open_needs;
  if (NoInputs(state, needs, "no open need")) return;
  size_t i = 0;
  int64_t returned = 0;
  for (auto _ : state) {
    const NeedId need = needs[i];
    if (++i == needs.size()) i = 0;
    std::vector<Option> top = ranker->Rank(need, kTopK);
    benchmark::DoNotOptimize(top.data());
    if (top.size() > static_cast<size_t>(kTopK) ||
        (!top.empty() && top.front().need != need)) {
      state.SkipWithError("Rank returned options of another need or too many");
      break;
    }
    returned += static_cast<int64_t>(top.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["options"] = benchmark::Counter(
      static_cast<double>(returned), benchmark::Counter::kAvgIterations);
}

void BM_RankAllNeeds(benchmark::State& state) {
  const Ranker* ranker = GetRanker(state);
  if (ranker == nullptr) return;
  const std::vector<NeedId>& needs = GetFixture(SizeOf(state)).open_needs;
  int64_t expected = -1;
  for (auto _ : state) {
    int64_t returned = 0;
    for (NeedId n : needs) {
      std::vector<Option> top = ranker->Rank(n, kTopK);
      benchmark::DoNotOptimize(top.data());
      returned += static_cast<int64_t>(top.size());
    }
    if (expected < 0) expected = returned;
    if (returned == 0 || returned != expected) {
      state.SkipWithError("no option at all, or results changed between runs");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(needs.size()));
  state.counters["needs"] = static_cast<double>(needs.size());
  state.counters["options"] =
      static_cast<double>(std::max<int64_t>(expected, 0));
}

void BM_Allocate(benchmark::State& state) {
  const Ranker* ranker = GetRanker(state);
  const ModelStats* stats = ranker == nullptr ? nullptr : GetStats(state);
  if (stats == nullptr) return;
  Fixture& f = GetFixture(SizeOf(state));
  const int64_t needs = static_cast<int64_t>(ranker->network().needs().size());
  double solve_seconds = 0;
  for (auto _ : state) {
    absl::StatusOr<Plan> plan = Allocate(*ranker);
    benchmark::DoNotOptimize(plan);
    if (!plan.ok() ||
        static_cast<int64_t>(plan->assignments.size() +
                             plan->unmatched.size()) != needs ||
        (f.allocate_flow_cost &&
         *f.allocate_flow_cost != plan->objective.flow_cost)) {
      state.SkipWithError(
          "Allocate failed, lost a need or changed its optimum");
      break;
    }
    f.allocate_flow_cost = plan->objective.flow_cost;
    solve_seconds += plan->solve_seconds;
  }
  state.SetItemsProcessed(state.iterations() * needs);
  SetModelCounters(state, *stats);
  state.counters["solve_s"] =
      benchmark::Counter(solve_seconds, benchmark::Counter::kAvgIterations);
}

// What the session benchmarks share: per-event work, rescales, the speedup
// over the session's Start, and (sizes 0-1) the audit against a full solve.
class EventStats {
 public:
  explicit EventStats(benchmark::State& state)
      : state_(state), t0_(Clock::now()) {}
  void Record(const AllocationSession& s) {
    work_ += s.last_event_work();
    rescaled_ += s.last_event_rescaled() ? 1 : 0;
  }
  // Starts the session again with the timer paused, and leaves that time out
  // of the speedup; false if the session could not start.
  bool Restart(Fixture& f) {
    const auto t0 = Clock::now();
    state_.PauseTiming();
    const bool ok = StartSession(f, state_);
    excluded_ += Seconds(t0);
    state_.ResumeTiming();
    return ok;
  }
  void Finish(const SessionInputs& in, const ModelStats& stats) {
    const double loop = Seconds(t0_) - excluded_;
    const double n = static_cast<double>(state_.iterations());
    state_.SetItemsProcessed(state_.iterations());
    state_.counters["work"] = benchmark::Counter(
        static_cast<double>(work_), benchmark::Counter::kAvgIterations);
    state_.counters["rescaled"] = static_cast<double>(rescaled_);
    state_.counters["nodes"] = static_cast<double>(stats.nodes);
    state_.counters["arcs"] = static_cast<double>(stats.arcs);
    if (n > 0 && loop > 0)
      state_.counters["speedup"] = in.start_seconds * n / loop;
    if (SizeOfState() <= 1 && !state_.error_occurred()) {
      absl::StatusOr<int64_t> full = in.session->FullResolveCost();
      if (!full.ok() || *full != in.session->objective().flow_cost) {
        state_.SkipWithError("session cost differs from a full re-solve");
      }
    }
  }

 private:
  int SizeOfState() const { return SizeOf(state_); }
  benchmark::State& state_;
  Clock::time_point t0_;
  int64_t work_ = 0;
  int64_t rescaled_ = 0;
  double excluded_ = 0;
};

void BM_SessionEvent_Capacity(benchmark::State& state) {
  SessionInputs* in = GetSession(state);
  if (in == nullptr || NoInputs(state, in->full_services, "no full service")) {
    return;
  }
  const Network& net = *GetFixture(SizeOf(state)).network;
  AllocationSession& s = *in->session;
  EventStats stats(state);
  for (auto _ : state) {
    const ServiceId sv = in->full_services[in->capacity_cursor];
    const int32_t capacity = net.service(sv).capacity_available;
    // Down by one, then back up in the next iteration.
    absl::Status st =
        s.SetCapacity(sv, in->capacity_lowered ? capacity : capacity - 1);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
    stats.Record(s);
    if (in->capacity_lowered &&
        ++in->capacity_cursor == in->full_services.size()) {
      in->capacity_cursor = 0;
    }
    in->capacity_lowered = !in->capacity_lowered;
  }
  if (in->capacity_lowered) {  // leave the session as it was
    const ServiceId sv = in->full_services[in->capacity_cursor];
    (void)s.SetCapacity(sv, net.service(sv).capacity_available);
    in->capacity_lowered = false;
    if (++in->capacity_cursor == in->full_services.size())
      in->capacity_cursor = 0;
  }
  stats.Finish(*in, *GetStats(state));
}

void BM_SessionEvent_Arrival(benchmark::State& state) {
  SessionInputs* in = GetSession(state);
  if (in == nullptr || NoInputs(state, in->arrivals,
                                "no person with two needs that have options")) {
    return;
  }
  Fixture& f = GetFixture(SizeOf(state));
  EventStats stats(state);
  // Arrivals and departures apart (the clock reads cost ~50 ns per event).
  int64_t adds = 0, add_work = 0, add_options = 0, removes = 0, remove_work = 0;
  double add_seconds = 0, add_max_seconds = 0, remove_seconds = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    if (!in->arrived.valid()) {
      // Stay within the room of the session's weights (else it rescales and
      // solves from scratch): start again, untimed.
      if (in->session->num_people() + 1 > 2 * in->start_people + 16 ||
          in->session->num_needs() + 2 > 2 * in->start_needs + 16) {
        if (!stats.Restart(f)) break;
        t0 = Clock::now();
      }
      const Arrival& a = in->arrivals[in->arrival_cursor];
      // A person id is new to a session: each arrival gets its own.
      PersonRow row = a.row;
      absl::StrAppend(&row.id, "-", ++in->arrivals_made);
      absl::StatusOr<PersonId> id = in->session->AddPerson(row, a.needs);
      if (!id.ok()) {
        state.SkipWithError(id.status().ToString().c_str());
        break;
      }
      in->arrived = *id;
      const double seconds = Seconds(t0);
      add_seconds += seconds;
      add_max_seconds = std::max(add_max_seconds, seconds);
      add_options += a.options;
      ++adds;
      add_work += in->session->last_event_work();
    } else {
      absl::Status st = in->session->RemovePerson(in->arrived);
      if (!st.ok()) {
        state.SkipWithError(st.ToString().c_str());
        break;
      }
      in->arrived = PersonId::Invalid();
      remove_seconds += Seconds(t0);
      ++removes;
      remove_work += in->session->last_event_work();
      if (++in->arrival_cursor == in->arrivals.size()) in->arrival_cursor = 0;
    }
    stats.Record(*in->session);
  }
  if (adds > 0) {
    state.counters["add_us"] = 1e6 * add_seconds / static_cast<double>(adds);
    state.counters["add_max_us"] = 1e6 * add_max_seconds;
    state.counters["add_work"] =
        static_cast<double>(add_work) / static_cast<double>(adds);
    state.counters["add_options"] =
        static_cast<double>(add_options) / static_cast<double>(adds);
  }
  if (removes > 0) {
    state.counters["remove_us"] =
        1e6 * remove_seconds / static_cast<double>(removes);
    state.counters["remove_work"] =
        static_cast<double>(remove_work) / static_cast<double>(removes);
  }
  if (in->arrived.valid() && in->session) {  // leave the session as it was
    (void)in->session->RemovePerson(in->arrived);
    in->arrived = PersonId::Invalid();
    if (++in->arrival_cursor == in->arrivals.size()) in->arrival_cursor = 0;
  }
  stats.Finish(*in, *GetStats(state));
}

void BM_SessionEvent_Refusal(benchmark::State& state) {
  SessionInputs* in = GetSession(state);
  if (in == nullptr || NoInputs(state, in->refusal_order, "no open need")) {
    return;
  }
  Fixture& f = GetFixture(SizeOf(state));
  const int64_t max_refusals =
      static_cast<int64_t>(in->refusal_order.size()) / 3 + 1;
  EventStats stats(state);
  for (auto _ : state) {
    if (in->refusals >= max_refusals) {  // too many options consumed
      if (!stats.Restart(f)) break;
    }
    // The next need with a current (not accepted) referral.
    NeedId need = NeedId::Invalid();
    absl::optional<ServiceId> current;
    for (size_t tries = 0; tries < in->refusal_order.size() && !current;
         ++tries) {
      need = in->refusal_order[in->refusal_cursor];
      if (++in->refusal_cursor == in->refusal_order.size())
        in->refusal_cursor = 0;
      current = in->session->assignment(need);
    }
    if (!current) {
      state.SkipWithError("no need has a referral left to refuse");
      break;
    }
    absl::Status st = in->session->Refuse(need, *current);
    if (!st.ok() || in->session->assignment(need) == current) {
      state.SkipWithError(
          "Refuse failed or left the refused referral in place");
      break;
    }
    ++in->refusals;
    stats.Record(*in->session);
  }
  stats.Finish(*in, *GetStats(state));
}

// ---------------------------------------------------------------------------
// Registration. Units per benchmark; sizes by Arg. See the top of the file
// for the filters.

void AllSizes(benchmark::internal::Benchmark* b) {
  for (int size = 0; size < kNumSizes; ++size) b->Arg(size);
}

BENCHMARK(BM_Generate)->Apply(AllSizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadFolder)->Apply(AllSizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RankerCreate)->Apply(AllSizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RankOneNeed_Top10)->Apply(AllSizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RankAllNeeds)->Apply(AllSizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Allocate)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Allocate)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond);
// National: ~25 s per run; excluded by --benchmark_filter=-BM_Allocate/3.
BENCHMARK(BM_Allocate)->Arg(3)->Iterations(1)->Unit(benchmark::kMillisecond);
// Session events: at size 3 one event can take milliseconds, so at least 2 s
// per repetition there (the default 0.5 s would time few events).
void RegisterSessionEvent(const char* name, void (*event)(benchmark::State&)) {
  benchmark::RegisterBenchmark(name, event)
      ->Arg(0)
      ->Arg(1)
      ->Arg(2)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark(name, event)
      ->Arg(3)
      ->MinTime(2.0)
      ->Unit(benchmark::kMicrosecond);
}
[[maybe_unused]] const bool kSessionEventsRegistered = [] {
  RegisterSessionEvent("BM_SessionEvent_Capacity", BM_SessionEvent_Capacity);
  RegisterSessionEvent("BM_SessionEvent_Arrival", BM_SessionEvent_Arrival);
  RegisterSessionEvent("BM_SessionEvent_Refusal", BM_SessionEvent_Refusal);
  return true;
}();

}  // namespace
}  // namespace maillage

BENCHMARK_MAIN();
