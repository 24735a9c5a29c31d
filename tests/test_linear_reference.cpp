// Cross-check of StandardScaler and RidgeClassifierCV against scikit-learn (the
// independent references tests/reference/scaler_reference.py and ridge_reference.py).
// Skipped with a message when python3-numpy / python3-sklearn are missing.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "linear_test_support.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

namespace fs = std::filesystem;
using test::LabelledData;

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string json_double(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

// max |a - b| / max(max |b|, floor): a norm-wise relative difference.
template <class A, class B>
double max_rel(const A& a, const B& b, double floor = 0.0) {
  const double scale = std::max(b.cwiseAbs().maxCoeff(), floor);
  return (a - b).cwiseAbs().maxCoeff() / scale;
}

// ---- StandardScaler -------------------------------------------------------------------

struct ScalerCase {
  std::string name;
  RowMatrixD x;
  bool single = false;  // write and fit as float32
  bool with_mean = true, with_std = true;
};

TEST(LinearReference, StandardScalerMatchesScikitLearn) {
  std::vector<ScalerCase> cases;
  {
    Rng rng(11);
    RowMatrixD x(120, 40);
    for (index_t j = 0; j < 40; ++j) {
      const double mu = rng.uniform(-1e3, 1e3), sd = std::pow(10.0, rng.uniform(-3.0, 3.0));
      for (index_t i = 0; i < 120; ++i)
        x(i, j) = mu + sd * rng.normal();
    }
    x.col(5).setConstant(0.1);  // constant: scale 1
    x.col(9).setZero();
    cases.push_back({"random", x});
    cases.push_back({"random_f32", x, true});
    cases.push_back({"no_mean", x, false, false, true});
    cases.push_back({"no_std", x, false, true, false});
    cases.push_back({"neither", x, false, false, false});
    cases.push_back({"one_row", x.topRows(1)});
  }
  const fs::path ucr = test::shared_datasets() / "ucr";
  for (const char* name : {"Coffee", "ItalyPowerDemand"}) {
    const fs::path file = ucr / name / (std::string(name) + "_TRAIN.tsv");
    if (!fs::exists(file)) continue;
    const RowMatrixD x = test::simple_series_features(test::read_ucr_tsv(file).x);
    cases.push_back({std::string(name), x});
    cases.push_back({std::string(name) + "_f32", x, true});
  }

  test::TempDir dir;
  std::string json = "[";
  for (const ScalerCase& c : cases) {
    if (c.single)
      test::write_matrix<float>(dir / (c.name + ".x.bin"), c.x);
    else
      test::write_matrix<double>(dir / (c.name + ".x.bin"), c.x);
    json += std::string(json.size() > 1 ? "," : "") + "{\"name\": " + json_string(c.name) +
            ", \"n\": " + std::to_string(c.x.rows()) + ", \"f\": " + std::to_string(c.x.cols()) +
            ", \"dtype\": \"" + (c.single ? "float32" : "float64") +
            "\", \"with_mean\": " + (c.with_mean ? "true" : "false") +
            ", \"with_std\": " + (c.with_std ? "true" : "false") + "}";
  }
  test::write_file(dir / "cases.json", json + "]");
  STRIDER_RUN_REFERENCE("scaler_reference.py", dir.path().string());

  for (const ScalerCase& c : cases) {
    SCOPED_TRACE(c.name);
    const index_t n = c.x.rows(), f = c.x.cols();
    StandardScaler s({c.with_mean, c.with_std, 2});
    auto ours = [&](const char* attr) -> const VectorD& {
      return std::string(attr) == "mean" ? s.mean()
                                         : (std::string(attr) == "var" ? s.var() : s.scale());
    };
    if (c.single) {
      const RowMatrixF xf = c.x.cast<float>();
      s.fit<float>(xf);
      const RowMatrixF z = s.transform<float>(xf);
      const RowMatrixF zr = test::read_matrix<float>(dir / (c.name + ".z.bin"), n, f);
      EXPECT_LE(max_rel(z.cast<double>(), zr.cast<double>(), 1.0), 1e-6);
      EXPECT_GT((z.array() == zr.array()).cast<double>().mean(), 0.999)
          << "float32 transforms should agree bit for bit (NumPy's rounding steps)";
    } else {
      s.fit<double>(c.x);
      const RowMatrixD z = s.transform<double>(c.x);
      const RowMatrixD zr = test::read_matrix<double>(dir / (c.name + ".z.bin"), n, f);
      for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < f; ++j)
          ASSERT_LE(std::abs(z(i, j) - zr(i, j)), 1e-12 * std::max(1.0, std::abs(zr(i, j))))
              << i << ", " << j;
    }
    for (const char* attr : {"mean", "var", "scale"}) {
      const fs::path file = dir / (c.name + "." + attr + ".bin");
      if (!fs::exists(file)) continue;  // None in scikit-learn
      const RowMatrixD ref = test::read_matrix<double>(file, 1, f);
      const VectorD& v = ours(attr);
      for (index_t j = 0; j < f; ++j) {
        const double r = ref(0, j);
        // var of a constant column is rounding noise in both; compare it absolutely.
        const double tol =
            std::string(attr) == "var" && s.scale()(j) == 1.0 ? 1e-25 : 1e-12 * std::abs(r);
        EXPECT_LE(std::abs(v(j) - r), tol) << attr << "[" << j << "]: " << v(j) << " vs " << r;
      }
    }
  }
}

// ---- RidgeClassifierCV --------------------------------------------------------------

struct RidgeCase {
  std::string name;
  LabelledData data;
  RidgeClassifierCVParams params;
  bool single = false;
};

RidgeClassifierCVParams ridge_params(bool intercept, ClassWeight w,
                                     std::vector<double> alphas = default_ridge_alphas()) {
  RidgeClassifierCVParams p;
  p.fit_intercept = intercept;
  p.class_weight = w;
  p.alphas = std::move(alphas);
  p.n_jobs = 2;
  return p;
}

std::vector<RidgeCase> ridge_cases() {
  using test::make_classes;
  const auto none = ClassWeight::none, balanced = ClassWeight::balanced;
  std::vector<RidgeCase> cases;
  cases.push_back({"wide_binary", make_classes(30, 80, 2, 1, 0.3), ridge_params(true, none)});
  cases.push_back({"wide_multi", make_classes(40, 90, 5, 2, 0.3), ridge_params(true, none)});
  cases.push_back({"tall_binary", make_classes(100, 20, 2, 3, 0.3), ridge_params(true, none)});
  cases.push_back({"tall_multi", make_classes(120, 25, 4, 4, 0.3), ridge_params(true, none)});
  cases.push_back({"square", make_classes(40, 40, 3, 5, 0.3), ridge_params(true, balanced)});
  {
    // Unbalanced classes with weights, in both modes.
    LabelledData d = make_classes(90, 60, 3, 6, 0.4);
    for (index_t i = 3; i < 90; ++i)
      if (i % 3 != 0) d.y[static_cast<std::size_t>(i)] = "c0";
    cases.push_back({"wide_balanced", d, ridge_params(true, balanced)});
    LabelledData t = d;
    t.x = d.x.leftCols(30);
    cases.push_back({"tall_balanced", t, ridge_params(true, balanced)});
  }
  cases.push_back(
      {"wide_no_intercept", make_classes(30, 70, 3, 7, 0.3), ridge_params(false, none)});
  cases.push_back(
      {"tall_no_intercept", make_classes(80, 15, 3, 8, 0.3), ridge_params(false, balanced)});
  cases.push_back({"sixty_wide", make_classes(180, 300, 60, 9, 0.5), ridge_params(true, none)});
  cases.push_back(
      {"sixty_tall", make_classes(240, 100, 60, 10, 0.5), ridge_params(true, balanced)});
  {
    LabelledData d = make_classes(40, 60, 3, 12, 0.5);
    d.x.col(2).setConstant(7.5);  // constant features and duplicate rows
    d.x.col(4).setZero();
    d.x.row(1) = d.x.row(0);
    d.y[1] = d.y[0];
    cases.push_back({"degenerate_wide", d, ridge_params(true, none)});
    LabelledData t = d;
    t.x = d.x.leftCols(20);
    cases.push_back({"degenerate_tall", t, ridge_params(true, balanced)});
  }
  // Several reduction panels (1024 features or samples each) in each mode.
  cases.push_back({"wide_panels", make_classes(60, 2100, 3, 14, 0.2), ridge_params(true, none)});
  cases.push_back(
      {"tall_panels", make_classes(1100, 30, 3, 15, 0.2), ridge_params(true, balanced)});
  RidgeCase f32{"wide_float32", make_classes(50, 120, 4, 13, 0.3), ridge_params(true, none)};
  f32.single = true;
  cases.push_back(f32);

  // Real features: simple features of UCR series (when the shared datasets are present).
  const fs::path ucr = test::shared_datasets() / "ucr";
  struct Real {
    const char* name;
    bool features;  // false: the raw series only (fewer features than samples)
    ClassWeight weight;
  };
  for (const Real& r : {Real{"Coffee", true, none}, Real{"ItalyPowerDemand", false, none},
                        Real{"ECG200", true, balanced}, Real{"Adiac", false, balanced},
                        Real{"FiftyWords", true, none}}) {
    const fs::path file = ucr / r.name / (std::string(r.name) + "_TRAIN.tsv");
    if (!fs::exists(file)) continue;
    LabelledData d = test::read_ucr_tsv(file);
    if (r.features) d.x = test::simple_series_features(d.x);
    cases.push_back({r.name, d, ridge_params(true, r.weight)});
  }
  return cases;
}

TEST(LinearReference, RidgeClassifierCVMatchesScikitLearn) {
  const std::vector<RidgeCase> cases = ridge_cases();
  test::TempDir dir;
  std::string json = "[";
  for (const RidgeCase& c : cases) {
    const RowMatrixD& x = c.data.x;
    if (c.single)
      test::write_matrix<float>(dir / (c.name + ".x.bin"), x);
    else
      test::write_matrix<double>(dir / (c.name + ".x.bin"), x);
    std::string alphas, labels;
    for (double a : c.params.alphas)
      alphas += (alphas.empty() ? "" : ", ") + json_double(a);
    for (const std::string& l : c.data.y)
      labels += (labels.empty() ? "" : ", ") + json_string(l);
    json += std::string(json.size() > 1 ? ",\n" : "") + "{\"name\": " + json_string(c.name) +
            ", \"n\": " + std::to_string(x.rows()) + ", \"f\": " + std::to_string(x.cols()) +
            ", \"dtype\": \"" + (c.single ? "float32" : "float64") +
            "\", \"fit_intercept\": " + (c.params.fit_intercept ? "true" : "false") +
            ", \"class_weight\": " +
            (c.params.class_weight == ClassWeight::balanced ? "\"balanced\"" : "null") +
            ", \"alphas\": [" + alphas + "], \"labels\": [" + labels + "]}";
  }
  test::write_file(dir / "cases.json", json + "]");
  STRIDER_RUN_REFERENCE("ridge_reference.py", dir.path().string());

  for (const RidgeCase& c : cases) {
    SCOPED_TRACE(c.name + " (" + std::to_string(c.data.x.rows()) + " x " +
                 std::to_string(c.data.x.cols()) + ")");
    RidgeClassifierCV m(c.params);
    RowMatrixD dec;
    std::vector<std::string> pred;
    if (c.single) {
      const RowMatrixF xf = c.data.x.cast<float>();
      m.fit<float>(xf, c.data.y);
      dec = m.decision_function<float>(xf);
      pred = m.predict<float>(xf);
    } else {
      m.fit<double>(c.data.x, c.data.y);
      dec = m.decision_function<double>(c.data.x);
      pred = m.predict<double>(c.data.x);
    }
    const index_t n = c.data.x.rows(), f = c.data.x.cols(), nt = m.n_targets();
    const auto p = [&](const char* suffix) { return dir / (c.name + suffix); };

    EXPECT_EQ(m.classes(), read_lines(p(".classes.txt")));
    double alpha = 0, best = 0;
    for (const std::string& line : read_lines(p(".scalars.txt"))) {
      std::istringstream ls(line);
      std::string key;
      double v;
      ls >> key >> v;
      (key == "alpha_" ? alpha : best) = v;
    }
    EXPECT_EQ(m.alpha(), alpha);
    EXPECT_LE(std::abs(m.best_score() - best), 1e-6 * std::abs(best));
    const RowMatrixD mse =
        test::read_matrix<double>(p(".cvmse.bin"), 1, static_cast<index_t>(c.params.alphas.size()));
    EXPECT_LE(max_rel(m.cv_mse().transpose(), mse), 1e-6);
    const RowMatrixD coef = test::read_matrix<double>(p(".coef.bin"), nt, f);
    EXPECT_LE(max_rel(m.coef(), coef), 1e-6);
    const RowMatrixD icpt = test::read_matrix<double>(p(".intercept.bin"), 1, nt);
    EXPECT_LE(max_rel(m.intercept().transpose(), icpt, 1e-3), 1e-6);
    const RowMatrixD dref = test::read_matrix<double>(p(".decision.bin"), n, nt);
    EXPECT_LE(max_rel(dec, dref), 1e-6);
    EXPECT_EQ(pred, read_lines(p(".pred.txt")));
    if (fs::exists(p(".looacc.bin"))) {
      // Brute-force leave-one-out: a near-tie between two decision values may flip one
      // sample, not more.
      const index_t na = static_cast<index_t>(c.params.alphas.size());
      const RowMatrixD acc = test::read_matrix<double>(p(".looacc.bin"), 1, na);
      for (index_t a = 0; a < na; ++a) {
        EXPECT_LE(std::abs(m.cv_accuracy()(a) - acc(0, a)), 1.5 / static_cast<double>(n))
            << "alpha " << c.params.alphas[static_cast<std::size_t>(a)];
      }
    }
  }
}

}  // namespace
}  // namespace strider
