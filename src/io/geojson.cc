// The map of a plan: people pooled into groups of at least min_group_size
// per commune, département then territory; the GeoJSON text of the groups.

#include "maillage/geojson.h"

#include <algorithm>
#include <array>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/codes.h"
#include "base/json.h"
#include "maillage/geo.h"

namespace maillage {

absl::string_view MapLevelCode(MapLevel level) {
  static constexpr base::Code<MapLevel> kCodes[] = {
      {MapLevel::kCommune, "commune"},
      {MapLevel::kSite, "site"},
      {MapLevel::kDepartement, "departement"},
      {MapLevel::kTerritory, "territory"}};
  return base::CodeOf(kCodes, level);
}

namespace {

constexpr int32_t kNoArea = -1;

// The rule, as the GeoJSON file states it.
std::string AggregationRule(int32_t min_group_size) {
  return absl::StrCat(
      "people are never placed at their own coordinates. Assignments are "
      "counted per area x service and unmatched needs per area x thematique "
      "x reason, the area being the person's commune (drawn at its centre), "
      "or their site when the commune is not in the commune table. A group "
      "of fewer than ",
      min_group_size,
      " distinct people is pooled with the other small groups of the same "
      "service (or thematique and reason) in the same departement, drawn at "
      "its population-weighted centre; what is still under ",
      min_group_size,
      " people is pooled per territory, drawn at the mean of its sites; what "
      "is still under ",
      min_group_size,
      " people there is not drawn and its needs are counted in suppressed.");
}

struct Area {
  MapLevel level;
  std::string code;
  std::string name;
  double lat = 0;
  double lng = 0;
};

// The three areas of each person (local, département, territory): indices
// into `areas`, kNoArea for a département that cannot be placed.
class Areas {
 public:
  explicit Areas(const Network& net) {
    const size_t num_persons = net.persons().size();
    of_person_.resize(num_persons);
    // Territories, at the mean of their sites.
    absl::flat_hash_map<std::string, int32_t> territory_of;
    std::vector<int32_t> site_territory(net.sites().size());
    std::vector<int32_t> sites_in;
    for (size_t s = 0; s < net.sites().size(); ++s) {
      const Site& site = net.sites()[s];
      auto [it, added] = territory_of.try_emplace(site.territory, Size(areas_));
      if (added) {
        areas_.push_back(
            {MapLevel::kTerritory, site.territory, site.territory, 0, 0});
        sites_in.push_back(0);
      }
      Area& t = areas_[static_cast<size_t>(it->second)];
      t.lat += site.lat;
      t.lng += site.lng;
      ++sites_in[static_cast<size_t>(it->second)];
      site_territory[s] = it->second;
    }
    for (size_t i = 0; i < areas_.size(); ++i) {
      areas_[i].lat /= sites_in[i];
      areas_[i].lng /= sites_in[i];
    }
    // Communes (or sites), and the départements to place.
    absl::flat_hash_map<std::string, int32_t> local_of;
    std::vector<std::string> dep_code(num_persons);
    for (size_t p = 0; p < num_persons; ++p) {
      const Person& person = net.persons()[p];
      const Site& site = net.site(person.site);
      const Commune* c = FindCommune(person.insee_com);
      const bool located = c != nullptr && c->has_location;
      const std::string key = located ? person.insee_com : "site:" + site.id;
      auto [it, added] = local_of.try_emplace(key, Size(areas_));
      if (added) {
        areas_.push_back(located ? Area{MapLevel::kCommune, c->insee_com,
                                        c->name, c->lat, c->lng}
                                 : Area{MapLevel::kSite, site.id, site.name,
                                        site.lat, site.lng});
      }
      of_person_[p] = {
          it->second, kNoArea,
          site_territory[static_cast<size_t>(person.site.value())]};
      if (IsCommuneCode(person.insee_com)) {
        dep_code[p] = DepartementOf(person.insee_com);
      } else if (IsCommuneCode(site.insee_com)) {
        dep_code[p] = DepartementOf(site.insee_com);
      }
    }
    // Départements at the population-weighted centre of their communes.
    absl::flat_hash_map<std::string, int32_t> dep_of;
    for (const std::string& code : dep_code) {
      if (!code.empty() && dep_of.try_emplace(code, Size(areas_)).second) {
        areas_.push_back({MapLevel::kDepartement, code,
                          absl::StrCat("département ", code), 0, 0});
      }
    }
    std::vector<double> weight(areas_.size(), 0);
    for (const Commune& c : Communes()) {
      auto it = dep_of.find(c.insee_dep);
      if (it == dep_of.end() || !c.has_location) continue;
      const auto i = static_cast<size_t>(it->second);
      const double w = static_cast<double>(c.population) + 1;
      areas_[i].lat += w * c.lat;
      areas_[i].lng += w * c.lng;
      weight[i] += w;
    }
    for (size_t p = 0; p < num_persons; ++p) {
      if (dep_code[p].empty()) continue;
      const int32_t d = dep_of.at(dep_code[p]);
      if (weight[static_cast<size_t>(d)] > 0) of_person_[p][1] = d;
    }
    for (const auto& [code, d] : dep_of) {
      const auto i = static_cast<size_t>(d);
      if (weight[i] == 0) continue;
      areas_[i].lat /= weight[i];
      areas_[i].lng /= weight[i];
    }
  }

  int32_t of(PersonId p, int level) const {
    return of_person_[static_cast<size_t>(p.value())]
                     [static_cast<size_t>(level)];
  }
  const Area& area(int32_t i) const { return areas_[static_cast<size_t>(i)]; }

 private:
  static int32_t Size(const std::vector<Area>& v) {
    return static_cast<int32_t>(v.size());
  }
  std::vector<Area> areas_;
  std::vector<std::array<int32_t, 3>> of_person_;
};

// One need to draw: its group key (a service, or a thematique and reason).
struct Item {
  int64_t key = 0;
  PersonId person;
  bool pinned = false;
};

// The groups of `items` with at least `min` people, pooled upward level by
// level; returns the number of needs left in groups too small at the top.
// `fill(key, group)` sets what the key stands for.
template <typename Fill>
int64_t Pool(std::vector<Item> items, const Areas& areas, int32_t min,
             Fill fill, std::vector<MapGroup>* out) {
  const size_t first = out->size();
  for (int level = 0; level < 3 && !items.empty(); ++level) {
    auto key = [&](const Item& i) {
      return std::make_tuple(i.key, areas.of(i.person, level), i.person);
    };
    std::sort(items.begin(), items.end(),
              [&](const Item& a, const Item& b) { return key(a) < key(b); });
    std::vector<Item> rest;
    for (size_t b = 0; b < items.size();) {
      const int32_t area = areas.of(items[b].person, level);
      size_t e = b;
      MapGroup g;
      while (e < items.size() && items[e].key == items[b].key &&
             areas.of(items[e].person, level) == area) {
        g.people += e == b || items[e].person != items[e - 1].person;
        ++g.needs;
        g.pinned += items[e].pinned;
        ++e;
      }
      if (area == kNoArea || g.people < min) {
        rest.insert(rest.end(), items.begin() + static_cast<ptrdiff_t>(b),
                    items.begin() + static_cast<ptrdiff_t>(e));
      } else {
        const Area& a = areas.area(area);
        g.level = a.level;
        g.area = a.code;
        g.area_name = a.name;
        g.lat = a.lat;
        g.lng = a.lng;
        fill(items[b].key, &g);
        out->push_back(std::move(g));
      }
      b = e;
    }
    items = std::move(rest);
  }
  std::sort(out->begin() + static_cast<ptrdiff_t>(first), out->end(),
            [](const MapGroup& a, const MapGroup& b) {
              return std::tie(a.service, a.theme, a.reason, a.level, a.area) <
                     std::tie(b.service, b.theme, b.reason, b.level, b.area);
            });
  return static_cast<int64_t>(items.size());
}

// [longitude, latitude].
std::string Position(double lat, double lng) {
  return absl::StrFormat("[%.6f, %.6f]", lng, lat);
}

std::string Feature(absl::string_view geometry, std::string properties) {
  return absl::StrCat("{\"type\": \"Feature\", \"geometry\": ", geometry,
                      ", \"properties\": ", properties, "}");
}

std::string PointFeature(double lat, double lng, std::string properties) {
  return Feature(absl::StrCat("{\"type\": \"Point\", \"coordinates\": ",
                              Position(lat, lng), "}"),
                 std::move(properties));
}

std::string Themes(const ThemeSet& themes) {
  std::string out = "[";
  for (ThemeId t : themes.ToVector()) {
    absl::StrAppend(&out, out.size() > 1 ? ", " : "",
                    base::JsonString(ThemeCode(t)));
  }
  return out + "]";
}

}  // namespace

absl::StatusOr<PlanMap> MapPlan(const Network& net, const Plan& plan,
                                const MapOptions& options) {
  if (options.min_group_size < kMinGroupSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_group_size must be at least ", kMinGroupSize,
                     ", got ", options.min_group_size));
  }
  const Areas areas(net);
  PlanMap map;
  map.min_group_size = options.min_group_size;
  std::vector<Item> items;
  for (const Assignment& a : plan.assignments) {
    if (!net.service(a.service).has_location) {
      ++map.assignments_not_located;
      continue;
    }
    items.push_back({a.service.value(), a.person, a.pinned});
  }
  map.suppressed_assignments = Pool(
      std::move(items), areas, options.min_group_size,
      [](int64_t key, MapGroup* g) {
        g->service = ServiceId(static_cast<int32_t>(key));
      },
      &map.assignments);
  items.clear();
  for (const Unmatched& u : plan.unmatched) {
    const int64_t key = int64_t{net.need(u.need).theme} * kNumUnmatchedReasons +
                        static_cast<int64_t>(u.reason);
    items.push_back({key, u.person, false});
  }
  map.suppressed_unmatched = Pool(
      std::move(items), areas, options.min_group_size,
      [](int64_t key, MapGroup* g) {
        g->theme = static_cast<ThemeId>(key / kNumUnmatchedReasons);
        g->reason = static_cast<UnmatchedReason>(key % kNumUnmatchedReasons);
      },
      &map.unmatched);
  return map;
}

std::string PlanMapGeoJson(const Network& net, const Plan& plan,
                           const PlanMap& map) {
  std::vector<std::string> features;
  for (const Site& s : net.sites()) {
    features.push_back(PointFeature(s.lat, s.lng,
                                    base::JsonObject()
                                        .Str("kind", "site")
                                        .Str("id", s.id)
                                        .Str("name", s.name)
                                        .Str("territory", s.territory)
                                        .Close()));
  }
  std::vector<int64_t> given(net.services().size(), 0);
  for (const Assignment& a : plan.assignments) {
    given[static_cast<size_t>(a.service.value())] += !a.pinned;
  }
  int64_t services_not_located = 0;
  for (size_t i = 0; i < net.services().size(); ++i) {
    const ServiceId id(static_cast<int32_t>(i));
    const Service& s = net.service(id);
    if (!s.has_location) {
      ++services_not_located;
      continue;
    }
    const Partner& partner = net.partner(s.partner);
    const int64_t left = std::max<int64_t>(
        0, int64_t{s.capacity_available} - net.pinned_places(id) - given[i]);
    base::JsonObject props;
    props.Str("kind", "service")
        .Str("id", s.id)
        .Str("name", s.name)
        .Str("partner_id", partner.id)
        .Str("partner_name", partner.name)
        .Raw("themes", Themes(s.themes))
        .Bool("remote", s.remote())
        .Bool("capacity_known", s.capacity_known);
    // A service that publishes no places: its capacity is null, and whether
    // it is full is unknown (its places given rest on an assumption).
    if (s.capacity_known) {
      props.Int("capacity_available", s.capacity_available)
          .Int("capacity_max", s.capacity_max);
    } else {
      props.Raw("capacity_available", "null").Raw("capacity_max", "null");
    }
    props.Int("places_pinned", net.pinned_places(id))
        .Int("places_given", given[i]);
    if (s.capacity_known) {
      props.Int("places_left", left).Bool("full", left == 0);
    } else {
      props.Raw("places_left", "null").Raw("full", "null");
    }
    features.push_back(PointFeature(s.lat, s.lng, props.Close()));
  }
  for (const MapGroup& g : map.assignments) {
    const Service& s = net.service(g.service);
    features.push_back(
        Feature(absl::StrCat("{\"type\": \"LineString\", \"coordinates\": [",
                             Position(g.lat, g.lng), ", ",
                             Position(s.lat, s.lng), "]}"),
                base::JsonObject()
                    .Str("kind", "assignments")
                    .Str("level", MapLevelCode(g.level))
                    .Str("area", g.area)
                    .Str("area_name", g.area_name)
                    .Str("service_id", s.id)
                    .Str("service_name", s.name)
                    .Str("partner_id", net.partner(s.partner).id)
                    .Int("people", g.people)
                    .Int("needs", g.needs)
                    .Int("pinned", g.pinned)
                    .Close()));
  }
  for (const MapGroup& g : map.unmatched) {
    features.push_back(
        PointFeature(g.lat, g.lng,
                     base::JsonObject()
                         .Str("kind", "unmatched")
                         .Str("level", MapLevelCode(g.level))
                         .Str("area", g.area)
                         .Str("area_name", g.area_name)
                         .Str("thematique", ThemeCode(g.theme))
                         .Str("category", ThemeCode(CategoryOf(g.theme)))
                         .Str("reason", UnmatchedReasonCode(g.reason))
                         .Int("people", g.people)
                         .Int("needs", g.needs)
                         .Close()));
  }
  const std::string properties =
      base::JsonObject()
          .Str("generator", "maillage")
          .Int("min_group_size", map.min_group_size)
          .Str("aggregation", AggregationRule(map.min_group_size))
          .Int("suppressed",
               map.suppressed_assignments + map.suppressed_unmatched)
          .Int("suppressed_assignments", map.suppressed_assignments)
          .Int("suppressed_unmatched", map.suppressed_unmatched)
          .Int("assignments_not_located", map.assignments_not_located)
          .Int("services_not_located", services_not_located)
          .Close();
  std::string text = absl::StrCat(
      "{\"type\": \"FeatureCollection\",\n\"properties\": ", properties,
      ",\n\"features\": [");
  for (size_t i = 0; i < features.size(); ++i) {
    absl::StrAppend(&text, i > 0 ? ",\n" : "\n", features[i]);
  }
  return text + "\n]}\n";
}

absl::StatusOr<std::string> PlanGeoJson(const Network& net, const Plan& plan,
                                        const MapOptions& options) {
  absl::StatusOr<PlanMap> map = MapPlan(net, plan, options);
  if (!map.ok()) return map.status();
  return PlanMapGeoJson(net, plan, *map);
}

}  // namespace maillage
