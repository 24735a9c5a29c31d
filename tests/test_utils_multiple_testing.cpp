#include "strider/utils/multiple_testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "strider/random.hpp"
#include "test_support.hpp"

namespace strider::utils {
namespace {

RowMatrixD normal_samples(index_t rows, index_t n, double mean, std::uint64_t seed) {
  Rng rng(seed);
  RowMatrixD s(rows, n);
  for (index_t r = 0; r < rows; ++r) {
    for (index_t c = 0; c < n; ++c)
      s(r, c) = rng.normal(mean, 1.0);
  }
  return s;
}

VectorD vec(std::initializer_list<double> v) {
  VectorD out(static_cast<index_t>(v.size()));
  std::copy(v.begin(), v.end(), out.data());
  return out;
}

TEST(UtilsMultipleTesting, TwoSidedPValueClosedForms) {
  EXPECT_EQ(two_sided_p_value(0.0), 1.0);
  // Textbook quantiles: P(|Z| >= 1.959963984540054) = 0.05, P(|Z| >= 1) = 0.3173105078629141.
  EXPECT_NEAR(two_sided_p_value(1.959963984540054), 0.05, 1e-15);
  EXPECT_NEAR(two_sided_p_value(-1.0), 0.31731050786291410, 1e-16);
  EXPECT_EQ(two_sided_p_value(std::numeric_limits<double>::infinity()), 0.0);
  // erfc keeps tiny p-values: P(|Z| >= 10) = 1.52397060483210521e-23 (mpmath; 1 - erf
  // gives 0).
  EXPECT_NEAR(two_sided_p_value(10.0) / 1.52397060483210521e-23, 1.0, 1e-14);
  EXPECT_TRUE(std::isnan(two_sided_p_value(std::nan(""))));
}

TEST(UtilsMultipleTesting, ZUsesSqrtNMeanOverSigma) {
  // The document's example point: n = 100, sigma = 1, mean 0.1 -> z = 1, p = 0.3173
  // (its 1 - erf(|mean|) would give 0.8875).
  RowMatrixD s(1, 100);
  for (index_t c = 0; c < 100; ++c)
    s(0, c) = c % 2 == 0 ? 0.0 : 0.2;
  VectorD z, p;
  z_test_rows(s, 1.0, 0.0, 1, z, p);
  EXPECT_NEAR(z(0), 1.0, 1e-14);
  EXPECT_NEAR(p(0), 0.31731050786291410, 1e-14);
  // sigma and mu0: (mean - mu0) sqrt(n) / sigma = (0.1 - 0.3) * 10 / 2 = -1.
  z_test_rows(s, 2.0, 0.3, 1, z, p);
  EXPECT_NEAR(z(0), -1.0, 1e-14);
  EXPECT_NEAR(p(0), 0.31731050786291410, 1e-14);
}

TEST(UtilsMultipleTesting, BonferroniAndHolmClosedForm) {
  const VectorD p = vec({0.01, 0.04, 0.03, 0.005});
  // Bonferroni: 4 p. Holm: sorted 0.005, 0.01, 0.03, 0.04 scaled by 4, 3, 2, 1 ->
  // 0.02, 0.03, 0.06, 0.04 -> running max 0.02, 0.03, 0.06, 0.06.
  const VectorD b = bonferroni(p);
  const VectorD h = holm(p);
  const VectorD b_expected = vec({0.04, 0.16, 0.12, 0.02});
  const VectorD h_expected = vec({0.03, 0.06, 0.06, 0.02});
  for (index_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(b(i), b_expected(i), 1e-17) << i;
    EXPECT_NEAR(h(i), h_expected(i), 1e-17) << i;
  }
  EXPECT_EQ(bonferroni(vec({0.5, 0.9}))(1), 1.0);
  EXPECT_EQ(holm(vec({0.5, 0.9}))(0), 1.0);
  EXPECT_EQ(bonferroni(VectorD(0)).size(), 0);
  EXPECT_EQ(holm(VectorD(0)).size(), 0);
  EXPECT_EQ(adjust_p_values(p, Correction::none), p);
}

TEST(UtilsMultipleTesting, HolmRejectsExactlyWhatTheStepDownProcedureRejects) {
  // The step-down definition, applied directly for many levels alpha.
  Rng rng(8);
  const index_t m = 60;
  VectorD p(m);
  for (index_t i = 0; i < m; ++i)
    p(i) = i % 3 == 0 ? 1e-4 * rng.uniform() : rng.uniform();
  p(5) = p(6);  // a tie
  const VectorD h = holm(p);
  const VectorD b = bonferroni(p);
  std::vector<index_t> order(m);
  for (index_t i = 0; i < m; ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t c) { return p(a) < p(c); });
  for (double alpha : {1e-5, 1e-4, 1e-3, 0.01, 0.05, 0.2, 0.5}) {
    std::vector<bool> step_down(m, false);
    for (index_t k = 0; k < m; ++k) {
      if (p(order[k]) > alpha / static_cast<double>(m - k)) break;
      step_down[order[k]] = true;
    }
    for (index_t i = 0; i < m; ++i) {
      EXPECT_EQ(h(i) <= alpha, step_down[i]) << "alpha " << alpha << " test " << i;
      EXPECT_GE(b(i), h(i));  // Holm never rejects less than Bonferroni
    }
  }
}

TEST(UtilsMultipleTesting, MultipleTestsDecideAndAreThreadIndependent) {
  // 200 null samples and 20 with mean 1 (z ~ 10): Bonferroni at 0.05 finds the 20.
  RowMatrixD s(220, 100);
  s.topRows(200) = normal_samples(200, 100, 0.0, 1);
  s.bottomRows(20) = normal_samples(20, 100, 1.0, 2);
  const auto res = multiple_z_tests(s, {.correction = Correction::bonferroni});
  for (index_t i = 200; i < 220; ++i)
    EXPECT_TRUE(res.reject[i]) << i;
  EXPECT_LE(std::count(res.reject.begin(), res.reject.begin() + 200, true), 1);
  for (index_t i = 0; i < 220; ++i)
    EXPECT_EQ(res.reject[i], res.p_adjusted(i) <= 0.05);
  for (Correction c : {Correction::none, Correction::bonferroni, Correction::holm}) {
    const auto one = multiple_z_tests(s, {.correction = c, .n_jobs = 1});
    for (int threads : {2, 3}) {
      const auto many = multiple_z_tests(s, {.correction = c, .n_jobs = threads});
      EXPECT_EQ(many.z, one.z);
      EXPECT_EQ(many.p_value, one.p_value);
      EXPECT_EQ(many.p_adjusted, one.p_adjusted);
      EXPECT_EQ(many.reject, one.reject);
    }
  }
  EXPECT_EQ(multiple_z_tests(RowMatrixD(0, 5)).z.size(), 0);
  // n = 1: z = (x - mu0) / sigma.
  const auto single = multiple_z_tests((RowMatrixD(1, 1) << 1.5).finished(), {.sigma = 0.5});
  EXPECT_DOUBLE_EQ(single.z(0), 3.0);
}

TEST(UtilsMultipleTesting, MatchesScipyReference) {
  const index_t rows = 300, n = 100;
  RowMatrixD s = normal_samples(rows, n, 0.1, 3);
  s.row(7) *= 8.0;  // large spread and a large shift: small p-values are exercised
  s.row(8).array() += 0.9;
  const double sigma = 1.5, mu0 = 0.05;
  VectorD z, p;
  z_test_rows(s, sigma, mu0, 2, z, p);
  test::TempDir dir;
  {
    std::ofstream in(dir / "in.txt");
    in.precision(17);
    in << rows << ' ' << n << ' ' << sigma << ' ' << mu0 << '\n';
    for (index_t r = 0; r < rows; ++r) {
      for (index_t c = 0; c < n; ++c)
        in << s(r, c) << ' ';
      in << '\n';
    }
    for (index_t r = 0; r < rows; ++r)
      in << z(r) << ' ';
    in << '\n';
  }
  STRIDER_RUN_REFERENCE("utils_ztest.py", "\"" + (dir / "in.txt").string() + "\" \"" +
                                              (dir / "out.txt").string() + "\"");
  std::ifstream out(dir / "out.txt");
  std::vector<VectorD> ref(5, VectorD(rows));
  for (auto& line : ref) {
    for (index_t r = 0; r < rows; ++r)
      ASSERT_TRUE(out >> line(r)) << "short reference output";
  }
  const VectorD b = bonferroni(p), h = holm(p);
  for (index_t r = 0; r < rows; ++r) {
    EXPECT_NEAR(z(r), ref[0](r), 1e-13 * std::max(1.0, std::abs(z(r)))) << r;
    // Same z: only erfc vs scipy's ndtr differ.
    EXPECT_NEAR(p(r), ref[1](r), 1e-14 * ref[1](r) + 1e-300) << r;
    // numpy's z: rounding of the mean is amplified by |z| in dp/p ~ z^2 dz/z.
    EXPECT_NEAR(p(r), ref[2](r), 1e-11 * ref[2](r) + 1e-300) << r;
    EXPECT_NEAR(b(r), ref[3](r), 1e-14 * ref[3](r) + 1e-300) << r;
    EXPECT_NEAR(h(r), ref[4](r), 1e-14 * ref[4](r) + 1e-300) << r;
  }
  EXPECT_LT(p(8), 1e-6);  // z ~ (1 - 0.05) 10 / 1.5 ~ 6.3
}

void expect_invalid(const std::function<void()>& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning '" << fragment << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(UtilsMultipleTesting, BadInputIsRejectedClearly) {
  RowMatrixD s = RowMatrixD::Zero(3, 4);
  VectorD z, p;
  expect_invalid([&] { z_test_rows(s, 0.0, 0.0, 1, z, p); }, "sigma = 0");
  expect_invalid([&] { z_test_rows(s, -1.0, 0.0, 1, z, p); }, "sigma = -1");
  expect_invalid([&] { z_test_rows(s, std::nan(""), 0.0, 1, z, p); }, "sigma = nan");
  expect_invalid([&] { z_test_rows(s, 1.0, std::nan(""), 1, z, p); }, "mu0 = nan");
  expect_invalid([&] { z_test_rows(s, 1.0, 0.0, 0, z, p); }, "n_jobs = 0");
  expect_invalid([&] { z_test_rows(RowMatrixD(2, 0), 1.0, 0.0, 1, z, p); }, "0 values");
  s(1, 2) = std::nan("");
  expect_invalid([&] { z_test_rows(s, 1.0, 0.0, 2, z, p); }, "samples(1, 2) = nan");
  s(1, 2) = std::numeric_limits<double>::infinity();
  expect_invalid([&] { multiple_z_tests(s); }, "samples(1, 2) = inf");
  for (double alpha : {0.0, 1.0, -0.1, std::nan("")}) {
    expect_invalid([&] { multiple_z_tests(RowMatrixD::Zero(2, 2), {.alpha = alpha}); }, "alpha");
  }
  expect_invalid([] { bonferroni(vec({0.1, 1.5})); }, "p(1) = 1.5");
  expect_invalid([] { holm(vec({std::nan(""), 0.5})); }, "p(0) = nan");
  expect_invalid([] { adjust_p_values(vec({-0.1}), Correction::none); }, "p(0) = -0.1");
}

}  // namespace
}  // namespace strider::utils
