// Hostile inputs: files that are not files, names that are almost right,
// values made to forge or hide output, sizes made to exhaust memory or time.
// Each gets a clear problem and nothing else goes wrong: the other files are
// still read, counts still add up, no message holds a raw control character.

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "flow/flow_problem.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/edit.h"
#include "maillage/io.h"
#include "maillage/rank.h"
#include "maillage/synth.h"

namespace maillage {
namespace {

namespace fs = std::filesystem;

// A copy of the corpus's valid folder in a fresh temporary folder.
class FolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("reliability_", ::testing::UnitTest::GetInstance()
                                            ->current_test_info()
                                            ->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& e : fs::directory_iterator(MAILLAGE_TESTDATA "/valid")) {
      if (e.path().extension() == ".csv") {
        fs::copy_file(e.path(), dir_ / e.path().filename());
      }
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  LoadResult Load() {
    absl::StatusOr<LoadResult> r = LoadFolder(dir_.string());
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : LoadResult{};
  }
  // The problems of a file of the folder, as text.
  std::vector<std::string> ProblemsOf(const LoadResult& r,
                                      const std::string& name) {
    std::vector<std::string> out;
    for (const Problem& p : r.problems) {
      if (p.file == (dir_ / name).string()) out.push_back(p.ToString());
    }
    return out;
  }
  // The other tables were read in full.
  void ExpectOtherTablesRead(const LoadResult& r) {
    EXPECT_EQ(r.files[static_cast<size_t>(Table::kSites)].counts.loaded, 2);
    EXPECT_EQ(r.files[static_cast<size_t>(Table::kPersons)].counts.loaded, 5);
    EXPECT_EQ(r.files[static_cast<size_t>(Table::kNeeds)].counts.loaded, 10);
  }

  fs::path dir_;
};

bool Contains(const std::vector<std::string>& lines, absl::string_view part) {
  for (const std::string& l : lines) {
    if (absl::StrContains(l, part)) return true;
  }
  return false;
}

TEST_F(FolderTest, NamedPipeIsRefusedWithoutBlocking) {
  fs::remove(dir_ / "supports.csv");
  ASSERT_EQ(::mkfifo((dir_ / "supports.csv").c_str(), 0600), 0);
  const LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Contains(ProblemsOf(r, "supports.csv"), "a named pipe"));
  ExpectOtherTablesRead(r);
}

TEST_F(FolderTest, DeviceIsRefused) {
  fs::remove(dir_ / "travel_times.csv");
  fs::create_symlink("/dev/zero", dir_ / "travel_times.csv");
  const LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Contains(ProblemsOf(r, "travel_times.csv"), "a device"));
  ExpectOtherTablesRead(r);
}

TEST_F(FolderTest, FolderInPlaceOfAFileIsRefused) {
  fs::remove(dir_ / "partnerships.csv");
  fs::create_directory(dir_ / "partnerships.csv");
  const LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Contains(ProblemsOf(r, "partnerships.csv"), "a folder"));
  ExpectOtherTablesRead(r);
}

TEST_F(FolderTest, BrokenSymlinkAndLoopAreErrorsNotAbsentFiles) {
  fs::remove(dir_ / "supports.csv");
  fs::create_symlink(dir_ / "nowhere.csv", dir_ / "supports.csv");
  fs::remove(dir_ / "travel_times.csv");
  fs::create_symlink(dir_ / "travel_times.csv", dir_ / "travel_times.csv");
  const LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Contains(ProblemsOf(r, "supports.csv"), "broken symbolic link"));
  EXPECT_TRUE(
      Contains(ProblemsOf(r, "travel_times.csv"), "symbolic link loop"));
  ExpectOtherTablesRead(r);
}

TEST_F(FolderTest, NamesWithOtherCapitalsAndStrayTablesAreReported) {
  fs::rename(dir_ / "supports.csv", dir_ / "Supports.csv");
  Write("service.csv", "service_id\n");
  Write("notes.txt", "not a table\n");
  const LoadResult r = Load();
  EXPECT_FALSE(r.ok());  // the supports were meant: an error
  EXPECT_TRUE(Contains(ProblemsOf(r, "Supports.csv"), "rename it supports.csv"));
  const std::vector<std::string> stray = ProblemsOf(r, "service.csv");
  ASSERT_EQ(stray.size(), 1u);
  EXPECT_TRUE(absl::StrContains(stray[0], "warning: not a table"));
  EXPECT_TRUE(ProblemsOf(r, "notes.txt").empty());
}

TEST_F(FolderTest, CarriageReturnLineEndsAreRead) {
  std::ifstream in(dir_ / "sites.csv", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::replace(text.begin(), text.end(), '\n', '\r');
  Write("sites.csv", text);
  const LoadResult r = Load();
  EXPECT_TRUE(r.ok());
  ExpectOtherTablesRead(r);
}

TEST_F(FolderTest, NumbersOutOfRangeSaySo) {
  Write("persons.csv",
        "person_id,site_id,lat,lng,age\n"
        "P001,s-gerland,1e-400,4.8,30\n"
        "P002,s-gerland,,,99999999999999999999\n");
  const LoadResult r = Load();
  const std::vector<std::string> p = ProblemsOf(r, "persons.csv");
  EXPECT_TRUE(Contains(p, "persons.csv:2:3: number out of range")) << p[0];
  EXPECT_TRUE(Contains(p, "persons.csv:3:5: integer out of range"));
}

TEST_F(FolderTest, ValuesCannotForgeOrHideOutput) {
  // An id with a newline that would print a fake problem line, an ANSI
  // escape, a NUL and a byte order mark before an id.
  std::string sites =
      "site_id,name,territory,insee_com\n"
      "\"s-x\nfake.csv:1:1: everything is fine\",n,lyon,69266\n"
      "s-\x1b[2Jy,n,lyon,69266\n";
  sites += std::string("s-\0z,n,lyon,69266\n", 18);
  sites += "\xEF\xBB\xBFs-gerland,n,lyon,69266\n";
  Write("sites.csv", sites);
  Write("partnerships.csv", "from_id,to_id,kind,strength\n");
  Write("persons.csv", "person_id,site_id\n\"p\n1\",s-gerland\n");
  const LoadResult r = Load();
  EXPECT_EQ(r.files[0].counts.read, 4);
  EXPECT_EQ(r.files[0].counts.rejected, 4);  // hidden characters in ids
  for (const Problem& p : r.problems) {
    const std::string line = p.ToString();
    EXPECT_EQ(line.find_first_of(std::string("\n\r\x1b\0", 4)),
              std::string::npos)
        << line;
    EXPECT_FALSE(absl::StrContains(line, "\xEF\xBB\xBF")) << line;
  }
  EXPECT_TRUE(Contains(ProblemsOf(r, "sites.csv"),
                       "contains a control or invisible character"));
}

TEST_F(FolderTest, ProblemsAreBoundedCountsAreNot) {
  // One line of 10 MB (a header of 5 million columns), and a file of 5,000
  // bad rows.
  Write("partners.csv", std::string(10'000'000, ','));
  std::string needs = "person_id,thematique,urgency\n";
  for (int i = 0; i < 5000; ++i) needs += "P001,sante,9\n";
  Write("needs.csv", needs);
  const LoadResult r = Load();
  const std::vector<std::string> partners = ProblemsOf(r, "partners.csv");
  ASSERT_EQ(partners.size(), 1u);
  EXPECT_TRUE(absl::StrContains(partners[0], "10000001 columns"));
  const std::vector<std::string> p = ProblemsOf(r, "needs.csv");
  ASSERT_EQ(p.size(), static_cast<size_t>(kMaxProblemsPerFile) + 1);
  EXPECT_EQ(p.back(),
            (dir_ / "needs.csv").string() +
                ":0:0: 4900 more error(s) and 0 more warning(s) in this "
                "file, not listed");
  const TableCounts& c = r.files[static_cast<size_t>(Table::kNeeds)].counts;
  EXPECT_EQ(c.read, 5000);
  EXPECT_EQ(c.rejected, 5000);
  EXPECT_EQ(c.read, c.loaded + c.rejected);
}

TEST(DimacsReliabilityTest, HostileHeadersAndFiles) {
  absl::StatusOr<flow::FlowProblem> p =
      flow::ReadDimacs("p min 4611686018427387904 4611686018427387904\n");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  p = flow::ReadDimacs("p min 2000000000 1\na 1 2 0 1 1\n");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(p.status().message(), "nodes declared"));
  p = flow::ReadDimacs("p min 3 2000000000\na 1 2 0 1 1\n");
  EXPECT_TRUE(absl::StrContains(p.status().message(), "expected 2000000000"));
  EXPECT_EQ(flow::ReadDimacsFile("/dev/zero").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(flow::ReadDimacsFile(::testing::TempDir()).status().code(),
            absl::StatusCode::kUnavailable);
}

// A reach larger than the Earth finds every in-person service, as the
// largest meaningful reach does.
TEST(RankReliabilityTest, HugeReachIsTheWholeEarth) {
  SynthOptions o;
  o.territories = {"lyon"};
  o.seed = 3;
  absl::StatusOr<NetworkRows> rows = GenerateRows(o);
  ASSERT_TRUE(rows.ok());
  auto candidates = [&](double reach) {
    NetworkRows r = *rows;
    for (PersonRow& p : r.persons) p.max_distance_km = reach;
    absl::StatusOr<Network> net = BuildNetwork(std::move(r));
    absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
    std::vector<int64_t> counts;
    for (int32_t n = 0; n < static_cast<int32_t>(net->needs().size()); ++n) {
      std::vector<Option> out;
      ranker->Candidates(NeedId(n), &out);
      counts.push_back(static_cast<int64_t>(out.size()));
    }
    return counts;
  };
  EXPECT_EQ(candidates(1e21), candidates(25000));
  EXPECT_EQ(candidates(std::numeric_limits<double>::max()),
            candidates(25000));
}

TEST(AllocateOptionsTest, OutOfRangeOptionsAreRefused) {
  SynthOptions o;
  o.territories = {"rouen"};
  absl::StatusOr<Network> net = Generate(o);
  ASSERT_TRUE(net.ok());
  absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
  ASSERT_TRUE(ranker.ok());
  std::vector<AllocateOptions> bad(9);
  bad[0].explain_radius_km = std::nan("");
  bad[1].explain_radius_km = std::numeric_limits<double>::infinity();
  bad[2].explain_radius_km = 0;
  bad[3].explain_radius_km = -5;
  bad[4].candidate_limit = -1;
  bad[5].threads = -1;
  bad[6].score_scale = 0;
  bad[7].session_resolve_factor = std::nan("");
  bad[8].session_resolve_factor = -1;
  for (const AllocateOptions& opt : bad) {
    EXPECT_EQ(Allocate(*ranker, opt).status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ExportDimacs(*ranker, opt).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  AllocateOptions fine;
  fine.explain_radius_km = 1e21;
  EXPECT_TRUE(Allocate(*ranker, fine).ok());
}

TEST(EditReliabilityTest, ErrorsNameTheChangeNotAFile) {
  SynthOptions o;
  o.territories = {"rouen"};
  absl::StatusOr<Network> net = Generate(o);
  ASSERT_TRUE(net.ok());
  const std::string id = net->services()[0].id;
  absl::StatusOr<Network> edited =
      NetworkEdit().SetPlaces(id, int64_t{1} << 40).Apply(*net);
  ASSERT_FALSE(edited.ok());
  const std::string message(edited.status().message());
  EXPECT_TRUE(absl::StartsWith(
      message, absl::StrCat("the edited network is invalid:\nSetPlaces '", id,
                            "': capacity_available: capacity_available too "
                            "large\n")))
      << message;
  EXPECT_FALSE(absl::StrContains(message, ".csv")) << message;
}

// Out of memory is an error of the call, not an abort: in a child process
// limited to 256 MB of address space, generating a network of 750,000
// people fails with ResourceExhausted. (Not under AddressSanitizer, whose
// shadow memory needs more address space than the limit.)
TEST(MemoryReliabilityTest, OutOfMemoryIsResourceExhausted) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "address space limits do not mix with sanitizers";
#else
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    struct rlimit limit {};
    limit.rlim_cur = limit.rlim_max = rlim_t{256} << 20;
    setrlimit(RLIMIT_AS, &limit);
    SynthOptions o;
    o.national = true;
    o.scale = 5;
    const absl::StatusOr<Network> net = Generate(o);
    _exit(!net.ok() && net.status().code() ==
                           absl::StatusCode::kResourceExhausted
              ? 0
              : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child did not exit: it aborted";
  EXPECT_EQ(WEXITSTATUS(status), 0);
#endif
}


// --- Files saved by a spreadsheet (docs/format.md) --------------------------
namespace spreadsheet {

// sites.csv of the corpus as a French spreadsheet saves it: ';', decimal
// commas, CRLF, in Windows-1252 (é = E9).
std::string FrenchSites(bool cp1252) {
  std::string text =
      "site_id;name;territory;insee_com;lat;lng\r\n"
      "s-gerland;ACI Gerland;lyon;69387;45,7299;4,8277\r\n"
      "s-venissieux;ACI V\xC3\xA9nissieux;lyon;69259;;\r\n";
  if (cp1252) {
    const size_t at = text.find("\xC3\xA9");
    text.replace(at, 2, "\xE9");
  }
  return text;
}

}  // namespace spreadsheet

TEST_F(FolderTest, FrenchSpreadsheetFileReadAsTheNativeOne) {
  const LoadResult native = Load();
  ASSERT_TRUE(native.ok());
  for (bool cp1252 : {false, true}) {
    Write("sites.csv", spreadsheet::FrenchSites(cp1252));
    const LoadResult r = Load();
    ASSERT_TRUE(r.ok()) << cp1252;
    const Site& s = r.network.site(*r.network.FindSite("s-gerland"));
    EXPECT_DOUBLE_EQ(s.lat, 45.7299);
    EXPECT_DOUBLE_EQ(s.lng, 4.8277);
    EXPECT_EQ(r.network.site(*r.network.FindSite("s-venissieux")).name,
              "ACI V\xC3\xA9nissieux");
    const std::vector<std::string> p = ProblemsOf(r, "sites.csv");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_THAT(p[0], testing::HasSubstr(
                          "sites.csv:0:0: warning: read as a spreadsheet "
                          "saves it: "));
    EXPECT_THAT(p[0], testing::HasSubstr("';' as delimiter and ',' as "
                                         "decimal mark"));
    EXPECT_EQ(p[0].find("Windows-1252") != std::string::npos, cp1252);
  }
}

TEST_F(FolderTest, Utf16WithByteOrderMarkIsDecoded) {
  const std::string utf8 = spreadsheet::FrenchSites(false);
  for (bool little : {true, false}) {
    // UTF-16 of a text whose characters are all below U+0800: é is U+00E9.
    std::string bytes = little ? "\xFF\xFE" : "\xFE\xFF";
    for (size_t i = 0; i < utf8.size(); ++i) {
      uint32_t cp = static_cast<unsigned char>(utf8[i]);
      if (cp == 0xC3) cp = 0xC0 + (static_cast<unsigned char>(utf8[++i]) - 0x80);
      const char hi = static_cast<char>(cp >> 8), lo = static_cast<char>(cp);
      bytes += little ? std::string{lo, hi} : std::string{hi, lo};
    }
    Write("sites.csv", bytes);
    const LoadResult r = Load();
    ASSERT_TRUE(r.ok()) << little;
    EXPECT_EQ(r.network.site(*r.network.FindSite("s-venissieux")).name,
              "ACI V\xC3\xA9nissieux");
    const std::vector<std::string> p = ProblemsOf(r, "sites.csv");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_THAT(p[0], testing::HasSubstr(little ? "UTF-16LE" : "UTF-16BE"));
    // An odd number of bytes (truncated): refused, the file named.
    Write("sites.csv", bytes + "x");
    const LoadResult odd = Load();
    EXPECT_FALSE(odd.ok());
    ASSERT_EQ(ProblemsOf(odd, "sites.csv").size(), 1u);
    EXPECT_THAT(ProblemsOf(odd, "sites.csv")[0],
                testing::HasSubstr("sites.csv:0:0: UTF-16 text with an odd "
                                   "number of bytes"));
  }
}

TEST_F(FolderTest, EncodingsThatCannotBeReadAreRefusedWithWhatToDo) {
  // A byte Windows-1252 leaves undefined.
  std::string text = spreadsheet::FrenchSites(true);
  text.replace(text.find('\xE9'), 1, "\x81");
  Write("sites.csv", text);
  LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  std::vector<std::string> p = ProblemsOf(r, "sites.csv");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0], testing::HasSubstr("sites.csv:0:0: neither UTF-8 nor "
                                       "Windows-1252 (byte 0x81"));
  EXPECT_THAT(p[0], testing::HasSubstr("save the file as CSV UTF-8"));
  EXPECT_EQ(r.files[static_cast<size_t>(Table::kPartners)].counts.loaded, 3);
  // UTF-16 without its byte order mark.
  Write("sites.csv", std::string("s\0i\0t\0e\0_\0i\0d\0", 14));
  r = Load();
  p = ProblemsOf(r, "sites.csv");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0], testing::HasSubstr("looks like UTF-16 text without a "
                                       "byte order mark"));
  // A damaged UTF-8 file (valid UTF-8 accents and one stray byte) is not
  // transcoded: the field with the stray byte is reported.
  text = spreadsheet::FrenchSites(false);
  text.replace(text.find("Gerland"), 1, "\xE9");
  Write("sites.csv", text);
  r = Load();
  p = ProblemsOf(r, "sites.csv");
  ASSERT_EQ(p.size(), 2u);  // the spreadsheet warning, the field
  EXPECT_THAT(p[1], testing::HasSubstr("sites.csv:2:2: invalid UTF-8"));
  EXPECT_EQ(r.network.site(*r.network.FindSite("s-venissieux")).name,
            "ACI V\xC3\xA9nissieux");
}

TEST_F(FolderTest, AmbiguousNumbersAndMixedDelimitersAreRefusedNotMisread) {
  // Digit groups, or both marks: malformed, never 1.2345 or 12345.
  for (const char* lat : {"1.045,76", "1 045,76", "45,76,1"}) {
    Write("sites.csv", absl::StrCat("site_id;name;territory;insee_com;lat;lng\n"
                                    "s-gerland;A;lyon;69387;",
                                    lat, ";4,8\n"));
    const LoadResult r = Load();
    EXPECT_FALSE(r.ok()) << lat;
    std::vector<std::string> p = ProblemsOf(r, "sites.csv");
    ASSERT_EQ(p.size(), 2u) << lat;
    EXPECT_THAT(p[1], testing::HasSubstr("sites.csv:2:5: ")) << lat;
  }
  // A row written with ',' in a ';' file: its fields do not line up.
  Write("sites.csv",
        "site_id;name;territory;insee_com;lat;lng\n"
        "s-gerland;A;lyon;69387;45,7;4,8\n"
        "s-venissieux,B,lyon,69259,45.7,4.9\n");
  LoadResult r = Load();
  EXPECT_FALSE(r.ok());
  std::vector<std::string> p = ProblemsOf(r, "sites.csv");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_THAT(p[1], testing::HasSubstr("sites.csv:3:0: expected 6 fields, "
                                       "found 1"));
  // A decimal comma in a ',' file splits the cell: the row is refused.
  Write("sites.csv",
        "site_id,name,territory,insee_com,lat,lng\n"
        "s-gerland,A,lyon,69387,45,7,4,8\n");
  r = Load();
  EXPECT_FALSE(r.ok());
  p = ProblemsOf(r, "sites.csv");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0], testing::HasSubstr("expected 6 fields, found 8"));
}

}  // namespace
}  // namespace maillage
