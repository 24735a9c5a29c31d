#pragma once
/// @file linear/ridge_classifier_cv.hpp
/// @brief strider::RidgeClassifierCV: ridge classifier whose alpha is chosen by exact
/// leave-one-out cross-validation (scikit-learn's RidgeClassifierCV with cv=None).

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>

#include "strider/communicator.hpp"
#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/cereal_eigen.hpp"
#include "strider/params.hpp"
#include "strider/types.hpp"

namespace strider {

namespace detail {
struct GcvInput;
}  // namespace detail

/// Per-class sample weights of RidgeClassifierCV (scikit-learn's class_weight).
enum class ClassWeight {
  none,      ///< every sample weighs 1
  balanced,  ///< sample of class k weighs n_samples / (n_classes * count_k)
  /// balanced or none, by two tests on the training set. First, which is preferred:
  /// when Pearson's chi-square test finds the class counts consistent with equal class
  /// frequencies (p >= kChooseMaxP), their differences are sampling noise and balanced
  /// removes them; when it rejects, the classes really differ in frequency and none
  /// keeps those frequencies, which suits accuracy on new data drawn like the training
  /// set. Then the other weighting replaces the preferred one only when it classifies
  /// significantly more training samples by leave-one-out (each at its chosen alpha):
  /// among the samples exactly one of the two classifies, it must be right on so many
  /// more that a one-sided sign test gives p < kChooseMaxP (McNemar's exact test); a
  /// difference of a few series is noise on a small training set. With classes of equal
  /// size both are the same fit, reported as balanced. With n_samples <= n_features both
  /// share one Gram matrix, so the choice costs one more n_samples^3 reduction (and a
  /// second n_samples^2 matrix), not a second pass over the features; with more samples
  /// than features it is a second fit.
  choose
};

/// The significance level of both tests of ClassWeight::choose.
inline constexpr double kChooseMaxP = 0.05;

/// Columns that RidgeClassifierCV::fit() may keep alone, each only when it classifies
/// significantly more training samples by leave-one-out (the test of ClassWeight::choose).
/// Only with n_samples <= n_features, where the groups' Gram matrices add up to the whole
/// one: each candidate costs one more n_samples^3 reduction, each group one more
/// n_samples^2 matrix. The default: all columns.
struct ColumnChoice {
  /// 0 < split < n_features: [0, split) alone, then [split, n_features) alone (e.g. the
  /// features of two sets of kernels). 0: no split.
  index_t split = 0;
  /// period >= 2: then the columns j with j % period == residue alone, within the columns
  /// kept (e.g. one feature type of kernels with `period` features each); no choice when
  /// no column or every column is such (period > n_features). 0: none (residue ignored).
  index_t period = 0;
  index_t residue = 0;
  /// The significance level of the test that keeps the strided columns alone (the split
  /// groups' and the class weights' tests use kChooseMaxP), in (0, 1]. A level below
  /// kChooseMaxP makes the choice stricter, for a caller that makes it on many training
  /// sets where the columns alone are rarely better.
  double period_max_p = kChooseMaxP;
};

template <>
struct EnumNames<ClassWeight> {
  static constexpr std::pair<ClassWeight, const char*> items[] = {
      {ClassWeight::none, "none"},
      {ClassWeight::balanced, "balanced"},
      {ClassWeight::choose, "choose"}};
};

/// n >= 2 alphas log-spaced over [10^lo, 10^hi]: 10^(lo + k (hi - lo) / (n - 1)) for
/// k = 0..n-1, the last exponent exactly hi (NumPy's logspace(lo, hi, n), computed with
/// the C library's pow; NumPy may differ in the last bit, e.g. it gives
/// 0.09999999999999999 for 0.1). @throws std::invalid_argument when n < 2
std::vector<double> logspace_alphas(double lo, double hi, int n);

/// RidgeClassifierCV's default alpha grid, logspace_alphas(-3, 3, 10): the grid of ROCKET
/// and MiniRocket. (KernelClassifier uses a wider one, see classifier.hpp.)
std::vector<double> default_ridge_alphas();

/// The rows the ridges' params tables share (RidgeClassifierCVParams, RidgeCVParams): one
/// description of each common field.
namespace ridge_rows {
template <class P>
ParamField<P, std::vector<double>> alphas() {
  return {.name = "alphas",
          .member = &P::alphas,
          .help = "regularisation strengths to choose from by leave-one-out error, each > 0",
          .flag = "alphas",
          .metavar = "A1,A2,..",
          .check = checks::positive_finite_list};
}
template <class P>
ParamField<P, bool> fit_intercept() {
  return {.name = "fit_intercept",
          .member = &P::fit_intercept,
          .help = "fit an unpenalised intercept per target"};
}
template <class P>
ParamField<P, int> n_jobs() {
  return {.name = "n_jobs",
          .member = &P::n_jobs,
          .help = "threads: -1 all cores, k >= 1 exactly k",
          .check = checks::n_jobs};
}
}  // namespace ridge_rows

/// Hyper-parameters of RidgeClassifierCV (names and meaning of scikit-learn; the table
/// below says what each does).
struct RidgeClassifierCVParams {
  /// 2 added scoring; 3 retired it (alpha is chosen by the leave-one-out squared error);
  /// 4 added class_weight choose.
  static constexpr std::uint32_t kSerialVersion = 4;

  std::vector<double> alphas = default_ridge_alphas();
  bool fit_intercept = true;
  ClassWeight class_weight = ClassWeight::none;
  int n_jobs = 1;

  friend bool operator==(const RidgeClassifierCVParams&, const RidgeClassifierCVParams&) = default;

  /// @throws std::invalid_argument naming the field and its value
  void validate(const std::string& who = "RidgeClassifierCV") const { validate_params(*this, who); }

  /// cereal serialization from the table; a loaded struct is validated.
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version) {
    serialize_params(ar, *this, version, "RidgeClassifierCVParams");
  }
};

template <>
struct ParamTable<RidgeClassifierCVParams> {
  using P = RidgeClassifierCVParams;
  static const auto& fields() {
    static const auto table = std::make_tuple(
        ridge_rows::alphas<P>(), ridge_rows::fit_intercept<P>(),
        ParamField<P, ClassWeight>{.name = "class_weight",
                                   .member = &P::class_weight,
                                   .help = "sample weights: every sample 1 (none), inversely "
                                           "proportional to its class's size (balanced), or "
                                           "chosen per training set by a test of its class "
                                           "frequencies and the leave-one-out accuracy "
                                           "(choose)",
                                   .flag = "class-weight",
                                   .metavar = "none|balanced|choose"},
        ridge_rows::n_jobs<P>(),
        RetiredField<P, std::int32_t>{.name = "scoring",
                                      .since = 2,
                                      .retired = 3,
                                      .inert = 0,
                                      .effect = RetiredEffect::fit_only,
                                      .what = "chose alpha by leave-one-out accuracy"});
    return table;
  }
};

/**
 * @brief One-vs-all ridge regression on {-1, +1} targets with alpha selected by exact
 * leave-one-out error, matching scikit-learn 1.2's `RidgeClassifierCV` (cv=None).
 *
 * - Classes are `sorted_classes(y)` (labels.hpp), the order of `Panel::classes()`. With two
 *   classes there is a single target (+1 for classes()[1]), otherwise one per class.
 * - Centring (fit_intercept) and class weights follow scikit-learn: weighted column means,
 *   rows scaled by sqrt(weight). All computation is in float64, also for float32 input
 *   (a float32 matrix gives exactly the result of the same values as float64).
 * - alpha: the first of `alphas` with the smallest mean, over samples and targets, of the
 *   squared leave-one-out residuals (of the weighted problem); best_score() is minus that.
 *   cv_accuracy() holds the leave-one-out accuracy of every alpha (the fraction of training
 *   samples whose left-out decision values give the right class).
 *   Every alpha is evaluated exactly from one symmetric decomposition: of the
 *   n_samples x n_samples Gram matrix when n_samples <= n_features, of the
 *   n_features x n_features covariance matrix otherwise. The decomposition is an
 *   orthogonal tridiagonal reduction (backward stable, cheaper than eigenvectors); the
 *   leave-one-out diagonal comes from O(n) tridiagonal solves per sample and alpha.
 * - Memory: the input is never copied; the work matrix is the Gram (or covariance)
 *   matrix, n_samples^2 (or n_features^2) doubles, plus O(n_samples x n_targets).
 * - fit() is parallel (OpenMP, n_jobs) and bit-identical for any n_jobs.
 * - predict(): the class of the largest decision value (first on ties); with two
 *   classes, classes()[1] when the decision value is > 0.
 *
 * Member templates are instantiated for T = float and T = double.
 */
class RidgeClassifierCV {
 public:
  /**
   * @brief Validates the parameters; does not train.
   * @throws std::invalid_argument on empty alphas, an alpha that is not finite and > 0,
   *         or n_jobs == 0
   */
  explicit RidgeClassifierCV(RidgeClassifierCVParams params = {});

  /**
   * @brief Fits one ridge model per target for every alpha and keeps the best alpha.
   * @param x n_samples x n_features, finite values
   * @param y n_samples labels (any strings, at least two distinct)
   * @param choice columns that may be kept alone (see ColumnChoice), tried after the
   *        class weights are chosen on all columns. The columns not kept get coefficient
   *        0 (kept_columns() says which split group was kept; within it, the strided
   *        columns alone were kept when the others' coefficients are all 0).
   * @return *this
   * @throws std::invalid_argument on an empty x, y.size() != n_samples, a NaN/inf value
   *         (the message names row and column), fewer than two classes, or a
   *         choice.split outside [0, n_features), or choice.period < 0 or
   *         choice.residue outside [0, period) with period > 1; std::runtime_error when no
   *         alpha gives a finite leave-one-out error
   */
  template <class T>
  RidgeClassifierCV& fit(const Eigen::Ref<const RowMatrix<T>>& x, const std::vector<std::string>& y,
                         const ColumnChoice& choice = {});

  /// One batch of a training set seen in batches: n_batch x n_features finite values and
  /// their labels.
  using BatchVisitor =
      std::function<void(const Eigen::Ref<const RowMatrixD>& x, const std::vector<std::string>& y)>;
  /// One pass over a training set: calls the visitor for each batch, in the same order and
  /// with the same values at every pass.
  using BatchPass = std::function<void(const BatchVisitor&)>;
  /// A pass over some samples of the set only: calls the visitor for the samples `rows`
  /// (positions in the whole set, increasing), in that order, in batches, with the values
  /// the BatchPass gives them.
  using SamplePass = std::function<void(const std::vector<index_t>& rows, const BatchVisitor&)>;

  /// Default `loo_sample` of fit_batches().
  static constexpr index_t kLooSample = 20000;

  /**
   * @brief Fits on a training set seen in batches, with memory that does not grow with
   *        the number of samples: three passes.
   *
   * 1. the labels, the class counts and each class's feature sums (the weighted means);
   * 2. the covariance matrix A^T A (its lower triangle, packed: about n_features^2 / 2
   *    doubles) and A^T y, batch by batch;
   * 3. after its reduction (the covariance mode of fit()), the exact leave-one-out errors,
   *    hits and decision values of every alpha for the samples loo_rows(n, loo_sample),
   *    batch by batch.
   *
   * With at most `loo_sample` samples the result is fit() on the concatenated batches up
   * to rounding: the same alphas evaluated by the same exact leave-one-out error. Except:
   * class_weight choose takes the weighting its chi-square test prefers (see
   * ClassWeight::choose) without the second fit that may overrule it. With more, alpha is
   * chosen by the mean leave-one-out error of the sample (each sample's error exact: the
   * model left out is the one fitted on all the others) and proba_scale() is fitted on
   * the sample's decision values (cv_mse(), cv_accuracy() and proba_scale() then
   * describe the sample). The pass over the sample costs n_features^2 multiply-adds a
   * sample, twice the covariance pass's n_features^2 / 2; the sample keeps it small
   * beside the covariance pass, and its mean error is an unbiased estimate of the whole
   * set's, with a spread that shrinks as 1 / sqrt(loo_sample).
   * Memory: the covariance matrix, one solution per alpha (n_features x n_targets), one
   * class sum per class (n_features), and the sample's decision values; see
   * fit_batches_memory(). Bit-identical for any n_jobs with the same batches.
   *
   * With a Communicator of several processes, each process's passes visit its own share
   * of the samples, the shares in rank order making up the set: the classes, sums,
   * covariance and leave-one-out sums are summed over the processes, and every process
   * ends with the same model, which is the single-process fit's up to rounding.
   * @param loo_sample at most this many samples get their leave-one-out values (>= 1)
   * @param communicator the processes sharing the fit; nullptr: this one alone
   * @param sample_pass when given, the third pass: called once with the samples of
   *        loo_rows(n, loo_sample) that lie in this process's share (so that a caller
   *        can skip producing the others); empty: the third pass is `pass`, whose other
   *        samples are skipped
   * @throws std::invalid_argument on an empty set, batches of different feature counts, a
   *         NaN/inf value, fewer than 2 samples or 2 classes, loo_sample < 1;
   *         std::runtime_error when a later pass sees other labels or another number of
   *         samples than the first, or no alpha gives a finite leave-one-out error.
   *         *this is unchanged when it throws.
   */
  RidgeClassifierCV& fit_batches(const BatchPass& pass, index_t loo_sample = kLooSample,
                                 Communicator* communicator = nullptr,
                                 const SamplePass& sample_pass = {});

  /**
   * @brief The samples of a set of n_samples whose leave-one-out values fit_batches()
   *        computes: all of them when n_samples <= loo_sample; else exactly loo_sample,
   *        sample k drawn uniformly, from a fixed seed, from the run of consecutive
   *        samples [floor(k n / loo_sample), floor((k + 1) n / loo_sample)).
   *
   * Spread through the set, so a file sorted by class gives each class its share; drawn,
   * so a set whose classes repeat with a period does not alias with the runs.
   * @return increasing positions in [0, n_samples); the same for the same arguments
   * @throws std::invalid_argument when n_samples < 0 or loo_sample < 1
   */
  static std::vector<index_t> loo_rows(index_t n_samples, index_t loo_sample);

  /// Peak bytes of fit_batches() besides the batches themselves.
  static std::uint64_t fit_batches_memory(index_t n_features, index_t n_classes,
                                          std::size_t n_alphas, index_t loo_sample = kLooSample);

  /**
   * @brief Decision values x coef()^T + intercept().
   * @param x n_samples x n_features(), finite values
   * @return n_samples x n_targets() (n_samples x 1 for two classes)
   * @throws NotFittedError; std::invalid_argument on a feature-count mismatch or NaN/inf
   */
  template <class T>
  RowMatrixD decision_function(const Eigen::Ref<const RowMatrix<T>>& x) const;

  /**
   * @brief Class probabilities, calibrated: the softmax of the decision values (two
   *        classes: of -d and +d) times proba_scale(), a factor fitted on the exact
   *        leave-one-out decision values of the training samples (see proba_scale()).
   * @param x n_samples x n_features(), finite values
   * @return n_samples x n_classes(), columns in classes() order, rows summing to 1; the
   *         most probable class of a row is predict()'s (unless two decision values are so
   *         close that their probabilities round to the same value: predict() is the label)
   * @throws as decision_function()
   */
  template <class T>
  RowMatrixD predict_proba(const Eigen::Ref<const RowMatrix<T>>& x) const;

  /**
   * @brief The probabilities of predict_proba() from decision values already computed.
   * @param decision n_samples x n_targets(), as decision_function() returns them
   * @throws NotFittedError; std::invalid_argument on another column count or a
   *         non-finite value
   */
  RowMatrixD probabilities(const Eigen::Ref<const RowMatrixD>& decision) const;
  /// The same with another inverse temperature (1: the plain softmax of the decision
  /// values; > 0 and finite). @throws as probabilities(), and std::invalid_argument on a
  /// bad inverse_temperature
  RowMatrixD probabilities(const Eigen::Ref<const RowMatrixD>& decision,
                           double inverse_temperature) const;

  /// Predicted labels, n_samples entries of classes(). @throws as decision_function()
  template <class T>
  std::vector<std::string> predict(const Eigen::Ref<const RowMatrix<T>>& x) const;

  /// Predicted class indices into classes(), n_samples entries.
  /// @throws as decision_function()
  template <class T>
  std::vector<index_t> predict_index(const Eigen::Ref<const RowMatrix<T>>& x) const;

  /**
   * @brief Accuracy of predict(x) against y.
   * @param y n_samples labels (labels unknown to the model count as errors)
   * @throws as decision_function(); std::invalid_argument when y.size() != n_samples
   */
  template <class T>
  double score(const Eigen::Ref<const RowMatrix<T>>& x, const std::vector<std::string>& y) const;

  /// Changes the thread count used by later calls (e.g. after loading a model).
  /// @throws std::invalid_argument when n_jobs == 0
  void set_n_jobs(int n_jobs) {
    RidgeClassifierCVParams p = params_;
    p.n_jobs = n_jobs;
    p.validate("RidgeClassifierCV::set_n_jobs()");
    params_ = p;
  }

  /// True once fit() succeeded (or a fitted model was loaded).
  bool is_fitted() const noexcept { return fitted_; }
  /// The parameters given to the constructor.
  const RidgeClassifierCVParams& params() const noexcept { return params_; }
  /// The chosen alpha (sklearn alpha_). @throws NotFittedError
  double alpha() const;
  /// The class weights of the fit: params().class_weight, or what `choose` chose (none or
  /// balanced). @throws NotFittedError
  ClassWeight class_weight() const;
  /// The score of alpha() (sklearn best_score_): minus its mean squared leave-one-out
  /// error.
  /// @throws NotFittedError
  double best_score() const;
  /// Mean squared leave-one-out error of each of params().alphas (+inf when an alpha is
  /// numerically unusable), n_alphas; over the leave-one-out sample after fit_batches()
  /// on more than its loo_sample samples. @throws NotFittedError
  const VectorD& cv_mse() const;
  /// Leave-one-out accuracy of each of params().alphas (0 when numerically unusable),
  /// n_alphas; empty for a model loaded from a version-1 file. @throws NotFittedError
  const VectorD& cv_accuracy() const;
  /// The inverse temperature of predict_proba(): the factor on the decision values that
  /// minimises the cross-entropy of the training samples' leave-one-out decision values
  /// (of the leave-one-out sample, after fit_batches() on a larger set) against Platt's
  /// targets ((m + 1) / (m + 2) on a sample's own class of m samples), in [1e-3, 1e6]; 1
  /// (the plain softmax) for a model saved before format version 4.
  /// @throws NotFittedError
  double proba_scale() const;
  /// Mean leave-one-out cross-entropy at alpha(): -log of the probability predict_proba()
  /// gives each training sample's own class (inverse temperature proba_scale()) from its
  /// leave-one-out decision values, over the samples whose class has at least two samples
  /// in the training set (leave-one-out cannot classify the only sample of a class, with
  /// any features). NaN when no class has two samples, and for a model saved before format
  /// version 6; after fit_batches() on more than its loo_sample samples, over those of
  /// the leave-one-out sample.
  /// @throws NotFittedError
  double cv_log_loss() const;
  /// Coefficients, n_targets x n_features (sklearn coef_). @throws NotFittedError
  const ColMatrix<double>& coef() const;
  /// Intercepts, n_targets (zeros when fit_intercept is false). @throws NotFittedError
  const VectorD& intercept() const;
  /// Sorted class labels (sklearn classes_). @throws NotFittedError
  const std::vector<std::string>& classes() const;
  /// Number of classes. @throws NotFittedError
  index_t n_classes() const;
  /// Number of regression targets: 1 for two classes, else n_classes(). @throws NotFittedError
  index_t n_targets() const;
  /// Number of features seen by fit() (sklearn n_features_in_). @throws NotFittedError
  index_t n_features() const;
  /// The split group the fit kept, [first, second): all columns, or one group of fit()'s
  /// ColumnChoice::split; the coefficients outside it are 0 (and inside it, those of the
  /// non-strided columns when ColumnChoice::period kept the strided ones alone).
  /// @throws NotFittedError
  std::pair<index_t, index_t> kept_columns() const;

  /**
   * @brief cereal serialization (version 2 added cv_accuracy_, version 3 class_weight_,
   * version 4 proba_scale_, version 5 kept_columns_, version 6 cv_log_loss_; older
   * versions load without them, class_weight_ then being params().class_weight,
   * proba_scale_ 1, every column kept and cv_log_loss_ NaN).
   * On load every size and value is checked.
   * @throws FormatError on load when the archive is inconsistent (sizes, classes, values,
   *         unknown version); cereal::Exception when it is truncated
   */
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  void check_fitted(const char* who) const;
  /// The centred, weighted targets and offsets of one weighting (class_weight none or
  /// balanced); yi: class index of each sample, count: samples per class.
  template <class T>
  detail::GcvInput gcv_input(const Eigen::Ref<const RowMatrix<T>>& x,
                             const std::vector<index_t>& yi, const std::vector<index_t>& count,
                             ClassWeight weight, int threads) const;
  void validate_loaded();

  RidgeClassifierCVParams params_;
  bool fitted_ = false;
  index_t n_features_ = 0;
  std::vector<std::string> classes_;
  double alpha_ = 0.0;
  ClassWeight class_weight_ = ClassWeight::none;
  double best_score_ = 0.0;
  VectorD cv_mse_;
  VectorD cv_accuracy_;
  ColMatrix<double> coef_;
  VectorD intercept_;
  double proba_scale_ = 1.0;
  double cv_log_loss_ = std::numeric_limits<double>::quiet_NaN();
  index_t kept_begin_ = 0;
  index_t kept_end_ = 0;
};

// ---- serialization ---------------------------------------------------------

template <class Archive>
void RidgeClassifierCV::serialize(Archive& ar, std::uint32_t version) {
  if (version < 1 || version > 6) {
    detail::throw_archive_error("RidgeClassifierCV: unsupported version " +
                                std::to_string(version) + " (this library reads 1 to 6)");
  }
  if constexpr (Archive::is_loading::value) {
    // Load into a fresh object and commit only once everything was read and checked.
    RidgeClassifierCV m;
    ar(cereal::make_nvp("params", m.params_));
    detail::serialize_bool(ar, "fitted", m.fitted_);
    if (m.fitted_) {
      std::int64_t features = 0;
      ar(cereal::make_nvp("n_features_in_", features));
      m.n_features_ = static_cast<index_t>(features);
      detail::load_vector(ar, "classes_", m.classes_, std::uint64_t{1} << 24);
      ar(cereal::make_nvp("alpha_", m.alpha_), cereal::make_nvp("best_score_", m.best_score_),
         cereal::make_nvp("cv_mse_", m.cv_mse_), cereal::make_nvp("coef_", m.coef_),
         cereal::make_nvp("intercept_", m.intercept_));
      // -1 marks an unusable alpha (+inf in memory; JSON has no infinity).
      for (auto& v : m.cv_mse_)
        if (v == -1.0) v = std::numeric_limits<double>::infinity();
      if (version >= 2) ar(cereal::make_nvp("cv_accuracy_", m.cv_accuracy_));
      m.class_weight_ = m.params_.class_weight;
      if (version >= 3) detail::serialize_value(ar, "class_weight_", m.class_weight_);
      if (version >= 4) ar(cereal::make_nvp("proba_scale_", m.proba_scale_));
      m.kept_end_ = m.n_features_;
      if (version >= 5) {
        std::int64_t begin = 0, end = 0;
        ar(cereal::make_nvp("kept_begin_", begin), cereal::make_nvp("kept_end_", end));
        m.kept_begin_ = static_cast<index_t>(begin);
        m.kept_end_ = static_cast<index_t>(end);
      }
      if (version >= 6) {
        ar(cereal::make_nvp("cv_log_loss_", m.cv_log_loss_));
        if (m.cv_log_loss_ == -1.0) m.cv_log_loss_ = std::numeric_limits<double>::quiet_NaN();
      }
    }
    m.validate_loaded();
    *this = std::move(m);
  } else {
    ar(cereal::make_nvp("params", params_));
    detail::serialize_bool(ar, "fitted", fitted_);
    if (fitted_) {
      const std::int64_t features = n_features_;
      VectorD mse = cv_mse_;
      for (auto& v : mse)
        if (v == std::numeric_limits<double>::infinity()) v = -1.0;
      ar(cereal::make_nvp("n_features_in_", features), cereal::make_nvp("classes_", classes_),
         cereal::make_nvp("alpha_", alpha_), cereal::make_nvp("best_score_", best_score_),
         cereal::make_nvp("cv_mse_", mse), cereal::make_nvp("coef_", coef_),
         cereal::make_nvp("intercept_", intercept_),
         cereal::make_nvp("cv_accuracy_", cv_accuracy_));
      ClassWeight used = class_weight_;
      detail::serialize_value(ar, "class_weight_", used);
      ar(cereal::make_nvp("proba_scale_", proba_scale_));
      const std::int64_t begin = kept_begin_, end = kept_end_;
      ar(cereal::make_nvp("kept_begin_", begin), cereal::make_nvp("kept_end_", end));
      // -1 marks an undefined cross-entropy (JSON has no NaN).
      const double log_loss = std::isnan(cv_log_loss_) ? -1.0 : cv_log_loss_;
      ar(cereal::make_nvp("cv_log_loss_", log_loss));
    }
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::RidgeClassifierCVParams,
                     strider::RidgeClassifierCVParams::kSerialVersion);
CEREAL_CLASS_VERSION(strider::RidgeClassifierCV, 6);
