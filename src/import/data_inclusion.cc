// data·inclusion structures and services (schema v1, and the v0 fields
// still found in exports) as partner and service rows. docs/import.md lists
// every mapping; the v0 tables below follow the v0 vocabularies
// (typologies de structures, profils, frais, typologies de services, modes
// d'orientation) and the v1 vocabularies compiled into the library.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "import/fields.h"
#include "import/importer.h"
#include "import/mapping.h"
#include "import/record.h"
#include "maillage/geo.h"
#include "maillage/import.h"
#include "maillage/vocabulary.h"

namespace maillage {
namespace import {
namespace {

// v0 `typologie` (typologies de structures) -> v1 reseau porteur; "" when
// none fits.
constexpr std::pair<absl::string_view, absl::string_view> kTypologies[] = {
    {"ACI", "aci"},
    {"ACIPHC", "aci"},
    {"AFPA", "afpa"},
    {"AI", "ai"},
    {"ASE", "ase"},
    {"ASSO", ""},
    {"ASSO_CHOMEUR", ""},
    {"AUTRE", ""},
    {"AVIP", "creches-avip"},
    {"BIB", ""},
    {"CAARUD", "caarud"},
    {"CADA", "cada"},
    {"CAF", "caf"},
    {"CAP_EMPLOI", "cap-emploi-reseau-cheops"},
    {"CAVA", "cava"},
    {"CC", "communes"},
    {"CCAS", "ccas-cias"},
    {"CCONS", "chambres-consulaires"},
    {"CD", "departements"},
    {"CDAS", "departements"},
    {"CFP", ""},
    {"CHRS", "chrs"},
    {"CHU", "chu"},
    {"CIAS", "ccas-cias"},
    {"CIDFF", "cidff"},
    {"CITMET", ""},
    {"CMP", "cmp"},
    {"CMS", "cms"},
    {"CPAM", "cpam"},
    {"CPH", "cph"},
    {"CS", "fcsf"},
    {"CSAPA", "csapa"},
    {"CSC", "fcsf"},
    {"DEETS", ""},
    {"DEPT", "departements"},
    {"DIPLP", ""},
    {"E2C", "ecoles-de-la-deuxieme-chance"},
    {"EA", "ea"},
    {"EATT", "eatt"},
    {"EI", "ei"},
    {"EITI", "eiti"},
    {"ENM", "espaces-publics-numeriques"},
    {"EPCI", "communes"},
    {"EPI", "espaces-publics-numeriques"},
    {"EPIDE", "epide"},
    {"EPN", "espaces-publics-numeriques"},
    {"ES", ""},
    {"ESS", ""},
    {"ETABL_PRI", ""},
    {"ETABL_PUB", ""},
    {"ETAT", ""},
    {"ETTI", "etti"},
    {"EVS", "caf"},
    {"FABLAB", ""},
    {"FAIS", "federation-des-acteurs-de-la-solidarite"},
    {"FT", "france-travail"},
    {"GEIQ", "geiq"},
    {"HUDA", "huda"},
    {"LA_POSTE", "la-poste"},
    {"MDE", "maisons-de-l-emploi"},
    {"MDEF", "maisons-de-l-emploi"},
    {"MDPH", "mdph"},
    {"MDS", "maisons-des-solidarites"},
    {"MJC", "mjc"},
    {"ML", "mission-locale"},
    {"MQ", "communes"},
    {"MSA", "mutualite-sociale-agricole"},
    {"MSAP", "msap"},
    {"MUNI", "communes"},
    {"OACAS", ""},
    {"ODC", "delegataire-conseil-departemental"},
    {"OF", ""},
    {"OIL", ""},
    {"OPCS", ""},
    {"PAD", "points-justice"},
    {"PENSION", ""},
    {"PI", ""},
    {"PIJ_BIJ", "reseau-information-jeunesse"},
    {"PIMMS", "pimms-mediation"},
    {"PJJ", "pjj"},
    {"PLIE", "plie"},
    {"PREF", ""},
    {"PREVENTION", ""},
    {"REG", "regions"},
    {"RESSOURCERIE", "ressourceries"},
    {"RFS", "france-service"},
    {"RS_FJT", "residences-fjt"},
    {"SCP", ""},
    {"SPIP", "spip"},
    {"TIERS_LIEUX", ""},
    {"UDAF", "unaf"},
};

// v0 `profils` -> v1 publics (several for one, none when no v1 public
// fits).
constexpr std::pair<absl::string_view, absl::string_view> kProfils[] = {
    {"adultes", ""},
    {"alternants", "actifs|etudiants"},
    {"beneficiaire-rsa", "beneficiaires-des-minimas-sociaux"},
    {"beneficiaires-rsa", "beneficiaires-des-minimas-sociaux"},
    {"deficience-visuelle", "personnes-en-situation-de-handicap"},
    {"demandeur-demploi", "demandeurs-emploi"},
    {"demandeurs-demploi", "demandeurs-emploi"},
    {"etudiants", "etudiants"},
    {"familles-enfants", "familles"},
    {"femmes", "femmes"},
    {"handicaps-mentaux", "personnes-en-situation-de-handicap"},
    {"handicaps-psychiques", "personnes-en-situation-de-handicap"},
    {"jeunes", "jeunes"},
    {"jeunes-16-26", "jeunes"},
    {"locataires", ""},
    {"personnes-de-nationalite-etrangere", "personnes-exilees"},
    {"personnes-en-situation-de-handicap",
     "personnes-en-situation-de-handicap"},
    {"personnes-en-situation-durgence", "personnes-en-situation-durgence"},
    {"personnes-en-situation-illettrisme", ""},
    {"personnes-handicapees", "personnes-en-situation-de-handicap"},
    {"proprietaires", ""},
    {"public-langues-etrangeres", "personnes-exilees"},
    {"retraites", "seniors"},
    {"salaries", "actifs"},
    {"sans-domicile-fixe", "personnes-en-situation-durgence"},
    {"seniors-65", "seniors"},
    {"sortants-de-detention", "personnes-en-situation-juridique-specifique"},
    {"surdite", "personnes-en-situation-de-handicap"},
    {"tous-publics", "tous-publics"},
    {"victimes", "personnes-en-situation-durgence"},
};

// v0 `frais` -> v1 frais.
constexpr std::pair<absl::string_view, absl::string_view> kFrais[] = {
    {"adhesion", "payant"},
    {"gratuit", "gratuit"},
    {"gratuit-sous-conditions", "gratuit"},
    {"pass-numerique", "gratuit"},
    {"payant", "payant"},
};

// v0 `types` (typologies de services) -> v1 type (types de services).
constexpr std::pair<absl::string_view, absl::string_view> kTypes[] = {
    {"accompagnement", "accompagnement"},
    {"accueil", ""},
    {"aide-financiere", "aide-financiere"},
    {"aide-materielle", "aide-materielle"},
    {"atelier", "atelier"},
    {"autonomie", ""},
    {"delegation", ""},
    {"financement", "aide-financiere"},
    {"formation", "formation"},
    {"information", "information"},
    {"numerique", ""},
};

// v0 `modes_orientation_*` -> v1 modes_mobilisation.
constexpr std::pair<absl::string_view, absl::string_view> kModesOrientation[] =
    {
        {"autre", ""},
        {"completer-le-formulaire-dadhesion", "utiliser-lien-mobilisation"},
        {"envoyer-un-mail", "envoyer-un-courriel"},
        {"envoyer-un-mail-avec-une-fiche-de-prescription",
         "envoyer-un-courriel"},
        {"envoyer-une-fiche-de-prescription", "envoyer-un-courriel"},
        {"prendre-rdv", ""},
        {"se-presenter", "se-presenter"},
        {"telephoner", "telephoner"},
};

// The id of a record: a v0 id without its producer (`42` from `dora`) takes
// the v1 form `source--id`.
std::string RecordId(Fields& f, Where& w, std::string* source) {
  std::string id = IdOf(f["id"], w, "id");
  *source = IdOf(f["source"], w, "source");
  if (!id.empty() && !source->empty() &&
      !absl::StartsWith(id, absl::StrCat(*source, "--"))) {
    id = absl::StrCat(*source, "--", id);
    w.Map("v0 id -> source--id");
  }
  return id;
}

// The commune and coordinates of a structure or a service (the same fields
// in both), into `row`.
template <typename Row>
void SetPlace(Fields& f, Where& w, Row* row) {
  PlaceFields pf;
  pf.code_insee = &f["code_insee"];
  pf.code_postal = &f["code_postal"];
  pf.commune = &f["commune"];
  pf.latitude = &f["latitude"];
  pf.longitude = &f["longitude"];
  Place place = PlaceOf(pf, w);
  row->insee_com = std::move(place.insee_com);
  row->lat = place.lat;
  row->lng = place.lng;
}

// Maps one structure; false when rejected.
bool AddStructure(Importer& imp, const Value& record, Where& w,
                  absl::string_view prefix = "") {
  Fields f(record);
  PartnerRow row;
  std::string source;
  row.id = RecordId(f, w, &source);
  if (row.id.empty()) {
    w.Reject("id", "id is required");
    f.CountIgnored(imp, w.source(), prefix);
    return false;
  }
  row.name = TextOf(f["nom"], w, "nom");
  if (row.name.empty()) w.Warn("nom", "nom is missing");
  SetPlace(f, w, &row);
  std::string siret = IdOf(f["siret"], w, "siret");
  if (siret.find(' ') != std::string::npos) {
    siret.erase(std::remove(siret.begin(), siret.end(), ' '), siret.end());
    w.Map("siret written with blanks -> 14 digits");
  }
  if (!siret.empty()) {
    if (siret.size() == 14 &&
        siret.find_first_not_of("0123456789") == std::string::npos) {
      row.siret = siret;
    } else {
      w.Warn("siret", absl::StrCat("siret is not 14 digits ",
                                   base::Quoted(siret), ": dropped"));
    }
  }
  row.reseaux_porteurs =
      KnownCodes(ListOf(f["reseaux_porteurs"], w, "reseaux_porteurs"), w,
                 "reseaux_porteurs", "reseau porteur", IsReseauPorteur);
  if (!row.reseaux_porteurs.empty()) row.kind = row.reseaux_porteurs[0];
  // v0: typologie and labels nationaux.
  const std::string typologie = IdOf(f["typologie"], w, "typologie");
  if (!typologie.empty()) {
    const absl::optional<absl::string_view> reseau =
        Lookup(kTypologies, absl::AsciiStrToUpper(typologie));
    if (!reseau) {
      w.Warn("typologie", absl::StrCat("unknown v0 typologie ",
                                       base::Quoted(typologie), ": dropped"));
    } else if (reseau->empty()) {
      w.Warn("typologie",
             absl::StrCat("v0 typologie ", base::Quoted(typologie),
                          " has no reseau porteur equivalent: dropped"));
    } else {
      w.Map("v0 typologie -> kind, reseaux_porteurs");
      if (row.kind.empty()) row.kind = std::string(*reseau);
      if (std::find(row.reseaux_porteurs.begin(), row.reseaux_porteurs.end(),
                    *reseau) == row.reseaux_porteurs.end()) {
        row.reseaux_porteurs.emplace_back(*reseau);
      }
    }
  }
  std::vector<std::string> labels =
      KnownCodes(ListOf(f["labels_nationaux"], w, "labels_nationaux"), w,
                 "labels_nationaux", "reseau porteur (v0 label national)",
                 IsReseauPorteur);
  if (!labels.empty()) w.Map("v0 labels_nationaux -> reseaux_porteurs");
  for (std::string& label : labels) {
    if (std::find(row.reseaux_porteurs.begin(), row.reseaux_porteurs.end(),
                  label) == row.reseaux_porteurs.end()) {
      row.reseaux_porteurs.push_back(std::move(label));
    }
  }
  row.updated = DateOf(f["date_maj"], w, "date_maj");
  f.CountIgnored(imp, w.source(), prefix);
  return imp.AddPartner(std::move(row), w);
}

// A v0 list mapped through `table`: each code's v1 codes, or a warning for
// a code without equivalent or unknown.
std::vector<std::string> MapV0(
    const std::vector<std::string>& codes,
    absl::Span<const std::pair<absl::string_view, absl::string_view>> table,
    Where& w, absl::string_view field, absl::string_view what,
    absl::string_view target) {
  std::vector<std::string> out;
  for (const std::string& code : codes) {
    const absl::optional<absl::string_view> to = Lookup(table, code);
    if (!to) {
      w.Warn(field, absl::StrCat("unknown ", what, " code ", base::Quoted(code),
                                 ": dropped"));
      continue;
    }
    if (to->empty()) {
      w.Warn(field, absl::StrCat(what, " ", base::Quoted(code), " has no ",
                                 target, " equivalent: dropped"));
      continue;
    }
    for (absl::string_view c : absl::StrSplit(*to, '|')) {
      if (std::find(out.begin(), out.end(), c) == out.end()) {
        out.emplace_back(c);
      }
    }
  }
  return out;
}

bool IsPublic(absl::string_view c) { return ParsePublic(c).has_value(); }
bool IsTheme(absl::string_view c) { return ParseTheme(c).has_value(); }
bool IsMode(absl::string_view c) { return ParseMode(c).has_value(); }
bool IsFrais(absl::string_view c) {
  return ParseCode(Vocabulary::kFrais, c).has_value();
}
bool IsServiceType(absl::string_view c) {
  return ParseCode(Vocabulary::kServiceTypes, c).has_value();
}
bool IsModeMobilisation(absl::string_view c) {
  return ParseCode(Vocabulary::kModesMobilisation, c).has_value();
}
bool IsMobilisablePar(absl::string_view c) {
  return ParseCode(Vocabulary::kPersonnesMobilisatrices, c).has_value();
}

// v0 zone_diffusion_type + zone_diffusion_code -> zone_eligibilite codes.
std::vector<std::string> V0Zone(Fields& f, Where& w) {
  const std::string type = absl::AsciiStrToLower(
      IdOf(f["zone_diffusion_type"], w, "zone_diffusion_type"));
  const std::string code =
      IdOf(f["zone_diffusion_code"], w, "zone_diffusion_code");
  f["zone_diffusion_nom"];  // the name of the zone: the code says it
  if (type.empty() && code.empty()) return {};
  w.Map("v0 zone_diffusion -> zone_eligibilite");
  if (type == "pays") {
    if (code.empty() || code == "99100" ||
        absl::AsciiStrToLower(code) == "fr" ||
        absl::AsciiStrToLower(code) == "france") {
      return {"france"};
    }
    w.Warn("zone_diffusion_code", absl::StrCat("country ", base::Quoted(code),
                                               " is not France: dropped"));
    return {};
  }
  if (code.empty()) {
    w.Warn("zone_diffusion_code",
           absl::StrCat("zone_diffusion_type ", base::Quoted(type),
                        " without zone_diffusion_code: dropped"));
    return {};
  }
  if (type == "region") {
    std::vector<std::string> deps = DepartementsOfRegion(code);
    if (deps.empty()) {
      w.Warn("zone_diffusion_code",
             absl::StrCat("unknown region code ", base::Quoted(code),
                          ": dropped"));
    } else {
      w.Map("v0 region zone -> its départements");
    }
    return deps;
  }
  const bool commune = type == "commune";
  const bool epci = type == "epci";
  const bool departement = type == "departement";
  if (!commune && !epci && !departement) {
    w.Warn("zone_diffusion_type",
           absl::StrCat("unknown zone_diffusion_type ", base::Quoted(type),
                        " (commune, epci, departement, region, pays): zone "
                        "dropped"));
    return {};
  }
  std::string c = code;
  // A code written as a number loses its leading zero: 1053 for 01053.
  if ((commune && c.size() == 4 &&
       c.find_first_not_of("0123456789") == std::string::npos) ||
      (departement && c.size() == 1)) {
    c = "0" + c;
    w.Warn("zone_diffusion_code",
           absl::StrCat("zone_diffusion_code ", base::Quoted(code),
                        " lost its leading zero: read as ", base::Quoted(c)));
  }
  const bool shape_ok = commune ? IsCommuneCode(absl::AsciiStrToUpper(c))
                        : epci  ? IsSirenCode(c)
                                : IsDepartementCode(absl::AsciiStrToUpper(c));
  if (!shape_ok) {
    w.Warn("zone_diffusion_code",
           absl::StrCat("zone_diffusion_code ", base::Quoted(code),
                        " is not a code of its type ", base::Quoted(type),
                        ": dropped"));
    return {};
  }
  std::string z = ZoneCodeOf(c, w, "zone_diffusion_code");
  if (z.empty()) return {};
  return {std::move(z)};
}

// Maps one service (and the structure it nests); false when rejected.
bool AddService(Importer& imp, const Value& record, Where& w,
                int* nested_source, const std::string& file) {
  Fields f(record);
  PendingService s;
  ServiceRow& row = s.row;
  row.id = RecordId(f, w, &s.source_name);
  // A nested structure: imported unless its id is known.
  const Value& nested = f["structure"];
  std::string nested_id;
  if (nested.kind == Value::Kind::kObject) {
    Fields nf(nested);
    std::string nested_source_name;
    Where probe(&imp, w.source(), w.position(), "structure.");
    nested_id = IdOf(nested.Get("id"), probe, "id");
    const std::string ns = IdOf(nested.Get("source"), probe, "source");
    if (!nested_id.empty() && !ns.empty() &&
        !absl::StartsWith(nested_id, absl::StrCat(ns, "--"))) {
      nested_id = absl::StrCat(ns, "--", nested_id);
    }
    if (nested_id.empty() || !imp.HasPartner(nested_id)) {
      if (*nested_source < 0) {
        *nested_source = imp.AddSource(file, "structures nested in services");
      }
      imp.CountRead(*nested_source);
      Where nw(&imp, *nested_source, w.position(), "structure.");
      w.Map("structure nested in a service -> partner");
      AddStructure(imp, nested, nw);
    }
  } else if (!nested.Empty()) {
    w.Warn("structure", "is not an object: dropped");
  }
  s.structure_ref = IdOf(f["structure_id"], w, "structure_id");
  if (s.structure_ref.empty()) s.structure_ref = nested_id;
  if (row.id.empty()) w.Reject("id", "id is required");
  if (s.structure_ref.empty()) {
    w.Reject("structure_id", "structure_id is required");
  }
  row.name = TextOf(f["nom"], w, "nom");
  if (row.name.empty()) w.Warn("nom", "nom is missing");
  // Themes: at least one is required.
  const std::vector<std::string> themes =
      ListOf(f["thematiques"], w, "thematiques");
  row.thematiques =
      KnownCodes(themes, w, "thematiques", "data·inclusion theme", IsTheme);
  if (row.thematiques.empty()) {
    w.Reject("thematiques",
             themes.empty() ? "no thematiques: a service needs at least one "
                              "theme"
                            : "no valid data·inclusion theme: a service needs "
                              "at least one");
  }
  // Publics, or v0 profils.
  const bool v1_publics = f.Has("publics");
  const std::vector<std::string> publics =
      v1_publics ? ListOf(f["publics"], w, "publics")
                 : ListOf(f["profils"], w, "profils");
  if (v1_publics) {
    row.publics = KnownCodes(publics, w, "publics", "public", IsPublic);
  } else if (!publics.empty()) {
    w.Map("v0 profils -> publics");
    row.publics =
        MapV0(publics, kProfils, w, "profils", "v0 profil", "v1 public");
  }
  if (!publics.empty() && row.publics.empty()) {
    w.Warn(v1_publics ? "publics" : "profils",
           "no public left: publics left empty (open to all)");
  }
  row.modes_accueil = KnownCodes(ListOf(f["modes_accueil"], w, "modes_accueil"),
                                 w, "modes_accueil", "mode d'accueil", IsMode);
  // Zone: v1 zone_eligibilite, or v0 zone_diffusion.
  if (f.Has("zone_eligibilite")) {
    const std::vector<std::string> zone =
        ListOf(f["zone_eligibilite"], w, "zone_eligibilite");
    for (const std::string& code : zone) {
      std::string z = ZoneCodeOf(code, w, "zone_eligibilite");
      if (!z.empty() &&
          std::find(row.zone_eligibilite.begin(), row.zone_eligibilite.end(),
                    z) == row.zone_eligibilite.end()) {
        row.zone_eligibilite.push_back(std::move(z));
      }
    }
    if (!zone.empty() && row.zone_eligibilite.empty()) {
      w.Warn("zone_eligibilite",
             "no valid zone code left: zone left empty (no restriction)");
    }
  } else {
    const bool given =
        f.Has("zone_diffusion_type") || f.Has("zone_diffusion_code");
    row.zone_eligibilite = V0Zone(f, w);
    if (given && row.zone_eligibilite.empty()) {
      w.Warn("zone_diffusion_code",
             "no valid zone left: zone left empty (no restriction)");
    }
  }
  SetPlace(f, w, &row);
  row.updated = DateOf(f["date_maj"], w, "date_maj");
  // Type: v1 `type` (one code), or v0 `types` (a list).
  if (f.Has("type")) {
    row.types = KnownCodes(ListOf(f["type"], w, "type"), w, "type",
                           "type de service", IsServiceType);
  } else if (f.Has("types")) {
    w.Map("v0 types -> types");
    row.types = MapV0(ListOf(f["types"], w, "types"), kTypes, w, "types",
                      "v0 typologie de service", "v1 type de service");
  }
  // Frais: v1 one code, v0 a list of v0 codes.
  const std::vector<std::string> frais = ListOf(f["frais"], w, "frais");
  bool v0_frais = false;
  for (const std::string& c : frais) v0_frais |= !IsFrais(c);
  if (v0_frais || frais.size() > 1) {
    w.Map("v0 frais -> frais");
    row.frais = MapV0(frais, kFrais, w, "frais", "v0 frais", "v1 frais");
  } else {
    row.frais = frais;
  }
  // Mobilisation: v1, or v0 modes d'orientation.
  if (f.Has("modes_mobilisation") || f.Has("mobilisable_par")) {
    row.modes_mobilisation = KnownCodes(
        ListOf(f["modes_mobilisation"], w, "modes_mobilisation"), w,
        "modes_mobilisation", "mode de mobilisation", IsModeMobilisation);
    row.mobilisable_par = KnownCodes(
        ListOf(f["mobilisable_par"], w, "mobilisable_par"), w,
        "mobilisable_par", "personne mobilisatrice", IsMobilisablePar);
  } else {
    const std::vector<std::string> pro =
        ListOf(f["modes_orientation_accompagnateur"], w,
               "modes_orientation_accompagnateur");
    const std::vector<std::string> usager =
        ListOf(f["modes_orientation_beneficiaire"], w,
               "modes_orientation_beneficiaire");
    if (!pro.empty() || !usager.empty()) {
      w.Map("v0 modes_orientation -> modes_mobilisation, mobilisable_par");
    }
    for (const auto& [codes, field] :
         {std::pair{&pro, "modes_orientation_accompagnateur"},
          std::pair{&usager, "modes_orientation_beneficiaire"}}) {
      for (std::string& m :
           MapV0(*codes, kModesOrientation, w, field, "v0 mode d'orientation",
                 "v1 mode de mobilisation")) {
        if (std::find(row.modes_mobilisation.begin(),
                      row.modes_mobilisation.end(),
                      m) == row.modes_mobilisation.end()) {
          row.modes_mobilisation.push_back(std::move(m));
        }
      }
    }
    // In vocabulary order: professionnels, usagers.
    if (!pro.empty()) row.mobilisable_par.push_back("professionnels");
    if (!usager.empty()) row.mobilisable_par.push_back("usagers");
  }
  // Text: v1, or the v0 fields it replaces.
  row.lien_mobilisation =
      TextOf(f["lien_mobilisation"], w, "lien_mobilisation");
  for (absl::string_view v0 : {"formulaire_en_ligne", "prise_rdv"}) {
    if (!row.lien_mobilisation.empty()) break;
    row.lien_mobilisation = TextOf(f[v0], w, v0);
    if (!row.lien_mobilisation.empty()) {
      w.Map(absl::StrCat("v0 ", v0, " -> lien_mobilisation"));
    }
  }
  row.horaires_accueil = TextOf(f["horaires_accueil"], w, "horaires_accueil");
  if (row.horaires_accueil.empty()) {
    row.horaires_accueil = TextOf(f["recurrence"], w, "recurrence");
    if (!row.horaires_accueil.empty()) {
      w.Map("v0 recurrence -> horaires_accueil");
    }
  }
  row.conditions_acces = TextOf(f["conditions_acces"], w, "conditions_acces");
  if (row.conditions_acces.empty()) {
    std::vector<std::string> parts;
    for (absl::string_view v0 : {"pre_requis", "justificatifs"}) {
      for (const std::string& item : ListOf(f[v0], w, v0)) {
        Value text;
        text.kind = Value::Kind::kText;
        text.text = item;
        parts.push_back(TextOf(text, w, v0));
      }
    }
    if (!parts.empty()) {
      w.Map("v0 pre_requis, justificatifs -> conditions_acces");
      Value joined;
      joined.kind = Value::Kind::kText;
      joined.text = absl::StrJoin(parts, "; ");
      row.conditions_acces = TextOf(joined, w, "pre_requis");
    }
  }
  if (absl::optional<double> q =
          NumberOf(f["score_qualite"], w, "score_qualite")) {
    if (*q >= 0 && *q <= 1) {
      row.score_qualite = q;
    } else {
      w.Warn("score_qualite", "score_qualite out of [0, 1]: dropped");
    }
  }
  f.CountIgnored(imp, w.source());
  if (w.rejected()) return false;
  return imp.AddService(std::move(s), w);
}

}  // namespace
}  // namespace import

absl::StatusOr<ImportResult> ImportDataInclusion(
    const DataInclusionFiles& files, const ImportOptions& options) {
  if (files.services.empty()) {
    return absl::InvalidArgumentError(
        "ImportDataInclusion: a services file is required");
  }
  return base::ExhaustedOnBadAlloc(
      "ImportDataInclusion", [&]() -> absl::StatusOr<ImportResult> {
        import::Importer imp(options);
        if (!files.structures.empty()) {
          MAILLAGE_RETURN_IF_ERROR(
              import::ReadSource(imp, files.structures, "structures", "id",
                                 [&](const import::Value& r, import::Where& w) {
                                   import::AddStructure(imp, r, w);
                                 }));
        }
        int nested = -1;
        MAILLAGE_RETURN_IF_ERROR(import::ReadSource(
            imp, files.services, "services", "id",
            [&](const import::Value& r, import::Where& w) {
              import::AddService(imp, r, w, &nested, files.services);
            }));
        if (!files.capacities.empty()) {
          MAILLAGE_RETURN_IF_ERROR(import::ReadSource(
              imp, files.capacities, "capacities", "service_id",
              [&](const import::Value& r, import::Where& w) {
                import::AddCapacity(imp, r, w);
              }));
        }
        return std::move(imp).Finish();
      });
}

}  // namespace maillage
