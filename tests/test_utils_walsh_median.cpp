#include "strider/utils/walsh_median.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "strider/random.hpp"

namespace strider::utils {
namespace {

// Plain reference: every average, a full sort, the textbook median.
double reference_walsh_median(const VectorD& x, WalshPairs pairs) {
  std::vector<double> w;
  const index_t n = x.size();
  for (index_t i = 0; i < n; ++i) {
    for (index_t j = (pairs == WalshPairs::with_self ? i : i + 1); j < n; ++j)
      w.push_back((x(i) + x(j)) / 2.0);
  }
  std::sort(w.begin(), w.end());
  const std::size_t m = w.size();
  return m % 2 == 1 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2.0;
}

VectorD vec(std::initializer_list<double> v) {
  VectorD out(static_cast<index_t>(v.size()));
  std::copy(v.begin(), v.end(), out.data());
  return out;
}

TEST(UtilsWalshMedian, ClosedFormSmallSamples) {
  // {0, 1, 10}: i <= j gives {0, .5, 1, 5, 5.5, 10} (even: (1 + 5) / 2 = 3);
  //             i <  j gives {.5, 5, 5.5} (odd: 5).
  EXPECT_EQ(walsh_median(vec({0, 1, 10})), 3.0);
  EXPECT_EQ(walsh_median(vec({10, 0, 1}), WalshPairs::with_self), 3.0);
  EXPECT_EQ(walsh_median(vec({0, 1, 10}), WalshPairs::distinct), 5.0);
  EXPECT_EQ(walsh_median(vec({1, 2, 3})), 2.0);
  EXPECT_EQ(walsh_median(vec({0, 10}), WalshPairs::with_self), 5.0);
  EXPECT_EQ(walsh_median(vec({0, 10}), WalshPairs::distinct), 5.0);
  // n = 1: with_self has the single average x_0.
  EXPECT_EQ(walsh_median(vec({-2.5})), -2.5);
  EXPECT_EQ(walsh_pair_count(1000, WalshPairs::with_self), 500500);
  EXPECT_EQ(walsh_pair_count(100, WalshPairs::distinct), 4950);
}

constexpr WalshAlgorithm kAlgorithms[] = {WalshAlgorithm::materialize, WalshAlgorithm::bisect,
                                          WalshAlgorithm::automatic};

TEST(UtilsWalshMedian, MatchesSortedReferenceOnRandomSamples) {
  Rng rng(21);
  for (index_t n = 1; n <= 90; ++n) {
    VectorD x(n);
    for (index_t i = 0; i < n; ++i)
      x(i) = rng.normal(3.0, 2.0);
    if (n % 7 == 0) x.head(n / 2).setConstant(1.25);   // many ties
    if (n % 5 == 0) x = x.array().round() - 3.0;       // integers, zeros, signs
    if (n % 11 == 0) x(n / 2) = 0.0, x(n / 3) = -0.0;  // both zeros
    for (WalshPairs pairs : {WalshPairs::with_self, WalshPairs::distinct}) {
      if (n == 1 && pairs == WalshPairs::distinct) continue;
      const double expected = reference_walsh_median(x, pairs);
      for (WalshAlgorithm algorithm : kAlgorithms) {
        EXPECT_EQ(walsh_median(x, pairs, algorithm), expected)
            << "n " << n << " algorithm " << static_cast<int>(algorithm);
      }
    }
  }
}

TEST(UtilsWalshMedian, BisectionEqualsSelectionOnLargerSamples) {
  Rng rng(8);
  for (index_t n : {333, 700}) {
    VectorD x(n);
    for (index_t i = 0; i < n; ++i)
      x(i) = n == 333 ? std::floor(rng.uniform(-20.0, 20.0)) : rng.uniform() * 1e-3 + 7.0;
    for (WalshPairs pairs : {WalshPairs::with_self, WalshPairs::distinct}) {
      const double expected = reference_walsh_median(x, pairs);
      EXPECT_EQ(walsh_median(x, pairs, WalshAlgorithm::bisect), expected) << n;
      EXPECT_EQ(walsh_median(x, pairs, WalshAlgorithm::materialize), expected) << n;
    }
  }
}

TEST(UtilsWalshMedian, SymmetricSamplesHaveTheirCentreAsMedian) {
  // The Walsh averages of a sample symmetric about c are symmetric about c, so their median
  // is c: a closed form for sizes whose M averages would not fit in memory (M = 2e10).
  for (index_t n : {20001, 200000}) {
    const VectorD x = VectorD::LinSpaced(n, 0.0, static_cast<double>(n - 1));  // 0, 1, ..
    for (WalshPairs pairs : {WalshPairs::with_self, WalshPairs::distinct}) {
      EXPECT_EQ(walsh_median(x, pairs), static_cast<double>(n - 1) / 2.0) << n;
    }
  }
  Rng rng(12);
  VectorD y(2 * 500);
  for (index_t i = 0; i < 500; ++i) {
    const double d = rng.uniform(0.0, 4.0);  // mirrored pairs 1.5 +- d (exact in binary)
    y(2 * i) = 1.5 + std::ldexp(std::round(std::ldexp(d, 20)), -20);
    y(2 * i + 1) = 3.0 - y(2 * i);
  }
  EXPECT_EQ(walsh_median(y, WalshPairs::with_self, WalshAlgorithm::bisect), 1.5);
  EXPECT_EQ(walsh_median(y, WalshPairs::distinct, WalshAlgorithm::bisect), 1.5);
}

TEST(UtilsWalshMedian, HugeValuesDoNotOverflow) {
  const double big = std::numeric_limits<double>::max();
  EXPECT_EQ(walsh_median(vec({big, big, big})), big);
  EXPECT_EQ(walsh_median(vec({-big, big}), WalshPairs::distinct), 0.0);
}

TEST(UtilsWalshMedian, RowsEqualSingleSamplesForAnyThreadCount) {
  Rng rng(4);
  RowMatrixD samples(37, 25);
  for (index_t r = 0; r < samples.rows(); ++r) {
    for (index_t c = 0; c < samples.cols(); ++c)
      samples(r, c) = rng.uniform();
  }
  for (WalshPairs pairs : {WalshPairs::with_self, WalshPairs::distinct}) {
    const VectorD one = walsh_median_rows(samples, pairs, 1);
    ASSERT_EQ(one.size(), 37);
    for (index_t r = 0; r < samples.rows(); ++r) {
      EXPECT_EQ(one(r), reference_walsh_median(samples.row(r).transpose(), pairs)) << "row " << r;
    }
    for (int threads : {2, 3, -1}) {
      for (WalshAlgorithm algorithm : kAlgorithms) {
        EXPECT_EQ(walsh_median_rows(samples, pairs, threads, algorithm), one)
            << "threads " << threads;
      }
    }
  }
  // A block of a larger matrix (outer stride != cols) is read in place.
  const RowMatrixD wide = RowMatrixD::Random(5, 40);
  const VectorD from_block = walsh_median_rows(wide.block(1, 3, 3, 10));
  for (index_t r = 0; r < 3; ++r) {
    EXPECT_EQ(from_block(r), walsh_median(wide.block(1 + r, 3, 1, 10).transpose()));
  }
}

void expect_invalid(const std::function<void()>& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning '" << fragment << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(UtilsWalshMedian, EdgeCasesAndBadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  expect_invalid([] { walsh_median(VectorD(0)); }, "a sample of 0 values");
  expect_invalid([] { walsh_median(vec({1.0}), WalshPairs::distinct); }, "at least 2 are needed");
  expect_invalid([&] { walsh_median(vec({1.0, nan, 2.0})); }, "x(1) = nan");
  expect_invalid(
      [] {
        walsh_median(vec({1.0, -std::numeric_limits<double>::infinity()}));
      },
      "x(1) = -inf");
  EXPECT_EQ(walsh_median_rows(RowMatrixD(0, 10)).size(), 0);
  expect_invalid([] { walsh_median_rows(RowMatrixD(3, 0)); }, "a sample of 0 values");
  RowMatrixD s = RowMatrixD::Zero(4, 6);
  s(2, 5) = nan;
  s(3, 0) = nan;
  expect_invalid([&] { walsh_median_rows(s, WalshPairs::with_self, 2); }, "samples(2, 5) = nan");
  expect_invalid([&] { walsh_median_rows(RowMatrixD::Zero(2, 2), WalshPairs::distinct, 0); },
                 "n_jobs = 0");
}

}  // namespace
}  // namespace strider::utils
