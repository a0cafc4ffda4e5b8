// The services of a region's partners: how many each partner offers, which
// templates of its kind they follow, their themes, publics, mode, zone
// (sectors of CMPs included) and capacities; and the index of the services
// by theme that the people's supports are drawn from.

#ifndef MAILLAGE_SRC_SYNTH_SERVICES_H_
#define MAILLAGE_SRC_SYNTH_SERVICES_H_

#include "synth/region_state.h"

namespace maillage::synth {

// Draws `region.services` services (at least one per partner) into
// `st.services` and their rows. Needs the partners.
void GenerateServices(RegionState& st);
// Builds `st.grid_by_theme` and `st.remote_by_theme` over the services.
void IndexServices(RegionState& st);

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_SERVICES_H_
