#include "maillage/vocabulary.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/codes.h"
#include "data/embedded.h"

namespace maillage {
namespace {

// The labels of the 16 data·inclusion theme categories (the vocabulary
// labels only the subthemes), in French and English.
struct CategoryLabel {
  const char* code;
  const char* fr;
  const char* en;
};
constexpr CategoryLabel kCategoryLabels[] = {
    {"choisir-un-metier", "Choisir un métier", "Choosing a trade"},
    {"creer-une-entreprise", "Créer une entreprise", "Starting a business"},
    {"difficultes-administratives-ou-juridiques",
     "Difficultés administratives ou juridiques",
     "Administrative or legal difficulties"},
    {"difficultes-financieres", "Difficultés financières",
     "Financial difficulties"},
    {"equipement-et-alimentation", "Équipement et alimentation",
     "Equipment and food"},
    {"famille", "Famille", "Family"},
    {"lecture-ecriture-calcul", "Lecture, écriture, calcul",
     "Reading, writing, arithmetic"},
    {"logement-hebergement", "Logement, hébergement", "Housing, shelter"},
    {"mobilite", "Mobilité", "Mobility"},
    {"numerique", "Numérique", "Digital skills"},
    {"preparer-sa-candidature", "Préparer sa candidature",
     "Preparing a job application"},
    {"remobilisation", "Remobilisation", "Getting back on track"},
    {"sante", "Santé", "Health"},
    {"se-former", "Se former", "Training"},
    {"souvrir-a-linternational", "S'ouvrir à l'international", "Going abroad"},
    {"trouver-un-emploi", "Trouver un emploi", "Finding a job"},
};

struct ThemeTable {
  std::vector<std::string> codes;   // by ThemeId
  std::vector<std::string> labels;  // by ThemeId
  std::vector<ThemeId> category;    // by ThemeId
  int num_categories = 0;
  absl::flat_hash_map<std::string, ThemeId> by_code;
};

const ThemeTable& Themes() {
  static const ThemeTable* const table = [] {
    auto* t = new ThemeTable;
    // Categories in order of first appearance, then subthemes in file order.
    std::vector<std::string> categories;
    for (int i = 0; i < data::kNumThematiques; ++i) {
      std::string code = data::kThematiques[i].value;
      std::string cat = code.substr(0, code.find("--"));
      if (std::find(categories.begin(), categories.end(), cat) ==
          categories.end()) {
        categories.push_back(cat);
      }
    }
    t->num_categories = static_cast<int>(categories.size());
    for (size_t c = 0; c < categories.size(); ++c) {
      t->codes.push_back(categories[c]);
      const char* label = categories[c].c_str();
      for (const CategoryLabel& l : kCategoryLabels) {
        if (categories[c] == l.code) label = l.fr;
      }
      t->labels.push_back(label);
      t->category.push_back(static_cast<ThemeId>(c));
    }
    for (int i = 0; i < data::kNumThematiques; ++i) {
      std::string code = data::kThematiques[i].value;
      std::string cat = code.substr(0, code.find("--"));
      auto c = std::find(categories.begin(), categories.end(), cat) -
               categories.begin();
      t->codes.push_back(code);
      t->labels.push_back(data::kThematiques[i].label);
      t->category.push_back(static_cast<ThemeId>(c));
    }
    for (size_t i = 0; i < t->codes.size(); ++i) {
      t->by_code.emplace(t->codes[i], static_cast<ThemeId>(i));
    }
    return t;
  }();
  return *table;
}

template <typename Id>
absl::optional<Id> FindEntry(const data::VocabularyEntry* entries, int n,
                             absl::string_view code) {
  for (int i = 0; i < n; ++i) {
    if (code == entries[i].value) return static_cast<Id>(i);
  }
  return absl::nullopt;
}

}  // namespace

int NumCategories() { return Themes().num_categories; }
int NumThemes() { return static_cast<int>(Themes().codes.size()); }
bool IsCategory(ThemeId theme) { return theme < Themes().num_categories; }
ThemeId CategoryOf(ThemeId theme) { return Themes().category[theme]; }
absl::string_view ThemeCode(ThemeId theme) { return Themes().codes[theme]; }
absl::string_view ThemeLabel(ThemeId theme) { return Themes().labels[theme]; }
absl::string_view CategoryLabelEnglish(ThemeId theme) {
  const absl::string_view code = ThemeCode(CategoryOf(theme));
  for (const CategoryLabel& l : kCategoryLabels) {
    if (code == l.code) return l.en;
  }
  return code;
}

absl::optional<ThemeId> ParseTheme(absl::string_view code) {
  const auto& by_code = Themes().by_code;
  auto it = by_code.find(code);
  if (it == by_code.end()) return absl::nullopt;
  return it->second;
}

std::vector<ThemeId> ThemeSet::ToVector() const {
  std::vector<ThemeId> out;
  for (int t = 0; t < 128; ++t) {
    if (Contains(static_cast<ThemeId>(t)))
      out.push_back(static_cast<ThemeId>(t));
  }
  return out;
}

ThemeSet ServedThemes(const ThemeSet& declared) {
  ThemeSet served;
  const int n = NumThemes();
  for (int i = 0; i < n; ++i) {
    const auto t = static_cast<ThemeId>(i);
    if (declared.Contains(t)) {
      served.Add(t);
      served.Add(CategoryOf(t));
    } else if (!IsCategory(t) && declared.Contains(CategoryOf(t))) {
      served.Add(t);
    }
  }
  return served;
}

int NumPublics() { return data::kNumPublics; }
absl::string_view PublicCode(PublicId p) { return data::kPublics[p].value; }
absl::optional<PublicId> ParsePublic(absl::string_view code) {
  return FindEntry<PublicId>(data::kPublics, data::kNumPublics, code);
}
absl::string_view PublicLabel(PublicId p) { return data::kPublics[p].label; }
PublicId AllPublicsId() {
  static const PublicId id = *ParsePublic("tous-publics");
  return id;
}

namespace {
constexpr base::Code<Mode> kModes[] = {{Mode::kRemote, "a-distance"},
                                       {Mode::kInPerson, "en-presentiel"}};
}  // namespace

absl::string_view ModeCode(Mode m) { return base::CodeOf(kModes, m); }
absl::optional<Mode> ParseMode(absl::string_view code) {
  return base::ParseCode(kModes, code);
}

absl::string_view ModeLabel(Mode m) {
  const absl::string_view code = ModeCode(m);
  const absl::optional<int> i =
      FindEntry<int>(data::kModesAccueil, data::kNumModesAccueil, code);
  return i ? absl::string_view(data::kModesAccueil[*i].label) : code;
}

int NumReseauxPorteurs() { return data::kNumReseauxPorteurs; }
absl::string_view ReseauPorteurCode(int i) {
  return data::kReseauxPorteurs[i].value;
}
absl::string_view ReseauPorteurLabel(int i) {
  return data::kReseauxPorteurs[i].label;
}

bool IsReseauPorteur(absl::string_view code) {
  return FindEntry<int>(data::kReseauxPorteurs, data::kNumReseauxPorteurs, code)
      .has_value();
}

namespace {

struct FlatVocabulary {
  const data::VocabularyEntry* entries;
  const int* size;
};

FlatVocabulary Flat(Vocabulary v) {
  switch (v) {
    case Vocabulary::kFrais:
      return {data::kFrais, &data::kNumFrais};
    case Vocabulary::kServiceTypes:
      return {data::kTypesDeServices, &data::kNumTypesDeServices};
    case Vocabulary::kModesMobilisation:
      return {data::kModesMobilisation, &data::kNumModesMobilisation};
    case Vocabulary::kPersonnesMobilisatrices:
      break;
  }
  return {data::kPersonnesMobilisatrices, &data::kNumPersonnesMobilisatrices};
}

}  // namespace

int NumCodes(Vocabulary v) { return *Flat(v).size; }

absl::string_view CodeOf(Vocabulary v, int i) {
  return Flat(v).entries[i].value;
}

absl::string_view LabelOf(Vocabulary v, int i) {
  return Flat(v).entries[i].label;
}

absl::optional<int> ParseCode(Vocabulary v, absl::string_view code) {
  const FlatVocabulary f = Flat(v);
  return FindEntry<int>(f.entries, *f.size, code);
}

std::vector<std::string> CodesOf(Vocabulary v, CodeSet set) {
  std::vector<std::string> out;
  for (int i = 0; i < NumCodes(v); ++i) {
    if ((set >> i) & 1) out.emplace_back(CodeOf(v, i));
  }
  return out;
}

}  // namespace maillage
