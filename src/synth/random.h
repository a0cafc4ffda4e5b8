// Portable random draws for the synthetic network generator.
//
// The generator must give the same network for the same seed on every
// platform, so it does not use the <random> distributions (their algorithms
// are unspecified and differ between standard libraries): only the raw
// std::mt19937_64 engine, whose output is fixed by the standard, and the
// small draws below.
//
// Not thread-safe (an Rng is a mutable engine); use one per thread.

#ifndef MAILLAGE_SRC_SYNTH_RANDOM_H_
#define MAILLAGE_SRC_SYNTH_RANDOM_H_

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace maillage::synth {

// SplitMix64 finaliser: a bijective mix of 64 bits.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a hash of a string (stable across platforms, unlike std::hash).
inline uint64_t StableHash(absl::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }

  // Uniform in [0, 1), 53 random bits.
  double Uniform01() {
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  }
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform01(); }
  // Uniform integer in [lo, hi] (inclusive), unbiased (rejection).
  int64_t UniformInt(int64_t lo, int64_t hi) {
    assert(lo <= hi);
    const uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
    if (range == 0) return static_cast<int64_t>(engine_());  // full 64 bits
    const uint64_t limit = std::numeric_limits<uint64_t>::max() -
                           std::numeric_limits<uint64_t>::max() % range;
    uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return lo + static_cast<int64_t>(x % range);
  }
  bool Bernoulli(double p) { return Uniform01() < p; }
  // Exponential(1) variate, >= 0.
  double Exponential() { return -std::log1p(-Uniform01()); }

  // Index i with probability weights[i] / sum (weights >= 0, sum > 0).
  // O(n); for repeated draws from the same weights use CumulativeWeights.
  size_t Weighted(absl::Span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    assert(total > 0);
    const double u = Uniform01() * total;
    double acc = 0;
    size_t last_positive = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (weights[i] <= 0) continue;
      acc += weights[i];
      last_positive = i;
      if (u < acc) return i;
    }
    return last_positive;  // rounding at the very end
  }

  // Fisher-Yates shuffle.
  template <typename T>
  void Shuffle(std::vector<T>* v) {
    for (size_t i = v->size(); i > 1; --i) {
      const size_t j =
          static_cast<size_t>(UniformInt(0, static_cast<int64_t>(i) - 1));
      std::swap((*v)[i - 1], (*v)[j]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

// Cumulative sums of weights for O(log n) weighted draws.
class CumulativeWeights {
 public:
  CumulativeWeights() = default;
  explicit CumulativeWeights(absl::Span<const double> weights) {
    cum_.reserve(weights.size());
    double acc = 0;
    for (double w : weights) {
      acc += w > 0 ? w : 0;
      cum_.push_back(acc);
    }
  }
  double total() const { return cum_.empty() ? 0 : cum_.back(); }
  size_t size() const { return cum_.size(); }
  // Precondition: total() > 0. Never returns an index of weight 0.
  size_t Draw(Rng& rng) const {
    assert(total() > 0);
    const double u = rng.Uniform01() * total();
    auto it = std::upper_bound(cum_.begin(), cum_.end(), u);
    if (it == cum_.end()) {  // u rounded up to the total
      it = std::lower_bound(cum_.begin(), cum_.end(), total());
    }
    return static_cast<size_t>(it - cum_.begin());
  }

 private:
  std::vector<double> cum_;
};

// Splits `total` into integer parts proportional to `weights` (largest
// remainder method, ties to the lower index): the parts sum to `total`.
inline std::vector<int64_t> Apportion(int64_t total,
                                      absl::Span<const double> weights) {
  std::vector<int64_t> parts(weights.size(), 0);
  double sum = 0;
  for (double w : weights) sum += w > 0 ? w : 0;
  if (weights.empty() || total <= 0) return parts;
  if (sum <= 0) {  // no information: spread evenly
    for (size_t i = 0; i < parts.size(); ++i) {
      parts[i] =
          total / static_cast<int64_t>(parts.size()) +
          (static_cast<int64_t>(i) < total % static_cast<int64_t>(parts.size())
               ? 1
               : 0);
    }
    return parts;
  }
  std::vector<std::pair<double, size_t>> remainders;
  remainders.reserve(weights.size());
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double exact =
        static_cast<double>(total) * (weights[i] > 0 ? weights[i] : 0) / sum;
    parts[i] = static_cast<int64_t>(std::floor(exact));
    given += parts[i];
    remainders.push_back({exact - static_cast<double>(parts[i]), i});
  }
  std::stable_sort(
      remainders.begin(), remainders.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < total && k < remainders.size(); ++k, ++given) {
    ++parts[remainders[k].second];
  }
  // Floating rounding could leave a few units: give them in order.
  for (size_t i = 0; given < total; i = (i + 1) % parts.size(), ++given) {
    ++parts[i];
  }
  return parts;
}

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_RANDOM_H_
