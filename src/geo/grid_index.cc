#include "geo/grid_index.h"

#include <numeric>

namespace maillage::geo {

void GridIndex::Build(const std::vector<double>& lat,
                      const std::vector<double>& lng,
                      const std::vector<int32_t>& ids, double cell_degrees) {
  cell_ = cell_degrees;
  const size_t n = ids.size();
  std::vector<uint64_t> keys(n);
  min_row_ = 0;
  max_row_ = -1;
  for (size_t i = 0; i < n; ++i) {
    const int64_t r = Cell(lat[i]);
    keys[i] = Key(r, Cell(lng[i]));
    if (i == 0 || r < min_row_) min_row_ = r;
    if (i == 0 || r > max_row_) max_row_ = r;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  keys_.resize(n);
  ids_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    keys_[i] = keys[order[i]];
    ids_[i] = ids[order[i]];
  }
}

}  // namespace maillage::geo
