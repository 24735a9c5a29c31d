#include "strider/utils/normal_pdf.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "strider/random.hpp"
#include "strider/utils/detail/vec_exp.hpp"
#include "test_support.hpp"

namespace strider::utils {
namespace {

/// Distance in units in the last place between two finite doubles of the same sign.
std::int64_t ulp_distance(double a, double b) {
  return std::abs(std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b));
}

TEST(UtilsNormalPdf, VectorizableExpIsWithinTwoUlpOfStdExp) {
  std::int64_t worst = 0;
  double worst_at = 0.0;
  for (double t = -745.0; t <= 709.0; t += 0.0137) {
    const double ours = detail::exp_vectorizable(t);
    const double ref = std::exp(t);
    // Subnormal results carry fewer bits: compare those absolutely (half the smallest step).
    if (ref < std::numeric_limits<double>::min()) {
      EXPECT_LE(std::abs(ours - ref), std::numeric_limits<double>::denorm_min()) << t;
      continue;
    }
    const std::int64_t d = ulp_distance(ours, ref);
    if (d > worst) {
      worst = d;
      worst_at = t;
    }
  }
  EXPECT_LE(worst, 2) << "worst at t = " << worst_at;
  // Small arguments, where 1 + t matters.
  for (double t : {0.0, -0.0, 1e-300, -1e-300, 1e-17, -1e-10, 0.3465, -0.3466, 1.0, -1.0}) {
    EXPECT_LE(ulp_distance(detail::exp_vectorizable(t), std::exp(t)), 1) << t;
  }
  EXPECT_EQ(detail::exp_vectorizable(-746.0), 0.0);
  EXPECT_EQ(detail::exp_vectorizable(-1e308), 0.0);
  EXPECT_EQ(detail::exp_vectorizable(-std::numeric_limits<double>::infinity()), 0.0);
  EXPECT_EQ(detail::exp_vectorizable(710.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(detail::exp_vectorizable(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(detail::exp_vectorizable(std::nan(""))));
  EXPECT_EQ(detail::exp_vectorizable(0.0), 1.0);
}

TEST(UtilsNormalPdf, ClosedFormValues) {
  const double mu = 1.5, sigma = 0.25;
  const double peak = 1.0 / (sigma * std::sqrt(2.0 * std::numbers::pi));
  VectorD x(6);
  x << mu, mu + sigma, mu - sigma, mu + 2 * sigma, mu + 1e6,
      -std::numeric_limits<double>::infinity();
  const VectorD p = normal_pdf(x, mu, sigma);
  EXPECT_NEAR(p(0), peak, 1e-15 * peak);
  EXPECT_NEAR(p(1), peak * std::exp(-0.5), 1e-15 * peak);
  EXPECT_EQ(p(1), p(2));  // symmetric about mu
  EXPECT_NEAR(p(3), peak * std::exp(-2.0), 1e-15 * peak);
  EXPECT_EQ(p(4), 0.0);
  EXPECT_EQ(p(5), 0.0);
  // The density integrates to 1 (trapezoid rule on mu +- 10 sigma).
  const index_t n = 20001;
  const VectorD grid = VectorD::LinSpaced(n, mu - 10 * sigma, mu + 10 * sigma);
  const VectorD g = normal_pdf(grid, mu, sigma);
  const double h = 20 * sigma / static_cast<double>(n - 1);
  EXPECT_NEAR(h * (g.sum() - 0.5 * (g(0) + g(n - 1))), 1.0, 1e-12);
  // NaN propagates, as in scipy.
  EXPECT_TRUE(std::isnan(normal_pdf((VectorD(1) << std::nan("")).finished())(0)));
  EXPECT_EQ(normal_pdf(VectorD(0)).size(), 0);
}

TEST(UtilsNormalPdf, InPlaceAndThreadCountGiveTheSameValues) {
  Rng rng(2);
  VectorD x(100000 + 17);  // several chunks and a partial one
  for (index_t i = 0; i < x.size(); ++i)
    x(i) = rng.normal(0.0, 3.0);
  const VectorD one = normal_pdf(x, 0.5, 2.0, 1);
  for (int threads : {2, 3})
    EXPECT_EQ(normal_pdf(x, 0.5, 2.0, threads), one);
  VectorD y = x;
  normal_pdf(y, 0.5, 2.0, y, 2);
  EXPECT_EQ(y, one);
  // The plain scalar formula with std::exp agrees to a few ulp (1e-15 relative is 4.5 ulp
  // at worst).
  for (index_t i = 0; i < x.size(); i += 101) {
    const double z = (x(i) - 0.5) / 2.0;
    const double plain = std::exp(-z * z / 2.0) / std::sqrt(2.0 * std::numbers::pi) / 2.0;
    EXPECT_NEAR(one(i), plain, 1e-15 * plain) << x(i);
  }
}

TEST(UtilsNormalPdf, MatchesScipyReference) {
  const double mu = -0.75, sigma = 1.3;
  VectorD x(2000 + 5);
  Rng rng(5);
  for (index_t i = 0; i < 2000; ++i)  // |y| up to 40: far tails, subnormal and zero results
    x(i) = mu + sigma * (i < 1000 ? rng.normal() * 3.0 : rng.uniform(-40.0, 40.0));
  x.tail(5) << mu, std::nan(""), std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), mu + 1e-300;
  const VectorD ours = normal_pdf(x, mu, sigma, 2);
  test::TempDir dir;
  {
    std::ofstream in(dir / "in.txt");
    in.precision(17);
    in << mu << ' ' << sigma << '\n';
    for (index_t i = 0; i < x.size(); ++i)
      in << x(i) << '\n';
  }
  STRIDER_RUN_REFERENCE("utils_normal_pdf.py", "\"" + (dir / "in.txt").string() + "\" \"" +
                                                   (dir / "out.txt").string() + "\"");
  std::ifstream out(dir / "out.txt");
  std::string token;
  for (index_t i = 0; i < x.size(); ++i) {
    ASSERT_TRUE(out >> token) << "short reference output";
    const double ref = std::strtod(token.c_str(), nullptr);  // stod throws on subnormals
    if (std::isnan(ref)) {
      EXPECT_TRUE(std::isnan(ours(i))) << "x = " << x(i);
      continue;
    }
    // Relative 1e-14; below the normal range scipy and we round to the same few bits.
    EXPECT_NEAR(ours(i), ref, 1e-14 * ref + 2 * std::numeric_limits<double>::denorm_min())
        << "x = " << x(i);
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

TEST(UtilsNormalPdf, BadParametersAreRejected) {
  const VectorD x = VectorD::Zero(4);
  expect_invalid([&] { normal_pdf(x, 0.0, 0.0); }, "sigma = 0");
  expect_invalid([&] { normal_pdf(x, 0.0, -2.0); }, "sigma = -2");
  expect_invalid([&] { normal_pdf(x, 0.0, std::numeric_limits<double>::infinity()); },
                 "sigma = inf");
  expect_invalid([&] { normal_pdf(x, std::nan(""), 1.0); }, "mu = nan");
  expect_invalid([&] { normal_pdf(x, 0.0, 1.0, 0); }, "n_jobs = 0");
  VectorD out(3);
  expect_invalid([&] { normal_pdf(x, 0.0, 1.0, out); }, "out has 3 values but x has 4");
}

}  // namespace
}  // namespace strider::utils
