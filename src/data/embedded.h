// Reference data compiled into the library (see data/README.md).

#ifndef MAILLAGE_SRC_DATA_EMBEDDED_H_
#define MAILLAGE_SRC_DATA_EMBEDDED_H_

#include "absl/strings/string_view.h"

namespace maillage::data {

// The exact text of data/communes.csv.
absl::string_view CommunesCsv();
// The exact text of data/epci.csv.
absl::string_view EpciCsv();
// The exact text of data/convergence-territories.csv.
absl::string_view TerritoriesCsv();

// One entry of a data·inclusion vocabulary.
struct VocabularyEntry {
  const char* value;
  const char* label;
};
// Generated from data/data-inclusion-v1/extra/*.json, in file order.
extern const VocabularyEntry kThematiques[];
extern const int kNumThematiques;
extern const VocabularyEntry kPublics[];
extern const int kNumPublics;
extern const VocabularyEntry kModesAccueil[];
extern const int kNumModesAccueil;
extern const VocabularyEntry kReseauxPorteurs[];
extern const int kNumReseauxPorteurs;
extern const VocabularyEntry kFrais[];
extern const int kNumFrais;
extern const VocabularyEntry kTypesDeServices[];
extern const int kNumTypesDeServices;
extern const VocabularyEntry kModesMobilisation[];
extern const int kNumModesMobilisation;
extern const VocabularyEntry kPersonnesMobilisatrices[];
extern const int kNumPersonnesMobilisatrices;

}  // namespace maillage::data

#endif  // MAILLAGE_SRC_DATA_EMBEDDED_H_
