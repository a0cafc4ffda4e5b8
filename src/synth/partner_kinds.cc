#include "synth/partner_kinds.h"

#include <cstring>

namespace maillage::synth {
namespace {

// The tables below keep one template per few lines, which clang-format would
// spread one field per line.
// clang-format off

// Shorthands for the publics codes used below.
#define URGENCE "personnes-en-situation-durgence"
#define MINIMAS "beneficiaires-des-minimas-sociaux"
#define DE "demandeurs-emploi"
#define TOUS "tous-publics"
#define NONE {nullptr, 0}

using Z = ZoneRule;

// Fields: label, weight, themes, extra_themes, {publics choices},
// available_lo, available_hi, p_full, occupied_lo, occupied_hi, zone,
// min_age, max_age, remote_ok.

// --- Housing and shelter: few free places, many services full. ---
constexpr ServiceTemplate kChrs[] = {
    {"hébergement et réinsertion", 1.0,
     "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
     "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-"
     "logement|difficultes-administratives-ou-juridiques--accompagnement-aux-"
     "demarches-administratives",
     {{URGENCE, 0.7}, {URGENCE "|" MINIMAS, 0.3}},
     0, 4, 0.25, 15, 60, Z::kNone, 0, 0, false},
    {"accompagnement vers le logement", 0.5,
     "logement-hebergement--louer-un-logement|logement-hebergement--se-"
     "maintenir-dans-le-logement",
     "",
     {{URGENCE "|" MINIMAS, 1.0}, NONE},
     1, 5, 0.10, 5, 20, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kChu[] = {
    {"mise à l'abri", 1.0,
     "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
     "",
     {{URGENCE, 1.0}, NONE},
     1, 4, 0.30, 20, 80, Z::kNone, 0, 0, false},
    {"accueil de jour", 0.3,
     "equipement-et-alimentation--alimentation|equipement-et-alimentation--"
     "habillement",
     "sante--acces-aux-soins",
     {{URGENCE, 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kSiao[] = {
    {"orientation hébergement", 1.0,
     "logement-hebergement--rechercher-une-solution-dhebergement-temporaire|"
     "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-"
     "logement",
     "",
     {{URGENCE, 1.0}, NONE},
     5, 20, 0.10, 10, 50, Z::kDepartement, 0, 0, false},
};
constexpr ServiceTemplate kCada[] = {
    {"hébergement des demandeurs d'asile", 1.0,
     "logement-hebergement--rechercher-une-solution-dhebergement-temporaire|"
     "difficultes-administratives-ou-juridiques--accompagnement-aux-"
     "demarches-administratives",
     "",
     {{"personnes-exilees", 1.0}, NONE},
     1, 3, 0.40, 30, 90, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kActionLogement[] = {
    {"accès au logement des salariés", 1.0,
     "logement-hebergement--louer-un-logement|logement-hebergement--changer-"
     "de-logement",
     "logement-hebergement--reduire-les-impayes-de-loyer",
     {{TOUS, 1.0}, NONE},
     2, 10, 0.10, 5, 20, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kFjt[] = {
    {"logement des jeunes travailleurs", 1.0,
     "logement-hebergement--louer-un-logement",
     "",
     {{"jeunes", 1.0}, NONE},
     1, 3, 0.30, 20, 60, Z::kNone, 16, 30, false},
};

// --- Health. ---
constexpr ServiceTemplate kCmp[] = {
    {"consultations adultes", 1.0,
     "sante--sante-mentale",
     "",
     {{TOUS, 1.0}, NONE},
     1, 6, 0.20, 10, 40, Z::kSecteur, 18, 0, false},
};
constexpr ServiceTemplate kCsapa[] = {
    {"soins en addictologie", 1.0,
     "sante--addictions",
     "sante--acces-aux-soins",
     {{TOUS, 1.0}, NONE},
     2, 10, 0.10, 10, 40, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kCaarud[] = {
    {"réduction des risques", 1.0,
     "sante--addictions",
     "sante--acces-aux-soins|sante--sante-sexuelle",
     {{URGENCE, 0.5}, {TOUS, 0.5}},
     5, 15, 0.05, 5, 20, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kCpam[] = {
    {"accès aux soins et aux droits", 1.0,
     "sante--acces-aux-soins|difficultes-administratives-ou-juridiques--"
     "accompagnement-pour-lacces-aux-droits",
     "",
     {{TOUS, 1.0}, NONE},
     30, 100, 0.0, 20, 100, Z::kDepartement, 0, 0, true},
    {"mission accompagnement santé", 0.5,
     "sante--acces-aux-soins",
     "",
     {{MINIMAS, 0.5}, {TOUS, 0.5}},
     10, 30, 0.0, 10, 30, Z::kDepartement, 0, 0, true},
};
constexpr ServiceTemplate kCms[] = {
    {"consultations", 1.0,
     "sante--acces-aux-soins",
     "sante--sante-sexuelle",
     {{TOUS, 1.0}, NONE},
     3, 15, 0.10, 10, 40, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kMdph[] = {
    {"dossier handicap", 1.0,
     "sante--constituer-un-dossier-mdph-invalidite",
     "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-"
     "daccompagnement-adapte",
     {{"personnes-en-situation-de-handicap", 0.6}, {TOUS, 0.4}},
     10, 40, 0.0, 10, 60, Z::kDepartement, 0, 0, true},
};

// --- Rights, money, family. ---
constexpr ServiceTemplate kCaf[] = {
    {"accès aux droits et prestations", 1.0,
     "difficultes-financieres--prevenir-une-degradation-de-la-situation-"
     "financiere|difficultes-administratives-ou-juridiques--accompagnement-"
     "pour-lacces-aux-droits",
     "",
     {{"familles|" MINIMAS, 0.6}, {TOUS, 0.4}},
     20, 60, 0.0, 20, 80, Z::kDepartement, 0, 0, true},
    {"soutien aux familles", 0.7,
     "famille--soutien-a-la-parentalite-et-a-leducation",
     "famille--surmonter-conflits-separation-violence",
     {{"familles", 1.0}, NONE},
     5, 15, 0.05, 5, 20, Z::kDepartement, 0, 0, false},
    {"aides au logement", 0.5,
     "logement-hebergement--reduire-les-impayes-de-loyer|logement-"
     "hebergement--se-maintenir-dans-le-logement",
     "",
     {{TOUS, 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kDepartement, 0, 0, false},
};
constexpr ServiceTemplate kCcas[] = {
    {"accueil social", 1.0,
     "difficultes-administratives-ou-juridiques--accompagnement-aux-"
     "demarches-administratives",
     "difficultes-financieres--prevenir-une-degradation-de-la-situation-"
     "financiere|difficultes-administratives-ou-juridiques--accompagnement-"
     "pour-lacces-aux-droits",
     {{TOUS, 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kCommune, 0, 0, false},
    {"aide alimentaire", 0.6,
     "equipement-et-alimentation--alimentation",
     "",
     {{MINIMAS "|" URGENCE, 0.6}, {TOUS, 0.4}},
     5, 30, 0.05, 5, 30, Z::kCommune, 0, 0, false},
    {"domiciliation", 0.4,
     "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-"
     "aux-droits",
     "",
     {{URGENCE, 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kCommune, 0, 0, false},
};
constexpr ServiceTemplate kPcb[] = {
    {"conseil budgétaire", 1.0,
     "difficultes-financieres--ameliorer-sa-gestion-budgetaire|difficultes-"
     "financieres--situation-dendettement-surendettement",
     "difficultes-financieres--acquerir-une-autonomie-budgetaire",
     {{TOUS, 1.0}, NONE},
     2, 8, 0.15, 3, 10, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kCresus[] = {
    {"prévention du surendettement", 1.0,
     "difficultes-financieres--situation-dendettement-surendettement|"
     "difficultes-financieres--prevenir-une-degradation-de-la-situation-"
     "financiere",
     "",
     {{TOUS, 1.0}, NONE},
     2, 6, 0.15, 3, 10, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kPointsJustice[] = {
    {"accès au droit", 1.0,
     "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-"
     "aux-droits|difficultes-administratives-ou-juridiques--prendre-en-"
     "compte-une-problematique-judiciaire",
     "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-"
     "une-discrimination",
     {{TOUS, 1.0}, NONE},
     3, 12, 0.10, 3, 15, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kCidff[] = {
    {"droits des femmes et des familles", 1.0,
     "famille--surmonter-conflits-separation-violence|difficultes-"
     "administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
     "",
     {{"femmes", 0.7}, {"femmes|familles", 0.3}},
     2, 8, 0.10, 3, 10, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kFranceServices[] = {
    {"démarches administratives", 1.0,
     "difficultes-administratives-ou-juridiques--accompagnement-aux-"
     "demarches-administratives|numerique--acceder-a-des-services-en-ligne",
     "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-"
     "aux-droits",
     {{TOUS, 1.0}, NONE},
     10, 30, 0.0, 5, 20, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kUdaf[] = {
    {"protection juridique des majeurs", 1.0,
     "difficultes-financieres--mettre-en-place-une-mesure-de-protection-"
     "financiere|difficultes-administratives-ou-juridiques--beneficier-dune-"
     "mesure-daccompagnement-adapte",
     "",
     {{TOUS, 1.0}, NONE},
     1, 5, 0.20, 10, 40, Z::kDepartement, 18, 0, false},
};
constexpr ServiceTemplate kMds[] = {
    {"accompagnement social", 1.0,
     "difficultes-financieres|logement-hebergement--se-maintenir-dans-le-"
     "logement",
     "",
     {{MINIMAS "|familles", 0.5}, {TOUS, 0.5}},
     5, 15, 0.05, 5, 20, Z::kNone, 0, 0, false},
    {"soutien à la parentalité", 0.6,
     "famille--soutien-a-la-parentalite-et-a-leducation|famille--garde-"
     "denfants",
     "",
     {{"familles", 1.0}, NONE},
     2, 8, 0.10, 3, 10, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kSpip[] = {
    {"insertion des personnes placées sous main de justice", 1.0,
     "difficultes-administratives-ou-juridiques--prendre-en-compte-une-"
     "problematique-judiciaire",
     "trouver-un-emploi--repondre-a-des-offres-demploi",
     {{"personnes-en-situation-juridique-specifique", 1.0}, NONE},
     3, 10, 0.05, 5, 20, Z::kDepartement, 18, 0, false},
};

// --- Employment and training. ---
constexpr ServiceTemplate kFranceTravail[] = {
    {"accompagnement vers l'emploi", 2.0, "trouver-un-emploi", "",
     {{DE, 0.7}, {TOUS, 0.3}},
     20, 80, 0.0, 20, 100, Z::kNone, 0, 0, true},
    {"ateliers candidature", 1.5, "preparer-sa-candidature", "",
     {{DE, 0.7}, {TOUS, 0.3}},
     10, 40, 0.05, 10, 40, Z::kNone, 0, 0, true},
    {"projet professionnel", 1.0,
     "choisir-un-metier--identifier-ses-points-forts-et-ses-competences|"
     "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
     "choisir-un-metier--connaitre-les-opportunites-demploi",
     {{DE, 0.7}, {TOUS, 0.3}},
     10, 30, 0.05, 10, 30, Z::kNone, 0, 0, false},
    {"formation des demandeurs d'emploi", 0.7,
     "se-former--trouver-sa-formation|se-former--monter-son-dossier-de-"
     "formation",
     "",
     {{DE, 1.0}, NONE},
     5, 20, 0.10, 10, 30, Z::kNone, 0, 0, false},
    {"aides à la mobilité", 0.4,
     "mobilite--financer-ma-mobilite",
     "",
     {{DE, 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kNone, 0, 0, false},
    {"mobilité internationale", 0.1,
     "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-"
     "letranger|souvrir-a-linternational--sinformer-sur-les-aides-pour-"
     "travailler-a-letranger",
     "",
     {{TOUS, 1.0}, NONE},
     2, 10, 0.10, 2, 10, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kMissionLocale[] = {
    {"emploi des jeunes", 1.0, "trouver-un-emploi|preparer-sa-candidature",
     "",
     {{"jeunes", 1.0}, NONE},
     10, 40, 0.05, 10, 40, Z::kNone, 16, 25, false},
    {"orientation et formation", 0.8,
     "se-former--trouver-sa-formation|choisir-un-metier--decouvrir-un-metier-"
     "ou-un-secteur-dactivite",
     "",
     {{"jeunes", 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kNone, 16, 25, false},
    {"mobilité des jeunes", 0.6,
     "mobilite--financer-ma-mobilite|mobilite--etre-accompagne-dans-son-"
     "parcours-mobilite",
     "",
     {{"jeunes", 1.0}, NONE},
     3, 10, 0.10, 3, 10, Z::kNone, 16, 25, false},
    {"logement des jeunes", 0.4,
     "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-"
     "logement",
     "",
     {{"jeunes", 1.0}, NONE},
     2, 8, 0.10, 2, 8, Z::kNone, 16, 25, false},
};
constexpr ServiceTemplate kCapEmploi[] = {
    {"emploi et handicap", 1.0,
     "trouver-un-emploi--repondre-a-des-offres-demploi|trouver-un-emploi--"
     "maintien-dans-lemploi",
     "",
     {{"personnes-en-situation-de-handicap", 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kDepartement, 0, 0, false},
};
constexpr ServiceTemplate kPlie[] = {
    {"parcours emploi renforcé", 1.0, "trouver-un-emploi",
     "preparer-sa-candidature--valoriser-ses-competences",
     {{MINIMAS, 0.6}, {DE, 0.4}},
     5, 20, 0.10, 10, 30, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kAfpa[] = {
    {"formation qualifiante", 1.0,
     "se-former--trouver-sa-formation|se-former--monter-son-dossier-de-"
     "formation",
     "choisir-un-metier--confirmer-son-choix-de-metier",
     {{TOUS, 0.5}, {DE, 0.5}},
     5, 25, 0.10, 10, 40, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kE2c[] = {
    {"remise à niveau et formation", 1.0,
     "se-former--trouver-sa-formation|lecture-ecriture-calcul--maitriser-le-"
     "calcul",
     "",
     {{"jeunes", 1.0}, NONE},
     2, 10, 0.15, 10, 30, Z::kNone, 16, 25, false},
};
constexpr ServiceTemplate kBge[] = {
    {"création d'entreprise", 1.0,
     "creer-une-entreprise--definir-son-projet-de-creation-dentreprise|"
     "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
     "",
     {{TOUS, 1.0}, NONE},
     2, 8, 0.10, 2, 10, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kAdie[] = {
    {"microcrédit", 1.0,
     "creer-une-entreprise--developper-son-entreprise|creer-une-entreprise--"
     "structurer-son-projet-de-creation-dentreprise",
     "mobilite--acceder-a-un-vehicule",
     {{TOUS, 1.0}, NONE},
     2, 8, 0.10, 2, 10, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kCravate[] = {
    {"préparation aux entretiens", 1.0,
     "trouver-un-emploi--convaincre-un-recruteur-en-entretien|preparer-sa-"
     "candidature--valoriser-ses-competences",
     "equipement-et-alimentation--habillement",
     {{TOUS, 1.0}, NONE},
     2, 8, 0.10, 2, 10, Z::kNone, 0, 0, false},
};

// --- Mobility. ---
constexpr ServiceTemplate kWimoov[] = {
    {"conseil en mobilité", 1.0,
     "mobilite--etre-accompagne-dans-son-parcours-mobilite|mobilite--"
     "financer-ma-mobilite",
     "mobilite--mobilite-douce-partagee-collective",
     {{DE "|" MINIMAS, 0.6}, {TOUS, 0.4}},
     3, 12, 0.10, 3, 15, Z::kNone, 0, 0, true},
    {"location solidaire de véhicules", 0.6,
     "mobilite--acceder-a-un-vehicule",
     "",
     {{DE "|" MINIMAS, 1.0}, NONE},
     1, 5, 0.30, 3, 15, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kMobin[] = {
    {"permis de conduire", 1.0,
     "mobilite--preparer-un-permis",
     "",
     {{MINIMAS "|" DE, 0.7}, {TOUS, 0.3}},
     1, 3, 0.20, 5, 15, Z::kNone, 0, 0, false},
    {"garage solidaire", 0.4,
     "mobilite--entretenir-reparer-son-vehicule|mobilite--acceder-a-un-"
     "vehicule",
     "",
     {{TOUS, 1.0}, NONE},
     1, 4, 0.15, 2, 8, Z::kNone, 0, 0, false},
};

// --- Language, digital. ---
constexpr ServiceTemplate kAsl[] = {
    {"cours de français", 1.0,
     "lecture-ecriture-calcul--maitriser-le-francais",
     "",
     {{"personnes-exilees", 0.5}, {TOUS, 0.5}},
     1, 4, 0.30, 8, 20, Z::kNone, 0, 0, false},
    {"savoirs de base", 0.4,
     "lecture-ecriture-calcul--maitriser-le-francais|lecture-ecriture-calcul--"
     "maitriser-le-calcul",
     "",
     {{TOUS, 1.0}, NONE},
     1, 4, 0.20, 5, 12, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kConseillersNumeriques[] = {
    {"accompagnement numérique", 1.0,
     "numerique--maitriser-les-fondamentaux-du-numerique|numerique--acceder-"
     "a-des-services-en-ligne",
     "",
     {{TOUS, 1.0}, NONE},
     3, 12, 0.05, 3, 12, Z::kNone, 0, 0, true},
};
constexpr ServiceTemplate kEmmausConnect[] = {
    {"équipement et connexion", 1.0,
     "numerique--acquerir-un-equipement|numerique--acceder-a-une-connexion-"
     "internet",
     "numerique--maitriser-les-fondamentaux-du-numerique",
     {{MINIMAS, 0.6}, {TOUS, 0.4}},
     2, 10, 0.10, 2, 10, Z::kNone, 0, 0, false},
};

// --- Food, equipment, remobilisation. ---
constexpr ServiceTemplate kRestos[] = {
    {"aide alimentaire", 1.0,
     "equipement-et-alimentation--alimentation",
     "",
     {{TOUS, 0.6}, {MINIMAS, 0.4}},
     10, 40, 0.05, 10, 60, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kBanquesAlimentaires[] = {
    {"épicerie solidaire", 1.0,
     "equipement-et-alimentation--alimentation",
     "",
     {{MINIMAS, 1.0}, NONE},
     5, 20, 0.10, 5, 30, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kSecoursPopulaire[] = {
    {"solidarité", 1.0,
     "equipement-et-alimentation--alimentation|equipement-et-alimentation--"
     "habillement",
     "",
     {{TOUS, 1.0}, NONE},
     5, 25, 0.05, 5, 30, Z::kNone, 0, 0, false},
    {"vacances et culture", 0.3,
     "remobilisation--activites-sportives-et-"
     "culturelles",
     "",
     {{"familles", 0.5}, {TOUS, 0.5}},
     3, 10, 0.10, 3, 10, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kCroixRouge[] = {
    {"aide alimentaire et vestimentaire", 1.0,
     "equipement-et-alimentation--alimentation|equipement-et-alimentation--"
     "habillement",
     "",
     {{TOUS, 1.0}, NONE},
     5, 20, 0.05, 5, 30, Z::kNone, 0, 0, false},
    {"accès aux soins", 0.5,
     "sante--acces-aux-soins",
     "",
     {{URGENCE, 0.5}, {TOUS, 0.5}},
     3, 10, 0.10, 3, 10, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kRessourceries[] = {
    {"équipement de la maison", 1.0,
     "equipement-et-alimentation--electromenager|equipement-et-alimentation--"
     "habillement",
     "",
     {{TOUS, 1.0}, NONE},
     3, 15, 0.05, 3, 15, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kCreches[] = {
    {"accueil du jeune enfant", 1.0,
     "famille--garde-denfants",
     "",
     {{"familles", 1.0}, NONE},
     1, 3, 0.35, 10, 40, Z::kNone, 0, 0, false},
};
constexpr ServiceTemplate kMjc[] = {
    {"activités et lien social", 1.0,
     "remobilisation--activites-sportives-et-culturelles|remobilisation--lien-"
     "social",
     "remobilisation--bien-etre-confiance-en-soi",
     {{TOUS, 1.0}, NONE},
     5, 20, 0.05, 5, 20, Z::kNone, 0, 0, false},
};

#undef URGENCE
#undef MINIMAS
#undef DE
#undef TOUS
#undef NONE

// Fields: code, label, weight, extra_services_weight, one_per_departement,
// urban, templates. Weights are shares of partners (they need not sum to 100).
constexpr PartnerKind kKinds[] = {
    {"chrs", "CHRS", 6, 1, false, true, kChrs},
    {"chu", "CHU", 4, 0.5, false, true, kChu},
    {"siao", "SIAO", 1, 0.5, true, true, kSiao},
    {"cada", "CADA", 1.5, 0.3, false, true, kCada},
    {"action-logement", "Action Logement", 1.5, 0.5, false, true,
     kActionLogement},
    {"residences-fjt", "Résidence FJT", 1, 0.3, false, true, kFjt},
    {"cmp", "CMP", 4, 0.5, false, true, kCmp},
    {"csapa", "CSAPA", 3, 0.5, false, true, kCsapa},
    {"caarud", "CAARUD", 1, 0.3, false, true, kCaarud},
    {"cpam", "CPAM", 2, 2, false, true, kCpam},
    {"cms", "Centre de santé", 3, 0.5, false, true, kCms},
    {"mdph", "MDPH", 1, 0.5, true, true, kMdph},
    {"caf", "CAF", 2, 2, false, true, kCaf},
    {"ccas-cias", "CCAS", 8, 1.5, false, false, kCcas},
    {"points-conseil-budget", "Point conseil budget", 3, 0.5, false, false,
     kPcb},
    {"cresus", "Crésus", 1, 0.3, false, true, kCresus},
    {"points-justice", "Point-justice", 2, 0.5, false, true, kPointsJustice},
    {"cidff", "CIDFF", 2, 0.5, false, true, kCidff},
    {"france-service", "France services", 4, 1, false, false, kFranceServices},
    {"unaf", "UDAF", 1, 0.3, false, true, kUdaf},
    {"maisons-des-solidarites", "Maison des solidarités", 2, 1.5, false, false,
     kMds},
    {"spip", "SPIP", 1, 0.3, false, true, kSpip},
    {"france-travail", "France Travail", 3, 4, false, true, kFranceTravail},
    {"mission-locale", "Mission locale", 3, 3, false, true, kMissionLocale},
    {"cap-emploi-reseau-cheops", "Cap emploi", 1, 0.5, false, true, kCapEmploi},
    {"plie", "PLIE", 1, 0.5, false, true, kPlie},
    {"afpa", "AFPA", 2, 1, false, true, kAfpa},
    {"ecoles-de-la-deuxieme-chance", "E2C", 1, 0.5, false, true, kE2c},
    {"reseau-bge", "BGE", 0.5, 0.3, false, true, kBge},
    {"adie", "Adie", 0.5, 0.3, false, true, kAdie},
    {"la-cravate-solidaire", "La Cravate solidaire", 1, 0.3, false, true,
     kCravate},
    {"wimoov", "Wimoov", 2, 1.5, false, true, kWimoov},
    {"mobin", "Auto-école sociale", 2, 0.8, false, false, kMobin},
    {"asl", "Ateliers sociolinguistiques", 3, 0.8, false, true, kAsl},
    {"conseillers-numeriques", "Conseiller numérique", 3, 0.5, false, false,
     kConseillersNumeriques},
    {"emmaus", "Emmaüs Connect", 1, 0.3, false, true, kEmmausConnect},
    {"restos-du-coeur", "Restos du cœur", 3, 0.5, false, false, kRestos},
    {"banques-alimentaires", "Épicerie solidaire", 1, 0.3, false, true,
     kBanquesAlimentaires},
    {"secours-populaire", "Secours populaire", 3, 1.5, false, false,
     kSecoursPopulaire},
    {"croix-rouge", "Croix-Rouge", 2, 1.5, false, false, kCroixRouge},
    {"ressourceries", "Ressourcerie", 1, 0.3, false, false, kRessourceries},
    {"creches-avip", "Crèche AVIP", 1, 0.3, false, false, kCreches},
    {"mjc", "MJC", 1.5, 0.5, false, false, kMjc},
};

constexpr const char* kCore[] = {"siao", "france-travail", "cpam", "caf",
                                 "mission-locale", "ccas-cias", "chrs", "cmp"};

// clang-format on

}  // namespace

absl::Span<const PartnerKind> PartnerKinds() { return kKinds; }

int FindPartnerKind(const char* code) {
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    if (std::strcmp(kKinds[i].code, code) == 0) return static_cast<int>(i);
  }
  return -1;
}

absl::Span<const char* const> CoreKinds() { return kCore; }

}  // namespace maillage::synth
