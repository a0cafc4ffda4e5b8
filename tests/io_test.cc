// Loading and writing the native folder format.

#include "maillage/io.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "maillage/export.h"
#include "maillage/synth.h"
#include "network_equality.h"

namespace maillage {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path TempDir(const std::string& name) {
  fs::path p = fs::path(::testing::TempDir()) / ("maillage_io_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

void Write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Writes a minimal valid folder.
void WriteMinimal(const fs::path& dir) {
  Write(dir / "sites.csv",
        "site_id,name,territory,insee_com,lat,lng\n"
        "s1,\"ACI \"\"Les Jardins\"\", Lyon\",lyon,69123,45.75,4.85\n");
  Write(dir / "partners.csv",
        "partner_id,name,kind,insee_com,lat,lng\np1,CHRS,chrs,69266,45.77,"
        "4.88\n");
  Write(dir / "services.csv",
        "service_id,partner_id,name,thematiques,publics,modes_accueil,"
        "zone_eligibilite,insee_com,lat,lng,capacity_available,capacity_max,"
        "min_age,max_age,updated\n"
        "v1,p1,\"Hébergement\nd'urgence\",logement-hebergement|sante,,,69,,,,"
        "2,4,18,,2026-01-01\n");
  Write(dir / "persons.csv",
        "person_id,site_id,insee_com,lat,lng,age,publics,max_distance_km\n"
        "u1,s1,69266,,,40,femmes|familles,15\n");
  Write(dir / "needs.csv",
        "person_id,thematique,urgency\nu1,logement-hebergement,3\n");
}

// Each test starts from the minimal valid folder, in a folder of its own.
class LoadFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    WriteMinimal(dir_);
  }

  // The folder as LoadFolder reads it; the test fails if it cannot.
  LoadResult Load() const {
    absl::StatusOr<LoadResult> r = LoadFolder(dir_.string());
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : LoadResult();
  }

  fs::path dir_;
};

TEST_F(LoadFolderTest, LoadsAValidFolder) {
  const LoadResult r = Load();
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.problems.empty());
  const Network& net = r.network;
  ASSERT_EQ(net.sites().size(), 1u);
  EXPECT_EQ(net.sites()[0].name, "ACI \"Les Jardins\", Lyon");
  ASSERT_EQ(net.services().size(), 1u);
  EXPECT_EQ(net.services()[0].name, "Hébergement\nd'urgence");
  // No coordinates nor commune: the partner's location.
  EXPECT_DOUBLE_EQ(net.services()[0].lat, 45.77);
  EXPECT_EQ(net.persons()[0].max_distance_km, 15.0);
  const auto& files = r.files;
  EXPECT_TRUE(files[static_cast<size_t>(Table::kSites)].present);
  EXPECT_FALSE(files[static_cast<size_t>(Table::kSupports)].present);
  EXPECT_EQ(files[static_cast<size_t>(Table::kServices)].counts.loaded, 1);
}

TEST_F(LoadFolderTest, ColumnsInAnyOrderAndOptionalColumnsLeftOut) {
  Write(dir_ / "needs.csv",
        "urgency,person_id,thematique\n3,u1,sante\nx,u1,mobilite\n");
  LoadResult r = Load();
  ASSERT_EQ(r.problems.size(), 1u);
  // Column 1 of this file is urgency; the value of a person's field is not
  // repeated.
  EXPECT_EQ(r.problems[0].ToString(),
            (dir_ / "needs.csv").string() + ":3:1: malformed integer");
  Write(dir_ / "sites.csv", "site_id,territory,lat,lng\ns1,lyon,45.7,4.8\n");
  r = Load();
  EXPECT_EQ(r.network.sites().size(), 1u);
}

TEST_F(LoadFolderTest, HeaderProblemsRejectEveryRow) {
  Write(dir_ / "partners.csv",
        "partner_id,name,colour\np1,CHRS,red\np2,CMP,blue\n");
  const LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  const FileReport& f = r.files[static_cast<size_t>(Table::kPartners)];
  EXPECT_EQ(f.counts.read, 2);
  EXPECT_EQ(f.counts.rejected, 2);
  ASSERT_GE(r.problems.size(), 1u);
  EXPECT_THAT(r.problems[0].ToString(),
              HasSubstr("partners.csv:1:3: unknown column 'colour'"));
}

TEST_F(LoadFolderTest, MissingRequiredFileAndFolder) {
  fs::remove(dir_ / "needs.csv");
  const LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  ASSERT_GE(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].ToString(),
            (dir_ / "needs.csv").string() + ":0:0: required file is missing");
  EXPECT_EQ(LoadFolder((dir_ / "nope").string()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadFolderStrict(dir_.string()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(LoadFolderTest, WrongFieldCountAndSyntaxErrors) {
  Write(dir_ / "partners.csv",
        "partner_id,name,kind,insee_com,lat,lng\n"
        "p1,CHRS,chrs,69266,45.77,4.88\n"
        "p2,CMP,cmp,69266,45.77\n"
        "p3,C\"M\"P,cmp,69266,45.77,4.88\n"
        "p4,\"CMP,cmp,69266,45.77,4.88\n");
  const LoadResult r = Load();
  std::vector<std::string> lines;
  for (const Problem& p : r.problems) lines.push_back(p.ToString());
  const std::string f = (dir_ / "partners.csv").string();
  EXPECT_THAT(
      lines, testing::ElementsAre(f + ":3:0: expected 6 fields, found 5",
                                  f + ":4:2: quote character in unquoted field",
                                  f + ":5:2: unterminated quoted field"));
  const FileReport& rep = r.files[static_cast<size_t>(Table::kPartners)];
  EXPECT_EQ(rep.counts.read, 4);
  EXPECT_EQ(rep.counts.loaded, 1);
  EXPECT_EQ(rep.counts.rejected, 3);
}

TEST(WriteFolderTest, RoundTripsAGeneratedNetwork) {
  SynthOptions o;
  o.territories = {"rouen", "charente"};
  o.seed = 7;
  absl::StatusOr<Network> net = Generate(o);
  ASSERT_TRUE(net.ok()) << net.status();
  const fs::path dir = TempDir("roundtrip");
  ASSERT_TRUE(WriteFolder(*net, dir.string()).ok());
  absl::StatusOr<LoadResult> back = LoadFolder(dir.string());
  ASSERT_TRUE(back.ok()) << back.status();
  for (const Problem& p : back->problems) ADD_FAILURE() << p.ToString();
  testing_networks::ExpectSameNetwork(*net, back->network);
}

TEST(WriteOptionsCsvTest, HeaderRanksAndRemoteDistance) {
  const fs::path dir = TempDir("options");
  WriteMinimal(dir);
  absl::StatusOr<Network> net = LoadFolderStrict(dir.string());
  ASSERT_TRUE(net.ok()) << net.status();
  Option a;
  a.person = PersonId(0);
  a.theme = *ParseTheme("sante");
  a.service = ServiceId(0);
  a.score = 0.5;
  a.distance_km = 1.25;
  Option b = a;
  b.remote = true;
  b.distance_km = std::numeric_limits<double>::quiet_NaN();
  std::ostringstream out;
  WriteOptionsCsv(*net, {a, b}, out);
  EXPECT_EQ(out.str(),
            "person_id,thematique,rank,service_id,score,capacity,proximity,"
            "complementarity,distance_km,capacity_known\n"
            "u1,sante,1,v1,0.500000,0.000000,0.000000,0.000000,1.250,true\n"
            "u1,sante,2,v1,0.500000,0.000000,0.000000,0.000000,,true\n");
}

}  // namespace
}  // namespace maillage
