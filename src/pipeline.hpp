#pragma once
// Private: what KernelClassifier and KernelRegressor share. Both are the same pipeline,
// DilatedKernelTransform -> StandardScaler (times feature_weights) -> an exact
// leave-one-out ridge, fitted once per transform variant (normalize_input as given, and
// flipped when choose_normalization is on); they differ in the ridge and in how two
// fitted variants compare.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "strider/classifier.hpp"
#include "strider/labels.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace strider::detail {

/// Memory estimates below this are not checked (no limit worth detecting is that small).
inline constexpr std::uint64_t kUncheckedBytes = std::uint64_t{32} << 20;

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Column j's factor for a pipeline's params (feature_weights w, occurrence_weight o) and a
/// fitted transform with F = features_per_kernel(): w[j % F] for the first three features
/// of a kernel, o for the fourth; rounded to T first as a multiplication in T would (a
/// factor of 1 leaves a value as it is). F comes from the fitted transform, which made the
/// columns, not from params.transform.
template <class T, class P>
VectorD weight_factor(const P& params, const DilatedKernelTransform& transform, index_t n_columns) {
  const index_t per_kernel = transform.params().features_per_kernel();
  VectorD factor(n_columns);
  for (index_t j = 0; j < n_columns; ++j) {
    const index_t type = j % per_kernel;
    const double w = type < 3 ? params.feature_weights[static_cast<std::size_t>(type)]
                              : params.occurrence_weight;
    factor(j) = static_cast<double>(static_cast<T>(w));
  }
  return factor;
}

/// Where the columns of a fitted transform's kernels on the first differences start: the
/// columns of the kernels on the input's channels come first (kernels are sorted by
/// channel, and the first differences have the channels after the input's). 0 when all
/// kernels see one representation, or kernels set by hand are not in that order.
inline index_t representation_boundary(const DilatedKernelTransform& transform) {
  const std::vector<Kernel>& kernels = transform.kernels();
  const auto on_input = [&](const Kernel& k) { return k.channel < transform.n_channels(); };
  if (!std::is_partitioned(kernels.begin(), kernels.end(), on_input)) return 0;
  const auto on_series = static_cast<index_t>(
      std::partition_point(kernels.begin(), kernels.end(), on_input) - kernels.begin());
  if (on_series == 0 || on_series == static_cast<index_t>(kernels.size())) return 0;
  return on_series * transform.params().features_per_kernel();
}

/// The columns a classifier's ridge may keep alone, fitting on y: the kernels on one
/// representation (choose_representation), the fractions of occurrences
/// (choose_features_applies(), tested at kChooseFeaturesMaxP).
inline ColumnChoice column_choice(const KernelClassifierParams& params,
                                  const DilatedKernelTransform& transform,
                                  const std::vector<std::string>& y) {
  ColumnChoice c;
  if (params.choose_representation) c.split = representation_boundary(transform);
  if (choose_features_applies(params, static_cast<index_t>(y.size()),
                              static_cast<index_t>(sorted_classes(y).size()))) {
    c.period = transform.params().features_per_kernel();
    c.residue = c.period - 1;
    c.period_max_p = kChooseFeaturesMaxP;
  }
  return c;
}

/// Progress of a whole fit, every variant's transform, scaler and ridge, in one count of
/// work units proportional to the expected time of each step, so that the rate of a
/// progress bar gives an honest ETA. The cost model (seconds up to a common factor, fitted
/// to fits of UCR datasets of 300 to 1,800 series): transform N K (T l + 3000),
/// scaler 200 N F, ridge 1.6 m^2 M + 23 r m^3 with m = min(N, F), M = max(N, F); N series of
/// mean length T, K kernels of mean length l, F = 3K features (4K with add_occurrences), r
/// reductions of the m x m
/// matrix per ridge fit.
class FitProgress {
 public:
  enum Stage { kTransform = 0, kScaler = 1, kRidge = 2 };

  FitProgress(const DilatedKernelTransform::ProgressCallback& cb, const Panel& x,
              const DilatedKernelTransformParams& transform, double ridge_reductions,
              index_t n_variants);

  /// The callback for variant i's transform: its own (done, total) mapped into the fit's.
  DilatedKernelTransform::ProgressCallback transform_callback(index_t i) const;
  /// Variant i has finished `stage` (and the ones before it).
  void finished(index_t i, Stage stage) const;

 private:
  double start_of(index_t i) const;
  index_t units(double cost) const;
  void report(double cost) const;

  const DilatedKernelTransform::ProgressCallback& cb_;
  double cost_[3] = {1.0, 0.0, 0.0};
  double scale_ = 1.0;
  index_t total_ = 1;
  mutable index_t reported_ = 0;
};

/// The three stages fitted on one training set.
template <class Ridge>
struct FittedStages {
  DilatedKernelTransform transform;
  StandardScaler scaler;
  Ridge ridge;
  FitTimings timings;
};

/// Fits the stages of `params` (its scaler, ridge and feature_weights) with the transform
/// `transform_params` on (x, y).
template <class Ridge, class T, class P, class Y>
FittedStages<Ridge> fit_stages(const Panel& x, const Y& y,
                               const DilatedKernelTransformParams& transform_params,
                               const P& params, const FitProgress& progress, index_t variant,
                               std::uint64_t memory_limit) {
  FittedStages<Ridge> s{DilatedKernelTransform(transform_params),
                        StandardScaler(params.scaler),
                        Ridge(params.ridge),
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
  s.scaler.template fit_transform_inplace<T>(f, weight_factor<T>(params, s.transform, f.cols()));
  s.timings.scaler_seconds = seconds_since(start);
  progress.finished(variant, FitProgress::kScaler);

  start = std::chrono::steady_clock::now();
  if constexpr (std::is_same_v<Ridge, RidgeClassifierCV>) {
    s.ridge.template fit<T>(f, y, column_choice(params, s.transform, y));
  } else {
    s.ridge.template fit<T>(f, y);
  }
  s.timings.ridge_seconds = seconds_since(start);
  progress.finished(variant, FitProgress::kRidge);
  return s;
}

/**
 * Fits the transform variants of `params` (as given, then with normalize_input flipped when
 * params.choose_normalization is on) and keeps the first, unless a later one is
 * better(later.ridge, kept.ridge). A variant that cannot be fitted (e.g. float32 and raw
 * values beyond the float range, or no usable alpha) is skipped; when none can, the
 * first one's error is thrown. Timings are summed over the variants fitted.
 */
template <class Ridge, class T, class P, class Y, class Better>
FittedStages<Ridge> fit_variants(const Panel& x, const Y& y, const P& params,
                                 const DilatedKernelTransform::ProgressCallback& callback,
                                 double ridge_reductions, std::uint64_t memory_limit,
                                 Better better) {
  std::vector<DilatedKernelTransformParams> variants = {params.transform};
  if (params.choose_normalization) {
    DilatedKernelTransformParams v = params.transform;
    v.normalize_input = !v.normalize_input;
    variants.push_back(v);
  }
  const auto m = static_cast<index_t>(variants.size());
  const FitProgress progress(callback, x, params.transform, ridge_reductions, m);
  std::optional<FittedStages<Ridge>> best;
  std::exception_ptr first_error;
  FitTimings sum;
  for (index_t i = 0; i < m; ++i) {
    try {
      FittedStages<Ridge> alt = fit_stages<Ridge, T>(x, y, variants[static_cast<std::size_t>(i)],
                                                     params, progress, i, memory_limit);
      sum.transform_seconds += alt.timings.transform_seconds;
      sum.scaler_seconds += alt.timings.scaler_seconds;
      sum.ridge_seconds += alt.timings.ridge_seconds;
      if (!best || better(alt.ridge, best->ridge)) best = std::move(alt);
    } catch (const std::invalid_argument&) {  // this variant cannot be fitted: skip it
      if (m == 1) throw;
      if (!first_error) first_error = std::current_exception();
      progress.finished(i, FitProgress::kRidge);
    } catch (const std::runtime_error&) {  // e.g. a stopping progress callback
      if (i == 0) throw;
      progress.finished(i, FitProgress::kRidge);
    }
  }
  if (!best) std::rethrow_exception(first_error);
  best->timings = sum;
  return std::move(*best);
}

/// The features a fitted pipeline's ridge sees: transformed, standardised, times the
/// weights of `params` (see weight_factor()).
template <class T, class P>
RowMatrix<T> pipeline_features(const DilatedKernelTransform& transform,
                               const StandardScaler& scaler, const P& params, const Panel& x) {
  RowMatrix<T> f = transform.template transform<T>(x);
  scaler.template transform_inplace<T>(f, weight_factor<T>(params, transform, f.cols()));
  return f;
}

/**
 * Estimated peak bytes of fitting the pipeline on x: one transform variant at a time, its
 * features, and the ridge's leave-one-out solve (the m x m Gram or covariance matrix,
 * `squares` of them at once, m the smaller of series and features; one solution per
 * alpha; the leave-one-out errors, hits and decision values), in double.
 */
std::uint64_t pipeline_fit_memory(const Panel& x, const DilatedKernelTransformParams& transform,
                                  bool float32, index_t n_targets, std::size_t n_alphas,
                                  double squares);

/**
 * Refuses, with MemoryLimitError, a fit of n_series series with `transform` whose
 * estimated peak `need` exceeds the memory limit (`limit`: the estimator's setting, 0 to
 * detect it; see memory.hpp); estimates below kUncheckedBytes are not checked. The message
 * names the shape and what would lower the estimate: fewer kernels or series,
 * add_occurrences off when it is on, float32 when the features are float64.
 */
void check_fit_memory(std::uint64_t need, std::uint64_t limit, const std::string& who,
                      index_t n_series, const DilatedKernelTransformParams& transform,
                      bool float32);

/// As check_fit_memory() for a prediction of n_series series with n_features features.
void check_predict_memory(std::uint64_t need, std::uint64_t limit, const std::string& who,
                          index_t n_series, index_t n_features);

/// Estimated peak bytes of predicting x with a fitted transform: its features and
/// n_targets values per series.
std::uint64_t pipeline_predict_memory(const Panel& x, const DilatedKernelTransform& transform,
                                      bool float32, index_t n_targets);

}  // namespace strider::detail
