#include "strider/utils/gradient_descent.hpp"

#include <gtest/gtest.h>

#include <Eigen/QR>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "strider/random.hpp"

namespace strider::utils {
namespace {

struct Data {
  RowMatrixD x;
  VectorD y;
};

/// y = x . beta + N(0, noise^2); column 0..p-2 uniform in [lo, hi), last column 1.
Data make_data(index_t n, const VectorD& beta, double lo, double hi, double noise,
               std::uint64_t seed) {
  Rng rng(seed);
  const index_t p = beta.size();
  Data d{RowMatrixD(n, p), VectorD(n)};
  for (index_t i = 0; i < n; ++i) {
    for (index_t k = 0; k + 1 < p; ++k)
      d.x(i, k) = rng.uniform(lo, hi);
    d.x(i, p - 1) = 1.0;
    d.y(i) = d.x.row(i).dot(beta) + noise * rng.normal();
  }
  return d;
}

/// Plain reference: the document's epoch loop written directly (single running sums).
GradientDescentResult reference_gd(const RowMatrixD& x, const VectorD& y, VectorD coef, double lr,
                                   index_t epochs) {
  const index_t n = x.rows();
  GradientDescentResult r;
  r.ssr.resize(epochs + 1);
  for (index_t e = 0; e <= epochs; ++e) {
    const VectorD err = y - x * coef;
    r.ssr(e) = err.squaredNorm();
    if (e < epochs) coef += lr * 2.0 / static_cast<double>(n) * (x.transpose() * err);
  }
  r.coef = coef;
  return r;
}

TEST(UtilsGradientDescent, ConvergesToTheClosedFormLeastSquaresSolution) {
  // Well conditioned: x ~ U[-1, 1] and an intercept, X^T X / n ~ diag(1/3, 1).
  const VectorD beta = (VectorD(3) << 2.0, -1.0, 5.0).finished();
  for (index_t n : {1000, 5000}) {  // one block, several blocks with a partial last one
    const Data d = make_data(n, beta, -1.0, 1.0, 0.05, 7);
    const VectorD exact = d.x.colPivHouseholderQr().solve(d.y);
    const double exact_ssr = (d.y - d.x * exact).squaredNorm();
    const auto fit = linear_regression_gd(d.x, d.y, {.learning_rate = 0.5, .epochs = 400});
    ASSERT_EQ(fit.ssr.size(), 401);
    EXPECT_LT((fit.coef - exact).cwiseAbs().maxCoeff(), 1e-10) << "n " << n;
    EXPECT_NEAR(fit.ssr(400), exact_ssr, 1e-10 * exact_ssr);
    EXPECT_NEAR(fit.ssr(400), (d.y - d.x * fit.coef).squaredNorm(), 1e-12 * exact_ssr);
    for (index_t e = 0; e < 400; ++e)
      ASSERT_LE(fit.ssr(e + 1), fit.ssr(e) * (1 + 1e-12)) << "SSR rose at epoch " << e;
  }
}

TEST(UtilsGradientDescent, MatchesThePlainEpochLoop) {
  const VectorD beta = (VectorD(2) << 2.0, 5.0).finished();
  const Data d = make_data(5000, beta, 0.0, 1.0, 0.05, 11);
  const VectorD start = (VectorD(2) << 0.5, 0.5).finished();
  const auto ref = reference_gd(d.x, d.y, start, 0.01, 25);
  const auto fit = linear_regression_gd(d.x, d.y, start, {.learning_rate = 0.01, .epochs = 25});
  for (index_t k = 0; k < 2; ++k)
    EXPECT_NEAR(fit.coef(k), ref.coef(k), 1e-13 * std::abs(ref.coef(k)));
  for (index_t e = 0; e <= 25; ++e)
    EXPECT_NEAR(fit.ssr(e), ref.ssr(e), 1e-12 * ref.ssr(e)) << "epoch " << e;
}

TEST(UtilsGradientDescent, ReproducesTheDocumentsCoefficients) {
  // The Numba tutorial prints b = (2.36, 4.80) after 1,000 epochs from (0.5, 0.5) on
  // y = 2 x + 5 + N(0, 0.05^2), x ~ U[0, 1]; that figure matches its learning rate 0.005
  // (0.01 gives (2.19, 4.90)). The iterate hardly depends on the sample at this n.
  const VectorD beta = (VectorD(2) << 2.0, 5.0).finished();
  const Data d = make_data(20000, beta, 0.0, 1.0, 0.05, 0);
  const VectorD start = (VectorD(2) << 0.5, 0.5).finished();
  const auto fit =
      linear_regression_gd(d.x, d.y, start, {.learning_rate = 0.005, .epochs = 1000, .n_jobs = 2});
  EXPECT_NEAR(fit.coef(0), 2.36, 0.02);
  EXPECT_NEAR(fit.coef(1), 4.80, 0.02);
}

TEST(UtilsGradientDescent, BitIdenticalForAnyThreadCount) {
  for (index_t p : {2, 6}) {  // a fixed-width kernel and the generic one
    VectorD beta = VectorD::LinSpaced(p, -1.0, 2.0);
    const Data d = make_data(3 * kGradientBlockRows + 123, beta, -1.0, 1.0, 0.1, 5);
    const GradientDescentParams params{.learning_rate = 0.1, .epochs = 30, .n_jobs = 1};
    const auto one = linear_regression_gd(d.x, d.y, params);
    for (int threads : {2, 3}) {
      GradientDescentParams pt = params;
      pt.n_jobs = threads;
      const auto many = linear_regression_gd(d.x, d.y, pt);
      EXPECT_EQ(many.coef, one.coef) << "p " << p << " threads " << threads;
      EXPECT_EQ(many.ssr, one.ssr) << "p " << p << " threads " << threads;
    }
  }
}

TEST(UtilsGradientDescent, GramPathGivesTheSameIterates) {
  const VectorD beta = (VectorD(3) << 2.0, -1.0, 5.0).finished();
  const Data d = make_data(3 * kGradientBlockRows + 77, beta, -1.0, 1.0, 0.05, 9);
  const VectorD start = (VectorD(3) << 0.5, 0.5, 0.5).finished();
  GradientDescentParams params{.learning_rate = 0.3, .epochs = 150, .n_jobs = 1};
  const auto streaming = linear_regression_gd(d.x, d.y, start, params);
  params.use_gram = true;
  const auto gram = linear_regression_gd(d.x, d.y, start, params);
  ASSERT_EQ(gram.ssr.size(), streaming.ssr.size());
  EXPECT_LT((gram.coef - streaming.coef).cwiseAbs().maxCoeff(), 1e-12);
  // SSR: y^T y ~ 2.6e5 and the final SSR ~ 65, so about 4 of 16 digits cancel.
  for (index_t e = 0; e <= 150; ++e)
    EXPECT_NEAR(gram.ssr(e), streaming.ssr(e), 1e-10 * streaming.ssr(e)) << "epoch " << e;
  for (int threads : {2, 3}) {
    params.n_jobs = threads;
    const auto many = linear_regression_gd(d.x, d.y, start, params);
    EXPECT_EQ(many.coef, gram.coef);
    EXPECT_EQ(many.ssr, gram.ssr);
  }
  // Divergence is caught on this path too.
  params.learning_rate = 50.0;
  EXPECT_THROW(linear_regression_gd(d.x, d.y, start, params), std::invalid_argument);
}

TEST(UtilsGradientDescent, EdgeCases) {
  // epochs = 0: the start and its SSR.
  const RowMatrixD x = (RowMatrixD(3, 1) << 1.0, 2.0, 3.0).finished();
  const VectorD y = (VectorD(3) << 2.0, 4.0, 6.0).finished();
  const auto none = linear_regression_gd(x, y, {.learning_rate = 0.1, .epochs = 0});
  EXPECT_EQ(none.coef, VectorD::Zero(1));
  ASSERT_EQ(none.ssr.size(), 1);
  EXPECT_DOUBLE_EQ(none.ssr(0), 4.0 + 16.0 + 36.0);
  // One column, no intercept: y = 2 x exactly; step 0.1 < n / lambda_max = 3 / 14.
  const auto fit = linear_regression_gd(x, y, {.learning_rate = 0.1, .epochs = 200});
  EXPECT_NEAR(fit.coef(0), 2.0, 1e-12);
  // A single observation.
  const RowMatrixD x1 = (RowMatrixD(1, 1) << 2.0).finished();
  const VectorD y1 = (VectorD(1) << 3.0).finished();
  EXPECT_NEAR(linear_regression_gd(x1, y1, {.learning_rate = 0.1, .epochs = 200}).coef(0), 1.5,
              1e-12);
  // A column-major matrix is accepted (Eigen::Ref makes a row-major copy).
  const ColMatrix<double> xc = x;
  EXPECT_EQ(linear_regression_gd(xc, y, {.learning_rate = 0.1, .epochs = 5}).coef,
            linear_regression_gd(x, y, {.learning_rate = 0.1, .epochs = 5}).coef);
}

void expect_invalid(const std::function<void()>& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning '" << fragment << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(UtilsGradientDescent, BadInputIsRejectedClearly) {
  const VectorD beta = (VectorD(2) << 1.0, 1.0).finished();
  const Data d = make_data(50, beta, -1.0, 1.0, 0.1, 1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  expect_invalid([&] { linear_regression_gd(d.x, d.y.head(49)); }, "x has 50 rows but y has 49");
  expect_invalid([&] { linear_regression_gd(RowMatrixD(0, 2), VectorD(0)); }, "no rows");
  expect_invalid([&] { linear_regression_gd(RowMatrixD(4, 0), VectorD(4)); }, "no columns");
  expect_invalid([&] { linear_regression_gd(d.x, d.y, VectorD::Zero(3)); },
                 "coef_init has 3 values but x has 2 columns");
  RowMatrixD xb = d.x;
  xb(7, 1) = nan;
  expect_invalid([&] { linear_regression_gd(xb, d.y); }, "x(7, 1) = nan");
  VectorD yb = d.y;
  yb(3) = inf;
  expect_invalid([&] { linear_regression_gd(d.x, yb); }, "y(3) = inf");
  for (double lr : {0.0, -0.1, nan, inf}) {
    expect_invalid([&] { linear_regression_gd(d.x, d.y, {.learning_rate = lr}); }, "learning_rate");
  }
  expect_invalid([&] { linear_regression_gd(d.x, d.y, {.epochs = -1}); }, "epochs = -1");
  expect_invalid([&] { linear_regression_gd(d.x, d.y, {.n_jobs = 0}); }, "n_jobs = 0");
  // lambda_max(X^T X) / n is about 1 here, so a step of 50 blows up within 1000 epochs.
  expect_invalid([&] { linear_regression_gd(d.x, d.y, {.learning_rate = 50.0, .epochs = 1000}); },
                 "diverged");
}

}  // namespace
}  // namespace strider::utils
