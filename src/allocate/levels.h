// The objective levels of a set of assignments (maillage/allocate.h,
// PlanObjective). Private.

#ifndef MAILLAGE_SRC_ALLOCATE_LEVELS_H_
#define MAILLAGE_SRC_ALLOCATE_LEVELS_H_

#include <vector>

#include "maillage/allocate.h"
#include "maillage/network.h"

namespace maillage::allocate {

// Counts over the needs of `network` and `assignments` (one per covered
// need, pinned supports included); total_score_scaled rounds the scores
// with `scaling` (0 when its score_scale is 0). flow_cost is left 0.
// O(needs).
PlanObjective Levels(const Network& network, const PlanScaling& scaling,
                     const std::vector<Assignment>& assignments);

}  // namespace maillage::allocate

#endif  // MAILLAGE_SRC_ALLOCATE_LEVELS_H_
