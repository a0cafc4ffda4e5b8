// maillage._core: the C++ library for the Python package `maillage`.
//
// A thin layer: every function maps one call of the public C++ API
// (LoadFolder, NetworkBuilder, Generate, Ranker, Allocate, VerifyPlan,
// WriteFolder, WritePlan, ReadPlan, PlanJson, PlanGeoJson, PartnerReferrals)
// with snake_case names; tables cross as numpy columns
// (frames.h, plan_columns.h) that the pure-Python package wraps as
// DataFrames. Long calls run without the GIL, after their arguments are
// converted. Errors: absl::Status InvalidArgument, FailedPrecondition and
// OutOfRange raise ValueError, NotFound FolderNotFoundError (both a
// FileNotFoundError and a ValueError), Unavailable OSError, others
// RuntimeError; the message is the C++ one.

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/progress.h"
#include "base/text.h"
#include "columns.h"
#include "frames.h"
#include "maillage/allocate.h"
#include "maillage/analyze.h"
#include "maillage/edit.h"
#include "maillage/export.h"
#include "maillage/gaps.h"
#include "maillage/geojson.h"
#include "maillage/io.h"
#include "maillage/network.h"
#include "maillage/partner_graph.h"
#include "maillage/progress.h"
#include "maillage/rank.h"
#include "maillage/report.h"
#include "maillage/synth.h"
#include "plan_codec.h"
#include "plan_columns.h"
#include "pybind11/numpy.h"
#include "pybind11/pybind11.h"
#include "pybind11/stl.h"
#include "session.h"
#include "status.h"

namespace maillage::python {
namespace {

// Exception types created at import; never freed (they live as long as the
// interpreter).
PyObject* g_folder_not_found = nullptr;
PyObject* g_invalid_data = nullptr;

}  // namespace

[[noreturn]] void ThrowStatus(const absl::Status& s, PyObject* not_found) {
  const std::string message(s.message());
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      throw py::value_error(message);
    case absl::StatusCode::kNotFound:
      PyErr_SetString(not_found != nullptr ? not_found : g_folder_not_found,
                      message.c_str());
      throw py::error_already_set();
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kPermissionDenied:
      PyErr_SetString(PyExc_OSError, message.c_str());
      throw py::error_already_set();
    default:
      throw std::runtime_error(message);
  }
}

namespace {

void Check(const absl::Status& s) {
  if (!s.ok()) ThrowStatus(s);
}

template <typename T>
T Take(absl::StatusOr<T>&& v) {
  if (!v.ok()) ThrowStatus(v.status());
  return std::move(*v);
}

// Ranking settings by RankOptions field name ("capacity", "proximity",
// "complementarity" for the weights, "link", "cover", "novelty" for the
// complementarity weights, "default_max_distance_km", ...); absent keys keep
// the defaults. Empty: the defaults.
using RankSettings = std::map<std::string, double>;

RankOptions MakeRankOptions(const RankSettings& settings) {
  RankOptions o;
  std::map<std::string, double*> fields = {
      {"capacity", &o.weights.capacity},
      {"proximity", &o.weights.proximity},
      {"complementarity", &o.weights.complementarity},
      {"link", &o.complementarity.link},
      {"cover", &o.complementarity.cover},
      {"novelty", &o.complementarity.novelty},
      {"default_max_distance_km", &o.default_max_distance_km},
      {"max_travel_minutes", &o.max_travel_minutes},
      {"proximity_half_km", &o.proximity_half_km},
      {"proximity_half_minutes", &o.proximity_half_minutes},
      {"remote_proximity", &o.remote_proximity},
      {"unknown_capacity_score", &o.unknown_capacity_score},
  };
  for (const auto& [name, value] : settings) {
    auto it = fields.find(name);
    if (it == fields.end()) {
      throw py::value_error(
          absl::StrCat("unknown ranking setting ", base::Quoted(name)));
    }
    *it->second = value;
  }
  return o;
}

// The defaults of the ranking settings, by name.
RankSettings DefaultRankSettings() {
  const RankOptions o;
  return {{"capacity", o.weights.capacity},
          {"proximity", o.weights.proximity},
          {"complementarity", o.weights.complementarity},
          {"link", o.complementarity.link},
          {"cover", o.complementarity.cover},
          {"novelty", o.complementarity.novelty},
          {"default_max_distance_km", o.default_max_distance_km},
          {"max_travel_minutes", o.max_travel_minutes},
          {"proximity_half_km", o.proximity_half_km},
          {"proximity_half_minutes", o.proximity_half_minutes},
          {"remote_proximity", o.remote_proximity},
          {"unknown_capacity_score", o.unknown_capacity_score}};
}

// Settings from Python: None (defaults), a dict of settings, or a
// (capacity, proximity, complementarity) tuple of weights.
RankSettings SettingsOf(const py::object& o) {
  if (o.is_none()) return {};
  if (py::isinstance<py::dict>(o)) return o.cast<RankSettings>();
  const auto w = o.cast<std::array<double, 3>>();
  return {{"capacity", w[0]}, {"proximity", w[1]}, {"complementarity", w[2]}};
}

// A Network and its Rankers: the one with default settings and the last
// one with other settings, built on first use and shared by every call and
// plan of this network.
class NetworkHandle {
 public:
  explicit NetworkHandle(Network net) : net_(std::move(net)) {}

  const Network& net() const { return net_; }

  // Call without the GIL: the first call indexes the whole network.
  absl::StatusOr<Ranker> GetRanker(const RankSettings& settings) {
    if (!settings.empty()) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!other_ || other_settings_ != settings) {
        RankOptions options;
        {
          // MakeRankOptions throws only for unknown names, checked before.
          options = MakeRankOptions(settings);
        }
        other_ = Ranker::Create(net_, options);
        other_settings_ = settings;
      }
      return *other_;
    }
    std::call_once(once_, [this] { ranker_ = Ranker::Create(net_); });
    return ranker_;
  }

 private:
  Network net_;
  std::once_flag once_;
  absl::StatusOr<Ranker> ranker_ = absl::UnknownError("not created");
  std::mutex mutex_;
  std::optional<absl::StatusOr<Ranker>> other_;
  RankSettings other_settings_;
};
using NetworkPtr = std::shared_ptr<NetworkHandle>;

NetworkPtr Wrap(Network net) {
  return std::make_shared<NetworkHandle>(std::move(net));
}

// Progress of a call made without the GIL, passed to a Python callable
// fn(stage, done, total) -> bool (None: no callable). Each report also
// checks for signals, so that Ctrl-C stops a long call: the call is
// cancelled and Rethrow() raises KeyboardInterrupt (or the callable's own
// exception) once the GIL is held again.
class ProgressBridge {
 public:
  explicit ProgressBridge(py::object fn) : fn_(std::move(fn)) {}
  ~ProgressBridge() {
    py::gil_scoped_acquire acquire;
    error_.reset();
    fn_ = py::object();
  }

  ProgressCallback callback() {
    return [this](absl::string_view stage, int64_t done, int64_t total) {
      py::gil_scoped_acquire acquire;
      if (error_) return false;
      try {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        if (!fn_.is_none()) {
          py::object keep_going =
              fn_(py::str(stage.data(), stage.size()), done, total);
          if (!keep_going.is_none() && !keep_going.cast<bool>()) {
            cancelled_ = true;
            return false;
          }
        }
      } catch (py::error_already_set& e) {
        error_.emplace(std::move(e));
        return false;
      } catch (const std::exception& e) {
        PyErr_SetString(PyExc_RuntimeError, e.what());
        error_.emplace();
        return false;
      }
      return true;
    };
  }

  // With the GIL: raises what stopped the call, if anything did.
  void Rethrow() {
    if (error_) {
      py::error_already_set e = std::move(*error_);
      error_.reset();
      throw e;
    }
    if (cancelled_) {
      throw py::value_error("cancelled by the progress callback");
    }
  }

 private:
  py::object fn_;
  std::optional<py::error_already_set> error_;
  bool cancelled_ = false;
};

// A plan with what produced it, so that it can be verified and pickled.
struct PlanHandle {
  NetworkPtr network;
  AllocateOptions options;  // never with a progress callback
  RankSettings settings;
  Plan plan;
};
using PlanPtr = std::shared_ptr<PlanHandle>;

// --- problems and counts
// ------------------------------------------------------

py::list ProblemList(const std::vector<Problem>& problems) {
  py::list out;
  for (const Problem& p : problems) {
    out.append(
        py::make_tuple(p.file, p.line, p.column, p.field, p.reason, p.warning));
  }
  return out;
}

// --- loading and building ----------------------------------------------------

py::tuple LoadFolderReport(const std::string& dir) {
  absl::StatusOr<LoadResult> r;
  {
    py::gil_scoped_release release;
    r = LoadFolder(dir);
  }
  if (!r.ok()) ThrowStatus(r.status());
  py::list files;
  for (const FileReport& f : r->files) {
    files.append(py::make_tuple(f.file, f.present, f.counts.read,
                                f.counts.loaded, f.counts.rejected));
  }
  const bool ok = r->ok();
  return py::make_tuple(
      Wrap(std::move(r->network)), ProblemList(r->problems), files, ok,
      ok ? ""
         : ProblemsMessage(r->problems, absl::StrCat(dir, ": "), "problem(s)"));
}

NetworkPtr LoadFolderStrictly(const std::string& dir) {
  absl::StatusOr<Network> net;
  {
    py::gil_scoped_release release;
    net = LoadFolderStrict(dir);
  }
  return Wrap(Take(std::move(net)));
}

py::tuple BuildNetworkReport(const py::dict& frames) {
  NetworkBuilder b;
  AddFrames(frames, &b);
  BuildReport report;
  {
    py::gil_scoped_release release;
    report = std::move(b).BuildWithReport();
  }
  py::list counts;
  for (const TableCounts& c : report.counts) {
    counts.append(py::make_tuple(c.read, c.loaded, c.rejected));
  }
  const bool ok = report.ok();
  return py::make_tuple(
      Wrap(std::move(report.network)), ProblemList(report.problems), counts, ok,
      ok ? "" : ProblemsMessage(report.problems, "", "invalid row(s)"));
}

NetworkPtr BuildNetworkStrictly(const py::dict& frames) {
  NetworkBuilder b;
  AddFrames(frames, &b);
  absl::StatusOr<Network> net;
  {
    py::gil_scoped_release release;
    net = std::move(b).Build();
  }
  return Wrap(Take(std::move(net)));
}

NetworkPtr GenerateNetwork(std::vector<std::string> territories, bool national,
                           uint64_t seed, double scale) {
  SynthOptions o;
  o.territories = std::move(territories);
  o.national = national;
  o.seed = seed;
  o.scale = scale;
  absl::StatusOr<Network> net;
  {
    py::gil_scoped_release release;
    net = Generate(o);
  }
  return Wrap(Take(std::move(net)));
}

// Pickle state of a network: the frames from_frames takes, nullable integers
// as float64 with NaN (exact for the ages it holds).
py::dict NetworkState(const Network& net) {
  py::dict columns = NetworkColumns(net);
  py::dict state;
  for (auto [key, table] : columns) {
    py::list names, arrays;
    for (auto [name, column] : py::reinterpret_borrow<py::dict>(table)) {
      names.append(name);
      if (py::isinstance<py::tuple>(column)) {
        py::tuple t = py::reinterpret_borrow<py::tuple>(column);
        auto values = t[1].cast<py::array_t<int64_t>>();
        auto mask = t[2].cast<py::array_t<bool>>();
        py::array_t<double> out(values.size());
        double* o = out.mutable_data();
        for (py::ssize_t i = 0; i < values.size(); ++i) {
          o[i] = mask.data()[i] ? std::nan("")
                                : static_cast<double>(values.data()[i]);
        }
        arrays.append(out);
      } else {
        arrays.append(column);
      }
    }
    state[key] = py::make_tuple(names, arrays);
  }
  return state;
}

// --- ranking
// -------------------------------------------------------------------

ThemeId ParseThemeOrThrow(const std::string& code) {
  absl::optional<ThemeId> t = ParseTheme(code);
  if (!t) {
    throw py::value_error(
        absl::StrCat("unknown data·inclusion theme ", base::Quoted(code)));
  }
  return *t;
}

// The options of `need` best first, or one row saying why it has none.
void AddRanking(const Ranker& ranker, NeedId need, int k,
                double explain_radius_km, std::vector<RankRow>* rows) {
  const std::vector<Option> options = ranker.Rank(need, k);
  for (const Option& o : options) rows->push_back({o, {}});
  if (options.empty()) {
    RankRow r;
    r.option.person = ranker.network().need(need).person;
    r.option.need = need;
    r.option.theme = ranker.network().need(need).theme;
    r.why = ExplainWithoutOptions(ranker, need, explain_radius_km);
    rows->push_back(std::move(r));
  }
}

// The radius of the search behind a reason: the allocation's own rule.
void CheckExplainRadius(double km) {
  AllocateOptions options;
  options.explain_radius_km = km;
  Check(ValidateOptions(options));
}

py::dict RankPerson(NetworkHandle& h, const std::string& person_id,
                    const std::optional<std::string>& thematique, int k,
                    const py::object& rank_settings, double explain_radius_km) {
  const RankSettings settings = SettingsOf(rank_settings);
  if (k < 1) throw py::value_error("k must be at least 1");
  CheckExplainRadius(explain_radius_km);
  const absl::optional<PersonId> person = h.net().FindPerson(person_id);
  if (!person) {
    throw py::value_error(
        absl::StrCat("no person with id ", base::Quoted(person_id)));
  }
  std::optional<ThemeId> theme;
  if (thematique) theme = ParseThemeOrThrow(*thematique);
  MakeRankOptions(settings);  // unknown names raise here, with the GIL
  std::vector<RankRow> rows;
  absl::StatusOr<Ranker> ranker;
  {
    py::gil_scoped_release release;
    ranker = h.GetRanker(settings);
    if (ranker.ok()) {
      const Network& net = h.net();
      // A need of the person names the theme: its ranking (with the reason
      // when it has no option); otherwise the ad hoc query.
      std::optional<NeedId> need_of_theme;
      for (int32_t n = net.first_need(*person).value();
           n < net.end_need(*person).value(); ++n) {
        if (theme && net.need(NeedId(n)).theme == *theme &&
            !net.pinned_service(NeedId(n))) {
          need_of_theme = NeedId(n);
        }
      }
      if (need_of_theme) {
        AddRanking(*ranker, *need_of_theme, k, explain_radius_km, &rows);
      } else if (theme) {
        for (const Option& o : ranker->Rank(*person, *theme, k)) {
          rows.push_back({o, {}});
        }
      } else {
        for (int32_t n = net.first_need(*person).value();
             n < net.end_need(*person).value(); ++n) {
          if (net.pinned_service(NeedId(n))) continue;
          AddRanking(*ranker, NeedId(n), k, explain_radius_km, &rows);
        }
      }
    }
  }
  Check(ranker.status());
  return OptionColumns(h.net(), rows);
}

py::dict RankAll(NetworkHandle& h, int k, const py::object& rank_settings,
                 double explain_radius_km, const py::object& progress) {
  const RankSettings settings = SettingsOf(rank_settings);
  if (k < 1) throw py::value_error("k must be at least 1");
  CheckExplainRadius(explain_radius_km);
  MakeRankOptions(settings);
  std::vector<RankRow> rows;
  absl::StatusOr<Ranker> ranker;
  ProgressBridge bridge(progress);
  bool cancelled = false;
  {
    py::gil_scoped_release release;
    ranker = h.GetRanker(settings);
    if (ranker.ok()) {
      const Network& net = h.net();
      const auto num_needs = static_cast<int64_t>(net.needs().size());
      const ProgressCallback callback = bridge.callback();
      base::StageProgress stage(callback, "rank", num_needs);
      for (int32_t n = 0; n < num_needs && !cancelled; ++n) {
        if (!stage.Update(n)) cancelled = true;
        if (net.pinned_service(NeedId(n))) continue;
        AddRanking(*ranker, NeedId(n), k, explain_radius_km, &rows);
      }
      if (!cancelled && !stage.Finish()) cancelled = true;
    }
  }
  bridge.Rethrow();
  Check(ranker.status());
  return OptionColumns(h.net(), rows);
}

// --- allocation
// ----------------------------------------------------------------

PlanPtr AllocatePlan(const NetworkPtr& h, int32_t candidate_limit,
                     int64_t score_scale, double explain_radius_km,
                     const py::object& rank_settings, int32_t assumed_capacity,
                     const py::object& progress, const py::object& previous) {
  const RankSettings settings = SettingsOf(rank_settings);
  auto handle = std::make_shared<PlanHandle>();
  handle->network = h;
  handle->options.candidate_limit = candidate_limit;
  handle->options.score_scale = score_scale;
  handle->options.explain_radius_km = explain_radius_km;
  handle->options.assumed_capacity = assumed_capacity;
  handle->settings = settings;
  MakeRankOptions(settings);
  ProgressBridge bridge(progress);
  const PlanPtr prev = previous.is_none() ? nullptr : previous.cast<PlanPtr>();
  absl::Status status;
  {
    py::gil_scoped_release release;
    AllocateOptions options = handle->options;
    options.progress = bridge.callback();
    if (prev != nullptr) {
      options.previous =
          PreviousAssignments(prev->network->net(), prev->plan, h->net());
    }
    absl::StatusOr<Ranker> ranker = h->GetRanker(settings);
    if (!ranker.ok()) {
      status = ranker.status();
    } else {
      absl::StatusOr<Plan> plan = Allocate(*ranker, options);
      if (plan.ok()) {
        handle->plan = std::move(*plan);
      } else {
        status = plan.status();
      }
    }
  }
  bridge.Rethrow();
  Check(status);
  return handle;
}

void VerifyPlanHandle(PlanHandle& p, const py::object& progress) {
  // A plan read from a folder (ReadPlan) has no solver state.
  if (p.plan.potentials.empty()) {
    throw py::value_error(
        "this plan has no optimality certificate to verify: it was read "
        "from a plan folder (allocate the network to get one)");
  }
  ProgressBridge bridge(progress);
  absl::Status status;
  {
    py::gil_scoped_release release;
    AllocateOptions options = p.options;
    options.progress = bridge.callback();
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.settings);
    status =
        ranker.ok() ? VerifyPlan(*ranker, p.plan, options) : ranker.status();
  }
  bridge.Rethrow();
  Check(status);
}

py::tuple PlanState(const PlanHandle& p) {
  const std::string bytes = EncodePlan(p.plan);
  return py::make_tuple(p.network, p.options.candidate_limit,
                        p.options.score_scale, p.options.explain_radius_km,
                        p.settings, py::bytes(bytes),
                        p.options.assumed_capacity);
}

PlanPtr PlanFromState(const py::tuple& t) {
  if (t.size() != 7) throw py::value_error("not a maillage plan state");
  auto handle = std::make_shared<PlanHandle>();
  handle->network = t[0].cast<NetworkPtr>();
  handle->options.candidate_limit = t[1].cast<int32_t>();
  handle->options.score_scale = t[2].cast<int64_t>();
  handle->options.explain_radius_km = t[3].cast<double>();
  handle->settings = t[4].cast<RankSettings>();
  handle->options.assumed_capacity = t[6].cast<int32_t>();
  const std::string bytes = t[5].cast<std::string>();
  handle->plan = Take(DecodePlan(bytes, handle->network->net()));
  return handle;
}

py::dict Counts(const Network& net) {
  int64_t pinned = 0;
  for (size_t n = 0; n < net.needs().size(); ++n) {
    pinned += net.pinned_service(NeedId(static_cast<int32_t>(n))).has_value();
  }
  py::dict d;
  d["sites"] = net.sites().size();
  d["partners"] = net.partners().size();
  d["services"] = net.services().size();
  d["persons"] = net.persons().size();
  d["needs"] = net.needs().size();
  d["needs_pinned"] = pinned;
  d["supports"] = net.supports().size();
  d["partnerships"] = net.partnerships().size();
  d["travel_times"] = net.travel_times().size();
  d["territories"] = net.Territories().size();
  return d;
}

// What a plan's table or text is, from the plan and its network.
template <auto F>
auto OfPlan(const PlanHandle& p) {
  return F(p.network->net(), p.plan);
}

void BindNetwork(py::module_& m) {
  py::class_<NetworkHandle, NetworkPtr>(m, "Network")
      .def("counts", [](const NetworkHandle& h) { return Counts(h.net()); })
      .def("territories",
           [](const NetworkHandle& h) { return h.net().Territories(); })
      .def("to_columns",
           [](const NetworkHandle& h) { return NetworkColumns(h.net()); })
      .def(
          "write_folder",
          [](const NetworkHandle& h, const std::string& dir) {
            absl::Status s;
            {
              py::gil_scoped_release release;
              s = WriteFolder(h.net(), dir);
            }
            Check(s);
          },
          py::arg("path"))
      .def("rank", &RankPerson, py::arg("person_id"), py::arg("thematique"),
           py::arg("k"), py::arg("settings"),
           py::arg("explain_radius_km") = 100.0)
      .def("rank_all", &RankAll, py::arg("k"), py::arg("settings"),
           py::arg("explain_radius_km") = 100.0,
           py::arg("progress") = py::none())
      .def("__eq__", [](const NetworkHandle& a,
                        const NetworkHandle& b) { return a.net() == b.net(); })
      .def(
          "with_capacity",
          [](const NetworkHandle& h,
             const std::vector<std::pair<std::string, int64_t>>& places) {
            absl::StatusOr<Network> net;
            {
              py::gil_scoped_release release;
              net = WithCapacity(h.net(), places);
            }
            return Wrap(Take(std::move(net)));
          },
          py::arg("places"))
      .def(
          "without",
          [](const NetworkHandle& h, const std::vector<std::string>& partners,
             const std::vector<std::string>& services) {
            absl::StatusOr<Network> net;
            {
              py::gil_scoped_release release;
              net = Without(h.net(), partners, services);
            }
            return Wrap(Take(std::move(net)));
          },
          py::arg("partner_ids"), py::arg("service_ids"))
      .def("allocate", &AllocatePlan, py::arg("candidate_limit"),
           py::arg("score_scale"), py::arg("explain_radius_km"),
           py::arg("settings"), py::arg("assumed_capacity"),
           py::arg("progress") = py::none(), py::arg("previous") = py::none())
      .def(py::pickle(
          [](const NetworkHandle& h) { return NetworkState(h.net()); },
          [](const py::dict& state) { return BuildNetworkStrictly(state); }));
}

// --- gap analysis ------------------------------------------------------

GapsOptions MakeGapsOptions(const PlanHandle& p, int32_t budget,
                            const std::vector<std::string>& territories,
                            bool what_would_help) {
  GapsOptions o;
  o.allocate = p.options;
  o.budget = budget;
  o.territories = territories;
  o.what_would_help = what_would_help;
  return o;
}

// AnalyzeGaps of the plan's network (its ranking weights and allocation
// options), describing this plan when `given`.
GapReport Gaps(const PlanHandle& p, GapsOptions options, bool given,
               const py::object& progress) {
  absl::StatusOr<GapReport> r;
  ProgressBridge bridge(progress);
  {
    py::gil_scoped_release release;
    options.allocate.progress = bridge.callback();
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.settings);
    r = ranker.ok() ? AnalyzeGaps(*ranker, options, given ? &p.plan : nullptr)
                    : ranker.status();
  }
  bridge.Rethrow();
  return Take(std::move(r));
}

py::dict GapsFiles(const PlanHandle& p, int32_t budget,
                   const std::vector<std::string>& territories,
                   bool what_would_help, const py::object& progress) {
  const GapReport r =
      Gaps(p, MakeGapsOptions(p, budget, territories, what_would_help), true,
           progress);
  py::dict d;
  for (const std::string& name : GapsFileNames()) {
    d[py::str(name)] = Take(GapsFileText(r, name));
  }
  return d;
}

std::string CoverageCsvOf(const PlanHandle& p) {
  GapReport r;
  r.network = p.network->net();
  r.coverage = Coverage(r.network, p.plan);
  return Take(GapsFileText(r, "coverage.csv"));
}

// (service_id, people, needs, urgency, score, shadow price scaled) per
// service, or one row ("", ...) for all of them together.
py::list MarginalGains(const PlanHandle& p,
                       const std::vector<std::string>& service_ids,
                       int32_t places, bool together) {
  const Network& net = p.network->net();
  std::vector<ServiceId> ids;
  for (const std::string& id : service_ids) {
    absl::optional<ServiceId> s = net.FindService(id);
    if (!s) {
      throw py::value_error(
          absl::StrCat("unknown service_id ", base::Quoted(id)));
    }
    ids.push_back(*s);
  }
  std::vector<ServiceGain> gains;
  absl::Status status;
  {
    py::gil_scoped_release release;
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.settings);
    absl::StatusOr<GapAnalyzer> a =
        ranker.ok() ? GapAnalyzer::Create(*ranker, p.options) : ranker.status();
    if (!a.ok()) {
      status = a.status();
    } else if (together) {
      absl::StatusOr<Gain> g = a->MarginalGain(ids, places);
      if (g.ok()) {
        gains.push_back({ServiceId::Invalid(), places, *g, ShadowPrice{}});
      } else {
        status = g.status();
      }
    } else {
      absl::StatusOr<std::vector<ServiceGain>> g =
          a->MarginalGains(ids, places);
      if (g.ok()) {
        gains = *std::move(g);
      } else {
        status = g.status();
      }
    }
  }
  Check(status);
  py::list out;
  for (const ServiceGain& g : gains) {
    out.append(py::make_tuple(
        g.service.valid() ? net.service(g.service).id : std::string(), g.places,
        g.gain.people, g.gain.needs, g.gain.urgency, g.gain.score,
        g.shadow_price.scaled));
  }
  return out;
}

// partner_graph.csv for this plan (AnalyzePartnerGraph with the plan's
// allocation options).
std::string PartnerGraphCsvOf(const PlanHandle& p) {
  GapReport r;
  {
    py::gil_scoped_release release;
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.settings);
    absl::StatusOr<PartnerGraphAnalysis> g =
        ranker.ok() ? AnalyzePartnerGraph(*ranker, p.plan, p.options)
                    : ranker.status();
    if (g.ok()) r.partner_graph = *std::move(g);
    r.network = p.network->net();
    if (!g.ok()) {
      py::gil_scoped_acquire acquire;
      Check(g.status());
    }
  }
  return Take(GapsFileText(r, "partner_graph.csv"));
}

void WriteReportOf(const PlanHandle& p, const std::string& path,
                   const std::string& lang, bool exact_small_counts,
                   int32_t budget, const std::vector<std::string>& territories,
                   bool given, const py::object& progress) {
  const GapReport r =
      Gaps(p, MakeGapsOptions(p, budget, territories, true), given, progress);
  ReportOptions o;
  o.lang = lang;
  o.exact_small_counts = exact_small_counts;
  absl::Status s;
  {
    py::gil_scoped_release release;
    s = WriteReport(r, path, o);
  }
  Check(s);
}

void BindPlan(py::module_& m) {
  py::class_<PlanHandle, PlanPtr>(m, "Plan")
      .def_property_readonly("network",
                             [](const PlanHandle& p) { return p.network; })
      .def("assignments", &OfPlan<AssignmentColumns>)
      .def("unmatched", &OfPlan<UnmatchedColumns>)
      .def("needs", &OfPlan<NeedColumns>)
      .def("shadow_prices", &OfPlan<ShadowPriceColumns>)
      .def("summary_json", &OfPlan<PlanSummaryJson>)
      .def("plan_json", &OfPlan<PlanJson>)
      .def(
          "geojson",
          [](const PlanHandle& p, int32_t min_group_size) {
            absl::StatusOr<std::string> text;
            {
              py::gil_scoped_release release;
              text = PlanGeoJson(p.network->net(), p.plan,
                                 MapOptions{min_group_size});
            }
            return Take(std::move(text));
          },
          py::arg("min_group_size"))
      .def(
          "partner_view",
          [](const PlanHandle& p, const std::string& partner_id) {
            return ReferralColumns(
                Take(PartnerReferrals(p.network->net(), p.plan, partner_id)));
          },
          py::arg("partner_id"))
      .def("verify", &VerifyPlanHandle, py::arg("progress") = py::none())
      .def("gaps_files", &GapsFiles, py::arg("budget"), py::arg("territories"),
           py::arg("what_would_help"), py::arg("progress") = py::none())
      .def("coverage_csv", &CoverageCsvOf)
      .def("partner_graph_csv", &PartnerGraphCsvOf)
      .def("marginal_gains", &MarginalGains, py::arg("service_ids"),
           py::arg("places"), py::arg("together"))
      .def("report", &WriteReportOf, py::arg("path"), py::arg("lang"),
           py::arg("exact_small_counts"), py::arg("budget"),
           py::arg("territories"), py::arg("given"),
           py::arg("progress") = py::none())
      .def(
          "write",
          [](const PlanHandle& p, const std::string& dir) {
            absl::Status s;
            {
              py::gil_scoped_release release;
              s = WritePlan(p.network->net(), p.plan, dir);
            }
            Check(s);
          },
          py::arg("path"))
      .def("options",
           [](const PlanHandle& p) {
             py::dict d;
             d["candidate_limit"] = p.options.candidate_limit;
             d["score_scale"] = p.options.score_scale;
             d["explain_radius_km"] = p.options.explain_radius_km;
             d["rank"] = p.settings;
             return d;
           })
      .def(py::pickle(&PlanState, &PlanFromState));
}

void BindFunctions(py::module_& m) {
  m.def(
      "create_journal",
      [](const std::string& path, const NetworkPtr& h, double expiry_days) {
        return CreateJournal(path, h->net(), expiry_days);
      },
      py::arg("path"), py::arg("network"), py::arg("expiry_days"));
  m.def("load_folder", &LoadFolderReport, py::arg("path"),
        "LoadFolder: (network of the accepted rows, problems, files, ok, "
        "message).");
  m.def("load_folder_strict", &LoadFolderStrictly, py::arg("path"));
  m.def("build_network", &BuildNetworkReport, py::arg("frames"),
        "NetworkBuilder::BuildWithReport over frames: (network, problems, "
        "counts, ok, message).");
  m.def("build_network_strict", &BuildNetworkStrictly, py::arg("frames"));
  m.def(
      "read_plan",
      [](const NetworkPtr& h, const std::string& dir) {
        auto handle = std::make_shared<PlanHandle>();
        handle->network = h;
        absl::StatusOr<Plan> plan;
        {
          py::gil_scoped_release release;
          plan = ReadPlan(h->net(), dir);
        }
        handle->plan = Take(std::move(plan));
        return handle;
      },
      py::arg("network"), py::arg("path"),
      "ReadPlan: the plan folder written by WritePlan, against its network.");
  m.def("generate", &GenerateNetwork, py::arg("territories"),
        py::arg("national"), py::arg("seed"), py::arg("scale"));

  m.def(
      "table_columns",
      [] {
        static constexpr const char* kTypes[] = {"text", "list", "number",
                                                 "integer"};
        py::dict d;
        for (Table t : kTables) {
          py::list cols;
          for (const ColumnInfo& c : TableColumns(t)) {
            cols.append(py::make_tuple(std::string(c.name),
                                       kTypes[static_cast<int>(c.type)],
                                       c.required));
          }
          d[std::string(TableName(t)).c_str()] = cols;
        }
        return d;
      },
      "The columns of each table: (name, cell type, required).");
  m.def("theme_codes", [] {
    std::vector<std::string> out;
    for (int t = 0; t < NumThemes(); ++t) {
      out.emplace_back(ThemeCode(static_cast<ThemeId>(t)));
    }
    return out;
  });
  m.def("category_codes", [] {
    std::vector<std::string> out;
    for (int t = 0; t < NumCategories(); ++t) {
      out.emplace_back(ThemeCode(static_cast<ThemeId>(t)));
    }
    return out;
  });
  m.def(
      "closest_code",
      [](const std::string& code, const std::vector<std::string>& candidates) {
        const std::vector<absl::string_view> views(candidates.begin(),
                                                   candidates.end());
        return base::ClosestCode(code, views);
      },
      py::arg("code"), py::arg("candidates"),
      "The candidate a few edits away from code (as the loader's \"did you "
      "mean\"), or \"\" when none is close.");
  m.def(
      "category_of",
      [](const std::string& code) {
        return std::string(ThemeCode(CategoryOf(ParseThemeOrThrow(code))));
      },
      py::arg("thematique"));
  m.def(
      "vocabulary",
      [] {
        py::dict d;
        py::list themes;
        for (int t = 0; t < NumThemes(); ++t) {
          const auto id = static_cast<ThemeId>(t);
          themes.append(py::make_tuple(
              std::string(ThemeCode(id)), std::string(ThemeLabel(id)),
              std::string(ThemeCode(CategoryOf(id))),
              std::string(CategoryLabelEnglish(id)), IsCategory(id)));
        }
        d["themes"] = themes;
        py::list publics;
        for (int p = 0; p < NumPublics(); ++p) {
          const auto id = static_cast<PublicId>(p);
          publics.append(py::make_tuple(std::string(PublicCode(id)),
                                        std::string(PublicLabel(id))));
        }
        d["publics"] = publics;
        py::list modes;
        for (Mode mode : {Mode::kRemote, Mode::kInPerson}) {
          modes.append(py::make_tuple(std::string(ModeCode(mode)),
                                      std::string(ModeLabel(mode))));
        }
        d["modes"] = modes;
        py::list kinds;
        for (int i = 0; i < NumReseauxPorteurs(); ++i) {
          kinds.append(py::make_tuple(std::string(ReseauPorteurCode(i)),
                                      std::string(ReseauPorteurLabel(i))));
        }
        d["reseaux_porteurs"] = kinds;
        const std::pair<const char*, Vocabulary> flat[] = {
            {"frais", Vocabulary::kFrais},
            {"types", Vocabulary::kServiceTypes},
            {"modes_mobilisation", Vocabulary::kModesMobilisation},
            {"mobilisable_par", Vocabulary::kPersonnesMobilisatrices}};
        for (const auto& [name, v] : flat) {
          py::list codes;
          for (int i = 0; i < NumCodes(v); ++i) {
            codes.append(py::make_tuple(std::string(CodeOf(v, i)),
                                        std::string(LabelOf(v, i))));
          }
          d[name] = codes;
        }
        py::list filters;
        for (int f = 1; f < kNumFilters; ++f) {
          filters.append(std::string(FilterCode(static_cast<Filter>(f))));
        }
        d["filters"] = filters;
        return d;
      },
      "The data·inclusion vocabularies compiled into the library: themes "
      "(code, French label, category, English category label, is category), "
      "publics, modes, reseaux_porteurs, frais, types, modes_mobilisation, "
      "mobilisable_par (code, French label) and the filter codes.");
  m.def("rank_defaults", &DefaultRankSettings,
        "The default ranking settings, by name.");
  m.def("unmatched_reasons", [] {
    std::vector<std::string> out;
    for (int r = 0; r <= static_cast<int>(UnmatchedReason::kCapacityFull);
         ++r) {
      out.emplace_back(UnmatchedReasonCode(static_cast<UnmatchedReason>(r)));
    }
    return out;
  });
}

}  // namespace

void BindImport(py::module_& m);  // import.cc
}  // namespace maillage::python

PYBIND11_MODULE(_core, m) {
  using namespace maillage::python;
  m.doc() = "The maillage C++ library (private: use the `maillage` package).";
  m.attr("__version__") = MAILLAGE_VERSION;

  // Exception classes, named as the package exports them.
  g_invalid_data = PyErr_NewExceptionWithDoc(
      "maillage.InvalidDataError",
      "Rows of the input were rejected; `problems` lists them.",
      PyExc_ValueError, nullptr);
  py::object not_found_bases = py::make_tuple(
      py::handle(PyExc_FileNotFoundError), py::handle(PyExc_ValueError));
  g_folder_not_found = PyErr_NewExceptionWithDoc(
      "maillage.FolderNotFoundError",
      "The folder does not exist (a FileNotFoundError and a ValueError).",
      not_found_bases.ptr(), nullptr);
  if (g_invalid_data == nullptr || g_folder_not_found == nullptr) {
    throw py::error_already_set();
  }
  m.attr("InvalidDataError") = py::handle(g_invalid_data);
  m.attr("FolderNotFoundError") = py::handle(g_folder_not_found);

  BindNetwork(m);
  BindPlan(m);
  BindFunctions(m);
  BindSession(m);
  BindImport(m);
}
