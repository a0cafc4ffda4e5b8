// What real directory records carry: zones by arrondissement, EPCI and
// country code, former commune codes, unknown capacities, the frais and
// service-type filters, freshness, and the data·inclusion fields kept.

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "maillage/allocate.h"
#include "maillage/export.h"
#include "maillage/geo.h"
#include "maillage/network.h"
#include "maillage/rank.h"
#include "maillage/vocabulary.h"

namespace maillage {
namespace {

// One site in Paris 11e, partner P there, person u living in Paris 11e.
NetworkBuilder Paris() {
  NetworkBuilder b;
  b.Add<SiteRow>({"S", "site", "paris", "75111", 48.859, 2.379});
  b.Add<PartnerRow>({"P", "partner", "", "75111", 48.859, 2.379, "", {}, ""});
  PersonRow u;
  u.id = "u";
  u.site_id = "S";
  u.insee_com = "75111";
  b.Add<PersonRow>(u);
  b.Add<NeedRow>({"u", "sante", 2});
  return b;
}

ServiceRow ServiceIn(std::string id, std::vector<std::string> zone) {
  ServiceRow s;
  s.id = std::move(id);
  s.partner_id = "P";
  s.thematiques = {"sante"};
  s.insee_com = "75111";
  s.zone_eligibilite = std::move(zone);
  s.capacity_available = 3;
  return s;
}

struct Built {
  Network net;
  std::vector<Problem> problems;
};

// The network of the accepted rows, and every problem.
Built Build(NetworkBuilder b) {
  BuildReport report = std::move(b).BuildWithReport();
  return {std::move(report.network), std::move(report.problems)};
}

Filter CheckOf(const Network& net, absl::string_view service,
               RankOptions options = {}) {
  absl::StatusOr<Ranker> r = Ranker::Create(net, std::move(options));
  EXPECT_TRUE(r.ok()) << r.status();
  const NeedId need = net.first_need(*net.FindPerson("u"));
  return r->Check(need, *net.FindService(service));
}

TEST(ZoneTest, ParisMeetsItsArrondissementsAndItsEpci) {
  NetworkBuilder b = Paris();
  b.Add<ServiceRow>(ServiceIn("paris", {"75056"}));
  b.Add<ServiceRow>(ServiceIn("p11", {"75111"}));
  b.Add<ServiceRow>(ServiceIn("p12", {"75112"}));
  b.Add<ServiceRow>(ServiceIn("grand-paris", {"200054781"}));  // MGP
  b.Add<ServiceRow>(ServiceIn("lyon-metropole", {"200046977"}));
  b.Add<ServiceRow>(ServiceIn("country", {"99100"}));
  b.Add<ServiceRow>(ServiceIn("dep", {"75"}));
  b.Add<ServiceRow>(ServiceIn("lyon", {"69123"}));
  const Built built = Build(std::move(b));
  const Network& net = built.net;
  EXPECT_EQ(CheckOf(net, "paris"), Filter::kNone);
  EXPECT_EQ(CheckOf(net, "p11"), Filter::kNone);
  EXPECT_EQ(CheckOf(net, "p12"), Filter::kZone);
  EXPECT_EQ(CheckOf(net, "grand-paris"), Filter::kNone);
  EXPECT_EQ(CheckOf(net, "lyon-metropole"), Filter::kZone);
  EXPECT_EQ(CheckOf(net, "country"), Filter::kNone);
  EXPECT_EQ(CheckOf(net, "dep"), Filter::kNone);
  EXPECT_EQ(CheckOf(net, "lyon"), Filter::kZone);
  // 99100 is read as the whole country, and written back as `france`.
  EXPECT_TRUE(net.service(*net.FindService("country")).zone.france);
  NetworkRows rows = RowsOf(net);
  EXPECT_EQ(rows.services[5].zone_eligibilite,
            std::vector<std::string>{"france"});
  EXPECT_EQ(rows.services[3].zone_eligibilite,
            std::vector<std::string>{"200054781"});
}

TEST(ZoneTest, RemoteServiceOfAnEpciReachesItsMembers) {
  NetworkBuilder b = Paris();
  ServiceRow s = ServiceIn("remote-mgp", {"200054781"});
  s.modes_accueil = {"a-distance"};
  s.insee_com.clear();
  b.Add<ServiceRow>(s);
  const Built built = Build(std::move(b));
  absl::StatusOr<Ranker> r = Ranker::Create(built.net);
  ASSERT_TRUE(r.ok());
  const std::vector<Option> options =
      r->Rank(built.net.first_need(*built.net.FindPerson("u")), 5);
  ASSERT_EQ(options.size(), 1u);
  EXPECT_TRUE(options[0].remote);
}

TEST(ZoneTest, UnknownEpciAndMalformedCodesAreRejected) {
  NetworkBuilder b = Paris();
  b.Add<ServiceRow>(ServiceIn("bad-epci", {"123456789"}));
  b.Add<ServiceRow>(ServiceIn("bad-code", {"paris"}));
  const Built built = Build(std::move(b));
  EXPECT_FALSE(built.net.FindService("bad-epci").has_value());
  EXPECT_FALSE(built.net.FindService("bad-code").has_value());
  ASSERT_EQ(built.problems.size(), 2u);
  EXPECT_NE(built.problems[0].reason.find("unknown EPCI SIREN '123456789'"),
            std::string::npos)
      << built.problems[0].reason;
}

TEST(FormerCodeTest, MappedToTheCurrentCommuneWithAWarning) {
  const Commune* now = FindFormerCommune("27058");
  ASSERT_NE(now, nullptr);
  NetworkBuilder b = Paris();
  PersonRow v;
  v.id = "v";
  v.site_id = "S";
  v.insee_com = "27058";  // merged into Les Trois Lacs (27676)
  b.Add<PersonRow>(v);
  ServiceRow s = ServiceIn("eure", {"27058"});
  s.insee_com = "27058";
  b.Add<ServiceRow>(s);
  const Built built = Build(std::move(b));
  const Network& net = built.net;
  const Person& p = net.person(*net.FindPerson("v"));
  EXPECT_EQ(p.insee_com, "27676");
  EXPECT_NEAR(p.lat, now->lat, 1e-9);  // placed at the current commune
  const Service& eure = net.service(*net.FindService("eure"));
  EXPECT_EQ(eure.insee_com, "27676");
  EXPECT_EQ(eure.zone.communes, std::vector<std::string>{"27676"});
  int warnings = 0;
  for (const Problem& pr : built.problems) {
    EXPECT_TRUE(pr.warning) << pr.ToString();
    EXPECT_NE(pr.reason.find("former commune code"), std::string::npos);
    ++warnings;
    if (pr.file == "persons.csv") {
      // A person's commune is theirs: not in the message.
      EXPECT_EQ(pr.reason.find("27058"), std::string::npos) << pr.reason;
      EXPECT_EQ(pr.reason.find("27676"), std::string::npos) << pr.reason;
    } else {
      EXPECT_NE(pr.reason.find("'27058'"), std::string::npos) << pr.reason;
      EXPECT_NE(pr.reason.find("'27676'"), std::string::npos) << pr.reason;
    }
  }
  EXPECT_EQ(warnings, 3);  // person commune, service commune, service zone
}

TEST(UnknownCapacityTest, RankedFlaggedAndAssumedInThePlan) {
  NetworkBuilder b = Paris();
  ServiceRow unknown = ServiceIn("unknown", {});
  unknown.capacity_available.reset();
  b.Add<ServiceRow>(unknown);
  PersonRow w;
  w.id = "w";
  w.site_id = "S";
  w.insee_com = "75111";
  b.Add<PersonRow>(w);
  b.Add<NeedRow>({"w", "sante", 2});
  const Built built = Build(std::move(b));
  const Network& net = built.net;
  const Service& s = net.service(*net.FindService("unknown"));
  EXPECT_FALSE(s.capacity_known);
  EXPECT_TRUE(built.problems.empty());
  // Written back with an empty capacity_available.
  EXPECT_FALSE(RowsOf(net).services[0].capacity_available.has_value());

  absl::StatusOr<Ranker> r = Ranker::Create(net);
  ASSERT_TRUE(r.ok());
  const std::vector<Option> options =
      r->Rank(net.first_need(*net.FindPerson("u")), 5);
  ASSERT_EQ(options.size(), 1u);
  EXPECT_FALSE(options[0].capacity_known);
  EXPECT_FALSE(options[0].full);
  EXPECT_DOUBLE_EQ(options[0].capacity, RankOptions{}.unknown_capacity_score);

  // Default: one assumed place, flagged; the other need is unmatched.
  absl::StatusOr<Plan> plan = Allocate(*r);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->assignments.size(), 1u);
  EXPECT_TRUE(plan->assignments[0].capacity_assumed);
  EXPECT_EQ(plan->unmatched.size(), 1u);
  EXPECT_TRUE(VerifyPlan(*r, *plan).ok());
  const std::string summary = PlanSummaryJson(net, *plan);
  EXPECT_NE(summary.find("\"assignments_on_assumed_capacity\": 1"),
            std::string::npos);
  EXPECT_NE(summary.find("\"services_capacity_unknown\": 1"),
            std::string::npos);

  AllocateOptions two;
  two.assumed_capacity = 2;
  plan = Allocate(*r, two);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->assignments.size(), 2u);
  EXPECT_TRUE(VerifyPlan(*r, *plan, two).ok());

  AllocateOptions none;
  none.assumed_capacity = 0;
  plan = Allocate(*r, none);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->assignments.empty());
  EXPECT_EQ(plan->unmatched.size(), 2u);

  AllocateOptions bad;
  bad.assumed_capacity = -1;
  EXPECT_FALSE(Allocate(*r, bad).ok());
}

TEST(UnknownCapacityTest, KnownServicesAreNeverFlagged) {
  NetworkBuilder b = Paris();
  b.Add<ServiceRow>(ServiceIn("known", {}));
  const Built built = Build(std::move(b));
  absl::StatusOr<Ranker> r = Ranker::Create(built.net);
  ASSERT_TRUE(r.ok());
  absl::StatusOr<Plan> plan = Allocate(*r);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->assignments.size(), 1u);
  EXPECT_FALSE(plan->assignments[0].capacity_assumed);
}

TEST(FilterTest, FraisAndServiceType) {
  NetworkBuilder b = Paris();
  ServiceRow free_ = ServiceIn("free", {});
  free_.frais = {"gratuit"};
  free_.types = {"accompagnement"};
  b.Add<ServiceRow>(free_);
  ServiceRow paid = ServiceIn("paid", {});
  paid.frais = {"payant"};
  paid.types = {"formation", "atelier"};
  b.Add<ServiceRow>(paid);
  b.Add<ServiceRow>(ServiceIn("silent", {}));
  const Built built = Build(std::move(b));
  const Network& net = built.net;
  const CodeSet gratuit = 1u << *ParseCode(Vocabulary::kFrais, "gratuit");
  const CodeSet atelier =
      1u << *ParseCode(Vocabulary::kServiceTypes, "atelier");
  RankOptions o;
  o.frais = gratuit;
  EXPECT_EQ(CheckOf(net, "free", o), Filter::kNone);
  EXPECT_EQ(CheckOf(net, "paid", o), Filter::kFrais);
  EXPECT_EQ(CheckOf(net, "silent", o), Filter::kNone);
  o.exclude_unknown_frais = true;
  EXPECT_EQ(CheckOf(net, "silent", o), Filter::kFrais);
  RankOptions t;
  t.service_types = atelier;
  EXPECT_EQ(CheckOf(net, "free", t), Filter::kServiceType);
  EXPECT_EQ(CheckOf(net, "paid", t), Filter::kNone);
  EXPECT_EQ(CheckOf(net, "silent", t), Filter::kNone);
  t.exclude_unknown_types = true;
  EXPECT_EQ(CheckOf(net, "silent", t), Filter::kServiceType);
  EXPECT_EQ(FilterCode(Filter::kFrais), "frais");
  EXPECT_EQ(FilterCode(Filter::kServiceType), "type");

  // An unmatched need names the filter that excluded most services.
  RankOptions only_paid;
  only_paid.frais = 1u << *ParseCode(Vocabulary::kFrais, "payant");
  only_paid.exclude_unknown_frais = true;
  NetworkBuilder b2 = Paris();
  b2.Add<ServiceRow>(free_);
  b2.Add<ServiceRow>(ServiceIn("silent", {}));
  const Built built2 = Build(std::move(b2));
  absl::StatusOr<Ranker> r = Ranker::Create(built2.net, only_paid);
  ASSERT_TRUE(r.ok());
  absl::StatusOr<Plan> plan = Allocate(*r);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->unmatched.size(), 1u);
  EXPECT_EQ(plan->unmatched[0].reason, UnmatchedReason::kNotEligible);
  EXPECT_EQ(plan->unmatched[0].filter, Filter::kFrais);
}

TEST(FreshnessTest, OlderPlacesAreTrustedLess) {
  NetworkBuilder b = Paris();
  for (auto [id, date] : {std::pair{"fresh", "2026-11-01"},
                          std::pair{"year", "2025-11-01"},
                          std::pair{"undated", ""}}) {
    ServiceRow s = ServiceIn(id, {});
    s.updated = date;
    b.Add<ServiceRow>(s);
  }
  const Built built = Build(std::move(b));
  const Network& net = built.net;
  const NeedId need = net.first_need(*net.FindPerson("u"));
  auto capacity = [&](const RankOptions& o, absl::string_view id) {
    absl::StatusOr<Ranker> r = Ranker::Create(net, o);
    EXPECT_TRUE(r.ok()) << r.status();
    return r->OptionFor(need, *net.FindService(id))->capacity;
  };
  RankOptions off;
  EXPECT_DOUBLE_EQ(capacity(off, "fresh"), capacity(off, "year"));
  RankOptions on;
  on.freshness_half_life_days = 365;
  // as_of defaults to the latest date of the network: 2026-11-01.
  const double full = capacity(off, "fresh");
  EXPECT_DOUBLE_EQ(capacity(on, "fresh"), full);
  EXPECT_NEAR(capacity(on, "year"), full / 2, 1e-12);
  EXPECT_NEAR(capacity(on, "undated"), full / 2, 1e-12);
  on.as_of = "2027-11-01";
  EXPECT_NEAR(capacity(on, "fresh"), full / 2, 1e-12);
  EXPECT_NEAR(capacity(on, "year"), full / 4, 1e-12);
  on.as_of = "2027-02-30";
  EXPECT_FALSE(Ranker::Create(net, on).ok());
  on.as_of.clear();
  on.freshness_half_life_days = -1;
  EXPECT_FALSE(Ranker::Create(net, on).ok());
}

TEST(RecordFieldsTest, KeptCheckedAndWrittenBack) {
  NetworkBuilder b = Paris();
  b.Add<PartnerRow>({"Q", "association", "", "75111", 48.86, 2.38,
                     "12345678901234", {"france-travail", "caf"},
                     "2026-01-15"});
  ServiceRow s = ServiceIn("full", {});
  s.partner_id = "Q";
  s.types = {"information", "accompagnement"};
  s.frais = {"gratuit"};
  s.modes_mobilisation = {"telephoner", "se-presenter"};
  s.mobilisable_par = {"professionnels"};
  s.lien_mobilisation = "https://example.org/orienter";
  s.horaires_accueil = "Mo-Fr 09:00-12:00; PH off";
  s.conditions_acces = "Sur rendez-vous";
  s.score_qualite = 0.75;
  s.updated = "2026-03-01";
  b.Add<ServiceRow>(s);
  const Built built = Build(std::move(b));
  EXPECT_TRUE(built.problems.empty());
  const NetworkRows rows = RowsOf(built.net);
  ASSERT_EQ(rows.services.size(), 1u);
  const ServiceRow& back = rows.services[0];
  // Codes come back in vocabulary order; text as given.
  EXPECT_EQ(back.types,
            (std::vector<std::string>{"accompagnement", "information"}));
  EXPECT_EQ(back.frais, std::vector<std::string>{"gratuit"});
  EXPECT_EQ(back.modes_mobilisation,
            (std::vector<std::string>{"se-presenter", "telephoner"}));
  EXPECT_EQ(back.mobilisable_par, std::vector<std::string>{"professionnels"});
  EXPECT_EQ(back.lien_mobilisation, s.lien_mobilisation);
  EXPECT_EQ(back.horaires_accueil, s.horaires_accueil);
  EXPECT_EQ(back.conditions_acces, s.conditions_acces);
  EXPECT_EQ(back.score_qualite, 0.75);
  ASSERT_EQ(rows.partners.size(), 2u);
  EXPECT_EQ(rows.partners[1].siret, "12345678901234");
  EXPECT_EQ(rows.partners[1].reseaux_porteurs,
            (std::vector<std::string>{"caf", "france-travail"}));
  EXPECT_EQ(rows.partners[1].updated, "2026-01-15");
}

TEST(RecordFieldsTest, BadValuesAreRejectedOrWarned) {
  NetworkBuilder b = Paris();
  b.Add<PartnerRow>({"Q", "x", "", "75111", 48.86, 2.38, "1234", {}, ""});
  b.Add<PartnerRow>(
      {"R", "x", "", "75111", 48.86, 2.38, "", {"pas-un-reseau"}, ""});
  ServiceRow frais = ServiceIn("frais", {});
  frais.frais = {"gratuite"};
  b.Add<ServiceRow>(frais);
  ServiceRow type = ServiceIn("type", {});
  type.types = {"hebergement"};
  b.Add<ServiceRow>(type);
  ServiceRow mob = ServiceIn("mob", {});
  mob.modes_mobilisation = {"courrier"};
  b.Add<ServiceRow>(mob);
  ServiceRow par = ServiceIn("par", {});
  par.mobilisable_par = {"tout-le-monde"};
  b.Add<ServiceRow>(par);
  ServiceRow score = ServiceIn("score", {});
  score.score_qualite = 1.5;
  b.Add<ServiceRow>(score);
  ServiceRow date = ServiceIn("date", {});
  date.updated = "01/03/2026";
  b.Add<ServiceRow>(date);
  const Built built = Build(std::move(b));
  const Network& net = built.net;
  EXPECT_FALSE(net.FindPartner("Q").has_value());
  EXPECT_FALSE(net.FindPartner("R").has_value());
  for (const char* id : {"frais", "type", "mob", "par", "score"}) {
    EXPECT_FALSE(net.FindService(id).has_value()) << id;
  }
  // A date that is not ISO is kept, with a warning.
  ASSERT_TRUE(net.FindService("date").has_value());
  int errors = 0, warnings = 0;
  for (const Problem& p : built.problems) (p.warning ? warnings : errors)++;
  EXPECT_EQ(errors, 7);
  EXPECT_EQ(warnings, 1);
}

}  // namespace
}  // namespace maillage
