// The min-cost flow model of the referral allocation (the objective and the
// scaling: maillage/allocate.h, docs/model.md). Private.

#ifndef MAILLAGE_SRC_ALLOCATE_MODEL_H_
#define MAILLAGE_SRC_ALLOCATE_MODEL_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "flow/flow_problem.h"
#include "flow/network_simplex.h"
#include "maillage/allocate.h"
#include "maillage/rank.h"

namespace maillage::allocate {

// Node ids: 0 source, 1 sink, then one per person, need and service of the
// network, in network order (isolated when not part of the model).
inline constexpr int32_t kSource = 0;
inline constexpr int32_t kSink = 1;

// The block search's factor (flow::SolveOptions::block_factor) for the
// model: 0.1 took about half the time of LEMON's 1.0, measured 6.1-7.1 s of
// CPU against 15.0-15.8 s on a département-sized problem (14.6 M arcs),
// 3.2 ms against 6.3 ms on all the Convergence territories (19,729 arcs).
inline constexpr double kModelBlockFactor = 0.1;

// The solver's settings for the model: kModelBlockFactor, and the arcs in
// their own order (the one its timings were measured with).
inline flow::SolveOptions ModelSolveOptions() {
  flow::SolveOptions options;
  options.block_factor = kModelBlockFactor;
  options.lemon_arc_order = false;
  return options;
}

// An option arc of the model: the service and the score its cost comes
// from (the other parts are recomputed with Ranker::OptionFor for the few
// options a plan uses; keeping whole Options for every arc took 64 bytes
// each, 1.8 GB at national size).
struct ModelOption {
  ServiceId service;
  double score = 0;
};

// An option arc added by SolveModelOnDemand, in the order of its arcs.
struct AddedOption {
  NeedId need;
  ServiceId service;
  double score = 0;
};

struct Model {
  flow::FlowProblem problem;
  PlanScaling scaling;
  int32_t person_node0 = 2, need_node0 = 0, service_node0 = 0;
  std::vector<int32_t> bonus_arc;     // per person, -1 when none
  std::vector<int32_t> rest_arc;      // per person, -1 when none
  std::vector<int32_t> need_arc;      // per need: person -> need, -1 when none
  std::vector<int32_t> option_begin;  // per need + 1: range in `options`
  std::vector<ModelOption> options;   // candidate arcs, by need then service
  int32_t first_option_arc = 0;       // arc id of options[0]; consecutive
  // Options on demand (BuildModel's on_demand > 0): `options` holds each
  // need's best on_demand options only. A need with more has its best
  // option left out in next_score / next_service (ranking order: score
  // descending, then service); next_service is Invalid() otherwise. Every
  // option left out comes after it in that order.
  int32_t on_demand = 0;
  std::vector<double> next_score;       // per need
  std::vector<ServiceId> next_service;  // per need
  int64_t all_options = 0;              // sum of the services' demands
  // Options SolveModelOnDemand added, whose arcs follow the service arcs
  // and the bypass (first_added_arc onwards, in this order).
  std::vector<AddedOption> added;
  int32_t first_added_arc = 0;
  std::vector<int32_t> service_arc;  // per service: service -> sink, or -1
  int32_t bypass_arc = -1;
  int64_t modelled_needs = 0;
  int64_t people_pinned = 0;  // people covered by pinned supports
};

// Which costs the model's solver may use.
enum class CostWidth {
  // 64-bit potentials when they fit, else 128-bit: the score scale is always
  // the one requested (Allocate, VerifyPlan, ExportDimacs).
  kAny,
  // 64-bit only (the incremental solver of AllocationSession and the
  // analyzer): the score scale is halved until the weights fit, and
  // PlanScaling::score_scale says which was used.
  kNarrow,
};

// Builds the model. ResourceExhausted when the weights do not fit the
// solver's limits (kAny: 128 bits, beyond any network the generator makes;
// kNarrow: no score scale >= 1 fits 64 bits). With `all_open_needs`, every
// open need gets its arc
// person -> need even without options (it then goes to the bypass) and
// every service its arc service -> sink, so that options can be added
// later (maillage/analyze.h); the optimum's levels are the same.
// With on_demand > 0 (and not all_open_needs), each need gets its best
// `on_demand` options only, for SolveModelOnDemand; the weights and the
// cost width are those of the whole model (from Ranker::demand).
absl::StatusOr<Model> BuildModel(const Ranker& ranker,
                                 const AllocateOptions& options,
                                 bool all_open_needs = false,
                                 CostWidth width = CostWidth::kAny,
                                 int32_t on_demand = 0);

// Solves `problem` (the model's problem, possibly with other costs in the
// same order of options) exactly; with limit > 0 the `limit` best options of
// each need are priced first (see AllocateOptions::candidate_limit).
// `rounds` and `arcs_priced` (may be null) receive the pricing passes and
// the arcs priced at the end.
absl::StatusOr<flow::FlowSolution> SolveModel(const Model& m,
                                              const flow::FlowProblem& problem,
                                              int32_t limit, int32_t* rounds,
                                              int64_t* arcs_priced);

// Solves a model built with on_demand > 0 exactly for all the options: when
// the simplex has no eligible arc left, every need whose left-out options
// could have a negative reduced cost (a bound from next_score) has its
// options ranked in full, and those of negative reduced cost are added;
// the solve ends when none is. The arcs added are appended to m->problem
// and m->added, so that the model then holds the problem solved. The
// potentials returned certify optimality for the whole model: each
// service's potential is lowered to the sink's when above it (exact: such
// a service carries no flow). The needs are ranked on `threads` threads
// (0: the hardware's); the result does not depend on it. `rounds` (may be
// null) receives the rounds of additions.
absl::StatusOr<flow::FlowSolution> SolveModelOnDemand(const Ranker& ranker,
                                                      Model* m, int32_t threads,
                                                      int32_t* rounds);

// The weights of the levels for a score scale and the sizes of the model
// (people P, needs N, services V with at least one option).
PlanScaling ComputeScaling(int64_t score_scale, int64_t people, int64_t needs,
                           int64_t services);

}  // namespace maillage::allocate

#endif  // MAILLAGE_SRC_ALLOCATE_MODEL_H_
