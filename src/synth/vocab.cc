// The vocabulary of the synthetic generator: the weights of the themes of
// people's needs, the shares of their publics, and the resolution of every
// code of the generator's tables (see docs/synth.md for the numbers).

#include "synth/vocab.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "maillage/vocabulary.h"
#include "synth/partner_kinds.h"

namespace maillage::synth {
namespace {

// Category weights (prevalence) for drawing a person's needs.
struct CategoryWeight {
  const char* code;
  double weight;
};
constexpr CategoryWeight kCategoryWeights[] = {
    {"logement-hebergement", 0.60},
    {"sante", 0.45},
    {"difficultes-administratives-ou-juridiques", 0.40},
    {"difficultes-financieres", 0.30},
    {"mobilite", 0.30},
    {"trouver-un-emploi", 0.20},
    {"preparer-sa-candidature", 0.15},
    {"lecture-ecriture-calcul", 0.20},
    {"se-former", 0.20},
    {"numerique", 0.15},
    {"equipement-et-alimentation", 0.15},
    {"famille", 0.10},
    {"choisir-un-metier", 0.05},
    {"remobilisation", 0.05},
    {"souvrir-a-linternational", 0.02},
    {"creer-une-entreprise", 0.02},
};
// Relative weights of subthemes within their category (default 1).
constexpr CategoryWeight kSubthemeWeights[] = {
    {"logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
     3},
    {"logement-hebergement--louer-un-logement", 2},
    {"logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-"
     "logement",
     1.5},
    {"logement-hebergement--acheter-un-logement", 0.05},
    {"sante--acces-aux-soins", 2},
    {"sante--sante-mentale", 1.5},
    {"sante--addictions", 1.2},
    {"sante--constituer-un-dossier-mdph-invalidite", 0.6},
    {"sante--sante-sexuelle", 0.3},
    {"difficultes-administratives-ou-juridiques--accompagnement-aux-"
     "demarches-administratives",
     2},
    {"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-"
     "aux-droits",
     2},
    {"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-"
     "a-la-citoyennete",
     0.3},
    {"difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-"
     "une-discrimination",
     0.3},
    {"difficultes-financieres--situation-dendettement-surendettement", 1.5},
    {"mobilite--preparer-un-permis", 2.5},
    {"mobilite--acceder-a-un-vehicule", 0.7},
    {"lecture-ecriture-calcul--maitriser-le-francais", 3},
    {"equipement-et-alimentation--alimentation", 2},
    {"equipement-et-alimentation--aide-menagere", 0.3},
    {"famille--garde-denfants", 1.5},
    {"famille--prise-en-charge-personne-dependante", 0.3},
    {"famille--soutien-aidants", 0.3},
    {"trouver-un-emploi--maintien-dans-lemploi", 0.3},
    {"souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france", 0.5},
};
// Publics of a person (besides jeunes < 26, seniors >= 55).
struct PublicShare {
  const char* code;
  double share;
};
constexpr PublicShare kPublicShares[] = {
    {"beneficiaires-des-minimas-sociaux", 0.60},
    {"demandeurs-emploi", 0.70},
    {"personnes-en-situation-durgence", 0.35},
    {"femmes", 0.30},
    {"familles", 0.25},
    {"residents-qpv-frr", 0.30},
    {"personnes-exilees", 0.20},
    {"personnes-en-situation-de-handicap", 0.10},
    {"personnes-en-situation-juridique-specifique", 0.08},
};
ThemeId MustTheme(absl::string_view code, std::string* error) {
  absl::optional<ThemeId> t = ParseTheme(code);
  if (!t.has_value()) {
    if (error->empty()) *error = absl::StrCat("unknown theme '", code, "'");
    return 0;
  }
  return *t;
}

PublicId MustPublic(absl::string_view code, std::string* error) {
  absl::optional<PublicId> p = ParsePublic(code);
  if (!p.has_value()) {
    if (error->empty()) *error = absl::StrCat("unknown public '", code, "'");
    return 0;
  }
  return *p;
}

void SplitCodes(const char* list, std::vector<std::string>* out) {
  if (list == nullptr) return;
  for (absl::string_view c : absl::StrSplit(list, '|', absl::SkipEmpty())) {
    out->emplace_back(c);
  }
}

PreparedTemplate PrepareTemplate(const ServiceTemplate& t, std::string* err) {
  PreparedTemplate pt;
  pt.source = &t;
  SplitCodes(t.themes, &pt.themes);
  SplitCodes(t.extra_themes, &pt.extra_themes);
  for (const auto& c : pt.themes) pt.theme_ids.push_back(MustTheme(c, err));
  for (const auto& c : pt.extra_themes) {
    pt.extra_theme_ids.push_back(MustTheme(c, err));
  }
  for (const PublicsChoice& pc : t.publics) {
    if (pc.publics == nullptr) continue;
    PreparedPublics pp;
    SplitCodes(pc.publics, &pp.codes);
    for (const auto& c : pp.codes) {
      const PublicId p = MustPublic(c, err);
      pp.set = static_cast<PublicSet>(pp.set | (1u << p));
    }
    pp.weight = pc.weight;
    pt.publics_weights.push_back(pc.weight);
    pt.publics.push_back(std::move(pp));
  }
  if (pt.publics.empty() && err->empty()) {
    *err = absl::StrCat("template '", t.label, "' has no publics");
  }
  return pt;
}

// Partner kinds, their templates and the core kinds.
void PrepareKinds(Vocab* v) {
  std::string* err = &v->error;
  for (const PartnerKind& k : PartnerKinds()) {
    PreparedKind pk;
    pk.source = &k;
    for (const ServiceTemplate& t : k.templates) {
      pk.template_weights.push_back(t.weight);
      pk.templates.push_back(PrepareTemplate(t, err));
    }
    if (!IsReseauPorteur(k.code) && std::string_view(k.code) != "asl" &&
        err->empty()) {
      *err = absl::StrCat("kind '", k.code, "' is not a reseau porteur");
    }
    v->kind_weights.push_back(k.weight);
    v->kinds.push_back(std::move(pk));
  }
  for (const char* code : CoreKinds()) {
    const int k = FindPartnerKind(code);
    if (k < 0) {
      if (err->empty()) *err = absl::StrCat("unknown core kind '", code, "'");
      continue;
    }
    v->core_kinds.push_back(k);
  }
}

// Weights of the categories and subthemes of needs.
void PrepareNeeds(Vocab* v) {
  std::string* err = &v->error;
  v->num_categories = NumCategories();
  const auto nc = static_cast<size_t>(v->num_categories);
  v->category_weight.assign(nc, 0.0);
  v->subthemes.resize(nc);
  v->subtheme_weights.resize(nc);
  v->urgent_category.assign(nc, false);
  for (const CategoryWeight& cw : kCategoryWeights) {
    const ThemeId c = MustTheme(cw.code, err);
    if (!IsCategory(c) && err->empty()) {
      *err = absl::StrCat("'", cw.code, "' is not a category");
    }
    if (c < nc) v->category_weight[c] = cw.weight;
  }
  for (int t = v->num_categories; t < NumThemes(); ++t) {
    const auto id = static_cast<ThemeId>(t);
    const ThemeId c = CategoryOf(id);
    v->subthemes[c].push_back(id);
    double w = 1.0;
    for (const CategoryWeight& sw : kSubthemeWeights) {
      if (ThemeCode(id) == sw.code) w = sw.weight;
    }
    v->subtheme_weights[c].push_back(w);
  }
  for (const CategoryWeight& sw : kSubthemeWeights) MustTheme(sw.code, err);
  v->cat_logement = MustTheme("logement-hebergement", err);
  v->cat_sante = MustTheme("sante", err);
  v->cat_admin = MustTheme("difficultes-administratives-ou-juridiques", err);
  v->cat_lecture = MustTheme("lecture-ecriture-calcul", err);
  v->cat_se_former = MustTheme("se-former", err);
  v->cat_numerique = MustTheme("numerique", err);
  v->cat_famille = MustTheme("famille", err);
  v->cat_trouver = MustTheme("trouver-un-emploi", err);
  if (err->empty()) {
    v->urgent_category[v->cat_logement] = true;
    v->urgent_category[v->cat_sante] = true;
  }
}

// Publics drawn for people, and those the needs' weights depend on.
void PreparePersonPublics(Vocab* v) {
  std::string* err = &v->error;
  for (const PublicShare& ps : kPublicShares) {
    v->person_publics.push_back({ps.code, MustPublic(ps.code, err), ps.share});
  }
  v->jeunes = MustPublic("jeunes", err);
  v->seniors = MustPublic("seniors", err);
  v->urgence = MustPublic("personnes-en-situation-durgence", err);
  v->handicap = MustPublic("personnes-en-situation-de-handicap", err);
  v->exilees = MustPublic("personnes-exilees", err);
  v->juridique = MustPublic("personnes-en-situation-juridique-specifique", err);
  v->familles = MustPublic("familles", err);
}

}  // namespace

Vocab PrepareVocab() {
  Vocab v;
  PrepareKinds(&v);
  PrepareNeeds(&v);
  PreparePersonPublics(&v);
  return v;
}

const Vocab& GetVocab() {
  static const Vocab* const vocab = new Vocab(PrepareVocab());
  return *vocab;
}

}  // namespace maillage::synth
