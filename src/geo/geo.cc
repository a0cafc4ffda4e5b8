#include "maillage/geo.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "data/embedded.h"
#include "base/cells.h"
#include "base/csv.h"

namespace maillage {
namespace {

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

std::vector<Commune> LoadCommunes() {
  const absl::string_view text = data::CommunesCsv();
  base::CsvTable table = base::ParseCsv(std::string_view(text.data(), text.size()));
  std::vector<Commune> out;
  out.reserve(table.records.size());
  // Columns: insee_com,insee_dep,insee_reg,name,lat,lng,population_2021,
  // unemployed_15_64_2021. The embedded file is checked by tests; a bad row
  // here would be a packaging defect, so it is skipped rather than fatal.
  for (size_t i = 1; i < table.records.size(); ++i) {
    const auto& f = table.records[i].fields;
    if (table.bad[i] || f.size() != 8) continue;
    Commune c;
    c.insee_com = f[0];
    c.insee_dep = f[1];
    c.name = f[3];
    c.has_location =
        base::ParseNumber(f[4], &c.lat) && base::ParseNumber(f[5], &c.lng);
    if (!c.has_location) c.lat = c.lng = 0;
    base::ParseInteger(f[6], &c.population);
    base::ParseInteger(f[7], &c.unemployed);
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Commune& a, const Commune& b) {
    return a.insee_com < b.insee_com;
  });
  return out;
}

}  // namespace

double GreatCircleKm(double lat1, double lng1, double lat2, double lng2) {
  const double p1 = lat1 * kDegToRad, p2 = lat2 * kDegToRad;
  const double dp = p2 - p1, dl = (lng2 - lng1) * kDegToRad;
  const double s1 = std::sin(dp / 2), s2 = std::sin(dl / 2);
  const double a = s1 * s1 + std::cos(p1) * std::cos(p2) * s2 * s2;
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

absl::Span<const Commune> Communes() {
  static const std::vector<Commune>* const communes =
      new std::vector<Commune>(LoadCommunes());
  return *communes;
}

const Commune* FindCommune(absl::string_view insee_com) {
  absl::Span<const Commune> all = Communes();
  auto it = std::lower_bound(all.begin(), all.end(), insee_com,
                             [](const Commune& c, absl::string_view code) {
                               return c.insee_com < code;
                             });
  if (it == all.end() || it->insee_com != insee_com) return nullptr;
  return &*it;
}

bool IsCommuneCode(absl::string_view code) {
  if (code.size() != 5) return false;
  size_t start = 0;
  if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) start = 2;
  for (size_t i = start; i < 5; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(code[i]))) return false;
  }
  return true;
}

bool IsDepartementCode(absl::string_view code) {
  if (code == "2A" || code == "2B") return true;
  if (code.size() == 2) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(code[0])) ||
        !absl::ascii_isdigit(static_cast<unsigned char>(code[1]))) {
      return false;
    }
    return code != "00" && code != "20" && code < "96";
  }
  if (code.size() == 3) {
    return code >= "971" && code <= "976" && code != "975";
  }
  return false;
}

std::string DepartementOf(absl::string_view insee_com) {
  if (insee_com.size() >= 3 && insee_com.substr(0, 2) == "97") {
    return std::string(insee_com.substr(0, 3));
  }
  return std::string(insee_com.substr(0, 2));
}

}  // namespace maillage
