// Fits that read the training set in batches: StandardScaler::partial_fit,
// RidgeClassifierCV::fit_batches, KernelClassifier::fit_batches and the sources they read,
// each against the in-memory fit of the same data.

#include <gtest/gtest.h>

#include <Eigen/Cholesky>

#include <barrier>
#include <cmath>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "strider/classifier.hpp"
#include "strider/communicator.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/random.hpp"
#include "strider/serialization.hpp"
#include "strider/series_source.hpp"

namespace strider {
namespace {

// A classification problem with class-dependent means, n x f, labels "a", "b", "c"
// (class sizes in the ratio 1 : 2 : 3 when imbalanced).
struct Problem {
  RowMatrixD x;
  std::vector<std::string> y;
};

Problem make_problem(index_t n, index_t f, bool imbalanced, std::uint64_t seed) {
  Rng rng(seed, 0);
  Problem p{RowMatrixD(n, f), {}};
  for (index_t i = 0; i < n; ++i) {
    const index_t k = imbalanced ? (i % 6 == 0 ? 0 : (i % 6 < 3 ? 1 : 2)) : i % 3;
    p.y.push_back(std::string(1, static_cast<char>('a' + k)));
    for (index_t j = 0; j < f; ++j)
      p.x(i, j) = rng.normal() + (j % 3 == k ? 0.8 : 0.0) + 3.0 * static_cast<double>(j % 5);
  }
  return p;
}

// The pass over `p` in batches of `batch` rows.
RidgeClassifierCV::BatchPass batches_of(const Problem& p, index_t batch) {
  return [&p, batch](const RidgeClassifierCV::BatchVisitor& visit) {
    for (index_t i0 = 0; i0 < p.x.rows(); i0 += batch) {
      const index_t b = std::min(batch, p.x.rows() - i0);
      const RowMatrixD x = p.x.middleRows(i0, b);
      visit(x, std::vector<std::string>(p.y.begin() + i0, p.y.begin() + i0 + b));
    }
  };
}

double max_abs_diff(const Eigen::Ref<const Eigen::MatrixXd>& a,
                    const Eigen::Ref<const Eigen::MatrixXd>& b) {
  return (a - b).cwiseAbs().maxCoeff();
}

TEST(StandardScalerPartialFit, BatchesGiveTheStatisticsOfOneFit) {
  const Problem p = make_problem(203, 9, false, 1);
  StandardScaler whole;
  whole.fit<double>(p.x);
  StandardScaler parts;
  for (index_t i0 : {0, 1, 60, 200}) {
    const index_t end = i0 == 0 ? 1 : (i0 == 1 ? 60 : (i0 == 60 ? 200 : 203));
    parts.partial_fit<double>(p.x.middleRows(i0, end - i0));
  }
  EXPECT_EQ(parts.n_samples_seen(), 203);
  EXPECT_LT(max_abs_diff(parts.mean(), whole.mean()), 1e-12);
  EXPECT_LT(max_abs_diff(parts.var(), whole.var()), 1e-11);
  EXPECT_LT(max_abs_diff(parts.scale(), whole.scale()), 1e-12);
}

TEST(StandardScalerPartialFit, FirstCallIsFitAndBadBatchesChangeNothing) {
  const Problem p = make_problem(50, 4, false, 2);
  StandardScaler a, b;
  a.partial_fit<double>(p.x);
  b.fit<double>(p.x);
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_EQ(a.scale(), b.scale());
  EXPECT_THROW(a.partial_fit<double>(RowMatrixD::Zero(3, 5)), std::invalid_argument);
  RowMatrixD bad = RowMatrixD::Zero(2, 4);
  bad(1, 2) = std::nan("");
  EXPECT_THROW(a.partial_fit<double>(bad), std::invalid_argument);
  EXPECT_EQ(a.n_samples_seen(), 50);
  EXPECT_EQ(a.mean(), b.mean());
  // A constant feature keeps scale 1 however it is batched.
  RowMatrixD c = RowMatrixD::Constant(30, 2, 7.25);
  c.col(1).setLinSpaced(30, 0.0, 1.0);
  StandardScaler s;
  s.partial_fit<double>(c.topRows(10));
  s.partial_fit<double>(c.bottomRows(20));
  EXPECT_EQ(s.scale()(0), 1.0);
  EXPECT_GT(s.scale()(1), 0.2);
}

// fit_batches() against fit() on the same rows: the same alpha by the same leave-one-out
// errors, the same coefficients up to rounding.
void expect_same_fit(const Problem& p, RidgeClassifierCVParams params, index_t batch, double tol) {
  params.n_jobs = 2;
  RidgeClassifierCV whole(params), parts(params);
  whole.fit<double>(p.x, p.y);
  parts.fit_batches(batches_of(p, batch));
  EXPECT_EQ(parts.classes(), whole.classes());
  EXPECT_EQ(parts.alpha(), whole.alpha());
  EXPECT_EQ(parts.class_weight(), whole.class_weight());
  const double scale = whole.coef().cwiseAbs().maxCoeff();
  EXPECT_LT(max_abs_diff(parts.coef(), whole.coef()), tol * scale);
  EXPECT_LT(max_abs_diff(parts.intercept(), whole.intercept()), tol * (1.0 + scale));
  for (index_t a = 0; a < whole.cv_mse().size(); ++a) {
    EXPECT_NEAR(parts.cv_mse()(a), whole.cv_mse()(a), tol * whole.cv_mse()(a)) << a;
    EXPECT_EQ(parts.cv_accuracy()(a), whole.cv_accuracy()(a)) << a;
  }
  EXPECT_NEAR(parts.proba_scale(), whole.proba_scale(), 1e-5 * whole.proba_scale());
  EXPECT_NEAR(parts.cv_log_loss(), whole.cv_log_loss(), 1e-5 * whole.cv_log_loss());
  EXPECT_EQ(parts.predict<double>(p.x), whole.predict<double>(p.x));
}

TEST(RidgeClassifierCVBatches, MoreSamplesThanFeaturesMatchesFit) {
  const Problem p = make_problem(300, 40, false, 3);
  RidgeClassifierCVParams params{.alphas = logspace_alphas(-3, 3, 13)};
  expect_same_fit(p, params, 37, 1e-8);
  params.fit_intercept = false;
  expect_same_fit(p, params, 300, 1e-8);
}

TEST(RidgeClassifierCVBatches, FewerSamplesThanFeaturesMatchesTheGramFit) {
  const Problem p = make_problem(60, 90, true, 4);
  RidgeClassifierCVParams params{.alphas = logspace_alphas(-1, 4, 11),
                                 .class_weight = ClassWeight::balanced};
  expect_same_fit(p, params, 16, 1e-7);
}

TEST(RidgeClassifierCVBatches, ClassWeightsAndTwoClasses) {
  Problem p = make_problem(240, 12, true, 5);
  for (auto& label : p.y)
    if (label == "c") label = "b";  // two classes, 1 : 5
  expect_same_fit(p, {.alphas = logspace_alphas(-2, 3, 6), .class_weight = ClassWeight::balanced},
                  50, 1e-8);
  expect_same_fit(p, {.alphas = logspace_alphas(-2, 3, 6), .class_weight = ClassWeight::none}, 50,
                  1e-8);
  // choose: these counts are far from equal frequencies, so the chi-square test prefers
  // none, which fit() keeps unless balanced is significantly better by leave-one-out.
  RidgeClassifierCV c({.alphas = logspace_alphas(-2, 3, 6), .class_weight = ClassWeight::choose});
  c.fit_batches(batches_of(p, 64));
  EXPECT_EQ(c.class_weight(), ClassWeight::none);
}

TEST(RidgeClassifierCVBatches, BitIdenticalForAnyThreadCount) {
  const Problem p = make_problem(500, 300, false, 6);
  RidgeClassifierCV one({.alphas = logspace_alphas(-2, 3, 6), .n_jobs = 1});
  RidgeClassifierCV two({.alphas = logspace_alphas(-2, 3, 6), .n_jobs = 2});
  one.fit_batches(batches_of(p, 128));
  two.fit_batches(batches_of(p, 128));
  EXPECT_EQ(one.coef(), two.coef());
  EXPECT_EQ(one.intercept(), two.intercept());
  EXPECT_EQ(one.cv_mse(), two.cv_mse());
  EXPECT_EQ(one.proba_scale(), two.proba_scale());
  EXPECT_EQ(one.cv_log_loss(), two.cv_log_loss());
}

TEST(RidgeClassifierCVBatches, RefusesBadSetsAndKeepsTheModel) {
  const Problem p = make_problem(90, 6, false, 7);
  RidgeClassifierCV r({.alphas = {0.1, 1.0}});
  r.fit_batches(batches_of(p, 30));
  const ColMatrix<double> coef = r.coef();
  // One class.
  Problem one = p;
  std::fill(one.y.begin(), one.y.end(), "a");
  EXPECT_THROW(r.fit_batches(batches_of(one, 30)), std::invalid_argument);
  // Batches that change between passes.
  int calls = 0;
  EXPECT_THROW(r.fit_batches([&](const RidgeClassifierCV::BatchVisitor& visit) {
    const index_t n = ++calls == 1 ? 90 : 60;
    visit(p.x.topRows(n), std::vector<std::string>(p.y.begin(), p.y.begin() + n));
  }),
               std::runtime_error);
  // A feature count that changes between batches.
  EXPECT_THROW(r.fit_batches([&](const RidgeClassifierCV::BatchVisitor& visit) {
    visit(p.x.topRows(30), std::vector<std::string>(p.y.begin(), p.y.begin() + 30));
    visit(p.x.bottomRows(30).leftCols(5), std::vector<std::string>(p.y.end() - 30, p.y.end()));
  }),
               std::invalid_argument);
  EXPECT_EQ(r.coef(), coef);
}

TEST(RidgeClassifierCVBatches, LooRowsDrawOneSampleFromEachRun) {
  // Up to loo_sample samples: all of them.
  std::vector<index_t> all(10);
  for (index_t i = 0; i < 10; ++i)
    all[static_cast<std::size_t>(i)] = i;
  EXPECT_EQ(RidgeClassifierCV::loo_rows(10, 20), all);
  EXPECT_EQ(RidgeClassifierCV::loo_rows(10, 10), all);
  EXPECT_TRUE(RidgeClassifierCV::loo_rows(0, 5).empty());
  // More: exactly loo_sample, sample k from [floor(k n / L), floor((k + 1) n / L)).
  for (const auto& [n, l] : {std::pair<index_t, index_t>{101, 10}, {20001, 20000}, {997, 300}}) {
    const std::vector<index_t> r = RidgeClassifierCV::loo_rows(n, l);
    ASSERT_EQ(static_cast<index_t>(r.size()), l);
    for (index_t k = 0; k < l; ++k) {
      EXPECT_GE(r[static_cast<std::size_t>(k)], k * n / l) << n << " " << k;
      EXPECT_LT(r[static_cast<std::size_t>(k)], (k + 1) * n / l) << n << " " << k;
    }
  }
  const std::vector<index_t> rows = RidgeClassifierCV::loo_rows(101, 10);
  EXPECT_EQ(RidgeClassifierCV::loo_rows(101, 10), rows);  // drawn from a fixed seed
  // Drawn, not at a fixed offset: classes that repeat with the run's period (i % 3,
  // runs of 3) each get about a third of the sample, where every third sample would
  // give one class alone.
  const std::vector<index_t> periodic = RidgeClassifierCV::loo_rows(3000, 1000);
  ASSERT_EQ(periodic.size(), 1000u);
  int count[3] = {0, 0, 0};
  for (index_t i : periodic)
    ++count[i % 3];
  for (int c : count) {
    EXPECT_GT(c, 280);
    EXPECT_LT(c, 390);
  }
  EXPECT_THROW(RidgeClassifierCV::loo_rows(10, 0), std::invalid_argument);
  EXPECT_THROW(RidgeClassifierCV::loo_rows(-1, 5), std::invalid_argument);
}

// A sample's leave-one-out values, against refitting without each sampled row (no
// intercept, no class weights: the LOO model is (X^T X - x x^T + a I)^{-1} (X^T Y - x y^T)).
TEST(RidgeClassifierCVBatches, SampleLeaveOneOutErrorsAreTheSampledRowsExactErrors) {
  const Problem p = make_problem(300, 40, false, 3);
  const std::vector<double> alphas = logspace_alphas(-1, 4, 6);
  RidgeClassifierCV r({.alphas = alphas, .fit_intercept = false, .n_jobs = 2});
  r.fit_batches(batches_of(p, 37), 50);
  const std::vector<index_t> rows = RidgeClassifierCV::loo_rows(300, 50);
  ASSERT_EQ(rows.size(), 50u);
  const index_t f = p.x.cols();
  Eigen::MatrixXd y = Eigen::MatrixXd::Constant(300, 3, -1.0);
  for (index_t i = 0; i < 300; ++i)
    y(i, p.y[static_cast<std::size_t>(i)][0] - 'a') = 1.0;
  const Eigen::MatrixXd xtx = p.x.transpose() * p.x, xty = p.x.transpose() * y;
  std::size_t best = 0;
  std::vector<double> mse(alphas.size());
  for (std::size_t a = 0; a < alphas.size(); ++a) {
    double err = 0.0;
    index_t hits = 0;
    for (index_t i : rows) {
      const Eigen::VectorXd xi = p.x.row(i).transpose();
      const Eigen::MatrixXd m =
          xtx - xi * xi.transpose() + alphas[a] * Eigen::MatrixXd::Identity(f, f);
      const Eigen::MatrixXd beta = m.ldlt().solve(xty - xi * y.row(i));
      const Eigen::RowVectorXd pred = xi.transpose() * beta;
      err += (y.row(i) - pred).squaredNorm();
      index_t cls = 0, truth = 0;
      pred.maxCoeff(&cls);
      y.row(i).maxCoeff(&truth);
      hits += cls == truth;
    }
    mse[a] = err / (50.0 * 3.0);
    EXPECT_NEAR(r.cv_mse()(static_cast<index_t>(a)), mse[a], 1e-9 * mse[a]) << a;
    EXPECT_EQ(r.cv_accuracy()(static_cast<index_t>(a)), static_cast<double>(hits) / 50.0) << a;
    if (mse[a] < mse[best]) best = a;
  }
  EXPECT_EQ(r.alpha(), alphas[best]);
  // The coefficients are the whole set's at that alpha, as with every sample.
  RidgeClassifierCV fixed({.alphas = {alphas[best]}, .fit_intercept = false});
  fixed.fit_batches(batches_of(p, 300));
  EXPECT_LT(max_abs_diff(r.coef(), fixed.coef()), 1e-10 * fixed.coef().cwiseAbs().maxCoeff());
}

TEST(RidgeClassifierCVBatches, ASamplePassGivesTheModelOfTheWholePass) {
  const Problem p = make_problem(400, 30, true, 8);
  const RidgeClassifierCVParams params{.alphas = logspace_alphas(-2, 3, 6),
                                       .class_weight = ClassWeight::balanced};
  const std::vector<index_t> rows = RidgeClassifierCV::loo_rows(400, 70);
  // The sampled rows in batches of 16 (`extra` more or fewer, the last one repeated).
  const auto sample_pass = [&](index_t extra) {
    return [&, extra](const std::vector<index_t>& asked,
                      const RidgeClassifierCV::BatchVisitor& visit) {
      EXPECT_EQ(asked, rows);  // one process: its share is the whole sample
      const auto count = static_cast<index_t>(asked.size()) + extra;
      for (index_t k0 = 0; k0 < count; k0 += 16) {
        const index_t b = std::min<index_t>(16, count - k0);
        RowMatrixD x(b, p.x.cols());
        std::vector<std::string> y;
        for (index_t k = 0; k < b; ++k) {
          const index_t i = asked[std::min<std::size_t>(static_cast<std::size_t>(k0 + k), 69)];
          x.row(k) = p.x.row(i);
          y.push_back(p.y[static_cast<std::size_t>(i)]);
        }
        visit(x, y);
      }
    };
  };
  RidgeClassifierCV whole(params), sampled(params);
  whole.fit_batches(batches_of(p, 50), 70);
  sampled.fit_batches(batches_of(p, 50), 70, nullptr, sample_pass(0));
  // The same model; the sums of the errors differ in order (other batches) by rounding.
  EXPECT_EQ(sampled.alpha(), whole.alpha());
  EXPECT_EQ(sampled.coef(), whole.coef());
  for (index_t a = 0; a < whole.cv_mse().size(); ++a)
    EXPECT_NEAR(sampled.cv_mse()(a), whole.cv_mse()(a), 1e-12 * whole.cv_mse()(a)) << a;
  EXPECT_EQ(sampled.cv_accuracy(), whole.cv_accuracy());
  EXPECT_NEAR(sampled.proba_scale(), whole.proba_scale(), 1e-9 * whole.proba_scale());
  EXPECT_NEAR(sampled.cv_log_loss(), whole.cv_log_loss(), 1e-9 * whole.cv_log_loss());
  // A sample pass that gives more or fewer samples than asked for, or a later pass with a
  // label missing, is refused and leaves the model as it was.
  RidgeClassifierCV refused(params);
  refused.fit_batches(batches_of(p, 400));
  const ColMatrix<double> coef = refused.coef();
  EXPECT_THROW(refused.fit_batches(batches_of(p, 50), 70, nullptr, sample_pass(3)),
               std::runtime_error);
  EXPECT_THROW(refused.fit_batches(batches_of(p, 50), 70, nullptr, sample_pass(-5)),
               std::runtime_error);
  for (const int short_pass : {2, 3}) {  // the covariance or the leave-one-out pass
    int calls = 0;
    EXPECT_THROW(refused.fit_batches([&](const RidgeClassifierCV::BatchVisitor& visit) {
      const index_t labels = ++calls == short_pass ? 399 : 400;
      visit(p.x, std::vector<std::string>(p.y.begin(), p.y.begin() + labels));
    }),
                 std::runtime_error)
        << short_pass;
  }
  EXPECT_THROW(refused.fit_batches(batches_of(p, 50), 0), std::invalid_argument);
  EXPECT_EQ(refused.coef(), coef);
}

TEST(CylinderBellFunnelSource, BatchesAreTheSetInOnePiece) {
  const Panel whole = datasets::make_cylinder_bell_funnel(50, 40, true, 9);
  datasets::CylinderBellFunnelSource source(50, 40, true, 9);
  EXPECT_EQ(source.n_series(), 50);
  for (int round = 0; round < 2; ++round) {
    source.rewind();
    index_t row = 0;
    for (Panel b = source.next(7); b.n_series() > 0; b = source.next(7)) {
      for (index_t i = 0; i < b.n_series(); ++i, ++row) {
        EXPECT_EQ(b.labels()[static_cast<std::size_t>(i)],
                  whole.labels()[static_cast<std::size_t>(row)]);
        for (index_t t = 0; t < 40; ++t)
          ASSERT_EQ(b(i, 0, t), whole(row, 0, t));
      }
    }
    EXPECT_EQ(row, 50);
  }
  EXPECT_THROW(datasets::CylinderBellFunnelSource(0, 40), std::invalid_argument);
  EXPECT_THROW(source.next(0), std::invalid_argument);
}

KernelClassifierParams batch_params() {
  KernelClassifierParams p;
  p.transform.n_kernels = 300;
  p.choose_normalization = false;
  p.float32 = false;  // float64 here; the tests that want float32 say so
  p.ridge.class_weight = ClassWeight::balanced;
  p.set_n_jobs(2);
  return p;
}

TEST(KernelClassifierBatches, MatchesTheInMemoryFit) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({240, 300, 96, true, 3});
  KernelClassifier whole(batch_params());
  whole.fit(d.train);
  KernelClassifier parts(batch_params());
  PanelSource source(d.train);
  index_t last_done = 0, last_total = 0;
  parts.set_progress_callback([&](index_t done, index_t total) {
    EXPECT_GE(done, last_done);
    last_done = done;
    last_total = total;
  });
  parts.fit_batches(source, {.batch_size = 50});
  parts.set_progress_callback({});
  EXPECT_EQ(last_done, 5 * 240);
  EXPECT_EQ(last_total, 5 * 240);
  EXPECT_EQ(parts.ridge().alpha(), whole.ridge().alpha());
  EXPECT_EQ(parts.transform().kernels().size(), whole.transform().kernels().size());
  const RowMatrixD a = whole.decision_function(d.test), b = parts.decision_function(d.test);
  EXPECT_LT(max_abs_diff(a, b), 1e-6 * (1.0 + a.cwiseAbs().maxCoeff()));
  EXPECT_EQ(parts.predict(d.test), whole.predict(d.test));
  // The model is an ordinary one: it saves and loads.
  const KernelClassifier loaded = from_bytes<KernelClassifier>(to_bytes(parts));
  EXPECT_EQ(loaded.predict(d.test), parts.predict(d.test));
  EXPECT_FALSE(loaded.params().choose_normalization);
  EXPECT_FALSE(loaded.params().choose_features);  // on by default, not applied in batches
}

TEST(KernelClassifierBatches, GeneratedSetAnyThreadCountAndKernelSample) {
  datasets::CylinderBellFunnelSource source(600, 64, true, 11);
  KernelClassifierParams p = batch_params();
  p.float32 = true;
  std::string bytes[2];
  for (int k = 0; k < 2; ++k) {
    p.set_n_jobs(k + 1);
    KernelClassifier c(p);
    index_t last_done = 0, last_total = 0;
    c.set_progress_callback([&](index_t done, index_t total) {
      last_done = done;
      last_total = total;
    });
    c.fit_batches(source, {.batch_size = 128, .kernel_sample = 100, .loo_sample = 250});
    c.set_progress_callback({});
    // The kernel sample, three passes over the set, then only the leave-one-out sample.
    EXPECT_EQ(last_done, 100 + 3 * 600 + 250);
    EXPECT_EQ(last_total, last_done);
    c.set_n_jobs(1);  // n_jobs is saved with the params
    bytes[k] = to_bytes(c);
    const TrainTest d = datasets::load_cylinder_bell_funnel({30, 300, 64, true, 12});
    EXPECT_GT(c.score(d.test), 0.9);
  }
  EXPECT_EQ(bytes[0], bytes[1]);
}

TEST(KernelClassifierBatches, InterruptedOrRefusedFitChangesNothing) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({60, 30, 64, true, 13});
  KernelClassifier c(batch_params());
  PanelSource source(d.train);
  c.set_progress_callback([](index_t done, index_t) {
    if (done > 100) throw std::runtime_error("interrupted");
  });
  EXPECT_THROW(c.fit_batches(source), std::runtime_error);
  EXPECT_FALSE(c.is_fitted());
  c.set_progress_callback({});
  EXPECT_THROW(c.fit_batches(source, {.batch_size = 0}), std::invalid_argument);
  const Panel one = d.train.subset({0});
  PanelSource tiny(one);
  EXPECT_THROW(c.fit_batches(tiny), std::invalid_argument);
  EXPECT_FALSE(c.is_fitted());
}

TEST(StandardScalerMerge, TwoHalvesMergeToTheWhole) {
  const Problem p = make_problem(150, 7, false, 21);
  StandardScaler whole, first, second, empty;
  whole.fit<double>(p.x);
  first.fit<double>(p.x.topRows(61));
  second.fit<double>(p.x.bottomRows(89));
  first.merge(second).merge(empty);  // an unfitted scaler adds nothing
  EXPECT_EQ(first.n_samples_seen(), 150);
  EXPECT_LT(max_abs_diff(first.mean(), whole.mean()), 1e-12);
  EXPECT_LT(max_abs_diff(first.var(), whole.var()), 1e-11);
  StandardScaler fresh;
  fresh.merge(whole);  // an unfitted scaler takes the other's statistics
  EXPECT_EQ(fresh.mean(), whole.mean());
  StandardScaler narrow;
  narrow.fit<double>(p.x.leftCols(3));
  EXPECT_THROW(narrow.merge(whole), std::invalid_argument);
}

// The processes of a fit played by threads of this one: sums and gathers meet at a
// barrier, each thread adding its part in rank order.
class ThreadGroup {
 public:
  explicit ThreadGroup(int size) : size_(size), barrier_(size), parts_(size) {}

  class Member final : public Communicator {
   public:
    Member(ThreadGroup& g, int rank) : g_(g), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return g_.size_; }
    void sum(double* data, std::size_t n) override {
      std::vector<std::string> all = all_gather(std::string(reinterpret_cast<char*>(data), n * 8));
      for (std::size_t k = 0; k < n; ++k) {
        double s = 0.0;
        for (const std::string& part : all)
          s += reinterpret_cast<const double*>(part.data())[k];
        data[k] = s;
      }
    }
    std::vector<std::string> all_gather(const std::string& bytes) override {
      g_.parts_[static_cast<std::size_t>(rank_)] = bytes;
      g_.barrier_.arrive_and_wait();
      std::vector<std::string> all = g_.parts_;
      g_.barrier_.arrive_and_wait();
      return all;
    }

   private:
    ThreadGroup& g_;
    int rank_;
  };

 private:
  int size_;
  std::barrier<> barrier_;
  std::vector<std::string> parts_;
};

// Several processes, the ridge's own third pass picking the sampled rows of each share:
// shares of 100 rows cut runs of the sample (runs of 300 / 70 rows) in two.
TEST(RidgeClassifierCVBatches, ProcessesPickTheSampleOfTheirShares) {
  const Problem p = make_problem(300, 20, true, 12);
  const RidgeClassifierCVParams params{.alphas = logspace_alphas(-2, 3, 6),
                                       .class_weight = ClassWeight::balanced};
  RidgeClassifierCV alone(params);
  alone.fit_batches(batches_of(p, 32), 70);
  ThreadGroup group(3);
  std::vector<RidgeClassifierCV> fitted(3, RidgeClassifierCV(params));
  std::vector<Problem> shares(3);
  for (index_t r = 0; r < 3; ++r) {
    shares[static_cast<std::size_t>(r)] = {
        p.x.middleRows(100 * r, 100),
        std::vector<std::string>(p.y.begin() + 100 * r, p.y.begin() + 100 * (r + 1))};
  }
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      ThreadGroup::Member member(group, r);
      fitted[static_cast<std::size_t>(r)].fit_batches(
          batches_of(shares[static_cast<std::size_t>(r)], 32), 70, &member);
    });
  }
  for (std::thread& t : threads)
    t.join();
  for (const RidgeClassifierCV& c : fitted) {
    EXPECT_EQ(c.alpha(), alone.alpha());
    EXPECT_EQ(c.cv_accuracy(), alone.cv_accuracy());
    for (index_t a = 0; a < alone.cv_mse().size(); ++a)
      EXPECT_NEAR(c.cv_mse()(a), alone.cv_mse()(a), 1e-9 * alone.cv_mse()(a)) << a;
    EXPECT_NEAR(c.proba_scale(), alone.proba_scale(), 1e-9 * alone.proba_scale());
    EXPECT_NEAR(c.cv_log_loss(), alone.cv_log_loss(), 1e-9 * alone.cv_log_loss());
    EXPECT_LT(max_abs_diff(c.coef(), alone.coef()), 1e-9 * alone.coef().cwiseAbs().maxCoeff());
  }
}

// The classifier's sample pass reads the sampled series: its ridge is the one fitted on
// the same features of the whole set with the ridge's own third pass.
TEST(KernelClassifierBatches, TheSamplePassReadsTheSampledSeries) {
  datasets::CylinderBellFunnelSource source(600, 64, true, 11);
  KernelClassifierParams p = batch_params();
  p.float32 = true;
  KernelClassifier c(p);
  c.fit_batches(source, {.batch_size = 128, .kernel_sample = 100, .loo_sample = 250});
  const Panel whole = datasets::make_cylinder_bell_funnel(600, 64, true, 11);
  Problem f{c.features<float>(whole).cast<double>(), whole.labels()};
  RidgeClassifierCV r(c.ridge().params());
  r.fit_batches(batches_of(f, 128), 250);
  EXPECT_EQ(r.alpha(), c.ridge().alpha());
  EXPECT_EQ(r.coef(), c.ridge().coef());
  EXPECT_EQ(r.cv_accuracy(), c.ridge().cv_accuracy());
  // Up to rounding: the rows of Q^T a are computed in other blocks of rows.
  for (index_t a = 0; a < r.cv_mse().size(); ++a)
    EXPECT_NEAR(r.cv_mse()(a), c.ridge().cv_mse()(a), 1e-9 * r.cv_mse()(a)) << a;
  EXPECT_NEAR(r.proba_scale(), c.ridge().proba_scale(), 1e-9 * r.proba_scale());
}

TEST(KernelClassifierBatches, ProcessesSharingTheFitEndWithTheSingleProcessModel) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({301, 300, 64, true, 31});
  KernelClassifierParams p = batch_params();
  p.set_n_jobs(1);
  KernelClassifier alone(p);
  PanelSource source(d.train);
  alone.fit_batches(source, {.batch_size = 40, .kernel_sample = 150, .loo_sample = 100});
  for (const int size : {2, 3}) {
    ThreadGroup group(size);
    std::vector<KernelClassifier> fitted(static_cast<std::size_t>(size), KernelClassifier(p));
    std::vector<std::thread> threads;
    for (int r = 0; r < size; ++r) {
      threads.emplace_back([&, r] {
        ThreadGroup::Member member(group, r);
        PanelSource mine(d.train);
        fitted[static_cast<std::size_t>(r)].fit_batches(
            mine,
            {.batch_size = 40, .kernel_sample = 150, .loo_sample = 100, .communicator = &member});
      });
    }
    for (std::thread& t : threads)
      t.join();
    for (const KernelClassifier& c : fitted) {
      EXPECT_EQ(to_bytes(c), to_bytes(fitted.front()));  // every process, the same model
      EXPECT_EQ(c.ridge().alpha(), alone.ridge().alpha());
      EXPECT_EQ(c.predict(d.test), alone.predict(d.test));
      EXPECT_LT(max_abs_diff(c.ridge().coef(), alone.ridge().coef()),
                1e-9 * alone.ridge().coef().cwiseAbs().maxCoeff());
      EXPECT_LT(max_abs_diff(c.scaler().mean(), alone.scaler().mean()), 1e-9);
      EXPECT_NEAR(c.ridge().proba_scale(), alone.ridge().proba_scale(),
                  1e-9 * alone.ridge().proba_scale());
      EXPECT_NEAR(c.ridge().cv_log_loss(), alone.ridge().cv_log_loss(),
                  1e-9 * alone.ridge().cv_log_loss());
    }
  }
}

TEST(KernelClassifierBatches, ProcessesReadingDifferentSetsAreRefused) {
  const Panel a = datasets::make_cylinder_bell_funnel(60, 32, true, 1);
  const Panel b = datasets::make_cylinder_bell_funnel(61, 32, true, 1);
  ThreadGroup group(2);
  int refused = 0;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      ThreadGroup::Member member(group, r);
      PanelSource mine(r == 0 ? a : b);
      KernelClassifier c(batch_params());
      try {
        c.fit_batches(mine, {.batch_size = 20, .communicator = &member});
      } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("process 1 fits another set"), std::string::npos)
            << e.what();
        const std::lock_guard<std::mutex> lock(m);
        ++refused;
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  EXPECT_EQ(refused, 2);  // both processes refuse, neither waits for the other
}

TEST(SeriesSource, SeekStartsTheNextBatchAnywhere) {
  datasets::CylinderBellFunnelSource cbf(30, 16, true, 2);
  const Panel whole = datasets::make_cylinder_bell_funnel(30, 16, true, 2);
  PanelSource panel(whole);
  for (SeriesSource* s : {static_cast<SeriesSource*>(&cbf), static_cast<SeriesSource*>(&panel)}) {
    s->seek(27);
    const Panel tail = s->next(10);
    ASSERT_EQ(tail.n_series(), 3);
    EXPECT_EQ(tail(2, 0, 5), whole(29, 0, 5));
    s->seek(30);
    EXPECT_EQ(s->next(1).n_series(), 0);
    EXPECT_THROW(s->seek(31), std::invalid_argument);
    EXPECT_THROW(s->seek(-1), std::invalid_argument);
  }
}

}  // namespace
}  // namespace strider
