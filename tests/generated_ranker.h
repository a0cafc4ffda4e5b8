// The ranker of a generated network (maillage::Generate), for tests on
// realistic territories.

#ifndef MAILLAGE_TESTS_GENERATED_RANKER_H_
#define MAILLAGE_TESTS_GENERATED_RANKER_H_

#include <utility>

#include "absl/status/statusor.h"
#include "maillage/rank.h"
#include "maillage/synth.h"

namespace maillage::testing_networks {

// The ranker holds the network (Ranker::network()). Default options: all
// Convergence territories, seed 1.
inline absl::StatusOr<Ranker> GeneratedRanker(
    const SynthOptions& options = {}) {
  absl::StatusOr<Network> net = Generate(options);
  if (!net.ok()) return net.status();
  return Ranker::Create(*std::move(net));
}

}  // namespace maillage::testing_networks

#endif  // MAILLAGE_TESTS_GENERATED_RANKER_H_
