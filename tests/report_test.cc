// RenderReport (maillage/report.h): the page of a generated territory and of
// a crafted network whose names are hostile and whose counts are all small.
// The page is checked as text: its language, the figures of its summary
// against the plan, the masking rule, the escaping of every name, that no
// person id or location is in it and that nothing in it points elsewhere.
// tests/report/check_report.py opens it in a real browser.

#include "maillage/report.h"

#include <array>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/file.h"
#include "generated_ranker.h"
#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/gaps.h"
#include "maillage/network.h"
#include "maillage/rank.h"
#include "maillage/synth.h"

namespace maillage {
namespace {

bool Has(const std::string& html, const std::string& s) {
  return html.find(s) != std::string::npos;
}

std::string Render(const GapReport& r, ReportOptions o = {}) {
  absl::StatusOr<std::string> html = RenderReport(r, o);
  EXPECT_TRUE(html.ok()) << html.status();
  return html.ok() ? *std::move(html) : std::string();
}

// The summary cells: (territory, field) -> data-value; the total row's
// territory is "*".
std::map<std::pair<std::string, std::string>, std::string> SummaryCells(
    const std::string& html) {
  std::map<std::pair<std::string, std::string>, std::string> cells;
  static const std::regex cell(
      "<td class=\"n\" (data-territory=\"([^\"]*)\"|data-total=\"1\") "
      "data-field=\"([a-z_]+)\" data-value=\"([^\"]*)\">");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const std::string territory = m[2].matched ? m[2].str() : "*";
    EXPECT_TRUE(
        cells.emplace(std::pair(territory, m[3].str()), m[4].str()).second)
        << territory << " " << m[3].str() << " twice";
  }
  return cells;
}

// --- A generated territory -------------------------------------------------

class GeneratedReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SynthOptions synth;
    synth.territories = {"lyon"};
    synth.seed = 1;
    synth.scale = 0.5;  // about 130 people: the analysis stays short
    absl::StatusOr<Ranker> ranker = testing_networks::GeneratedRanker(synth);
    ASSERT_TRUE(ranker.ok()) << ranker.status();
    GapsOptions o;
    o.budget = 3;
    o.gaps.recruitments_per_territory = 1;
    o.partner_graph.conventions_per_territory = 1;
    absl::StatusOr<GapReport> r = AnalyzeGaps(*ranker, o);
    ASSERT_TRUE(r.ok()) << r.status();
    report_ = new GapReport(*std::move(r));
    french_ = new std::string(Render(*report_));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete french_;
  }
  static const GapReport& report() { return *report_; }
  static const std::string& french() { return *french_; }

 private:
  static GapReport* report_;
  static std::string* french_;
};
GapReport* GeneratedReportTest::report_ = nullptr;
std::string* GeneratedReportTest::french_ = nullptr;

TEST_F(GeneratedReportTest, FrenchByDefaultEnglishOnRequest) {
  const std::string& fr = french();
  EXPECT_TRUE(Has(fr, "<html lang=\"fr\">"));
  EXPECT_TRUE(Has(fr, "Synthèse par territoire"));
  EXPECT_TRUE(Has(fr, "Couverture par thème"));
  EXPECT_TRUE(Has(fr, "Logement, hébergement"));
  EXPECT_TRUE(Has(fr, "Services complets"));
  ReportOptions o;
  o.lang = "en";
  const std::string en = Render(report(), o);
  EXPECT_TRUE(Has(en, "<html lang=\"en\">"));
  EXPECT_TRUE(Has(en, "Summary by territory"));
  EXPECT_TRUE(Has(en, "Coverage by theme"));
  EXPECT_TRUE(Has(en, "Housing, shelter"));
  EXPECT_TRUE(Has(en, "Services full"));
  EXPECT_FALSE(Has(en, "Synthèse"));
  EXPECT_FALSE(Has(en, "Logement, hébergement"));
  // The same figures in both.
  EXPECT_EQ(SummaryCells(fr), SummaryCells(en));
}

TEST_F(GeneratedReportTest, RefusesAnotherLanguage) {
  for (const char* lang : {"de", "", "FR", "fr-FR"}) {
    ReportOptions o;
    o.lang = lang;
    absl::StatusOr<std::string> html = RenderReport(report(), o);
    EXPECT_EQ(html.status().code(), absl::StatusCode::kInvalidArgument) << lang;
    EXPECT_EQ(WriteReport(report(), "/nonexistent/never.html", o).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST_F(GeneratedReportTest, SummaryIsThePlansObjective) {
  const PlanObjective& o = report().plan.objective;
  ASSERT_GE(o.needs - o.needs_covered, 5);  // nothing masked below
  ASSERT_GE(o.people - o.people_covered, 5);
  const auto cells = SummaryCells(french());
  // One territory: no total row.
  const std::map<std::pair<std::string, std::string>, std::string> want = {
      {{"lyon", "people"}, absl::StrCat(o.people)},
      {{"lyon", "needs"}, absl::StrCat(o.needs)},
      {{"lyon", "needs_covered"}, absl::StrCat(o.needs_covered)},
      {{"lyon", "unmatched"}, absl::StrCat(o.needs - o.needs_covered)},
      {{"lyon", "people_without_covered_need"},
       absl::StrCat(o.people - o.people_covered)},
  };
  EXPECT_EQ(cells, want);
  // The reasons' bars: the plan's unmatched needs by reason, "<5" for 1 to 4.
  std::array<int64_t, kNumUnmatchedReasons> by_reason{};
  for (const Unmatched& u : report().plan.unmatched) {
    ++by_reason[static_cast<size_t>(u.reason)];
  }
  static const std::regex reason(
      "data-territory=\"lyon\" data-field=\"unmatched\\.([a-z_]+)\" "
      "data-value=\"([^\"]+)\"");
  std::map<std::string, std::string> got, want_reasons;
  for (auto it = std::sregex_iterator(french().begin(), french().end(), reason);
       it != std::sregex_iterator(); ++it) {
    got[(*it)[1].str()] = (*it)[2].str();
  }
  for (int k = 0; k < kNumUnmatchedReasons; ++k) {
    const int64_t n = by_reason[static_cast<size_t>(k)];
    want_reasons[std::string(
        UnmatchedReasonCode(static_cast<UnmatchedReason>(k)))] =
        n >= 1 && n <= 4 ? "&lt;5" : absl::StrCat(n);
  }
  EXPECT_EQ(got, want_reasons);
}

TEST_F(GeneratedReportTest, ShowsTheRecommendationsAndTheirVerifiedGains) {
  ASSERT_EQ(report().places.size(), 1u);
  const PlacePortfolio& p = report().places[0];
  ASSERT_FALSE(p.steps.empty());
  const std::string& html = french();
  EXPECT_TRUE(Has(html, "Places recommandées"));
  EXPECT_TRUE(Has(html, "Total vérifié (nouvelle allocation)"));
  EXPECT_TRUE(Has(
      html, absl::StrCat("<td class=\"n\">+", p.verified.gain.needs, "</td>")));
  EXPECT_TRUE(Has(html, "Partenaires à recruter"));
  EXPECT_TRUE(Has(html, "Graphe des partenaires"));
  EXPECT_TRUE(Has(html, "Conventions manquantes"));
}

TEST_F(GeneratedReportTest, NoPersonIdNoPersonLocation) {
  const std::string& html = french();
  const Network& net = report().network;
  ASSERT_FALSE(net.persons().empty());
  ASSERT_FALSE(report().what_would_help.empty());  // rows with person ids
  for (const Person& p : net.persons()) {
    ASSERT_FALSE(Has(html, p.id)) << p.id;
    ASSERT_FALSE(Has(html, absl::StrFormat("%.4f", p.lat))) << p.id;
    ASSERT_FALSE(Has(html, absl::StrFormat("%.4f", p.lng))) << p.id;
  }
  EXPECT_FALSE(Has(html, "p-lyon-"));
  // The map places unmatched needs at communes only.
  static const std::regex need(
      "<circle class=\"need\" data-commune=\"([^\"]+)\"");
  int circles = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), need);
       it != std::sregex_iterator(); ++it) {
    ++circles;
  }
  EXPECT_GT(circles, 0);
}

TEST_F(GeneratedReportTest, SelfContained) {
  const std::string& html = french();
  EXPECT_TRUE(Has(html,
                  "<meta http-equiv=\"Content-Security-Policy\" "
                  "content=\"default-src 'none'; style-src 'unsafe-inline';"));
  EXPECT_TRUE(Has(html, "@page { size: A4;"));
  EXPECT_TRUE(Has(html, "section.territory { break-before: page; }"));
  EXPECT_TRUE(Has(html, "<svg viewBox="));
  EXPECT_FALSE(Has(html, "http://"));
  EXPECT_FALSE(Has(html, "https://"));
  EXPECT_FALSE(Has(html, "<script"));
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_FALSE(Has(html, "<iframe"));
  EXPECT_FALSE(Has(html, "url("));
  EXPECT_FALSE(Has(html, "@import"));
  // Every link is to the page itself, but the empty icon.
  static const std::regex link(
      "\\b(src|href|xlink:href|action)\\s*=\\s*\"([^\"]*)\"");
  int links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link);
       it != std::sregex_iterator(); ++it) {
    const std::string target = (*it)[2].str();
    EXPECT_TRUE(target == "data:," || (target.size() > 1 && target[0] == '#'))
        << target;
    ++links;
  }
  EXPECT_GT(links, 2);
}

TEST_F(GeneratedReportTest, Deterministic) {
  EXPECT_EQ(Render(report()), french());
}

TEST_F(GeneratedReportTest, TheGivenPlanIsSaid) {
  GapReport given = report();
  given.plan_given = true;
  const std::string html = Render(given);
  EXPECT_TRUE(Has(html, "Plan : le plan donné"));
  EXPECT_TRUE(Has(html, "Allocation optimale, pour comparaison"));
  EXPECT_FALSE(Has(french(), "Plan : le plan donné"));
}

TEST_F(GeneratedReportTest, WritesTheFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "maillage_report_test.html")
          .string();
  ASSERT_TRUE(WriteReport(report(), path).ok());
  absl::StatusOr<std::string> back = base::ReadFile(path, "report");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, french());
  std::filesystem::remove(path);
  EXPECT_EQ(WriteReport(report(), "/nonexistent/dir/report.html").code(),
            absl::StatusCode::kUnavailable);
}

// --- A crafted network: hostile names, small counts ----------------------
//
//   territory "est":   site S1, people A and B, each a need in `sante`;
//                      service SV (1 place, `sante`) 1 km away: A or B
//                      covered, the other left capacity_full.
//   territory "ouest": site S2, person C, a need in `logement-hebergement`
//                      that no service serves.
// Every count is below 5.

constexpr char kServiceName[] = "<script>alert('x')</script> & Co";
constexpr char kPartnerName[] = "Partenaire \"<b>gras</b>\"";
constexpr char kSiteName[] = "<img src=x onerror=alert(1)>";

GapReport CraftedReport() {
  NetworkBuilder b;
  b.Add<SiteRow>({"S1", kSiteName, "est", "69123", 45.76, 4.84});
  b.Add<SiteRow>({"S2", "ACI ouest", "ouest", "69266", 45.77, 4.88});
  b.Add<PartnerRow>({"P", kPartnerName, "", "69123", 45.76, 4.85, "", {}, ""});
  ServiceRow s;
  s.id = "SV";
  s.partner_id = "P";
  s.name = kServiceName;
  s.thematiques = {"sante"};
  s.lat = 45.76;
  s.lng = 4.853;
  s.capacity_available = 1;
  b.Add<ServiceRow>(std::move(s));
  for (const auto& [id, site] :
       std::vector<std::pair<std::string, std::string>>{
           {"PERSON-SECRET-A", "S1"},
           {"PERSON-SECRET-B", "S1"},
           {"PERSON-SECRET-C", "S2"}}) {
    PersonRow p;
    p.id = id;
    p.site_id = site;
    p.insee_com = site == "S1" ? "69123" : "69266";
    p.lat = 45.7612345;
    p.lng = 4.8412345;
    b.Add<PersonRow>(std::move(p));
  }
  b.Add<NeedRow>({"PERSON-SECRET-A", "sante", 2});
  b.Add<NeedRow>({"PERSON-SECRET-B", "sante", 3});
  b.Add<NeedRow>({"PERSON-SECRET-C", "logement-hebergement", 1});
  absl::StatusOr<Network> net = std::move(b).Build();
  EXPECT_TRUE(net.ok()) << net.status();
  absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
  EXPECT_TRUE(ranker.ok()) << ranker.status();
  absl::StatusOr<GapReport> r = AnalyzeGaps(*ranker);
  EXPECT_TRUE(r.ok()) << r.status();
  return *std::move(r);
}

TEST(CraftedReportTest, EscapesEveryName) {
  const GapReport r = CraftedReport();
  ReportOptions o;
  o.title = "Rapport <T&'>";
  const std::string html = Render(r, o);
  EXPECT_FALSE(Has(html, "<script"));
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_FALSE(Has(html, "<b>"));
  EXPECT_FALSE(Has(html, "<T&"));
  EXPECT_TRUE(
      Has(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"))
      << "the service is on the map";
  EXPECT_TRUE(Has(html, "Partenaire &quot;&lt;b&gt;gras&lt;/b&gt;&quot;"))
      << "the partner is isolated";
  EXPECT_TRUE(Has(html, "&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_TRUE(Has(html, "<title>Rapport &lt;T&amp;&#39;&gt;</title>"));
  EXPECT_TRUE(Has(html, "<h1>Rapport &lt;T&amp;&#39;&gt;</h1>"));
  for (const char* id : {"PERSON-SECRET", "4.8412", "45.7612"}) {
    EXPECT_FALSE(Has(html, id)) << id;
  }
}

TEST(CraftedReportTest, SmallCountsMaskedUnlessExact) {
  const GapReport r = CraftedReport();
  const PlanObjective& o = r.plan.objective;
  ASSERT_EQ(o.people, 3);
  ASSERT_EQ(o.needs, 3);
  ASSERT_EQ(o.needs_covered, 1);

  const std::string masked = Render(r);
  EXPECT_TRUE(Has(masked, "&lt; 5"));
  const auto masked_cells = SummaryCells(masked);
  ASSERT_EQ(masked_cells.size(), 15u);  // 2 territories and the total, 5 each
  for (const auto& [key, value] : masked_cells) {
    // Only 0 is shown; every other count is from 1 to 4.
    EXPECT_TRUE(value == "&lt;5" || value == "0")
        << key.first << " " << key.second << " = " << value;
  }
  EXPECT_EQ(masked_cells.at({"*", "people"}), "&lt;5");

  ReportOptions exact;
  exact.exact_small_counts = true;
  const std::string shown = Render(r, exact);
  EXPECT_FALSE(Has(shown, "&lt; 5"));
  EXPECT_FALSE(Has(shown, "&lt;5"));
  const auto cells = SummaryCells(shown);
  EXPECT_EQ(cells.at({"*", "people"}), "3");
  EXPECT_EQ(cells.at({"*", "needs"}), "3");
  EXPECT_EQ(cells.at({"*", "needs_covered"}), "1");
  EXPECT_EQ(cells.at({"*", "unmatched"}), "2");
  EXPECT_EQ(cells.at({"*", "people_without_covered_need"}), "2");
  EXPECT_EQ(cells.at({"est", "people"}), "2");
  EXPECT_EQ(cells.at({"est", "unmatched"}), "1");
  EXPECT_EQ(cells.at({"ouest", "needs_covered"}), "0");
  EXPECT_EQ(cells.at({"ouest", "people_without_covered_need"}), "1");
  // The masked page says so; the exact one warns.
  EXPECT_TRUE(Has(masked, "sont affichés «&#160;&lt; 5&#160;»"));
  EXPECT_TRUE(Has(shown, "Effectifs exacts"));
}

TEST(CraftedReportTest, SummaryTotalIsThePlansObjective) {
  const GapReport r = CraftedReport();
  const PlanObjective& o = r.plan.objective;
  ReportOptions exact;
  exact.exact_small_counts = true;
  const auto cells = SummaryCells(Render(r, exact));
  EXPECT_EQ(cells.at({"*", "people"}), absl::StrCat(o.people));
  EXPECT_EQ(cells.at({"*", "needs"}), absl::StrCat(o.needs));
  EXPECT_EQ(cells.at({"*", "needs_covered"}), absl::StrCat(o.needs_covered));
  EXPECT_EQ(cells.at({"*", "unmatched"}),
            absl::StrCat(o.needs - o.needs_covered));
  EXPECT_EQ(cells.at({"*", "people_without_covered_need"}),
            absl::StrCat(o.people - o.people_covered));
}

}  // namespace
}  // namespace maillage
