// The vocabulary of the synthetic generator, resolved once: the partner
// kinds and their service templates with theme and public ids, the weights
// of the themes of people's needs and the shares of people's publics. The
// numbers are documented in docs/synth.md.

#ifndef MAILLAGE_SRC_SYNTH_VOCAB_H_
#define MAILLAGE_SRC_SYNTH_VOCAB_H_

#include <string>
#include <vector>

#include "maillage/vocabulary.h"
#include "synth/partner_kinds.h"

namespace maillage::synth {

// One choice of publics of a template.
struct PreparedPublics {
  std::vector<std::string> codes;
  PublicSet set = 0;
  double weight = 0;
};

// A ServiceTemplate with its codes split and resolved.
struct PreparedTemplate {
  const ServiceTemplate* source = nullptr;
  std::vector<std::string> themes, extra_themes;
  std::vector<ThemeId> theme_ids, extra_theme_ids;
  std::vector<PreparedPublics> publics;  // 1 or 2 choices
  std::vector<double> publics_weights;
};

// A PartnerKind with its prepared templates.
struct PreparedKind {
  const PartnerKind* source = nullptr;
  std::vector<PreparedTemplate> templates;
  std::vector<double> template_weights;
};

struct Vocab {
  std::string error;  // first unknown code, empty when all codes are valid
  std::vector<PreparedKind> kinds;
  std::vector<double> kind_weights;
  std::vector<int> core_kinds;
  // Needs.
  int num_categories = 0;
  std::vector<double> category_weight;                // by category ThemeId
  std::vector<std::vector<ThemeId>> subthemes;        // by category
  std::vector<std::vector<double>> subtheme_weights;  // by category
  std::vector<bool> urgent_category;                  // by category
  ThemeId cat_logement = 0, cat_sante = 0, cat_admin = 0, cat_lecture = 0,
          cat_se_former = 0, cat_numerique = 0, cat_famille = 0,
          cat_trouver = 0;
  // Publics of persons.
  struct PersonPublic {
    std::string code;
    PublicId id = 0;
    double share = 0;
  };
  std::vector<PersonPublic> person_publics;  // drawn independently
  PublicId jeunes = 0, seniors = 0, urgence = 0, handicap = 0, exilees = 0,
           juridique = 0, familles = 0;
};

// Resolves the tables of partner_kinds.h and of vocab.cc against the
// compiled vocabularies; `error` names the first code that does not resolve.
Vocab PrepareVocab();
// PrepareVocab(), once.
const Vocab& GetVocab();

}  // namespace maillage::synth

#endif  // MAILLAGE_SRC_SYNTH_VOCAB_H_
