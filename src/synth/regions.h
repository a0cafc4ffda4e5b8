// The regions of a synthetic network: each Convergence territory chosen by
// the options, or each département in national mode, with the numbers of
// sites, people, partners and services it gets. Each region is generated
// from its own random stream.

#ifndef MAILLAGE_SRC_SYNTH_REGIONS_H_
#define MAILLAGE_SRC_SYNTH_REGIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "maillage/synth.h"
#include "synth/geography.h"

namespace maillage::synth {

struct Region {
  std::string name;  // territory of its sites, prefix of its ids
  std::vector<std::string> departements;
  std::vector<int32_t> communes;  // located communes of its départements
  double centre_lat = 0, centre_lng = 0;
  bool national = false;
  int64_t sites = 0, persons = 0, partners = 0, services = 0;
};

// A finite scale > 0.
bool ScaleOk(double scale);

// The territories of `o.territories` (all 8 when empty), in that order.
// InvalidArgument for an unknown or repeated territory or too many people.
absl::StatusOr<std::vector<Region>> TerritoryRegions(const SynthOptions& o,
                                                     const Geography& g);
// One region per département of `g`, people apportioned by unemployment and
// services by population. InvalidArgument for too many people.
absl::StatusOr<std::vector<Region>> NationalRegions(const SynthOptions& o,
                                                    const Geography& g);

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_REGIONS_H_
