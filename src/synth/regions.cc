// The Convergence territories compiled into the library, and the regions a
// synthetic network is generated in (see docs/synth.md for the numbers).

#include "synth/regions.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/csv.h"
#include "base/text.h"
#include "base/text.h"
#include "data/embedded.h"
#include "maillage/geo.h"
#include "maillage/synth.h"
#include "synth/geography.h"
#include "synth/random.h"

namespace maillage {
namespace {

std::vector<TerritoryInfo> ParseTerritories() {
  const absl::string_view text = data::TerritoriesCsv();
  base::CsvTable table =
      base::ParseCsv(std::string_view(text.data(), text.size()));
  std::vector<TerritoryInfo> out;
  // Columns: territory,center_insee_com,departements,sites,persons. The file
  // is part of the library; a malformed row would be a packaging defect and
  // is skipped (the tests check the 8 territories).
  for (size_t i = 1; i < table.records.size(); ++i) {
    const std::vector<std::string>& f = table.records[i].fields;
    if (table.bad[i] || f.size() != 5) continue;
    TerritoryInfo t;
    t.name = f[0];
    t.center_insee_com = f[1];
    for (absl::string_view d : absl::StrSplit(f[2], '|', absl::SkipEmpty())) {
      t.departements.emplace_back(d);
    }
    if (!absl::SimpleAtoi(f[3], &t.sites) ||
        !absl::SimpleAtoi(f[4], &t.persons) || t.name.empty()) {
      continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

absl::Span<const TerritoryInfo> ConvergenceTerritories() {
  static const std::vector<TerritoryInfo>* const territories =
      new std::vector<TerritoryInfo>(ParseTerritories());
  return *territories;
}

namespace synth {
namespace {

// Model parameters (see docs/synth.md).
constexpr double kMaxPersons = 10'000'000;
constexpr double kNationalPersons = 150'000;
constexpr double kNationalServices = 50'000;
constexpr double kPersonsPerNationalSite = 35;
constexpr double kPersonsPerService = 3.0;
constexpr double kServicesPerPartner = 2.5;

int64_t PartnersFor(int64_t services) {
  return std::max<int64_t>(
      1, std::llround(static_cast<double>(services) / kServicesPerPartner));
}

// Located communes of `deps`, in commune order.
std::vector<int32_t> CommunesOf(const Geography& g,
                                const std::vector<std::string>& deps) {
  std::vector<int32_t> out;
  for (const std::string& d : deps) {
    const int i = g.DepIndex(d);
    if (i < 0) continue;
    const auto& list = g.communes_of[static_cast<size_t>(i)];
    out.insert(out.end(), list.begin(), list.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

int32_t MostPopulous(const Geography& g, const std::vector<int32_t>& communes) {
  int32_t best = communes.front();
  for (int32_t c : communes) {
    if (g.communes[static_cast<size_t>(c)].population >
        g.communes[static_cast<size_t>(best)].population) {
      best = c;
    }
  }
  return best;
}

// The territories named by the options (all when none), in their order.
absl::StatusOr<std::vector<const TerritoryInfo*>> ChosenTerritories(
    const SynthOptions& o) {
  absl::Span<const TerritoryInfo> all = ConvergenceTerritories();
  std::vector<const TerritoryInfo*> chosen;
  if (o.territories.empty()) {
    for (const TerritoryInfo& t : all) chosen.push_back(&t);
    return chosen;
  }
  for (const std::string& name : o.territories) {
    auto it = std::find_if(all.begin(), all.end(), [&](const TerritoryInfo& t) {
      return t.name == name;
    });
    if (it == all.end()) {
      std::vector<std::string> names;
      for (const TerritoryInfo& t : all) names.push_back(t.name);
      return absl::InvalidArgumentError(
          absl::StrCat("unknown territory ", base::Quoted(name),
                       " (known: ", absl::StrJoin(names, ", "), ")"));
    }
    if (std::find(chosen.begin(), chosen.end(), &*it) != chosen.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "territory ", base::Quoted(name), " is listed more than once"));
    }
    chosen.push_back(&*it);
  }
  return chosen;
}

// The territory's central commune; when the table lacks it (or its
// location), the most populous commune of the region.
void SetCentre(const TerritoryInfo& t, const Geography& g, Region* r) {
  const Commune* centre = FindCommune(t.center_insee_com);
  if (centre != nullptr && centre->has_location) {
    r->centre_lat = centre->lat;
    r->centre_lng = centre->lng;
    return;
  }
  const Commune& big =
      g.communes[static_cast<size_t>(MostPopulous(g, r->communes))];
  r->centre_lat = big.lat;
  r->centre_lng = big.lng;
}

}  // namespace

bool ScaleOk(double scale) { return std::isfinite(scale) && scale > 0; }

absl::StatusOr<std::vector<Region>> TerritoryRegions(const SynthOptions& o,
                                                     const Geography& g) {
  absl::StatusOr<std::vector<const TerritoryInfo*>> chosen =
      ChosenTerritories(o);
  if (!chosen.ok()) return chosen.status();
  double total = 0;
  for (const TerritoryInfo* t : *chosen) total += t->persons * o.scale;
  if (total > kMaxPersons) {
    return absl::InvalidArgumentError(
        absl::StrCat("scale ", o.scale, " gives about ", std::llround(total),
                     " people, more than the limit of 10,000,000"));
  }
  std::vector<Region> regions;
  for (const TerritoryInfo* t : *chosen) {
    Region r;
    r.name = t->name;
    r.departements = t->departements;
    std::sort(r.departements.begin(), r.departements.end());
    r.communes = CommunesOf(g, r.departements);
    if (r.communes.empty()) {
      return absl::InternalError(
          absl::StrCat("territory '", t->name, "' has no located commune"));
    }
    SetCentre(*t, g, &r);
    r.sites = std::max<int64_t>(1, std::llround(t->sites * o.scale));
    r.persons = std::llround(t->persons * o.scale);
    r.services = std::max<int64_t>(
        1, std::llround(static_cast<double>(r.persons) / kPersonsPerService));
    r.partners = std::min(r.services, PartnersFor(r.services));
    regions.push_back(std::move(r));
  }
  return regions;
}

absl::StatusOr<std::vector<Region>> NationalRegions(const SynthOptions& o,
                                                    const Geography& g) {
  if (kNationalPersons * o.scale > kMaxPersons) {
    return absl::InvalidArgumentError(
        absl::StrCat("scale ", o.scale, " gives about ",
                     std::llround(kNationalPersons * o.scale),
                     " people, more than the limit of 10,000,000"));
  }
  const size_t nd = g.departements.size();
  std::vector<double> unemployed(nd, 0), population(nd, 0);
  for (size_t d = 0; d < nd; ++d) {
    for (int32_t c : g.communes_of[d]) {
      unemployed[d] +=
          static_cast<double>(g.communes[static_cast<size_t>(c)].unemployed);
      population[d] +=
          static_cast<double>(g.communes[static_cast<size_t>(c)].population);
    }
  }
  const std::vector<int64_t> persons =
      Apportion(std::llround(kNationalPersons * o.scale), unemployed);
  const std::vector<int64_t> services =
      Apportion(std::llround(kNationalServices * o.scale), population);
  std::vector<Region> regions;
  for (size_t d = 0; d < nd; ++d) {
    Region r;
    r.name = absl::StrCat("dep-", g.departements[d]);
    r.departements = {g.departements[d]};
    r.communes = g.communes_of[d];
    r.national = true;
    const Commune& big =
        g.communes[static_cast<size_t>(MostPopulous(g, r.communes))];
    r.centre_lat = big.lat;
    r.centre_lng = big.lng;
    r.persons = persons[d];
    r.sites = std::max<int64_t>(1, std::llround(static_cast<double>(r.persons) /
                                                kPersonsPerNationalSite));
    r.services = std::max<int64_t>(1, services[d]);
    r.partners = std::min(r.services, PartnersFor(r.services));
    regions.push_back(std::move(r));
  }
  return regions;
}

}  // namespace synth
}  // namespace maillage
