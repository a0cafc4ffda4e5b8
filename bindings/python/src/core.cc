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
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
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
#include "maillage/rank.h"
#include "maillage/report.h"
#include "maillage/synth.h"
#include "plan_codec.h"
#include "plan_columns.h"
#include "pybind11/numpy.h"
#include "pybind11/pybind11.h"
#include "pybind11/stl.h"
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

// Score weights (capacity, proximity, complementarity); absent = defaults.
using Weights = std::optional<std::array<double, 3>>;

RankOptions MakeRankOptions(const Weights& w) {
  RankOptions o;
  if (w) {
    o.weights.capacity = (*w)[0];
    o.weights.proximity = (*w)[1];
    o.weights.complementarity = (*w)[2];
  }
  return o;
}

// A Network and its Ranker with default options, built on first use and
// shared by every call and plan of this network.
class NetworkHandle {
 public:
  explicit NetworkHandle(Network net) : net_(std::move(net)) {}

  const Network& net() const { return net_; }

  // Call without the GIL: the first call indexes the whole network.
  absl::StatusOr<Ranker> GetRanker(const Weights& weights) {
    if (weights) return Ranker::Create(net_, MakeRankOptions(weights));
    std::call_once(once_, [this] { ranker_ = Ranker::Create(net_); });
    return ranker_;
  }

 private:
  Network net_;
  std::once_flag once_;
  absl::StatusOr<Ranker> ranker_ = absl::UnknownError("not created");
};
using NetworkPtr = std::shared_ptr<NetworkHandle>;

NetworkPtr Wrap(Network net) {
  return std::make_shared<NetworkHandle>(std::move(net));
}

// A plan with what produced it, so that it can be verified and pickled.
struct PlanHandle {
  NetworkPtr network;
  AllocateOptions options;
  Weights weights;
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

py::dict RankPerson(NetworkHandle& h, const std::string& person_id,
                    const std::optional<std::string>& thematique, int k,
                    const Weights& weights) {
  if (k < 1) throw py::value_error("k must be at least 1");
  const absl::optional<PersonId> person = h.net().FindPerson(person_id);
  if (!person) {
    throw py::value_error(
        absl::StrCat("no person with id ", base::Quoted(person_id)));
  }
  std::optional<ThemeId> theme;
  if (thematique) theme = ParseThemeOrThrow(*thematique);
  std::vector<Option> options;
  absl::StatusOr<Ranker> ranker;
  {
    py::gil_scoped_release release;
    ranker = h.GetRanker(weights);
    if (ranker.ok()) {
      if (theme) {
        options = ranker->Rank(*person, *theme, k);
      } else {
        const Network& net = h.net();
        for (int32_t n = net.first_need(*person).value();
             n < net.end_need(*person).value(); ++n) {
          if (net.pinned_service(NeedId(n))) continue;
          for (const Option& o : ranker->Rank(NeedId(n), k)) {
            options.push_back(o);
          }
        }
      }
    }
  }
  Check(ranker.status());
  return OptionColumns(h.net(), options);
}

py::dict RankAll(NetworkHandle& h, int k, const Weights& weights) {
  if (k < 1) throw py::value_error("k must be at least 1");
  std::vector<Option> options;
  absl::StatusOr<Ranker> ranker;
  {
    py::gil_scoped_release release;
    ranker = h.GetRanker(weights);
    if (ranker.ok()) {
      const Network& net = h.net();
      for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
        if (net.pinned_service(NeedId(n))) continue;
        for (const Option& o : ranker->Rank(NeedId(n), k)) {
          options.push_back(o);
        }
      }
    }
  }
  Check(ranker.status());
  return OptionColumns(h.net(), options);
}

// --- allocation
// ----------------------------------------------------------------

PlanPtr AllocatePlan(const NetworkPtr& h, int32_t candidate_limit,
                     int64_t score_scale, double explain_radius_km,
                     const Weights& weights, int32_t assumed_capacity) {
  auto handle = std::make_shared<PlanHandle>();
  handle->network = h;
  handle->options.candidate_limit = candidate_limit;
  handle->options.score_scale = score_scale;
  handle->options.explain_radius_km = explain_radius_km;
  handle->options.assumed_capacity = assumed_capacity;
  handle->weights = weights;
  absl::Status status;
  {
    py::gil_scoped_release release;
    absl::StatusOr<Ranker> ranker = h->GetRanker(weights);
    if (!ranker.ok()) {
      status = ranker.status();
    } else {
      absl::StatusOr<Plan> plan = Allocate(*ranker, handle->options);
      if (plan.ok()) {
        handle->plan = std::move(*plan);
      } else {
        status = plan.status();
      }
    }
  }
  Check(status);
  return handle;
}

void VerifyPlanHandle(PlanHandle& p) {
  // A plan read from a folder (ReadPlan) has no solver state.
  if (p.plan.potentials.empty()) {
    throw py::value_error(
        "this plan has no optimality certificate to verify: it was read "
        "from a plan folder (allocate the network to get one)");
  }
  absl::Status status;
  {
    py::gil_scoped_release release;
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.weights);
    status =
        ranker.ok() ? VerifyPlan(*ranker, p.plan, p.options) : ranker.status();
  }
  Check(status);
}

py::tuple PlanState(const PlanHandle& p) {
  const std::string bytes = EncodePlan(p.plan);
  return py::make_tuple(p.network, p.options.candidate_limit,
                        p.options.score_scale, p.options.explain_radius_km,
                        p.weights, py::bytes(bytes),
                        p.options.assumed_capacity);
}

PlanPtr PlanFromState(const py::tuple& t) {
  if (t.size() != 7) throw py::value_error("not a maillage plan state");
  auto handle = std::make_shared<PlanHandle>();
  handle->network = t[0].cast<NetworkPtr>();
  handle->options.candidate_limit = t[1].cast<int32_t>();
  handle->options.score_scale = t[2].cast<int64_t>();
  handle->options.explain_radius_km = t[3].cast<double>();
  handle->weights = t[4].cast<Weights>();
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
           py::arg("k"), py::arg("weights"))
      .def("rank_all", &RankAll, py::arg("k"), py::arg("weights"))
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
           py::arg("weights"), py::arg("assumed_capacity"))
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
GapReport Gaps(const PlanHandle& p, const GapsOptions& options, bool given) {
  absl::StatusOr<GapReport> r;
  {
    py::gil_scoped_release release;
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.weights);
    r = ranker.ok() ? AnalyzeGaps(*ranker, options, given ? &p.plan : nullptr)
                    : ranker.status();
  }
  return Take(std::move(r));
}

py::dict GapsFiles(const PlanHandle& p, int32_t budget,
                   const std::vector<std::string>& territories,
                   bool what_would_help) {
  const GapReport r =
      Gaps(p, MakeGapsOptions(p, budget, territories, what_would_help), true);
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
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.weights);
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
    absl::StatusOr<Ranker> ranker = p.network->GetRanker(p.weights);
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
                   bool given) {
  const GapReport r =
      Gaps(p, MakeGapsOptions(p, budget, territories, true), given);
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
      .def("verify", &VerifyPlanHandle)
      .def("gaps_files", &GapsFiles, py::arg("budget"), py::arg("territories"),
           py::arg("what_would_help"))
      .def("coverage_csv", &CoverageCsvOf)
      .def("partner_graph_csv", &PartnerGraphCsvOf)
      .def("marginal_gains", &MarginalGains, py::arg("service_ids"),
           py::arg("places"), py::arg("together"))
      .def("report", &WriteReportOf, py::arg("path"), py::arg("lang"),
           py::arg("exact_small_counts"), py::arg("budget"),
           py::arg("territories"), py::arg("given"))
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
             d["weights"] = p.weights;
             return d;
           })
      .def(py::pickle(&PlanState, &PlanFromState));
}

void BindFunctions(py::module_& m) {
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
      "category_of",
      [](const std::string& code) {
        return std::string(ThemeCode(CategoryOf(ParseThemeOrThrow(code))));
      },
      py::arg("thematique"));
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
  BindImport(m);
}
