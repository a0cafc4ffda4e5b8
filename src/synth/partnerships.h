// The partnerships of a region: conventions between each site and partners
// near it, cooperations between nearby partners.

#ifndef MAILLAGE_SRC_SYNTH_PARTNERSHIPS_H_
#define MAILLAGE_SRC_SYNTH_PARTNERSHIPS_H_

#include "synth/region_state.h"

namespace maillage::synth {

// Each site: conventions with 5..15 partners, nearer ones more likely.
// Needs the sites, the partners and the partner grid.
void GenerateConventions(RegionState& st);
// Each partner: 0..3 cooperations with partners of the region, nearer ones
// more likely; no self-loop, no pair twice (in either direction).
void GenerateCooperations(RegionState& st);

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_PARTNERSHIPS_H_
