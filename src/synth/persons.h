// The people of a region, with their needs and their current and past
// supports: people spread over the sites and live near them, weighted by
// unemployment; their publics and age shape their needs; a share of needs
// has a support at an eligible service nearby (the ranker's own publics,
// zone and age filters, rank/eligibility.h).

#ifndef MAILLAGE_SRC_SYNTH_PERSONS_H_
#define MAILLAGE_SRC_SYNTH_PERSONS_H_

#include "synth/region_state.h"

namespace maillage::synth {

// Draws `region.persons` people and the rows of their needs and supports.
// Needs the sites and the service index.
void GeneratePersons(RegionState& st);

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_PERSONS_H_
