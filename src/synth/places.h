// The sites and partners of a region. Sites gather around the territory's
// centre; partners follow the population, institutions in towns, with one
// SIAO or MDPH per département at most; each partner is of a kind of
// partner_kinds.h.

#ifndef MAILLAGE_SRC_SYNTH_PLACES_H_
#define MAILLAGE_SRC_SYNTH_PLACES_H_

#include "synth/region_state.h"

namespace maillage::synth {

// Draws `region.sites` sites into `st.sites` and their rows.
void GenerateSites(RegionState& st);
// Draws `region.partners` partners into `st.partners` (with their kinds and
// names) and their rows: first one of each core kind, then kinds by weight.
void GeneratePartners(RegionState& st);
// Builds `st.partner_grid` over the partners.
void IndexPartners(RegionState& st);

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_PLACES_H_
