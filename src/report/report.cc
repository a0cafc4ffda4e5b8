// RenderReport and WriteReport (maillage/report.h). The page is built as one
// string, section by section; every text that comes from the data goes
// through Escape, and every count of people or needs through Count (the
// masking rule).

#include "maillage/report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "base/file.h"
#include "maillage/analyze.h"
#include "maillage/geo.h"
#include "maillage/summary.h"
#include "maillage/vocabulary.h"

namespace maillage {
namespace {

// --- Words ----------------------------------------------------------------

// Every label of the page, in one language.
struct Words {
  const char* lang;
  const char* title;
  const char* contents;
  const char* summary;
  const char* territory;
  const char* people;
  const char* needs;
  const char* covered;
  const char* unmatched;
  const char* people_without;
  const char* total;
  const char* plan_allocated;
  const char* plan_given;
  const char* baseline;
  const char* masked_note;
  const char* exact_note;
  const char* privacy_note;
  const char* map;
  const char* map_note;
  const char* legend_service;
  const char* legend_full;
  const char* legend_unknown;
  const char* legend_site;
  const char* legend_unmatched;
  const char* places_word;
  const char* full_word;
  const char* unknown_capacity;
  const char* outside_map;
  const char* no_commune;
  const char* communes_table;
  const char* commune;
  const char* by_category;
  const char* by_category_note;
  const char* by_reason;
  const char* no_unmatched;
  const char* recommended_places;
  const char* places_note;
  const char* service;
  const char* partner;
  const char* gain_people;
  const char* gain_needs;
  const char* gain_urgency;
  const char* gain_score;
  const char* expected_total;
  const char* verified_total;
  const char* verified_ok;
  const char* verified_differs;
  const char* no_place;
  const char* recruitments;
  const char* recruitments_note;
  const char* category;
  const char* places_needed;
  const char* people_served;
  const char* unmatched_here;
  const char* no_recruitment;
  const char* help;
  const char* help_note;
  const char* help_not_computed;
  const char* change;
  const char* partner_graph;
  const char* isolated;
  const char* services_word;
  const char* site_gaps;
  const char* site;
  const char* open_needs;
  const char* brokers;
  const char* betweenness;
  const char* referrals;
  const char* duplicates;
  const char* complements;
  const char* distance;
  const char* shared_categories;
  const char* categories_of_both;
  const char* common_sites;
  const char* conventions;
  const char* conventions_note;
  const char* options_word;
  const char* mean_score_gain;
  const char* referrals_moved;
  const char* none;
  const char* and_more;  // followed by a count
  const char* components;
  const char* footer;
  std::array<const char*, kNumUnmatchedReasons> reasons;
  std::array<const char*, kNumHelpKinds> help_kinds;
};

constexpr Words kFrench = {
    "fr",
    "Maillage partenarial : rapport de couverture",
    "Sommaire",
    "Synthèse par territoire",
    "Territoire",
    "Personnes",
    "Besoins",
    "Couverts",
    "Sans solution",
    "Personnes sans aucun besoin couvert",
    "Ensemble",
    "Plan : allocation optimale des places (le plus de personnes avec au "
    "moins un besoin couvert, puis de besoins, les urgents d'abord).",
    "Plan : le plan donné (lu depuis un dossier). Les recommandations partent "
    "de l'allocation optimale.",
    "Allocation optimale, pour comparaison",
    "Les effectifs de 1 à 4 personnes ou besoins sont affichés «&#160;&lt; "
    "5&#160;» et "
    "leurs barres ne sont pas tracées.",
    "Effectifs exacts : les petits effectifs ne sont pas masqués. Ne pas "
    "diffuser hors de l'équipe.",
    "Agrégats seulement : aucun identifiant ni lieu de vie de personne. Les "
    "besoins sans solution sont comptés par commune de résidence et placés "
    "au centre de la commune.",
    "Carte",
    "Projection équirectangulaire centrée sur les sites du territoire.",
    "Service (surface : places disponibles)",
    "Service complet dans le plan",
    "Service sans capacité publiée",
    "Site (chantier d'insertion)",
    "Besoins sans solution, par commune",
    "places",
    "complet",
    "capacité non publiée",
    "hors de la carte (plus de 150 km des sites)",
    "commune inconnue",
    "Communes où vivent le plus de besoins sans solution",
    "Commune",
    "Couverture par thème",
    "Besoins couverts (vert) et sans solution (orange), par catégorie de "
    "thème.",
    "Besoins sans solution par raison",
    "Aucun besoin sans solution.",
    "Places recommandées",
    "Une place de plus à chaque service, dans l'ordre choisi ; le gain de "
    "chaque place tient compte des précédentes. Le total est vérifié par une "
    "nouvelle allocation du réseau modifié.",
    "Service",
    "Partenaire",
    "+ personnes",
    "+ besoins",
    "+ urgence",
    "+ score",
    "Total attendu (somme des étapes)",
    "Total vérifié (nouvelle allocation)",
    "vérifié",
    "écart avec les étapes",
    "Aucune place supplémentaire ne couvrirait plus de besoins.",
    "Partenaires à recruter",
    "Un service ouvert à tous, en présentiel, au centre de la commune ; "
    "chaque recrutement tient compte des précédents, le total est vérifié "
    "par une nouvelle allocation.",
    "Thème",
    "Places",
    "Personnes servies",
    "Besoins sans solution ici",
    "Aucun recrutement ne couvrirait plus de besoins.",
    "Ce qui aiderait les besoins sans solution",
    "Le plus petit changement du réseau qui couvrirait chaque besoin, compté "
    "par type de changement.",
    "Non calculé (option --no-help-table).",
    "Changement",
    "Graphe des partenaires",
    "Partenaires isolés (ni convention ni coopération)",
    "services",
    "Sites sans partenaire conventionné pour un thème de leurs besoins",
    "Site",
    "Besoins ouverts",
    "Partenaires relais (intermédiarité)",
    "Intermédiarité",
    "Orientations",
    "Doublons possibles (mêmes thèmes, même secteur)",
    "Partenaires complémentaires (thèmes disjoints, sites en commun)",
    "Distance",
    "Thèmes communs",
    "Thèmes de l'un et de l'autre",
    "Sites communs",
    "Conventions manquantes",
    "Paires site–partenaire sans convention où les personnes du site ont des "
    "options ; valeur estimée en ajoutant la convention.",
    "Options",
    "Gain moyen de score",
    "Orientations déplacées",
    "Aucun.",
    "… et autres&#160;: ",
    "Composantes connexes du graphe contenant des sites du territoire&#160;: ",
    "Rapport produit par maillage. Les gains sont calculés par "
    "ré-optimisation du plan, jamais lus dans les prix duaux.",
    {"Aucun service pour ce thème", "Aucun service accessible (critères)",
     "Hors de portée", "Services complets"},
    {"Aucun changement simple", "Une place de plus", "Un trajet plus long",
     "Une zone d'éligibilité élargie", "Un public admis"},
};

constexpr Words kEnglish = {
    "en",
    "Partner network: coverage report",
    "Contents",
    "Summary by territory",
    "Territory",
    "People",
    "Needs",
    "Covered",
    "Unmatched",
    "People without any covered need",
    "All",
    "Plan: the optimal allocation of places (most people with at least one "
    "need covered, then most needs, urgent ones first).",
    "Plan: the given plan (read from a folder). The recommendations start "
    "from the optimal allocation.",
    "Optimal allocation, for comparison",
    "Counts of 1 to 4 people or needs are shown as “&lt; 5” and their bars "
    "are not drawn.",
    "Exact counts: small counts are not masked. Do not share outside the "
    "team.",
    "Aggregates only: no id or home location of any person. Unmatched needs "
    "are counted by home commune and drawn at the commune's centre.",
    "Map",
    "Equirectangular projection centred on the territory's sites.",
    "Service (area: places available)",
    "Service full in the plan",
    "Service without published capacity",
    "Site (work-integration site)",
    "Unmatched needs, by commune",
    "places",
    "full",
    "capacity not published",
    "off the map (more than 150 km from the sites)",
    "unknown commune",
    "Communes where most unmatched needs live",
    "Commune",
    "Coverage by theme",
    "Needs covered (green) and unmatched (orange), by theme category.",
    "Unmatched needs by reason",
    "No unmatched need.",
    "Recommended places",
    "One more place at each service, in the order chosen; the gain of each "
    "place counts the previous ones. The total is verified by allocating the "
    "edited network again.",
    "Service",
    "Partner",
    "+ people",
    "+ needs",
    "+ urgency",
    "+ score",
    "Expected total (sum of the steps)",
    "Verified total (new allocation)",
    "verified",
    "differs from the steps",
    "No more place would cover more needs.",
    "Partners to recruit",
    "A service open to all, in person, at the commune's centre; each "
    "recruitment counts the previous ones, the total is verified by a new "
    "allocation.",
    "Theme",
    "Places",
    "People served",
    "Unmatched needs here",
    "No recruitment would cover more needs.",
    "What would help the unmatched needs",
    "The smallest change of the network that would cover each need, counted "
    "by kind of change.",
    "Not computed (option --no-help-table).",
    "Change",
    "Partner graph",
    "Isolated partners (no convention, no cooperation)",
    "services",
    "Sites without a partner under convention in a theme of their needs",
    "Site",
    "Open needs",
    "Brokers (betweenness)",
    "Betweenness",
    "Referrals",
    "Possible duplicates (same themes, same area)",
    "Complementary partners (disjoint themes, common sites)",
    "Distance",
    "Shared themes",
    "Themes of each",
    "Common sites",
    "Missing conventions",
    "Site–partner pairs without a convention where the site's people have "
    "options; value estimated by adding the convention.",
    "Options",
    "Mean score gain",
    "Referrals moved",
    "None.",
    "… and more: ",
    "Connected components of the graph with sites of the territory: ",
    "Report written by maillage. Gains are computed by re-optimising the "
    "plan, never read from the dual prices.",
    {"No service for the theme", "No eligible service", "Out of reach",
     "Services full"},
    {"No single change", "One more place", "A longer reach",
     "A wider eligibility zone", "One more public admitted"},
};

// --- Text -----------------------------------------------------------------

// `s` with the five HTML special characters as entities, and control
// characters (but tab and newline) left out: safe in text and in quoted
// attribute values.
std::string Escape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n') {
          break;
        }
        out += ch;
    }
  }
  return out;
}

// The page's text and its language's number formats.
class Writer {
 public:
  Writer(const Words& w, bool exact) : w_(w), exact_(exact) {}

  const Words& w() const { return w_; }
  bool fr() const { return w_.lang[0] == 'f'; }

  // 1234567 as "1 234 567" (narrow no-break spaces) in French, "1,234,567"
  // in English; negative numbers with a minus sign.
  std::string Int(int64_t v) const {
    const uint64_t magnitude = v < 0 ? uint64_t{0} - static_cast<uint64_t>(v)
                                     : static_cast<uint64_t>(v);
    const std::string digits = absl::StrCat(magnitude);
    std::string out;
    const size_t n = digits.size();
    for (size_t i = 0; i < n; ++i) {
      if (i > 0 && (n - i) % 3 == 0) out += fr() ? "&#8239;" : ",";
      out += digits[i];
    }
    return v < 0 ? absl::StrCat("&#8722;", out) : out;
  }
  std::string Dec(double v, int decimals) const {
    std::string s = absl::StrFormat("%.*f", decimals, std::fabs(v));
    if (fr()) std::replace(s.begin(), s.end(), '.', ',');
    const bool negative = v < 0 && s.find_first_not_of("0.,") != s.npos;
    return negative ? absl::StrCat("&#8722;", s) : s;
  }
  // A signed change: "+3", "0", "−2".
  std::string Signed(int64_t v) const {
    return v > 0 ? absl::StrCat("+", Int(v)) : Int(v);
  }
  std::string SignedDec(double v, int decimals) const {
    const std::string s = Dec(v, decimals);
    return v > 0 && s.find_first_not_of("0.,") != s.npos ? "+" + s : s;
  }
  // ": " in English, " : " (no-break space before) in French.
  const char* Colon() const { return fr() ? "&#160;: " : ": "; }
  std::string Km(double km) const {
    return absl::StrCat(Dec(km, km < 10 ? 1 : 0), "&#160;km");
  }

  // The masking rule: a count of people or needs from 1 to 4.
  bool Masked(int64_t n) const { return !exact_ && n >= 1 && n <= 4; }
  std::string Count(int64_t n) const { return Masked(n) ? "&lt; 5" : Int(n); }
  // The `data-value` of a count: the integer, or "<5" when masked.
  std::string DataValue(int64_t n) const {
    return Masked(n) ? "&lt;5" : absl::StrCat(n);
  }

  std::string Category(absl::string_view code) const {
    const absl::optional<ThemeId> t = ParseTheme(code);
    if (!t || !IsCategory(*t)) return Escape(code);
    return Escape(fr() ? ThemeLabel(*t) : CategoryLabelEnglish(*t));
  }
  std::string CategoryOfTheme(ThemeId t) const {
    return Category(ThemeCode(CategoryOf(t)));
  }
  const char* Reason(int r) const { return w_.reasons[static_cast<size_t>(r)]; }

  std::string& out() { return out_; }
  template <typename... T>
  void Add(const T&... parts) {
    absl::StrAppend(&out_, parts...);
  }

 private:
  const Words& w_;
  bool exact_;
  std::string out_;
};

std::string CommuneName(absl::string_view code) {
  const Commune* c = FindCommune(code);
  return c != nullptr ? Escape(c->name) : Escape(code);
}

// --- The data of one territory ------------------------------------------

struct Territory {
  std::string name;
  std::string anchor;  // the section's id
  CoverageCounts counts;
  const PlacePortfolio* places = nullptr;
  const RecruitmentPlan* recruitments = nullptr;
  std::vector<const CoverageRow*> categories;  // by territory, one category
  std::vector<const CoverageRow*> communes;    // by commune, all categories
  std::vector<SiteId> sites;
  std::vector<ServiceId> services;  // of partners of the territory
  std::array<int64_t, kNumHelpKinds> help{};
  int64_t help_rows = 0;
};

// The territory of each partner for the page: the analysis' one, else (a
// partner that no need and no convention ties to a territory) the territory
// of the nearest site.
std::vector<std::string> PartnerTerritories(const GapReport& r) {
  const Network& net = r.network;
  std::vector<std::string> out(net.partners().size());
  for (size_t p = 0; p < out.size(); ++p) {
    if (p < r.partner_graph.partner_territory.size()) {
      out[p] = r.partner_graph.partner_territory[p];
    }
    if (!out[p].empty() || net.sites().empty()) continue;
    const Partner& partner = net.partners()[p];
    double best = INFINITY;
    for (const Site& s : net.sites()) {
      const double km = GreatCircleKm(partner.lat, partner.lng, s.lat, s.lng);
      if (km < best) {
        best = km;
        out[p] = s.territory;
      }
    }
  }
  return out;
}

// Places the plan gives to each service (pinned supports included).
std::vector<int32_t> PlacesUsed(const GapReport& r) {
  std::vector<int32_t> used(r.network.services().size(), 0);
  for (const Assignment& a : r.plan.assignments) {
    if (a.service.valid() &&
        static_cast<size_t>(a.service.value()) < used.size()) {
      ++used[static_cast<size_t>(a.service.value())];
    }
  }
  return used;
}

// What every section reads about the partners and services.
struct Shared {
  std::vector<std::string> partner_territory;  // PartnerTerritories
  std::vector<int32_t> used;                   // PlacesUsed
  std::vector<int64_t> partner_services;       // services per partner
  std::vector<ThemeSet> partner_categories;    // categories they serve
};

Shared MakeShared(const GapReport& r) {
  const Network& net = r.network;
  Shared s;
  s.partner_territory = PartnerTerritories(r);
  s.used = PlacesUsed(r);
  s.partner_services.assign(net.partners().size(), 0);
  s.partner_categories.assign(net.partners().size(), ThemeSet());
  for (const Service& svc : net.services()) {
    const size_t p = static_cast<size_t>(svc.partner.value());
    ++s.partner_services[p];
    for (ThemeId t : svc.served.ToVector()) {
      s.partner_categories[p].Add(CategoryOf(t));
    }
  }
  return s;
}

std::vector<Territory> Territories(const GapReport& r,
                                   const std::vector<std::string>& partner_t) {
  const Network& net = r.network;
  std::vector<std::string> names = r.options.territories;
  if (names.empty()) names = net.Territories();
  std::map<std::string, size_t> index;
  std::vector<Territory> out(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    out[i].name = names[i];
    out[i].anchor = absl::StrCat("territoire-", i + 1);
    index[names[i]] = i;
  }
  auto find = [&](const std::string& name) -> Territory* {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &out[it->second];
  };
  for (const auto& [name, counts] : SummarizePlan(net, r.plan).territories) {
    if (Territory* t = find(name)) t->counts = counts;
  }
  for (const PlacePortfolio& p : r.places) {
    if (Territory* t = find(p.territory)) t->places = &p;
  }
  for (const RecruitmentPlan& p : r.recruitments) {
    if (Territory* t = find(p.territory)) t->recruitments = &p;
  }
  for (const CoverageRow& row : r.coverage) {
    Territory* t = find(row.territory);
    if (t == nullptr) continue;
    if (row.by == CoverageBy::kTerritory && !row.category.empty()) {
      t->categories.push_back(&row);
    } else if (row.by == CoverageBy::kCommune && row.category.empty()) {
      t->communes.push_back(&row);
    }
  }
  for (size_t s = 0; s < net.sites().size(); ++s) {
    if (Territory* t = find(net.sites()[s].territory)) {
      t->sites.emplace_back(static_cast<int32_t>(s));
    }
  }
  for (size_t s = 0; s < net.services().size(); ++s) {
    const size_t p = static_cast<size_t>(net.services()[s].partner.value());
    if (p < partner_t.size()) {
      if (Territory* t = find(partner_t[p])) {
        t->services.emplace_back(static_cast<int32_t>(s));
      }
    }
  }
  for (const Help& h : r.what_would_help) {
    if (Territory* t = find(net.site(net.person(h.person).site).territory)) {
      ++t->help[static_cast<size_t>(h.kind)];
      ++t->help_rows;
    }
  }
  return out;
}

int64_t UnmatchedOf(const CoverageCounts& c) {
  int64_t n = 0;
  for (int64_t u : c.unmatched) n += u;
  return n;
}
int64_t UnmatchedOf(const CoverageRow& c) {
  int64_t n = 0;
  for (int64_t u : c.unmatched) n += u;
  return n;
}

// --- Head and summary ----------------------------------------------------

constexpr char kStyle[] = R"css(
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
  color: #1f2937; font-size: 10pt; line-height: 1.35; max-width: 186mm;
  margin: 0 auto; padding: 10px; background: #fff; }
h1 { font-size: 17pt; margin: 0 0 6px; color: #1e3a8a; }
h2 { font-size: 14pt; margin: 18px 0 6px; color: #1e3a8a;
  border-bottom: 2px solid #1d4ed8; padding-bottom: 2px; }
h3 { font-size: 11pt; margin: 12px 0 4px; }
h4 { font-size: 10pt; margin: 8px 0 2px; }
p { margin: 3px 0; }
.note { color: #4b5563; font-size: 8.5pt; }
.warn { color: #9a3412; font-weight: bold; }
nav ol { columns: 2; margin: 4px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid #d1d5db; padding: 2px 5px; text-align: left;
  vertical-align: top; }
thead th { border-bottom: 1.5px solid #374151; font-size: 8.5pt;
  vertical-align: bottom; }
thead th.n { white-space: normal; }
.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: bold; border-top: 1.5px solid #374151; }
tr, figure, .legend { break-inside: avoid; }
h2, h3, h4 { break-after: avoid; }
section.territory { break-before: page; }
figure { margin: 6px 0; }
figcaption { font-size: 8.5pt; color: #4b5563; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font-family: inherit; font-size: 10px; fill: #1f2937; }
svg .bg { fill: #f8fafc; stroke: #cbd5e1; }
svg .svc { fill: #3b82f6; fill-opacity: 0.35; stroke: #1d4ed8; stroke-width: 1; }
svg .svc.full { fill: #dc2626; fill-opacity: 0.55; stroke: #7f1d1d; stroke-width: 2.2; }
svg .svc.unknown { fill: none; stroke: #6b7280; stroke-width: 1.2; stroke-dasharray: 3 2; }
svg .site { fill: #111827; stroke: #fff; stroke-width: 1; }
svg .need { fill: #f59e0b; fill-opacity: 0.6; stroke: #92400e; stroke-width: 1; }
svg .needlabel { font-size: 9px; font-weight: bold; fill: #78350f; }
svg .scale line { stroke: #111827; stroke-width: 2; }
svg .scalebg { fill: #fff; fill-opacity: 0.85; }
svg .covered { fill: #16a34a; }
svg .open { fill: #f97316; }
svg .reason { fill: #ea580c; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 8.5pt;
  margin: 4px 0; }
.legend span { display: inline-flex; align-items: center; gap: 4px; }
.legend svg { display: inline-block; }
.ok { color: #15803d; } .bad { color: #b91c1c; font-weight: bold; }
footer { margin-top: 18px; font-size: 8pt; color: #6b7280; }
@media print {
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
)css";

void Head(const ReportOptions& options, Writer& w) {
  const std::string title =
      options.title.empty() ? std::string(w.w().title) : options.title;
  w.Add("<!DOCTYPE html>\n<html lang=\"", w.w().lang, "\">\n<head>\n",
        "<meta charset=\"utf-8\">\n",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'\">\n",
        "<meta name=\"referrer\" content=\"no-referrer\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n",
        // An empty icon: no request for /favicon.ico.
        "<link rel=\"icon\" href=\"data:,\">\n", "<title>", Escape(title),
        "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n",
        "<header>\n<h1>", Escape(title), "</h1>\n");
}

void SummaryCell(Writer& w, const std::string& territory, bool total,
                 absl::string_view field, int64_t v) {
  w.Add("<td class=\"n\" ",
        total ? std::string("data-total=\"1\"")
              : absl::StrCat("data-territory=\"", Escape(territory), "\""),
        " data-field=\"", field, "\" data-value=\"", w.DataValue(v), "\">",
        w.Count(v), "</td>");
}

void SummaryRow(Writer& w, const Territory* t, const CoverageCounts& c) {
  const bool total = t == nullptr;
  const std::string name = total ? std::string() : t->name;
  if (total) {
    w.Add("<tr class=\"total\"><th>", w.w().total, "</th>");
  } else {
    w.Add("<tr><th><a href=\"#", t->anchor, "\">", Escape(t->name),
          "</a></th>");
  }
  SummaryCell(w, name, total, "people", c.people);
  SummaryCell(w, name, total, "needs", c.needs);
  SummaryCell(w, name, total, "needs_covered", c.needs_covered);
  SummaryCell(w, name, total, "unmatched", UnmatchedOf(c));
  SummaryCell(w, name, total, "people_without_covered_need",
              c.people - c.people_covered);
  w.Add("</tr>\n");
}

void Summary(const GapReport& r, const std::vector<Territory>& territories,
             Writer& w) {
  const Words& t = w.w();
  w.Add("<p>", r.plan_given ? t.plan_given : t.plan_allocated, "</p>\n");
  w.Add("<p class=\"note\">", t.privacy_note, "</p>\n");
  w.Add(w.Masked(1) ? "<p class=\"note\">" : "<p class=\"warn\">",
        w.Masked(1) ? t.masked_note : t.exact_note, "</p>\n</header>\n");

  w.Add("<nav>\n<h2>", t.contents, "</h2>\n<ol>\n<li><a href=\"#synthese\">",
        t.summary, "</a></li>\n");
  for (const Territory& x : territories) {
    w.Add("<li><a href=\"#", x.anchor, "\">", Escape(x.name), "</a></li>\n");
  }
  w.Add("</ol>\n</nav>\n");

  w.Add("<section id=\"synthese\">\n<h2>", t.summary, "</h2>\n",
        "<table class=\"summary\">\n<thead><tr><th>", t.territory,
        "</th><th class=\"n\">", t.people, "</th><th class=\"n\">", t.needs,
        "</th><th class=\"n\">", t.covered, "</th><th class=\"n\">",
        t.unmatched, "</th><th class=\"n\">", t.people_without,
        "</th></tr></thead>\n<tbody>\n");
  CoverageCounts all;
  for (const Territory& x : territories) {
    SummaryRow(w, &x, x.counts);
    all.people += x.counts.people;
    all.people_covered += x.counts.people_covered;
    all.needs += x.counts.needs;
    all.needs_covered += x.counts.needs_covered;
    all.needs_pinned += x.counts.needs_pinned;
    for (size_t k = 0; k < all.unmatched.size(); ++k) {
      all.unmatched[k] += x.counts.unmatched[k];
    }
  }
  if (territories.size() != 1) SummaryRow(w, nullptr, all);
  w.Add("</tbody>\n</table>\n");
  if (r.plan_given) {
    const PlanObjective& b = r.baseline;
    w.Add("<p class=\"note\">", t.baseline, w.Colon(), t.people, " ",
          w.Count(b.people), ", ", t.needs, " ", w.Count(b.needs), ", ",
          t.covered, " ", w.Count(b.needs_covered), ", ", t.people_without, " ",
          w.Count(b.people - b.people_covered), ".</p>\n");
  }
  w.Add("</section>\n");
}

// --- Map --------------------------------------------------------------------

constexpr double kKmPerDegree = kEarthRadiusKm * M_PI / 180.0;
constexpr double kMapRadiusKm = 150;  // farther from the sites: off the map
constexpr double kMapWidth = 680, kMapMaxHeight = 620, kMapMargin = 18;

double ServiceRadius(int32_t places) {
  return std::min(16.0, 2.5 + 1.5 * std::sqrt(std::max(0, places)));
}
double NeedRadius(int64_t n) {
  return std::min(22.0, 3.0 + 1.6 * std::sqrt(static_cast<double>(n)));
}

struct Projection {
  double lat0 = 0, lng0 = 0, cos0 = 1;
  double min_x = 0, max_y = 0, px_per_km = 1;
  double Xkm(double lng) const { return (lng - lng0) * cos0 * kKmPerDegree; }
  double Ykm(double lat) const { return (lat - lat0) * kKmPerDegree; }
  double X(double lng) const {
    return kMapMargin + (Xkm(lng) - min_x) * px_per_km;
  }
  double Y(double lat) const {
    return kMapMargin + (max_y - Ykm(lat)) * px_per_km;
  }
};

std::string Px(double v) { return absl::StrFormat("%.1f", v); }

void Map(const GapReport& r, const Territory& t, const Shared& shared,
         Writer& w) {
  const Network& net = r.network;
  const Words& words = w.w();
  w.Add("<h3>", words.map, "</h3>\n");
  if (t.sites.empty()) return;
  double lat_c = 0, lng_c = 0;
  for (SiteId s : t.sites) {
    lat_c += net.site(s).lat;
    lng_c += net.site(s).lng;
  }
  lat_c /= static_cast<double>(t.sites.size());
  lng_c /= static_cast<double>(t.sites.size());
  auto near = [&](double lat, double lng) {
    return GreatCircleKm(lat_c, lng_c, lat, lng) <= kMapRadiusKm;
  };

  std::vector<ServiceId> services;
  int64_t services_off = 0;
  for (ServiceId s : t.services) {
    const Service& svc = net.service(s);
    if (!svc.has_location) continue;  // remote only, nowhere to draw
    if (near(svc.lat, svc.lng)) {
      services.push_back(s);
    } else {
      ++services_off;
    }
  }
  struct Place {
    const Commune* commune;
    int64_t unmatched;
  };
  std::vector<Place> communes;
  int64_t needs_off = 0, needs_unknown = 0;
  for (const CoverageRow* row : t.communes) {
    const int64_t n = UnmatchedOf(*row);
    if (n == 0) continue;
    const Commune* c = FindCommune(row->insee_com);
    if (c == nullptr || !c->has_location) {
      needs_unknown += n;
    } else if (!near(c->lat, c->lng)) {
      needs_off += n;
    } else {
      communes.push_back({c, n});
    }
  }
  // Larger circles first, so that the small ones stay visible on top.
  std::sort(communes.begin(), communes.end(),
            [](const Place& a, const Place& b) {
              return a.unmatched != b.unmatched
                         ? a.unmatched > b.unmatched
                         : a.commune->insee_com < b.commune->insee_com;
            });
  auto places_of = [&](ServiceId s) {
    const Service& svc = net.service(s);
    return svc.capacity_known ? svc.capacity_available
                              : r.options.allocate.assumed_capacity;
  };
  std::sort(services.begin(), services.end(), [&](ServiceId a, ServiceId b) {
    const int32_t pa = places_of(a), pb = places_of(b);
    return pa != pb ? pa > pb : a < b;
  });

  Projection p;
  p.lat0 = lat_c;
  p.lng0 = lng_c;
  p.cos0 = std::cos(lat_c * M_PI / 180.0);
  double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY,
         max_y = -INFINITY;
  auto extend = [&](double lat, double lng) {
    min_x = std::min(min_x, p.Xkm(lng));
    max_x = std::max(max_x, p.Xkm(lng));
    min_y = std::min(min_y, p.Ykm(lat));
    max_y = std::max(max_y, p.Ykm(lat));
  };
  for (SiteId s : t.sites) extend(net.site(s).lat, net.site(s).lng);
  for (ServiceId s : services) extend(net.service(s).lat, net.service(s).lng);
  for (const Place& c : communes) extend(c.commune->lat, c.commune->lng);
  // At least 10 km across, and a little room around the points.
  const double pad_x = std::max(1.0, (10.0 - (max_x - min_x)) / 2);
  const double pad_y = std::max(1.0, (10.0 - (max_y - min_y)) / 2);
  min_x -= pad_x;
  max_x += pad_x;
  min_y -= pad_y;
  max_y += pad_y;
  p.min_x = min_x;
  p.max_y = max_y;
  const double width_km = max_x - min_x, height_km = max_y - min_y;
  p.px_per_km = std::min((kMapWidth - 2 * kMapMargin) / width_km,
                         (kMapMaxHeight - 2 * kMapMargin) / height_km);
  const double width = kMapWidth;
  const double height =
      std::max(200.0, height_km * p.px_per_km + 2 * kMapMargin);

  w.Add("<figure>\n<svg class=\"map\" viewBox=\"0 0 ", Px(width), " ",
        Px(height), "\" width=\"", Px(width), "\" height=\"", Px(height),
        "\" role=\"img\" aria-label=\"", words.map, " ", Escape(t.name),
        "\">\n<rect class=\"bg\" x=\"0.5\" y=\"0.5\" width=\"", Px(width - 1),
        "\" height=\"", Px(height - 1), "\"/>\n<g>\n");
  for (ServiceId s : services) {
    const Service& svc = net.service(s);
    const int32_t places = places_of(s);
    const bool full = svc.capacity_known &&
                      shared.used[static_cast<size_t>(s.value())] >= places;
    const char* cls = !svc.capacity_known ? "svc unknown"
                      : full              ? "svc full"
                                          : "svc";
    w.Add("<circle class=\"", cls, "\" cx=\"", Px(p.X(svc.lng)), "\" cy=\"",
          Px(p.Y(svc.lat)), "\" r=\"", Px(ServiceRadius(places)), "\"><title>",
          Escape(svc.name), " (",
          svc.capacity_known ? absl::StrCat(w.Int(svc.capacity_available), " ",
                                            words.places_word, full ? ", " : "",
                                            full ? words.full_word : "")
                             : std::string(words.unknown_capacity),
          ")</title></circle>\n");
  }
  w.Add("</g>\n<g>\n");
  for (SiteId s : t.sites) {
    const Site& site = net.site(s);
    w.Add("<rect class=\"site\" x=\"", Px(p.X(site.lng) - 4), "\" y=\"",
          Px(p.Y(site.lat) - 4), "\" width=\"8\" height=\"8\"><title>",
          Escape(site.name), "</title></rect>\n");
  }
  w.Add("</g>\n<g>\n");
  for (const Place& c : communes) {
    // A masked count is drawn as 5: the circle does not tell 1 from 4.
    const int64_t drawn = w.Masked(c.unmatched) ? 5 : c.unmatched;
    w.Add("<circle class=\"need\" data-commune=\"",
          Escape(c.commune->insee_com), "\" data-value=\"",
          w.DataValue(c.unmatched), "\" cx=\"", Px(p.X(c.commune->lng)),
          "\" cy=\"", Px(p.Y(c.commune->lat)), "\" r=\"", Px(NeedRadius(drawn)),
          "\"><title>", Escape(c.commune->name), w.Colon(),
          w.Count(c.unmatched), " ", words.unmatched, "</title></circle>\n");
  }
  // The ten largest counts, written next to their circle.
  for (size_t i = 0; i < communes.size() && i < 10; ++i) {
    const Place& c = communes[i];
    const int64_t drawn = w.Masked(c.unmatched) ? 5 : c.unmatched;
    w.Add("<text class=\"needlabel\" x=\"",
          Px(p.X(c.commune->lng) + NeedRadius(drawn) + 2), "\" y=\"",
          Px(p.Y(c.commune->lat) + 3), "\">", w.Count(c.unmatched),
          "</text>\n");
  }
  w.Add("</g>\n");
  // Scale bar: 1, 2 or 5 times a power of ten, about a fifth of the width.
  const double target_km = (width - 2 * kMapMargin) / p.px_per_km / 5;
  double bar_km = std::pow(10.0, std::floor(std::log10(target_km)));
  for (double m : {5.0, 2.0}) {
    if (bar_km * m <= target_km) {
      bar_km *= m;
      break;
    }
  }
  const double bar_px = bar_km * p.px_per_km;
  const double y0 = height - 12;
  w.Add("<g class=\"scale\"><rect class=\"scalebg\" x=\"6\" y=\"", Px(y0 - 16),
        "\" width=\"", Px(bar_px + 70), "\" height=\"22\"/>",
        "<line x1=\"12\" y1=\"", Px(y0), "\" x2=\"", Px(12 + bar_px),
        "\" y2=\"", Px(y0), "\"/><line x1=\"12\" y1=\"", Px(y0 - 4),
        "\" x2=\"12\" y2=\"", Px(y0 + 1), "\"/><line x1=\"", Px(12 + bar_px),
        "\" y1=\"", Px(y0 - 4), "\" x2=\"", Px(12 + bar_px), "\" y2=\"",
        Px(y0 + 1), "\"/><text x=\"", Px(18 + bar_px), "\" y=\"", Px(y0 + 3),
        "\">",
        bar_km >= 1 ? absl::StrCat(w.Int(std::llround(bar_km)), "&#160;km")
                    : w.Km(bar_km),
        "</text></g>\n</svg>\n");

  // Legend.
  auto symbol = [&](const char* shape) {
    return absl::StrCat(
        "<svg width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" "
        "aria-hidden=\"true\">",
        shape, "</svg>");
  };
  w.Add("<figcaption>\n<div class=\"legend\">", "<span>",
        symbol("<circle class=\"svc\" cx=\"9\" cy=\"9\" r=\"6\"/>"),
        words.legend_service, "</span>");
  for (int32_t n : {1, 5, 20}) {
    const double rad = ServiceRadius(n);
    const double box = 2 * rad + 4;
    w.Add("<span><svg width=\"", Px(box), "\" height=\"", Px(box),
          "\" viewBox=\"0 0 ", Px(box), " ", Px(box),
          "\" aria-hidden=\"true\"><circle class=\"svc\" cx=\"", Px(box / 2),
          "\" cy=\"", Px(box / 2), "\" r=\"", Px(rad), "\"/></svg>", w.Int(n),
          "</span>");
  }
  w.Add("<span>",
        symbol("<circle class=\"svc full\" cx=\"9\" cy=\"9\" r=\"6\"/>"),
        words.legend_full, "</span><span>",
        symbol("<circle class=\"svc unknown\" cx=\"9\" cy=\"9\" r=\"6\"/>"),
        words.legend_unknown, "</span><span>",
        symbol("<rect class=\"site\" x=\"5\" y=\"5\" width=\"8\" "
               "height=\"8\"/>"),
        words.legend_site, "</span><span>",
        symbol("<circle class=\"need\" cx=\"9\" cy=\"9\" r=\"7\"/>"),
        words.legend_unmatched, "</span></div>\n<p>", words.map_note);
  if (services_off > 0) {
    w.Add(" ", words.services_word, " ", words.outside_map, w.Colon(),
          w.Int(services_off), ".");
  }
  if (needs_off > 0) {
    w.Add(" ", words.unmatched, " ", words.outside_map, w.Colon(),
          w.Count(needs_off), ".");
  }
  if (needs_unknown > 0) {
    w.Add(" ", words.unmatched, ", ", words.no_commune, w.Colon(),
          w.Count(needs_unknown), ".");
  }
  w.Add("</p>\n</figcaption>\n</figure>\n");

  if (!communes.empty()) {
    w.Add("<h4>", words.communes_table, "</h4>\n<table><thead><tr><th>",
          words.commune, "</th><th class=\"n\">", words.unmatched,
          "</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < communes.size() && i < 10; ++i) {
      w.Add("<tr><td>", Escape(communes[i].commune->name),
            "</td><td class=\"n\">", w.Count(communes[i].unmatched),
            "</td></tr>\n");
    }
    w.Add("</tbody></table>\n");
  }
}

// --- Charts
// -------------------------------------------------------------------

constexpr double kChartWidth = 680, kLabelWidth = 250, kBarWidth = 300;
constexpr double kRowHeight = 18;

void CategoryChart(const Territory& t, Writer& w) {
  const Words& words = w.w();
  w.Add("<h3>", words.by_category, "</h3>\n");
  std::vector<const CoverageRow*> rows = t.categories;
  std::sort(rows.begin(), rows.end(),
            [](const CoverageRow* a, const CoverageRow* b) {
              return a->needs != b->needs ? a->needs > b->needs
                                          : a->category < b->category;
            });
  if (rows.empty()) {
    w.Add("<p>", words.none, "</p>\n");
    return;
  }
  int64_t max_needs = 1;
  for (const CoverageRow* c : rows) max_needs = std::max(max_needs, c->needs);
  const double height = kRowHeight * static_cast<double>(rows.size()) + 6;
  w.Add("<figure>\n<svg viewBox=\"0 0 ", Px(kChartWidth), " ", Px(height),
        "\" width=\"", Px(kChartWidth), "\" height=\"", Px(height),
        "\" role=\"img\" aria-label=\"", words.by_category, "\">\n");
  double y = 3;
  for (const CoverageRow* c : rows) {
    w.Add("<g data-territory=\"", Escape(t.name), "\" data-field=\"category.",
          Escape(c->category), ".needs\" data-value=\"", w.DataValue(c->needs),
          "\"><text x=\"0\" y=\"", Px(y + 12), "\">", w.Category(c->category),
          "</text>");
    if (!w.Masked(c->needs)) {
      const double scale = kBarWidth / static_cast<double>(max_needs);
      const double covered = static_cast<double>(c->needs_covered) * scale;
      const double open =
          static_cast<double>(c->needs - c->needs_covered) * scale;
      w.Add("<rect class=\"covered\" x=\"", Px(kLabelWidth), "\" y=\"",
            Px(y + 2), "\" width=\"", Px(covered), "\" height=\"13\"/>",
            "<rect class=\"open\" x=\"", Px(kLabelWidth + covered), "\" y=\"",
            Px(y + 2), "\" width=\"", Px(open), "\" height=\"13\"/>");
    }
    w.Add("<text x=\"", Px(kLabelWidth + kBarWidth + 8), "\" y=\"", Px(y + 12),
          "\">", w.Count(c->needs_covered), " / ", w.Count(c->needs),
          "</text></g>\n");
    y += kRowHeight;
  }
  w.Add("</svg>\n<figcaption>", words.by_category_note, " ", words.covered,
        " / ", words.needs, ".</figcaption>\n</figure>\n");
}

void ReasonChart(const Territory& t, Writer& w) {
  const Words& words = w.w();
  w.Add("<h3>", words.by_reason, "</h3>\n");
  int64_t max_n = 1;
  for (int64_t n : t.counts.unmatched) max_n = std::max(max_n, n);
  const double height = kRowHeight * kNumUnmatchedReasons + 6;
  w.Add("<figure>\n<svg viewBox=\"0 0 ", Px(kChartWidth), " ", Px(height),
        "\" width=\"", Px(kChartWidth), "\" height=\"", Px(height),
        "\" role=\"img\" aria-label=\"", words.by_reason, "\">\n");
  double y = 3;
  for (int k = 0; k < kNumUnmatchedReasons; ++k) {
    const int64_t n = t.counts.unmatched[static_cast<size_t>(k)];
    w.Add("<g data-territory=\"", Escape(t.name), "\" data-field=\"unmatched.",
          UnmatchedReasonCode(static_cast<UnmatchedReason>(k)),
          "\" data-value=\"", w.DataValue(n), "\"><text x=\"0\" y=\"",
          Px(y + 12), "\">", w.Reason(k), "</text>");
    if (n > 0 && !w.Masked(n)) {
      w.Add("<rect class=\"reason\" x=\"", Px(kLabelWidth), "\" y=\"",
            Px(y + 2), "\" width=\"",
            Px(kBarWidth * static_cast<double>(n) / static_cast<double>(max_n)),
            "\" height=\"13\"/>");
    }
    w.Add("<text x=\"", Px(kLabelWidth + kBarWidth + 8), "\" y=\"", Px(y + 12),
          "\">", w.Count(n), "</text></g>\n");
    y += kRowHeight;
  }
  w.Add("</svg>\n</figure>\n");
  if (UnmatchedOf(t.counts) == 0) w.Add("<p>", words.no_unmatched, "</p>\n");
}

// --- Tables
// ---------------------------------------------------------------------

constexpr size_t kMaxRows = 15;  // per finding table; then a count

void GainCells(const Gain& g, Writer& w) {
  w.Add("<td class=\"n\">", w.Signed(g.people), "</td><td class=\"n\">",
        w.Signed(g.needs), "</td><td class=\"n\">", w.Signed(g.urgency),
        "</td>");
}

void TotalRows(const Gain& expected, const VerifiedGain& verified, int span,
               bool score, Writer& w) {
  const Words& words = w.w();
  w.Add("<tr class=\"total\"><th colspan=\"", span, "\">", words.expected_total,
        "</th>");
  GainCells(expected, w);
  if (score) w.Add("<td class=\"n\">", w.SignedDec(expected.score, 2), "</td>");
  w.Add("</tr>\n<tr class=\"total\"><th colspan=\"", span, "\">",
        words.verified_total, " <span class=\"",
        verified.matches_expected ? "ok\">" : "bad\">",
        verified.matches_expected ? words.verified_ok : words.verified_differs,
        "</span></th>");
  GainCells(verified.gain, w);
  if (score) {
    w.Add("<td class=\"n\">", w.SignedDec(verified.gain.score, 2), "</td>");
  }
  w.Add("</tr>\n");
}

void PlacesTable(const GapReport& r, const Territory& t, Writer& w) {
  const Network& net = r.network;
  const Words& words = w.w();
  w.Add("<h3>", words.recommended_places, "</h3>\n<p class=\"note\">",
        words.places_note, "</p>\n");
  if (t.places == nullptr || t.places->steps.empty()) {
    w.Add("<p>", words.no_place, "</p>\n");
    return;
  }
  w.Add("<table><thead><tr><th class=\"n\">#</th><th>", words.service,
        "</th><th>", words.partner, "</th><th>", words.commune,
        "</th><th class=\"n\">", words.gain_people, "</th><th class=\"n\">",
        words.gain_needs, "</th><th class=\"n\">", words.gain_urgency,
        "</th><th class=\"n\">", words.gain_score,
        "</th></tr></thead>\n<tbody>\n");
  int i = 0;
  for (const PlaceStep& s : t.places->steps) {
    const Service& svc = net.service(s.service);
    w.Add("<tr><td class=\"n\">", ++i, "</td><td>", Escape(svc.name),
          "</td><td>", Escape(net.partner(svc.partner).name), "</td><td>",
          CommuneName(svc.insee_com), "</td>");
    GainCells(s.gain, w);
    w.Add("<td class=\"n\">", w.SignedDec(s.gain.score, 2), "</td></tr>\n");
  }
  TotalRows(t.places->expected, t.places->verified, 4, true, w);
  w.Add("</tbody></table>\n");
}

void RecruitmentsTable(const Territory& t, Writer& w) {
  const Words& words = w.w();
  w.Add("<h3>", words.recruitments, "</h3>\n<p class=\"note\">",
        words.recruitments_note, "</p>\n");
  if (t.recruitments == nullptr || t.recruitments->recruitments.empty()) {
    w.Add("<p>", words.no_recruitment, "</p>\n");
    return;
  }
  w.Add("<table><thead><tr><th class=\"n\">#</th><th>", words.category,
        "</th><th>", words.commune, "</th><th class=\"n\">",
        words.places_needed, "</th><th class=\"n\">", words.people_served,
        "</th><th class=\"n\">", words.unmatched_here, "</th><th class=\"n\">",
        words.gain_people, "</th><th class=\"n\">", words.gain_needs,
        "</th><th class=\"n\">", words.gain_urgency,
        "</th></tr></thead>\n<tbody>\n");
  int i = 0;
  for (const Recruitment& c : t.recruitments->recruitments) {
    const Epci* epci = FindEpci(c.epci);
    w.Add("<tr><td class=\"n\">", ++i, "</td><td>", w.Category(c.category),
          "</td><td>", CommuneName(c.insee_com),
          epci != nullptr ? absl::StrCat(" <span class=\"note\">(",
                                         Escape(epci->name), ")</span>")
                          : std::string(),
          "</td><td class=\"n\">", w.Count(c.places), "</td><td class=\"n\">",
          w.Count(c.people_served), "</td><td class=\"n\">",
          w.Count(c.unmatched_here), "</td>");
    GainCells(c.gain, w);
    w.Add("</tr>\n");
  }
  TotalRows(t.recruitments->expected, t.recruitments->verified, 6, false, w);
  w.Add("</tbody></table>\n");
}

void HelpTable(const GapReport& r, const Territory& t, Writer& w) {
  const Words& words = w.w();
  w.Add("<h3>", words.help, "</h3>\n");
  if (!r.options.what_would_help) {
    w.Add("<p>", words.help_not_computed, "</p>\n");
    return;
  }
  if (t.help_rows == 0) {
    w.Add("<p>", words.no_unmatched, "</p>\n");
    return;
  }
  w.Add("<p class=\"note\">", words.help_note, "</p>\n<table><thead><tr><th>",
        words.change, "</th><th class=\"n\">", words.unmatched,
        "</th></tr></thead>\n<tbody>\n");
  // The kinds that help first, "none" last.
  for (int k : {1, 2, 3, 4, 0}) {
    const int64_t n = t.help[static_cast<size_t>(k)];
    if (n == 0) continue;
    w.Add("<tr><td>", words.help_kinds[static_cast<size_t>(k)],
          "</td><td class=\"n\">", w.Count(n), "</td></tr>\n");
  }
  w.Add("</tbody></table>\n");
}

// Opens a table of findings; rows follow, then CloseFindings.
void OpenFindings(const char* heading, std::vector<std::string> columns,
                  std::vector<bool> numeric, Writer& w) {
  w.Add("<h4>", heading, "</h4>\n<table><thead><tr>");
  for (size_t i = 0; i < columns.size(); ++i) {
    w.Add(numeric[i] ? "<th class=\"n\">" : "<th>", columns[i], "</th>");
  }
  w.Add("</tr></thead>\n<tbody>\n");
}
void CloseFindings(size_t count, size_t columns, Writer& w) {
  if (count > kMaxRows) {
    w.Add("<tr><td colspan=\"", columns, "\" class=\"note\">", w.w().and_more,
          w.Int(static_cast<int64_t>(count - kMaxRows)), "</td></tr>\n");
  }
  w.Add("</tbody></table>\n");
}
void NoFindings(const char* heading, Writer& w) {
  w.Add("<h4>", heading, "</h4>\n<p>", w.w().none, "</p>\n");
}

std::string Categories(const std::vector<ThemeId>& themes, const Writer& w) {
  std::string out;
  for (ThemeId c : themes) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", w.CategoryOfTheme(c));
  }
  return out;
}

void PartnerGraph(const GapReport& r, const Territory& t, const Shared& shared,
                  Writer& w) {
  const std::vector<std::string>& partner_t = shared.partner_territory;
  const Network& net = r.network;
  const PartnerGraphAnalysis& g = r.partner_graph;
  const Words& words = w.w();
  w.Add("<h3>", words.partner_graph, "</h3>\n");
  auto of_partner = [&](PartnerId p) {
    const size_t i = static_cast<size_t>(p.value());
    return i < partner_t.size() && partner_t[i] == t.name;
  };
  auto of_site = [&](SiteId s) { return net.site(s).territory == t.name; };

  int64_t components = 0;
  for (const GraphComponent& c : g.components) {
    for (SiteId s : c.sites) {
      if (of_site(s)) {
        ++components;
        break;
      }
    }
  }
  w.Add("<p>", words.components, w.Int(components), "</p>\n");

  // Isolated partners.
  std::vector<PartnerId> isolated;
  for (PartnerId p : g.isolated) {
    if (of_partner(p)) isolated.push_back(p);
  }
  if (isolated.empty()) {
    NoFindings(words.isolated, w);
  } else {
    OpenFindings(words.isolated,
                 {words.partner, words.commune, words.services_word},
                 {false, false, true}, w);
    for (size_t i = 0; i < isolated.size() && i < kMaxRows; ++i) {
      const Partner& p = net.partner(isolated[i]);
      w.Add("<tr><td>", Escape(p.name), "</td><td>", CommuneName(p.insee_com),
            "</td><td class=\"n\">",
            w.Int(shared.partner_services[static_cast<size_t>(
                isolated[i].value())]),
            "</td></tr>\n");
    }
    CloseFindings(isolated.size(), 3, w);
  }

  // Sites without a category.
  std::vector<const SiteCategoryGap*> gaps;
  for (const SiteCategoryGap& s : g.site_gaps) {
    if (of_site(s.site)) gaps.push_back(&s);
  }
  if (gaps.empty()) {
    NoFindings(words.site_gaps, w);
  } else {
    OpenFindings(words.site_gaps,
                 {words.site, words.category, words.open_needs},
                 {false, false, true}, w);
    for (size_t i = 0; i < gaps.size() && i < kMaxRows; ++i) {
      w.Add("<tr><td>", Escape(net.site(gaps[i]->site).name), "</td><td>",
            w.CategoryOfTheme(gaps[i]->category), "</td><td class=\"n\">",
            w.Count(gaps[i]->open_needs), "</td></tr>\n");
    }
    CloseFindings(gaps.size(), 3, w);
  }

  // Brokers: the five most central partners of the territory.
  std::vector<const Broker*> brokers;
  for (const Broker& b : g.brokers) {
    if (b.betweenness > 0 && of_partner(b.partner)) brokers.push_back(&b);
  }
  if (brokers.empty()) {
    NoFindings(words.brokers, w);
  } else {
    OpenFindings(words.brokers,
                 {words.partner, words.betweenness, words.referrals},
                 {false, true, true}, w);
    for (size_t i = 0; i < brokers.size() && i < 5; ++i) {
      w.Add("<tr><td>", Escape(net.partner(brokers[i]->partner).name),
            "</td><td class=\"n\">", w.Dec(brokers[i]->betweenness, 2),
            "</td><td class=\"n\">", w.Count(brokers[i]->referrals),
            "</td></tr>\n");
    }
    w.Add("</tbody></table>\n");
  }

  // Duplicates and complements.
  for (bool duplicates : {true, false}) {
    const std::vector<PartnerPair>& pairs =
        duplicates ? g.duplicates : g.complements;
    const char* heading = duplicates ? words.duplicates : words.complements;
    std::vector<const PartnerPair*> mine;
    for (const PartnerPair& p : pairs) {
      if (p.territory == t.name) mine.push_back(&p);
    }
    if (mine.empty()) {
      NoFindings(heading, w);
      continue;
    }
    OpenFindings(
        heading,
        {words.partner, words.partner, words.distance,
         duplicates ? words.shared_categories : words.categories_of_both,
         duplicates ? "" : words.common_sites},
        {false, false, true, false, true}, w);
    for (size_t i = 0; i < mine.size() && i < kMaxRows; ++i) {
      const PartnerPair& p = *mine[i];
      w.Add("<tr><td>", Escape(net.partner(p.a).name), "</td><td>",
            Escape(net.partner(p.b).name), "</td><td class=\"n\">",
            w.Km(p.distance_km), "</td><td>");
      if (duplicates) {
        w.Add(Categories(p.shared, w), "</td><td></td></tr>\n");
      } else {
        const auto& categories = shared.partner_categories;
        w.Add(Categories(
                  categories[static_cast<size_t>(p.a.value())].ToVector(), w),
              " | ",
              Categories(
                  categories[static_cast<size_t>(p.b.value())].ToVector(), w),
              "</td><td class=\"n\">", w.Int(p.common_sites), "</td></tr>\n");
      }
    }
    CloseFindings(mine.size(), 5, w);
  }

  // Missing conventions, with their value.
  std::vector<const ConventionValue*> conventions;
  for (const ConventionValue& c : g.conventions) {
    if (of_site(c.site)) conventions.push_back(&c);
  }
  if (conventions.empty()) {
    NoFindings(words.conventions, w);
  } else {
    OpenFindings(words.conventions,
                 {words.site, words.partner, words.options_word,
                  words.mean_score_gain, words.referrals_moved,
                  words.gain_people, words.gain_needs, words.gain_score},
                 {false, false, true, true, true, true, true, true}, w);
    for (size_t i = 0; i < conventions.size() && i < kMaxRows; ++i) {
      const ConventionValue& c = *conventions[i];
      w.Add("<tr><td>", Escape(net.site(c.site).name), "</td><td>",
            Escape(net.partner(c.partner).name), "</td><td class=\"n\">",
            w.Count(c.options), "</td><td class=\"n\">",
            w.SignedDec(c.mean_score_gain, 3), "</td><td class=\"n\">",
            w.Count(c.referrals_moved), "</td><td class=\"n\">",
            w.Signed(c.gain.people), "</td><td class=\"n\">",
            w.Signed(c.gain.needs), "</td><td class=\"n\">",
            w.SignedDec(c.gain.score, 2), "</td></tr>\n");
    }
    CloseFindings(conventions.size(), 8, w);
    w.Add("<p class=\"note\">", words.conventions_note, "</p>\n");
  }
}

// --- One territory ----------------------------------------------------------

void TerritorySection(const GapReport& r, const Territory& t,
                      const Shared& shared, Writer& w) {
  const Words& words = w.w();
  w.Add("<section class=\"territory\" id=\"", t.anchor, "\" data-territory=\"",
        Escape(t.name), "\">\n<h2>", words.territory, w.Colon(), Escape(t.name),
        "</h2>\n<p>", words.people, " ", w.Count(t.counts.people), " · ",
        words.needs, " ", w.Count(t.counts.needs), " · ", words.covered, " ",
        w.Count(t.counts.needs_covered), " · ", words.unmatched, " ",
        w.Count(UnmatchedOf(t.counts)), " · ", words.people_without, " ",
        w.Count(t.counts.people - t.counts.people_covered), "</p>\n");
  Map(r, t, shared, w);
  CategoryChart(t, w);
  ReasonChart(t, w);
  PlacesTable(r, t, w);
  RecruitmentsTable(t, w);
  HelpTable(r, t, w);
  PartnerGraph(r, t, shared, w);
  w.Add("</section>\n");
}

}  // namespace

absl::StatusOr<std::string> RenderReport(const GapReport& report,
                                         const ReportOptions& options) {
  const Words* words = nullptr;
  if (options.lang == "fr") {
    words = &kFrench;
  } else if (options.lang == "en") {
    words = &kEnglish;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("report language must be \"fr\" or \"en\", got \"",
                     Escape(options.lang), "\""));
  }
  Writer w(*words, options.exact_small_counts);
  const Shared shared = MakeShared(report);
  const std::vector<Territory> territories =
      Territories(report, shared.partner_territory);
  Head(options, w);
  Summary(report, territories, w);
  for (const Territory& t : territories) {
    TerritorySection(report, t, shared, w);
  }
  w.Add("<footer><p>", words->footer, "</p></footer>\n</body>\n</html>\n");
  return std::move(w.out());
}

absl::Status WriteReport(const GapReport& report, const std::string& path,
                         const ReportOptions& options) {
  absl::StatusOr<std::string> html = RenderReport(report, options);
  if (!html.ok()) return html.status();
  return base::WriteFile(path, *html);
}

}  // namespace maillage
