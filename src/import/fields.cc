#include "import/fields.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "base/cells.h"
#include "base/date.h"
#include "base/text.h"
#include "maillage/geo.h"

namespace maillage::import {
namespace {

using Kind = Value::Kind;

std::string Trimmed(absl::string_view s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

absl::string_view KindName(Kind k) {
  switch (k) {
    case Kind::kList:
      return "a list";
    case Kind::kObject:
      return "an object";
    case Kind::kBool:
      return "a boolean";
    case Kind::kNumber:
      return "a number";
    default:
      return "text";
  }
}

// Removes HTML tags (`<p>`, `</b>`, `<br/>`, `<!-- -->`), collapsing the
// blanks they leave, and decodes the common entities. True when it changed.
bool StripHtml(std::string* s) {
  bool tags = false;
  std::string out;
  out.reserve(s->size());
  for (size_t i = 0; i < s->size(); ++i) {
    const char c = (*s)[i];
    if (c == '<' && i + 1 < s->size() &&
        (absl::ascii_isalpha(static_cast<unsigned char>((*s)[i + 1])) ||
         (*s)[i + 1] == '/' || (*s)[i + 1] == '!')) {
      const size_t end = s->find('>', i);
      if (end != std::string::npos) {
        tags = true;
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
        i = end;
        continue;
      }
    }
    out.push_back(c);
  }
  if (!tags) return false;
  out = absl::StrReplaceAll(out, {{"&nbsp;", " "},
                                  {"&lt;", "<"},
                                  {"&gt;", ">"},
                                  {"&quot;", "\""},
                                  {"&#39;", "'"},
                                  {"&apos;", "'"},
                                  {"&amp;", "&"}});
  // Blanks collapsed, as the tags left them.
  std::string collapsed;
  for (char c : out) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed.push_back(c);
  }
  *s = Trimmed(collapsed);
  return true;
}

// The item of a list as text, or nullopt (with a warning) when it is not
// text or a number.
absl::optional<std::string> ItemText(const Value& item, Where& w,
                                     absl::string_view field) {
  if (item.kind == Kind::kText || item.kind == Kind::kNumber) {
    return Trimmed(item.text);
  }
  if (item.kind == Kind::kNull) return std::string();
  w.Warn(field, absl::StrCat("a list item is ", KindName(item.kind),
                             ", not text: dropped"));
  return absl::nullopt;
}

// Text split on ',' and '|' into trimmed items.
void SplitItems(absl::string_view text, std::vector<std::string>* out) {
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar(",|"))) {
    std::string item = Trimmed(part);
    // `{"a","b"}` (a database array) quotes its items.
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = Trimmed(absl::string_view(item).substr(1, item.size() - 2));
    }
    out->push_back(std::move(item));
  }
}

// A code written as a number by a spreadsheet or a converter, which lost
// its leading zeros (1001 for "01001"): padded to `width` digits.
std::string CodeText(const Value& v, size_t width, Where& w,
                     absl::string_view field) {
  if (v.kind == Kind::kNumber) {
    std::string digits = v.text;
    if (!digits.empty() &&
        digits.find_first_not_of("0123456789") == std::string::npos &&
        digits.size() < width) {
      const std::string padded =
          std::string(width - digits.size(), '0') + digits;
      w.Warn(field, absl::StrCat("written as the number ", digits, ": read as ",
                                 base::Quoted(padded)));
      return padded;
    }
    return digits;
  }
  if (v.kind == Kind::kText) {
    return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(v.text));
  }
  if (!v.Empty()) {
    w.Warn(field,
           absl::StrCat("is ", KindName(v.kind), ", not a code: dropped"));
  }
  return "";
}

// The name of a commune folded for comparison: lower case, without accents,
// punctuation as blanks, "st"/"ste" as "saint"/"sainte".
std::string FoldName(absl::string_view s) {
  // Latin-1 supplement letters (U+00C0..U+00FF, UTF-8 C3 80..C3 BF).
  static constexpr const char* kLatin1[64] = {
      "a", "a", "a", "a", "a",  "a",  "ae", "c", "e", "e", "e",  "e", "i",
      "i", "i", "i", "d", "n",  "o",  "o",  "o", "o", "o", " ",  "o", "u",
      "u", "u", "u", "y", "th", "ss", "a",  "a", "a", "a", "a",  "a", "ae",
      "c", "e", "e", "e", "e",  "i",  "i",  "i", "i", "d", "n",  "o", "o",
      "o", "o", "o", " ", "o",  "u",  "u",  "u", "u", "y", "th", "y"};
  std::string folded;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x80 && d <= 0xBF) {
        folded += kLatin1[d - 0x80];
        ++i;
        continue;
      }
    }
    if (c == 0xC5 && i + 1 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) == 0x92 ||
         static_cast<unsigned char>(s[i + 1]) == 0x93)) {
      folded += "oe";
      ++i;
      continue;
    }
    folded.push_back(absl::ascii_isalnum(c) ? absl::ascii_tolower(c) : ' ');
  }
  std::vector<std::string> words;
  for (absl::string_view word :
       absl::StrSplit(folded, ' ', absl::SkipEmpty())) {
    if (word == "st") word = "saint";
    if (word == "ste") word = "sainte";
    words.emplace_back(word);
  }
  return absl::StrJoin(words, " ");
}

// Rough boxes around metropolitan France and the overseas départements.
bool InFrance(double lat, double lng) {
  struct Box {
    double lat0, lat1, lng0, lng1;
  };
  static constexpr Box kBoxes[] = {
      {41.0, 51.3, -5.5, 9.9},     // metropolitan France and Corsica
      {15.8, 16.6, -61.9, -60.9},  // Guadeloupe
      {14.3, 15.0, -61.3, -60.7},  // Martinique
      {2.0, 6.0, -54.7, -51.5},    // Guyane
      {-21.5, -20.8, 55.1, 55.9},  // La Réunion
      {-13.1, -12.5, 44.9, 45.4},  // Mayotte
  };
  for (const Box& b : kBoxes) {
    if (lat >= b.lat0 && lat <= b.lat1 && lng >= b.lng0 && lng <= b.lng1) {
      return true;
    }
  }
  return false;
}

bool InRange(double lat, double lng) {
  return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
}

constexpr double kMaxKmFromCommune = 100;

}  // namespace

std::string IdOf(const Value& v, Where& w, absl::string_view field) {
  switch (v.kind) {
    case Kind::kText:
    case Kind::kNumber:
      return Trimmed(v.text);
    case Kind::kAbsent:
    case Kind::kNull:
      return "";
    default:
      w.Warn(field, absl::StrCat("is ", KindName(v.kind), ", not an id"));
      return "";
  }
}

std::string TextOf(const Value& v, Where& w, absl::string_view field) {
  std::string s;
  switch (v.kind) {
    case Kind::kText:
    case Kind::kNumber:
    case Kind::kBool:
      s = Trimmed(v.text);
      break;
    case Kind::kAbsent:
    case Kind::kNull:
      return "";
    default:
      w.Warn(field,
             absl::StrCat("is ", KindName(v.kind), ", not text: dropped"));
      return "";
  }
  // Control characters but tab and line ends.
  size_t removed = 0;
  std::string kept;
  kept.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F) {
      ++removed;
      continue;
    }
    kept.push_back(c);
  }
  if (removed > 0) {
    w.Warn(field, absl::StrCat(removed, " control character(s) removed"));
    s = std::move(kept);
  }
  if (StripHtml(&s)) w.Warn(field, "HTML tags removed");
  const auto max =
      static_cast<size_t>(std::max<int64_t>(w.options().max_text_bytes, 0));
  if (s.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    w.Warn(field, absl::StrCat("text of ", s.size(), " bytes cut to ", cut));
    s.resize(cut);
  }
  return s;
}

std::vector<std::string> ListOf(const Value& v, Where& w,
                                absl::string_view field) {
  std::vector<std::string> raw;
  switch (v.kind) {
    case Kind::kAbsent:
    case Kind::kNull:
      return {};
    case Kind::kList:
      for (const Value& item : v.items) {
        if (auto t = ItemText(item, w, field)) raw.push_back(std::move(*t));
      }
      break;
    case Kind::kNumber:
      raw.push_back(v.text);
      break;
    case Kind::kText: {
      const std::string t = Trimmed(v.text);
      std::vector<Value> items;
      if (!t.empty() && t.front() == '[' && ParseJsonArrayText(t, &items)) {
        for (const Value& item : items) {
          if (auto s = ItemText(item, w, field)) raw.push_back(std::move(*s));
        }
      } else if (t.size() >= 2 && t.front() == '{' && t.back() == '}') {
        SplitItems(absl::string_view(t).substr(1, t.size() - 2), &raw);
      } else {
        SplitItems(t, &raw);
      }
      break;
    }
    default:
      w.Warn(field,
             absl::StrCat("is ", KindName(v.kind), ", not a list: dropped"));
      return {};
  }
  std::vector<std::string> items;
  absl::flat_hash_set<std::string> seen;
  for (std::string& item : raw) {
    if (item.empty()) continue;
    if (!seen.insert(item).second) {
      w.Warn(field,
             absl::StrCat("repeated item ", base::Quoted(item), " removed"));
      continue;
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<std::string> KnownCodes(
    const std::vector<std::string>& items, Where& w, absl::string_view field,
    absl::string_view what, absl::FunctionRef<bool(absl::string_view)> known) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    if (known(item)) {
      out.push_back(item);
    } else {
      w.Warn(field, absl::StrCat("unknown ", what, " code ", base::Quoted(item),
                                 ": dropped"));
    }
  }
  return out;
}

absl::optional<double> NumberOf(const Value& v, Where& w,
                                absl::string_view field) {
  if (v.kind == Kind::kNumber) {
    if (std::isfinite(v.number)) return v.number;
    w.Warn(field, "not a finite number: dropped");
    return absl::nullopt;
  }
  if (v.kind != Kind::kText) {
    if (!v.Empty()) {
      w.Warn(field,
             absl::StrCat("is ", KindName(v.kind), ", not a number: dropped"));
    }
    return absl::nullopt;
  }
  const std::string t = Trimmed(v.text);
  if (t.empty()) return absl::nullopt;
  double x = 0;
  if (base::ParseNumber(t, &x)) return x;
  if (t.find(',') != std::string::npos && t.find('.') == std::string::npos &&
      base::ParseNumber(absl::StrReplaceAll(t, {{",", "."}}), &x)) {
    w.Map("number with a decimal comma -> number");
    return x;
  }
  w.Warn(field, absl::StrCat("not a number ", base::Quoted(t), ": dropped"));
  return absl::nullopt;
}

std::string DateOf(const Value& v, Where& w, absl::string_view field) {
  if (v.Empty()) return "";
  if (v.kind != Kind::kText) {
    w.Warn(field,
           absl::StrCat("is ", KindName(v.kind), ", not a date: dropped"));
    return "";
  }
  const std::string t = Trimmed(v.text);
  if (!base::ParseIsoDay(t)) {
    w.Warn(field, absl::StrCat("not an ISO date (YYYY-MM-DD) ", base::Quoted(t),
                               ": dropped"));
    return "";
  }
  if (t.size() > 10) w.Map("date-time -> date");
  return t.substr(0, 10);
}

Place PlaceOf(const PlaceFields& f, Where& w) {
  static const Value kAbsent;
  auto get = [&](const Value* v) -> const Value& { return v ? *v : kAbsent; };
  Place place;
  // The commune.
  const std::string code = CodeText(get(f.code_insee), 5, w, f.code_insee_name);
  if (!code.empty()) {
    if (FindCommune(code) != nullptr) {
      place.insee_com = code;
    } else if (const Commune* now = FindFormerCommune(code); now != nullptr) {
      place.insee_com = now->insee_com;
      w.Warn(f.code_insee_name,
             absl::StrCat("former commune code ", base::Quoted(code),
                          ": read as its current commune ",
                          base::Quoted(now->insee_com), " (", now->name, ")"));
    } else {
      w.Warn(f.code_insee_name, absl::StrCat("unknown commune code ",
                                             base::Quoted(code), ": dropped"));
    }
  }
  const std::string postal =
      CodeText(get(f.code_postal), 5, w, f.code_postal_name);
  if (place.insee_com.empty() && !postal.empty()) {
    const std::vector<const Commune*> communes = CommunesOfPostalCode(postal);
    if (communes.empty()) {
      w.Warn(f.code_postal_name,
             absl::StrCat("unknown postal code ", base::Quoted(postal),
                          ": no commune found"));
    } else if (communes.size() == 1) {
      place.insee_com = communes[0]->insee_com;
      w.Map("code_postal -> commune");
    } else {
      const std::string name =
          f.commune != nullptr && f.commune->kind == Kind::kText
              ? FoldName(f.commune->text)
              : std::string();
      const Commune* match = nullptr;
      int matches = 0;
      for (const Commune* c : communes) {
        if (!name.empty() && FoldName(c->name) == name) {
          match = c;
          ++matches;
        }
      }
      if (matches == 1) {
        place.insee_com = match->insee_com;
        w.Map("code_postal + commune name -> commune");
      } else {
        w.Warn(f.code_postal_name,
               absl::StrCat("postal code ", base::Quoted(postal), " serves ",
                            communes.size(), " communes and ",
                            name.empty() ? "no commune name is given"
                                         : "the commune name matches none",
                            ": commune left empty"));
      }
    }
  }
  // The coordinates.
  absl::optional<double> lat = NumberOf(get(f.latitude), w, f.latitude_name);
  absl::optional<double> lng = NumberOf(get(f.longitude), w, f.longitude_name);
  if (lat.has_value() != lng.has_value()) {
    w.Warn(lat ? f.latitude_name : f.longitude_name,
           absl::StrCat(lat ? "latitude without longitude"
                            : "longitude without latitude",
                        ": dropped"));
    return place;
  }
  if (!lat) return place;
  if (*lat == 0 && *lng == 0) {
    w.Warn(f.latitude_name, "coordinates (0, 0): dropped");
    return place;
  }
  const Commune* commune =
      place.insee_com.empty() ? nullptr : FindCommune(place.insee_com);
  if (commune != nullptr && !commune->has_location) commune = nullptr;
  const bool swapped_ok = InRange(*lng, *lat);
  auto swap = [&](absl::string_view why) {
    w.Warn(
        f.latitude_name,
        absl::StrFormat("latitude and longitude swapped (%s): read as %g, %g",
                        why, *lng, *lat));
    std::swap(*lat, *lng);
  };
  if (commune != nullptr) {
    const double d = InRange(*lat, *lng)
                         ? GreatCircleKm(*lat, *lng, commune->lat, commune->lng)
                         : 1e9;
    if (d > kMaxKmFromCommune) {
      const double ds =
          swapped_ok ? GreatCircleKm(*lng, *lat, commune->lat, commune->lng)
                     : 1e9;
      if (ds <= kMaxKmFromCommune) {
        swap("near the commune once swapped");
      } else {
        w.Warn(f.latitude_name,
               d >= 1e9
                   ? std::string("coordinates out of range: dropped")
                   : absl::StrFormat("coordinates %.0f km from the commune %s: "
                                     "dropped",
                                     d, base::Quoted(commune->insee_com)));
        return place;
      }
    }
  } else if (!InRange(*lat, *lng)) {
    if (swapped_ok && InFrance(*lng, *lat)) {
      swap("in France once swapped");
    } else {
      w.Warn(f.latitude_name, "coordinates out of range: dropped");
      return place;
    }
  } else if (!InFrance(*lat, *lng) && InFrance(*lng, *lat)) {
    swap("in France once swapped");
  }
  place.lat = lat;
  place.lng = lng;
  return place;
}

std::string ZoneCodeOf(absl::string_view raw, Where& w,
                       absl::string_view field) {
  const std::string code =
      absl::AsciiStrToUpper(absl::StripAsciiWhitespace(raw));
  if (code == "FRANCE") return "france";
  if (code == "99100") return code;
  const bool digits = !code.empty() &&
                      code.find_first_not_of("0123456789") == std::string::npos;
  if (digits && code.size() == 5 && code.substr(0, 2) == "99") {
    w.Warn(field, absl::StrCat("country code ", base::Quoted(code),
                               " is not France: dropped"));
    return "";
  }
  if (IsSirenCode(code)) {
    if (FindEpci(code) != nullptr) return code;
    w.Warn(field, absl::StrCat("unknown EPCI SIREN ", base::Quoted(code),
                               ": dropped"));
    return "";
  }
  if (IsCommuneCode(code)) {
    if (FindCommune(code) != nullptr) return code;
    if (const Commune* now = FindFormerCommune(code); now != nullptr) {
      w.Warn(field, absl::StrCat("former commune code ", base::Quoted(code),
                                 ": read as its current commune ",
                                 base::Quoted(now->insee_com)));
      return now->insee_com;
    }
    w.Warn(field, absl::StrCat("unknown commune code ", base::Quoted(code),
                               ": dropped"));
    return "";
  }
  if (IsDepartementCode(code)) return code;
  w.Warn(field, absl::StrCat("not a zone code (france, 99100, a département, "
                             "a commune, an EPCI SIREN) ",
                             base::Quoted(code), ": dropped"));
  return "";
}

}  // namespace maillage::import
