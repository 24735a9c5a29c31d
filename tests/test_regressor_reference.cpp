// Cross-check of RidgeCV, and of KernelRegressor's ridge on strider's own features, against
// scikit-learn's RidgeCV (the independent reference tests/reference/ridge_cv_reference.py).
// Skipped with a message when python3-numpy / python3-sklearn are missing.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "linear_test_support.hpp"
#include "strider/datasets/pulse_area.hpp"
#include "strider/linear/ridge_cv.hpp"
#include "strider/regressor.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

namespace fs = std::filesystem;

struct RegressionCase {
  std::string name;
  RowMatrixD x, y;
  RidgeCVParams params;
  bool single = false;  // written and fitted as float32
};

RowMatrixD random_matrix(index_t n, index_t f, Rng& rng) {
  RowMatrixD m(n, f);
  for (index_t i = 0; i < n; ++i)
    for (index_t j = 0; j < f; ++j)
      m(i, j) = rng.normal();
  return m;
}

/// y = x beta + noise, n_targets columns, with a non-zero mean.
RegressionCase linear_case(const std::string& name, index_t n, index_t f, index_t targets,
                           std::uint64_t seed, RidgeCVParams params = {}) {
  Rng rng(seed);
  RegressionCase c{name, random_matrix(n, f, rng), {}, std::move(params)};
  const RowMatrixD beta = random_matrix(f, targets, rng);
  c.y = c.x * beta + 0.5 * random_matrix(n, targets, rng);
  c.y.array() += 4.0;
  return c;
}

double max_rel(const RowMatrixD& a, const RowMatrixD& b, double floor = 0.0) {
  const double scale = std::max(b.cwiseAbs().maxCoeff(), floor);
  return (a - b).cwiseAbs().maxCoeff() / scale;
}

std::string json_double(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

TEST(RegressorReference, RidgeCVMatchesScikitLearnRidgeCV) {
  std::vector<RegressionCase> cases;
  cases.push_back(linear_case("wide_two_targets", 40, 300, 2, 1));
  cases.push_back(linear_case("tall", 500, 40, 1, 2));
  cases.push_back(linear_case("wide_no_intercept", 30, 80, 1, 3, {.fit_intercept = false}));
  cases.push_back(
      linear_case("tall_three_targets", 300, 60, 3, 4, {.alphas = logspace_alphas(-2, 4, 13)}));
  RegressionCase f32 = linear_case("wide_float32", 50, 120, 1, 5);
  f32.single = true;
  cases.push_back(f32);
  // strider's own features: KernelRegressor's scaled features of the pulse-area set,
  // 600 series of length 150, with more features than series (Gram mode) and fewer
  // (covariance mode). (bench/sklearn_regression_timing.py checks the alpha at 1,500
  // series and 30,000 features.)
  const Panel train = datasets::make_pulse_area(600, 150, 0.3, 11);
  const std::vector<double> y = targets_from_labels(train);
  const RowMatrixD ycol = Eigen::Map<const RowMatrixD>(y.data(), 600, 1);
  for (const auto& [name, kernels] :
       {std::pair<const char*, index_t>{"pulse_area_gram", 1000}, {"pulse_area_cov", 150}}) {
    KernelRegressorParams p;
    p.transform.n_kernels = kernels;
    p.choose_normalization = false;
    p.transform.normalize_input = false;
    p.set_n_jobs(-1);
    KernelRegressor reg(p);
    reg.fit(train, y);
    cases.push_back({name, reg.features<double>(train), ycol, reg.ridge().params()});
  }

  test::TempDir dir;
  std::string json = "[";
  for (const RegressionCase& c : cases) {
    if (c.single) {
      test::write_matrix<float>(dir / (c.name + ".x.bin"), c.x);
    } else {
      test::write_matrix<double>(dir / (c.name + ".x.bin"), c.x);
    }
    test::write_matrix<double>(dir / (c.name + ".y.bin"), c.y);
    std::string alphas;
    for (double a : c.params.alphas)
      alphas += (alphas.empty() ? "" : ", ") + json_double(a);
    json += std::string(json.size() > 1 ? ",\n" : "") + "{\"name\": \"" + c.name +
            "\", \"n\": " + std::to_string(c.x.rows()) + ", \"f\": " + std::to_string(c.x.cols()) +
            ", \"n_targets\": " + std::to_string(c.y.cols()) + ", \"dtype\": \"" +
            (c.single ? "float32" : "float64") +
            "\", \"fit_intercept\": " + (c.params.fit_intercept ? "true" : "false") +
            ", \"alphas\": [" + alphas + "]}";
  }
  test::write_file(dir / "cases.json", json + "]");
  STRIDER_RUN_REFERENCE("ridge_cv_reference.py", dir.path().string());

  for (const RegressionCase& c : cases) {
    SCOPED_TRACE(c.name + " (" + std::to_string(c.x.rows()) + " x " + std::to_string(c.x.cols()) +
                 ")");
    RidgeCV m(c.params);
    RowMatrixD pred;
    if (c.single) {
      const RowMatrixF xf = c.x.cast<float>();
      m.fit<float>(xf, c.y);
      pred = m.predict<float>(xf);
    } else {
      m.fit<double>(c.x, c.y);
      pred = m.predict<double>(c.x);
    }
    const index_t n = c.x.rows(), f = c.x.cols(), nt = c.y.cols();
    const auto p = [&](const char* suffix) { return dir / (c.name + suffix); };
    double alpha = 0, best = 0;
    std::ifstream scalars(p(".scalars.txt"));
    for (std::string key; scalars >> key;)
      scalars >> (key == "alpha_" ? alpha : best);
    EXPECT_EQ(m.alpha(), alpha);
    EXPECT_LE(std::abs(m.best_score() - best), 1e-6 * std::abs(best));
    const RowMatrixD mse =
        test::read_matrix<double>(p(".cvmse.bin"), 1, static_cast<index_t>(c.params.alphas.size()));
    EXPECT_LE(max_rel(m.cv_mse().transpose(), mse), 1e-6);
    EXPECT_LE(max_rel(m.coef(), test::read_matrix<double>(p(".coef.bin"), nt, f)), 1e-6);
    EXPECT_LE(max_rel(m.intercept().transpose(),
                      test::read_matrix<double>(p(".intercept.bin"), 1, nt), 1e-3),
              1e-6);
    // The target of the cross-check: predictions within 1e-6 relative.
    EXPECT_LE(max_rel(pred, test::read_matrix<double>(p(".pred.bin"), n, nt)), 1e-6);
    std::ifstream seconds(p(".seconds.txt"));
    double sk = 0.0;
    seconds >> sk;
    std::cout << "ridge_cv_reference: " << c.name << " " << n << " x " << f << " x " << nt
              << ": alpha " << m.alpha() << " as scikit-learn; its fit " << sk << " s\n";
  }
}

}  // namespace
}  // namespace strider
