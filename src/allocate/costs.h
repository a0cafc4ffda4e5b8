// The costs of the arcs of the allocation's flow problem, from the level
// weights (maillage/allocate.h, PlanScaling): the one place that turns the
// objective's levels into costs, for the model, the session and the checks.

#ifndef MAILLAGE_SRC_ALLOCATE_COSTS_H_
#define MAILLAGE_SRC_ALLOCATE_COSTS_H_

#include <cmath>
#include <cstdint>

#include "maillage/allocate.h"

namespace maillage::allocate {

// A score as it enters level 4: rounded to 1 / score_scale.
inline int64_t ScaledScore(const PlanScaling& s, double score) {
  return std::llround(score * static_cast<double>(s.score_scale));
}

// source -> person, the arc that covers the person's first need.
inline int64_t PersonBonusCost(const PlanScaling& s) {
  return -s.person_weight;
}

// person -> need.
inline int64_t NeedCost(const PlanScaling& s, int32_t urgency) {
  return -(s.need_weight + (urgency - 1) * s.urgency_weight);
}

// need -> service, for an option of this score.
inline int64_t OptionCost(const PlanScaling& s, double score) {
  return -ScaledScore(s, score);
}

}  // namespace maillage::allocate

#endif  // MAILLAGE_SRC_ALLOCATE_COSTS_H_
