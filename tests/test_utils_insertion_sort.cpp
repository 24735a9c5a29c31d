#include "strider/utils/insertion_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "strider/random.hpp"

namespace strider::utils {
namespace {

std::vector<double> random_doubles(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(n);
  for (double& x : v)
    x = rng.uniform();
  return v;
}

TEST(UtilsInsertionSort, MatchesStdSortOnRandomDoublesAndLeavesInputAlone) {
  for (std::size_t n : {0, 1, 2, 3, 17, 1000}) {
    const std::vector<double> input = random_doubles(n, n);
    std::vector<double> expected = input;
    std::sort(expected.begin(), expected.end());
    const std::vector<double> copy = input;
    EXPECT_EQ(insertion_sort(input), expected) << "n " << n;
    EXPECT_EQ(input, copy);
  }
}

TEST(UtilsInsertionSort, SortedReversedAndConstantInputs) {
  std::vector<int> up(50), down(50), flat(50, 7);
  for (int i = 0; i < 50; ++i) {
    up[i] = i;
    down[i] = 49 - i;
  }
  EXPECT_EQ(insertion_sort(up), up);
  EXPECT_EQ(insertion_sort(down), up);
  EXPECT_EQ(insertion_sort(flat), flat);
  EXPECT_EQ(insertion_sort(up, std::greater<>{}), down);
}

TEST(UtilsInsertionSort, IsStableWithAKeyComparatorOnDuplicates) {
  // (key, original position) with only 5 distinct keys: many ties.
  Rng rng(3);
  std::vector<std::pair<int, int>> v(400);
  for (int i = 0; i < 400; ++i)
    v[i] = {static_cast<int>(rng.uniform_int(5)), i};
  const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::vector<std::pair<int, int>> expected = v;
  std::stable_sort(expected.begin(), expected.end(), by_key);
  const auto sorted = insertion_sort(v, by_key);
  EXPECT_EQ(sorted, expected);
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].first == sorted[i - 1].first) {
      EXPECT_LT(sorted[i - 1].second, sorted[i].second) << "ties reordered at " << i;
    }
  }
}

TEST(UtilsInsertionSort, InPlaceOnAnIteratorRangeAndMoveOnlyElements) {
  std::vector<double> v = random_doubles(100, 9);
  std::vector<double> expected = v;
  std::sort(expected.begin() + 10, expected.begin() + 60);
  insertion_sort_inplace(v.begin() + 10, v.begin() + 60);
  EXPECT_EQ(v, expected);

  std::vector<std::unique_ptr<int>> owners;
  for (int k : {5, 3, 9, 1})
    owners.push_back(std::make_unique<int>(k));
  const auto sorted =
      insertion_sort(std::move(owners), [](const auto& a, const auto& b) { return *a < *b; });
  ASSERT_EQ(sorted.size(), 4u);
  EXPECT_EQ(*sorted[0], 1);
  EXPECT_EQ(*sorted[3], 9);

  std::vector<std::string> words{"pear", "apple", "fig"};
  EXPECT_EQ(insertion_sort(words), (std::vector<std::string>{"apple", "fig", "pear"}));
}

TEST(UtilsInsertionSort, NanIsRejectedWithTheDefaultComparatorOnly) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> v{1.0, nan, 0.5};
  try {
    (void)insertion_sort(v);
    FAIL() << "NaN was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("element 1 is NaN"), std::string::npos) << e.what();
  }
  EXPECT_THROW(insertion_sort(std::vector<float>{2.0f, std::nanf("")}), std::invalid_argument);
  // A comparator that orders NaN (last) is a strict weak ordering: accepted.
  const auto nan_last = [](double a, double b) {
    return std::isnan(b) ? !std::isnan(a) : (!std::isnan(a) && a < b);
  };
  const auto sorted = insertion_sort(v, nan_last);
  EXPECT_EQ(sorted[0], 0.5);
  EXPECT_EQ(sorted[1], 1.0);
  EXPECT_TRUE(std::isnan(sorted[2]));
}

}  // namespace
}  // namespace strider::utils
