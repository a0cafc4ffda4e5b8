// The rows of a synthetic network, before validation by NetworkBuilder.
//
// `Generate` (maillage/synth.h) is `GenerateRows` followed by a
// NetworkBuilder; the rows are exposed here for benchmarks (generation time
// apart from validation) and tests that look at the raw rows.

#ifndef MAILLAGE_SRC_SYNTH_SYNTH_ROWS_H_
#define MAILLAGE_SRC_SYNTH_SYNTH_ROWS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "maillage/network.h"
#include "maillage/synth.h"

namespace maillage::synth {

struct SynthRows {
  std::vector<SiteRow> sites;
  std::vector<PartnerRow> partners;
  std::vector<ServiceRow> services;
  std::vector<PersonRow> persons;
  std::vector<NeedRow> needs;
  std::vector<SupportRow> supports;
  std::vector<PartnershipRow> partnerships;
};

// Validates the options (see `Generate`) and generates every row.
// Deterministic: the same options give the same rows. Each territory (or
// département in national mode) draws from its own stream, seeded by the seed
// and the territory's name, so a territory is the same whether it is
// generated alone or with others.
absl::StatusOr<SynthRows> GenerateRows(const SynthOptions& options);

// Adds every row to `builder`, in table order (moves the rows out).
void AddRows(SynthRows rows, NetworkBuilder* builder);

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_SYNTH_ROWS_H_
