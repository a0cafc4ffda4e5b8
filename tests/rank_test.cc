// Ranking: crafted cases for each filter and score part, then seeded random
// networks checked against a brute-force oracle that scans every service.

#include "maillage/rank.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "generated_ranker.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "maillage/geo.h"
#include "random_network.h"

namespace maillage {
namespace {

// --- Crafted cases --------------------------------------------------------
//
//   site S (45.00, 4.00)   person u (45.00, 4.00), commune 69001, age 30,
//                          public "femmes", needs: sante (3), mobilite (1)
//   services (partner P, convention S-P strength 1):
//     near   0.09° east (~7 km)   sante, tous-publics, 2 places
//     far    0.60° east (~47 km)  sante                       -> reach
//     jeunes 0.01° east           sante, publics jeunes       -> public
//     zone   0.01° east           sante, zone 13              -> zone
//     old    0.01° east           sante, min_age 50           -> age
//     remote far, a-distance      sante|mobilite, france      -> option
//     refus  0.01° east           sante, refused by u         -> refused
//     logmt  0.01° east           logement                    -> theme
NetworkBuilder Crafted() {
  NetworkBuilder b;
  b.Add<SiteRow>({"S", "site", "t", "69123", 45.0, 4.0});
  b.Add<PartnerRow>({"P", "partner", "", "69123", 45.0, 4.0, "", {}, ""});
  b.Add<PartnerRow>({"Q", "far partner", "", "69123", 45.0, 4.0, "", {}, ""});
  auto service = [&](std::string id, double dlng, std::vector<std::string> th) {
    ServiceRow s;
    s.id = std::move(id);
    s.partner_id = "P";
    s.thematiques = std::move(th);
    s.lat = 45.0;
    s.lng = 4.0 + dlng;
    s.capacity_available = 2;
    return s;
  };
  ServiceRow near = service("near", 0.09, {"sante"});
  near.publics = {"tous-publics"};
  b.Add<ServiceRow>(near);
  b.Add<ServiceRow>(service("far", 0.60, {"sante"}));
  ServiceRow jeunes = service("jeunes", 0.01, {"sante"});
  jeunes.publics = {"jeunes"};
  b.Add<ServiceRow>(jeunes);
  ServiceRow zone = service("zone", 0.01, {"sante"});
  zone.zone_eligibilite = {"13"};
  b.Add<ServiceRow>(zone);
  ServiceRow old = service("old", 0.01, {"sante"});
  old.min_age = 50;
  b.Add<ServiceRow>(old);
  ServiceRow remote =
      service("remote", 3.0,
              {"sante--acces-aux-soins", "mobilite--preparer-un-permis"});
  remote.partner_id = "Q";
  remote.modes_accueil = {"a-distance"};
  remote.zone_eligibilite = {"france"};
  b.Add<ServiceRow>(remote);
  b.Add<ServiceRow>(service("refus", 0.01, {"sante"}));
  b.Add<ServiceRow>(service("logmt", 0.01, {"logement-hebergement"}));
  PersonRow u;
  u.id = "u";
  u.site_id = "S";
  u.insee_com = "69001";
  u.lat = 45.0;
  u.lng = 4.0;
  u.age = 30;
  u.publics = {"femmes"};
  b.Add<PersonRow>(u);
  b.Add<NeedRow>({"u", "sante", 3});
  b.Add<NeedRow>({"u", "mobilite", 1});
  b.Add<SupportRow>({"u", "refus", "sante", "refused"});
  b.Add<PartnershipRow>({"S", "P", "convention", 1.0});
  return b;
}

class CraftedRankTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Network> net = Crafted().Build();
    ASSERT_TRUE(net.ok()) << net.status();
    net_ = *net;
    absl::StatusOr<Ranker> r = Ranker::Create(net_);
    ASSERT_TRUE(r.ok()) << r.status();
    ranker_.emplace(*std::move(r));
    sante_ = net_.first_need(*net_.FindPerson("u"));
  }
  ServiceId S(absl::string_view id) const { return *net_.FindService(id); }

  Network net_;
  absl::optional<Ranker> ranker_;
  NeedId sante_;
};

TEST_F(CraftedRankTest, EachFilterGivesItsReason) {
  EXPECT_EQ(ranker_->Check(sante_, S("near")), Filter::kNone);
  EXPECT_EQ(ranker_->Check(sante_, S("far")), Filter::kReach);
  EXPECT_EQ(ranker_->Check(sante_, S("jeunes")), Filter::kPublic);
  EXPECT_EQ(ranker_->Check(sante_, S("zone")), Filter::kZone);
  EXPECT_EQ(ranker_->Check(sante_, S("old")), Filter::kAge);
  EXPECT_EQ(ranker_->Check(sante_, S("remote")), Filter::kNone);
  EXPECT_EQ(ranker_->Check(sante_, S("refus")), Filter::kRefused);
  EXPECT_EQ(ranker_->Check(sante_, S("logmt")), Filter::kTheme);
}

TEST_F(CraftedRankTest, ScorePartsAreAsDocumented) {
  std::vector<Option> top = ranker_->Rank(sante_, 10);
  ASSERT_EQ(top.size(), 2u);
  const Option& near = top[0].service == S("near") ? top[0] : top[1];
  const Option& remote = top[0].service == S("near") ? top[1] : top[0];
  // near: 2 free places, demand 1 (one open sante need) -> capacity 1.
  EXPECT_DOUBLE_EQ(near.capacity, 1.0);
  const double d = GreatCircleKm(45, 4, 45, 4.09);
  EXPECT_NEAR(near.distance_km, d, 1e-9);
  EXPECT_DOUBLE_EQ(near.proximity, 1.0 / (1.0 + d / 10.0));
  // Direct convention of strength 1: link 1; the other need (mobilite) is not
  // served by "near": cover 0; novelty 1.
  EXPECT_DOUBLE_EQ(near.complementarity, 0.5 * 1.0 + 0.3 * 0.0 + 0.2 * 1.0);
  EXPECT_FALSE(near.remote);
  EXPECT_NEAR(near.score,
              0.40 * 1.0 + 0.35 * near.proximity + 0.25 * near.complementarity,
              1e-12);
  // remote: out of in-person reach, fixed proximity 0.5; partner Q has no
  // link; it also serves the other need (mobilite): cover 1.
  EXPECT_TRUE(remote.remote);
  EXPECT_DOUBLE_EQ(remote.proximity, 0.5);
  EXPECT_DOUBLE_EQ(remote.complementarity, 0.3 * 1.0 + 0.2 * 1.0);
  // Sorted by score.
  EXPECT_GE(top[0].score, top[1].score);
}

TEST_F(CraftedRankTest, AdHocThemeAndK) {
  // A theme that is not one of the person's needs.
  std::vector<Option> top =
      ranker_->Rank(*net_.FindPerson("u"), *ParseTheme("mobilite"), 1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].service, S("remote"));
  EXPECT_TRUE(ranker_->Rank(sante_, 0).empty());
}

TEST(RankOptionsTest, RejectsBadWeights) {
  absl::StatusOr<Network> net = Crafted().Build();
  ASSERT_TRUE(net.ok());
  RankOptions o;
  o.weights = {0, 0, 0};
  EXPECT_EQ(Ranker::Create(*net, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = {};
  o.weights.capacity = -1;
  EXPECT_FALSE(Ranker::Create(*net, o).ok());
  o = {};
  o.default_max_distance_km = 0;
  EXPECT_FALSE(Ranker::Create(*net, o).ok());
  o = {};
  o.remote_proximity = 2;
  EXPECT_FALSE(Ranker::Create(*net, o).ok());
}

TEST(RankOptionsTest, WeightsAreNormalised) {
  absl::StatusOr<Network> net = Crafted().Build();
  ASSERT_TRUE(net.ok());
  RankOptions o;
  o.weights = {2, 0, 0};  // capacity only
  absl::StatusOr<Ranker> r = Ranker::Create(*net, o);
  ASSERT_TRUE(r.ok());
  for (const Option& opt : r->Rank(NeedId(0), 5)) {
    EXPECT_DOUBLE_EQ(opt.score, opt.capacity);
  }
}

// --- Brute-force oracle ---------------------------------------------------

// Written from the documentation of rank.h, scanning every service.
struct Oracle {
  const Network& net;
  RankOptions o;

  bool Eligible(PersonId pid, ThemeId theme, ServiceId sid) const {
    const Person& p = net.person(pid);
    const Service& s = net.service(sid);
    // Theme: declared, or a subtheme of a declared category, or (for a
    // category need) any declared subtheme of it.
    bool theme_ok = false;
    for (ThemeId t : s.themes.ToVector()) {
      if (t == theme || (IsCategory(t) && CategoryOf(theme) == t) ||
          (IsCategory(theme) && CategoryOf(t) == theme)) {
        theme_ok = true;
      }
    }
    if (!theme_ok) return false;
    if (s.publics != 0) {
      bool ok = (s.publics >> AllPublicsId()) & 1;
      for (int i = 0; i < NumPublics(); ++i) {
        if (((s.publics >> i) & 1) && ((p.publics >> i) & 1)) ok = true;
      }
      if (!ok) return false;
    }
    if (!s.zone.france &&
        !(s.zone.communes.empty() && s.zone.departements.empty())) {
      bool ok = false;
      for (const auto& c : s.zone.communes) ok |= c == p.insee_com;
      for (const auto& d : s.zone.departements)
        ok |= d == DepartementOf(p.insee_com);
      if (!ok) return false;
    }
    if (p.age && s.min_age && *p.age < *s.min_age) return false;
    if (p.age && s.max_age && *p.age > *s.max_age) return false;
    const double d = GreatCircleKm(p.lat, p.lng, s.lat, s.lng);
    const bool reach = s.in_person() && d <= p.max_distance_km.value_or(
                                                 o.default_max_distance_km);
    if (!reach && !s.remote()) return false;
    for (const Support& sup : net.supports()) {
      if (sup.person == pid && sup.service == sid &&
          sup.status == SupportStatus::kRefused &&
          (sup.theme == theme || CategoryOf(sup.theme) == theme ||
           CategoryOf(theme) == sup.theme)) {
        return false;
      }
    }
    return true;
  }

  int Demand(ServiceId sid) const {
    int d = 0;
    for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
      const Need& need = net.need(NeedId(n));
      if (!net.pinned_service(NeedId(n)) &&
          Eligible(need.person, need.theme, sid))
        ++d;
    }
    return d;
  }

  std::vector<Option> Rank(NeedId nid, int k) const {
    const Need& need = net.need(nid);
    const Person& p = net.person(need.person);
    std::vector<Option> out;
    for (int32_t i = 0; i < static_cast<int32_t>(net.services().size()); ++i) {
      const ServiceId sid(i);
      if (!Eligible(need.person, need.theme, sid)) continue;
      const Service& s = net.service(sid);
      Option opt;
      opt.service = sid;
      const double d = GreatCircleKm(p.lat, p.lng, s.lat, s.lng);
      const bool in_person =
          s.in_person() &&
          d <= p.max_distance_km.value_or(o.default_max_distance_km);
      double prox = in_person ? 1.0 / (1.0 + d / o.proximity_half_km) : 0.0;
      if (s.remote()) prox = std::max(prox, o.remote_proximity);
      const int free =
          std::max(0, s.capacity_available - net.pinned_places(sid));
      const double cap =
          free == 0
              ? 0.0
              : std::min(1.0,
                         free / static_cast<double>(std::max(1, Demand(sid))));
      double link = 0;
      const int hops = net.HopDistance(p.site, s.partner);
      if (hops == 1)
        link = 0.5 + 0.5 * net.ConventionStrength(p.site, s.partner);
      if (hops == 2) link = 0.25;
      int others = 0, covered = 0;
      for (int32_t m = net.first_need(need.person).value();
           m < net.end_need(need.person).value(); ++m) {
        if (m == nid.value() || net.pinned_service(NeedId(m))) continue;
        ++others;
        if (s.served.Contains(net.need(NeedId(m)).theme)) ++covered;
      }
      const double cover = others ? covered / static_cast<double>(others) : 0.0;
      double novelty = 1;
      for (const Support& sup : net.supports()) {
        if (sup.person == need.person && sup.service == sid &&
            sup.status != SupportStatus::kRefused &&
            CategoryOf(sup.theme) == CategoryOf(need.theme)) {
          novelty = 0;
        }
      }
      opt.capacity = cap;
      opt.proximity = prox;
      opt.complementarity = 0.5 * link + 0.3 * cover + 0.2 * novelty;
      opt.score = 0.4 * cap + 0.35 * prox + 0.25 * opt.complementarity;
      out.push_back(opt);
    }
    std::sort(out.begin(), out.end(), [](const Option& a, const Option& b) {
      if (std::abs(a.score - b.score) > 1e-12) return a.score > b.score;
      return a.service < b.service;
    });
    if (out.size() > static_cast<size_t>(k)) out.resize(static_cast<size_t>(k));
    return out;
  }
};

class RankOracleTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RankOracleTest, SameOptionsInTheSameOrder) {
  const Network net = testing_networks::RandomNetwork(GetParam());
  absl::StatusOr<Ranker> ranker = Ranker::Create(net);
  ASSERT_TRUE(ranker.ok());
  Oracle oracle{net, ranker->options()};
  int compared = 0;
  for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
    for (int k : {1, 3, 1000}) {
      std::vector<Option> got = ranker->Rank(NeedId(n), k);
      std::vector<Option> want = oracle.Rank(NeedId(n), k);
      ASSERT_EQ(got.size(), want.size()) << "need " << n << " k " << k;
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].service, want[i].service)
            << "need " << n << " rank " << i;
        EXPECT_NEAR(got[i].score, want[i].score, 1e-12);
        EXPECT_NEAR(got[i].capacity, want[i].capacity, 1e-12);
        EXPECT_NEAR(got[i].proximity, want[i].proximity, 1e-12);
        EXPECT_NEAR(got[i].complementarity, want[i].complementarity, 1e-12);
        ++compared;
      }
    }
    // Check agrees with the oracle on every service.
    const Need& need = net.need(NeedId(n));
    for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); ++s) {
      EXPECT_EQ(ranker->Check(NeedId(n), ServiceId(s)) == Filter::kNone,
                oracle.Eligible(need.person, need.theme, ServiceId(s)));
    }
  }
  for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); ++s) {
    EXPECT_EQ(ranker->demand(ServiceId(s)), oracle.Demand(ServiceId(s)));
  }
  RecordProperty("options_compared", compared);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RankOracleTest,
                         ::testing::Range<uint64_t>(1, 41));

// --- The search skips work, never options ----------------------------------
//
// The candidate loops reject services from a compact copy of their record
// before the full evaluation, and Rank evaluates them best bound first,
// stopping when no bound can reach the k-th score. Both must be exact: the
// candidates are the services that pass Check, each as OptionFor gives it,
// and Rank(k) is the head of all of them sorted, to the last bit.

void ExpectSameOption(const Option& got, const Option& want,
                      const std::string& where) {
  EXPECT_EQ(got.service, want.service) << where;
  EXPECT_EQ(got.score, want.score) << where;
  EXPECT_EQ(got.capacity, want.capacity) << where;
  EXPECT_EQ(got.proximity, want.proximity) << where;
  EXPECT_EQ(got.complementarity, want.complementarity) << where;
  EXPECT_EQ(got.remote, want.remote) << where;
  EXPECT_EQ(got.full, want.full) << where;
  EXPECT_TRUE(got.distance_km == want.distance_km ||
              (std::isnan(got.distance_km) && std::isnan(want.distance_km)))
      << where;
}

// Checks every need of the ranker's network, counting the options compared.
void CheckSearch(const Ranker& ranker, const std::string& label,
                 int* compared) {
  const Network& net = ranker.network();
  std::vector<Option> all;
  for (int32_t n = 0; n < static_cast<int32_t>(net.needs().size()); ++n) {
    const NeedId need(n);
    all.clear();
    ranker.Candidates(need, &all);
    std::vector<int32_t> eligible;
    for (int32_t s = 0; s < static_cast<int32_t>(net.services().size()); ++s) {
      if (ranker.Check(need, ServiceId(s)) == Filter::kNone) {
        eligible.push_back(s);
      }
    }
    std::vector<int32_t> found;
    for (const Option& o : all) {
      found.push_back(o.service.value());
      const absl::optional<Option> one = ranker.OptionFor(need, o.service);
      ASSERT_TRUE(one.has_value()) << label << " need " << n;
      ExpectSameOption(o, *one, absl::StrCat(label, " need ", n));
    }
    std::sort(found.begin(), found.end());
    ASSERT_EQ(found, eligible) << label << " need " << n;
    std::sort(all.begin(), all.end(), [](const Option& a, const Option& b) {
      if (a.score != b.score) return a.score > b.score;
      return a.service < b.service;
    });
    // CandidatesAbove: every option above its service's threshold, bit-
    // identical, and only options (thresholds at the scores themselves,
    // just below, random, and none).
    for (int t = 0; t < 4; ++t) {
      auto threshold = [&](ServiceId s) {
        const uint64_t h = (static_cast<uint64_t>(n) * 1000003u +
                            static_cast<uint64_t>(s.value()) * 7919u + t) %
                           1000;
        if (t == 3) return -1.0;
        const absl::optional<Option> o = ranker.OptionFor(need, s);
        if (t == 2 || !o) return static_cast<double>(h) / 1000.0;
        return t == 0 ? o->score : std::nextafter(o->score, -1.0);
      };
      std::vector<Option> above;
      ranker.CandidatesAbove(need, threshold, &above);
      std::vector<int32_t> got, want;
      for (const Option& o : above) {
        got.push_back(o.service.value());
        const absl::optional<Option> one = ranker.OptionFor(need, o.service);
        ASSERT_TRUE(one.has_value()) << label << " need " << n;
        ExpectSameOption(o, *one, absl::StrCat(label, " need ", n, " above"));
      }
      for (const Option& o : all) {
        if (o.score > threshold(o.service)) want.push_back(o.service.value());
      }
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
      ASSERT_TRUE(std::adjacent_find(got.begin(), got.end()) == got.end());
      EXPECT_TRUE(
          std::includes(got.begin(), got.end(), want.begin(), want.end()))
          << label << " need " << n << " threshold " << t;
      if (t == 3) {
        EXPECT_EQ(got, found) << label << " need " << n;
      }
    }
    for (int k : {1, 2, 5, 10, 1000}) {
      const std::vector<Option> top = ranker.Rank(need, k);
      ASSERT_EQ(top.size(), std::min(all.size(), static_cast<size_t>(k)))
          << label << " need " << n << " k " << k;
      for (size_t i = 0; i < top.size(); ++i) {
        ExpectSameOption(top[i], all[i],
                         absl::StrCat(label, " need ", n, " k ", k, " #", i));
        ++*compared;
      }
    }
  }
}

class RankSearchTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RankSearchTest, TopKIsTheHeadOfEveryOption) {
  testing_networks::RandomSizes sizes;
  sizes.max_services = 120;
  // Half the seeds with a travel-time table.
  if (GetParam() % 2 == 0) sizes.travel_time_share = 0.3;
  const Network net = testing_networks::RandomNetwork(GetParam(), sizes);
  // Default options; remote services ahead of most in-person ones; the
  // score all complementarity (the bound of the search is then loosest);
  // a frais filter; a short half distance.
  std::vector<RankOptions> variants(5);
  variants[1].remote_proximity = 0.95;
  variants[2].weights = {0.05, 0.05, 0.9};
  variants[3].frais = 1;
  variants[4].proximity_half_km = 0.5;
  variants[4].default_max_distance_km = 8;
  int compared = 0;
  for (size_t v = 0; v < variants.size(); ++v) {
    absl::StatusOr<Ranker> ranker = Ranker::Create(net, variants[v]);
    ASSERT_TRUE(ranker.ok()) << ranker.status();
    CheckSearch(*ranker, absl::StrCat("variant ", v), &compared);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(compared, 0);
  RecordProperty("options_compared", compared);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RankSearchTest,
                         ::testing::Range<uint64_t>(1, 21));

TEST(RankSearchTest, AllConvergenceTopKIsTheHeadOfEveryOption) {
  absl::StatusOr<Ranker> ranker = testing_networks::GeneratedRanker();
  ASSERT_TRUE(ranker.ok()) << ranker.status();
  int compared = 0;
  CheckSearch(*ranker, "all Convergence", &compared);
  EXPECT_GT(compared, 10000);
}

}  // namespace
}  // namespace maillage
