#pragma once
/// @file classifier.hpp
/// @brief strider::KernelClassifier: DilatedKernelTransform -> StandardScaler ->
/// RidgeClassifierCV, the whole time-series classifier behind one fit/predict API.

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>

#include "strider/communicator.hpp"
#include "strider/detail/serial_version.hpp"

#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/params.hpp"
#include "strider/series_source.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace strider {

/// choose_features keeps the fractions of occurrences alone only when they classify so
/// many more training series by leave-one-out that McNemar's one-sided test gives
/// p < kChooseFeaturesMaxP: stricter than the class weights' test (kChooseMaxP), because
/// a fit makes this choice after two others and most training sets gain nothing from it.
inline constexpr double kChooseFeaturesMaxP = 0.001;
/// choose_features is tried on training sets of at most this many series per class on
/// average (n_series <= kChooseFeaturesMaxPerClass * n_classes). With few series per
/// class the ridge's solution is set by the feature weights, which weigh each kernel's
/// minimum four times as much as its fraction of occurrences; that is where the
/// fractions alone can be far better (PigCVP, two series per class: 0.86 with every
/// feature, 0.95 with the fractions alone). On the UCR training sets with more series
/// per class the test's p-value stayed above 0.01, and the candidate's reduction of the
/// Gram matrix costs time (docs/choosing_defaults.md, comparison 19).
inline constexpr double kChooseFeaturesMaxPerClass = 10.0;

/// choose_normalization keeps the variant with the higher leave-one-out accuracy only
/// when it classifies at least this many more training series; closer than that, the
/// one with the lower leave-one-out cross-entropy. One series is within the noise of a
/// small training set (DodgerLoopGame, 20 series: the raw input won by one series on two
/// seeds of ten and lost 0.11-0.12 on TEST, its cross-entropy worse on all ten), and the
/// cross-entropy, which follows each series' own class, picks as well as the accuracy
/// where many classes have one or two series each, unlike the squared error
/// (docs/choosing_defaults.md, comparisons 20 and 22).
inline constexpr index_t kChooseNormalizationMinHits = 2;

/// What choose_normalization compares of a fitted ridge: its leave-one-out results at its
/// alpha.
struct LooResult {
  double accuracy = 0.0;       ///< RidgeClassifierCV::cv_accuracy() at alpha()
  double squared_error = 0.0;  ///< RidgeClassifierCV::cv_mse() at alpha()
  double log_loss = std::numeric_limits<double>::quiet_NaN();  ///< cv_log_loss(); NaN: none

  /// @throws std::logic_error when the ridge has no leave-one-out accuracy (a model loaded
  ///         from a version-1 file); NotFittedError when it is not fitted
  static LooResult of(const RidgeClassifierCV& ridge);
};

/**
 * Whether choose_normalization keeps the variant fitted later over the one kept so far,
 * both fitted on the same n_series training series (the samples of their leave-one-out
 * accuracy, so that accuracy times n_series counts hits): the later one when it classifies at
 * least kChooseNormalizationMinHits more of them by leave-one-out; not when it classifies
 * that many fewer; otherwise when its cross-entropy is lower. When either cross-entropy is
 * undefined (no class with two series), by the higher accuracy, then the lower squared
 * error. Ties keep the one kept so far (the params as given).
 */
bool prefer_later_variant(const LooResult& later, const LooResult& kept, index_t n_series) noexcept;

struct KernelClassifierParams;
/// Whether params.choose_features applies to a fit on n_series series of n_classes
/// classes: on, with the fraction of occurrences (the fourth feature of each kernel) and
/// another feature each weighted, at most kChooseFeaturesMaxPerClass series per class,
/// and no more series than features (the ridge's Gram mode).
bool choose_features_applies(const KernelClassifierParams& params, index_t n_series,
                             index_t n_classes) noexcept;

/// Feature weights of KernelClassifier by default: {1, 0.25, 0.25} (see
/// KernelClassifierParams::feature_weights).
std::array<double, 3> default_feature_weights();

/// Kernel lengths of KernelClassifier by default: {5, 7, 9, 11}.
std::vector<index_t> default_classifier_lengths();
/// Alphas of KernelClassifier by default: logspace_alphas(-4, 4, 20).
std::vector<double> default_classifier_alphas();
/// The transform of KernelRegressor by default (and KernelClassifier's, but for its
/// occurrences, see default_classifier_transform()): lengths
/// default_classifier_lengths(), p_padding 1, source mixed, normalize_input and
/// add_differences on, length_quantile 1, the transform's own defaults otherwise.
DilatedKernelTransformParams default_pipeline_transform();
/// The transform of KernelClassifier by default: default_pipeline_transform() with
/// add_occurrences on (chosen by cross-validation for classification only).
DilatedKernelTransformParams default_classifier_transform();

/// Parameters of the three stages, plus the pipeline's own (the table below says what
/// each does; docs/parameters.md lists them all with their defaults).
///
/// Defaults: those of each stage, except the settings chosen by stratified 5-fold
/// cross-validation inside the TRAIN splits of UCR datasets, two seeds
/// (experiments/select_defaults.cpp; the comparison is in docs/choosing_defaults.md):
/// kernel lengths {5, 7, 9, 11} (DilatedKernelTransform alone: convst's {7, 9, 11}),
/// source mixed (alone: sample), normalize_input and add_differences on (alone: off),
/// length_quantile 1 (kernels fit the longest training series; alone: 0, the shortest;
/// no effect on equal-length data), p_padding 1 (alone: 0.5), alphas logspace(-4, 4, 20)
/// and class weights chosen per training set (RidgeClassifierCV alone: ROCKET's
/// logspace(-3, 3, 10), none), choose_normalization on, feature_weights
/// {1, 0.25, 0.25}, add_occurrences on (alone: off) with occurrence_weight 0.5, and
/// float32 features (about 1.7x faster; the same CV accuracy as float64).
/// choose_representation is off: it led the CV on both seeds but costs 8% of the fit +
/// predict time (docs/choosing_defaults.md, comparison 17). choose_features is on, with
/// a strict test (kChooseFeaturesMaxP) on training sets of few series per class
/// (kChooseFeaturesMaxPerClass): in the CV it changed the result of one series of one
/// dataset, and it costs no measurable time (comparison 19).
struct KernelClassifierParams {
  /// 2 added choose_normalization (version 1 loads false, as those models were fitted);
  /// 3 added feature_weights (older files load {1, 1, 1}); 4 retired choose_differences;
  /// 5 added occurrence_weight (older files load 0.5; their transforms have no
  /// occurrences); 6 added choose_representation (older files load false); 7 added
  /// choose_features (older files load false).
  static constexpr std::uint32_t kSerialVersion = 7;

  DilatedKernelTransformParams transform = default_classifier_transform();
  StandardScalerParams scaler;
  RidgeClassifierCVParams ridge{.alphas = default_classifier_alphas(),
                                .class_weight = ClassWeight::choose};
  bool float32 = true;
  bool choose_normalization = true;
  bool choose_representation = false;
  bool choose_features = true;
  std::array<double, 3> feature_weights = default_feature_weights();
  double occurrence_weight = 0.5;

  friend bool operator==(const KernelClassifierParams&, const KernelClassifierParams&) = default;

  /// Sets n_jobs of every stage (see parallel.hpp: -1 all cores, k >= 1 exactly k).
  KernelClassifierParams& set_n_jobs(int n_jobs) {
    transform.n_jobs = n_jobs;
    scaler.n_jobs = n_jobs;
    ridge.n_jobs = n_jobs;
    return *this;
  }

  /**
   * @brief Checks every field, the stages' too, and feature_weights against float32.
   * @throws std::invalid_argument naming the field and its value
   */
  void validate(const std::string& who = "KernelClassifier") const;

  /// cereal serialization from the table (see kSerialVersion); a loaded file is validated.
  /// @throws FormatError on a newer version or invalid values
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version) {
    serialize_params(ar, *this, version, "KernelClassifierParams");
  }
};

namespace classifier_checks {
std::string feature_weights(const std::array<double, 3>& w);
std::string occurrence_weight(const double& w);
/// @throws std::invalid_argument when float32 is on and a weight > 0 (feature_weights w,
/// then occurrence_weight o) is 0 or infinite in float32
void feature_weights_in_float(const std::array<double, 3>& w, double o, bool float32,
                              const std::string& who);
}  // namespace classifier_checks

/// The rows the pipelines' params tables share (KernelClassifierParams,
/// KernelRegressorParams): one description of each common field.
namespace pipeline_rows {
template <class P>
ParamField<P, DilatedKernelTransformParams> transform() {
  return {.name = "transform", .member = &P::transform, .help = "the random dilated kernels"};
}
template <class P>
ParamField<P, StandardScalerParams> scaler() {
  return {
      .name = "scaler", .member = &P::scaler, .help = "feature standardisation before the ridge"};
}
template <class P>
ParamField<P, bool> float32() {
  return {.name = "float32",
          .member = &P::float32,
          .help = "compute and keep the features in float32 (half the memory)",
          .flag = "float32"};
}
/// `since`: the first format version of P that stores it; `before`: what older files imply.
template <class P>
ParamField<P, std::array<double, 3>> feature_weights(std::uint32_t since,
                                                     std::array<double, 3> before) {
  return {.name = "feature_weights",
          .member = &P::feature_weights,
          .help =
              "weights of each kernel's standardised min, fraction of increasing steps "
              "and argmin in the ridge (a weight w is a ridge penalty 1 / w^2 times "
              "larger on that feature type; 0 drops it)",
          .flag = "feature-weights",
          .metavar = "W1,W2,W3",
          .check = classifier_checks::feature_weights,
          .since = since,
          .before = before};
}
template <class P>
ParamField<P, double> occurrence_weight(std::uint32_t since) {
  return {.name = "occurrence_weight",
          .member = &P::occurrence_weight,
          .help =
              "weight of each kernel's standardised fraction of occurrences in the ridge "
              "(transform.add_occurrences; as feature_weights)",
          .flag = "occurrence-weight",
          .metavar = "W",
          .check = classifier_checks::occurrence_weight,
          .since = since,
          .before = 0.5};
}
}  // namespace pipeline_rows

template <>
struct ParamTable<KernelClassifierParams> {
  using P = KernelClassifierParams;
  static const auto& fields() {
    static const auto table = std::make_tuple(
        pipeline_rows::transform<P>(), pipeline_rows::scaler<P>(),
        ParamField<P, RidgeClassifierCVParams>{
            .name = "ridge",
            .member = &P::ridge,
            .help = "regularisation grid, intercept and class weights of the ridge"},
        pipeline_rows::float32<P>(),
        ParamField<P, bool>{
            .name = "choose_normalization",
            .member = &P::choose_normalization,
            .help = "fit with the input z-normalised and as given, and keep the fit that "
                    "classifies at least two more training series by leave-one-out, else the "
                    "one with the lower leave-one-out cross-entropy (without one, as when "
                    "every class has a single series: the higher accuracy, then the lower "
                    "squared error; ties: transform.normalize_input as given); doubles the "
                    "fit time",
            .flag = "choose-normalization",
            .since = 2,
            .before = false},
        ParamField<P, bool>{
            .name = "choose_representation",
            .member = &P::choose_representation,
            .help = "with transform.add_differences: keep only the kernels on the series, or "
                    "only those on the first differences, when the ridge on them alone "
                    "classifies significantly more training series by leave-one-out (as "
                    "class_weight choose decides; one more reduction of the Gram matrix per "
                    "group, none with more series than features)",
            .flag = "choose-representation",
            .since = 6,
            .before = false},
        ParamField<P, bool>{
            .name = "choose_features",
            .member = &P::choose_features,
            .help = "with transform.add_occurrences, on a training set of at most 10 "
                    "series per class: keep only each kernel's fraction of occurrences "
                    "(the other features' coefficients 0) when the ridge on them alone "
                    "classifies significantly more training series by leave-one-out "
                    "(McNemar's test, p < 0.001; one more reduction of the Gram matrix, "
                    "none with more series than features)",
            .flag = "choose-features",
            .since = 7,
            .before = false},
        RetiredField<P, bool>{.name = "choose_differences",
                              .since = 2,
                              .retired = 4,
                              .inert = false,
                              .effect = RetiredEffect::fit_only,
                              .what = "chose add_differences by leave-one-out accuracy"},
        pipeline_rows::feature_weights<P>(3, {1.0, 1.0, 1.0}),
        pipeline_rows::occurrence_weight<P>(5));
    return table;
  }
};

/// Wall-clock seconds spent in each stage of the last fit() (not saved in model files).
struct FitTimings {
  double transform_seconds = 0.0;  ///< drawing the kernels and transforming the train set
  double scaler_seconds = 0.0;     ///< fitting and applying the StandardScaler, and
                                   ///< multiplying by feature_weights
  double ridge_seconds = 0.0;      ///< fitting RidgeClassifierCV (leave-one-out over alphas)
};

/// Settings of KernelClassifier::fit_batches() (how the training set is read, not what is
/// fitted: they are not saved in model files).
struct BatchFitOptions {
  index_t batch_size = 1000;  ///< series read and transformed at a time (>= 1)
  /// Series the kernels are drawn from: at most this many, evenly spaced through the set
  /// (>= 1; the transform's fit() draws kernel values and dilations from them).
  index_t kernel_sample = 10000;
  /// Series whose exact leave-one-out values choose alpha and calibrate predict_proba():
  /// all of them up to this many, else this many spread through the set (>= 1; see
  /// RidgeClassifierCV::loo_rows()). Only they are read and transformed in the last pass.
  index_t loo_sample = RidgeClassifierCV::kLooSample;
  /// The processes sharing the fit (e.g. MPI ranks, strider/mpi_communicator.hpp), each
  /// calling fit_batches() on the same source: each transforms its share of the series
  /// (process r of R: series [N r / R, N (r + 1) / R)), and all end with the same model.
  /// nullptr: this process alone. The processes check that they read the same number of
  /// series from the same source with the same kernels. A process that throws (a bad
  /// series, say) does not tell the others, which wait in their next collective call: end
  /// the whole job on an exception (MPI_Abort), as the strider command line does.
  Communicator* communicator = nullptr;
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
  /// layout here is the same: the version tells an older reader it cannot read the params;
  /// later params versions tell it by themselves).
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

  /**
   * @brief Fits on a training set read in batches, in memory that does not grow with
   * the number of series: the N x FK features (F = transform.features_per_kernel()) and
   * the N x N Gram matrix are never held.
   *
   * Reads the kernel sample (SeriesSource::seek() to each of its series), then makes three
   * passes over `x`, each reading every series once, `batch_size` at a time: the scaler's
   * statistics (StandardScaler::partial_fit); then the first two passes of
   * RidgeClassifierCV::fit_batches() (labels and class means; the FK x FK covariance
   * matrix). The last, the exact leave-one-out error of every alpha, reads only the
   * leave-one-out sample (`options.loo_sample` series, all of them in smaller sets; see
   * RidgeClassifierCV::loo_rows()). With at most loo_sample series, the result is the
   * model fit() gives on the whole set when the kernel sample is the whole set, up to
   * rounding (the same alpha by the same exact leave-one-out error); with more, alpha is
   * chosen by the sample's mean error. The other differences:
   * - the transform is fitted on the kernel sample (`options.kernel_sample` series evenly
   *   spaced through the set);
   * - choose_normalization is not applied (it would double every pass): the input is
   *   normalised as transform.normalize_input says, and the model's params record
   *   choose_normalization off;
   * - choose_representation and choose_features are not applied (the covariance mode
   *   skips them), and the params record them off;
   * - class_weight choose takes the weighting its chi-square test prefers.
   * With options.communicator, each process makes the passes over its own share of the
   * series (and of the leave-one-out sample) and the statistics are summed over the
   * processes (StandardScaler::merge(), RidgeClassifierCV::fit_batches()): every process
   * ends with the model of one process reading the whole set, up to rounding.
   * Memory: fit_batches_memory(). Time: about 3 transforms of the set plus
   * N (FK)^2 / 2 multiply-adds for the covariance matrix, one (FK)^3 reduction, and the
   * leave-one-out sample's transforms and (FK)^2 multiply-adds a series. Progress counts
   * series read over all passes. On an exception (a bad series, the progress callback
   * throwing to interrupt) the classifier is unchanged.
   * @throws std::invalid_argument on bad options, a series that cannot be read, fewer
   *         than 2 series or classes; MemoryLimitError before the passes when the estimate
   *         exceeds the memory limit
   */
  KernelClassifier& fit_batches(SeriesSource& x, const BatchFitOptions& options = {});

  /// Estimated peak bytes of fit_batches() with the kernel sample `sample` (its series
  /// also stand for the batches' lengths), n_classes classes and options.batch_size
  /// series per batch.
  std::uint64_t fit_batches_memory(const Panel& sample, index_t n_classes,
                                   const BatchFitOptions& options = {}) const;

  /// Predicted labels, n_series entries. @throws NotFittedError, std::invalid_argument
  std::vector<std::string> predict(const Panel& x) const;
  /// Ridge scores, n_series x n_classes (n_series x 1 for two classes, as scikit-learn).
  RowMatrixD decision_function(const Panel& x) const;
  /// Class probabilities, n_series x n_classes (columns in classes() order, rows summing
  /// to 1): the ridge's decision values through a softmax calibrated on their exact
  /// leave-one-out values at fit (RidgeClassifierCV::predict_proba()). The most probable
  /// class is predict()'s (up to probabilities that round to the same value).
  /// @throws as predict()
  RowMatrixD predict_proba(const Panel& x) const;
  /// Accuracy against x.labels(). @throws std::invalid_argument when x has no labels
  double score(const Panel& x) const;
  /// Accuracy against y.
  double score(const Panel& x, const std::vector<std::string>& y) const;

  /// The features the ridge sees (standardised, then times feature_weights and
  /// occurrence_weight): n_series x 3K (4K with transform.add_occurrences), computed in T
  /// (those of a params().float32 model, the default, are features<float>()).
  template <class T = double>
  RowMatrix<T> features(const Panel& x) const;
  /// Predicted labels from features() output.
  template <class T>
  std::vector<std::string> predict_features(const RowMatrix<T>& features) const;

  /// Labels from decision_function() output: the column with the largest score (the
  /// first on ties), or for two classes classes()[1] when the score is > 0, as predict().
  std::vector<std::string> labels_from_scores(const RowMatrixD& scores) const;

  bool is_fitted() const noexcept { return ridge_.is_fitted(); }
  /// Changes the thread count of every stage for later calls (e.g. after loading a model:
  /// predictions do not depend on it). @throws std::invalid_argument when n_jobs == 0
  void set_n_jobs(int n_jobs);
  /// Sorted class labels. @throws NotFittedError
  const std::vector<std::string>& classes() const;

  /**
   * @brief Estimated peak memory, in bytes, of fit(x) (one transform variant at a time,
   * its features, the ridge's leave-one-out solve) and of predict(x) (the features and
   * the scores), for `n_classes` classes (which also decide whether choose_features
   * applies, and so whether its matrices are counted). fit() and predict() refuse with
   * MemoryLimitError, before allocating anything large, when the estimate exceeds the
   * memory limit (memory.hpp). predict_memory() needs a fitted classifier.
   */
  std::uint64_t fit_memory(const Panel& x, index_t n_classes = 2) const;
  std::uint64_t predict_memory(const Panel& x) const;
  /// The memory limit of later calls in bytes; 0 (the default) detects it (memory.hpp).
  /// Not serialized.
  void set_memory_limit(std::uint64_t bytes) noexcept;
  const KernelClassifierParams& params() const noexcept { return params_; }
  const DilatedKernelTransform& transform() const noexcept { return transform_; }
  /// The fitted scaler: its output times feature_weights is what ridge() expects (that is
  /// features()).
  const StandardScaler& scaler() const noexcept { return scaler_; }
  /// The fitted ridge, on features() (scaled and weighted), not on the scaler's output.
  const RidgeClassifierCV& ridge() const noexcept { return ridge_; }
  /// The kernels whose features the ridge uses: "series+differences", or one of "series"
  /// and "differences" (the other kernels' coefficients are 0) when choose_representation
  /// kept them alone; "series" without transform.add_differences. @throws NotFittedError
  std::string representation() const;
  /// The kernel features the ridge uses: "all", or "occurrences" when choose_features
  /// kept each kernel's fraction of occurrences alone (the coefficients of the other
  /// features are all 0). @throws NotFittedError
  std::string features_used() const;
  const FitTimings& fit_timings() const noexcept { return timings_; }

  /// Progress reporting: called with (done, total) from one thread at a time, `done`
  /// non-decreasing. fit() counts every stage of every variant it fits (transforms,
  /// scalers, ridge solves) in work units proportional to their expected time, so that
  /// done / total is the fraction of the fit's time; transforms after fit() (predict,
  /// features) count the transform's own units. Not serialized.
  void set_progress_callback(DilatedKernelTransform::ProgressCallback cb);

  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  template <class T>
  void fit_impl(const Panel& x, const std::vector<std::string>& y);
  template <class T>
  void fit_batches_impl(SeriesSource& x, const BatchFitOptions& options);
  void check_fitted(const char* who) const;
  /// choose_representation applies to a fit on x: on, with the first differences, and no
  /// more series than features (the ridge's Gram mode).
  bool choosing_representation(const Panel& x) const noexcept;
  /// Whether choose_features applies to a fit on x with n_classes classes (see
  /// choose_features_applies()).
  bool choosing_features(const Panel& x, index_t n_classes) const noexcept;
  /// @throws FormatError when a loaded ridge keeps columns other than all of them or the
  /// kernels of one representation (with choose_representation on)
  void check_loaded_representation() const;
  void check_predict_memory(const Panel& x, const char* who) const;

  KernelClassifierParams params_;
  DilatedKernelTransform transform_;
  StandardScaler scaler_;
  RidgeClassifierCV ridge_;
  FitTimings timings_;
  DilatedKernelTransform::ProgressCallback progress_;
  std::uint64_t memory_limit_ = 0;
};

template <class Archive>
void KernelClassifier::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("KernelClassifier", version, kSerialVersion);
  ar(cereal::make_nvp("params", params_), cereal::make_nvp("transform", transform_),
     cereal::make_nvp("scaler", scaler_), cereal::make_nvp("ridge", ridge_));
  if constexpr (Archive::is_loading::value) {
    detail::check_loaded_stages("KernelClassifier", transform_, scaler_, ridge_);
    check_loaded_representation();
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::KernelClassifierParams,
                     strider::KernelClassifierParams::kSerialVersion);
CEREAL_CLASS_VERSION(strider::KernelClassifier, strider::KernelClassifier::kSerialVersion);
