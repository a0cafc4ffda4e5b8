#include "maillage/geo.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "data/embedded.h"
#include "base/cells.h"
#include "base/csv.h"

namespace maillage {
namespace {

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

std::vector<std::string> SplitList(const std::string& cell) {
  std::vector<std::string> out;
  if (cell.empty()) return out;
  for (absl::string_view item : absl::StrSplit(cell, '|')) {
    out.emplace_back(item);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The columns of data/communes.csv (scripts/make_communes.py).
enum CommuneColumn {
  kInseeCom, kInseeDep, kInseeReg, kName, kLat, kLng, kPopulation2021,
  kUnemployed2021, kPopulationCog, kType, kParent, kEpciSiren, kPostalCodes,
  kFormerCodes, kNumCommuneColumns
};

std::vector<Commune> LoadCommunes() {
  const absl::string_view text = data::CommunesCsv();
  base::CsvTable table =
      base::ParseCsv(std::string_view(text.data(), text.size()));
  std::vector<Commune> out;
  out.reserve(table.records.size());
  // The embedded file is checked by tests; a bad row here would be a
  // packaging defect, so it is skipped rather than fatal.
  for (size_t i = 1; i < table.records.size(); ++i) {
    const auto& f = table.records[i].fields;
    if (table.bad[i] || f.size() != kNumCommuneColumns) continue;
    Commune c;
    c.insee_com = f[kInseeCom];
    c.insee_dep = f[kInseeDep];
    c.insee_reg = f[kInseeReg];
    c.name = f[kName];
    c.type = f[kType] == "arrondissement" ? CommuneType::kArrondissement
                                          : CommuneType::kCommune;
    c.parent = f[kParent];
    c.has_location = base::ParseNumber(f[kLat], &c.lat) &&
                     base::ParseNumber(f[kLng], &c.lng);
    if (!c.has_location) c.lat = c.lng = 0;
    c.census = base::ParseInteger(f[kPopulation2021], &c.population) &&
               base::ParseInteger(f[kUnemployed2021], &c.unemployed);
    if (!c.census) {
      c.unemployed = 0;
      if (!base::ParseInteger(f[kPopulationCog], &c.population)) {
        c.population = 0;
      }
    }
    c.epci = f[kEpciSiren];
    c.postal_codes = SplitList(f[kPostalCodes]);
    c.former_codes = SplitList(f[kFormerCodes]);
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Commune& a, const Commune& b) {
    return a.insee_com < b.insee_com;
  });
  for (const Commune& c : out) {
    if (c.parent.empty()) continue;
    auto it = std::lower_bound(out.begin(), out.end(), c.parent,
                               [](const Commune& x, const std::string& code) {
                                 return x.insee_com < code;
                               });
    if (it != out.end() && it->insee_com == c.parent) {
      it->has_arrondissements = true;
    }
  }
  return out;
}

// (code, index into Communes()) pairs sorted by code, for the lookups by
// former code and by postal code.
using CodeIndex = std::vector<std::pair<std::string, int32_t>>;

CodeIndex BuildIndex(std::vector<std::string> Commune::*codes,
                     bool skip_cities) {
  CodeIndex index;
  absl::Span<const Commune> all = Communes();
  for (size_t i = 0; i < all.size(); ++i) {
    if (skip_cities && all[i].has_arrondissements) continue;
    for (const std::string& code : all[i].*codes) {
      index.emplace_back(code, static_cast<int32_t>(i));
    }
  }
  std::sort(index.begin(), index.end());
  return index;
}

// The entries of `index` for `code`.
absl::Span<const std::pair<std::string, int32_t>> Lookup(
    const CodeIndex& index, absl::string_view code) {
  auto lo = std::lower_bound(
      index.begin(), index.end(), code,
      [](const std::pair<std::string, int32_t>& e, absl::string_view c) {
        return e.first < c;
      });
  auto hi = lo;
  while (hi != index.end() && hi->first == code) ++hi;
  return absl::MakeConstSpan(index.data() + (lo - index.begin()),
                             static_cast<size_t>(hi - lo));
}

std::vector<Epci> LoadEpcis() {
  const absl::string_view text = data::EpciCsv();
  base::CsvTable table =
      base::ParseCsv(std::string_view(text.data(), text.size()));
  std::vector<Epci> out;
  // Columns: epci_siren, epci_name, epci_type.
  for (size_t i = 1; i < table.records.size(); ++i) {
    const auto& f = table.records[i].fields;
    if (table.bad[i] || f.size() != 3) continue;
    out.push_back({f[0], f[1], f[2], {}});
  }
  std::sort(out.begin(), out.end(),
            [](const Epci& a, const Epci& b) { return a.siren < b.siren; });
  for (const Commune& c : Communes()) {
    // Members as the EPCI composition lists them: communes, not
    // arrondissements (Paris, not Paris 11e).
    if (c.epci.empty() || c.type == CommuneType::kArrondissement) continue;
    auto it = std::lower_bound(out.begin(), out.end(), c.epci,
                               [](const Epci& e, const std::string& siren) {
                                 return e.siren < siren;
                               });
    if (it != out.end() && it->siren == c.epci) {
      it->communes.push_back(c.insee_com);
    }
  }
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

const Commune* FindFormerCommune(absl::string_view code) {
  static const CodeIndex* const index =
      new CodeIndex(BuildIndex(&Commune::former_codes, false));
  if (FindCommune(code) != nullptr) return nullptr;
  auto found = Lookup(*index, code);
  if (found.size() != 1) return nullptr;
  return &Communes()[static_cast<size_t>(found[0].second)];
}

std::vector<const Commune*> CommunesOfPostalCode(
    absl::string_view postal_code) {
  static const CodeIndex* const index =
      new CodeIndex(BuildIndex(&Commune::postal_codes, true));
  std::vector<const Commune*> out;
  for (const auto& [code, i] : Lookup(*index, postal_code)) {
    out.push_back(&Communes()[static_cast<size_t>(i)]);
  }
  return out;
}

absl::Span<const Epci> Epcis() {
  static const std::vector<Epci>* const epcis =
      new std::vector<Epci>(LoadEpcis());
  return *epcis;
}

const Epci* FindEpci(absl::string_view siren) {
  absl::Span<const Epci> all = Epcis();
  auto it = std::lower_bound(
      all.begin(), all.end(), siren,
      [](const Epci& e, absl::string_view code) { return e.siren < code; });
  if (it == all.end() || it->siren != siren) return nullptr;
  return &*it;
}

bool IsSirenCode(absl::string_view code) {
  return code.size() == 9 &&
         std::all_of(code.begin(), code.end(), [](char ch) {
           return absl::ascii_isdigit(static_cast<unsigned char>(ch));
         });
}

absl::string_view CityOfArrondissement(absl::string_view code) {
  if (code.size() != 5) return {};
  const absl::string_view prefix = code.substr(0, 3), rest = code.substr(3);
  if (!absl::ascii_isdigit(static_cast<unsigned char>(rest[0])) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(rest[1]))) {
    return {};
  }
  const int n = (rest[0] - '0') * 10 + (rest[1] - '0');
  if (prefix == "751" && n >= 1 && n <= 20) return "75056";
  if (prefix == "693" && n >= 81 && n <= 89) return "69123";
  if (prefix == "132" && n >= 1 && n <= 16) return "13055";
  return {};
}

std::vector<std::string> DepartementsOfRegion(absl::string_view insee_reg) {
  std::vector<std::string> out;
  if (insee_reg.empty()) return out;
  for (const Commune& c : Communes()) {
    if (c.insee_reg == insee_reg &&
        (out.empty() || out.back() != c.insee_dep)) {
      out.push_back(c.insee_dep);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
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
