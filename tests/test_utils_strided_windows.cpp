#include "strider/utils/strided_windows.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "strider/random.hpp"
#include "test_support.hpp"

namespace strider::utils {
namespace {

std::vector<double> series(index_t n, std::uint64_t seed = 3) {
  Rng rng(seed);
  std::vector<double> x(static_cast<std::size_t>(n));
  for (auto& v : x)
    v = rng.normal();
  return x;
}

// The plain reference: an explicit padded copy, windows read from it.
RowMatrixD reference_windows(const std::vector<double>& x, index_t l, index_t d, index_t p) {
  std::vector<double> xpad(x.size() + 2 * static_cast<std::size_t>(p), 0.0);
  std::copy(x.begin(), x.end(), xpad.begin() + p);
  const auto n_windows = static_cast<index_t>(xpad.size()) - (l - 1) * d;
  RowMatrixD w(n_windows, l);
  for (index_t i = 0; i < n_windows; ++i)
    for (index_t j = 0; j < l; ++j)
      w(i, j) = xpad[static_cast<std::size_t>(i + j * d)];
  return w;
}

void expect_matches_reference(const std::vector<double>& x, index_t l, index_t d, index_t p) {
  SCOPED_TRACE("n = " + std::to_string(x.size()) + ", l = " + std::to_string(l) +
               ", d = " + std::to_string(d) + ", p = " + std::to_string(p));
  const StridedWindows<double> w(x, l, d, p);
  const RowMatrixD ref = reference_windows(x, l, d, p);
  ASSERT_EQ(w.n_windows(), ref.rows());
  ASSERT_EQ(w.window_length(), l);
  for (index_t i = 0; i < ref.rows(); ++i)
    for (index_t j = 0; j < l; ++j)
      ASSERT_EQ(w(i, j), ref(i, j)) << "(" << i << ", " << j << ")";
  EXPECT_EQ(w.to_matrix(), ref);
  if (p == 0) {
    EXPECT_EQ(RowMatrixD(w.map()), ref);
  }
  // Inner windows read no padding and are exactly those that fit inside x.
  for (index_t i = 0; i < w.n_windows(); ++i) {
    const bool inside = i - p >= 0 && i + (l - 1) * d - p < static_cast<index_t>(x.size());
    EXPECT_EQ(inside, i >= w.inner_begin() && i < w.inner_end()) << "window " << i;
    if (inside) {
      for (index_t j = 0; j < l; ++j)
        EXPECT_EQ(w.inner_window(i)[j * d], w(i, j));
    }
    // valid_columns: exactly the columns that read x, contiguous.
    const auto [begin, end] = w.valid_columns(i);
    ASSERT_LE(begin, end);
    for (index_t j = 0; j < l; ++j) {
      const index_t k = i + j * d - p;
      const bool reads_x = k >= 0 && k < static_cast<index_t>(x.size());
      EXPECT_EQ(reads_x, j >= begin && j < end) << "window " << i << ", column " << j;
      if (reads_x) {
        EXPECT_EQ(w.valid_data(i)[(j - begin) * d], w(i, j));
      }
    }
    EXPECT_EQ(inside, begin == 0 && end == l);
  }
}

TEST(UtilsStridedWindows, MatchesAnExplicitPaddedCopy) {
  const auto x = series(30);
  for (const index_t l : {1, 2, 3, 9}) {
    const index_t d_max = l == 1 ? 40 : 29 / (l - 1);  // largest d with p = 0
    for (const index_t d : {index_t{1}, index_t{2}, d_max}) {
      if (d > d_max) continue;
      const index_t half = (l - 1) * d / 2;  // convst's padding
      for (const index_t p : {index_t{0}, index_t{1}, half, (l - 1) * d, (l - 1) * d + 3})
        expect_matches_reference(x, l, d, p);
    }
  }
}

TEST(UtilsStridedWindows, LargestDilationLeavesOneWindow) {
  const auto x = series(11);
  // (l - 1) d = 10 = n - 1: exactly one window [x0, x5, x10].
  const StridedWindows<double> w(x, 3, 5);
  ASSERT_EQ(w.n_windows(), 1);
  EXPECT_EQ(w(0, 0), x[0]);
  EXPECT_EQ(w(0, 1), x[5]);
  EXPECT_EQ(w(0, 2), x[10]);
  EXPECT_THROW(StridedWindows<double>(x, 3, 6), std::invalid_argument);
  // With padding p the largest dilation is (n + 2p - 1) / (l - 1).
  EXPECT_EQ(StridedWindows<double>(x, 3, 7, 2).n_windows(), 1);
  EXPECT_THROW(StridedWindows<double>(x, 3, 8, 2), std::invalid_argument);
  expect_matches_reference(x, 3, 7, 2);
}

TEST(UtilsStridedWindows, SingleValueSeries) {
  const std::vector<double> x = {2.5};
  const StridedWindows<double> w(x, 1, 1);
  ASSERT_EQ(w.n_windows(), 1);
  EXPECT_EQ(w(0, 0), 2.5);
  expect_matches_reference(x, 2, 3, 2);  // [0, 0, 2.5, 0, 0] with d = 3
  EXPECT_THROW(StridedWindows<double>(x, 2, 1), std::invalid_argument);
}

TEST(UtilsStridedWindows, ErrorsNameTheValues) {
  const auto x = series(5);
  const auto message = [&](std::span<const double> s, index_t l, index_t d, index_t p) {
    try {
      StridedWindows<double> w(s, l, d, p);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  EXPECT_NE(message(x, 3, 3, 0).find("n = 5, length = 3, dilation = 3, padding = 0"),
            std::string::npos);
  EXPECT_NE(message(x, 3, 3, 0).find("no window fits"), std::string::npos);
  EXPECT_NE(message({}, 1, 1, 0).find("empty"), std::string::npos);
  EXPECT_NE(message(x, 0, 1, 0).find("length >= 1"), std::string::npos);
  EXPECT_NE(message(x, 2, 0, 0).find("dilation >= 1"), std::string::npos);
  EXPECT_NE(message(x, 2, 1, -1).find("padding >= 0"), std::string::npos);
  constexpr index_t huge = std::numeric_limits<index_t>::max();
  EXPECT_NE(message(x, 2, 1, huge / 2).find("padding too large"), std::string::npos);
  EXPECT_NE(message(x, 3, huge, 0).find("no window fits"), std::string::npos);
  EXPECT_NE(message(x, huge, 2, 0).find("no window fits"), std::string::npos);
}

TEST(UtilsStridedWindows, MapWorksInEigenExpressionsAndOnlyWithoutPadding) {
  const auto x = series(50);
  const StridedWindows<double> w(x, 4, 3);
  Eigen::RowVector4d kernel(0.5, -1.0, 2.0, 0.25);
  // Squared distance of every window to the kernel, as the document's
  // np.sum((convolve_x(...) - values)**2, axis=-1).
  const VectorD dist = (w.map().rowwise() - kernel).rowwise().squaredNorm();
  for (index_t i = 0; i < w.n_windows(); ++i) {
    double s = 0;
    for (index_t j = 0; j < 4; ++j)
      s += (x[static_cast<std::size_t>(i + 3 * j)] - kernel(j)) *
           (x[static_cast<std::size_t>(i + 3 * j)] - kernel(j));
    EXPECT_NEAR(dist(i), s, 1e-12);
  }
  EXPECT_THROW(StridedWindows<double>(x, 4, 3, 1).map(), std::logic_error);
}

// A window distance computed with valid_columns() (padding handled once per window)
// adds the same terms in the same order as one computed on a padded copy. (Equal up to
// rounding only: with -march=native the compiler may fuse some multiply-adds into FMAs
// in one loop and not in the other.)
TEST(UtilsStridedWindows, ValidColumnsGiveTheSameDistancesAsAPaddedCopy) {
  const auto x = series(60, 4);
  const std::vector<double> kernel = {0.3, -1.2, 0.7, 2.0, -0.1};
  const index_t l = 5;
  for (const index_t d : {1, 3, 7, 14}) {
    for (const index_t p : {index_t{0}, (l - 1) * d / 2, (l - 1) * d, (l - 1) * d + 5}) {
      const StridedWindows<double> w(x, l, d, p);
      const RowMatrixD ref = reference_windows(x, l, d, p);
      for (index_t i = 0; i < w.n_windows(); ++i) {
        double expected = 0;
        for (index_t j = 0; j < l; ++j) {
          const double diff = ref(i, j) - kernel[j];
          expected += diff * diff;
        }
        const auto [begin, end] = w.valid_columns(i);
        double s = 0;
        for (index_t j = 0; j < begin; ++j)
          s += (0.0 - kernel[j]) * (0.0 - kernel[j]);
        for (index_t j = begin; j < end; ++j) {
          const double diff = w.valid_data(i)[(j - begin) * d] - kernel[j];
          s += diff * diff;
        }
        for (index_t j = end; j < l; ++j)
          s += (0.0 - kernel[j]) * (0.0 - kernel[j]);
        ASSERT_NEAR(s, expected, 1e-14 * expected)
            << "d = " << d << ", p = " << p << ", window " << i;
      }
    }
  }
}

TEST(UtilsStridedWindows, PassesNaNThroughAndWorksForFloat) {
  std::vector<float> x = {1.f, std::nanf(""), 3.f, 4.f};
  const StridedWindows<float> w(x, 2, 2, 1);
  // xpad = [0, 1, nan, 3, 4, 0], windows (xpad[i], xpad[i + 2]) for i = 0..3.
  ASSERT_EQ(w.n_windows(), 4);
  EXPECT_EQ(w(0, 0), 0.f);
  EXPECT_TRUE(std::isnan(w(0, 1)));
  EXPECT_EQ(w(1, 1), 3.f);
  EXPECT_TRUE(std::isnan(w(2, 0)));
  EXPECT_EQ(w(3, 1), 0.f);
}

TEST(UtilsStridedWindows, MatchesTheDocumentsAsStridedCode) {
  test::TempDir dir;
  const auto x = series(40, 9);
  std::string text;
  char buf[64];
  for (const double v : x) {
    std::snprintf(buf, sizeof buf, "%.17g\n", v);
    text += buf;
  }
  test::write_file(dir / "x.txt", text);
  for (const auto& [l, d, p] : {std::tuple<index_t, index_t, index_t>{9, 1, 4},
                                {9, 4, 16},
                                {3, 19, 0},
                                {7, 2, 0},
                                {1, 1, 0}}) {
    const std::string args = "\"" + (dir / "x.txt").string() + "\" " + std::to_string(l) + " " +
                             std::to_string(d) + " " + std::to_string(p) + " \"" +
                             (dir / "w.txt").string() + "\"";
    STRIDER_RUN_REFERENCE("strided_windows.py", args);
    const StridedWindows<double> w(x, l, d, p);
    std::istringstream in(test::read_file(dir / "w.txt"));
    std::vector<double> values;
    for (std::string t; in >> t;)
      values.push_back(std::strtod(t.c_str(), nullptr));
    ASSERT_EQ(static_cast<index_t>(values.size()), w.n_windows() * l);
    for (index_t i = 0; i < w.n_windows(); ++i)
      for (index_t j = 0; j < l; ++j)
        EXPECT_EQ(w(i, j), values[static_cast<std::size_t>(i * l + j)]);
  }
}

}  // namespace
}  // namespace strider::utils
