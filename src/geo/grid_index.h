// A static spatial index: points bucketed in a lat/lng grid, sorted by cell
// (row-major), so that the points of a row's range of cells are contiguous.
// A radius query visits one contiguous range per grid row: two binary searches
// per row. Candidates are returned for the bounding box of the circle; the
// caller filters by exact distance. Longitudes are not wrapped at ±180°.

#ifndef MAILLAGE_SRC_GEO_GRID_INDEX_H_
#define MAILLAGE_SRC_GEO_GRID_INDEX_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace maillage::geo {

class GridIndex {
 public:
  static constexpr double kDefaultCellDegrees = 0.15;

  // `lat`, `lng` in degrees, `ids` the payload of each point.
  void Build(const std::vector<double>& lat, const std::vector<double>& lng,
             const std::vector<int32_t>& ids,
             double cell_degrees = kDefaultCellDegrees);

  bool empty() const { return keys_.empty(); }
  size_t size() const { return keys_.size(); }

  // Calls f(id) for every point in the cells that intersect the bounding box
  // of the circle of `radius_km` around (lat, lng). A radius of half the
  // Earth's circumference or more (infinity included) covers every point;
  // a negative or NaN radius, none.
  template <typename F>
  void ForEachNear(double lat, double lng, double radius_km, F&& f) const {
    ForEachNearRange(lat, lng, radius_km, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) f(ids_[i]);
    });
  }

  // The same points as ForEachNear, as ranges [begin, end) of positions in
  // ids() (one per grid row), so that a caller can keep data of its own in
  // the index's order and read it sequentially.
  template <typename F>
  void ForEachNearRange(double lat, double lng, double radius_km, F&& f) const {
    if (keys_.empty() || !(radius_km >= 0)) return;
    constexpr double kKmPerDegree = 111.195;
    // Past 180 degrees of latitude every row is in the box; the bound keeps
    // the cell arithmetic in range.
    const double dlat = std::min(radius_km / kKmPerDegree, 180.0);
    const double far_lat = std::min(89.0, std::abs(lat) + dlat);
    const double dlng = std::min(
        180.0, radius_km /
                   (kKmPerDegree * std::cos(far_lat * 3.14159265358979 / 180)));
    const int64_t r0 = Cell(lat - dlat), r1 = Cell(lat + dlat);
    const int64_t c0 = Cell(lng - dlng), c1 = Cell(lng + dlng);
    for (int64_t r = std::max(r0, min_row_); r <= std::min(r1, max_row_); ++r) {
      const uint64_t lo = Key(r, c0), hi = Key(r, c1);
      auto b = std::lower_bound(keys_.begin(), keys_.end(), lo);
      auto e = std::upper_bound(b, keys_.end(), hi);
      if (b != e) {
        f(static_cast<size_t>(b - keys_.begin()),
          static_cast<size_t>(e - keys_.begin()));
      }
    }
  }

  // The payloads, in the index's order (positions of ForEachNearRange).
  const std::vector<int32_t>& ids() const { return ids_; }

 private:
  int64_t Cell(double degrees) const {
    return static_cast<int64_t>(std::floor(degrees / cell_));
  }
  // Rows and columns are offset to be non-negative (|degrees| <= 360).
  uint64_t Key(int64_t row, int64_t col) const {
    const int64_t offset = 1 << 20;
    col = std::clamp<int64_t>(col, -offset, offset - 1);
    return (static_cast<uint64_t>(row + offset) << 21) |
           static_cast<uint64_t>(col + offset);
  }

  double cell_ = kDefaultCellDegrees;
  int64_t min_row_ = 0, max_row_ = -1;
  std::vector<uint64_t> keys_;  // sorted cell keys, one per point
  std::vector<int32_t> ids_;    // payload, in key order
};

}  // namespace maillage::geo

#endif  // MAILLAGE_SRC_GEO_GRID_INDEX_H_
