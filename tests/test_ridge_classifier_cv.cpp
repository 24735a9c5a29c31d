#include "strider/linear/ridge_classifier_cv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include <Eigen/Dense>
#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>

#include "../src/linear/calibration.hpp"
#include "../src/linear/ridge_gcv.hpp"
#include "../src/linear/tridiagonal.hpp"
#include "linear_test_support.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/error.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/metrics.hpp"
#include "strider/panel.hpp"

namespace strider {
namespace {

using test::LabelledData;
using test::make_classes;
using ::testing::HasSubstr;

// ---- an independent reference: leave-one-out by refitting -------------------

using MatL = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
using VecL = Eigen::Matrix<long double, Eigen::Dynamic, 1>;

struct Problem {
  MatL x;  // n x f
  MatL y;  // n x targets, in {-1, +1}
  VecL w;  // sample weights
  std::vector<std::string> classes;
};

Problem make_problem(const RowMatrixD& x, const std::vector<std::string>& labels, ClassWeight cw) {
  Problem p;
  p.x = x.cast<long double>();
  p.classes = sorted_classes(labels);
  const auto nc = static_cast<index_t>(p.classes.size());
  const index_t nt = nc == 2 ? 1 : nc;
  std::map<std::string, index_t> idx;
  for (index_t k = 0; k < nc; ++k)
    idx[p.classes[static_cast<std::size_t>(k)]] = k;
  const auto n = static_cast<index_t>(labels.size());
  p.y = MatL::Constant(n, nt, -1.0L);
  std::vector<int> count(static_cast<std::size_t>(nc), 0);
  for (index_t i = 0; i < n; ++i) {
    const index_t k = idx[labels[static_cast<std::size_t>(i)]];
    ++count[static_cast<std::size_t>(k)];
    if (nc == 2) {
      if (k == 1) p.y(i, 0) = 1.0L;
    } else {
      p.y(i, k) = 1.0L;
    }
  }
  p.w = VecL::Ones(n);
  if (cw == ClassWeight::balanced)
    for (index_t i = 0; i < n; ++i)
      p.w(i) = static_cast<long double>(n) /
               (static_cast<long double>(nc) *
                count[static_cast<std::size_t>(idx[labels[static_cast<std::size_t>(i)]])]);
  return p;
}

// Weighted ridge on the samples with keep[i] true: min sum w (y - b - x beta)^2 + a |beta|^2,
// the intercept b unpenalised. Returns beta (f x targets) and b (targets). Uses the
// weighted moments of all samples minus those of the left-out ones (long double).
struct Moments {
  long double w = 0;
  VecL x, y;
  MatL xx, xy;
};

Moments moments(const Problem& p, const std::vector<bool>& keep) {
  const index_t n = p.x.rows(), f = p.x.cols(), nt = p.y.cols();
  Moments m;
  m.x = VecL::Zero(f);
  m.y = VecL::Zero(nt);
  m.xx = MatL::Zero(f, f);
  m.xy = MatL::Zero(f, nt);
  for (index_t i = 0; i < n; ++i) {
    if (!keep[static_cast<std::size_t>(i)]) continue;
    const long double w = p.w(i);
    m.w += w;
    m.x += w * p.x.row(i).transpose();
    m.y += w * p.y.row(i).transpose();
    m.xx += w * p.x.row(i).transpose() * p.x.row(i);
    m.xy += w * p.x.row(i).transpose() * p.y.row(i);
  }
  return m;
}

void weighted_ridge(const Problem& p, const Moments& all, index_t leave_out, long double alpha,
                    bool intercept, MatL& beta, VecL& b) {
  const index_t f = p.x.cols();
  Moments m = all;
  if (leave_out >= 0) {
    const long double w = p.w(leave_out);
    m.w -= w;
    m.x -= w * p.x.row(leave_out).transpose();
    m.y -= w * p.y.row(leave_out).transpose();
    m.xx -= w * p.x.row(leave_out).transpose() * p.x.row(leave_out);
    m.xy -= w * p.x.row(leave_out).transpose() * p.y.row(leave_out);
  }
  MatL a = m.xx + alpha * MatL::Identity(f, f);
  MatL rhs = m.xy;
  VecL mx = VecL::Zero(f), my = VecL::Zero(m.y.size());
  if (intercept) {
    mx = m.x / m.w;
    my = m.y / m.w;
    a -= m.w * mx * mx.transpose();
    rhs -= m.w * mx * my.transpose();
  }
  beta = a.ldlt().solve(rhs);
  b = my - beta.transpose() * mx;
}

struct Reference {
  std::vector<double> mse;
  std::vector<double> accuracy;         // leave-one-out accuracy per alpha
  std::vector<std::vector<bool>> hits;  // per alpha, per sample: LOO decision right
  std::vector<ColMatrix<double>> loo;   // per alpha: LOO decision values, n x targets
  std::size_t best = 0;                 // by squared error
  std::size_t best_accuracy = 0;        // by accuracy, ties to the smaller squared error
  MatL coef;                            // targets x f
  VecL intercept;
};

// sklearn's criterion: mean over samples and targets of w_i (y_it - yhat_{-i,t})^2.
Reference brute_force(const RowMatrixD& x, const std::vector<std::string>& labels,
                      const RidgeClassifierCVParams& params) {
  const Problem p = make_problem(x, labels, params.class_weight);
  const index_t n = p.x.rows(), nt = p.y.cols();
  Reference ref;
  long double best = std::numeric_limits<long double>::infinity();
  const Moments all = moments(p, std::vector<bool>(static_cast<std::size_t>(n), true));
  for (std::size_t a = 0; a < params.alphas.size(); ++a) {
    long double sum = 0;
    index_t hits = 0;
    ref.hits.emplace_back(static_cast<std::size_t>(n), false);
    ref.loo.emplace_back(n, nt);
    for (index_t i = 0; i < n; ++i) {
      MatL beta;
      VecL b;
      weighted_ridge(p, all, i, params.alphas[a], params.fit_intercept, beta, b);
      const VecL pred = beta.transpose() * p.x.row(i).transpose() + b;
      ref.loo.back().row(i) = pred.transpose().cast<double>();
      sum += p.w(i) * (p.y.row(i).transpose() - pred).squaredNorm();
      // The class of the largest decision value (one target: +1 when > 0), as predict().
      index_t cls = 0, truth = 0;
      if (nt == 1) {
        cls = pred(0) > 0 ? 1 : 0;
        truth = p.y(i, 0) > 0 ? 1 : 0;
      } else {
        pred.maxCoeff(&cls);
        p.y.row(i).maxCoeff(&truth);
      }
      hits += cls == truth;
      ref.hits.back()[static_cast<std::size_t>(i)] = cls == truth;
    }
    const long double mse = sum / static_cast<long double>(n * nt);
    ref.mse.push_back(static_cast<double>(mse));
    ref.accuracy.push_back(static_cast<double>(hits) / static_cast<double>(n));
    const std::size_t ba = ref.best_accuracy;
    if (a > 0 && (ref.accuracy[a] > ref.accuracy[ba] ||
                  (ref.accuracy[a] == ref.accuracy[ba] && ref.mse[a] < ref.mse[ba]))) {
      ref.best_accuracy = a;
    }
    if (mse < best) {
      best = mse;
      ref.best = a;
    }
  }
  MatL beta;
  VecL b;
  weighted_ridge(p, all, -1, params.alphas[ref.best], params.fit_intercept, beta, b);
  ref.coef = beta.transpose();
  ref.intercept = params.fit_intercept ? b : VecL::Zero(nt);
  return ref;
}

double rel_diff(double a, double b) {
  return std::abs(a - b) / std::max(std::abs(b), 1e-300);
}

struct Case {
  index_t n, f;
  int classes;
  bool intercept;
  ClassWeight weight;
};

// Mean of -log p(own class) of the leave-one-out decision values `loo` (n x targets) at
// inverse temperature beta, over the samples whose class has another sample (every sample
// with count_single); NaN when none.
double reference_log_loss(const ColMatrix<double>& loo, const std::vector<std::string>& y,
                          const std::vector<std::string>& classes, double beta,
                          bool count_single = false) {
  std::map<std::string, int> count;
  for (const auto& label : y)
    ++count[label];
  double sum = 0.0;
  int used = 0;
  for (index_t i = 0; i < loo.rows(); ++i) {
    const std::string& own = y[static_cast<std::size_t>(i)];
    if (count[own] < 2 && !count_single) continue;
    std::vector<double> score;  // two classes: -d for the first, +d for the second
    if (loo.cols() == 1) {
      score = {-loo(i, 0), loo(i, 0)};
    } else {
      for (index_t k = 0; k < loo.cols(); ++k)
        score.push_back(loo(i, k));
    }
    const auto k = std::find(classes.begin(), classes.end(), own) - classes.begin();
    long double z = 0.0L;
    for (double v : score)
      z += std::exp(static_cast<long double>(beta) * v);
    sum += static_cast<double>(-std::log(
        std::exp(static_cast<long double>(beta) * score[static_cast<std::size_t>(k)]) / z));
    ++used;
  }
  return used == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / used;
}

class RidgeLooVsRefit : public ::testing::TestWithParam<Case> {};

TEST_P(RidgeLooVsRefit, MatchesExplicitLeaveOneOut) {
  const Case c = GetParam();
  const LabelledData d = make_classes(c.n, c.f, c.classes, 7 + c.n + c.f, 0.7);
  RidgeClassifierCVParams params;
  params.alphas = {1e-2, 0.3, 3.0, 30.0, 300.0};
  params.fit_intercept = c.intercept;
  params.class_weight = c.weight;
  RidgeClassifierCV model(params);
  model.fit<double>(d.x, d.y);
  // choose: the weighting preferred by the chi-square test of the class counts, unless
  // the other is significantly better by McNemar's test on the LOO decisions; each
  // weighting refitted by brute force.
  ClassWeight expected = c.weight;
  if (c.weight == ClassWeight::choose) {
    RidgeClassifierCVParams fixed = params;
    fixed.class_weight = ClassWeight::balanced;
    const Reference balanced = brute_force(d.x, d.y, fixed);
    fixed.class_weight = ClassWeight::none;
    const Reference none = brute_force(d.x, d.y, fixed);
    std::map<std::string, index_t> count;
    for (const auto& label : d.y)
      ++count[label];
    std::vector<index_t> counts;
    for (const auto& [label, k] : count)
      counts.push_back(k);
    ASSERT_NE(*std::min_element(counts.begin(), counts.end()),
              *std::max_element(counts.begin(), counts.end()))
        << "the cases of choose have classes of different sizes";
    // The preferred weighting: balanced when the counts pass the test of equal
    // frequencies. The other replaces it when McNemar's exact test (direct sums here)
    // finds it significantly better.
    const bool balanced_first = detail::equal_frequencies_p(counts) >= kChooseMaxP;
    const Reference& first = balanced_first ? balanced : none;
    const Reference& other = balanced_first ? none : balanced;
    int only_first = 0, only_other = 0;
    for (std::size_t i = 0; i < d.y.size(); ++i) {
      only_first += first.hits[first.best][i] && !other.hits[other.best][i];
      only_other += other.hits[other.best][i] && !first.hits[first.best][i];
    }
    const int m = only_first + only_other;
    long double p = 0;
    for (int k = only_other; k <= m; ++k) {
      long double binom = 1;  // C(m, k)
      for (int j = 1; j <= k; ++j)
        binom = binom * static_cast<long double>(m - k + j) / static_cast<long double>(j);
      p += binom * std::pow(0.5L, m);
    }
    const bool switch_to_other = only_other > only_first && p < kChooseMaxP;
    expected = balanced_first == switch_to_other ? ClassWeight::none : ClassWeight::balanced;
    params.class_weight = expected;
  }
  EXPECT_EQ(model.class_weight(), expected);
  const Reference ref = brute_force(d.x, d.y, params);

  ASSERT_EQ(model.cv_mse().size(), 5);
  for (std::size_t a = 0; a < 5; ++a)
    EXPECT_LT(rel_diff(model.cv_mse()(static_cast<index_t>(a)), ref.mse[a]), 1e-9)
        << "alpha " << params.alphas[a] << ": " << model.cv_mse()(static_cast<index_t>(a)) << " vs "
        << ref.mse[a];
  EXPECT_EQ(model.alpha(), params.alphas[ref.best]);
  EXPECT_DOUBLE_EQ(model.best_score(), -model.cv_mse()(static_cast<index_t>(ref.best)));
  ASSERT_EQ(model.cv_accuracy().size(), 5);
  for (std::size_t a = 0; a < 5; ++a)
    EXPECT_EQ(model.cv_accuracy()(static_cast<index_t>(a)), ref.accuracy[a])
        << "alpha " << params.alphas[a];

  // The probabilities' inverse temperature, from the brute-force LOO decision values.
  const double beta =
      detail::fit_inverse_temperature(ref.loo[ref.best], class_indices(d.y, model.classes()),
                                      static_cast<index_t>(model.classes().size()));
  EXPECT_LT(rel_diff(model.proba_scale(), beta), 1e-6) << model.proba_scale() << " vs " << beta;
  // The leave-one-out cross-entropy at that temperature: -log of the softmax of the class
  // scores at the sample's own class, over the samples whose class has another sample.
  const double log_loss = reference_log_loss(ref.loo[ref.best], d.y, model.classes(), beta);
  if (std::isnan(log_loss)) {  // the smallest case: one sample per class
    EXPECT_TRUE(std::isnan(model.cv_log_loss())) << model.cv_log_loss();
  } else {
    EXPECT_LT(rel_diff(model.cv_log_loss(), log_loss), 1e-6)
        << model.cv_log_loss() << " vs " << log_loss;
  }

  const index_t nt = c.classes == 2 ? 1 : c.classes;
  ASSERT_EQ(model.coef().rows(), nt);
  ASSERT_EQ(model.coef().cols(), c.f);
  const double scale = static_cast<double>(ref.coef.cwiseAbs().maxCoeff());
  EXPECT_LT((model.coef() - ref.coef.cast<double>()).cwiseAbs().maxCoeff(), 1e-9 * scale);
  EXPECT_LT((model.intercept() - ref.intercept.cast<double>()).cwiseAbs().maxCoeff(), 1e-9);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, RidgeLooVsRefit,
    ::testing::Values(Case{24, 40, 2, true, ClassWeight::none},       // n < f, binary
                      Case{24, 40, 3, true, ClassWeight::none},       // n < f, 3 classes
                      Case{24, 40, 3, false, ClassWeight::none},      // no intercept
                      Case{24, 40, 3, true, ClassWeight::balanced},   // weights
                      Case{24, 40, 3, false, ClassWeight::balanced},  // both, Gram mode
                      Case{24, 24, 4, true, ClassWeight::balanced},   // n == f (Gram)
                      Case{40, 12, 2, true, ClassWeight::none},       // n > f, binary
                      Case{40, 12, 3, true, ClassWeight::balanced},   // n > f, weights
                      Case{40, 12, 3, false, ClassWeight::balanced},  // n > f, no intercept
                      Case{24, 40, 3, true, ClassWeight::choose},     // choose, Gram mode
                      Case{31, 40, 2, true, ClassWeight::choose},     // choose, binary
                      Case{24, 40, 3, false, ClassWeight::choose},    // choose, no intercept
                      Case{40, 12, 3, true, ClassWeight::choose},     // choose, covariance
                      Case{3, 5, 2, true, ClassWeight::none},         // tiny
                      Case{2, 1, 2, true, ClassWeight::none}),        // smallest
    [](const auto& param_info) {
      const Case& c = param_info.param;
      return "n" + std::to_string(c.n) + "_f" + std::to_string(c.f) + "_k" +
             std::to_string(c.classes) + (c.intercept ? "_icpt" : "_noicpt") +
             (c.weight == ClassWeight::balanced ? "_balanced"
              : c.weight == ClassWeight::choose ? "_choose"
                                                : "");
    });

// ---- tridiagonal reduction --------------------------------------------------

TEST(RidgeTridiagonal, ReconstructsTheMatrixWithOrthogonalQ) {
  for (index_t n : {1, 2, 3, 31, 32, 33, 65, 100, 129, 161, 300}) {
    const LabelledData d = make_classes(n, n + 3, 1, static_cast<std::uint64_t>(n));
    const ColMatrix<double> s = d.x * d.x.transpose();
    ColMatrix<double> q = s;
    q.triangularView<Eigen::StrictlyUpper>().setConstant(12345.0);  // must be ignored
    VectorD diag, sub;
    detail::tridiagonalize(q, diag, sub, 2);
    ColMatrix<double> t = ColMatrix<double>::Zero(n, n);
    t.diagonal() = diag;
    if (n > 1) {
      t.diagonal(-1) = sub;
      t.diagonal(1) = sub;
    }
    const double norm = s.norm();
    EXPECT_LT((q * t * q.transpose() - s).norm(), 1e-13 * norm) << n;
    EXPECT_LT((q.transpose() * q - ColMatrix<double>::Identity(n, n)).norm(),
              1e-13 * static_cast<double>(n))
        << n;
  }
}

TEST(RidgeTridiagonal, SymmetricProductFromTheLowerTriangle) {
  for (index_t n : {5, 1100}) {  // Eigen's product; the chunked parallel product
    Rng rng(static_cast<std::uint64_t>(n));
    ColMatrix<double> a(n, n);
    for (index_t j = 0; j < n; ++j)
      for (index_t i = 0; i < n; ++i)
        a(i, j) = i >= j ? rng.uniform(-1.0, 1.0) : 99.0;  // upper triangle must be ignored
    VectorD v(n);
    for (index_t i = 0; i < n; ++i)
      v(i) = rng.normal();
    const ColMatrix<double> full = a.selfadjointView<Eigen::Lower>();
    const VectorD expect = full * v;
    VectorD y1(n), y3(n);
    detail::symmetric_lower_times(a, v, y1, 1);
    detail::symmetric_lower_times(a, v, y3, 3);
    EXPECT_LT((y1 - expect).cwiseAbs().maxCoeff(), 1e-11) << n;
    EXPECT_TRUE(y1 == y3) << n;
  }
}

TEST(RidgeTridiagonal, ParallelReductionIsBitIdenticalToSerial) {
  const index_t n = 1040;  // above the size where the reduction goes parallel
  const LabelledData d = make_classes(n, 16, 1, 12);
  ColMatrix<double> s = d.x * d.x.transpose();
  s.diagonal().array() += 1.0;
  ColMatrix<double> q1 = s, q2 = s;
  VectorD d1, e1, d2, e2;
  detail::tridiagonalize(q1, d1, e1, 1);
  detail::tridiagonalize(q2, d2, e2, 2);
  EXPECT_TRUE(q1 == q2);
  EXPECT_TRUE(d1 == d2);
  EXPECT_TRUE(e1 == e2);
  // Q^T S Q is T (spot check of the first columns).
  const ColMatrix<double> t = q1.transpose() * (s * q1.leftCols(3));
  EXPECT_NEAR(t(0, 0), d1(0), 1e-9 * s.norm());
  EXPECT_NEAR(t(1, 0), e1(0), 1e-9 * s.norm());
  EXPECT_NEAR(t(2, 0), 0.0, 1e-9 * s.norm());
  EXPECT_NEAR(t(2, 2), d1(2), 1e-9 * s.norm());
}

TEST(RidgeTridiagonal, PackedPanelsHoldTheLowerTriangle) {
  // 600 = panels of 256, 256 and 88 columns, of 600, 344 and 88 rows.
  EXPECT_EQ(detail::LowerPanels::stored(600), 600u * 256 + 344u * 256 + 88u * 88);
  EXPECT_EQ(detail::LowerPanels::stored(256), 256u * 256);
  EXPECT_EQ(detail::LowerPanels::stored(0), 0u);
  const index_t n = 600;
  detail::LowerPanels p(n);
  EXPECT_EQ(p.storage_size(), detail::LowerPanels::stored(n));
  for (index_t c = 0; c < n; ++c)
    for (index_t r = c; r < n; ++r)
      p(r, c) = static_cast<double>(r * n + c + 1);
  // Every entry once, at its own place, through blocks of any shape inside a panel.
  for (index_t c = 0; c < n; c += 37) {
    const index_t c1 = std::min(p.panel_end(c), c + 5);
    const auto b = p.block(c, c, n - c, c1 - c);
    for (index_t j = 0; j < c1 - c; ++j)
      for (index_t i = j; i < n - c; ++i)
        ASSERT_EQ(b(i, j), static_cast<double>((c + i) * n + c + j + 1))
            << c << " " << i << " " << j;
  }
  double* lo = p.storage();
  std::vector<double> seen(lo, lo + p.storage_size());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()) - seen.begin(),
            static_cast<std::ptrdiff_t>(n * (n + 1) / 2 + 1));  // + the zeros above the diagonal
}

TEST(RidgeTridiagonal, PackedReductionKeepsQAsReflectors) {
  // Sizes inside one panel, across panel edges, and with the unblocked last corner
  // straddling an edge (300: the corner [192, 300) crosses 256).
  for (index_t n : {1, 2, 3, 70, 300, 600}) {
    const LabelledData data = make_classes(n, n / 2 + 3, 1, static_cast<std::uint64_t>(n) + 7);
    ColMatrix<double> s = data.x * data.x.transpose();
    s.diagonal().array() += 1.0;
    detail::LowerPanels p(n);
    for (index_t c = 0; c < n; ++c) {
      for (index_t r = detail::LowerPanels::panel_begin(c); r < c; ++r)
        p(r, c) = 12345.0;  // stored above the diagonal: must be ignored
      for (index_t r = c; r < n; ++r)
        p(r, c) = s(r, c);
    }
    VectorD d, e;
    const detail::HouseholderQ q(std::move(p), d, e, 2);
    ColMatrix<double> dense = s;
    VectorD dd, de;
    detail::tridiagonalize(dense, dd, de, 2);  // the same reduction, then the explicit Q
    const double norm = s.norm();
    EXPECT_LT((d - dd).cwiseAbs().maxCoeff(), 1e-12 * norm) << n;
    if (n > 1) {
      EXPECT_LT((e - de).cwiseAbs().maxCoeff(), 1e-12 * norm) << n;
    }
    ColMatrix<double> right = ColMatrix<double>::Identity(n, n);  // I Q
    q.right_multiply(right);
    ColMatrix<double> left = ColMatrix<double>::Identity(n, n);  // Q I
    q.left_multiply(left, false);
    ColMatrix<double> left_t = ColMatrix<double>::Identity(n, n);  // Q^T I
    q.left_multiply(left_t, true);
    EXPECT_LT((right - dense).cwiseAbs().maxCoeff(), 1e-12) << n;
    EXPECT_LT((left - dense).cwiseAbs().maxCoeff(), 1e-12) << n;
    EXPECT_LT((left_t - dense.transpose()).cwiseAbs().maxCoeff(), 1e-12) << n;
    ColMatrix<double> t = ColMatrix<double>::Zero(n, n);
    t.diagonal() = d;
    if (n > 1) {
      t.diagonal(-1) = e;
      t.diagonal(1) = e;
    }
    EXPECT_LT((left * t * left_t - s).norm(), 1e-12 * norm) << n;
  }
}

TEST(RidgeTridiagonal, PackedParallelReductionIsBitIdenticalToSerial) {
  const index_t n = 1040;
  const LabelledData data = make_classes(n, 16, 1, 12);
  ColMatrix<double> s = data.x * data.x.transpose();
  s.diagonal().array() += 1.0;
  const auto packed = [&] {
    detail::LowerPanels p(n);
    for (index_t c = 0; c < n; ++c)
      for (index_t r = c; r < n; ++r)
        p(r, c) = s(r, c);
    return p;
  };
  VectorD d1, e1, d2, e2;
  const detail::HouseholderQ q1(packed(), d1, e1, 1);
  const detail::HouseholderQ q2(packed(), d2, e2, 2);
  EXPECT_TRUE(d1 == d2);
  EXPECT_TRUE(e1 == e2);
  ColMatrix<double> x1 = data.x.transpose().topRows(5), x2 = x1;
  q1.right_multiply(x1);
  q2.right_multiply(x2);
  EXPECT_TRUE(x1 == x2);
}

TEST(RidgeTridiagonal, ShiftedSolveInvertsTPlusAlpha) {
  const index_t n = 40;
  const LabelledData d = make_classes(n, 50, 1, 3);
  ColMatrix<double> q = d.x * d.x.transpose();
  VectorD diag, sub;
  detail::tridiagonalize(q, diag, sub, 1);
  ColMatrix<double> t = ColMatrix<double>::Zero(n, n);
  t.diagonal() = diag;
  t.diagonal(-1) = sub;
  t.diagonal(1) = sub;
  const auto f = detail::factor_shifted(diag, sub, 0.5);
  ASSERT_TRUE(f.positive);
  ColMatrix<double> b = ColMatrix<double>::Identity(n, n);
  detail::solve_shifted(f, b);
  EXPECT_LT(((t + 0.5 * ColMatrix<double>::Identity(n, n)) * b - ColMatrix<double>::Identity(n, n))
                .norm(),
            1e-9);
}

// ---- behaviour ---------------------------------------------------------------

TEST(RidgeClassifierCV, CvLogLossLeavesOutTheOnlySampleOfAClass) {
  // Leave-one-out cannot classify the only sample of a class: the cross-entropy is the
  // mean over the others, and undefined (NaN) when every class has one sample.
  LabelledData d = make_classes(15, 20, 3, 31, 1.0);
  d.y[14] = "lonely";
  RidgeClassifierCVParams params;
  params.alphas = {0.1, 1.0, 10.0};
  RidgeClassifierCV model(params);
  model.fit<double>(d.x, d.y);
  const Reference ref = brute_force(d.x, d.y, params);
  const double want =
      reference_log_loss(ref.loo[ref.best], d.y, model.classes(), model.proba_scale());
  ASSERT_TRUE(std::isfinite(want));
  EXPECT_LT(rel_diff(model.cv_log_loss(), want), 1e-6) << model.cv_log_loss() << " vs " << want;
  // Counting the lonely sample would give another value: the exclusion is what is measured.
  const double counted =
      reference_log_loss(ref.loo[ref.best], d.y, model.classes(), model.proba_scale(), true);
  EXPECT_GT(std::abs(model.cv_log_loss() - counted), 1e-3) << counted;

  LabelledData three = make_classes(3, 4, 3, 32);
  RidgeClassifierCV alone(params);
  alone.fit<double>(three.x, three.y);
  EXPECT_TRUE(std::isnan(alone.cv_log_loss()));
  EXPECT_THROW(RidgeClassifierCV().cv_log_loss(), NotFittedError);

  // The counts are the whole training set's: a sample of the leave-one-out values (as
  // fit_batches() computes on large sets) holding one sample of a class still counts it.
  ColMatrix<double> sampled(2, 3);
  sampled << 1.0, -1.0, -0.5, -0.2, 0.4, -0.9;
  const double beta = 1.5;
  const auto nll = [&](index_t i, index_t k) {
    const Eigen::RowVectorXd r = sampled.row(i);
    return std::log((beta * r.array()).exp().sum()) - beta * r(k);
  };
  EXPECT_NEAR(detail::loo_log_loss(sampled, {0, 1}, {5, 5, 5}, beta), 0.5 * (nll(0, 0) + nll(1, 1)),
              1e-12);
  EXPECT_NEAR(detail::loo_log_loss(sampled, {0, 1}, {5, 1, 5}, beta), nll(0, 0), 1e-12);
  EXPECT_TRUE(std::isnan(detail::loo_log_loss(sampled, {0, 1}, {1, 1, 5}, beta)));
  EXPECT_THROW(detail::loo_log_loss(sampled, {0, 3}, {5, 5, 5}, beta), std::logic_error);
  EXPECT_THROW(detail::loo_log_loss(sampled, {0}, {5, 5, 5}, beta), std::logic_error);
}

TEST(RidgeClassifierCV, DefaultAlphasAreLogspace) {
  const std::vector<double> a = default_ridge_alphas();
  ASSERT_EQ(a.size(), 10u);
  EXPECT_DOUBLE_EQ(a.front(), 1e-3);
  EXPECT_DOUBLE_EQ(a.back(), 1e3);
  for (std::size_t k = 1; k < a.size(); ++k)
    EXPECT_NEAR(std::log10(a[k]) - std::log10(a[k - 1]), 6.0 / 9.0, 1e-12);
  EXPECT_EQ(RidgeClassifierCVParams{}.alphas, a);
}

TEST(RidgeClassifierCV, LogspaceAlphasMatchesNumpysFormula) {
  const std::vector<double> a = logspace_alphas(-4, 4, 20);
  ASSERT_EQ(a.size(), 20u);
  EXPECT_EQ(a.front(), 1e-4);
  EXPECT_EQ(a.back(), 1e4);
  for (std::size_t k = 0; k < a.size(); ++k)  // 10^(-4 + 8k/19)
    EXPECT_NEAR(std::log10(a[k]), -4.0 + 8.0 * static_cast<double>(k) / 19.0, 1e-12) << k;
  EXPECT_EQ(logspace_alphas(-3, 3, 10), default_ridge_alphas());
  EXPECT_EQ(logspace_alphas(2, 2, 2), (std::vector<double>{100.0, 100.0}));
  EXPECT_THROW(logspace_alphas(0, 1, 1), std::invalid_argument);
}

TEST(RidgeClassifierCV, BinaryUsesOneColumnAndTheSignDecides) {
  const LabelledData d = make_classes(30, 8, 2, 11, 1.5, "");
  RidgeClassifierCV m;
  m.fit<double>(d.x, d.y);
  EXPECT_EQ(m.n_targets(), 1);
  EXPECT_EQ(m.classes(), (std::vector<std::string>{"0", "1"}));
  const RowMatrixD dec = m.decision_function<double>(d.x);
  ASSERT_EQ(dec.cols(), 1);
  ASSERT_EQ(dec.rows(), 30);
  const RowMatrixD manual = (d.x * m.coef().transpose()).rowwise() + m.intercept().transpose();
  EXPECT_LT((dec - manual).cwiseAbs().maxCoeff(), 1e-12);
  const std::vector<std::string> pred = m.predict<double>(d.x);
  const std::vector<index_t> idx = m.predict_index<double>(d.x);
  for (index_t i = 0; i < 30; ++i) {
    EXPECT_EQ(idx[static_cast<std::size_t>(i)], dec(i, 0) > 0 ? 1 : 0);
    EXPECT_EQ(pred[static_cast<std::size_t>(i)],
              m.classes()[static_cast<std::size_t>(idx[static_cast<std::size_t>(i)])]);
  }
  EXPECT_GT(m.score<double>(d.x, d.y), 0.9);
}

TEST(RidgeClassifierCV, MulticlassPredictsTheArgmax) {
  const LabelledData d = make_classes(40, 20, 4, 5, 1.0);
  RidgeClassifierCV m;
  m.fit<double>(d.x, d.y);
  EXPECT_EQ(m.n_targets(), 4);
  const RowMatrixD dec = m.decision_function<double>(d.x);
  const std::vector<index_t> idx = m.predict_index<double>(d.x);
  for (index_t i = 0; i < dec.rows(); ++i) {
    index_t k;
    dec.row(i).maxCoeff(&k);
    EXPECT_EQ(idx[static_cast<std::size_t>(i)], k);
  }
  std::vector<std::string> wrong = d.y;
  wrong[0] = "no such class";
  EXPECT_LT(m.score<double>(d.x, wrong), m.score<double>(d.x, d.y) + 1e-12);
}

TEST(RidgeClassifierCV, ClassesFollowPanelOrder) {
  LabelledData d = make_classes(30, 6, 3, 2, 2.0, "");
  for (auto& s : d.y)
    s = s == "0" ? "10" : (s == "1" ? "2" : "-1");
  RidgeClassifierCV m;
  m.fit<double>(d.x, d.y);
  EXPECT_EQ(m.classes(), sorted_classes(d.y));
  EXPECT_EQ(m.classes(), (std::vector<std::string>{"-1", "2", "10"}));
  EXPECT_EQ(m.predict<double>(d.x.topRows(3)), (std::vector<std::string>{"10", "2", "-1"}));
}

TEST(RidgeClassifierCV, FloatInputGivesTheResultOfTheSameValuesAsDouble) {
  for (index_t f : {30, 8}) {  // Gram and covariance mode
    const LabelledData d = make_classes(20, f, 3, 9);
    const RowMatrixF xf = d.x.cast<float>();
    const RowMatrixD xd = xf.cast<double>();
    RidgeClassifierCV a, b;
    a.fit<float>(xf, d.y);
    b.fit<double>(xd, d.y);
    EXPECT_EQ(a.alpha(), b.alpha());
    EXPECT_TRUE(a.coef() == b.coef());
    EXPECT_TRUE(a.intercept() == b.intercept());
    EXPECT_TRUE(a.decision_function<float>(xf) == b.decision_function<double>(xd));
  }
}

TEST(RidgeClassifierCV, BitIdenticalForAnyThreadCount) {
  // Sizes above the internal tile size (256) and panel depth (1024), in both modes.
  for (auto [n, f] : {std::pair<index_t, index_t>{270, 1100}, {1100, 270}}) {
    const LabelledData d = make_classes(n, f, 3, 4);
    ColMatrix<double> coef1;
    VectorD mse1;
    double log_loss1 = 0.0;
    for (int jobs : {1, 2, 3}) {
      RidgeClassifierCVParams p;
      p.n_jobs = jobs;
      p.class_weight = ClassWeight::balanced;
      RidgeClassifierCV m(p);
      m.fit<double>(d.x, d.y);
      if (jobs == 1) {
        coef1 = m.coef();
        mse1 = m.cv_mse();
        log_loss1 = m.cv_log_loss();
      } else {
        EXPECT_TRUE(m.coef() == coef1) << n << "x" << f << " n_jobs " << jobs;
        EXPECT_TRUE(m.cv_mse() == mse1) << n << "x" << f << " n_jobs " << jobs;
        EXPECT_EQ(m.cv_log_loss(), log_loss1) << n << "x" << f << " n_jobs " << jobs;
      }
    }
  }
}

// The cross-entropy of fit_inverse_temperature() and its derivative, written directly.
double calibration_loss(const ColMatrix<double>& d, const std::vector<index_t>& label, int classes,
                        double beta) {
  long double sum = 0;
  std::vector<index_t> count(static_cast<std::size_t>(classes), 0);
  for (index_t k : label)
    ++count[static_cast<std::size_t>(k)];
  for (index_t i = 0; i < d.rows(); ++i) {
    std::vector<long double> s;
    if (classes == 2) {
      s = {-d(i, 0), d(i, 0)};
    } else {
      for (index_t k = 0; k < classes; ++k)
        s.push_back(d(i, k));
    }
    long double z = 0;
    for (long double v : s)
      z += std::exp(static_cast<long double>(beta) * v);
    const auto m = static_cast<long double>(count[static_cast<std::size_t>(label[i])]);
    const long double own = (m + 1) / (m + 2), other = (1 - own) / (classes - 1);
    for (std::size_t k = 0; k < s.size(); ++k) {
      const long double t = static_cast<index_t>(k) == label[i] ? own : other;
      sum -= t * (static_cast<long double>(beta) * s[k] - std::log(z));
    }
  }
  return static_cast<double>(sum);
}

TEST(RidgeCalibration, InverseTemperatureMinimisesTheSmoothedCrossEntropy) {
  Rng rng(5);
  for (int classes : {2, 3, 7}) {
    const index_t n = 60, nt = classes == 2 ? 1 : classes;
    std::vector<index_t> label;
    ColMatrix<double> d(n, nt);
    for (index_t i = 0; i < n; ++i) {
      label.push_back(i % classes);
      for (index_t k = 0; k < nt; ++k)
        d(i, k) = 0.4 * rng.normal() - 0.5;
      // Informative but noisy: the true class a little ahead, some samples wrong.
      if (nt == 1) {
        d(i, 0) += (label.back() == 1 ? 0.8 : -0.3) + 0.2;
      } else {
        d(i, label.back()) += 0.7;
      }
    }
    const double beta = detail::fit_inverse_temperature(d, label, classes);
    ASSERT_GT(beta, detail::kMinInverseTemperature);
    ASSERT_LT(beta, detail::kMaxInverseTemperature);
    const double at = calibration_loss(d, label, classes, beta);
    for (double f : {0.999, 1.001, 0.9, 1.1, 0.5, 2.0})
      EXPECT_LT(at, calibration_loss(d, label, classes, beta * f)) << classes << " x" << f;
    // Scaling the scores by c scales beta by 1 / c (the same probabilities).
    const ColMatrix<double> d3 = 3.0 * d;
    EXPECT_NEAR(detail::fit_inverse_temperature(d3, label, classes) * 3.0, beta, 1e-7 * beta);
  }
  // Perfectly separated scores: finite (Platt's targets), and larger for more samples.
  ColMatrix<double> sep(20, 1);
  std::vector<index_t> lab;
  for (index_t i = 0; i < 20; ++i) {
    lab.push_back(i % 2);
    sep(i, 0) = i % 2 ? 1.0 : -1.0;
  }
  const double b20 = detail::fit_inverse_temperature(sep, lab, 2);
  EXPECT_GT(b20, 1.0);
  EXPECT_LT(b20, 10.0);
  // Tiny decision values (a very large alpha): the factor grows in proportion, up to the
  // bound, found inside the bracket rather than at its end.
  for (double c : {1e-5, 3e-6, 2e-6}) {
    const ColMatrix<double> tiny = c * sep;
    const double b = detail::fit_inverse_temperature(tiny, lab, 2);
    EXPECT_NEAR(b * c, b20, 1e-6 * b20) << c;
    EXPECT_LT(b, detail::kMaxInverseTemperature);
  }
  EXPECT_EQ(detail::fit_inverse_temperature(ColMatrix<double>(1e-7 * sep), lab, 2),
            detail::kMaxInverseTemperature);
  // Uninformative or adverse scores: the smallest inverse temperature (nearly uniform
  // probabilities that keep the order of the scores).
  const ColMatrix<double> adverse = -sep;
  EXPECT_EQ(detail::fit_inverse_temperature(adverse, lab, 2), detail::kMinInverseTemperature);
  EXPECT_EQ(detail::fit_inverse_temperature(ColMatrix<double>::Zero(20, 1), lab, 2),
            detail::kMinInverseTemperature);
}

TEST(RidgeClassifierCV, PredictProbaIsCalibratedConsistentAndThreadInvariant) {
  for (int classes : {2, 4}) {
    // 150 training samples, 600 test samples of the same classes.
    const LabelledData all = make_classes(750, 40, classes, 31, 0.35);
    const LabelledData d{all.x.topRows(150), {all.y.begin(), all.y.begin() + 150}};
    const LabelledData t{all.x.bottomRows(600), {all.y.begin() + 150, all.y.end()}};
    RowMatrixD p1;
    for (int jobs : {1, 3}) {
      RidgeClassifierCVParams params;
      params.n_jobs = jobs;
      RidgeClassifierCV m(params);
      m.fit<double>(d.x, d.y);
      const RowMatrixD p = m.predict_proba<double>(t.x);
      ASSERT_EQ(p.rows(), 600);
      ASSERT_EQ(p.cols(), classes);
      EXPECT_TRUE(p.allFinite());
      EXPECT_LT((p.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-12);
      EXPECT_GE(p.minCoeff(), 0.0);
      // The most probable class is predict()'s.
      const std::vector<index_t> idx = m.predict_index<double>(t.x);
      for (index_t i = 0; i < p.rows(); ++i) {
        index_t top = 0;
        p.row(i).maxCoeff(&top);
        EXPECT_EQ(top, idx[static_cast<std::size_t>(i)]) << i;
      }
      EXPECT_TRUE(m.probabilities(m.decision_function<double>(t.x)) == p);
      if (jobs == 1) {
        p1 = p;
        // Calibrated: a lower log-loss on unseen data than the plain softmax.
        const auto truth = class_indices(t.y, m.classes());
        const RowMatrixD plain = m.probabilities(m.decision_function<double>(t.x), 1.0);
        EXPECT_LT(log_loss(p, truth), log_loss(plain, truth)) << classes;
        EXPECT_NE(m.proba_scale(), 1.0);
      } else {
        EXPECT_TRUE(p == p1) << "n_jobs " << jobs;
      }
    }
  }
  RidgeClassifierCV unfitted;
  EXPECT_THROW(unfitted.predict_proba<double>(RowMatrixD::Zero(2, 3)), NotFittedError);
  const LabelledData d = make_classes(40, 5, 3, 2);
  RidgeClassifierCV m;
  m.fit<double>(d.x, d.y);
  EXPECT_THROW(m.probabilities(RowMatrixD::Zero(2, 2)), std::invalid_argument);
  EXPECT_THROW(m.probabilities(RowMatrixD::Zero(2, 3), 0.0), std::invalid_argument);
}

TEST(RidgeClassifierCV, HardCasesWork) {
  // Constant features, duplicate rows, a class with a single sample.
  LabelledData d = make_classes(20, 12, 3, 21, 1.5);
  d.x.col(3).setConstant(4.25);
  d.x.col(7).setZero();
  d.x.row(5) = d.x.row(4);
  d.y[5] = d.y[4];
  d.x.row(6) = d.x.row(4);
  d.y[6] = d.y[4];
  d.y[19] = "lonely";
  for (index_t f : {12, 40}) {
    RowMatrixD x(20, f);
    x.leftCols(12) = d.x;
    if (f > 12) x.rightCols(f - 12) = make_classes(20, f - 12, 1, 3).x;
    for (ClassWeight w : {ClassWeight::none, ClassWeight::balanced}) {
      RidgeClassifierCVParams p;
      p.class_weight = w;
      p.alphas = {0.1, 1.0, 10.0};
      RidgeClassifierCV m(p);
      m.fit<double>(x, d.y);
      EXPECT_TRUE(m.coef().allFinite());
      EXPECT_EQ(m.n_classes(), 4);
      // A constant feature gets no weight (its centred column is zero).
      EXPECT_LT(m.coef().col(3).cwiseAbs().maxCoeff(), 1e-12);
      EXPECT_LT(m.coef().col(7).cwiseAbs().maxCoeff(), 1e-12);
      const Reference ref = brute_force(x, d.y, p);
      EXPECT_EQ(m.alpha(), p.alphas[ref.best]);
      for (std::size_t a = 0; a < 3; ++a)
        EXPECT_LT(rel_diff(m.cv_mse()(static_cast<index_t>(a)), ref.mse[a]), 1e-8);
    }
  }
}

TEST(RidgeClassifierCV, SixtyClasses) {
  const LabelledData d = make_classes(120, 30, 60, 8, 2.0);
  RidgeClassifierCVParams p;
  p.alphas = {0.3, 3.0};
  RidgeClassifierCV m(p);
  m.fit<double>(d.x, d.y);
  EXPECT_EQ(m.n_classes(), 60);
  EXPECT_EQ(m.coef().rows(), 60);
  EXPECT_GT(m.score<double>(d.x, d.y), 0.9);
  const Reference ref = brute_force(d.x, d.y, p);
  EXPECT_EQ(m.alpha(), p.alphas[ref.best]);
  for (std::size_t a = 0; a < 2; ++a)
    EXPECT_LT(rel_diff(m.cv_mse()(static_cast<index_t>(a)), ref.mse[a]), 1e-9);
}

TEST(RidgeClassifierCV, AccuracyFloorOnCylinderBellFunnel) {
  datasets::CylinderBellFunnelParams cp;
  cp.n_train = 90;
  cp.n_test = 300;
  const TrainTest data = datasets::load_cylinder_bell_funnel(cp);
  auto features = [](const Panel& p) {
    RowMatrixD x(p.n_series(), p.max_length());
    for (index_t i = 0; i < p.n_series(); ++i)
      for (index_t t = 0; t < p.max_length(); ++t)
        x(i, t) = p(i, 0, t);
    return test::simple_series_features(x);
  };
  RidgeClassifierCV m;
  m.fit<double>(features(data.train), data.train.labels());
  EXPECT_GT(m.score<double>(features(data.test), data.test.labels()), 0.75);
}

// ---- errors --------------------------------------------------------------------

// Two classes, 9 to 1, whose features barely differ: balanced weights push the
// boundary into the large class, which costs more series than it wins.
LabelledData imbalanced(index_t n, index_t f, std::uint64_t seed) {
  Rng rng(seed);
  LabelledData d;
  d.x.resize(n, f);
  for (index_t i = 0; i < n; ++i) {
    const bool rare = i % 10 == 0;
    d.y.push_back(rare ? "rare" : "common");
    for (index_t j = 0; j < f; ++j)
      d.x(i, j) = rng.normal() + (rare && j < 4 ? 0.4 : 0.0);
  }
  return d;
}

TEST(RidgeClassifierCV, ChooseKeepsTheClassWeightsThatClassifyOutOfSample) {
  RidgeClassifierCVParams p;
  p.alphas = logspace_alphas(-2, 4, 13);
  auto fitted = [&](ClassWeight w, const LabelledData& d, int threads) {
    RidgeClassifierCVParams q = p;
    q.class_weight = w;
    q.n_jobs = threads;
    RidgeClassifierCV m(q);
    m.fit<double>(d.x, d.y);
    return m;
  };
  auto loo = [](const RidgeClassifierCV& m) {
    const auto& a = m.params().alphas;
    return m.cv_accuracy()(std::find(a.begin(), a.end(), m.alpha()) - a.begin());
  };
  for (const index_t f : {300, 40}) {  // Gram mode (n < f) and covariance mode
    SCOPED_TRACE("features " + std::to_string(f));
    const LabelledData d = imbalanced(150, f, 21);
    const RidgeClassifierCV none = fitted(ClassWeight::none, d, 1);
    const RidgeClassifierCV balanced = fitted(ClassWeight::balanced, d, 1);
    ASSERT_GT(loo(none), loo(balanced) + 0.05);  // balanced does worse here
    const RidgeClassifierCV chosen = fitted(ClassWeight::choose, d, 1);
    EXPECT_EQ(chosen.class_weight(), ClassWeight::none);
    // The shared Gram matrix gives none's fit to the last bit.
    EXPECT_EQ(chosen.alpha(), none.alpha());
    EXPECT_TRUE(chosen.coef() == none.coef());
    EXPECT_TRUE(chosen.intercept() == none.intercept());
    EXPECT_TRUE(chosen.cv_accuracy() == none.cv_accuracy());
    // and the same whatever the number of threads
    const RidgeClassifierCV two = fitted(ClassWeight::choose, d, 2);
    EXPECT_TRUE(two.coef() == chosen.coef());
  }
  {
    // Equal class sizes: the weights are all 1 either way; balanced, the same fit.
    const LabelledData d = make_classes(60, 30, 3, 5);
    LabelledData equal = d;
    for (std::size_t i = 0; i < equal.y.size(); ++i)
      equal.y[i] = "c" + std::to_string(i % 3);
    const RidgeClassifierCV chosen = fitted(ClassWeight::choose, equal, 1);
    EXPECT_EQ(chosen.class_weight(), ClassWeight::balanced);
    EXPECT_TRUE(chosen.coef() == fitted(ClassWeight::balanced, equal, 1).coef());
  }
  {
    // Easy classes of unequal sizes, both weightings classify them alike: the preferred
    // one is kept. 32 / 30 / 28 series are consistent with equal frequencies (balanced);
    // 60 / 20 / 10 are not (none).
    const LabelledData all = make_classes(400, 200, 3, 8, 2.0);
    auto pick = [&](const std::vector<int>& sizes) {
      LabelledData d;
      std::vector<index_t> rows;
      std::vector<int> left = sizes;
      for (index_t i = 0; i < all.x.rows(); ++i) {
        const int k = all.y[static_cast<std::size_t>(i)].back() - '0';
        if (left[static_cast<std::size_t>(k)]-- > 0) rows.push_back(i);
      }
      d.x.resize(static_cast<index_t>(rows.size()), all.x.cols());
      for (std::size_t r = 0; r < rows.size(); ++r) {
        d.x.row(static_cast<index_t>(r)) = all.x.row(rows[r]);
        d.y.push_back(all.y[static_cast<std::size_t>(rows[r])]);
      }
      return d;
    };
    const LabelledData mild = pick({32, 30, 28});
    ASSERT_EQ(mild.y.size(), 90u);
    const RidgeClassifierCV balanced = fitted(ClassWeight::balanced, mild, 1);
    const RidgeClassifierCV chosen = fitted(ClassWeight::choose, mild, 2);
    EXPECT_EQ(chosen.class_weight(), ClassWeight::balanced);
    // The shared Gram matrix gives balanced's fit up to rounding.
    EXPECT_EQ(chosen.alpha(), balanced.alpha());
    const double scale = balanced.coef().cwiseAbs().maxCoeff();
    EXPECT_LT((chosen.coef() - balanced.coef()).cwiseAbs().maxCoeff(), 1e-10 * scale);
    EXPECT_TRUE(chosen.predict<double>(mild.x) == balanced.predict<double>(mild.x));

    const LabelledData skewed = pick({60, 20, 10});
    ASSERT_EQ(skewed.y.size(), 90u);
    const RidgeClassifierCV none = fitted(ClassWeight::none, skewed, 1);
    const RidgeClassifierCV kept = fitted(ClassWeight::choose, skewed, 2);
    EXPECT_EQ(kept.class_weight(), ClassWeight::none);
    EXPECT_TRUE(kept.coef() == none.coef());
  }
}

// The tests of ClassWeight::choose: Pearson's chi-square of the class counts, checked
// against closed forms (1 degree of freedom: erfc; even degrees: a finite sum).
TEST(RidgeClassWeightChoice, ChiSquareTestOfEqualFrequencies) {
  for (double x : {0.5, 3.841458820694124, 10.0, 40.0})
    EXPECT_NEAR(detail::chi_square_upper(x, 1), std::erfc(std::sqrt(x / 2.0)), 1e-13) << x;
  for (double x : {0.3, 2.0, 9.49, 30.0, 120.0})
    for (int dof : {2, 4, 10, 36}) {
      double term = 1.0, sum = 1.0;  // e^{-x/2} sum_{j < dof/2} (x/2)^j / j!
      for (int j = 1; j < dof / 2; ++j) {
        term *= x / 2.0 / j;
        sum += term;
      }
      const double exact = std::exp(-x / 2.0) * sum;
      EXPECT_NEAR(detail::chi_square_upper(x, dof), exact, 1e-13 + 1e-11 * exact)
          << x << " " << dof;
    }
  EXPECT_EQ(detail::chi_square_upper(0.0, 3), 1.0);
  EXPECT_EQ(detail::chi_square_upper(std::numeric_limits<double>::infinity(), 3), 0.0);
  EXPECT_NEAR(detail::chi_square_upper(1e4, 49), 0.0, 1e-300);
  EXPECT_NEAR(detail::chi_square_upper(49.0, 49), 0.47312829565476533,
              1e-13);  // erfc and a finite sum
  EXPECT_THROW(detail::chi_square_upper(1.0, 0), std::invalid_argument);
  // 30 / 10: chi-square 10 on 1 degree of freedom; equal counts: 1.
  EXPECT_NEAR(detail::equal_frequencies_p({30, 10}), std::erfc(std::sqrt(5.0)), 1e-14);
  EXPECT_EQ(detail::equal_frequencies_p({7, 7, 7}), 1.0);
  EXPECT_GT(detail::equal_frequencies_p({32, 30, 28}), 0.05);
  EXPECT_LT(detail::equal_frequencies_p({60, 20, 10}), 1e-6);
}

// The rule of ridge_gcv_choose: a later input replaces the first only when it classifies
// more samples by leave-one-out and McNemar's exact test finds the difference significant.
TEST(RidgeGcvChoose, ALaterInputMustClassifySignificantlyBetter) {
  EXPECT_EQ(detail::sign_test_upper(0, 7), 1.0);
  EXPECT_NEAR(detail::sign_test_upper(5, 5), 1.0 / 32.0, 1e-15);
  EXPECT_NEAR(detail::sign_test_upper(4, 4), 1.0 / 16.0, 1e-15);
  EXPECT_NEAR(detail::sign_test_upper(8, 10), 56.0 / 1024.0, 1e-15);  // C(10, 8..10) / 2^10
  EXPECT_NEAR(detail::sign_test_upper(1, 2), 0.75, 1e-15);
  EXPECT_EQ(detail::sign_test_upper(3, 2), 0.0);
  EXPECT_NEAR(detail::sign_test_upper(600, 1000), 1.3642320780330092e-10, 1e-15);  // Python

  // McNemar on per-sample hits: only the discordant samples count.
  auto hits = [](std::initializer_list<int> v) {
    VectorD h(static_cast<index_t>(v.size()));
    index_t i = 0;
    for (const int x : v)
      h(i++) = x;
    return h;
  };
  // 5 samples only the candidate gets, none only the kept one: p = 1/32 < 0.05.
  const VectorD kept = hits({0, 0, 0, 0, 0, 1, 1, 1});
  EXPECT_TRUE(detail::significantly_more_hits(hits({1, 1, 1, 1, 1, 1, 1, 1}), kept, 0.05));
  // The same 5 wins with one loss: P(X >= 5 | 6) = 7/64 > 0.05.
  EXPECT_FALSE(detail::significantly_more_hits(hits({1, 1, 1, 1, 1, 0, 1, 1}), kept, 0.05));
  EXPECT_TRUE(detail::significantly_more_hits(hits({1, 1, 1, 1, 1, 0, 1, 1}), kept, 0.2));
  // 4 wins: 1/16 > 0.05; never when the kept one is right as often.
  EXPECT_FALSE(detail::significantly_more_hits(hits({1, 1, 1, 1, 0, 1, 1, 1}), kept, 0.05));
  EXPECT_FALSE(detail::significantly_more_hits(kept, kept, 0.99));
  EXPECT_THROW(detail::significantly_more_hits(hits({1, 1}), kept, 0.05), std::logic_error);
  // Beatable only with at least 5 misses at 0.05 (0.5^5 < 0.05 <= 0.5^4).
  EXPECT_TRUE(detail::hits_beatable(kept, 0.05));
  EXPECT_FALSE(detail::hits_beatable(hits({0, 0, 0, 0, 1, 1, 1, 1}), 0.05));
  EXPECT_TRUE(detail::hits_beatable(hits({0, 0, 0, 0, 1, 1, 1, 1}), 0.1));
  EXPECT_FALSE(detail::hits_beatable(hits({1, 1, 1}), 0.99));

  // Without an intercept an input is just weighted rows: y scaled by sqrt(w). The first
  // input puts almost all the weight on 4 samples, so its fit classifies the rest badly;
  // the second weighs every sample 1.
  auto input = [](const LabelledData& d, const VectorD& w) {
    detail::GcvInput in;
    in.center = false;
    in.sqrt_sw = w.cwiseSqrt();
    in.x_offset = VectorD::Zero(d.x.cols());
    in.y_offset = VectorD::Zero(1);
    in.y = ColMatrix<double>(d.x.rows(), 1);
    for (index_t i = 0; i < d.x.rows(); ++i) {
      in.label.push_back(d.y[static_cast<std::size_t>(i)] == "c1" ? 1 : 0);
      in.y(i, 0) = (in.label.back() == 1 ? 1.0 : -1.0) * in.sqrt_sw(i);
    }
    in.alphas = {0.1, 1.0, 10.0, 100.0};
    return in;
  };
  // Gram mode (80 samples, 120 features) and covariance mode (200 samples, 40 features).
  for (const LabelledData& d :
       {make_classes(80, 120, 2, 31, 0.2), make_classes(200, 40, 2, 32, 0.3)}) {
    SCOPED_TRACE(d.x.cols());
    VectorD skewed = VectorD::Constant(d.x.rows(), 1e-6);
    skewed.head(4).setConstant(1e6);
    const std::vector<detail::GcvInput> ins = {input(d, skewed),
                                               input(d, VectorD::Ones(d.x.rows()))};
    const RowMatrixD* x = &d.x;
    const detail::GcvResult first = detail::ridge_gcv<double>(*x, ins[0]);
    const detail::GcvResult second = detail::ridge_gcv<double>(*x, ins[1]);
    const auto only_second = (second.hits.array() > first.hits.array()).count();
    const auto only_first = (first.hits.array() > second.hits.array()).count();
    ASSERT_GT(only_second, only_first);
    const double p = detail::sign_test_upper(only_second, only_second + only_first);
    ASSERT_LT(p, 0.01);
    // Significant at 0.05: the second replaces the first, with the fit it has alone.
    const detail::ChosenGcv chosen =
        detail::ridge_gcv_choose<double>(*x, ins, 0.05, ColumnChoice{});
    EXPECT_EQ(chosen.chosen, 1u);
    EXPECT_TRUE(chosen.result.coef == second.coef);
    // Asked for a p-value below the one observed, the first input stays.
    EXPECT_EQ(detail::ridge_gcv_choose<double>(*x, ins, p / 2, ColumnChoice{}).chosen, 0u);
  }
}

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument)";
}

TEST(RidgeClassifierCV, RejectsBadParameters) {
  RidgeClassifierCVParams p;
  p.alphas = {};
  EXPECT_THAT(message_of([&] { RidgeClassifierCV m(p); }),
              HasSubstr("alphas = (empty); expected at least one value"));
  p.alphas = {1.0, 0.0};
  EXPECT_THAT(message_of([&] { RidgeClassifierCV m(p); }),
              HasSubstr("alphas = 1,0; item 2 = 0; every value must be finite and > 0"));
  p.alphas = {-2.0};
  EXPECT_THAT(message_of([&] { RidgeClassifierCV m(p); }), HasSubstr("alphas = -2; item 1 = -2"));
  p.alphas = {std::numeric_limits<double>::quiet_NaN()};
  EXPECT_THROW(RidgeClassifierCV{p}, std::invalid_argument);
  p.alphas = {std::numeric_limits<double>::infinity()};
  EXPECT_THROW(RidgeClassifierCV{p}, std::invalid_argument);
  p.alphas = {1.0};
  p.n_jobs = 0;
  EXPECT_THAT(message_of([&] { RidgeClassifierCV m(p); }), HasSubstr("n_jobs = 0"));
}

TEST(RidgeClassifierCV, RejectsBadInput) {
  const LabelledData d = make_classes(10, 4, 2, 1);
  RidgeClassifierCV m;
  RowMatrixD x = d.x;
  x(3, 2) = std::numeric_limits<double>::quiet_NaN();
  std::string msg = message_of([&] { m.fit<double>(x, d.y); });
  EXPECT_THAT(msg, HasSubstr("row 3"));
  EXPECT_THAT(msg, HasSubstr("column 2"));
  EXPECT_THAT(msg, HasSubstr("nan"));
  x(3, 2) = 1.0;
  x(9, 0) = -std::numeric_limits<double>::infinity();
  msg = message_of([&] { m.fit<double>(x, d.y); });
  EXPECT_THAT(msg, HasSubstr("row 9, column 0"));
  EXPECT_THAT(msg, HasSubstr("inf"));

  std::vector<std::string> short_y(d.y.begin(), d.y.end() - 1);
  EXPECT_THAT(message_of([&] { m.fit<double>(d.x, short_y); }),
              HasSubstr("x has 10 samples but y has 9 labels"));
  const std::vector<std::string> one(10, "a");
  EXPECT_THAT(message_of([&] { m.fit<double>(d.x, one); }), HasSubstr("only one class \"a\""));
  EXPECT_THAT(message_of([&] { m.fit<double>(RowMatrixD(10, 0), d.y); }), HasSubstr("10 x 0"));
  EXPECT_THAT(message_of([&] { m.fit<double>(RowMatrixD(0, 4), {}); }), HasSubstr("0 x 4"));
  EXPECT_FALSE(m.is_fitted());

  EXPECT_THROW(m.predict<double>(d.x), NotFittedError);
  EXPECT_THROW(m.coef(), NotFittedError);
  EXPECT_THROW(m.alpha(), NotFittedError);
  m.fit<double>(d.x, d.y);
  EXPECT_THAT(message_of([&] { m.predict<double>(RowMatrixD::Zero(2, 5)); }),
              HasSubstr("x has 5 features, fit() saw 4"));
  RowMatrixD bad = d.x;
  bad(1, 1) = std::numeric_limits<double>::infinity();
  EXPECT_THAT(message_of([&] { m.decision_function<double>(bad); }), HasSubstr("row 1, column 1"));
  EXPECT_THAT(message_of([&] { m.score<double>(d.x, short_y); }), HasSubstr("9 labels"));
}

TEST(RidgeClassifierCV, RefitStartsFromScratch) {
  const LabelledData a = make_classes(20, 6, 3, 1);
  const LabelledData b = make_classes(25, 9, 2, 2);
  RidgeClassifierCV m, fresh;
  m.fit<double>(a.x, a.y);
  m.fit<double>(b.x, b.y);
  fresh.fit<double>(b.x, b.y);
  EXPECT_EQ(m.classes(), fresh.classes());
  EXPECT_TRUE(m.coef() == fresh.coef());
  EXPECT_EQ(m.n_features(), 9);
}

// ---- serialization ---------------------------------------------------------------

template <class Out, class In, class M>
M round_trip(const M& model, std::string* bytes = nullptr) {
  std::stringstream ss;
  {
    Out ar(ss);
    ar(cereal::make_nvp("model", model));
  }
  if (bytes) *bytes = ss.str();
  M loaded;
  {
    In ar(ss);
    ar(cereal::make_nvp("model", loaded));
  }
  return loaded;
}

TEST(RidgeClassifierCVSerialization, BinaryAndJsonRoundTripsPredictIdentically) {
  const LabelledData d = make_classes(30, 12, 3, 6);
  RidgeClassifierCVParams p;
  p.class_weight = ClassWeight::balanced;
  p.n_jobs = 2;
  RidgeClassifierCV m(p);
  m.fit<double>(d.x, d.y);
  const auto bin =
      round_trip<cereal::PortableBinaryOutputArchive, cereal::PortableBinaryInputArchive>(m);
  std::string json;
  const auto js = round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(m, &json);
  EXPECT_THAT(json, HasSubstr("\"coef_\""));
  for (const RidgeClassifierCV* l : {&bin, &js}) {
    EXPECT_TRUE(l->is_fitted());
    EXPECT_EQ(l->classes(), m.classes());
    EXPECT_EQ(l->alpha(), m.alpha());
    EXPECT_EQ(l->best_score(), m.best_score());
    EXPECT_TRUE(l->coef() == m.coef());
    EXPECT_TRUE(l->intercept() == m.intercept());
    EXPECT_TRUE(l->cv_mse() == m.cv_mse());
    EXPECT_TRUE(l->cv_accuracy() == m.cv_accuracy());
    EXPECT_EQ(l->params().alphas, m.params().alphas);
    EXPECT_EQ(l->params().class_weight, ClassWeight::balanced);
    EXPECT_EQ(l->class_weight(), ClassWeight::balanced);
    EXPECT_EQ(l->params().n_jobs, 2);
    EXPECT_TRUE(l->decision_function<double>(d.x) == m.decision_function<double>(d.x));
    EXPECT_EQ(l->predict<double>(d.x), m.predict<double>(d.x));
    EXPECT_EQ(l->proba_scale(), m.proba_scale());
    EXPECT_EQ(l->cv_log_loss(), m.cv_log_loss());
    EXPECT_TRUE(l->predict_proba<double>(d.x) == m.predict_proba<double>(d.x));
  }
  // An unfitted model round trips as unfitted.
  const auto empty =
      round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(RidgeClassifierCV(p));
  EXPECT_FALSE(empty.is_fitted());
}

TEST(RidgeClassifierCVSerialization, UndefinedCvLogLossRoundTrips) {
  // Every class one sample: no cross-entropy; files store -1 and load it back as NaN.
  const LabelledData three = make_classes(3, 4, 3, 32);
  RidgeClassifierCV m;
  m.fit<double>(three.x, three.y);
  ASSERT_TRUE(std::isnan(m.cv_log_loss()));
  std::string json;
  EXPECT_TRUE(std::isnan(
      round_trip<cereal::PortableBinaryOutputArchive, cereal::PortableBinaryInputArchive>(m)
          .cv_log_loss()));
  EXPECT_TRUE(std::isnan(
      round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(m, &json).cv_log_loss()));
  EXPECT_THAT(json, HasSubstr("\"cv_log_loss_\": -1"));
}

TEST(RidgeClassifierCVSerialization, CorruptedBinaryNeverCrashes) {
  const LabelledData d = make_classes(12, 5, 3, 6);
  RidgeClassifierCV m;
  m.fit<double>(d.x, d.y);
  std::string bytes;
  round_trip<cereal::PortableBinaryOutputArchive, cereal::PortableBinaryInputArchive>(m, &bytes);
  auto try_load = [](const std::string& b) {
    std::stringstream ss(b);
    RidgeClassifierCV l;
    try {
      cereal::PortableBinaryInputArchive ar(ss);
      ar(l);
    } catch (const FormatError&) {
      return 1;
    } catch (const cereal::Exception&) {
      return 2;
    }
    return 0;
  };
  int rejected = 0;
  for (std::size_t len = 0; len < bytes.size(); ++len)  // every truncation
    rejected += try_load(bytes.substr(0, len)) != 0;
  EXPECT_EQ(rejected, static_cast<int>(bytes.size()));
  Rng rng(5);
  for (int trial = 0; trial < 300; ++trial) {  // random byte flips: throw or load, never crash
    std::string b = bytes;
    const auto pos = static_cast<std::size_t>(rng.uniform_int(b.size()));
    b[pos] = static_cast<char>(rng.uniform_int(256));
    try_load(b);
  }
  // Huge sizes are rejected without allocating them: coef_ is stored as rows = 3 and
  // cols = 5 (little-endian int64) followed by its values.
  auto le64 = [](std::uint64_t v) {
    std::string s(8, '\0');
    for (int k = 0; k < 8; ++k)
      s[static_cast<std::size_t>(k)] = static_cast<char>((v >> (8 * k)) & 0xff);
    return s;
  };
  const std::size_t at = bytes.find(le64(3) + le64(5));
  ASSERT_NE(at, std::string::npos);
  for (auto [rows, cols] : {std::pair<std::uint64_t, std::uint64_t>{std::uint64_t{1} << 40, 5},
                            {std::uint64_t{1} << 30, 5},
                            {std::uint64_t{1} << 62, std::uint64_t{1} << 62}}) {
    std::string b = bytes;
    b.replace(at, 16, le64(rows) + le64(cols));
    EXPECT_EQ(try_load(b), 1) << rows << " x " << cols;
  }
}

TEST(RidgeClassifierCVSerialization, InconsistentJsonIsAFormatError) {
  const LabelledData d = make_classes(12, 5, 3, 6);
  RidgeClassifierCV m;
  m.fit<double>(d.x, d.y);
  std::string json;
  round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(m, &json);
  auto load = [](const std::string& text) {
    std::stringstream ss(text);
    RidgeClassifierCV l;
    cereal::JSONInputArchive ar(ss);
    ar(cereal::make_nvp("model", l));
    return l;
  };
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = json;
    const auto pos = t.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return t.replace(pos, from.size(), to);
  };
  auto problem = [&](const std::string& text) {
    try {
      load(text);
    } catch (const FormatError& e) {
      return std::string(e.problem());
    }
    return std::string("(loaded)");
  };
  EXPECT_NO_THROW(load(json));
  EXPECT_THAT(problem(replace("\"n_features_in_\": 5", "\"n_features_in_\": 6")),
              HasSubstr("coef_ is 3 x 5, expected 3 x 6"));
  EXPECT_THAT(problem(replace("\"rows\": 3", "\"rows\": -3")), HasSubstr("negative size"));
  EXPECT_THAT(problem(replace("\"rows\": 3", "\"rows\": 4")), HasSubstr("has 15 values"));
  EXPECT_THAT(problem(replace("\"rows\": 3", "\"rows\": 4000000000000")), HasSubstr("absurd"));
  EXPECT_THAT(problem(replace("\"cereal_class_version\": 6", "\"cereal_class_version\": 7")),
              HasSubstr("unsupported version 7"));
  {
    // cv_log_loss_: -1 stands for undefined; other negative or non-finite values are
    // refused; a version-5 file has none and loads it as undefined.
    const auto pos = json.find("\"cv_log_loss_\": ");
    ASSERT_NE(pos, std::string::npos);
    const auto end = json.find_first_of(",\n}", pos + 16);
    auto with = [&](const std::string& v) {
      std::string t = json;
      return t.replace(pos, end - pos, "\"cv_log_loss_\": " + v);
    };
    EXPECT_TRUE(std::isnan(load(with("-1.0")).cv_log_loss()));
    EXPECT_EQ(load(with("0.25")).cv_log_loss(), 0.25);
    for (const char* bad : {"-0.5", "-2.0", "-1e300"}) {
      EXPECT_THAT(problem(with(bad)),
                  ::testing::AnyOf(HasSubstr("cv_log_loss_"), HasSubstr("range")))
          << bad;
      EXPECT_NE(problem(with(bad)), "(loaded)") << bad;
    }
    std::string v5 = json;
    const auto comma = v5.rfind(',', pos);  // the field is the last one: drop its comma too
    v5.replace(comma, end - comma, "");
    v5.replace(v5.find("\"cereal_class_version\": 6"), 25, "\"cereal_class_version\": 5");
    const RidgeClassifierCV old = load(v5);
    EXPECT_TRUE(std::isnan(old.cv_log_loss()));
    EXPECT_EQ(old.alpha(), m.alpha());
  }
  for (const char* bad : {"0.0", "-1.0", "10000000.0"}) {
    const auto pos = json.find("\"proba_scale_\": ");
    ASSERT_NE(pos, std::string::npos);
    std::string t = json;
    const auto end = t.find_first_of(",\n}", pos + 15);
    t.replace(pos, end - pos, std::string("\"proba_scale_\": ") + bad);
    EXPECT_THAT(problem(t), ::testing::AnyOf(HasSubstr("proba_scale_"), HasSubstr("null"))) << bad;
    EXPECT_NE(problem(t), "(loaded)") << bad;
  }
  EXPECT_THAT(problem(replace("\"class_weight\": 0", "\"class_weight\": 3")),
              HasSubstr("class_weight = 3 is unknown; expected none, balanced or choose"));
  {
    // cv_accuracy_ with a wrong size, then a value outside [0, 1].
    const auto pos = json.find("\"cv_accuracy_\"");
    ASSERT_NE(pos, std::string::npos);
    std::string t = json;
    const auto rows = t.find("\"rows\": 10", pos);
    ASSERT_NE(rows, std::string::npos);
    t.replace(rows, 10, "\"rows\": 9");
    EXPECT_THAT(problem(t), HasSubstr("10 elements"));
    t = json;
    const auto data = t.find('[', t.find("\"data\"", pos));
    const auto end = t.find_first_of(",]", data);
    ASSERT_NE(end, std::string::npos);
    t.replace(data + 1, end - data - 1, "1.5");
    EXPECT_THAT(problem(t), HasSubstr("invalid cv_accuracy_ entry"));
  }
  EXPECT_THAT(problem(replace("\"class_weight\": 0", "\"class_weight\": 5")),
              HasSubstr("class_weight = 5 is unknown; expected none, balanced or choose"));
  EXPECT_THAT(problem(replace("\"n_jobs\": 1", "\"n_jobs\": 0")), HasSubstr("n_jobs"));
  EXPECT_THAT(problem(replace("\"class_weight_\": 0", "\"class_weight_\": 1")),
              HasSubstr("class_weight_ = balanced does not follow from params.class_weight = "
                        "none"));
  EXPECT_THAT(problem(replace("\"class_weight_\": 0", "\"class_weight_\": 7")),
              HasSubstr("class_weight_ = 7 is unknown"));
  EXPECT_THAT(problem(replace("\"c0\"", "\"c1\"")), HasSubstr("classes_"));
}

}  // namespace
}  // namespace strider

namespace strider {
namespace {

// Golden model files (tests/data/linear/): models saved by version 1 of the format must
// keep loading and predicting the same. Regenerate only on purpose, with
// STRIDER_UPDATE_GOLDEN=1 (then review and commit the files).
TEST(LinearGoldenFiles, Version1ModelsLoadAndPredict) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(STRIDER_TESTS_DATA_DIR) / "linear";
  const LabelledData d = make_classes(24, 6, 3, 99, 1.0, "class ");
  RidgeClassifierCVParams p;
  p.class_weight = ClassWeight::balanced;
  RidgeClassifierCV ridge(p);
  ridge.fit<double>(d.x, d.y);
  StandardScaler scaler;
  scaler.fit<double>(d.x);
  if (const char* update = std::getenv("STRIDER_UPDATE_GOLDEN"); update && *update == '1') {
    fs::create_directories(dir);
    {
      std::ofstream out(dir / "ridge_classifier_cv_v1.json");
      cereal::JSONOutputArchive ar(out);
      ar(cereal::make_nvp("ridge", ridge));
    }
    {
      std::ofstream out(dir / "ridge_classifier_cv_v1.bin", std::ios::binary);
      cereal::PortableBinaryOutputArchive ar(out);
      ar(ridge);
    }
    {
      std::ofstream out(dir / "standard_scaler_v1.json");
      cereal::JSONOutputArchive ar(out);
      ar(cereal::make_nvp("scaler", scaler));
    }
  }
  RidgeClassifierCV json_ridge, bin_ridge;
  StandardScaler json_scaler;
  {
    std::ifstream in(dir / "ridge_classifier_cv_v1.json");
    ASSERT_TRUE(in) << dir;
    cereal::JSONInputArchive ar(in);
    ar(cereal::make_nvp("ridge", json_ridge));
  }
  {
    std::ifstream in(dir / "ridge_classifier_cv_v1.bin", std::ios::binary);
    ASSERT_TRUE(in);
    cereal::PortableBinaryInputArchive ar(in);
    ar(bin_ridge);
  }
  {
    std::ifstream in(dir / "standard_scaler_v1.json");
    ASSERT_TRUE(in);
    cereal::JSONInputArchive ar(in);
    ar(cereal::make_nvp("scaler", json_scaler));
  }
  for (const RidgeClassifierCV* m : {&json_ridge, &bin_ridge}) {
    EXPECT_EQ(m->classes(), ridge.classes());
    EXPECT_EQ(m->alpha(), ridge.alpha());
    EXPECT_EQ(m->params().class_weight, ClassWeight::balanced);
    EXPECT_LT((m->coef() - ridge.coef()).cwiseAbs().maxCoeff(),
              1e-12 * ridge.coef().cwiseAbs().maxCoeff());
    EXPECT_EQ(m->predict<double>(d.x), ridge.predict<double>(d.x));
  }
  EXPECT_LT(
      (json_scaler.transform<double>(d.x) - scaler.transform<double>(d.x)).cwiseAbs().maxCoeff(),
      1e-12);
}

}  // namespace

/// A ridge with alphas logspace(-2, 4, 13) fitted with a column choice and thread count.
RidgeClassifierCV fitted_with(const RowMatrixD& x, const std::vector<std::string>& y,
                              const ColumnChoice& choice, int threads) {
  RidgeClassifierCVParams p;
  p.alphas = logspace_alphas(-2, 4, 13);
  p.n_jobs = threads;
  RidgeClassifierCV m(p);
  m.fit<double>(x, y, choice);
  return m;
}

// The column split: two groups of columns, one informative and one pure noise that drowns
// it. The informative group alone classifies significantly more samples by leave-one-out,
// so it is kept, with the fit it has alone and zero coefficients elsewhere; two equally
// good groups keep every column; with more samples than features the split is ignored.
TEST(RidgeClassifierCV, ColumnSplitKeepsAGroupOnlyWhenItClassifiesSignificantlyBetter) {
  RidgeClassifierCVParams p;
  p.alphas = logspace_alphas(-2, 4, 13);
  auto fitted = [](const RowMatrixD& x, const std::vector<std::string>& y, index_t split,
                   int threads) {
    return fitted_with(x, y, ColumnChoice{.split = split}, threads);
  };
  const LabelledData signal = make_classes(90, 40, 3, 41, 0.5);
  const LabelledData noise = make_classes(90, 600, 3, 42, 0.0);  // sep 0: labels unrelated
  const index_t n = 90, fs = 40, fn = 600;
  for (const bool signal_first : {true, false}) {
    SCOPED_TRACE(signal_first ? "signal first" : "noise first");
    RowMatrixD x(n, fs + fn);
    if (signal_first) {
      x << signal.x, noise.x;
    } else {
      x << noise.x, signal.x;
    }
    const index_t split = signal_first ? fs : fn;
    const index_t begin = signal_first ? 0 : fn, count = fs;
    const RidgeClassifierCV all = fitted(x, signal.y, 0, 1);
    const RidgeClassifierCV alone = fitted(signal.x, signal.y, 0, 1);
    const RidgeClassifierCV chosen = fitted(x, signal.y, split, 1);
    ASSERT_GT(alone.cv_accuracy().maxCoeff(), all.cv_accuracy().maxCoeff() + 0.1);
    EXPECT_EQ(all.kept_columns(), (std::pair<index_t, index_t>{0, fs + fn}));
    EXPECT_EQ(chosen.kept_columns(), (std::pair<index_t, index_t>{begin, begin + count}));
    // The signal group's own fit, up to the rounding of another centring of its Gram
    // matrix; the other columns 0.
    EXPECT_EQ(chosen.alpha(), alone.alpha());
    const double scale = alone.coef().cwiseAbs().maxCoeff();
    EXPECT_LT((chosen.coef().middleCols(begin, count) - alone.coef()).cwiseAbs().maxCoeff(),
              1e-9 * scale);
    EXPECT_EQ(chosen.coef().leftCols(begin).cwiseAbs().sum(), 0.0);  // exact zeros
    EXPECT_EQ(chosen.coef().rightCols(fs + fn - begin - count).cwiseAbs().sum(), 0.0);
    EXPECT_LT((chosen.intercept() - alone.intercept()).cwiseAbs().maxCoeff(), 1e-9);
    EXPECT_LT((chosen.cv_accuracy() - alone.cv_accuracy()).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_EQ(chosen.predict<double>(x), alone.predict<double>(signal.x));
    // Saved and loaded with the kept columns.
    std::stringstream ss;
    {
      cereal::JSONOutputArchive out(ss);
      out(cereal::make_nvp("r", chosen));
    }
    RidgeClassifierCV back;
    {
      cereal::JSONInputArchive in(ss);
      in(cereal::make_nvp("r", back));
    }
    EXPECT_EQ(back.kept_columns(), chosen.kept_columns());
    EXPECT_TRUE(back.coef() == chosen.coef());
    // Bit-identical for any number of threads.
    const RidgeClassifierCV two = fitted(x, signal.y, split, 2);
    EXPECT_TRUE(two.coef() == chosen.coef());
    EXPECT_EQ(two.kept_columns(), chosen.kept_columns());
  }
  {
    // Two halves of the same informative columns: neither alone does significantly
    // better, so every column is kept, the fit without the split up to rounding.
    const LabelledData d = make_classes(90, 400, 3, 43, 0.3);
    const RidgeClassifierCV whole = fitted(d.x, d.y, 0, 1);
    const RidgeClassifierCV chosen = fitted(d.x, d.y, 200, 1);
    EXPECT_EQ(chosen.kept_columns(), (std::pair<index_t, index_t>{0, 400}));
    EXPECT_EQ(chosen.alpha(), whole.alpha());
    const double scale = whole.coef().cwiseAbs().maxCoeff();
    EXPECT_LT((chosen.coef() - whole.coef()).cwiseAbs().maxCoeff(), 1e-9 * scale);
    EXPECT_EQ(chosen.predict<double>(d.x), whole.predict<double>(d.x));
  }
  {
    // More samples than features: covariance mode, the split is ignored.
    const LabelledData d = make_classes(200, 40, 3, 44, 0.3);
    const RidgeClassifierCV whole = fitted(d.x, d.y, 0, 1);
    const RidgeClassifierCV split = fitted(d.x, d.y, 20, 1);
    EXPECT_EQ(split.kept_columns(), (std::pair<index_t, index_t>{0, 40}));
    EXPECT_TRUE(split.coef() == whole.coef());
  }
  const LabelledData d = make_classes(30, 10, 2, 45);
  for (const index_t bad : {index_t{-1}, index_t{10}, index_t{11}}) {
    RidgeClassifierCV m(p);
    EXPECT_THAT(message_of([&] { m.fit<double>(d.x, d.y, ColumnChoice{.split = bad}); }),
                HasSubstr("column split = " + std::to_string(bad) + " is outside [0, 10)"));
    EXPECT_FALSE(m.is_fitted());
  }
}

TEST(RidgeClassifierCV, StridedColumnsAreKeptAloneOnlyWhenTheyClassifySignificantlyBetter) {
  RidgeClassifierCVParams p;
  p.alphas = logspace_alphas(-2, 4, 13);
  const auto& fitted = fitted_with;
  // 4 columns per "kernel": the last of each is informative, the other three noise, as
  // the fourth feature of each kernel is laid out in a KernelClassifier's features.
  const index_t n = 90, kernels = 100, per = 4;
  const LabelledData signal = make_classes(n, kernels, 3, 51, 0.5);
  const LabelledData noise = make_classes(n, 3 * kernels, 3, 52, 0.0);
  RowMatrixD x(n, per * kernels);
  for (index_t k = 0; k < kernels; ++k) {
    x.col(per * k + 3) = signal.x.col(k);
    for (index_t t = 0; t < 3; ++t)
      x.col(per * k + t) = 4.0 * noise.x.col(3 * k + t);  // noise that dominates the Gram
  }
  const ColumnChoice strided{.period = per, .residue = 3};
  const RidgeClassifierCV all = fitted(x, signal.y, {}, 1);
  const RidgeClassifierCV alone = fitted(signal.x, signal.y, {}, 1);
  const RidgeClassifierCV chosen = fitted(x, signal.y, strided, 1);
  ASSERT_GT(alone.cv_accuracy().maxCoeff(), all.cv_accuracy().maxCoeff() + 0.1);
  EXPECT_EQ(chosen.kept_columns(), (std::pair<index_t, index_t>{0, per * kernels}));
  EXPECT_EQ(chosen.alpha(), alone.alpha());
  const double scale = alone.coef().cwiseAbs().maxCoeff();
  for (index_t k = 0; k < kernels; ++k) {
    EXPECT_LT((chosen.coef().col(per * k + 3) - alone.coef().col(k)).cwiseAbs().maxCoeff(),
              1e-9 * scale);
    for (index_t t = 0; t < 3; ++t)
      EXPECT_EQ(chosen.coef().col(per * k + t).cwiseAbs().sum(), 0.0);  // exact zeros
  }
  EXPECT_LT((chosen.intercept() - alone.intercept()).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((chosen.cv_accuracy() - alone.cv_accuracy()).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_EQ(chosen.predict<double>(x), alone.predict<double>(signal.x));
  // Saved and loaded: the same coefficients, zeros included.
  const RidgeClassifierCV back =
      round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(chosen);
  EXPECT_TRUE(back.coef() == chosen.coef());
  EXPECT_EQ(back.predict<double>(x), chosen.predict<double>(x));
  // Bit-identical for any number of threads.
  const RidgeClassifierCV two = fitted(x, signal.y, strided, 2);
  EXPECT_TRUE(two.coef() == chosen.coef());
  {
    // The informative columns spread over all four positions: the strided ones alone do
    // not classify significantly better, every column is kept.
    const LabelledData d = make_classes(n, per * kernels, 3, 53, 0.3);
    const RidgeClassifierCV whole = fitted(d.x, d.y, {}, 1);
    const RidgeClassifierCV kept = fitted(d.x, d.y, strided, 1);
    EXPECT_GT(kept.coef().col(0).cwiseAbs().maxCoeff(), 0.0);  // a non-strided column
    EXPECT_EQ(kept.alpha(), whole.alpha());
    EXPECT_LT((kept.coef() - whole.coef()).cwiseAbs().maxCoeff(),
              1e-9 * whole.coef().cwiseAbs().maxCoeff());
  }
  {
    // With a split too: loud noise kernels first, the kernels above second; the second
    // group alone is kept, then its strided columns alone.
    RowMatrixD y2(n, 2 * per * kernels);
    y2 << RowMatrixD(20.0 * noise.x.leftCols(per * kernels / 4).replicate(1, 4)), x;
    const index_t split = per * kernels;
    const RidgeClassifierCV both =
        fitted(y2, signal.y, {.split = split, .period = per, .residue = 3}, 1);
    EXPECT_EQ(both.kept_columns(), (std::pair<index_t, index_t>{split, 2 * split}));
    EXPECT_EQ(both.alpha(), alone.alpha());
    EXPECT_LT((both.coef().rightCols(split) - chosen.coef()).cwiseAbs().maxCoeff(), 1e-9 * scale);
    EXPECT_EQ(both.coef().leftCols(split).cwiseAbs().sum(), 0.0);
  }
  {
    // The strided columns' own significance level. All columns miss m training samples,
    // so a candidate can pass only at a level above 0.5^m; at four times that level it is
    // fitted and tested, and it does not pass (at kChooseMaxP it does, above): all the
    // columns are kept.
    const auto& grid = p.alphas;
    const auto k_all =
        static_cast<index_t>(std::find(grid.begin(), grid.end(), all.alpha()) - grid.begin());
    const auto misses = static_cast<index_t>(
        std::lround(static_cast<double>(n) * (1.0 - all.cv_accuracy()(k_all))));
    ASSERT_GE(misses, 10);
    ColumnChoice strict = strided;
    strict.period_max_p = 4.0 * std::pow(0.5, static_cast<double>(misses));
    const RidgeClassifierCV kept = fitted(x, signal.y, strict, 1);
    EXPECT_GT(kept.coef().col(0).cwiseAbs().maxCoeff(), 0.0);
    EXPECT_EQ(kept.alpha(), all.alpha());
    EXPECT_LT((kept.coef() - all.coef()).cwiseAbs().maxCoeff(),
              1e-9 * all.coef().cwiseAbs().maxCoeff());
    strict.period_max_p = 1e-300;  // below any p-value: the candidate is not even fitted
    EXPECT_TRUE(fitted(x, signal.y, strict, 1).coef() == kept.coef());
    strict.period_max_p = 0.5;  // looser than kChooseMaxP: chosen as at the default level
    EXPECT_TRUE(fitted(x, signal.y, strict, 1).coef() == chosen.coef());
  }
  {
    // More samples than features: covariance mode, the choice is ignored.
    const LabelledData d = make_classes(200, 40, 3, 54, 0.3);
    EXPECT_TRUE(fitted(d.x, d.y, strided, 1).coef() == fitted(d.x, d.y, {}, 1).coef());
  }
  const LabelledData d = make_classes(30, 10, 2, 45);
  for (const double bad : {0.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    RidgeClassifierCV m(p);
    EXPECT_THAT(message_of([&] {
                  m.fit<double>(d.x, d.y,
                                ColumnChoice{.period = 4, .residue = 3, .period_max_p = bad});
                }),
                HasSubstr("column period_max_p = "));
    EXPECT_FALSE(m.is_fitted());
  }
  for (const auto& [period, residue] :
       {std::pair<index_t, index_t>{-1, 0}, {1, 0}, {4, 4}, {4, -1}}) {
    RidgeClassifierCV m(p);
    EXPECT_THAT(message_of([&] {
                  m.fit<double>(d.x, d.y, ColumnChoice{.period = period, .residue = residue});
                }),
                HasSubstr("column period = " + std::to_string(period) + " with residue " +
                          std::to_string(residue)));
    EXPECT_FALSE(m.is_fitted());
  }
}

}  // namespace strider
