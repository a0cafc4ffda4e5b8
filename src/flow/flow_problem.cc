#include "flow/flow_problem.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "flow/int128.h"

namespace maillage::flow {
namespace {

using internal::int128;
using internal::Int128ToString;

int128 Abs(int64_t v) { return v < 0 ? -static_cast<int128>(v) : v; }

// A token quoted in an error message, shortened.
std::string Quote(absl::string_view token) {
  constexpr size_t kMax = 24;
  if (token.size() <= kMax) return absl::StrCat("'", token, "'");
  return absl::StrCat("'", token.substr(0, kMax), "...'");
}

absl::Status LineError(int64_t line, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(line, ": ", reason));
}

}  // namespace

int32_t FlowProblem::AddNode(int64_t node_supply) {
  supply.push_back(node_supply);
  return num_nodes++;
}

int32_t FlowProblem::AddArc(int32_t arc_tail, int32_t arc_head,
                            int64_t arc_capacity, int64_t arc_cost) {
  tail.push_back(arc_tail);
  head.push_back(arc_head);
  capacity.push_back(arc_capacity);
  cost.push_back(arc_cost);
  return static_cast<int32_t>(tail.size() - 1);
}

namespace {

// The bounds of flow_problem.h, from one pass over the arcs. Sums saturate
// at kSaturated (above every limit), so that no product or sum overflows.
struct Bounds {
  int128 max_cost = 0;
  int64_t max_cost_arc = -1;
  int128 positive_supply = 0, negative_supply = 0, finite_capacity = 0;
  int128 total_flow = 0;
  int128 objective = 0;  // B, saturated
};

constexpr int128 kSaturated = static_cast<int128>(1) << 122;

int128 SaturatedAdd(int128 a, int128 b) {
  return a >= kSaturated - b ? kSaturated : a + b;
}

int128 SaturatedMul(int128 a, int128 b) {  // a, b >= 0
  if (a == 0 || b == 0) return 0;
  return a > kSaturated / b ? kSaturated : a * b;
}

Bounds BoundsOf(const FlowProblem& problem, const ArcBudget& budget) {
  Bounds b;
  for (int64_t v = 0; v < problem.num_nodes; ++v) {
    const int64_t s = problem.supply[static_cast<size_t>(v)];
    if (s > 0) b.positive_supply += s;
    if (s < 0) b.negative_supply += Abs(s);
  }
  int128 finite_cost_bound = 0, infinite_cost_sum = 0;
  // The arcs the budget allows: finite, within its sums.
  if (budget.max_cost > 0 || budget.capacity > 0 ||
      budget.cost_times_capacity > 0) {
    b.max_cost = std::max<int128>(budget.max_cost, 0);
    b.finite_capacity = std::max<int128>(budget.capacity, 0);
    finite_cost_bound = std::max<int128>(budget.cost_times_capacity, 0);
  }
  for (size_t a = 0; a < problem.tail.size(); ++a) {
    const int64_t cap = problem.capacity[a];
    const int128 c = Abs(problem.cost[a]);
    if (cap == kInfiniteCapacity) {
      infinite_cost_sum = SaturatedAdd(infinite_cost_sum, c);
    } else if (cap > 0) {
      b.finite_capacity = SaturatedAdd(b.finite_capacity, cap);
      finite_cost_bound = SaturatedAdd(finite_cost_bound, SaturatedMul(c, cap));
    }
    if (c > b.max_cost) {
      b.max_cost = c;
      b.max_cost_arc = static_cast<int64_t>(a);
    }
  }
  b.total_flow = SaturatedAdd(std::max(b.positive_supply, b.negative_supply),
                              b.finite_capacity);
  b.objective = SaturatedAdd(finite_cost_bound,
                             SaturatedMul(infinite_cost_sum, b.total_flow));
  return b;
}

}  // namespace

absl::Status ValidateProblem(const FlowProblem& problem,
                             const ArcBudget& budget) {
  const int64_t n = problem.num_nodes;
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_nodes is negative: ", n));
  }
  if (problem.supply.size() != static_cast<size_t>(n)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "supply has ", problem.supply.size(), " entries but num_nodes is ", n));
  }
  const size_t m = problem.tail.size();
  if (problem.head.size() != m || problem.capacity.size() != m ||
      problem.cost.size() != m) {
    return absl::InvalidArgumentError(
        absl::StrCat("arc vectors differ in size: tail ", m, ", head ",
                     problem.head.size(), ", capacity ",
                     problem.capacity.size(), ", cost ", problem.cost.size()));
  }
  if (static_cast<uint64_t>(n) + m > static_cast<uint64_t>(kMaxNodesPlusArcs)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "too large: ", n, " nodes + ", m, " arcs exceeds ", kMaxNodesPlusArcs));
  }
  for (size_t a = 0; a < m; ++a) {
    const int32_t t = problem.tail[a], h = problem.head[a];
    if (t < 0 || t >= n || h < 0 || h >= n) {
      return absl::InvalidArgumentError(
          absl::StrCat("arc ", a, " (", t, " -> ", h,
                       "): node id out of range [0, ", n, ")"));
    }
    const int64_t cap = problem.capacity[a];
    if (cap < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "arc ", a, " (", t, " -> ", h, "): negative capacity ", cap));
    }
    if (problem.cost[a] == std::numeric_limits<int64_t>::min()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "arc ", a, " (", t, " -> ", h, "): cost -2^63 cannot be negated"));
    }
  }
  if (budget.max_cost < 0 || budget.capacity < 0 ||
      budget.cost_times_capacity < 0) {
    return absl::InvalidArgumentError("negative bound in the arc budget");
  }
  const Bounds b = BoundsOf(problem, budget);
  if (b.max_cost * (n + 1) > kMaxWideCostTimesNodes) {
    return absl::InvalidArgumentError(
        absl::StrCat(b.max_cost_arc < 0 ? std::string("the added arcs")
                                        : absl::StrCat("arc ", b.max_cost_arc),
                     ": |cost| ", Int128ToString(b.max_cost),
                     " times (num_nodes + 1) = ", n + 1, " exceeds 2^120"));
  }
  if (b.total_flow > kMaxTotalFlow) {
    return absl::InvalidArgumentError(
        absl::StrCat("total supply ", Int128ToString(b.positive_supply),
                     " / demand ", Int128ToString(b.negative_supply),
                     " plus the sum of finite capacities ",
                     Int128ToString(b.finite_capacity), " exceeds 2^62"));
  }
  if (b.objective > kMaxWideObjective) {
    return absl::InvalidArgumentError(
        "the objective may overflow: sum over arcs of |cost| * capacity "
        "(total supply + finite capacities for infinite arcs) exceeds 2^120");
  }
  return absl::OkStatus();
}

bool FitsNarrowCosts(const FlowProblem& problem, const ArcBudget& budget) {
  const Bounds b = BoundsOf(problem, budget);
  return b.max_cost * (problem.num_nodes + 1) <= kMaxCostTimesNodes &&
         b.objective <= kMaxObjective;
}

namespace {

// More nodes than this many plus the input's size cannot all appear in the
// input: the rest would be isolated nodes, and a few bytes must not make the
// reader allocate gigabytes.
constexpr int64_t kIsolatedNodesAllowance = 1'000'000;

// The parser of ReadDimacs, one line at a time.
class DimacsReader {
 public:
  explicit DimacsReader(size_t input_size) : input_size_(input_size) {}

  absl::Status Line(int64_t line_no, absl::string_view line) {
    line_no_ = line_no;
    const std::vector<absl::string_view> tokens =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r\f\v"), absl::SkipEmpty());
    if (tokens.empty()) return absl::OkStatus();
    last_line_ = line_no;
    const absl::string_view kind = tokens[0];
    if (kind[0] == 'c') return absl::OkStatus();
    if (kind == "p") return ProblemLine(tokens);
    if (kind != "n" && kind != "a") {
      return Error(absl::StrCat("unknown line type ", Quote(kind),
                                " (expected c, p, n or a)"));
    }
    if (!have_problem_line_) {
      return Error(absl::StrCat(
          "'", kind, "' line before the problem line 'p min NODES ARCS'"));
    }
    return kind == "n" ? NodeLine(tokens) : ArcLine(tokens);
  }

  absl::StatusOr<FlowProblem> Finish() && {
    line_no_ = std::max<int64_t>(last_line_, 1);
    if (!have_problem_line_) {
      return Error("missing problem line 'p min NODES ARCS'");
    }
    if (problem_.num_arcs() != declared_arcs_) {
      return Error(absl::StrCat("expected ", declared_arcs_,
                                " arc lines, found ", problem_.num_arcs()));
    }
    if (absl::Status s = ValidateProblem(problem_); !s.ok()) {
      return Error(s.message());
    }
    return std::move(problem_);
  }

 private:
  absl::Status Error(absl::string_view reason) const {
    return LineError(line_no_, reason);
  }

  absl::Status Int(absl::string_view token, absl::string_view what,
                   int64_t* out) const {
    if (!absl::SimpleAtoi(token, out)) {
      return Error(
          absl::StrCat("expected an integer ", what, ", got ", Quote(token)));
    }
    return absl::OkStatus();
  }

  absl::Status Node(absl::string_view token, absl::string_view what,
                    int32_t* out) const {
    int64_t id = 0;
    MAILLAGE_RETURN_IF_ERROR(Int(token, what, &id));
    if (id < 1 || id > problem_.num_nodes) {
      return Error(absl::StrCat(what, " ", id, " out of range [1, ",
                                problem_.num_nodes, "]"));
    }
    *out = static_cast<int32_t>(id - 1);
    return absl::OkStatus();
  }

  absl::Status ProblemLine(const std::vector<absl::string_view>& tokens) {
    if (have_problem_line_) return Error("second problem line");
    if (tokens.size() != 4) return Error("expected 'p min NODES ARCS'");
    if (tokens[1] != "min") {
      return Error(absl::StrCat("unsupported problem type ", Quote(tokens[1]),
                                " (only 'min')"));
    }
    int64_t nodes = 0;
    MAILLAGE_RETURN_IF_ERROR(Int(tokens[2], "for the node count", &nodes));
    MAILLAGE_RETURN_IF_ERROR(
        Int(tokens[3], "for the arc count", &declared_arcs_));
    // Each count is bounded before they are added: no overflow.
    if (nodes < 0 || declared_arcs_ < 0 || nodes > kMaxNodesPlusArcs ||
        declared_arcs_ > kMaxNodesPlusArcs - nodes) {
      return Error(absl::StrCat(
          "node and arc counts must be >= 0 with a sum of at most ",
          kMaxNodesPlusArcs));
    }
    if (nodes > static_cast<int64_t>(input_size_) + kIsolatedNodesAllowance) {
      return Error(absl::StrCat(
          nodes, " nodes declared: more than could appear in an input of ",
          input_size_, " bytes (at most ", kIsolatedNodesAllowance,
          " isolated nodes beyond its size)"));
    }
    problem_.num_nodes = static_cast<int32_t>(nodes);
    problem_.supply.assign(static_cast<size_t>(nodes), 0);
    node_seen_.assign(static_cast<size_t>(nodes), false);
    // Arcs are reserved as they come beyond the first million: a header
    // declaring many more arcs than the input holds allocates nothing.
    const size_t reserve =
        static_cast<size_t>(std::min<int64_t>(declared_arcs_, 1 << 20));
    problem_.tail.reserve(reserve);
    problem_.head.reserve(reserve);
    problem_.capacity.reserve(reserve);
    problem_.cost.reserve(reserve);
    have_problem_line_ = true;
    return absl::OkStatus();
  }

  absl::Status NodeLine(const std::vector<absl::string_view>& tokens) {
    if (tokens.size() != 3) return Error("expected 'n ID FLOW'");
    int32_t id = 0;
    int64_t supply = 0;
    MAILLAGE_RETURN_IF_ERROR(Node(tokens[1], "node id", &id));
    MAILLAGE_RETURN_IF_ERROR(Int(tokens[2], "for the supply", &supply));
    if (node_seen_[static_cast<size_t>(id)]) {
      return Error(absl::StrCat("node ", id + 1, " described twice"));
    }
    node_seen_[static_cast<size_t>(id)] = true;
    problem_.supply[static_cast<size_t>(id)] = supply;
    return absl::OkStatus();
  }

  absl::Status ArcLine(const std::vector<absl::string_view>& tokens) {
    if (tokens.size() != 6) return Error("expected 'a SRC DST LOW CAP COST'");
    if (problem_.num_arcs() >= declared_arcs_) {
      return Error(absl::StrCat("more arc lines than the ", declared_arcs_,
                                " declared"));
    }
    int32_t tail = 0, head = 0;
    int64_t low = 0, cap = 0, cost = 0;
    MAILLAGE_RETURN_IF_ERROR(Node(tokens[1], "arc tail", &tail));
    MAILLAGE_RETURN_IF_ERROR(Node(tokens[2], "arc head", &head));
    MAILLAGE_RETURN_IF_ERROR(Int(tokens[3], "for the lower bound", &low));
    if (low != 0) return Error("lower bounds are not supported");
    MAILLAGE_RETURN_IF_ERROR(Int(tokens[4], "for the capacity", &cap));
    if (cap < 0) return Error(absl::StrCat("negative capacity ", cap));
    MAILLAGE_RETURN_IF_ERROR(Int(tokens[5], "for the cost", &cost));
    problem_.AddArc(tail, head, cap, cost);
    return absl::OkStatus();
  }

  size_t input_size_;
  FlowProblem problem_;
  bool have_problem_line_ = false;
  int64_t declared_arcs_ = 0;
  std::vector<bool> node_seen_;
  int64_t line_no_ = 0, last_line_ = 0;
};

}  // namespace

absl::StatusOr<FlowProblem> ReadDimacs(std::string_view text) {
  return base::ExhaustedOnBadAlloc(
      "ReadDimacs", [&]() -> absl::StatusOr<FlowProblem> {
        DimacsReader reader(text.size());
        int64_t line_no = 0;
        for (absl::string_view line : absl::StrSplit(
                 absl::string_view(text.data(), text.size()), '\n')) {
          MAILLAGE_RETURN_IF_ERROR(reader.Line(++line_no, line));
        }
        return std::move(reader).Finish();
      });
}

absl::StatusOr<FlowProblem> ReadDimacsFile(const std::string& path) {
  absl::StatusOr<std::string> text = base::ReadFile(path, "DIMACS file");
  if (!text.ok()) return text.status();
  absl::StatusOr<FlowProblem> problem = ReadDimacs(*text);
  if (!problem.ok()) {
    return absl::Status(problem.status().code(),
                        absl::StrCat(path, ":", problem.status().message()));
  }
  return problem;
}

std::string WriteDimacs(const FlowProblem& problem, std::string_view comment) {
  std::string out;
  if (!comment.empty()) {
    for (absl::string_view line : absl::StrSplit(
             absl::string_view(comment.data(), comment.size()), '\n')) {
      absl::StrAppend(&out, "c ", line, "\n");
    }
  }
  if (std::find(problem.capacity.begin(), problem.capacity.end(),
                kInfiniteCapacity) != problem.capacity.end()) {
    absl::StrAppend(&out, "c capacity ", kInfiniteCapacity,
                    " means infinite\n");
  }
  absl::StrAppend(&out, "p min ", problem.num_nodes, " ", problem.num_arcs(),
                  "\n");
  for (size_t v = 0; v < problem.supply.size(); ++v) {
    if (problem.supply[v] != 0) {
      absl::StrAppend(&out, "n ", v + 1, " ", problem.supply[v], "\n");
    }
  }
  for (size_t a = 0; a < problem.tail.size(); ++a) {
    absl::StrAppend(&out, "a ", problem.tail[a] + 1, " ", problem.head[a] + 1,
                    " 0 ", problem.capacity[a], " ", problem.cost[a], "\n");
  }
  return out;
}

}  // namespace maillage::flow
