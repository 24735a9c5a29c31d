#pragma once
// Private helpers shared by the linear estimators: input checks and fixed work partitions.

#include <string>
#include <vector>

#include "strider/types.hpp"

namespace strider::detail {

/// Columns per block in column-parallel loops. Fixed (never derived from the thread
/// count) so that every result is bit-identical for any n_jobs.
inline constexpr index_t kColumnBlock = 64;
/// Rows per block in row-parallel loops.
inline constexpr index_t kRowBlock = 64;

/// Threads worth using for a parallel loop of about `work` elementary operations: one
/// below 2^17 (starting a parallel region would cost more than it saves), else n_threads.
/// Work partitions never depend on the thread count, so neither do the results.
inline int threads_for(double work, int n_threads) {
  return work < static_cast<double>(1 << 17) ? 1 : n_threads;
}

/// Number of blocks of `block` items covering `n` items.
inline index_t n_blocks(index_t n, index_t block) {
  return (n + block - 1) / block;
}

/// The class a row of decision values gives, as RidgeClassifierCV::predict(): one target,
/// class 1 when the value is > 0, else 0; several, the first largest (numpy.argmax).
template <class Row>
index_t class_of(const Row& decision) {
  if (decision.size() == 1) return decision(0) > 0.0 ? 1 : 0;
  index_t k = 0;
  decision.maxCoeff(&k);
  return k;
}

/**
 * @brief Throws std::invalid_argument naming the first (row-major order) NaN or infinite
 * value of x by row and column: "<who>: x(3, 7) is nan; every value must be finite".
 */
template <class T>
void check_finite(const Eigen::Ref<const RowMatrix<T>>& x, const std::string& who, int n_threads);

/// Weighted column means of x as NumPy's average: sum_i(w_i x_ij) / sum(w), samples in
/// order within each fixed column block (bit-identical for any n_threads; with all
/// weights 1, exactly the plain means).
template <class T>
VectorD weighted_column_means(const Eigen::Ref<const RowMatrix<T>>& x, const VectorD& w,
                              int n_threads);

/**
 * @brief The checks of predict-time input shared by the ridges: fitted, as many features
 * as fit() saw, every value finite. @throws NotFittedError (named `who`),
 * std::invalid_argument
 */
template <class T>
void check_predict_input(const Eigen::Ref<const RowMatrix<T>>& x, bool fitted, index_t n_features,
                         const char* who, int n_threads);

/**
 * @brief The load-time checks of a fitted ridge shared by RidgeClassifierCV and RidgeCV:
 * n_features >= 1; coef n_targets x n_features (n_targets = `targets`, or any >= 1 when
 * `targets` is 0) and intercept n_targets, all finite; one cv_mse entry per alpha, each
 * >= 0 or +inf; alpha one of the alphas, with a finite error. Returns the chosen alpha's
 * best_score (minus its error), recomputed rather than trusted.
 * @throws FormatError (via throw_archive_error) prefixed with `who`
 */
double check_loaded_ridge(const std::string& who, index_t n_features, const ColMatrix<double>& coef,
                          const VectorD& intercept, const VectorD& cv_mse,
                          const std::vector<double>& alphas, double alpha, index_t targets);

/// x coef^T + 1 intercept^T in float64 (the decision values of the ridge estimators), n x
/// n_targets, by fixed blocks of rows (bit-identical for any n_threads).
template <class T>
RowMatrixD affine_rows(const Eigen::Ref<const RowMatrix<T>>& x, const ColMatrix<double>& coef,
                       const VectorD& intercept, int n_threads);

}  // namespace strider::detail
