#pragma once
/// @file linear/ridge_classifier_cv.hpp
/// @brief strider::RidgeClassifierCV: ridge classifier whose alpha is chosen by exact
/// leave-one-out cross-validation (scikit-learn's RidgeClassifierCV with cv=None).

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>

#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/cereal_eigen.hpp"
#include "strider/types.hpp"

namespace strider {

/// Per-class sample weights of RidgeClassifierCV (scikit-learn's class_weight).
enum class ClassWeight {
  none,     ///< every sample weighs 1
  balanced  ///< sample of class k weighs n_samples / (n_classes * count_k)
};

/// How RidgeClassifierCV chooses alpha from the leave-one-out (LOO) predictions
/// (scikit-learn's `scoring`).
enum class AlphaScoring : std::int32_t {
  /// the smallest mean squared LOO error of the {-1, +1} targets (scikit-learn's default)
  squared_error = 0,
  /// the highest LOO accuracy (the class of the largest LOO decision value), ties going
  /// to the smaller mean squared LOO error, then to the first alpha (scikit-learn's
  /// scoring="accuracy" keeps the first of equal accuracies)
  accuracy = 1,
};

/// n >= 2 alphas log-spaced over [10^lo, 10^hi]: 10^(lo + k (hi - lo) / (n - 1)) for
/// k = 0..n-1, the last exponent exactly hi (NumPy's logspace(lo, hi, n), computed with
/// the C library's pow; NumPy may differ in the last bit, e.g. it gives
/// 0.09999999999999999 for 0.1). @throws std::invalid_argument when n < 2
std::vector<double> logspace_alphas(double lo, double hi, int n);

/// RidgeClassifierCV's default alpha grid, logspace_alphas(-3, 3, 10): the grid of ROCKET
/// and MiniRocket. (KernelClassifier uses a wider one, see classifier.hpp.)
std::vector<double> default_ridge_alphas();

/// Hyper-parameters of RidgeClassifierCV (names and meaning of scikit-learn).
struct RidgeClassifierCVParams {
  std::vector<double> alphas = default_ridge_alphas();  ///< candidate alphas, each > 0
  bool fit_intercept = true;                            ///< fit an unpenalised intercept per target
  ClassWeight class_weight = ClassWeight::none;         ///< sample weights per class
  int n_jobs = 1;  ///< threads: -1 all cores, k >= 1 exactly k, 0 is rejected
  AlphaScoring scoring = AlphaScoring::squared_error;  ///< how alpha is chosen

  /// cereal serialization (version 2 added scoring; version 1 loads squared_error).
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);
};

/**
 * @brief One-vs-all ridge regression on {-1, +1} targets with alpha selected by exact
 * leave-one-out error, matching scikit-learn 1.2's `RidgeClassifierCV` (cv=None).
 *
 * - Classes are `sorted_classes(y)` (panel.hpp), the order of `Panel::classes()`. With two
 *   classes there is a single target (+1 for classes()[1]), otherwise one per class.
 * - Centring (fit_intercept) and class weights follow scikit-learn: weighted column means,
 *   rows scaled by sqrt(weight). All computation is in float64, also for float32 input
 *   (a float32 matrix gives exactly the result of the same values as float64).
 * - alpha: with scoring = squared_error (default), the first of `alphas` with the
 *   smallest mean, over samples and targets, of the squared leave-one-out residuals (of
 *   the weighted problem); best_score() is minus that. With scoring = accuracy, the alpha
 *   whose leave-one-out decision values classify the most training samples correctly
 *   (ties: smaller mean squared error, then the first); best_score() is that accuracy.
 *   cv_accuracy() holds the leave-one-out accuracy of every alpha in both cases.
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
   * @return *this
   * @throws std::invalid_argument on an empty x, y.size() != n_samples, a NaN/inf value
   *         (the message names row and column), or fewer than two classes;
   *         std::runtime_error when no alpha gives a finite leave-one-out error
   */
  template <class T>
  RidgeClassifierCV& fit(const Eigen::Ref<const RowMatrix<T>>& x,
                         const std::vector<std::string>& y);

  /**
   * @brief Decision values x coef()^T + intercept().
   * @param x n_samples x n_features(), finite values
   * @return n_samples x n_targets() (n_samples x 1 for two classes)
   * @throws NotFittedError; std::invalid_argument on a feature-count mismatch or NaN/inf
   */
  template <class T>
  RowMatrixD decision_function(const Eigen::Ref<const RowMatrix<T>>& x) const;

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

  /// True once fit() succeeded (or a fitted model was loaded).
  bool is_fitted() const noexcept { return fitted_; }
  /// The parameters given to the constructor.
  const RidgeClassifierCVParams& params() const noexcept { return params_; }
  /// The chosen alpha (sklearn alpha_). @throws NotFittedError
  double alpha() const;
  /// The score of alpha() (sklearn best_score_): minus its mean squared leave-one-out
  /// error (scoring = squared_error), or its leave-one-out accuracy (scoring = accuracy).
  /// @throws NotFittedError
  double best_score() const;
  /// Mean squared leave-one-out error of each of params().alphas (+inf when an alpha is
  /// numerically unusable), n_alphas. @throws NotFittedError
  const VectorD& cv_mse() const;
  /// Leave-one-out accuracy of each of params().alphas (0 when numerically unusable),
  /// n_alphas; empty for a model loaded from a version-1 file. @throws NotFittedError
  const VectorD& cv_accuracy() const;
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

  /**
   * @brief cereal serialization (version 2 added cv_accuracy_; version 1 loads without it).
   * On load every size and value is checked.
   * @throws FormatError on load when the archive is inconsistent (sizes, classes, values,
   *         unknown version); cereal::Exception when it is truncated
   */
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  void check_fitted(const char* who) const;
  template <class T>
  void check_predict_input(const Eigen::Ref<const RowMatrix<T>>& x, const char* who) const;
  void validate_loaded() const;

  RidgeClassifierCVParams params_;
  bool fitted_ = false;
  index_t n_features_ = 0;
  std::vector<std::string> classes_;
  double alpha_ = 0.0;
  double best_score_ = 0.0;
  VectorD cv_mse_;
  VectorD cv_accuracy_;
  ColMatrix<double> coef_;
  VectorD intercept_;
};

// ---- serialization ---------------------------------------------------------

template <class Archive>
void RidgeClassifierCVParams::serialize(Archive& ar, std::uint32_t version) {
  if (version < 1 || version > 2) {
    detail::throw_archive_error("RidgeClassifierCVParams: unsupported version " +
                                std::to_string(version) + " (this library reads 1 and 2)");
  }
  if constexpr (Archive::is_loading::value) {
    detail::load_vector(ar, "alphas", alphas, std::uint64_t{1} << 20);
  } else {
    ar(cereal::make_nvp("alphas", alphas));
  }
  std::int32_t weight = static_cast<std::int32_t>(class_weight);
  std::int32_t jobs = n_jobs;
  detail::serialize_bool(ar, "fit_intercept", fit_intercept);
  ar(cereal::make_nvp("class_weight", weight), cereal::make_nvp("n_jobs", jobs));
  if constexpr (Archive::is_loading::value) {
    if (weight != static_cast<std::int32_t>(ClassWeight::none) &&
        weight != static_cast<std::int32_t>(ClassWeight::balanced)) {
      detail::throw_archive_error("RidgeClassifierCVParams: unknown class_weight " +
                                  std::to_string(weight));
    }
    class_weight = static_cast<ClassWeight>(weight);
    n_jobs = jobs;
  }
  std::int32_t score = static_cast<std::int32_t>(scoring);
  if (version >= 2) {
    ar(cereal::make_nvp("scoring", score));
  } else {
    score = static_cast<std::int32_t>(AlphaScoring::squared_error);  // before the choice
  }
  if constexpr (Archive::is_loading::value) {
    if (score != static_cast<std::int32_t>(AlphaScoring::squared_error) &&
        score != static_cast<std::int32_t>(AlphaScoring::accuracy)) {
      detail::throw_archive_error("RidgeClassifierCVParams: unknown scoring " +
                                  std::to_string(score));
    }
    scoring = static_cast<AlphaScoring>(score);
  }
}

template <class Archive>
void RidgeClassifierCV::serialize(Archive& ar, std::uint32_t version) {
  if (version < 1 || version > 2) {
    detail::throw_archive_error("RidgeClassifierCV: unsupported version " +
                                std::to_string(version) + " (this library reads 1 and 2)");
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
    }
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::RidgeClassifierCVParams, 2);
CEREAL_CLASS_VERSION(strider::RidgeClassifierCV, 2);
