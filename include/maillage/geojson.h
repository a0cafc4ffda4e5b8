// A plan as a map that can be shared: GeoJSON (RFC 7946) with sites,
// services, assignments and unmatched needs, where nobody can be located.
//
// People never appear at their own coordinates. Assignments are counted per
// area of origin x service, and unmatched needs per area x thematique x
// reason; the area of a person is first their commune (its centre, from the
// embedded commune table), or their site when the commune is not in the
// table. A group of fewer than `min_group_size` people is pooled with the
// other small groups of the same service (or thematique and reason) in the
// same département, drawn at the département's centre; what is still too
// small there is pooled per territory, drawn at the centre of the
// territory's sites; what is still too small there is not drawn and only
// counted (`suppressed`). No person id, age, public, commune of a single
// person or coordinate of a person is written.
//
// Example:
//   absl::StatusOr<std::string> text = maillage::PlanGeoJson(net, plan);
//   // text: {"type": "FeatureCollection", "properties": {...},
//   //        "features": [{"type": "Feature", "geometry": {"type": "Point",
//   //        ...}, "properties": {"kind": "site", ...}}, ...]}
//
// O(needs log needs + communes); thread-safe (reads its arguments only).

#ifndef MAILLAGE_GEOJSON_H_
#define MAILLAGE_GEOJSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "maillage/allocate.h"
#include "maillage/ids.h"
#include "maillage/network.h"
#include "maillage/vocabulary.h"

namespace maillage {

// The smallest group of people a map may draw: groups are never smaller.
inline constexpr int32_t kMinGroupSize = 5;

struct MapOptions {
  // Groups of fewer people than this are pooled upward, then suppressed.
  // At least kMinGroupSize.
  int32_t min_group_size = kMinGroupSize;
};

// Where a group of people is drawn.
enum class MapLevel : uint8_t {
  kCommune,      // area: INSEE commune code; at the commune's centre
  kSite,         // area: site id (commune not in the table); at the site
  kDepartement,  // area: département code; at its population-weighted centre
  kTerritory,    // area: territory name; at the mean of its sites
};
// "commune", "site", "departement", "territory".
absl::string_view MapLevelCode(MapLevel level);

// One drawn group: assignments to one service, or unmatched needs of one
// thematique and reason, of at least min_group_size people of one area.
struct MapGroup {
  MapLevel level = MapLevel::kCommune;
  std::string area;       // code, id or name, see MapLevel
  std::string area_name;  // commune or site name, "département 69", territory
  double lat = 0;         // where the group is drawn
  double lng = 0;
  ServiceId service;  // assignments only
  ThemeId theme = 0;  // unmatched needs only
  UnmatchedReason reason = UnmatchedReason::kNoServiceForTheme;  // unmatched
  int64_t people = 0;  // distinct people (>= min_group_size)
  int64_t needs = 0;   // assigned or unmatched needs (>= people)
  int64_t pinned = 0;  // assignments only: needs met by a current support
};

// The groups of a plan, before they are written.
struct PlanMap {
  // Assignments to services with a location, by service, level, area.
  std::vector<MapGroup> assignments;
  // Unmatched needs, by thematique, reason, level then area.
  std::vector<MapGroup> unmatched;
  // Needs of groups still under min_group_size at the territory level.
  int64_t suppressed_assignments = 0;
  int64_t suppressed_unmatched = 0;
  // Assignments to services without a location (remote only): not drawn.
  int64_t assignments_not_located = 0;
  int32_t min_group_size = kMinGroupSize;
};

// The groups of `plan` (a plan of `network`). InvalidArgument when
// options.min_group_size < kMinGroupSize. Every need of the plan is in
// exactly one drawn group or one of the three counts.
absl::StatusOr<PlanMap> MapPlan(const Network& network, const Plan& plan,
                                const MapOptions& options = {});

// The GeoJSON FeatureCollection of a plan: one Point feature per site
// (`kind`: "site"; id, name, territory), per located service ("service";
// id, name, partner_id, partner_name, themes, remote, capacity_available,
// capacity_max, places_pinned, places_given (new assignments of the plan),
// places_left, full), one LineString per assignment group ("assignments";
// from the area to the service: level, area, area_name, service_id,
// service_name, partner_id, people, needs, pinned), one Point per unmatched
// group ("unmatched"; level, area, area_name, thematique, category, reason,
// people, needs). The collection's `properties` member states the rule
// (min_group_size, aggregation) and the needs not drawn (suppressed, the
// sum of suppressed_assignments and suppressed_unmatched, and
// assignments_not_located).
// Coordinates are [longitude, latitude] in WGS84 with 6 decimals.
std::string PlanMapGeoJson(const Network& network, const Plan& plan,
                           const PlanMap& map);

// MapPlan then PlanMapGeoJson.
absl::StatusOr<std::string> PlanGeoJson(const Network& network,
                                        const Plan& plan,
                                        const MapOptions& options = {});

}  // namespace maillage

#endif  // MAILLAGE_GEOJSON_H_
