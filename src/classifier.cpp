#include "strider/classifier.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "strider/error.hpp"
#include "strider/labels.hpp"
#include "strider/memory.hpp"
#include "strider/parallel.hpp"
#include "strider/params.hpp"

namespace strider {

namespace {
/// Estimates below this are not checked (no limit worth detecting is that small).
constexpr std::uint64_t kUncheckedBytes = std::uint64_t{32} << 20;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Column j's factor for feature_weights w: w[j % 3], rounded to T first as a
/// multiplication in T would (a factor of 1 leaves a value as it is).
template <class T>
VectorD weight_factor(const std::array<double, 3>& weights, index_t n_columns) {
  VectorD factor(n_columns);
  for (index_t j = 0; j < n_columns; ++j)
    factor(j) = static_cast<double>(static_cast<T>(weights[static_cast<std::size_t>(j % 3)]));
  return factor;
}

}  // namespace

std::array<double, 3> default_feature_weights() {
  return {1.0, 0.25, 0.25};
}

namespace classifier_checks {

std::string feature_weights(const std::array<double, 3>& w) {
  bool any = false;
  for (std::size_t j = 0; j < w.size(); ++j) {
    if (!(std::isfinite(w[j]) && w[j] >= 0.0))
      return "weight " + std::to_string(j + 1) + " = " + shortest_text(w[j]) +
             "; expected finite weights >= 0";
    any = any || w[j] > 0.0;
  }
  return any ? "" : "expected at least one weight > 0";
}

}  // namespace classifier_checks

void KernelClassifierParams::validate(const std::string& who) const {
  validate_params(*this, who);
  for (std::size_t j = 0; j < feature_weights.size(); ++j) {
    const double w = feature_weights[j];
    const auto narrow = static_cast<float>(w);
    if (float32 && w > 0.0 && !(narrow > 0.0f && std::isfinite(narrow))) {
      throw std::invalid_argument(who + ": feature_weights[" + std::to_string(j) +
                                  "] = " + shortest_text(w) +
                                  " is 0 or infinite in float32; expected a weight within "
                                  "the float range, or 0");
    }
  }
}

std::vector<index_t> default_classifier_lengths() {
  return {5, 7, 9, 11};
}

std::vector<double> default_classifier_alphas() {
  return logspace_alphas(-4.0, 4.0, 20);
}

KernelClassifier::KernelClassifier(KernelClassifierParams params)
    : params_(std::move(params)),
      transform_(params_.transform),
      scaler_(params_.scaler),
      ridge_(params_.ridge) {
  params_.validate("KernelClassifier");
}

KernelClassifier& KernelClassifier::fit(const Panel& x) {
  if (!x.has_labels()) {
    throw std::invalid_argument("KernelClassifier::fit(): the panel has no labels; pass y");
  }
  return fit(x, x.labels());
}

KernelClassifier& KernelClassifier::fit(const Panel& x, const std::vector<std::string>& y) {
  const std::string who = "KernelClassifier::fit()";
  if (static_cast<index_t>(y.size()) != x.n_series()) {
    throw std::invalid_argument(who + ": " + std::to_string(y.size()) + " labels for " +
                                std::to_string(x.n_series()) + " series");
  }
  // The cheap checks first: nothing below is worth starting without two classes and the
  // memory the fit needs.
  const std::vector<std::string> classes = sorted_classes(y);
  if (classes.size() == 1) {
    throw std::invalid_argument(who + ": y has a single class \"" + classes.front() +
                                "\"; a classifier needs at least 2 classes");
  }
  if (const std::uint64_t need = fit_memory(x, static_cast<index_t>(classes.size()));
      need > kUncheckedBytes) {
    check_memory(need, memory_limit(memory_limit_), who,
                 std::to_string(x.n_series()) + " series x " +
                     std::to_string(3 * params_.transform.n_kernels) + " features",
                 "use fewer kernels (n_kernels), fewer series, or float32");
  }
  if (params_.float32) {
    fit_impl<float>(x, y);
  } else {
    fit_impl<double>(x, y);
  }
  return *this;
}

namespace {

/// The three stages fitted on one training set.
struct FittedStages {
  DilatedKernelTransform transform;
  StandardScaler scaler;
  RidgeClassifierCV ridge;
  FitTimings timings;
};

/// Progress of a whole fit, every variant's transform, scaler and ridge, in one count of
/// work units proportional to the expected time of each step, so that the rate of a
/// progress bar gives an honest ETA. The cost model (seconds up to a common factor, fitted
/// to fits of UCR datasets of 300 to 1,800 series): transform N K (T l + 3000),
/// scaler 200 N F, ridge 1.6 m^2 M + 23 m^3 with m = min(N, F), M = max(N, F); N series of
/// mean length T, K kernels of mean length l, F = 3K features.
class FitProgress {
 public:
  enum Stage { kTransform = 0, kScaler = 1, kRidge = 2 };

  FitProgress(const DilatedKernelTransform::ProgressCallback& cb, const Panel& x,
              const KernelClassifierParams& p, index_t n_variants)
      : cb_(cb) {
    if (!cb_) return;
    const auto n = static_cast<double>(x.n_series());
    double mean_length = 0.0;
    for (index_t i = 0; i < x.n_series(); ++i)
      mean_length += static_cast<double>(x.length(i)) / n;
    double kernel_length = 0.0;
    for (index_t l : p.transform.lengths)
      kernel_length += static_cast<double>(l) / static_cast<double>(p.transform.lengths.size());
    const auto k = static_cast<double>(p.transform.n_kernels), f = 3.0 * k;
    const double lo = std::min(n, f), hi = std::max(n, f);
    cost_[kTransform] = n * k * (mean_length * kernel_length + 3000.0);
    cost_[kScaler] = 200.0 * n * f;
    // class_weight choose reduces the Gram matrix once more (in Gram mode, lo = N).
    const double reductions = p.ridge.class_weight == ClassWeight::choose ? 2.0 : 1.0;
    cost_[kRidge] = 1.6 * lo * lo * hi + 23.0 * reductions * lo * lo * lo;
    const double variant = cost_[0] + cost_[1] + cost_[2];
    // Units: the whole fit is at most about 10^9 of them.
    scale_ = 1e9 / (variant * static_cast<double>(n_variants));
    total_ = std::max<index_t>(1, units(variant * static_cast<double>(n_variants)));
  }

  /// The callback for variant i's transform: its own (done, total) mapped into the fit's.
  DilatedKernelTransform::ProgressCallback transform_callback(index_t i) const {
    if (!cb_) return {};
    return [this, i](index_t done, index_t total) {
      const double part = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
      report(start_of(i) + part * cost_[kTransform]);
    };
  }

  /// Variant i has finished `stage` (and the ones before it).
  void finished(index_t i, Stage stage) const {
    if (!cb_) return;
    double done = start_of(i);
    for (int s = 0; s <= stage; ++s)
      done += cost_[s];
    report(done);
  }

 private:
  double start_of(index_t i) const {
    return static_cast<double>(i) * (cost_[0] + cost_[1] + cost_[2]);
  }
  index_t units(double cost) const { return static_cast<index_t>(std::llround(cost * scale_)); }
  void report(double cost) const {
    const index_t now = std::min(total_, std::max(reported_, units(cost)));
    reported_ = now;
    cb_(now, total_);
  }

  const DilatedKernelTransform::ProgressCallback& cb_;
  double cost_[3] = {1.0, 0.0, 0.0};
  double scale_ = 1.0;
  index_t total_ = 1;
  mutable index_t reported_ = 0;
};

template <class T>
FittedStages fit_stages(const Panel& x, const std::vector<std::string>& y,
                        const DilatedKernelTransformParams& transform_params,
                        const KernelClassifierParams& params, const FitProgress& progress,
                        index_t variant, std::uint64_t memory_limit) {
  FittedStages s{DilatedKernelTransform(transform_params),
                 StandardScaler(params.scaler),
                 RidgeClassifierCV(params.ridge),
                 {}};
  s.transform.set_memory_limit(memory_limit);
  s.transform.set_progress_callback(progress.transform_callback(variant));

  auto start = std::chrono::steady_clock::now();
  RowMatrix<T> f = s.transform.template fit_transform<T>(x);
  s.transform.set_progress_callback({});
  s.timings.transform_seconds = seconds_since(start);

  start = std::chrono::steady_clock::now();
  // The scaler's fit checks the features; the pass that standardises and weighs them
  // does not read them a second time for that.
  s.scaler.template fit_transform_inplace<T>(f, weight_factor<T>(params.feature_weights, f.cols()));
  s.timings.scaler_seconds = seconds_since(start);
  progress.finished(variant, FitProgress::kScaler);

  start = std::chrono::steady_clock::now();
  s.ridge.template fit<T>(f, y);
  s.timings.ridge_seconds = seconds_since(start);
  progress.finished(variant, FitProgress::kRidge);
  return s;
}

/// Leave-one-out accuracy and squared error of the ridge's chosen alpha, as a pair that
/// compares the way fit() chooses: higher accuracy, then lower squared error. Only for a
/// ridge fitted in this process (a version-1 model file has no accuracies).
std::pair<double, double> loo_score(const RidgeClassifierCV& r) {
  const auto& alphas = r.params().alphas;
  const auto k =
      static_cast<index_t>(std::find(alphas.begin(), alphas.end(), r.alpha()) - alphas.begin());
  if (r.cv_accuracy().size() != r.cv_mse().size() || k >= r.cv_mse().size()) {
    throw std::logic_error("KernelClassifier: the ridge has no leave-one-out accuracy");
  }
  return {r.cv_accuracy()(k), -r.cv_mse()(k)};
}

}  // namespace

template <class T>
void KernelClassifier::fit_impl(const Panel& x, const std::vector<std::string>& y) {
  // The transform variants to try: the params as given first, then with normalize_input
  // flipped when asked to choose it.
  std::vector<DilatedKernelTransformParams> variants = {params_.transform};
  if (params_.choose_normalization) {
    DilatedKernelTransformParams v = params_.transform;
    v.normalize_input = !v.normalize_input;
    variants.push_back(v);
  }
  // Fit into fresh stages and commit only at the end. The params as given must fit; a
  // variant that cannot (e.g. float32 and raw values beyond the float range, or no usable
  // alpha) is skipped. One progress runs over every stage of every variant.
  const auto m = static_cast<index_t>(variants.size());
  const FitProgress progress(progress_, x, params_, m);
  FittedStages best = fit_stages<T>(x, y, variants.front(), params_, progress, 0, memory_limit_);
  FitTimings sum = best.timings;
  for (index_t i = 1; i < m; ++i) {
    try {
      FittedStages alt = fit_stages<T>(x, y, variants[static_cast<std::size_t>(i)], params_,
                                       progress, i, memory_limit_);
      sum.transform_seconds += alt.timings.transform_seconds;
      sum.scaler_seconds += alt.timings.scaler_seconds;
      sum.ridge_seconds += alt.timings.ridge_seconds;
      if (loo_score(alt.ridge) > loo_score(best.ridge)) best = std::move(alt);
    } catch (const std::invalid_argument&) {  // this variant cannot be fitted: skip it
      progress.finished(i, FitProgress::kRidge);
    } catch (const std::runtime_error&) {
      progress.finished(i, FitProgress::kRidge);
    }
  }
  transform_ = std::move(best.transform);
  scaler_ = std::move(best.scaler);
  ridge_ = std::move(best.ridge);
  timings_ = sum;
  if (progress_) transform_.set_progress_callback(progress_);
}

std::uint64_t KernelClassifier::fit_memory(const Panel& x, index_t n_classes) const {
  const DilatedKernelTransform transform(params_.transform);
  const int n_threads = resolve_n_jobs(params_.transform.n_jobs, "KernelClassifier::fit_memory()");
  const index_t n = x.n_series(), f = 3 * params_.transform.n_kernels;
  const std::size_t value_bytes = params_.float32 ? sizeof(float) : sizeof(double);
  // A kernel spans at most the shortest series and is padded by at most half its span.
  const index_t span = x.n_series() > 0 ? x.min_length() : 1;
  const std::uint64_t features =
      detail::transform_bytes(n, x.n_channels(), x.max_length(), params_.transform.n_kernels,
                              span / 2, span, value_bytes, n_threads, params_.transform);
  // The ridge: the m x m Gram or covariance matrix and its tridiagonal factors (m = the
  // smaller of series and features), one solution per alpha, and the leave-one-out
  // errors and decision values, in double.
  const auto m = static_cast<double>(std::min(n, f));
  const auto targets = static_cast<double>(n_classes > 2 ? n_classes : 1);
  const auto alphas = static_cast<double>(params_.ridge.alphas.size());
  // class_weight choose keeps the shared Gram matrix beside the one being reduced.
  const double squares = params_.ridge.class_weight == ClassWeight::choose ? 3.0 : 2.0;
  // Per sample and alpha: the leave-one-out error, hit and decision values (one per target).
  const double ridge =
      8.0 * (squares * m * m + (alphas + 4.0) * (m + static_cast<double>(f)) * targets +
             (2.0 + targets) * static_cast<double>(n) * alphas);
  return transform.fit_memory(x) + features + static_cast<std::uint64_t>(ridge);
}

std::uint64_t KernelClassifier::predict_memory(const Panel& x) const {
  check_fitted("predict_memory()");
  const std::size_t value_bytes = params_.float32 ? sizeof(float) : sizeof(double);
  const auto scores = static_cast<std::uint64_t>(x.n_series()) *
                      static_cast<std::uint64_t>(std::max<index_t>(ridge_.coef().rows(), 1)) * 8;
  return transform_.transform_memory(x, value_bytes) + scores;
}

void KernelClassifier::set_memory_limit(std::uint64_t bytes) noexcept {
  memory_limit_ = bytes;
  transform_.set_memory_limit(bytes);
}

void KernelClassifier::set_n_jobs(int n_jobs) {
  KernelClassifierParams p = params_;
  p.set_n_jobs(n_jobs);
  p.validate("KernelClassifier::set_n_jobs()");
  transform_.set_n_jobs(n_jobs);
  scaler_.set_n_jobs(n_jobs);
  ridge_.set_n_jobs(n_jobs);
  params_ = std::move(p);
}

void KernelClassifier::check_fitted(const char* who) const {
  if (!is_fitted()) throw NotFittedError(std::string("KernelClassifier::") + who);
}

template <class T>
RowMatrix<T> KernelClassifier::features(const Panel& x) const {
  check_fitted("features()");
  RowMatrix<T> f = transform_.template transform<T>(x);
  scaler_.template transform_inplace<T>(f, weight_factor<T>(params_.feature_weights, f.cols()));
  return f;
}

template <class T>
std::vector<std::string> KernelClassifier::predict_features(const RowMatrix<T>& features) const {
  check_fitted("predict_features()");
  return ridge_.template predict<T>(features);
}

void KernelClassifier::check_predict_memory(const Panel& x, const char* who) const {
  if (const std::uint64_t need = predict_memory(x); need > kUncheckedBytes) {
    check_memory(need, memory_limit(memory_limit_), who,
                 std::to_string(x.n_series()) + " series x " +
                     std::to_string(transform_.n_features()) + " features",
                 "predict fewer series at a time");
  }
}

std::vector<std::string> KernelClassifier::predict(const Panel& x) const {
  check_fitted("predict()");
  check_predict_memory(x, "KernelClassifier::predict()");
  if (params_.float32) return predict_features<float>(features<float>(x));
  return predict_features<double>(features<double>(x));
}

RowMatrixD KernelClassifier::decision_function(const Panel& x) const {
  check_fitted("decision_function()");
  check_predict_memory(x, "KernelClassifier::decision_function()");
  if (params_.float32) return ridge_.template decision_function<float>(features<float>(x));
  return ridge_.template decision_function<double>(features<double>(x));
}

RowMatrixD KernelClassifier::predict_proba(const Panel& x) const {
  check_fitted("predict_proba()");
  return ridge_.probabilities(decision_function(x));
}

double KernelClassifier::score(const Panel& x) const {
  if (!x.has_labels()) {
    throw std::invalid_argument("KernelClassifier::score(): the panel has no labels; pass y");
  }
  return score(x, x.labels());
}

double KernelClassifier::score(const Panel& x, const std::vector<std::string>& y) const {
  if (static_cast<index_t>(y.size()) != x.n_series()) {
    throw std::invalid_argument("KernelClassifier::score(): " + std::to_string(y.size()) +
                                " labels for " + std::to_string(x.n_series()) + " series");
  }
  const std::vector<std::string> pred = predict(x);
  if (pred.empty()) return 0.0;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < pred.size(); ++i)
    correct += pred[i] == y[i] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(pred.size());
}

std::vector<std::string> KernelClassifier::labels_from_scores(const RowMatrixD& scores) const {
  check_fitted("labels_from_scores()");
  const auto& cls = ridge_.classes();
  const index_t expected = cls.size() == 2 ? 1 : static_cast<index_t>(cls.size());
  if (scores.cols() != expected) {
    throw std::invalid_argument("KernelClassifier::labels_from_scores(): scores have " +
                                std::to_string(scores.cols()) + " columns, expected " +
                                std::to_string(expected));
  }
  std::vector<std::string> out(static_cast<std::size_t>(scores.rows()));
  for (index_t i = 0; i < scores.rows(); ++i) {
    index_t best = 0;
    if (expected == 1) {
      best = scores(i, 0) > 0.0 ? 1 : 0;
    } else {
      for (index_t c = 1; c < scores.cols(); ++c) {
        if (scores(i, c) > scores(i, best)) best = c;
      }
    }
    out[static_cast<std::size_t>(i)] = cls[static_cast<std::size_t>(best)];
  }
  return out;
}

const std::vector<std::string>& KernelClassifier::classes() const {
  check_fitted("classes()");
  return ridge_.classes();
}

void KernelClassifier::set_progress_callback(DilatedKernelTransform::ProgressCallback cb) {
  progress_ = std::move(cb);
  transform_.set_progress_callback(progress_);
}

template RowMatrix<double> KernelClassifier::features<double>(const Panel&) const;
template RowMatrix<float> KernelClassifier::features<float>(const Panel&) const;
template std::vector<std::string> KernelClassifier::predict_features<double>(
    const RowMatrix<double>&) const;
template std::vector<std::string> KernelClassifier::predict_features<float>(
    const RowMatrix<float>&) const;

}  // namespace strider
