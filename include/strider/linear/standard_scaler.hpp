#pragma once
/// @file linear/standard_scaler.hpp
/// @brief strider::StandardScaler: per-feature standardisation, scikit-learn semantics.

#include <cstdint>

#include <cereal/cereal.hpp>

#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/cereal_eigen.hpp"
#include "strider/params.hpp"
#include "strider/types.hpp"

namespace strider {

/// Hyper-parameters of StandardScaler (names and defaults of scikit-learn; the table
/// below says what each does).
struct StandardScalerParams {
  static constexpr std::uint32_t kSerialVersion = 1;

  bool with_mean = true;
  bool with_std = true;
  int n_jobs = 1;

  friend bool operator==(const StandardScalerParams&, const StandardScalerParams&) = default;

  /// @throws std::invalid_argument naming the field and its value
  void validate(const std::string& who = "StandardScaler") const { validate_params(*this, who); }

  /// cereal serialization from the table.
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version) {
    serialize_params(ar, *this, version, "StandardScalerParams");
  }
};

template <>
struct ParamTable<StandardScalerParams> {
  using P = StandardScalerParams;
  static const auto& fields() {
    static const auto table = std::make_tuple(
        ParamField<P, bool>{
            .name = "with_mean", .member = &P::with_mean, .help = "subtract each feature's mean"},
        ParamField<P, bool>{.name = "with_std",
                            .member = &P::with_std,
                            .help = "divide each feature by its (population) standard deviation"},
        ParamField<P, int>{.name = "n_jobs",
                           .member = &P::n_jobs,
                           .help = "threads: -1 all cores, k >= 1 exactly k",
                           .check = checks::n_jobs});
    return table;
  }
};

/**
 * @brief Standardises features: x'(i, j) = (x(i, j) - mean(j)) / scale(j).
 *
 * Matches scikit-learn 1.2's `StandardScaler` on dense input: mean and population
 * variance (divisor n) by the corrected two-pass algorithm with float64 accumulators,
 * for float32 and float64 input; scale = sqrt(variance), except that features whose
 * variance is within the rounding error bound of the two-pass algorithm (constant
 * features) keep scale 1. `transform` computes in float64 and rounds to the input type
 * after each of the two steps, as NumPy does for in-place operations.
 * Unlike scikit-learn, NaN and infinite values are rejected (the message names the row
 * and the column): the features of this library are always finite.
 *
 * mean(), var() and scale() are always computed by fit(); with_mean / with_std only decide
 * what transform() applies (scikit-learn leaves the unused ones as None).
 * The fit is parallel over blocks of columns and bit-identical for any n_jobs.
 */
class StandardScaler {
 public:
  /**
   * @brief Validates the parameters; does not train.
   * @throws std::invalid_argument when params.n_jobs == 0
   */
  explicit StandardScaler(StandardScalerParams params = {});

  /**
   * @brief Computes the per-feature mean, variance and scale.
   * @tparam T float or double
   * @param x n_samples x n_features, finite values
   * @return *this
   * @throws std::invalid_argument when x has no rows or no columns, or a NaN/inf value
   */
  template <class T>
  StandardScaler& fit(const Eigen::Ref<const RowMatrix<T>>& x);

  /**
   * @brief Updates mean, variance and scale with one more batch of samples, as
   *        scikit-learn's partial_fit: the first call (or the first after construction)
   *        is fit(x); later ones merge x's statistics with those so far (Chan, Golub &
   *        LeVeque's pairwise update), so the result after all batches equals fit() on
   *        their concatenation up to rounding. Memory does not grow with the samples.
   * @param x n_samples x n_features, finite values (an empty batch changes nothing)
   * @throws std::invalid_argument on another feature count or a NaN/inf value (the
   *         statistics unchanged)
   */
  template <class T>
  StandardScaler& partial_fit(const Eigen::Ref<const RowMatrix<T>>& x);

  /**
   * @brief Adds the statistics of `other`, fitted on other samples of the same features,
   *        as partial_fit() adds a batch's: the result is the scaler of both sets of
   *        samples, up to rounding (a fit spread over several processes merges theirs).
   *        An unfitted `other` changes nothing; an unfitted *this takes other's
   *        statistics and keeps its own params.
   * @throws std::invalid_argument when both are fitted, on different feature counts
   */
  StandardScaler& merge(const StandardScaler& other);

  /**
   * @brief Standardised copy of x.
   * @param x n_samples x n_features() (any number of rows), finite values
   * @return n_samples x n_features()
   * @throws NotFittedError before fit(); std::invalid_argument on a column count other
   *         than n_features() or a NaN/inf value
   */
  template <class T>
  RowMatrix<T> transform(const Eigen::Ref<const RowMatrix<T>>& x) const;

  /**
   * @brief Standardises x in place (no copy; for large feature matrices).
   * @param x n_samples x n_features(); overwritten
   * @throws as transform(); x is left unchanged when it throws
   */
  template <class T>
  void transform_inplace(Eigen::Ref<RowMatrix<T>> x) const;

  /**
   * @brief Standardises x in place and multiplies column j by factor(j), in one pass
   *        over x (the same values as transform_inplace(x) followed by x.col(j) *= factor(j)
   *        in T, without reading and writing x a second time).
   * @param x n_samples x n_features(); overwritten
   * @param factor n_features() finite values
   * @throws as transform(), and std::invalid_argument on a factor of another size or a
   *         non-finite factor; x is left unchanged when it throws
   */
  template <class T>
  void transform_inplace(Eigen::Ref<RowMatrix<T>> x, const Eigen::Ref<const VectorD>& factor) const;

  /// fit(x) then transform(x). @return n_samples x n_features
  template <class T>
  RowMatrix<T> fit_transform(const Eigen::Ref<const RowMatrix<T>>& x);

  /**
   * @brief fit(x), then transform_inplace(x) (with factor: transform_inplace(x, factor)),
   *        reading x once less: the values fit() checked are not checked again.
   * @throws as fit() (x unchanged) and, with factor, as transform_inplace(x, factor)
   */
  template <class T>
  StandardScaler& fit_transform_inplace(Eigen::Ref<RowMatrix<T>> x);
  template <class T>
  StandardScaler& fit_transform_inplace(Eigen::Ref<RowMatrix<T>> x,
                                        const Eigen::Ref<const VectorD>& factor);

  /**
   * @brief Undoes transform(): x * scale + mean (each step as enabled by the params).
   * @param x n_samples x n_features()
   * @return n_samples x n_features()
   * @throws as transform()
   */
  template <class T>
  RowMatrix<T> inverse_transform(const Eigen::Ref<const RowMatrix<T>>& x) const;

  /// Changes the thread count used by later calls (e.g. after loading a model).
  /// @throws std::invalid_argument when n_jobs == 0
  void set_n_jobs(int n_jobs) {
    StandardScalerParams p = params_;
    p.n_jobs = n_jobs;
    p.validate("StandardScaler::set_n_jobs()");
    params_ = p;
  }

  /// True once fit() succeeded (or a fitted scaler was loaded).
  bool is_fitted() const noexcept { return fitted_; }
  /// The parameters given to the constructor.
  const StandardScalerParams& params() const noexcept { return params_; }
  /// Per-feature mean (sklearn mean_), n_features. @throws NotFittedError
  const VectorD& mean() const;
  /// Per-feature population variance (sklearn var_), n_features. @throws NotFittedError
  const VectorD& var() const;
  /// Per-feature scale: sqrt(var), 1 for constant features (sklearn scale_).
  /// @throws NotFittedError
  const VectorD& scale() const;
  /// Number of samples seen by fit() (sklearn n_samples_seen_). @throws NotFittedError
  index_t n_samples_seen() const;
  /// Number of features seen by fit() (sklearn n_features_in_). @throws NotFittedError
  index_t n_features() const;

  /**
   * @brief cereal serialization (version 1). On load every size and value is checked.
   * @throws FormatError on load when the archive is inconsistent (sizes, non-finite values,
   *         scale <= 0, unknown version)
   */
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  void check_fitted(const char* who) const;
  // partial_fit()'s update with a batch of n samples of these means and variances.
  void merge_moments(index_t n, const VectorD& mean, const VectorD& var);
  void validate_loaded() const;
  // The transform_inplace() and fit_transform_inplace() pass: factor may be null (no
  // multiplication); check: refuse non-finite values of x first.
  template <class T>
  void transform_columns(Eigen::Ref<RowMatrix<T>> x, const double* factor, const char* who,
                         bool check) const;
  static void check_factor(const Eigen::Ref<const VectorD>& factor, index_t n_columns,
                           const char* who);

  StandardScalerParams params_;
  bool fitted_ = false;
  index_t n_samples_seen_ = 0;
  VectorD mean_;
  VectorD var_;
  VectorD scale_;
};

// ---- serialization ---------------------------------------------------------

template <class Archive>
void StandardScaler::serialize(Archive& ar, std::uint32_t version) {
  if (version != 1) {
    detail::throw_archive_error("StandardScaler: unsupported version " + std::to_string(version) +
                                " (this library reads version 1)");
  }
  if constexpr (Archive::is_loading::value) {
    // Load into a fresh object and commit only once everything was read and checked.
    StandardScaler loaded;
    ar(cereal::make_nvp("params", loaded.params_));
    detail::serialize_bool(ar, "fitted", loaded.fitted_);
    if (loaded.fitted_) {
      std::int64_t seen = 0;
      ar(cereal::make_nvp("n_samples_seen_", seen), cereal::make_nvp("mean_", loaded.mean_),
         cereal::make_nvp("var_", loaded.var_), cereal::make_nvp("scale_", loaded.scale_));
      loaded.n_samples_seen_ = static_cast<index_t>(seen);
    }
    loaded.validate_loaded();
    *this = std::move(loaded);
  } else {
    ar(cereal::make_nvp("params", params_));
    detail::serialize_bool(ar, "fitted", fitted_);
    if (fitted_) {
      const std::int64_t seen = n_samples_seen_;
      ar(cereal::make_nvp("n_samples_seen_", seen), cereal::make_nvp("mean_", mean_),
         cereal::make_nvp("var_", var_), cereal::make_nvp("scale_", scale_));
    }
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::StandardScalerParams, strider::StandardScalerParams::kSerialVersion);
CEREAL_CLASS_VERSION(strider::StandardScaler, 1);
