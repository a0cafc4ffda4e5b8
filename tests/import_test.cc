// The importers (maillage/import.h): each data·inclusion v1 and v0 mapping,
// the counts, the input shapes (JSON array, {"items"}, nested structures,
// CSV lists), capacities, bad records with their positions, and the round
// trip import -> folder -> LoadFolder.

#include "maillage/import.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "import/record.h"
#include "maillage/io.h"

namespace maillage {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const std::string kTestData = MAILLAGE_TESTDATA "/import";

// A fresh folder for one test's files.
std::string TempFolder() {
  const ::testing::TestInfo* t =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(::testing::TempDir()) / "import_test" /
                       absl::StrCat(t->test_suite_name(), ".", t->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::string Write(const std::string& dir, const std::string& name,
                  const std::string& text) {
  const std::string path = (fs::path(dir) / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The problems as "FILE:RECORD:FIELD: reason" with FILE its base name.
std::vector<std::string> Problems(const ImportReport& r) {
  std::vector<std::string> out;
  for (ImportProblem p : r.problems) {
    p.file = fs::path(p.file).filename().string();
    out.push_back(p.ToString());
  }
  return out;
}

// Every file's counts reconcile, and imported rows are the rows out.
void ExpectCountsReconcile(const ImportResult& r) {
  int64_t structures = 0, services = 0;
  for (const ImportCounts& f : r.report.files) {
    EXPECT_EQ(f.read, f.imported + f.rejected) << f.file << " " << f.table;
    if (absl::StrContains(f.table, "structures")) structures += f.imported;
    if (f.table == "services") services += f.imported;
  }
  EXPECT_EQ(structures, static_cast<int64_t>(r.rows.partners.size()));
  EXPECT_EQ(services, static_cast<int64_t>(r.rows.services.size()));
}

int64_t Mapped(const ImportReport& r, absl::string_view name) {
  for (const ImportCount& m : r.mappings) {
    if (m.name == name) return m.records;
  }
  return 0;
}

// The row of an id; an empty row (and a failure) when there is none.
const ServiceRow* ServiceOf(const ImportResult& r, absl::string_view id) {
  static const ServiceRow* const kNone = new ServiceRow;
  for (const ServiceRow& s : r.rows.services) {
    if (s.id == id) return &s;
  }
  ADD_FAILURE() << "no service " << id;
  return kNone;
}
const PartnerRow* PartnerOf(const ImportResult& r, absl::string_view id) {
  static const PartnerRow* const kNone = new PartnerRow;
  for (const PartnerRow& p : r.rows.partners) {
    if (p.id == id) return &p;
  }
  ADD_FAILURE() << "no partner " << id;
  return kNone;
}

// One structure in Villeurbanne and the services given (JSON objects).
absl::StatusOr<ImportResult> ImportServices(const std::string& dir,
                                            const std::string& services) {
  DataInclusionFiles files;
  files.structures =
      Write(dir, "structures.json",
            R"([{"id": "dora--p1", "source": "dora", "nom": "Structure",
           "code_insee": "69266", "date_maj": "2025-01-01"}])");
  files.services = Write(dir, "services.json", "[" + services + "]");
  return ImportDataInclusion(files);
}

// A service of structure dora--p1 with the extra fields `fields`.
std::string Service(const std::string& id, const std::string& fields) {
  return absl::StrCat(R"({"id": ")", id,
                      R"(", "source": "dora", "structure_id": "dora--p1",
      "nom": "Service", "thematiques": ["sante"], "date_maj": "2025-01-01")",
                      fields.empty() ? "" : ", ", fields, "}");
}

// --- The sample export (tests/testdata/import/v1) ---------------------------

class SampleV1 : public ::testing::Test {
 protected:
  void SetUp() override {
    DataInclusionFiles files;
    files.structures = kTestData + "/v1/structures.json";
    files.services = kTestData + "/v1/services.json";
    files.capacities = kTestData + "/capacities.csv";
    absl::StatusOr<ImportResult> r = ImportDataInclusion(files);
    ASSERT_TRUE(r.ok()) << r.status();
    result_ = std::move(*r);
  }
  ImportResult result_;
};

TEST_F(SampleV1, CountsReconcilePerFile) {
  ExpectCountsReconcile(result_);
  ASSERT_EQ(result_.report.files.size(), 4u);
  const auto& f = result_.report.files;
  EXPECT_EQ(f[0].table, "structures");
  EXPECT_EQ(f[0].read, 9);
  EXPECT_EQ(f[0].rejected, 3);  // duplicate, no id, no location
  EXPECT_EQ(f[1].table, "services");
  EXPECT_EQ(f[1].read, 8);
  EXPECT_EQ(f[1].rejected, 3);  // no theme, unknown and rejected structure
  EXPECT_EQ(f[2].table, "structures nested in services");
  EXPECT_EQ(f[2].read, 1);
  EXPECT_EQ(f[2].imported, 1);
  EXPECT_EQ(f[3].table, "capacities");
  EXPECT_EQ(f[3].read, 7);
  EXPECT_EQ(f[3].imported, 2);
  EXPECT_EQ(result_.report.errors(), 11);
}

TEST_F(SampleV1, EveryFieldOfAFullStructure) {
  const PartnerRow* p = PartnerOf(result_, "dora--str-001");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name,
            "Maison de la Métropole pour les solidarités de Villeurbanne");
  EXPECT_EQ(p->insee_com, "69266");
  EXPECT_EQ(p->lat, 45.7719);
  EXPECT_EQ(p->lng, 4.8902);
  EXPECT_EQ(p->siret, "20004697700019");
  EXPECT_THAT(p->reseaux_porteurs, ElementsAre("maisons-des-solidarites"));
  EXPECT_EQ(p->kind, "maisons-des-solidarites");
  EXPECT_EQ(p->updated, "2025-03-14");
  // Fields without a native column are counted, not imported.
  bool telephone = false;
  for (const ImportCount& c : result_.report.ignored) {
    telephone |= c.name == "structures.telephone";
  }
  EXPECT_TRUE(telephone);
}

TEST_F(SampleV1, EveryFieldOfAFullService) {
  const ServiceRow* s = ServiceOf(result_, "dora--svc-001");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->partner_id, "dora--str-001");
  EXPECT_EQ(s->name, "Accompagnement vers le logement");
  EXPECT_THAT(
      s->thematiques,
      UnorderedElementsAre("sante", "logement-hebergement--louer-un-logement"));
  EXPECT_THAT(s->publics, ElementsAre("tous-publics"));
  EXPECT_THAT(s->modes_accueil,
              UnorderedElementsAre("a-distance", "en-presentiel"));
  EXPECT_THAT(s->zone_eligibilite,
              UnorderedElementsAre("69", "200046977", "69266"));
  EXPECT_EQ(s->insee_com, "69266");
  EXPECT_EQ(s->lat, 45.7719);
  EXPECT_THAT(s->types, ElementsAre("accompagnement"));
  EXPECT_THAT(s->frais, ElementsAre("gratuit"));
  EXPECT_THAT(s->modes_mobilisation,
              UnorderedElementsAre("telephoner", "envoyer-un-courriel"));
  EXPECT_THAT(s->mobilisable_par, ElementsAre("professionnels"));
  EXPECT_EQ(s->lien_mobilisation, "https://example.org/rdv");
  EXPECT_EQ(s->horaires_accueil, "Mo-Fr 09:00-17:00");
  EXPECT_EQ(s->conditions_acces, "Être domicilié à Villeurbanne");
  EXPECT_EQ(s->score_qualite, 0.82);
  // Capacity from capacities.csv; updated is the later of the two dates.
  EXPECT_EQ(s->capacity_available, 3);
  EXPECT_EQ(s->capacity_max, 10);
  EXPECT_EQ(s->updated, "2025-03-10");
}

TEST_F(SampleV1, AMinimalServiceKeepsItsCapacityUnknown) {
  const ServiceRow* s = ServiceOf(result_, "emplois-de-linclusion--svc-42");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(s->thematiques, ElementsAre("trouver-un-emploi"));
  EXPECT_THAT(s->publics, IsEmpty());
  EXPECT_FALSE(s->capacity_available.has_value());
  EXPECT_FALSE(s->capacity_max.has_value());
  EXPECT_EQ(s->updated, "2024-11-02");
  // Located at its structure (Lyon 7e).
  EXPECT_EQ(s->lat, PartnerOf(result_, "emplois-de-linclusion--42")->lat);
}

TEST_F(SampleV1, ProblemsNameFileRecordAndField) {
  const std::vector<std::string> p = Problems(result_.report);
  const std::vector<std::string> expected = {
      "structures.json:4:latitude: warning: latitude and longitude swapped "
      "(near the commune once swapped): read as 45.1885, 5.7245",
      "structures.json:4:siret: warning: siret is not 14 digits '12345': "
      "dropped",
      "structures.json:4:reseaux_porteurs: warning: repeated item 'ccas-cias' "
      "removed",
      "structures.json:4:reseaux_porteurs: warning: unknown reseau porteur "
      "code 'reseau-inconnu': dropped",
      "structures.json:5:id: duplicate structure id "
      "'emplois-de-linclusion--42' (first in " +
          kTestData + "/v1/structures.json record 2): rejected",
      "structures.json:6:id: id is required",
      "structures.json:7:code_insee: warning: former commune code '69211': "
      "read as its current commune '69019' (Belleville-en-Beaujolais)",
      "structures.json:7:latitude: warning: coordinates (0, 0): dropped",
      "structures.json:8:: warning: no location (coordinates, code_insee or "
      "code_postal): placed at its service 'dora--svc-006'",
      "structures.json:9:: no location: no valid coordinates, code_insee or "
      "code_postal, and no service with one",
      "services.json:1:thematiques: warning: repeated item "
      "'logement-hebergement--louer-un-logement' removed",
      "services.json:4:thematiques: warning: unknown data·inclusion theme "
      "code 'logement--theme-inconnu': dropped",
      "services.json:4:thematiques: no valid data·inclusion theme: a service "
      "needs at least one",
      "services.json:5:structure_id: structure_id 'dora--str-999' refers to "
      "no structure",
      "services.json:7:publics: warning: unknown public code "
      "'public-inconnu': dropped",
      "services.json:7:zone_eligibilite: warning: country code '99134' is "
      "not France: dropped",
      "services.json:7:zone_eligibilite: warning: not a zone code (france, "
      "99100, a département, a commune, an EPCI SIREN) '123': dropped",
      "services.json:7:score_qualite: warning: score_qualite out of [0, 1]: "
      "dropped",
      "services.json:8:structure_id: structure_id 'dora--str-009' refers to "
      "a rejected structure (" +
          kTestData + "/v1/structures.json record 9)",
      "capacities.csv:3:available: available is greater than maximum: row "
      "dropped",
      "capacities.csv:4:service_id: service_id 'dora--svc-999' refers to no "
      "service",
      "capacities.csv:5:available: negative available: row dropped",
      "capacities.csv:6:unit: unit 'lits' is not places or people: row "
      "dropped",
      "capacities.csv:7:updated: warning: not an ISO date (YYYY-MM-DD) "
      "'2025-13-01': dropped",
      "capacities.csv:8:service_id: a second capacity row for service "
      "'dora--svc-001' (first in " +
          kTestData + "/capacities.csv record 2): dropped",
  };
  EXPECT_EQ(p, expected);
}

TEST_F(SampleV1, NestedStructureAndPostalCodeWithName) {
  const PartnerRow* nested = PartnerOf(result_, "dora--str-010");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->insee_com, "69381");
  EXPECT_THAT(nested->reseaux_porteurs, ElementsAre("wimoov"));
  EXPECT_EQ(ServiceOf(result_, "dora--svc-003")->partner_id, "dora--str-010");
  // 69480 serves 7 communes; the name "ANSE" picks Anse.
  EXPECT_EQ(PartnerOf(result_, "soliguide--9001")->insee_com, "69009");
  EXPECT_EQ(Mapped(result_.report, "code_postal + commune name -> commune"), 1);
}

TEST_F(SampleV1, RoundTripThroughTheFolder) {
  const std::string dir = TempFolder();
  ASSERT_TRUE(WriteFolder(result_.network, dir).ok());
  absl::StatusOr<LoadResult> loaded = LoadFolder(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->ok());
  EXPECT_THAT(loaded->problems, IsEmpty());
  EXPECT_EQ(RowsOf(loaded->network), result_.rows);
}

TEST_F(SampleV1, ReportAsJson) {
  const std::string json = result_.report.ToJson();
  EXPECT_THAT(json, HasSubstr("\"table\": \"capacities\", \"read\": 7, "
                              "\"imported\": 2, \"rejected\": 5"));
  EXPECT_THAT(json, HasSubstr("\"errors\": 11"));
  EXPECT_THAT(json, HasSubstr("\"structures.telephone\": "));
}

// --- The v0 export (tests/testdata/import/v0, CSV) --------------------------

class SampleV0 : public ::testing::Test {
 protected:
  void SetUp() override {
    DataInclusionFiles files;
    files.structures = kTestData + "/v0/structures.csv";
    files.services = kTestData + "/v0/services.csv";
    absl::StatusOr<ImportResult> r = ImportDataInclusion(files);
    ASSERT_TRUE(r.ok()) << r.status();
    result_ = std::move(*r);
  }
  ImportResult result_;
};

TEST_F(SampleV0, CountsAndIds) {
  ExpectCountsReconcile(result_);
  EXPECT_EQ(result_.report.errors(), 0);
  EXPECT_EQ(result_.rows.partners.size(), 4u);
  EXPECT_EQ(result_.rows.services.size(), 6u);
  // v0 ids take their producer's prefix, references too.
  EXPECT_EQ(Mapped(result_.report, "v0 id -> source--id"), 10);
  EXPECT_EQ(ServiceOf(result_, "cd35--s1")->partner_id, "cd35--1");
}

TEST_F(SampleV0, TypologieAndLabelsToReseauxPorteurs) {
  const PartnerRow* p = PartnerOf(result_, "cd35--1");
  EXPECT_EQ(p->kind, "fcsf");  // CS: centre social
  EXPECT_THAT(p->reseaux_porteurs, ElementsAre("fcsf", "france-service"));
  EXPECT_EQ(p->siret, "35600000000048");  // written with blanks
  EXPECT_EQ(PartnerOf(result_, "cd35--2")->kind, "mission-locale");
  EXPECT_EQ(PartnerOf(result_, "cd35--3")->kind, "");  // ASSO: none fits
  EXPECT_EQ(Mapped(result_.report, "v0 typologie -> kind, reseaux_porteurs"),
            2);
  EXPECT_EQ(Mapped(result_.report, "v0 labels_nationaux -> reseaux_porteurs"),
            1);
  // Postal code 35200 serves Rennes only.
  EXPECT_EQ(PartnerOf(result_, "cd35--2")->insee_com, "35238");
}

TEST_F(SampleV0, ProfilsToPublics) {
  // adultes: none; beneficiaires-rsa: minimas sociaux; alternants: actifs
  // and etudiants.
  EXPECT_THAT(ServiceOf(result_, "cd35--s1")->publics,
              UnorderedElementsAre(
                  "actifs", "beneficiaires-des-minimas-sociaux", "etudiants"));
  EXPECT_THAT(ServiceOf(result_, "cd35--s2")->publics, ElementsAre("jeunes"));
  EXPECT_THAT(ServiceOf(result_, "cd35--s4")->publics, IsEmpty());
  EXPECT_EQ(Mapped(result_.report, "v0 profils -> publics"), 6);
}

TEST_F(SampleV0, ZoneDiffusionToZoneEligibilite) {
  EXPECT_THAT(ServiceOf(result_, "cd35--s1")->zone_eligibilite,
              ElementsAre("35238"));  // commune
  EXPECT_THAT(ServiceOf(result_, "cd35--s2")->zone_eligibilite,
              ElementsAre("22", "29", "35", "56"));  // region 53
  EXPECT_THAT(ServiceOf(result_, "cd35--s3")->zone_eligibilite,
              ElementsAre("243500139"));  // epci
  EXPECT_THAT(ServiceOf(result_, "cd35--s4")->zone_eligibilite,
              ElementsAre("35"));  // departement
  EXPECT_THAT(ServiceOf(result_, "cd35--s5")->zone_eligibilite,
              ElementsAre("france"));  // pays
  EXPECT_THAT(ServiceOf(result_, "cd35--s6")->zone_eligibilite,
              ElementsAre("01053"));  // a number that lost its zero
  EXPECT_EQ(Mapped(result_.report, "v0 zone_diffusion -> zone_eligibilite"), 6);
  EXPECT_EQ(Mapped(result_.report, "v0 region zone -> its départements"), 1);
}

TEST_F(SampleV0, TypesFraisAndModesOrientation) {
  const ServiceRow* s1 = ServiceOf(result_, "cd35--s1");
  EXPECT_THAT(s1->types, ElementsAre("atelier"));  // numerique: none
  EXPECT_THAT(s1->frais, UnorderedElementsAre("gratuit", "payant"));
  EXPECT_THAT(s1->modes_mobilisation,
              UnorderedElementsAre("envoyer-un-courriel", "telephoner",
                                   "se-presenter"));
  EXPECT_THAT(s1->mobilisable_par, ElementsAre("professionnels", "usagers"));
  const ServiceRow* s2 = ServiceOf(result_, "cd35--s2");
  EXPECT_THAT(s2->types,
              UnorderedElementsAre("accompagnement", "aide-financiere"));
  EXPECT_THAT(s2->modes_mobilisation, ElementsAre("envoyer-un-courriel"));
  EXPECT_THAT(s2->mobilisable_par, ElementsAre("professionnels"));
  EXPECT_THAT(ServiceOf(result_, "cd35--s4")->frais, ElementsAre("gratuit"));
  EXPECT_THAT(ServiceOf(result_, "cd35--s3")->mobilisable_par,
              ElementsAre("usagers"));
  EXPECT_EQ(Mapped(result_.report, "v0 types -> types"), 4);
  EXPECT_EQ(Mapped(result_.report, "v0 frais -> frais"), 2);
  EXPECT_EQ(Mapped(result_.report,
                   "v0 modes_orientation -> modes_mobilisation, "
                   "mobilisable_par"),
            4);
}

TEST_F(SampleV0, TextFieldsOfV0) {
  const ServiceRow* s1 = ServiceOf(result_, "cd35--s1");
  EXPECT_EQ(s1->horaires_accueil, "Mo 14:00-17:00");
  EXPECT_EQ(s1->conditions_acces, "Carte d'identité; Justificatif de domicile");
  EXPECT_EQ(s1->lien_mobilisation, "https://example.org/formulaire");
  EXPECT_EQ(ServiceOf(result_, "cd35--s2")->lien_mobilisation,
            "https://example.org/rdv");
  EXPECT_THAT(ServiceOf(result_, "cd35--s2")->modes_accueil,
              UnorderedElementsAre("a-distance", "en-presentiel"));
  EXPECT_EQ(Mapped(result_.report, "v0 recurrence -> horaires_accueil"), 1);
  EXPECT_EQ(Mapped(result_.report,
                   "v0 pre_requis, justificatifs -> conditions_acces"),
            1);
}

TEST_F(SampleV0, WarningsForWhatHasNoEquivalent) {
  const std::vector<std::string> p = Problems(result_.report);
  EXPECT_THAT(p, ::testing::Contains(
                     "services.csv:2:profils: warning: v0 profil 'adultes' "
                     "has no v1 public equivalent: dropped"));
  EXPECT_THAT(
      p, ::testing::Contains("services.csv:5:profils: warning: no public left: "
                             "publics left empty (open to all)"));
  EXPECT_THAT(
      p, ::testing::Contains("structures.csv:5:typologie: warning: unknown v0 "
                             "typologie 'XYZ': dropped"));
  EXPECT_THAT(p, ::testing::Contains(
                     "services.csv:7:date_maj: warning: not an ISO date "
                     "(YYYY-MM-DD) '23/07/2023': dropped"));
}

// --- Input shapes ------------------------------------------------------------

TEST(ImportShapes, ArrayItemsAndNestedGiveTheSameRows) {
  const std::string dir = TempFolder();
  const std::string structure =
      R"({"id": "dora--p1", "source": "dora", "nom": "Structure",
          "code_insee": "69266", "date_maj": "2025-01-01"})";
  const std::string service =
      R"({"id": "dora--s1", "source": "dora", "structure_id": "dora--p1",
          "nom": "Service", "thematiques": ["sante"], "date_maj": "2025-01-01")";
  DataInclusionFiles array;
  array.structures = Write(dir, "a_structures.json", "[" + structure + "]");
  array.services = Write(dir, "a_services.json", "[" + service + "}]");
  DataInclusionFiles items;
  items.structures = Write(dir, "i_structures.json",
                           R"({"items": [)" + structure + R"(], "total": 1})");
  items.services = Write(dir, "i_services.json",
                         R"({"page": 1, "items": [)" + service + "}]}");
  DataInclusionFiles nested;
  nested.services = Write(
      dir, "n_services.json",
      R"({"items": [)" + service + R"(, "structure": )" + structure + "}]}");
  absl::StatusOr<ImportResult> a = ImportDataInclusion(array);
  absl::StatusOr<ImportResult> i = ImportDataInclusion(items);
  absl::StatusOr<ImportResult> n = ImportDataInclusion(nested);
  ASSERT_TRUE(a.ok() && i.ok() && n.ok());
  EXPECT_EQ(a->rows.partners.size(), 1u);
  EXPECT_EQ(a->rows.services.size(), 1u);
  EXPECT_EQ(a->rows, i->rows);
  EXPECT_EQ(a->rows, n->rows);
  EXPECT_THAT(Problems(n->report), IsEmpty());
  ExpectCountsReconcile(*n);
}

TEST(ImportShapes, CsvListsWithCommasPipesAndJsonArrays) {
  const std::string dir = TempFolder();
  DataInclusionFiles files;
  files.structures =
      Write(dir, "structures.csv", "id,nom,code_insee\np1,Structure,69266\n");
  files.services = Write(
      dir, "services.csv",
      "id,nom,structure_id,thematiques,publics,modes_accueil,zone_eligibilite\n"
      "s1,A,p1,\"sante,famille\",jeunes|femmes,\"[\"\"a-distance\"\"]\","
      "\"{69,69266}\"\n"
      "s2,B,p1, sante | sante ,,,\n");
  absl::StatusOr<ImportResult> r = ImportDataInclusion(files);
  ASSERT_TRUE(r.ok()) << r.status();
  const ServiceRow* s1 = ServiceOf(*r, "s1");
  ASSERT_NE(s1, nullptr);
  EXPECT_THAT(s1->thematiques, UnorderedElementsAre("sante", "famille"));
  EXPECT_THAT(s1->publics, UnorderedElementsAre("jeunes", "femmes"));
  EXPECT_THAT(s1->modes_accueil, ElementsAre("a-distance"));
  EXPECT_THAT(s1->zone_eligibilite, UnorderedElementsAre("69", "69266"));
  EXPECT_THAT(Problems(r->report),
              ElementsAre("services.csv:3:thematiques: warning: repeated "
                          "item 'sante' removed"));
}

TEST(ImportShapes, ByteOrderMarksNullAbsentAndEmptyAreAlike) {
  const std::string dir = TempFolder();
  DataInclusionFiles files;
  files.structures = Write(dir, "structures.json",
                           "\xEF\xBB\xBF[{\"id\": \"p1\", \"nom\": \"S\", "
                           "\"code_insee\": \"69266\", \"siret\": null, "
                           "\"latitude\": \"\", \"longitude\": null}]");
  files.services = Write(dir, "services.json",
                         "[" + std::string(R"({"id": "s1",
      "structure_id": "p1", "thematiques": ["sante"], "publics": null,
      "zone_eligibilite": [], "frais": "", "score_qualite": "0.5"})") +
                             "]");
  absl::StatusOr<ImportResult> r = ImportDataInclusion(files);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Problems(r->report),
              ElementsAre("services.json:1:nom: warning: nom is missing"));
  EXPECT_EQ(ServiceOf(*r, "s1")->score_qualite, 0.5);  // a number as text
}

// --- Values ------------------------------------------------------------------

TEST(ImportValues, CoordinatesSwappedZeroFarOrHalf) {
  const std::string dir = TempFolder();
  absl::StatusOr<ImportResult> r = ImportServices(
      dir,
      // Villeurbanne is at 45.77, 4.89.
      Service("s1", R"("code_insee": "69266", "latitude": 4.89,
                       "longitude": 45.77)") +
          "," + Service("s2", R"("code_insee": "69266", "latitude": 48.85,
                           "longitude": 2.35)") +
          "," + Service("s3", R"("latitude": 45.77)") + "," +
          Service("s4", R"("latitude": 4.89, "longitude": 45.77)") + "," +
          Service("s5", R"("latitude": 0, "longitude": 0)") + "," +
          Service("s6", R"("latitude": 95, "longitude": 200)"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(
      Problems(r->report),
      ElementsAre(
          "services.json:1:latitude: warning: latitude and longitude swapped "
          "(near the commune once swapped): read as 45.77, 4.89",
          "services.json:2:latitude: warning: coordinates 392 km from the "
          "commune '69266': dropped",
          "services.json:3:latitude: warning: latitude without longitude: "
          "dropped",
          "services.json:4:latitude: warning: latitude and longitude swapped "
          "(in France once swapped): read as 45.77, 4.89",
          "services.json:5:latitude: warning: coordinates (0, 0): dropped",
          "services.json:6:latitude: warning: coordinates out of range: "
          "dropped"));
  EXPECT_EQ(ServiceOf(*r, "dora--s1")->lat, 45.77);
  EXPECT_EQ(ServiceOf(*r, "dora--s4")->lng, 4.89);
  ExpectCountsReconcile(*r);
}

TEST(ImportValues, CommunesFromCodesAndPostalCodes) {
  const std::string dir = TempFolder();
  absl::StatusOr<ImportResult> r = ImportServices(
      dir,
      Service("s1", R"("code_insee": "69211")") + "," +
          Service("s2", R"("code_postal": "69480")") + "," +
          Service("s3", R"("code_postal": "69480", "commune": "Lucenay")") +
          "," + Service("s4", R"("code_postal": "69100")") + "," +
          Service("s5", R"("code_insee": "99999", "code_postal": "75011")") +
          "," + Service("s6", R"("code_insee": 1053)") + "," +
          Service("s7", R"("code_postal": "00000")"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ServiceOf(*r, "dora--s1")->insee_com, "69019");
  EXPECT_EQ(ServiceOf(*r, "dora--s2")->insee_com, "");
  EXPECT_EQ(ServiceOf(*r, "dora--s3")->insee_com, "69122");
  EXPECT_EQ(ServiceOf(*r, "dora--s4")->insee_com, "69266");
  EXPECT_EQ(ServiceOf(*r, "dora--s5")->insee_com,
            "75111");  // an arrondissement
  EXPECT_EQ(ServiceOf(*r, "dora--s6")->insee_com, "01053");
  EXPECT_THAT(
      Problems(r->report),
      ElementsAre(
          "services.json:1:code_insee: warning: former commune code '69211': "
          "read as its current commune '69019' (Belleville-en-Beaujolais)",
          "services.json:2:code_postal: warning: postal code '69480' serves 7 "
          "communes and no commune name is given: commune left empty",
          "services.json:5:code_insee: warning: unknown commune code '99999': "
          "dropped",
          "services.json:6:code_insee: warning: written as the number 1053: "
          "read as '01053'",
          "services.json:7:code_postal: warning: unknown postal code '00000': "
          "no commune found"));
}

TEST(ImportValues, ZoneCodes) {
  const std::string dir = TempFolder();
  absl::StatusOr<ImportResult> r = ImportServices(
      dir, Service("s1", R"("zone_eligibilite": ["france", "99100", "2a",
                   "971", "75056", "75111", "69211", "200046977",
                   "999999999", "84000", "X"])") +
               "," + Service("s2", R"("zone_eligibilite": ["ZZZ"])"));
  ASSERT_TRUE(r.ok()) << r.status();
  // france and 99100 are one zone.
  EXPECT_THAT(ServiceOf(*r, "dora--s1")->zone_eligibilite,
              UnorderedElementsAre("france", "2A", "971", "75056", "75111",
                                   "69019", "200046977"));
  EXPECT_THAT(ServiceOf(*r, "dora--s2")->zone_eligibilite, IsEmpty());
  EXPECT_THAT(
      Problems(r->report),
      ElementsAre(
          "services.json:1:zone_eligibilite: warning: former commune code "
          "'69211': read as its current commune '69019'",
          "services.json:1:zone_eligibilite: warning: unknown EPCI SIREN "
          "'999999999': dropped",
          "services.json:1:zone_eligibilite: warning: unknown commune code "
          "'84000': dropped",
          "services.json:1:zone_eligibilite: warning: not a zone code "
          "(france, 99100, a département, a commune, an EPCI SIREN) 'X': "
          "dropped",
          "services.json:2:zone_eligibilite: warning: not a zone code "
          "(france, 99100, a département, a commune, an EPCI SIREN) 'ZZZ': "
          "dropped",
          "services.json:2:zone_eligibilite: warning: no valid zone code "
          "left: zone left empty (no restriction)"));
}

TEST(ImportValues, TextCleaned) {
  const std::string dir = TempFolder();
  ImportOptions options;
  options.max_text_bytes = 26;  // inside the "à"
  DataInclusionFiles files;
  files.structures =
      Write(dir, "structures.json", R"([{"id": "p1", "code_insee": "69266"}])");
  files.services =
      Write(dir, "services.json",
            R"([{"id": "s1", "structure_id": "p1", "thematiques": "sante",
           "nom": "<b>Atelier</b> v&eacute;lo &amp; co",
           "conditions_acces": "Être majeur et résider à Villeurbanne",
           "horaires_accueil": "Mo\u0000-Fr"}])");
  absl::StatusOr<ImportResult> r = ImportDataInclusion(files, options);
  ASSERT_TRUE(r.ok()) << r.status();
  const ServiceRow* s = ServiceOf(*r, "s1");
  EXPECT_EQ(s->name, "Atelier v&eacute;lo & co");
  EXPECT_EQ(s->conditions_acces, "Être majeur et résider ");  // 25 bytes
  EXPECT_EQ(s->horaires_accueil, "Mo-Fr");
  EXPECT_THAT(Problems(r->report),
              ElementsAre("structures.json:1:nom: warning: nom is missing",
                          "services.json:1:nom: warning: HTML tags removed",
                          "services.json:1:horaires_accueil: warning: 1 "
                          "control character(s) removed",
                          "services.json:1:conditions_acces: warning: text "
                          "of 40 bytes cut to 25"));
}

// --- Bad files and records
// ----------------------------------------------------

TEST(ImportErrors, FilesThatCannotBeRead) {
  const std::string dir = TempFolder();
  DataInclusionFiles files;
  files.services = (fs::path(dir) / "missing.json").string();
  EXPECT_EQ(ImportDataInclusion(files).status().code(),
            absl::StatusCode::kNotFound);
  files.services = Write(dir, "bad.json", "[{\"id\": \"s1\"}, {\"id\": ]");
  absl::Status s = ImportDataInclusion(files).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("malformed JSON at byte 23 (after 1 "
                        "records)"));
  files.services = Write(dir, "object.json", "{\"total\": 0}");
  EXPECT_THAT(std::string(ImportDataInclusion(files).status().message()),
              HasSubstr("without an \"items\""));
  files.services = Write(dir, "noid.csv", "nom,thematiques\nA,sante\n");
  EXPECT_THAT(std::string(ImportDataInclusion(files).status().message()),
              HasSubstr("no 'id' column"));
  files.services = {};
  EXPECT_EQ(ImportDataInclusion(files).status().code(),
            absl::StatusCode::kInvalidArgument);
  ImportOptions small;
  small.max_file_bytes = 4;
  files.services = Write(dir, "big.json", "[   ]");
  EXPECT_EQ(ImportDataInclusion(files, small).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(ImportErrors, RecordsThatCannotBeReadAreRejected) {
  const std::string dir = TempFolder();
  DataInclusionFiles files;
  files.structures = Write(dir, "structures.json",
                           R"([{"id": "p1", "code_insee": "69266"}, 42,
                               ["p2"]])");
  files.services = Write(dir, "services.csv",
                         "id,structure_id,thematiques\n"
                         "s1,p1,sante\n"
                         "s2,p1\n"
                         "s3,p1,\"sante\n");
  absl::StatusOr<ImportResult> r = ImportDataInclusion(files);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(
      Problems(r->report),
      ElementsAre(
          "structures.json:1:nom: warning: nom is missing",
          "structures.json:2:: the item is not a JSON object: record rejected",
          "structures.json:3:: the item is not a JSON object: record rejected",
          "services.csv:2:nom: warning: nom is missing",
          "services.csv:3:: expected 3 fields, found 2: record rejected",
          "services.csv:4:: CSV syntax: unterminated quoted field: record "
          "rejected"));
  ExpectCountsReconcile(*r);
  EXPECT_EQ(r->report.files[0].rejected, 2);
  EXPECT_EQ(r->report.files[1].rejected, 2);
}

TEST(ImportErrors, IdsRequiredAndUnique) {
  const std::string dir = TempFolder();
  absl::StatusOr<ImportResult> r = ImportServices(
      dir, Service("s1", "") + "," + Service("s1", "") + "," +
               R"({"structure_id": "dora--p1", "nom": "N",
                   "thematiques": ["sante"]})" +
               "," + R"({"id": "s9", "nom": "N", "thematiques": ["sante"]})");
  ASSERT_TRUE(r.ok()) << r.status();
  const std::vector<std::string> p = Problems(r->report);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_THAT(p[0], HasSubstr("services.json:2:id: duplicate service id "
                              "'dora--s1' (first in "));
  EXPECT_EQ(p[1], "services.json:3:id: id is required");
  EXPECT_EQ(p[2], "services.json:4:structure_id: structure_id is required");
  ExpectCountsReconcile(*r);
}

// --- The record reader -----------------------------------------------------

TEST(ImportRecords, JsonItemsAreHandedOneByOne) {
  std::vector<int64_t> positions;
  std::vector<std::string> ids;
  absl::Status s = import::ParseRecords(
      R"({"meta": {"items": [1]}, "items": [{"id": 1}, {"id": "b",
          "structure": {"id": "c"}}], "pages": 1})",
      "x.json", [&](import::RecordEvent& e) {
        positions.push_back(e.position);
        ids.push_back(e.record.Get("id").text);
      });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_THAT(positions, ElementsAre(1, 2));
  EXPECT_THAT(ids, ElementsAre("1", "b"));
}

// --- HSDS (tests/testdata/import/hsds) ---------------------------------------

TEST(ImportHsds, CsvTablesToPartnersAndServices) {
  absl::StatusOr<ImportResult> r = ImportHsds(kTestData + "/hsds");
  ASSERT_TRUE(r.ok()) << r.status();
  for (const ImportCounts& f : r->report.files) {
    EXPECT_EQ(f.read, f.imported + f.rejected) << f.file;
  }
  ASSERT_EQ(r->rows.partners.size(), 2u);
  ASSERT_EQ(r->rows.services.size(), 2u);
  const PartnerRow* org = PartnerOf(*r, "org-1");
  EXPECT_EQ(org->siret, "77567227200038");
  EXPECT_EQ(org->insee_com, "69384");  // location's INSEE identifier
  EXPECT_EQ(PartnerOf(*r, "org-2")->insee_com, "69384");  // postal code
  const ServiceRow* s = ServiceOf(*r, "svc-1");
  EXPECT_THAT(
      s->thematiques,
      ElementsAre("numerique--maitriser-les-fondamentaux-du-numerique"));
  EXPECT_THAT(s->publics, ElementsAre("jeunes"));
  EXPECT_THAT(s->modes_accueil, ElementsAre("a-distance", "en-presentiel"));
  EXPECT_THAT(s->zone_eligibilite, ElementsAre("69384"));
  EXPECT_EQ(s->capacity_available, 4);
  EXPECT_EQ(s->capacity_max, 12);
  EXPECT_EQ(s->min_age, 16);
  EXPECT_EQ(s->horaires_accueil, "Mo,Tu 09:00-12:00; Th 14:00-17:30");
  EXPECT_EQ(s->conditions_acces, "Habiter le 4e arrondissement");
  EXPECT_EQ(s->updated, "2025-02-10");  // the capacity's, later
  EXPECT_THAT(ServiceOf(*r, "svc-2")->zone_eligibilite,
              ElementsAre("200046977"));  // from the area's uri
  EXPECT_EQ(Mapped(r->report, "hsds language: records not imported"), 2);
  const std::vector<std::string> p = Problems(r->report);
  EXPECT_THAT(p, ::testing::Contains("service.csv:4:status: status "
                                     "'inactive': not imported"));
  EXPECT_THAT(p, ::testing::Contains("service_capacity.csv:3:unit: unit "
                                     "'beds' is not places or people: row "
                                     "dropped"));
  EXPECT_THAT(p, ::testing::Contains(
                     "service_area.csv:4:: no zone code (france, a "
                     "département, a commune, an EPCI SIREN) in code, name "
                     "or uri: not mapped"));
}

TEST(ImportHsds, JsonTablesGiveTheSameRows) {
  const std::string dir = TempFolder();
  Write(dir, "organization.json",
        R"([{"id": "org-1", "name": "Centre social",
             "tax_id": "77567227200038"}])");
  Write(dir, "location.json",
        R"([{"id": "loc-1", "organization_id": "org-1",
             "location_type": "physical", "latitude": 45.7745,
             "longitude": 4.8301}])");
  Write(dir, "service.json",
        R"({"contents": [{"id": "svc-1", "organization_id": "org-1",
             "name": "Numérique", "status": "active"}]})");
  Write(dir, "service_at_location.json",
        R"([{"id": "sal-1", "service_id": "svc-1", "location_id": "loc-1"}])");
  Write(dir, "taxonomy_term.json", R"([{"id": "t-1", "code": "numerique"}])");
  Write(dir, "attribute.json",
        R"([{"id": "a-1", "link_id": "svc-1", "link_type": "service",
             "taxonomy_term_id": "t-1"}])");
  absl::StatusOr<ImportResult> r = ImportHsds(dir);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Problems(r->report), IsEmpty());
  ASSERT_EQ(r->rows.services.size(), 1u);
  EXPECT_THAT(r->rows.services[0].thematiques, ElementsAre("numerique"));
  EXPECT_EQ(r->rows.services[0].lat, 45.7745);
  EXPECT_EQ(ImportHsds(dir + "/missing").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace maillage
