// Progress of long calls (Allocate, VerifyPlan, AnalyzeGaps), for progress
// bars and cancellation.
//
// Example:
//   maillage::AllocateOptions o;
//   o.progress = [](absl::string_view stage, int64_t done, int64_t total) {
//     std::cerr << stage << " " << done << "/" << total << "\r";
//     return true;  // false cancels
//   };

#ifndef MAILLAGE_PROGRESS_H_
#define MAILLAGE_PROGRESS_H_

#include <cstdint>
#include <functional>

#include "absl/strings/string_view.h"

namespace maillage {

// Called with the stage of the work ("rank": the options of each need;
// "solve": the flow problem; "explain": the unmatched needs; "verify": the
// checks of a plan) and `done` of `total` units of it (needs; `total` 0 when
// it is not known, as for "solve"). Each stage is reported first with
// done = 0, then at most about 100 times as it goes, and last with
// done = total (done = total = 1 for a stage of unknown length). Always on
// the thread that made the call, never concurrently. Returning false
// cancels the call, which then returns absl::CancelledError soon after. The
// callback must not throw.
using ProgressCallback =
    std::function<bool(absl::string_view stage, int64_t done, int64_t total)>;

}  // namespace maillage

#endif  // MAILLAGE_PROGRESS_H_
