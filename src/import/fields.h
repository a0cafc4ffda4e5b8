// Reading the fields of a record (import/record.h) as the native format
// needs them, reporting what is dropped or changed through a `Where`:
// ids, free text, lists of codes, numbers, dates and places.

#ifndef MAILLAGE_SRC_IMPORT_FIELDS_H_
#define MAILLAGE_SRC_IMPORT_FIELDS_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "import/importer.h"
#include "import/record.h"

namespace maillage::import {

// An id: text, or a whole number written as such; "" when absent.
std::string IdOf(const Value& v, Where& w, absl::string_view field);

// Free text: trimmed; NUL and other control characters but tab and line
// ends removed, HTML tags removed (and &amp; &lt; &gt; &quot; &#39; &nbsp;
// decoded), text beyond options().max_text_bytes cut at a character
// boundary, each with a warning. A number or a boolean is taken as written;
// a list or an object is dropped with a warning.
std::string TextOf(const Value& v, Where& w, absl::string_view field);

// The items of a list: a JSON array of strings, or text (a CSV cell, or a
// JSON string where a list was expected) split on ',' and '|', or written
// `["a","b"]` or `{a,b}`. Items are trimmed; empty and repeated items are
// removed (repeats with a warning); an item that is not text is dropped
// with a warning.
std::vector<std::string> ListOf(const Value& v, Where& w,
                                absl::string_view field);

// The codes of `items` that `known` accepts, in order; the others dropped
// with a warning "unknown <what> code 'x': dropped".
std::vector<std::string> KnownCodes(
    const std::vector<std::string>& items, Where& w, absl::string_view field,
    absl::string_view what, absl::FunctionRef<bool(absl::string_view)> known);

// A finite number: a JSON number, or text ("45.76", " 45,76 " with a decimal
// comma); nullopt when absent, or when malformed (with a warning).
absl::optional<double> NumberOf(const Value& v, Where& w,
                                absl::string_view field);

// An ISO date "YYYY-MM-DD" (a date-time keeps its date); "" when absent or
// not a date (with a warning).
std::string DateOf(const Value& v, Where& w, absl::string_view field);

// Where a record is: its commune and coordinates.
struct Place {
  std::string insee_com;
  absl::optional<double> lat, lng;
};

// The fields that say where a record is, and their names in problems.
struct PlaceFields {
  const Value* code_insee = nullptr;
  const Value* code_postal = nullptr;
  const Value* commune = nullptr;  // the commune's name
  const Value* latitude = nullptr;
  const Value* longitude = nullptr;
  absl::string_view code_insee_name = "code_insee";
  absl::string_view code_postal_name = "code_postal";
  absl::string_view latitude_name = "latitude";
  absl::string_view longitude_name = "longitude";
};

// The commune: a current commune or arrondissement code; a former code mapped
// to the current commune (warning); else, from the postal code, its one
// commune or the one whose name is `commune` (an ambiguous or unknown postal
// code leaves the commune empty, with a warning). The coordinates: both
// numbers in range, not (0, 0), else dropped (warning); swapped when they
// are so and the swap puts them in France or near the commune (warning);
// dropped when more than 100 km from the commune (warning).
Place PlaceOf(const PlaceFields& f, Where& w);

// A code of data·inclusion's `zone_eligibilite`, as the native format
// writes it, or "" (with a warning) when it is not one: `france`, `99100`,
// a département, a commune or arrondissement (a former code: its current
// commune, with a warning), the SIREN of a known EPCI.
std::string ZoneCodeOf(absl::string_view code, Where& w,
                       absl::string_view field);

}  // namespace maillage::import

#endif  // MAILLAGE_SRC_IMPORT_FIELDS_H_
