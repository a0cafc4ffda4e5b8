// Geography: great-circle distances and the embedded table of French communes.
//
// The commune table (34,931 communes, INSEE Code officiel géographique 2024,
// 2021 census population and unemployment, coordinates of the Base officielle
// des codes postaux; Licence Ouverte 2.0) is compiled into the library. It
// places a person at their commune's centre when no coordinates are given, and
// it feeds the synthetic network generator.
//
// Example:
//   const maillage::Commune* lyon = maillage::FindCommune("69123");
//   double km = maillage::GreatCircleKm(lyon->lat, lyon->lng, 45.0, 4.8);
//
// Thread-safe; the table is built once on first use.

#ifndef MAILLAGE_GEO_H_
#define MAILLAGE_GEO_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace maillage {

// Mean Earth radius used by `GreatCircleKm`.
inline constexpr double kEarthRadiusKm = 6371.0088;

// Haversine distance in kilometres between two points given in degrees.
double GreatCircleKm(double lat1, double lng1, double lat2, double lng2);

struct Commune {
  std::string insee_com;  // 5 characters, e.g. "69123", "2A004"
  std::string insee_dep;  // "69", "2A", "971"
  std::string name;
  bool has_location = false;  // a few communes have no coordinates
  double lat = 0;
  double lng = 0;
  int64_t population = 0;  // 2021 census
  int64_t unemployed = 0;  // unemployed aged 15-64, 2021 census
};

// All communes, sorted by `insee_com`.
absl::Span<const Commune> Communes();
// nullptr when the code is not in the table. O(log n).
const Commune* FindCommune(absl::string_view insee_com);
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
