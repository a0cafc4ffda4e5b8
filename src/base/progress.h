// Reporting one stage of a long call to a ProgressCallback, at most about
// 100 times. Private.

#ifndef MAILLAGE_BASE_PROGRESS_H_
#define MAILLAGE_BASE_PROGRESS_H_

#include <cstdint>
#include <string>

#include "maillage/progress.h"

namespace maillage::base {

class StageProgress {
 public:
  // Reports (stage, 0, total) when `callback` is set. total 0 = unknown.
  StageProgress(const ProgressCallback& callback, absl::string_view stage,
                int64_t total)
      : callback_(callback), stage_(stage), total_(total) {
    step_ = total > 100 ? total / 100 : 1;
    next_ = step_;
    Call(0);
  }

  // `done` units so far; false once the callback asked to cancel.
  bool Update(int64_t done) {
    if (done >= next_ && done < total_) {
      next_ = done + step_;
      Call(done);
    }
    return !cancelled_;
  }

  // The last report; false when cancelled.
  bool Finish() {
    if (total_ == 0) {
      Call(1, 1);
    } else {
      Call(total_);
    }
    return !cancelled_;
  }

  bool cancelled() const { return cancelled_; }

 private:
  void Call(int64_t done) { Call(done, total_); }
  void Call(int64_t done, int64_t total) {
    if (callback_ && !cancelled_ && !callback_(stage_, done, total)) {
      cancelled_ = true;
    }
  }

  const ProgressCallback& callback_;
  std::string stage_;
  int64_t total_;
  int64_t step_;
  int64_t next_;
  bool cancelled_ = false;
};

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_PROGRESS_H_
