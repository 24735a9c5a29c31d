#pragma once
/// @file linear/ridge_cv.hpp
/// @brief strider::RidgeCV: ridge regression (one or several targets) whose alpha is chosen
/// by exact leave-one-out cross-validation (scikit-learn's RidgeCV with cv=None).

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>

#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/cereal_eigen.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/params.hpp"
#include "strider/types.hpp"

namespace strider {

/// Hyper-parameters of RidgeCV (names and meaning of scikit-learn; the table below says
/// what each does).
struct RidgeCVParams {
  static constexpr std::uint32_t kSerialVersion = 1;

  std::vector<double> alphas = default_ridge_alphas();
  bool fit_intercept = true;
  int n_jobs = 1;

  friend bool operator==(const RidgeCVParams&, const RidgeCVParams&) = default;

  /// @throws std::invalid_argument naming the field and its value
  void validate(const std::string& who = "RidgeCV") const { validate_params(*this, who); }

  /// cereal serialization from the table; a loaded struct is validated.
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version) {
    serialize_params(ar, *this, version, "RidgeCVParams");
  }
};

template <>
struct ParamTable<RidgeCVParams> {
  using P = RidgeCVParams;
  static const auto& fields() {
    static const auto table = std::make_tuple(
        ridge_rows::alphas<P>(), ridge_rows::fit_intercept<P>(), ridge_rows::n_jobs<P>());
    return table;
  }
};

/**
 * @brief Ridge regression with alpha selected by exact leave-one-out error, matching
 * scikit-learn 1.2's `RidgeCV` (cv=None, no sample weights, one alpha for all targets).
 *
 * For each alpha the leave-one-out residuals of every sample come from one symmetric
 * decomposition (of the n x n Gram matrix when n_samples <= n_features, else of the
 * n_features x n_features covariance), without refitting; the chosen alpha is the first
 * with the smallest mean squared leave-one-out error over all samples and targets. The
 * fit works in float64 whatever T is; results are bit-identical for any n_jobs.
 */
class RidgeCV {
 public:
  /// @throws std::invalid_argument when a parameter is invalid
  explicit RidgeCV(RidgeCVParams params = {});

  /**
   * @brief Fits on x (n_samples x n_features) and targets y (n_samples x n_targets).
   * @throws std::invalid_argument on empty or mismatched inputs, a non-finite value of x
   *         or a target that is not finite or beyond kMaxAbsValue (named by row and column)
   * @throws std::runtime_error when no alpha gives a finite leave-one-out error
   */
  template <class T>
  RidgeCV& fit(const Eigen::Ref<const RowMatrix<T>>& x, const Eigen::Ref<const RowMatrixD>& y);

  /// Predictions, n_samples x n_targets.
  /// @throws NotFittedError; std::invalid_argument on a feature count other than fit()'s
  /// or a non-finite value; std::runtime_error when a prediction overflows (coefficients
  /// of a crafted model file, or input values far beyond the training data's)
  template <class T>
  RowMatrixD predict(const Eigen::Ref<const RowMatrix<T>>& x) const;

  /// R^2 of predict(x) against y, averaged over targets (see r2_score() in metrics.hpp).
  /// @throws as predict(); std::invalid_argument when y's shape is not n_samples x n_targets
  template <class T>
  double score(const Eigen::Ref<const RowMatrix<T>>& x,
               const Eigen::Ref<const RowMatrixD>& y) const;

  /// Changes the thread count used by later calls. @throws std::invalid_argument when 0
  void set_n_jobs(int n_jobs);

  bool is_fitted() const noexcept { return fitted_; }
  const RidgeCVParams& params() const noexcept { return params_; }
  /// The chosen alpha (sklearn alpha_). @throws NotFittedError
  double alpha() const;
  /// Minus the chosen alpha's mean squared leave-one-out error (sklearn best_score_).
  /// @throws NotFittedError
  double best_score() const;
  /// Mean squared leave-one-out error of each of params().alphas (+inf when an alpha is
  /// numerically unusable). @throws NotFittedError
  const VectorD& cv_mse() const;
  /// Coefficients, n_targets x n_features. @throws NotFittedError
  const ColMatrix<double>& coef() const;
  /// Intercepts, n_targets (zeros when fit_intercept is false). @throws NotFittedError
  const VectorD& intercept() const;
  /// @throws NotFittedError
  index_t n_targets() const;
  /// @throws NotFittedError
  index_t n_features() const;

  /// cereal serialization (version 1). On load every size and value is checked.
  /// @throws FormatError on load when the archive is inconsistent or of an unknown version
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  void check_fitted(const char* who) const;
  void validate_loaded();

  RidgeCVParams params_;
  bool fitted_ = false;
  index_t n_features_ = 0;
  double alpha_ = 0.0;
  double best_score_ = 0.0;
  VectorD cv_mse_;
  ColMatrix<double> coef_;
  VectorD intercept_;
};

template <class Archive>
void RidgeCV::serialize(Archive& ar, std::uint32_t version) {
  if (version != 1) {
    detail::throw_archive_error("RidgeCV: unsupported version " + std::to_string(version) +
                                " (this library reads 1)");
  }
  if constexpr (Archive::is_loading::value) {
    RidgeCV m;  // loaded and checked whole before it replaces *this
    ar(cereal::make_nvp("params", m.params_));
    detail::serialize_bool(ar, "fitted", m.fitted_);
    if (m.fitted_) {
      std::int64_t features = 0;
      ar(cereal::make_nvp("n_features_in_", features), cereal::make_nvp("alpha_", m.alpha_),
         cereal::make_nvp("cv_mse_", m.cv_mse_), cereal::make_nvp("coef_", m.coef_),
         cereal::make_nvp("intercept_", m.intercept_));
      m.n_features_ = static_cast<index_t>(features);
      for (auto& v : m.cv_mse_)  // -1 marks an unusable alpha (JSON has no infinity)
        if (v == -1.0) v = std::numeric_limits<double>::infinity();
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
      ar(cereal::make_nvp("n_features_in_", features), cereal::make_nvp("alpha_", alpha_),
         cereal::make_nvp("cv_mse_", mse), cereal::make_nvp("coef_", coef_),
         cereal::make_nvp("intercept_", intercept_));
    }
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::RidgeCVParams, strider::RidgeCVParams::kSerialVersion);
CEREAL_CLASS_VERSION(strider::RidgeCV, 1);
