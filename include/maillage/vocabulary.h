// The data·inclusion v1 vocabularies, compiled into the library.
//
// Themes ("thématiques") form a two-level hierarchy: 16 categories
// (`logement-hebergement`) and 69 subthemes written `category--subtheme`
// (`logement-hebergement--louer-un-logement`). A need may name either; a
// service that serves any subtheme of a category serves a need that names the
// category, and a service that declares a whole category serves every one of
// its subthemes. Publics, modes d'accueil and reseaux porteurs are flat lists.
// Codes come from `data/data-inclusion-v1/extra/*.json` (schema v1.0.8,
// Licence Ouverte 2.0), turned into C++ tables at build time.
//
// Example:
//   absl::optional<maillage::ThemeId> t =
//       maillage::ParseTheme("sante--acces-aux-soins");
//   maillage::ThemeId c = maillage::CategoryOf(*t);   // "sante"
//   absl::string_view code = maillage::ThemeCode(c);
//
// All functions are pure lookups, O(1) or O(log n), thread-safe.

#ifndef MAILLAGE_VOCABULARY_H_
#define MAILLAGE_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace maillage {

// Dense theme index: categories first [0, kNumCategories), then subthemes.
using ThemeId = uint8_t;

int NumCategories();
int NumThemes();  // categories + subthemes
bool IsCategory(ThemeId theme);
// The category of a subtheme; a category is its own category.
ThemeId CategoryOf(ThemeId theme);
// The code as written in data·inclusion ("sante", "sante--addictions").
absl::string_view ThemeCode(ThemeId theme);
// French label of a theme: a subtheme's as in the vocabulary, a category's
// from a table of the library (the vocabulary labels only subthemes).
absl::string_view ThemeLabel(ThemeId theme);
// English label of a theme's category ("Housing, shelter").
absl::string_view CategoryLabelEnglish(ThemeId theme);
absl::optional<ThemeId> ParseTheme(absl::string_view code);

// A set of themes, as a fixed bitset.
class ThemeSet {
 public:
  void Add(ThemeId t) { bits_[t >> 6] |= uint64_t{1} << (t & 63); }
  bool Contains(ThemeId t) const { return (bits_[t >> 6] >> (t & 63)) & 1; }
  bool Empty() const { return (bits_[0] | bits_[1]) == 0; }
  bool Intersects(const ThemeSet& o) const {
    return ((bits_[0] & o.bits_[0]) | (bits_[1] & o.bits_[1])) != 0;
  }
  std::vector<ThemeId> ToVector() const;
  friend bool operator==(const ThemeSet&, const ThemeSet&) = default;

 private:
  uint64_t bits_[2] = {0, 0};
};
// The themes a service with declared themes `declared` serves: each declared
// subtheme and its category, each declared category and all its subthemes.
ThemeSet ServedThemes(const ThemeSet& declared);

// Publics ("publics"): 14 codes, `tous-publics` included.
using PublicId = uint8_t;
int NumPublics();
absl::string_view PublicCode(PublicId p);
absl::optional<PublicId> ParsePublic(absl::string_view code);
// French label of a public, as in the vocabulary ("Femmes").
absl::string_view PublicLabel(PublicId p);
PublicId AllPublicsId();  // `tous-publics`
// Bit set of publics (bit i = PublicId i).
using PublicSet = uint16_t;

// Modes d'accueil: `a-distance`, `en-presentiel`.
enum class Mode : uint8_t { kRemote = 0, kInPerson = 1 };
absl::string_view ModeCode(Mode m);
absl::optional<Mode> ParseMode(absl::string_view code);
// French label of a mode, as in the vocabulary ("À distance").
absl::string_view ModeLabel(Mode m);
// Bit set of modes (bit i = Mode i).
using ModeSet = uint8_t;
inline constexpr ModeSet kRemoteBit = 1;
inline constexpr ModeSet kInPersonBit = 2;

// Reseaux porteurs (kinds of partner): true when `code` is in the vocabulary.
bool IsReseauPorteur(absl::string_view code);
int NumReseauxPorteurs();
absl::string_view ReseauPorteurCode(int i);
absl::string_view ReseauPorteurLabel(int i);

// The small flat vocabularies of a service, each held as a bit set (bit i =
// the i-th code of the vocabulary, in file order; at most 8 codes). An empty
// set means the record does not say.
enum class Vocabulary : uint8_t {
  kFrais,                    // `frais`: gratuit, payant
  kServiceTypes,             // `types`: accompagnement, aide-financiere, ...
  kModesMobilisation,        // `modes_mobilisation`: se-presenter, ...
  kPersonnesMobilisatrices,  // `mobilisable_par`: professionnels, usagers
};
using CodeSet = uint8_t;
// The number of codes of `v` and the i-th one.
int NumCodes(Vocabulary v);
absl::string_view CodeOf(Vocabulary v, int i);
// Its French label, as in the vocabulary.
absl::string_view LabelOf(Vocabulary v, int i);
// The index of `code` in `v`, or nullopt.
absl::optional<int> ParseCode(Vocabulary v, absl::string_view code);
// The codes of a set, in vocabulary order.
std::vector<std::string> CodesOf(Vocabulary v, CodeSet set);

}  // namespace maillage

#endif  // MAILLAGE_VOCABULARY_H_
