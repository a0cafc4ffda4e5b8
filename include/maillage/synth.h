// A synthetic Convergence network, deterministic from a seed.
//
// The 8 Convergence territories (sites and people as published in 2022) are
// placed on real communes: sites in the territory's départements near its
// centre, people's home communes weighted by unemployment near their site,
// partners and services weighted by population. Partners are of realistic
// kinds (CHRS, CHU, SIAO, CMP, CSAPA, CPAM, CAF, mission locale, France
// Travail, CCAS, social driving schools, French courses, ...), each with
// services whose themes, publics, zones and capacities follow its kind; some
// themes are scarce, some services full, and some people have needs no local
// partner serves. The distributions and their reasons: docs/synth.md.
//
// `scale` multiplies the numbers of sites, people, partners and services.
// `national` covers every département with located communes (metropolitan
// and overseas) instead of the 8 territories, each a territory `dep-XX`:
// about 150,000 people and 50,000 services at scale 1. The commune table has
// no row for Paris, Lyon and Marseille (listed by arrondissement in the
// census), so there is no `dep-75` and those cities' territories live in the
// surrounding communes.
//
// Example:
//   maillage::SynthOptions o;
//   o.territories = {"lyon"};
//   o.scale = 80;  // a département-sized network, ~20,000 people
//   absl::StatusOr<maillage::Network> net = maillage::Generate(o);

#ifndef MAILLAGE_SYNTH_H_
#define MAILLAGE_SYNTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "maillage/network.h"

namespace maillage {

// One Convergence territory (`data/convergence-territories.csv`).
struct TerritoryInfo {
  std::string name;              // "lyon"
  std::string center_insee_com;  // central commune
  std::vector<std::string> departements;
  int32_t sites = 0;
  int32_t persons = 0;
};
// The 8 territories, as compiled into the library.
absl::Span<const TerritoryInfo> ConvergenceTerritories();

struct SynthOptions {
  // Territory names; empty = all 8. Ignored when `national`.
  std::vector<std::string> territories;
  bool national = false;
  uint64_t seed = 1;
  double scale = 1.0;  // > 0
};

// InvalidArgument for an unknown territory or a scale <= 0 or too large
// (more than 10 million people).
absl::StatusOr<Network> Generate(const SynthOptions& options);

// The rows `Generate` builds its network from (the same validation of the
// options). Deterministic: the same options give the same rows. Each
// territory (or département in national mode) draws from its own stream,
// seeded by the seed and the territory's name, so a territory is the same
// whether it is generated alone or with others.
absl::StatusOr<NetworkRows> GenerateRows(const SynthOptions& options);

}  // namespace maillage

#endif  // MAILLAGE_SYNTH_H_
