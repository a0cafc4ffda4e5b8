// libFuzzer target: events files (maillage/journal.h) read and applied to a
// journal of the test corpus's valid network. Invariants: no crash; every
// record gives one event or at least one problem, never both; the lines and
// records of events and problems are those of the input; after the events
// (applied or rejected), the session's plan passes its certificate and
// costs what a full re-solve costs, and the journal reopened from its
// snapshot gives the same plan.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "maillage/io.h"
#include "maillage/journal.h"

namespace {

const maillage::Network& ValidNetwork() {
  static const maillage::Network* net = [] {
    const char* dir = std::getenv("MAILLAGE_FUZZ_NETWORK");
    absl::StatusOr<maillage::Network> n = maillage::LoadFolderStrict(
        dir != nullptr ? dir : "tests/testdata/valid");
    if (!n.ok()) std::abort();
    return new maillage::Network(*std::move(n));
  }();
  return *net;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<maillage::EventFile> f =
      maillage::ParseEvents(absl::string_view(text.data(), text.size()));
  if (!f.ok()) return 0;
  if (f->events.size() != f->lines.size() ||
      f->events.size() != f->records.size()) {
    std::abort();
  }
  std::set<int64_t> with_problems;
  for (const maillage::EventLineProblem& p : f->problems) {
    if (p.line < 1 || p.record < 0) std::abort();
    with_problems.insert(p.record);
  }
  for (int64_t r : f->records) {
    if (with_problems.count(r) != 0) std::abort();
  }
  if (f->events.empty()) return 0;
  maillage::JournalOptions o;
  o.sync_each_event = false;
  absl::StatusOr<maillage::Journal> j =
      maillage::Journal::Create(":memory:", ValidNetwork(), o);
  if (!j.ok()) std::abort();
  for (const maillage::SessionEvent& e : f->events) {
    absl::StatusOr<maillage::EventOutcome> r = j->Apply(e);
    if (!r.ok() && !absl::IsInvalidArgument(r.status()) &&
        !absl::IsFailedPrecondition(r.status())) {
      std::abort();
    }
  }
  const maillage::AllocationSession& s = j->session();
  if (!s.Verify().ok()) std::abort();
  absl::StatusOr<int64_t> full = s.FullResolveCost();
  if (!full.ok() || *full != s.objective().flow_cost) std::abort();
  absl::StatusOr<maillage::AllocationSession> again =
      maillage::AllocationSession::FromSnapshot(
          maillage::Ranker::Create(ValidNetwork()).value(), s.Snapshot());
  if (!again.ok() || again->objective().flow_cost != s.objective().flow_cost) {
    std::abort();
  }
  for (int32_t n = 0; n < s.num_needs(); ++n) {
    if (again->assignment(maillage::NeedId(n)) !=
        s.assignment(maillage::NeedId(n))) {
      std::abort();
    }
  }
  return 0;
}
