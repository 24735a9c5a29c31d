// RidgeCV, KernelRegressor, the regression metrics and the built-in regression dataset.

#include <gtest/gtest.h>

#include <Eigen/Cholesky>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "linear_test_support.hpp"
#include "strider/datasets/pulse_area.hpp"
#include "strider/error.hpp"
#include "strider/linear/ridge_cv.hpp"
#include "strider/metrics.hpp"
#include "strider/regressor.hpp"
#include "strider/serialization.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

namespace fs = std::filesystem;
using test::message_of;
using test::TempDir;

/// y = x beta + 3 + noise, with `targets` columns (target t uses beta scaled by t + 1).
struct LinearData {
  RowMatrixD x, y;
};
LinearData make_linear(index_t n, index_t f, index_t targets, std::uint64_t seed,
                       double noise = 0.5) {
  Rng rng(seed);
  LinearData d{RowMatrixD(n, f), RowMatrixD(n, targets)};
  VectorD beta(f);
  for (index_t j = 0; j < f; ++j)
    beta(j) = rng.normal();
  for (index_t i = 0; i < n; ++i)
    for (index_t j = 0; j < f; ++j)
      d.x(i, j) = 2.0 * rng.normal() + 1.0;
  for (index_t t = 0; t < targets; ++t)
    for (index_t i = 0; i < n; ++i)
      d.y(i, t) = static_cast<double>(t + 1) * d.x.row(i).dot(beta) + 3.0 + noise * rng.normal();
  return d;
}

/// Mean squared leave-one-out error of `alpha` by refitting a closed-form ridge (centred,
/// unpenalised intercept) without each sample in turn: the independent reference.
double brute_force_loo_mse(const RowMatrixD& x, const RowMatrixD& y, double alpha) {
  const index_t n = x.rows(), f = x.cols();
  double sum = 0.0;
  for (index_t i = 0; i < n; ++i) {
    RowMatrixD xs(n - 1, f), ys(n - 1, y.cols());
    for (index_t r = 0, k = 0; r < n; ++r) {
      if (r == i) continue;
      xs.row(k) = x.row(r);
      ys.row(k++) = y.row(r);
    }
    const Eigen::RowVectorXd xm = xs.colwise().mean(), ym = ys.colwise().mean();
    const RowMatrixD xc = xs.rowwise() - xm, yc = ys.rowwise() - ym;
    const Eigen::MatrixXd a = xc.transpose() * xc + alpha * Eigen::MatrixXd::Identity(f, f);
    const Eigen::MatrixXd beta = a.ldlt().solve(xc.transpose() * yc);
    const Eigen::RowVectorXd pred = (x.row(i) - xm) * beta + ym;
    sum += (y.row(i) - pred).squaredNorm();
  }
  return sum / static_cast<double>(n * y.cols());
}

TEST(RidgeCV, LeaveOneOutErrorEqualsRefitsInBothModes) {
  // n > f: covariance mode; n < f: Gram mode.
  for (const auto& [n, f] : {std::pair<index_t, index_t>{40, 12}, {15, 30}}) {
    const LinearData d = make_linear(n, f, 2, static_cast<std::uint64_t>(n));
    RidgeCV r(RidgeCVParams{.alphas = {0.01, 1.0, 30.0, 1000.0}});
    r.fit<double>(d.x, d.y);
    for (std::size_t a = 0; a < r.params().alphas.size(); ++a) {
      const double want = brute_force_loo_mse(d.x, d.y, r.params().alphas[a]);
      EXPECT_NEAR(r.cv_mse()(static_cast<index_t>(a)), want, 1e-9 * want) << n << " x " << f;
    }
    index_t best = 0;
    r.cv_mse().minCoeff(&best);
    EXPECT_EQ(r.alpha(), r.params().alphas[static_cast<std::size_t>(best)]);
    EXPECT_DOUBLE_EQ(r.best_score(), -r.cv_mse()(best));
  }
}

TEST(RidgeCV, FitsALinearModelAndScoresIt) {
  const LinearData train = make_linear(200, 10, 1, 1, 0.1), test = make_linear(100, 10, 1, 1, 0.1);
  RidgeCV r;
  r.fit<double>(train.x, train.y);
  EXPECT_EQ(r.n_targets(), 1);
  EXPECT_EQ(r.n_features(), 10);
  // Same seed: same beta, so the test set follows the same model.
  EXPECT_GT(r.score<double>(train.x, train.y), 0.99);
  const RowMatrixD pred = r.predict<double>(train.x);
  EXPECT_NEAR(mean_squared_error(train.y, pred), 0.01, 0.005);
  // Without an intercept the model cannot absorb the offset of 3.
  RidgeCV no_intercept(RidgeCVParams{.fit_intercept = false});
  no_intercept.fit<double>(train.x, train.y);
  EXPECT_TRUE(no_intercept.intercept().isZero(0.0));
  EXPECT_LT(no_intercept.score<double>(train.x, train.y), r.score<double>(train.x, train.y));
}

TEST(RidgeCV, IdenticalTargetColumnsGiveIdenticalPredictions) {
  const LinearData d = make_linear(30, 50, 1, 3);
  RowMatrixD y2(30, 2);
  y2 << d.y, d.y;
  RidgeCV one, two;
  one.fit<double>(d.x, d.y);
  two.fit<double>(d.x, y2);
  EXPECT_EQ(one.alpha(), two.alpha());
  const RowMatrixD p1 = one.predict<double>(d.x), p2 = two.predict<double>(d.x);
  EXPECT_LT((p2.col(0) - p1.col(0)).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((p2.col(1) - p1.col(0)).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(RidgeCV, ResultsDoNotDependOnTheThreadCount) {
  // Large enough (400 x 400) that every parallel loop of the fit and predict runs on
  // several threads; n < f and n > f for both solver modes.
  for (const auto& [n, f] : {std::pair<index_t, index_t>{400, 420}, {600, 400}}) {
    const LinearData d = make_linear(n, f, 2, 4);
    RidgeCV a(RidgeCVParams{.n_jobs = 1}), b(RidgeCVParams{.n_jobs = 3});
    a.fit<double>(d.x, d.y);
    b.fit<double>(d.x, d.y);
    EXPECT_EQ(a.coef(), b.coef());
    EXPECT_EQ(a.intercept(), b.intercept());
    EXPECT_EQ(a.predict<double>(d.x), b.predict<double>(d.x));
  }
}

TEST(RidgeCV, RefusesBadInputByName) {
  const LinearData d = make_linear(20, 5, 1, 5);
  RidgeCV r;
  EXPECT_THROW(r.predict<double>(d.x), NotFittedError);
  RowMatrixD y = d.y;
  y(7, 0) = std::nan("");
  EXPECT_NE(message_of([&] { r.fit<double>(d.x, y); }).find("y(7, 0) is nan"), std::string::npos);
  EXPECT_NE(message_of([&] { r.fit<double>(d.x, d.y.topRows(10)); }).find("20 samples"),
            std::string::npos);
  r.fit<double>(d.x, d.y);
  EXPECT_NE(message_of([&] { r.predict<double>(d.x.leftCols(4)); }).find("4 features"),
            std::string::npos);
  EXPECT_THROW(RidgeCV(RidgeCVParams{.alphas = {1.0, -1.0}}), std::invalid_argument);
  // One sample leaves nothing to fit when it is left out (with or without an intercept).
  for (bool intercept : {true, false}) {
    RidgeCV one(RidgeCVParams{.fit_intercept = intercept});
    EXPECT_NE(message_of([&] {
                one.fit<double>(d.x.topRows(1), d.y.topRows(1));
              }).find("x has 1 sample of 5 features; leave-one-out needs at least 2"),
              std::string::npos);
    one.fit<double>(d.x.topRows(2), d.y.topRows(2));  // two are enough
    EXPECT_TRUE(one.predict<double>(d.x).allFinite());
  }
}

TEST(RidgeCV, RoundTripsAndRefusesInconsistentFiles) {
  const LinearData d = make_linear(25, 8, 2, 6);
  RidgeCV r;
  r.fit<double>(d.x, d.y);
  TempDir dir;
  for (const char* name : {"r.json", "r.strider"}) {
    save(r, dir / name);
    const RidgeCV back = load<RidgeCV>(dir / name);
    EXPECT_EQ(back.predict<double>(d.x), r.predict<double>(d.x));
    EXPECT_EQ(back.alpha(), r.alpha());
  }
  // A coefficient matrix of the wrong width, and an alpha not on the grid.
  std::string json = test::read_file(dir / "r.json");
  std::string bad = json;
  bad.replace(bad.find("\"n_features_in_\": 8"), 19, "\"n_features_in_\": 9");
  test::write_file(dir / "bad.json", bad);
  EXPECT_NE(message_of([&] { load<RidgeCV>(dir / "bad.json"); }).find("coef_ is 2 x 8"),
            std::string::npos);
  EXPECT_THROW(load<KernelRegressor>(dir / "r.json"), FormatError);
}

TEST(RegressionMetrics, MatchScikitLearnDefinitions) {
  RowMatrixD truth(4, 2), pred(4, 2);
  truth << 3, 1, -0.5, 1, 2, 1, 7, 1;
  pred << 2.5, 1, 0.0, 1, 2, 1, 8, 1;
  // Column 0: sklearn's r2_score([3, -0.5, 2, 7], [2.5, 0, 2, 8]) = 0.9486081370449679;
  // column 1 is constant and exactly predicted: 1.
  EXPECT_NEAR(r2_score(truth, pred), (0.9486081370449679 + 1.0) / 2.0, 1e-15);
  EXPECT_NEAR(mean_squared_error(truth.leftCols(1), pred.leftCols(1)), 0.375, 1e-15);
  EXPECT_NEAR(mean_absolute_error(truth.leftCols(1), pred.leftCols(1)), 0.5, 1e-15);
  pred(0, 1) = 2;  // a constant target predicted wrongly scores 0
  EXPECT_NEAR(r2_score(truth, pred), 0.9486081370449679 / 2.0, 1e-15);
  EXPECT_THROW(r2_score(truth, pred.leftCols(1)), std::invalid_argument);
  pred(1, 0) = std::nan("");
  EXPECT_THROW(r2_score(truth, pred), std::invalid_argument);
}

TEST(PulseArea, IsReproducibleAndItsTargetsAreTheAreas) {
  const TrainTest a = datasets::load_pulse_area({.n_train = 20, .n_test = 10, .length = 96});
  const TrainTest b = datasets::load_pulse_area({.n_train = 20, .n_test = 10, .length = 96});
  EXPECT_EQ(a.train.labels(), b.train.labels());
  EXPECT_EQ(a.train.n_series(), 20);
  EXPECT_EQ(a.test.n_series(), 10);
  EXPECT_NE(a.train.labels()[0], a.test.labels()[0]);
  // Without noise and sine, the sum of a series is its pulse's area (up to the tails
  // beyond the ends, negligible with the centre at least 0.2 L from them).
  const Panel clean = datasets::make_pulse_area(50, 256, 0.0, 7);
  const std::vector<double> y = targets_from_labels(clean);
  for (index_t i = 0; i < clean.n_series(); ++i) {
    EXPECT_GT(y[static_cast<std::size_t>(i)], 0.0);
    EXPECT_LT(y[static_cast<std::size_t>(i)], 5.0 * 16.0 * std::sqrt(2.0 * std::numbers::pi));
  }
  EXPECT_THROW(datasets::make_pulse_area(5, 8, 0.3, 0), std::invalid_argument);
  EXPECT_THROW(datasets::make_pulse_area(5, 64, -1.0, 0), std::invalid_argument);
}

TEST(TargetsFromLabels, ReadsNumbersAndNamesTheFirstBadSeries) {
  Panel::Tensor x = Panel::Tensor::from_shape({3, 1, 4});
  x.fill(0.0);
  Panel ok(x, {4, 4, 4}, {"1.5", "-2e3", " 7\t"});
  EXPECT_EQ(targets_from_labels(ok), (std::vector<double>{1.5, -2000.0, 7.0}));
  Panel bad(x, {4, 4, 4}, {"1.5", "abc", "7"});
  EXPECT_NE(message_of([&] { targets_from_labels(bad); }).find("series 1: target 'abc'"),
            std::string::npos);
  for (const char* text : {"inf", "nan", "1e999", "1e60", "0x1p3", "1,5", ""}) {
    Panel p(x, {4, 4, 4}, {"1", text, "2"});
    EXPECT_THROW(targets_from_labels(p), std::invalid_argument) << text;
  }
  Panel none(x, {4, 4, 4});
  EXPECT_THROW(targets_from_labels(none), std::invalid_argument);
}

KernelRegressorParams small_params(int n_jobs = 1) {
  KernelRegressorParams p;
  p.transform.n_kernels = 300;
  p.transform.random_state = 3;
  p.set_n_jobs(n_jobs);
  return p;
}

TEST(KernelRegressor, LearnsThePulseArea) {
  const TrainTest data = datasets::load_pulse_area({.n_train = 200, .n_test = 200});
  KernelRegressor reg(small_params());
  reg.fit(data.train);
  EXPECT_EQ(reg.n_targets(), 1);
  const double r2 = reg.score(data.test);
  EXPECT_GT(r2, 0.8);
  // The mean predictor scores about 0: the fit is far better than that.
  const std::vector<double> y = targets_from_labels(data.test);
  const RowMatrixD pred = reg.predict(data.test);
  EXPECT_NEAR(r2_score(Eigen::Map<const RowMatrixD>(y.data(), 200, 1), pred), r2, 1e-15);
  // The area lives in the raw amplitude: the variant kept is the input as given.
  EXPECT_FALSE(reg.transform().params().normalize_input);
}

TEST(KernelRegressor, SameModelForAnyThreadCountAndAfterARoundTrip) {
  const TrainTest data = datasets::load_pulse_area({.n_train = 60, .n_test = 30});
  KernelRegressor one(small_params(1)), three(small_params(3));
  one.fit(data.train);
  three.fit(data.train);
  const RowMatrixD p1 = one.predict(data.test);
  EXPECT_EQ(p1, three.predict(data.test));
  EXPECT_EQ(one.ridge().coef(), three.ridge().coef());
  TempDir dir;
  for (const char* name : {"reg.json", "reg.strider"}) {
    save(one, dir / name);
    const KernelRegressor back = load<KernelRegressor>(dir / name);
    EXPECT_EQ(back.predict(data.test), p1);
    EXPECT_EQ(back.params(), one.params());
    EXPECT_THROW(load<KernelClassifier>(dir / name), FormatError);
  }
}

TEST(KernelRegressor, MultiOutputEqualsSeparateFitsWithTheSameAlpha) {
  const TrainTest data = datasets::load_pulse_area({.n_train = 50, .n_test = 20});
  const std::vector<double> y = targets_from_labels(data.train);
  RowMatrixD y2(50, 2);
  for (index_t i = 0; i < 50; ++i) {
    y2(i, 0) = y[static_cast<std::size_t>(i)];
    y2(i, 1) = -y[static_cast<std::size_t>(i)];
  }
  KernelRegressor single(small_params()), multi(small_params());
  single.fit(data.train, y);
  multi.fit(data.train, y2);
  EXPECT_EQ(multi.n_targets(), 2);
  EXPECT_EQ(multi.ridge().alpha(), single.ridge().alpha());
  const RowMatrixD ps = single.predict(data.test), pm = multi.predict(data.test);
  EXPECT_LT((pm.col(0) - ps.col(0)).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((pm.col(1) + ps.col(0)).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(KernelRegressor, CraftedModelFilesAreRefusedOrCannotPredictGarbage) {
  const fs::path golden = fs::path(STRIDER_TESTS_DATA_DIR) / "golden_regressor_v1.json";
  const std::string good = test::read_file(golden);
  TempDir dir;
  // The file with the value that follows `key` (after `anchor`) replaced by `to`.
  auto with = [&](const std::string& anchor, const std::string& key, const std::string& to) {
    std::string text = good;
    const auto at = text.find(key, text.find(anchor));
    EXPECT_NE(at, std::string::npos) << key;
    if (at == std::string::npos) return dir / "missing.json";
    const auto start = text.find_first_of("-0123456789", at + key.size());
    const auto end = text.find_first_of(",]\n", start);
    text.replace(start, end - start, to);
    test::write_file(dir / "m.json", text);
    return dir / "m.json";
  };
  // The stages disagree on the feature count; alpha off the grid; a negative CV error.
  EXPECT_NE(message_of([&] {
              load<KernelRegressor>(with("\"ridge\"", "\"n_features_in_\":", "119"));
            }).find("coef_ is 1 x 120"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              load<KernelRegressor>(with("\"alpha_\"", "\"alpha_\":", "30.0"));
            }).find("is not one of the alphas"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              load<KernelRegressor>(with("\"cv_mse_\"", "\"data\": [", "-5.0"));
            }).find("invalid cv_mse_ entry"),
            std::string::npos);
  // Finite but huge coefficients load (they are numbers a model could hold), and a
  // prediction that overflows is refused rather than returned.
  const std::size_t at = good.find("\"data\": [", good.find("\"coef_\""));
  const std::size_t end = good.find(']', at);
  std::string huge = good.substr(0, at) + "\"data\": [";
  for (int j = 0; j < 120; ++j)
    huge += (j ? ", " : "") + std::string("1e308");
  huge += good.substr(end);
  test::write_file(dir / "huge.json", huge);
  const KernelRegressor overflow = load<KernelRegressor>(dir / "huge.json");
  const Panel x = datasets::make_pulse_area(3, 64, 0.3, 1);
  EXPECT_NE(message_of([&] { (void)overflow.predict(x); }).find("a prediction overflowed"),
            std::string::npos);
}

TEST(KernelRegressor, RefusesBadTargetsAndUnfittedUse) {
  const TrainTest data = datasets::load_pulse_area({.n_train = 10, .n_test = 5});
  KernelRegressor reg(small_params());
  EXPECT_THROW(reg.predict(data.test), NotFittedError);
  std::vector<double> y = targets_from_labels(data.train);
  y[4] = std::numeric_limits<double>::infinity();
  EXPECT_NE(message_of([&] { reg.fit(data.train, y); }).find("target of series 4 is inf"),
            std::string::npos);
  y.pop_back();
  EXPECT_NE(message_of([&] { reg.fit(data.train, y); }).find("9 x 1 for 10 series"),
            std::string::npos);
  EXPECT_FALSE(reg.is_fitted());
  KernelRegressorParams p = small_params();
  p.feature_weights = {0.0, 0.0, 0.0};
  EXPECT_THROW(KernelRegressor{p}, std::invalid_argument);
}

}  // namespace
}  // namespace strider
