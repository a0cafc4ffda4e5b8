#include "base/cells.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace maillage::base {
namespace {

TEST(ParseNumberTest, AcceptsFiniteDecimals) {
  double v = 0;
  EXPECT_TRUE(ParseNumber("1.5", &v));
  EXPECT_EQ(v, 1.5);
  EXPECT_TRUE(ParseNumber("-3", &v));
  EXPECT_EQ(v, -3);
  EXPECT_TRUE(ParseNumber("1e3", &v));
  EXPECT_EQ(v, 1000);
}

TEST(ParseNumberTest, RejectsEverythingElse) {
  double v = 7;
  for (std::string_view bad : {"", " 1", "1 ", "1,5", "nan", "inf", "-inf",
                               "1e999", "0x10", "abc", "1.5x", "+"}) {
    EXPECT_FALSE(ParseNumber(bad, &v)) << bad;
    EXPECT_EQ(v, 7) << bad;
  }
}

TEST(ParseIntegerTest, AcceptsInt64Range) {
  int64_t v = 0;
  EXPECT_TRUE(ParseInteger("-9223372036854775808", &v));
  EXPECT_EQ(v, std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(ParseInteger("42", &v));
  EXPECT_EQ(v, 42);
  for (std::string_view bad :
       {"", "9223372036854775808", "1.0", "1e3", " 1", "one"}) {
    EXPECT_FALSE(ParseInteger(bad, &v)) << bad;
  }
}

TEST(FormatNumberTest, ReadsBackExactly) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> any(-1e6, 1e6);
  for (int i = 0; i < 2000; ++i) {
    const double x = any(rng);
    double back = 0;
    ASSERT_TRUE(ParseNumber(FormatNumber(x), &back)) << x;
    EXPECT_EQ(back, x);
  }
  EXPECT_EQ(FormatNumber(45.5), "45.5");
  EXPECT_EQ(FormatNumber(3), "3");
}

TEST(SplitListTest, Splits) {
  using Views = std::vector<std::string_view>;
  EXPECT_EQ(SplitList("a|b"), (Views{"a", "b"}));
  EXPECT_EQ(SplitList(""), Views{});
  EXPECT_EQ(SplitList("abc"), (Views{"abc"}));
  EXPECT_EQ(SplitList("a||b"), (Views{"a", "", "b"}));
  EXPECT_EQ(SplitList("|"), (Views{"", ""}));
  EXPECT_EQ(SplitList("a|"), (Views{"a", ""}));
  EXPECT_EQ(SplitList("|a"), (Views{"", "a"}));
  EXPECT_EQ(SplitList(" a | b "), (Views{" a ", " b "}));
}

TEST(SplitListTest, ViewsPointIntoCell) {
  const std::string cell = "xy|z";
  const std::vector<std::string_view> items = SplitList(cell);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].data(), cell.data());
  EXPECT_EQ(items[1].data(), cell.data() + 3);
}

TEST(JoinListTest, InvertsSplitList) {
  EXPECT_EQ(JoinList({"a", "b"}), "a|b");
  EXPECT_EQ(JoinList({}), "");
  const std::vector<std::string> items = {"x", "yy", "z"};
  std::vector<std::string> back;
  const std::string joined = JoinList(items);
  for (std::string_view v : SplitList(joined)) back.emplace_back(v);
  EXPECT_EQ(back, items);
}

}  // namespace
}  // namespace maillage::base
