// Geography: great-circle distances and the embedded tables of French
// communes and EPCI.
//
// The commune table (data/communes.csv: the 34,875 current communes of the
// 2026 Code officiel géographique and the 45 municipal arrondissements of
// Paris, Lyon and Marseille; 2021 census population and unemployment;
// coordinates of La Poste's Base officielle des codes postaux; postal codes,
// EPCI and former codes of merged communes from @etalab/decoupage-
// administratif; Licence Ouverte 2.0, see data/README.md) is compiled into
// the library. It places a person at their commune's centre when no
// coordinates are given, resolves zones (`zone_eligibilite`: commune,
// arrondissement, EPCI, département), maps former codes to current communes,
// and feeds the synthetic network generator.
//
// Paris (75056), Lyon (69123) and Marseille (13055) are communes whose
// arrondissements are rows of their own (`parent` = the city); the city's
// centre is the population-weighted centre of its arrondissements, and its
// census figures are its arrondissements' (`has_arrondissements`: count them
// once).
//
// Example:
//   const maillage::Commune* lyon = maillage::FindCommune("69123");
//   double km = maillage::GreatCircleKm(lyon->lat, lyon->lng, 45.0, 4.8);
//   const maillage::Commune* now = maillage::FindFormerCommune("01330");
//
// Thread-safe; the table is built once on first use.

#ifndef MAILLAGE_GEO_H_
#define MAILLAGE_GEO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace maillage {

// Mean Earth radius used by `GreatCircleKm`.
inline constexpr double kEarthRadiusKm = 6371.0088;

// Haversine distance in kilometres between two points given in degrees.
double GreatCircleKm(double lat1, double lng1, double lat2, double lng2);

enum class CommuneType : uint8_t {
  kCommune,         // a current commune (Paris, Lyon, Marseille included)
  kArrondissement,  // a municipal arrondissement of Paris, Lyon or Marseille
};

struct Commune {
  std::string insee_com;  // 5 characters, e.g. "69123", "2A004"
  std::string insee_dep;  // "69", "2A", "971"
  std::string insee_reg;  // "84"
  std::string name;
  CommuneType type = CommuneType::kCommune;
  std::string parent;  // an arrondissement's city (75056...), else empty
  bool has_arrondissements = false;  // 75056, 69123, 13055
  bool has_location = false;         // a few communes have no coordinates
  double lat = 0;
  double lng = 0;
  // The 2021 census figures (summed over the communes merged since). When
  // the census has none (`census` false: the arrondissements, the three
  // cities, communes split since 2024), `population` is the legal population
  // of the 2026 COG and `unemployed` is 0.
  bool census = true;
  int64_t population = 0;
  int64_t unemployed = 0;  // unemployed aged 15-64
  std::string epci;        // SIREN of its EPCI (an arrondissement: its city's)
  std::vector<std::string> postal_codes;  // sorted
  std::vector<std::string> former_codes;  // codes of communes merged into it
};

// All communes and arrondissements, sorted by `insee_com`.
absl::Span<const Commune> Communes();
// nullptr when the code is not a current commune or arrondissement. O(log n).
const Commune* FindCommune(absl::string_view insee_com);
// The current commune that a former code (a commune merged into another,
// déléguée or associée) now belongs to; nullptr when `code` is not a former
// code (a current code is not one). O(log n).
const Commune* FindFormerCommune(absl::string_view code);
// The communes a postal code serves, sorted by code (a postal code often
// serves several communes, and a commune may have several postal codes);
// empty when the code is unknown. Paris, Lyon and Marseille: their
// arrondissements, not the city. O(log n).
std::vector<const Commune*> CommunesOfPostalCode(absl::string_view postal_code);

// An EPCI à fiscalité propre (métropole, communauté urbaine, d'agglomération
// or de communes), as data·inclusion writes it in `zone_eligibilite`: its
// 9-digit SIREN.
struct Epci {
  std::string siren;
  std::string name;
  std::string type;                   // "METRO", "MET69", "CU", "CA", "CC"
  std::vector<std::string> communes;  // member communes, sorted
};
// All 1,255 EPCI, sorted by SIREN.
absl::Span<const Epci> Epcis();
// nullptr when unknown. O(log n).
const Epci* FindEpci(absl::string_view siren);
// True for 9 digits (the syntax of a SIREN).
bool IsSirenCode(absl::string_view code);
// The city of a municipal arrondissement code (75101..75120 -> "75056",
// 69381..69389 -> "69123", 13201..13216 -> "13055"), else empty. O(1),
// no table lookup.
absl::string_view CityOfArrondissement(absl::string_view insee_com);
// The départements of a region code ("84"), sorted; empty when unknown.
std::vector<std::string> DepartementsOfRegion(absl::string_view insee_reg);
// True for a syntactically valid commune code: 5 characters, digits, or
// "2A"/"2B" followed by 3 digits.
bool IsCommuneCode(absl::string_view code);
// True for a département code: "01".."95" (2 digits), "2A", "2B", "971".."976".
bool IsDepartementCode(absl::string_view code);
// The département of a valid commune code: its first 3 characters for
// overseas communes ("97x"), else its first 2.
std::string DepartementOf(absl::string_view insee_com);

}  // namespace maillage

#endif  // MAILLAGE_GEO_H_
