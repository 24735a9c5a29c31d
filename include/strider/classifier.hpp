#pragma once
/// @file classifier.hpp
/// @brief strider::KernelClassifier: DilatedKernelTransform -> StandardScaler ->
/// RidgeClassifierCV, the whole time-series classifier behind one fit/predict API.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>
#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/serial_version.hpp"

#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace strider {

/// Feature weights of KernelClassifier by default: {1, 0.25, 0.25} (see
/// KernelClassifierParams::feature_weights).
std::array<double, 3> default_feature_weights();

/// Kernel lengths of KernelClassifier by default: {5, 7, 9, 11}.
std::vector<index_t> default_classifier_lengths();
/// Alphas of KernelClassifier by default: logspace_alphas(-4, 4, 20).
std::vector<double> default_classifier_alphas();

/// Parameters of the three stages, plus the pipeline's own.
///
/// Defaults: those of each stage, except the settings chosen by stratified 5-fold
/// cross-validation inside the TRAIN splits of UCR datasets, two seeds
/// (bench/select_defaults.cpp; the comparison is in docs/choosing_defaults.md): kernel
/// lengths {5, 7, 9, 11} (DilatedKernelTransform alone: convst's {7, 9, 11}), source mixed
/// (alone: sample), normalize_input and add_differences on (alone: off), length_quantile 1
/// (kernels fit the longest training series; alone: 0, the shortest; no effect on
/// equal-length data), p_padding 1 (alone: 0.5), alphas logspace(-4, 4, 20) and class
/// weights balanced (RidgeClassifierCV alone: ROCKET's logspace(-3, 3, 10), none), and
/// choose_normalization on (fit both with and without z-normalising the input and keep
/// the one with the better leave-one-out accuracy), and feature_weights {1, 0.25, 0.25}.
struct KernelClassifierParams {
  /// 2 added choose_normalization and choose_differences (version 1 loads both false, as
  /// those models were fitted); 3 added feature_weights (older files load {1, 1, 1}).
  static constexpr std::uint32_t kSerialVersion = 3;

  /// the random dilated kernels (see its header)
  DilatedKernelTransformParams transform{.lengths = default_classifier_lengths(),
                                         .p_padding = 1.0,
                                         .source = KernelSource::mixed,
                                         .normalize_input = true,
                                         .add_differences = true,
                                         .length_quantile = 1.0};
  StandardScalerParams scaler;  ///< feature standardisation before the ridge
  /// regularisation grid, intercept, class weights
  RidgeClassifierCVParams ridge{.alphas = default_classifier_alphas(),
                                .class_weight = ClassWeight::balanced};
  bool float32 = false;  ///< compute and keep the N x 3K features in float32 (half the memory)
  /// Choose normalize_input from the data: fit() fits the whole pipeline twice, with the
  /// input z-normalised and as given, and keeps the fit whose ridge has the higher
  /// leave-one-out accuracy at its alpha (unweighted: the fraction of training series whose
  /// left-out prediction is right, whatever the class weights; ties: the lower
  /// leave-one-out squared error, then transform.normalize_input as given).
  /// transform().params().normalize_input tells which was kept. A variant other than the
  /// params as given that cannot be fitted (std::invalid_argument or std::runtime_error,
  /// e.g. float32 and raw values beyond the float range) is skipped. Doubles the time of
  /// fit(), not of predict(); the progress callback runs once over both transforms.
  bool choose_normalization = true;
  /// Choose add_differences the same way (with choose_normalization too: the better of
  /// the four combinations; the params as given win ties). Doubles the time of fit()
  /// again.
  bool choose_differences = false;
  /// Weights of each kernel's three standardised features (min, fraction of increasing
  /// steps, argmin) in the ridge: column 3k + j is multiplied by feature_weights[j] after
  /// the StandardScaler, which is the same as a ridge penalty 1 / w_j^2 times larger on
  /// that feature type. Each weight finite and >= 0, one at least > 0; a weight of 0
  /// drops that feature type (its columns are then 0). The default {1, 0.25, 0.25} was
  /// chosen by cross-validation (docs/choosing_defaults.md, round 13): with equal weights,
  /// the 2K position and slope features outvote the K distance features on small sets.
  std::array<double, 3> feature_weights = default_feature_weights();

  /// Sets n_jobs of every stage (see parallel.hpp: -1 all cores, k >= 1 exactly k).
  KernelClassifierParams& set_n_jobs(int n_jobs) {
    transform.n_jobs = n_jobs;
    scaler.n_jobs = n_jobs;
    ridge.n_jobs = n_jobs;
    return *this;
  }

  /**
   * @brief Checks the pipeline's own fields (feature_weights, also against float32) and
   * the stages' n_jobs (the stages check the rest when constructed).
   * @throws std::invalid_argument naming the field and its value
   */
  void validate(const std::string& who = "KernelClassifier") const;

  /// cereal serialization (see kSerialVersion); a loaded file is validated.
  /// @throws FormatError on a newer version or invalid values
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);
};

/// Wall-clock seconds spent in each stage of the last fit() (not saved in model files).
struct FitTimings {
  double transform_seconds = 0.0;  ///< drawing the kernels and transforming the train set
  double scaler_seconds = 0.0;     ///< fitting and applying the StandardScaler, and
                                   ///< multiplying by feature_weights
  double ridge_seconds = 0.0;      ///< fitting RidgeClassifierCV (leave-one-out over alphas)
};

/**
 * @brief Time-series classifier: random dilated kernel features, standardised, then a
 * ridge classifier whose alpha is chosen by exact leave-one-out cross-validation.
 *
 * Labels are arbitrary strings; classes() are sorted as Panel::classes() (numeric order
 * when every label is a number) and predictions come back as the original strings.
 * Same params and seed give the same model and predictions whatever n_jobs is.
 */
class KernelClassifier {
 public:
  /// 2: the params and the ridge gained fields; 3: the params gained feature_weights (the
  /// layout here is the same: the version tells an older reader it cannot read the params).
  static constexpr std::uint32_t kSerialVersion = 3;

  /// @throws std::invalid_argument when a stage's params or feature_weights are invalid
  explicit KernelClassifier(KernelClassifierParams params = {});

  /**
   * @brief Fits on a labelled panel (uses x.labels()).
   * @param x n_series x n_channels x n_timepoints, with labels
   * @throws std::invalid_argument when x has no labels, fewer than 2 classes, NaN...
   */
  KernelClassifier& fit(const Panel& x);
  /// Fits with explicit labels, one per series. @throws std::invalid_argument
  KernelClassifier& fit(const Panel& x, const std::vector<std::string>& y);

  /// Predicted labels, n_series entries. @throws NotFittedError, std::invalid_argument
  std::vector<std::string> predict(const Panel& x) const;
  /// Ridge scores, n_series x n_classes (n_series x 1 for two classes, as scikit-learn).
  RowMatrixD decision_function(const Panel& x) const;
  /// Accuracy against x.labels(). @throws std::invalid_argument when x has no labels
  double score(const Panel& x) const;
  /// Accuracy against y.
  double score(const Panel& x, const std::vector<std::string>& y) const;

  /// The features the ridge sees (standardised, then times feature_weights): n_series x 3K.
  template <class T = double>
  RowMatrix<T> features(const Panel& x) const;
  /// Predicted labels from features() output.
  template <class T>
  std::vector<std::string> predict_features(const RowMatrix<T>& features) const;

  /// Labels from decision_function() output: the column with the largest score (the
  /// first on ties), or for two classes classes()[1] when the score is > 0, as predict().
  std::vector<std::string> labels_from_scores(const RowMatrixD& scores) const;

  bool is_fitted() const noexcept { return ridge_.is_fitted(); }
  /// Sorted class labels. @throws NotFittedError
  const std::vector<std::string>& classes() const;
  const KernelClassifierParams& params() const noexcept { return params_; }
  const DilatedKernelTransform& transform() const noexcept { return transform_; }
  /// The fitted scaler: its output times feature_weights is what ridge() expects (that is
  /// features()).
  const StandardScaler& scaler() const noexcept { return scaler_; }
  /// The fitted ridge, on features() (scaled and weighted), not on the scaler's output.
  const RidgeClassifierCV& ridge() const noexcept { return ridge_; }
  const FitTimings& fit_timings() const noexcept { return timings_; }

  /// Progress of the long stages (the transforms), see DilatedKernelTransform.
  void set_progress_callback(DilatedKernelTransform::ProgressCallback cb);

  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  template <class T>
  void fit_impl(const Panel& x, const std::vector<std::string>& y);
  void check_fitted(const char* who) const;

  KernelClassifierParams params_;
  DilatedKernelTransform transform_;
  StandardScaler scaler_;
  RidgeClassifierCV ridge_;
  FitTimings timings_;
  DilatedKernelTransform::ProgressCallback progress_;
};

template <class Archive>
void KernelClassifierParams::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("KernelClassifierParams", version, kSerialVersion);
  ar(CEREAL_NVP(transform), CEREAL_NVP(scaler), CEREAL_NVP(ridge));
  detail::serialize_bool(ar, "float32", float32);
  if (version >= 2) {
    detail::serialize_bool(ar, "choose_normalization", choose_normalization);
    detail::serialize_bool(ar, "choose_differences", choose_differences);
  } else if constexpr (Archive::is_loading::value) {
    choose_normalization = false;
    choose_differences = false;
  }
  if (version >= 3) {
    std::vector<double> w(feature_weights.begin(), feature_weights.end());
    ar(cereal::make_nvp("feature_weights", w));
    if constexpr (Archive::is_loading::value) {
      if (w.size() != 3) {
        throw FormatError("", 0,
                          "KernelClassifierParams: feature_weights has " +
                              std::to_string(w.size()) + " values, expected 3");
      }
      std::copy(w.begin(), w.end(), feature_weights.begin());
    }
  } else if constexpr (Archive::is_loading::value) {
    feature_weights = {1.0, 1.0, 1.0};
  }
  if constexpr (Archive::is_loading::value) {
    try {
      validate("KernelClassifierParams");
    } catch (const std::invalid_argument& e) {
      throw FormatError("", 0, e.what());
    }
  }
}

template <class Archive>
void KernelClassifier::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("KernelClassifier", version, kSerialVersion);
  ar(cereal::make_nvp("params", params_), cereal::make_nvp("transform", transform_),
     cereal::make_nvp("scaler", scaler_), cereal::make_nvp("ridge", ridge_));
  if constexpr (Archive::is_loading::value) {
    if (ridge_.is_fitted() != transform_.is_fitted() || ridge_.is_fitted() != scaler_.is_fitted()) {
      throw FormatError("", 0, "KernelClassifier stages are not all fitted");
    }
    if (ridge_.is_fitted() && (scaler_.n_features() != transform_.n_features() ||
                               ridge_.n_features() != transform_.n_features())) {
      throw FormatError("", 0,
                        "KernelClassifier stages disagree on the number of features (" +
                            std::to_string(transform_.n_features()) + ", " +
                            std::to_string(scaler_.n_features()) + ", " +
                            std::to_string(ridge_.n_features()) + ")");
    }
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::KernelClassifierParams,
                     strider::KernelClassifierParams::kSerialVersion);
CEREAL_CLASS_VERSION(strider::KernelClassifier, strider::KernelClassifier::kSerialVersion);
