#pragma once
/// @file regressor.hpp
/// @brief strider::KernelRegressor: DilatedKernelTransform -> StandardScaler -> RidgeCV,
/// time-series extrinsic regression (a number, or several, from each series) behind one
/// fit/predict API.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>

#include "strider/classifier.hpp"
#include "strider/detail/serial_version.hpp"
#include "strider/linear/ridge_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/params.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace strider {

/// Alphas of KernelRegressor by default: logspace_alphas(-4, 6, 21), the classifier's grid
/// widened upwards, since noisy regression targets can need stronger regularisation than
/// {-1, +1} class targets.
std::vector<double> default_regressor_alphas();

/// Parameters of KernelRegressor: those of KernelClassifier (the same transform, scaler,
/// feature weights and defaults, except add_occurrences and float32, off here: they were
/// chosen on classification data), with a regression ridge; choose_normalization keeps
/// the variant with the lower mean squared leave-one-out error.
struct KernelRegressorParams {
  /// 2 added occurrence_weight (version 1 loads 0.5).
  static constexpr std::uint32_t kSerialVersion = 2;

  DilatedKernelTransformParams transform = default_pipeline_transform();
  StandardScalerParams scaler;
  RidgeCVParams ridge{.alphas = default_regressor_alphas()};
  bool float32 = false;
  bool choose_normalization = true;
  std::array<double, 3> feature_weights = default_feature_weights();
  double occurrence_weight = 0.5;

  friend bool operator==(const KernelRegressorParams&, const KernelRegressorParams&) = default;

  /// Sets n_jobs of every stage (see parallel.hpp: -1 all cores, k >= 1 exactly k).
  KernelRegressorParams& set_n_jobs(int n_jobs) {
    transform.n_jobs = n_jobs;
    scaler.n_jobs = n_jobs;
    ridge.n_jobs = n_jobs;
    return *this;
  }

  /// @throws std::invalid_argument naming the field and its value
  void validate(const std::string& who = "KernelRegressor") const;

  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version) {
    serialize_params(ar, *this, version, "KernelRegressorParams");
  }
};

template <>
struct ParamTable<KernelRegressorParams> {
  using P = KernelRegressorParams;
  static const auto& fields() {
    static const auto table = std::make_tuple(
        pipeline_rows::transform<P>(), pipeline_rows::scaler<P>(),
        ParamField<P, RidgeCVParams>{.name = "ridge",
                                     .member = &P::ridge,
                                     .help = "regularisation grid and intercept of the ridge"},
        pipeline_rows::float32<P>(),
        ParamField<P, bool>{
            .name = "choose_normalization",
            .member = &P::choose_normalization,
            .help = "fit with the input z-normalised and as given, and keep the fit with the "
                    "lower mean squared leave-one-out error (ties: transform.normalize_input "
                    "as given); doubles the fit time",
            .flag = "choose-normalization"},
        pipeline_rows::feature_weights<P>(1, default_feature_weights()),
        pipeline_rows::occurrence_weight<P>(2));
    return table;
  }
};

/**
 * @brief The regression targets held in a panel's labels: each label read as a number.
 * @throws std::invalid_argument naming the first series whose label is not a finite
 *         number, or when the panel has no labels
 */
std::vector<double> targets_from_labels(const Panel& x);

/**
 * @brief Time-series regressor: random dilated kernel features, standardised, then a
 * ridge regression whose alpha is chosen by exact leave-one-out cross-validation.
 *
 * One or several targets per series (multi-output: one column per target, one alpha for
 * all). The same params and seed give the same model and predictions whatever n_jobs is.
 */
class KernelRegressor {
 public:
  static constexpr std::uint32_t kSerialVersion = 1;

  /// @throws std::invalid_argument when a stage's params or feature_weights are invalid
  explicit KernelRegressor(KernelRegressorParams params = {});

  /// Fits on a panel whose labels are the targets (targets_from_labels()).
  /// @throws std::invalid_argument when a label is not a number, NaN in x...
  KernelRegressor& fit(const Panel& x);
  /// Fits on n_series targets.
  KernelRegressor& fit(const Panel& x, const std::vector<double>& y);
  /// Fits on n_series x n_targets targets. @throws std::invalid_argument
  KernelRegressor& fit(const Panel& x, const Eigen::Ref<const RowMatrixD>& y);

  /// Predictions, n_series x n_targets. @throws NotFittedError, std::invalid_argument
  RowMatrixD predict(const Panel& x) const;
  /// R^2 against the panel's labels read as numbers (one target).
  double score(const Panel& x) const;
  /// R^2 of predict(x) against y (n_series x n_targets), averaged over targets.
  double score(const Panel& x, const Eigen::Ref<const RowMatrixD>& y) const;

  /// The features the ridge sees (standardised, then times feature_weights and
  /// occurrence_weight): n_series x 3K (4K with transform.add_occurrences).
  template <class T = double>
  RowMatrix<T> features(const Panel& x) const;

  bool is_fitted() const noexcept { return ridge_.is_fitted(); }
  /// Number of targets of the fit. @throws NotFittedError
  index_t n_targets() const;
  /// Changes the thread count of every stage for later calls.
  /// @throws std::invalid_argument when n_jobs == 0
  void set_n_jobs(int n_jobs);

  /// Estimated peak memory, in bytes, of fit(x) with n_targets targets and of predict(x);
  /// fit() and predict() refuse with MemoryLimitError beyond the memory limit
  /// (memory.hpp), before allocating anything large.
  std::uint64_t fit_memory(const Panel& x, index_t n_targets = 1) const;
  std::uint64_t predict_memory(const Panel& x) const;
  /// The memory limit of later calls in bytes; 0 (the default) detects it. Not serialized.
  void set_memory_limit(std::uint64_t bytes) noexcept;

  const KernelRegressorParams& params() const noexcept { return params_; }
  const DilatedKernelTransform& transform() const noexcept { return transform_; }
  const StandardScaler& scaler() const noexcept { return scaler_; }
  /// The fitted ridge, on features() (scaled and weighted).
  const RidgeCV& ridge() const noexcept { return ridge_; }
  const FitTimings& fit_timings() const noexcept { return timings_; }
  /// Progress reporting, as KernelClassifier::set_progress_callback(). Not serialized.
  void set_progress_callback(DilatedKernelTransform::ProgressCallback cb);

  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  void check_fitted(const char* who) const;
  void check_predict_memory(const Panel& x, const char* who) const;

  KernelRegressorParams params_;
  DilatedKernelTransform transform_;
  StandardScaler scaler_;
  RidgeCV ridge_;
  FitTimings timings_;
  DilatedKernelTransform::ProgressCallback progress_;
  std::uint64_t memory_limit_ = 0;
};

template <class Archive>
void KernelRegressor::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("KernelRegressor", version, kSerialVersion);
  ar(cereal::make_nvp("params", params_), cereal::make_nvp("transform", transform_),
     cereal::make_nvp("scaler", scaler_), cereal::make_nvp("ridge", ridge_));
  if constexpr (Archive::is_loading::value)
    detail::check_loaded_stages("KernelRegressor", transform_, scaler_, ridge_);
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::KernelRegressorParams,
                     strider::KernelRegressorParams::kSerialVersion);
CEREAL_CLASS_VERSION(strider::KernelRegressor, strider::KernelRegressor::kSerialVersion);
