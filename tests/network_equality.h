// Field-by-field equality of two networks, for tests of determinism and of
// write/load round trips: every column of every table (maillage/schema.h),
// on the rows the networks were built from (RowsOf).

#ifndef MAILLAGE_TESTS_NETWORK_EQUALITY_H_
#define MAILLAGE_TESTS_NETWORK_EQUALITY_H_

#include <type_traits>

#include "gtest/gtest.h"
#include "maillage/network.h"
#include "network/cells.h"

namespace maillage::testing_networks {

// Each differing cell is reported as `table row N column: a vs b`.
inline void ExpectSameNetwork(const Network& a, const Network& b) {
  const NetworkRows ra = RowsOf(a), rb = RowsOf(b);
  ForEachTable(ra, [&](Table t, const auto& rows_a) {
    using Row = typename std::decay_t<decltype(rows_a)>::value_type;
    const std::vector<Row>* rows_b = &rb.of<Row>();
    ASSERT_EQ(rows_a.size(), rows_b->size()) << TableName(t);
    for (size_t i = 0; i < rows_a.size(); ++i) {
      for (const Column<Row>& c : Columns<Row>()) {
        EXPECT_EQ(network::CellText(rows_a[i], c),
                  network::CellText((*rows_b)[i], c))
            << TableName(t) << " row " << i << " " << c.info.name;
      }
    }
  });
  // Derived fields: what the builder computes from the rows.
  for (size_t i = 0; i < a.services().size(); ++i) {
    EXPECT_TRUE(a.services()[i].served == b.services()[i].served) << i;
  }
  for (size_t n = 0; n < a.needs().size(); ++n) {
    EXPECT_EQ(a.pinned_service(NeedId(static_cast<int32_t>(n))),
              b.pinned_service(NeedId(static_cast<int32_t>(n))));
  }
}

}  // namespace maillage::testing_networks

#endif  // MAILLAGE_TESTS_NETWORK_EQUALITY_H_
