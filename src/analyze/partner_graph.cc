#include "maillage/partner_graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/property_map/property_map.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "base/status_macros.h"
#include "geo/grid_index.h"
#include "maillage/edit.h"
#include "maillage/geo.h"

namespace maillage {
namespace {

// Vertex v < num_sites is site v; vertex num_sites + p is partner p.
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

size_t Ix(int32_t i) { return static_cast<size_t>(i); }
int32_t Count(size_t n) { return static_cast<int32_t>(n); }

// Compressed rows: the items of row r are items[begin[r], begin[r + 1]), in
// the order of the (row, item) pairs given.
struct Csr {
  std::vector<int32_t> begin = {0};
  std::vector<int32_t> items;
  absl::Span<const int32_t> Row(int32_t r) const {
    return absl::MakeConstSpan(items).subspan(
        Ix(begin[Ix(r)]), Ix(begin[Ix(r) + 1] - begin[Ix(r)]));
  }
};

Csr MakeCsr(int32_t rows,
            const std::vector<std::pair<int32_t, int32_t>>& pairs) {
  Csr c;
  c.begin.assign(Ix(rows) + 1, 0);
  for (const auto& [row, item] : pairs) ++c.begin[Ix(row) + 1];
  for (size_t r = 1; r < c.begin.size(); ++r) c.begin[r] += c.begin[r - 1];
  std::vector<int32_t> next(c.begin.begin(), c.begin.end() - 1);
  c.items.resize(pairs.size());
  for (const auto& [row, item] : pairs) c.items[Ix(next[Ix(row)]++)] = item;
  return c;
}

// What the people of a site have at a partner's services.
struct Link {
  int32_t options = 0;      // options of their open needs
  int32_t assignments = 0;  // assignments of the plan, pinned included
};
using SitePartner = std::pair<int32_t, int32_t>;

struct Context {
  Context(const Ranker& r, const Network& n) : ranker(r), net(n) {}
  const Ranker& ranker;
  const Network& net;
  int32_t num_sites = 0, num_partners = 0;
  Csr services_of_partner;
  Csr persons_of_site;
  std::vector<ThemeSet> categories;  // per partner: categories it serves
  absl::flat_hash_map<SitePartner, Link> links;
  std::vector<int32_t> referrals;  // per partner
  // The graph's edges, (u, v) with u < v, sorted, without repeats.
  std::vector<std::pair<int32_t, int32_t>> edges;
  std::vector<int32_t> degree;  // per vertex
};

absl::Status CheckPlan(const Network& net, const Plan& plan) {
  const int32_t needs = Count(net.needs().size()),
                services = Count(net.services().size());
  for (size_t i = 0; i < plan.assignments.size(); ++i) {
    const Assignment& a = plan.assignments[i];
    if (!a.need.valid() || a.need.value() >= needs || !a.service.valid() ||
        a.service.value() >= services || net.need(a.need).person != a.person) {
      return absl::InvalidArgumentError(
          absl::StrCat("plan: assignment ", i,
                       " refers to a need or a service that the network does "
                       "not have (a plan of another network?)"));
    }
  }
  return absl::OkStatus();
}

Context MakeContext(const Ranker& ranker, const Plan& plan) {
  const Network& net = ranker.network();
  Context c(ranker, net);
  c.num_sites = Count(net.sites().size());
  c.num_partners = Count(net.partners().size());
  std::vector<std::pair<int32_t, int32_t>> pairs;
  for (const Service& s : net.services()) {
    pairs.emplace_back(s.partner.value(), Count(pairs.size()));
  }
  c.services_of_partner = MakeCsr(c.num_partners, pairs);
  pairs.clear();
  for (const Person& p : net.persons()) {
    pairs.emplace_back(p.site.value(), Count(pairs.size()));
  }
  c.persons_of_site = MakeCsr(c.num_sites, pairs);

  c.categories.assign(Ix(c.num_partners), ThemeSet());
  for (const Service& s : net.services()) {
    for (ThemeId t : s.served.ToVector()) {
      c.categories[Ix(s.partner.value())].Add(CategoryOf(t));
    }
  }

  for (const Partnership& e : net.partnerships()) {
    if (e.kind == PartnershipKind::kConvention) {
      c.edges.emplace_back(e.site.value(), c.num_sites + e.partner_a.value());
    } else {
      const int32_t a = c.num_sites + e.partner_a.value(),
                    b = c.num_sites + e.partner_b.value();
      c.edges.emplace_back(std::min(a, b), std::max(a, b));
    }
  }
  std::sort(c.edges.begin(), c.edges.end());
  c.edges.erase(std::unique(c.edges.begin(), c.edges.end()), c.edges.end());
  c.degree.assign(Ix(c.num_sites + c.num_partners), 0);
  for (const auto& [u, v] : c.edges) {
    ++c.degree[Ix(u)];
    ++c.degree[Ix(v)];
  }

  std::vector<Option> options;
  for (int32_t n = 0; n < Count(net.needs().size()); ++n) {
    const NeedId need(n);
    if (net.pinned_service(need)) continue;
    options.clear();
    ranker.Candidates(need, &options);
    const int32_t site = net.person(net.need(need).person).site.value();
    for (const Option& o : options) {
      ++c.links[{site, net.service(o.service).partner.value()}].options;
    }
  }
  c.referrals.assign(Ix(c.num_partners), 0);
  for (const Assignment& a : plan.assignments) {
    const int32_t partner = net.service(a.service).partner.value();
    ++c.referrals[Ix(partner)];
    ++c.links[{net.person(a.person).site.value(), partner}].assignments;
  }
  return c;
}

// The territory of each partner (see the header).
std::vector<std::string> PartnerTerritories(const Context& c) {
  const std::vector<std::string> territories = c.net.Territories();
  auto index_of = [&](SiteId s) {
    return Count(static_cast<size_t>(std::lower_bound(territories.begin(),
                                                      territories.end(),
                                                      c.net.site(s).territory) -
                                     territories.begin()));
  };
  // (partner, territory index, weight), summed below.
  auto pick = [&](std::vector<std::tuple<int32_t, int32_t, int64_t>> w,
                  std::vector<std::string>* out) {
    std::sort(w.begin(), w.end());
    std::vector<int64_t> best(out->size(), 0);
    for (size_t i = 0; i < w.size();) {
      const auto [partner, t, unused] = w[i];
      int64_t sum = 0;
      for (; i < w.size() && std::get<0>(w[i]) == partner &&
             std::get<1>(w[i]) == t;
           ++i) {
        sum += std::get<2>(w[i]);
      }
      // Territories come in alphabetical order: a tie keeps the first.
      if (sum > best[Ix(partner)]) {
        best[Ix(partner)] = sum;
        (*out)[Ix(partner)] = territories[Ix(t)];
      }
    }
  };
  std::vector<std::string> out(Ix(c.num_partners));
  std::vector<std::tuple<int32_t, int32_t, int64_t>> w;
  for (const auto& [key, link] : c.links) {
    w.emplace_back(key.second, index_of(SiteId(key.first)),
                   int64_t{link.options} + link.assignments);
  }
  pick(std::move(w), &out);
  std::vector<std::tuple<int32_t, int32_t, int64_t>> fallback;
  for (const Partnership& e : c.net.partnerships()) {
    if (e.kind == PartnershipKind::kConvention &&
        out[Ix(e.partner_a.value())].empty()) {
      fallback.emplace_back(e.partner_a.value(), index_of(e.site), 1);
    }
  }
  pick(std::move(fallback), &out);
  return out;
}

std::vector<SiteCategoryGap> SiteGaps(const Context& c) {
  const int32_t num_categories = NumCategories();
  std::vector<ThemeSet> covered(Ix(c.num_sites));
  for (const Partnership& e : c.net.partnerships()) {
    if (e.kind != PartnershipKind::kConvention) continue;
    for (ThemeId t : c.categories[Ix(e.partner_a.value())].ToVector()) {
      covered[Ix(e.site.value())].Add(t);
    }
  }
  std::vector<SiteCategoryGap> gaps;
  std::vector<int32_t> open(Ix(num_categories));
  for (int32_t s = 0; s < c.num_sites; ++s) {
    std::fill(open.begin(), open.end(), 0);
    for (int32_t p : c.persons_of_site.Row(s)) {
      for (NeedId n = c.net.first_need(PersonId(p)),
                  end = c.net.end_need(PersonId(p));
           n < end; n = NeedId(n.value() + 1)) {
        if (c.net.pinned_service(n)) continue;
        ++open[CategoryOf(c.net.need(n).theme)];
      }
    }
    for (int32_t k = 0; k < num_categories; ++k) {
      const ThemeId category = static_cast<ThemeId>(k);
      if (open[Ix(k)] > 0 && !covered[Ix(s)].Contains(category)) {
        gaps.push_back({SiteId(s), category, open[Ix(k)]});
      }
    }
  }
  return gaps;
}

// Components, largest first, and the normalised betweenness of every vertex.
void ComponentsAndBetweenness(const Context& c,
                              std::vector<GraphComponent>* components,
                              std::vector<double>* betweenness) {
  const int32_t n = c.num_sites + c.num_partners;
  Graph g(Ix(n));
  for (const auto& [u, v] : c.edges) boost::add_edge(Ix(u), Ix(v), g);
  std::vector<int32_t> component(Ix(n), 0);
  const int32_t num = static_cast<int32_t>(boost::connected_components(
      g, boost::make_iterator_property_map(
             component.begin(), boost::get(boost::vertex_index, g))));
  std::vector<std::pair<int32_t, int32_t>> pairs;
  for (int32_t v = 0; v < n; ++v) pairs.emplace_back(component[Ix(v)], v);
  const Csr members = MakeCsr(num, pairs);
  pairs.clear();
  for (size_t e = 0; e < c.edges.size(); ++e) {
    pairs.emplace_back(component[Ix(c.edges[e].first)], Count(e));
  }
  const Csr edges_of = MakeCsr(num, pairs);

  betweenness->assign(Ix(n), 0.0);
  std::vector<int32_t> local(Ix(n), 0);
  for (int32_t k = 0; k < num; ++k) {
    absl::Span<const int32_t> vs = members.Row(k);
    if (vs.size() < 3) continue;  // no pair of other vertices
    for (size_t i = 0; i < vs.size(); ++i) local[Ix(vs[i])] = Count(i);
    Graph h(vs.size());
    for (int32_t e : edges_of.Row(k)) {
      boost::add_edge(Ix(local[Ix(c.edges[Ix(e)].first)]),
                      Ix(local[Ix(c.edges[Ix(e)].second)]), h);
    }
    std::vector<double> centrality(vs.size(), 0.0);
    auto map = boost::make_iterator_property_map(
        centrality.begin(), boost::get(boost::vertex_index, h));
    boost::brandes_betweenness_centrality(h, map);
    boost::relative_betweenness_centrality(h, map);
    for (size_t i = 0; i < vs.size(); ++i) {
      (*betweenness)[Ix(vs[i])] = centrality[i];
    }
  }

  std::vector<int32_t> order(Ix(num));
  for (int32_t k = 0; k < num; ++k) order[Ix(k)] = k;
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    const size_t sa = members.Row(a).size(), sb = members.Row(b).size();
    if (sa != sb) return sa > sb;
    return members.Row(a)[0] < members.Row(b)[0];
  });
  components->clear();
  for (int32_t k : order) {
    GraphComponent gc;
    for (int32_t v : members.Row(k)) {
      if (v < c.num_sites) {
        gc.sites.push_back(SiteId(v));
      } else {
        gc.partners.push_back(PartnerId(v - c.num_sites));
      }
    }
    components->push_back(std::move(gc));
  }
}

std::vector<Broker> Brokers(const Context& c,
                            const std::vector<double>& betweenness) {
  std::vector<Broker> brokers;
  for (int32_t p = 0; p < c.num_partners; ++p) {
    const double b = betweenness[Ix(c.num_sites + p)];
    if (b > 0 || c.referrals[Ix(p)] > 0) {
      brokers.push_back({PartnerId(p), b, c.referrals[Ix(p)]});
    }
  }
  std::sort(brokers.begin(), brokers.end(),
            [](const Broker& x, const Broker& y) {
              if (x.betweenness != y.betweenness) {
                return x.betweenness > y.betweenness;
              }
              if (x.referrals != y.referrals) return x.referrals > y.referrals;
              return x.partner < y.partner;
            });
  return brokers;
}

// The closest `limit` pairs of each territory, in the header's order.
std::vector<PartnerPair> LimitPerTerritory(std::vector<PartnerPair> pairs,
                                           int32_t limit) {
  std::sort(pairs.begin(), pairs.end(),
            [](const PartnerPair& x, const PartnerPair& y) {
              return std::tie(x.territory, x.distance_km, x.a, x.b) <
                     std::tie(y.territory, y.distance_km, y.a, y.b);
            });
  std::vector<PartnerPair> out;
  int32_t taken = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i == 0 || pairs[i].territory != pairs[i - 1].territory) taken = 0;
    if (taken < limit) {
      out.push_back(pairs[i]);
      ++taken;
    }
  }
  return out;
}

void Pairs(const Context& c, const std::vector<std::string>& territory,
           const PartnerGraphOptions& options,
           std::vector<PartnerPair>* duplicates,
           std::vector<PartnerPair>* complements) {
  // The sites each partner serves, sorted.
  std::vector<std::pair<int32_t, int32_t>> served;
  for (const auto& [key, link] : c.links) {
    if (link.options > 0 || link.assignments > 0) {
      served.emplace_back(key.second, key.first);
    }
  }
  std::sort(served.begin(), served.end());
  const Csr sites_of = MakeCsr(c.num_partners, served);

  std::vector<double> lat, lng;
  std::vector<int32_t> ids;
  for (int32_t p = 0; p < c.num_partners; ++p) {
    if (c.categories[Ix(p)].Empty()) continue;
    lat.push_back(c.net.partner(PartnerId(p)).lat);
    lng.push_back(c.net.partner(PartnerId(p)).lng);
    ids.push_back(p);
  }
  geo::GridIndex grid;
  grid.Build(lat, lng, ids, std::clamp(options.area_km / 111.195, 0.01, 180.0));
  std::vector<PartnerPair> dup, comp;
  for (int32_t a : ids) {
    const Partner& pa = c.net.partner(PartnerId(a));
    grid.ForEachNear(pa.lat, pa.lng, options.area_km, [&](int32_t b) {
      if (b <= a) return;
      const Partner& pb = c.net.partner(PartnerId(b));
      const double d = GreatCircleKm(pa.lat, pa.lng, pb.lat, pb.lng);
      if (!(d <= options.area_km)) return;
      const ThemeSet& ca = c.categories[Ix(a)];
      const ThemeSet& cb = c.categories[Ix(b)];
      PartnerPair pair;
      pair.a = PartnerId(a);
      pair.b = PartnerId(b);
      pair.territory =
          territory[Ix(a)].empty() ? territory[Ix(b)] : territory[Ix(a)];
      pair.distance_km = d;
      if (ca == cb) {
        pair.shared = ca.ToVector();
        dup.push_back(std::move(pair));
      } else if (!ca.Intersects(cb)) {
        absl::Span<const int32_t> sa = sites_of.Row(a), sb = sites_of.Row(b);
        int32_t common = 0;
        for (size_t i = 0, j = 0; i < sa.size() && j < sb.size();) {
          if (sa[i] < sb[j]) {
            ++i;
          } else if (sb[j] < sa[i]) {
            ++j;
          } else {
            ++common, ++i, ++j;
          }
        }
        if (common == 0) return;
        pair.common_sites = common;
        comp.push_back(std::move(pair));
      }
    });
  }
  *duplicates = LimitPerTerritory(std::move(dup), options.pairs_per_territory);
  *complements =
      LimitPerTerritory(std::move(comp), options.pairs_per_territory);
}

// The service of each need in a plan (Invalid when unmatched).
std::vector<ServiceId> ServiceOfNeed(const Network& net, const Plan& plan) {
  std::vector<ServiceId> out(net.needs().size());
  for (const Assignment& a : plan.assignments)
    out[Ix(a.need.value())] = a.service;
  return out;
}

int32_t ReferralsTo(const Network& net, const Plan& plan, PartnerId partner) {
  int32_t n = 0;
  for (const Assignment& a : plan.assignments) {
    if (net.service(a.service).partner == partner) ++n;
  }
  return n;
}

// The site–partner pairs without a convention to evaluate, in the header's
// order.
std::vector<ConventionValue> MissingConventions(
    const Context& c, const PartnerGraphOptions& options) {
  std::vector<std::tuple<std::string, int32_t, int32_t, int32_t>> pairs;
  for (const auto& [key, link] : c.links) {
    const SiteId site(key.first);
    const PartnerId partner(key.second);
    if (link.options == 0 || c.net.ConventionStrength(site, partner) > 0) {
      continue;
    }
    if (!options.territories.empty() &&
        std::find(options.territories.begin(), options.territories.end(),
                  c.net.site(site).territory) == options.territories.end()) {
      continue;
    }
    pairs.emplace_back(c.net.site(site).territory, -link.options, key.first,
                       key.second);
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<ConventionValue> out;
  int32_t taken = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i == 0 || std::get<0>(pairs[i]) != std::get<0>(pairs[i - 1])) {
      taken = 0;
    }
    if (taken >= options.conventions_per_territory) continue;
    ++taken;
    ConventionValue v;
    v.site = SiteId(std::get<2>(pairs[i]));
    v.partner = PartnerId(std::get<3>(pairs[i]));
    v.options = -std::get<1>(pairs[i]);
    out.push_back(v);
  }
  return out;
}

absl::Status Evaluate(const Context& c, const Plan& baseline,
                      const AllocateOptions& allocate_options,
                      const PartnerGraphOptions& options, ConventionValue* v) {
  const Network& net = c.net;
  absl::StatusOr<Network> edited =
      NetworkEdit()
          .AddConvention(net.site(v->site).id, net.partner(v->partner).id,
                         options.convention_strength)
          .Apply(net);
  if (!edited.ok()) return edited.status();
  if (edited->needs().size() != net.needs().size() ||
      edited->services().size() != net.services().size() ||
      edited->partners().size() != net.partners().size()) {
    return absl::InternalError(
        "partner graph: a convention changed the network's needs or services");
  }
  absl::StatusOr<Ranker> ranker =
      Ranker::Create(*std::move(edited), c.ranker.options());
  if (!ranker.ok()) return ranker.status();
  absl::StatusOr<Plan> plan = Allocate(*ranker, allocate_options);
  if (!plan.ok()) return plan.status();

  double sum = 0;
  int32_t n = 0;
  for (int32_t p : c.persons_of_site.Row(v->site.value())) {
    for (NeedId need = net.first_need(PersonId(p)),
                end = net.end_need(PersonId(p));
         need < end; need = NeedId(need.value() + 1)) {
      if (net.pinned_service(need)) continue;
      for (int32_t s : c.services_of_partner.Row(v->partner.value())) {
        const absl::optional<Option> before =
            c.ranker.OptionFor(need, ServiceId(s));
        if (!before) continue;
        const absl::optional<Option> after =
            ranker->OptionFor(need, ServiceId(s));
        if (!after) continue;
        sum += after->score - before->score;
        ++n;
      }
    }
  }
  v->mean_score_gain = n > 0 ? sum / n : 0.0;

  const std::vector<ServiceId> was = ServiceOfNeed(net, baseline),
                               is = ServiceOfNeed(net, *plan);
  v->referrals_moved = 0;
  for (size_t i = 0; i < was.size(); ++i) {
    if (was[i] != is[i]) ++v->referrals_moved;
  }
  v->referrals_to_partner_before = ReferralsTo(net, baseline, v->partner);
  v->referrals_to_partner_after = ReferralsTo(net, *plan, v->partner);
  v->gain = GainBetween(baseline.objective, plan->objective);
  return absl::OkStatus();
}

absl::StatusOr<PartnerGraphAnalysis> Analyze(
    const Ranker& ranker, const Plan& plan,
    const AllocateOptions& allocate_options, const PartnerGraphOptions& options,
    const Plan* given_baseline) {
  const Context c = MakeContext(ranker, plan);
  PartnerGraphAnalysis out;
  out.partner_territory = PartnerTerritories(c);
  for (int32_t p = 0; p < c.num_partners; ++p) {
    if (c.degree[Ix(c.num_sites + p)] == 0)
      out.isolated.push_back(PartnerId(p));
  }
  out.site_gaps = SiteGaps(c);
  std::vector<double> betweenness;
  ComponentsAndBetweenness(c, &out.components, &betweenness);
  out.brokers = Brokers(c, betweenness);
  Pairs(c, out.partner_territory, options, &out.duplicates, &out.complements);

  out.conventions = MissingConventions(c, options);
  if (!out.conventions.empty()) {
    absl::StatusOr<Plan> baseline = given_baseline != nullptr
                                        ? absl::StatusOr<Plan>(*given_baseline)
                                        : Allocate(ranker, allocate_options);
    if (!baseline.ok()) return baseline.status();
    for (ConventionValue& v : out.conventions) {
      MAILLAGE_RETURN_IF_ERROR(
          Evaluate(c, *baseline, allocate_options, options, &v));
    }
  }
  return out;
}

// --- Rows -------------------------------------------------------------------

std::string Categories(const std::vector<ThemeId>& categories) {
  return absl::StrJoin(categories, "|", [](std::string* out, ThemeId t) {
    absl::StrAppend(out, ThemeCode(t));
  });
}

std::vector<ThemeId> CategoriesOf(const Network& net, PartnerId partner) {
  ThemeSet set;
  for (const Service& s : net.services()) {
    if (s.partner != partner) continue;
    for (ThemeId t : s.served.ToVector()) set.Add(CategoryOf(t));
  }
  return set.ToVector();
}

// "a, b, c and 2 more" (at most 5 ids).
template <typename Id, typename Name>
std::string FewIds(const std::vector<Id>& ids, Name name) {
  constexpr size_t kShown = 5;
  std::vector<std::string> shown;
  for (size_t i = 0; i < ids.size() && i < kShown; ++i) {
    shown.push_back(name(ids[i]));
  }
  std::string s = absl::StrJoin(shown, ", ");
  if (ids.size() > kShown)
    absl::StrAppend(&s, " and ", ids.size() - kShown, " more");
  return s;
}

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

}  // namespace

absl::Status ValidatePartnerGraphOptions(const PartnerGraphOptions& o) {
  if (o.conventions_per_territory < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("conventions_per_territory must be >= 0, got ",
                     o.conventions_per_territory));
  }
  if (!(o.convention_strength > 0 && o.convention_strength <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "convention_strength must be in (0, 1], got ", o.convention_strength));
  }
  if (!std::isfinite(o.area_km) || o.area_km <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("area_km must be a finite number > 0, got ", o.area_km));
  }
  if (o.pairs_per_territory < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pairs_per_territory must be >= 0, got ", o.pairs_per_territory));
  }
  return absl::OkStatus();
}

absl::StatusOr<PartnerGraphAnalysis> AnalyzePartnerGraph(
    const Ranker& ranker, const Plan& plan,
    const AllocateOptions& allocate_options, const PartnerGraphOptions& options,
    const Plan* baseline) {
  MAILLAGE_RETURN_IF_ERROR(ValidatePartnerGraphOptions(options));
  MAILLAGE_RETURN_IF_ERROR(ValidateOptions(allocate_options));
  MAILLAGE_RETURN_IF_ERROR(CheckPlan(ranker.network(), plan));
  if (baseline != nullptr) {
    MAILLAGE_RETURN_IF_ERROR(CheckPlan(ranker.network(), *baseline));
  }
  return base::ExhaustedOnBadAlloc("partner graph", [&] {
    return Analyze(ranker, plan, allocate_options, options, baseline);
  });
}

std::vector<PartnerGraphRow> PartnerGraphRows(const Network& net,
                                              const PartnerGraphAnalysis& g) {
  std::vector<PartnerGraphRow> rows;
  auto territory_of = [&](PartnerId p) -> std::string {
    return Ix(p.value()) < g.partner_territory.size()
               ? g.partner_territory[Ix(p.value())]
               : std::string();
  };
  auto site_id = [&](SiteId s) { return net.site(s).id; };
  auto partner_id = [&](PartnerId p) { return net.partner(p).id; };

  for (PartnerId p : g.isolated) {
    PartnerGraphRow r;
    r.kind = "isolated_partner";
    r.territory = territory_of(p);
    r.partner_id = partner_id(p);
    for (const Service& s : net.services()) r.count += s.partner == p ? 1 : 0;
    r.detail = absl::StrCat("partner ", r.partner_id,
                            " has no convention with a site and no "
                            "cooperation with a partner (",
                            Plural(r.count, "service", "services"), ")");
    rows.push_back(std::move(r));
  }
  for (const SiteCategoryGap& gap : g.site_gaps) {
    PartnerGraphRow r;
    r.kind = "site_without_category";
    r.territory = net.site(gap.site).territory;
    r.site_id = site_id(gap.site);
    r.category = std::string(ThemeCode(gap.category));
    r.count = gap.open_needs;
    r.detail = absl::StrCat(
        "site ", r.site_id, " has ",
        Plural(gap.open_needs, "open need", "open needs"), " in ", r.category,
        " and no convention with a partner serving ", r.category);
    rows.push_back(std::move(r));
  }
  for (size_t k = 0; k < g.components.size(); ++k) {
    const GraphComponent& gc = g.components[k];
    PartnerGraphRow r;
    r.kind = "component";
    std::vector<std::string> territories;
    for (SiteId s : gc.sites) territories.push_back(net.site(s).territory);
    std::sort(territories.begin(), territories.end());
    territories.erase(std::unique(territories.begin(), territories.end()),
                      territories.end());
    r.territory = absl::StrJoin(territories, "|");
    if (!gc.sites.empty()) r.site_id = site_id(gc.sites[0]);
    if (!gc.partners.empty()) r.partner_id = partner_id(gc.partners[0]);
    r.value = static_cast<double>(k + 1);
    r.count = static_cast<int64_t>(gc.sites.size() + gc.partners.size());
    r.detail =
        absl::StrCat("component ", k + 1, " of ", g.components.size(), ": ",
                     Plural(Count(gc.sites.size()), "site", "sites"), " and ",
                     Plural(Count(gc.partners.size()), "partner", "partners"));
    if (!gc.sites.empty()) {
      absl::StrAppend(&r.detail, "; sites ", FewIds(gc.sites, site_id));
    }
    if (!gc.partners.empty()) {
      absl::StrAppend(&r.detail, "; partners ",
                      FewIds(gc.partners, partner_id));
    }
    rows.push_back(std::move(r));
  }
  for (const Broker& b : g.brokers) {
    PartnerGraphRow r;
    r.kind = "broker";
    r.territory = territory_of(b.partner);
    r.partner_id = partner_id(b.partner);
    r.value = b.betweenness;
    r.count = b.referrals;
    r.detail = absl::StrFormat(
        "partner %s lies on the shortest paths between %.1f%% of the pairs "
        "of its component (betweenness %.4f) and receives %s of the plan",
        r.partner_id, 100 * b.betweenness, b.betweenness,
        Plural(b.referrals, "referral", "referrals"));
    rows.push_back(std::move(r));
  }
  for (const PartnerPair& p : g.duplicates) {
    PartnerGraphRow r;
    r.kind = "duplicate_pair";
    r.territory = p.territory;
    r.partner_id = partner_id(p.a);
    r.other_partner_id = partner_id(p.b);
    r.category = Categories(p.shared);
    r.value = p.distance_km;
    r.count = static_cast<int64_t>(p.shared.size());
    r.detail = absl::StrFormat(
        "partners %s and %s, %.1f km apart, serve the same categories (%s)",
        r.partner_id, r.other_partner_id, p.distance_km, r.category);
    rows.push_back(std::move(r));
  }
  for (const PartnerPair& p : g.complements) {
    PartnerGraphRow r;
    r.kind = "complementary_pair";
    r.territory = p.territory;
    r.partner_id = partner_id(p.a);
    r.other_partner_id = partner_id(p.b);
    const std::vector<ThemeId> ca = CategoriesOf(net, p.a),
                               cb = CategoriesOf(net, p.b);
    std::vector<ThemeId> both(ca);
    both.insert(both.end(), cb.begin(), cb.end());
    std::sort(both.begin(), both.end());
    r.category = Categories(both);
    r.value = p.distance_km;
    r.count = p.common_sites;
    r.detail = absl::StrFormat(
        "partners %s (%s) and %s (%s), %.1f km apart, serve disjoint "
        "categories for the people of %s",
        r.partner_id, Categories(ca), r.other_partner_id, Categories(cb),
        p.distance_km, Plural(p.common_sites, "common site", "common sites"));
    rows.push_back(std::move(r));
  }
  for (const ConventionValue& v : g.conventions) {
    PartnerGraphRow r;
    r.kind = "missing_convention";
    r.territory = net.site(v.site).territory;
    r.site_id = site_id(v.site);
    r.partner_id = partner_id(v.partner);
    r.value = v.mean_score_gain;
    r.count = v.options;
    r.detail = absl::StrFormat(
        "a convention between site %s and partner %s would change the "
        "scores of %s by %+.4f on average; re-solved, the plan moves %s and "
        "gives %d referrals to %s (%d before); gain: people %+d, needs %+d, "
        "urgency %+d, score %+.4f",
        r.site_id, r.partner_id, Plural(v.options, "option", "options"),
        v.mean_score_gain, Plural(v.referrals_moved, "referral", "referrals"),
        v.referrals_to_partner_after, r.partner_id,
        v.referrals_to_partner_before, v.gain.people, v.gain.needs,
        v.gain.urgency, v.gain.score);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace maillage
