// Work split in blocks and run on several threads, the caller's among them.
// Private.

#ifndef MAILLAGE_BASE_PARALLEL_H_
#define MAILLAGE_BASE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace maillage::base {

// The threads that ForEachBlock runs for `num_blocks` blocks: `threads`, or
// the hardware's when <= 0, at least 1 and at most num_blocks.
inline int32_t BlockThreads(int32_t threads, int32_t num_blocks) {
  if (threads <= 0) {
    threads = static_cast<int32_t>(std::thread::hardware_concurrency());
  }
  return std::clamp(threads, 1, std::max(1, num_blocks));
}

// Calls work(block, thread) once for each block in [0, num_blocks), on
// BlockThreads(threads, num_blocks) threads numbered from 0, thread 0 being
// the caller: each thread takes the next block nobody has taken. Once a call
// returns false, no thread takes another block. Returns when every thread is
// done. `work` must be safe to run concurrently on distinct blocks; a
// result that does not depend on the number of threads is the caller's to
// arrange (one output per block, or per thread and then combined).
template <typename F>
void ForEachBlock(int32_t num_blocks, int32_t threads, F&& work) {
  std::atomic<int32_t> next{0};
  std::atomic<bool> stop{false};
  auto run = [&](int32_t thread) {
    for (int32_t b = next++; b < num_blocks && !stop; b = next++) {
      if (!work(b, thread)) stop = true;
    }
  };
  const int32_t n = BlockThreads(threads, num_blocks);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(n - 1));
  for (int32_t t = 1; t < n; ++t) pool.emplace_back(run, t);
  run(0);
  for (std::thread& t : pool) t.join();
}

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_PARALLEL_H_
