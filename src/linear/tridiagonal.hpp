#pragma once
// Private: symmetric tridiagonal reduction and shifted tridiagonal solves, the single
// decomposition behind RidgeClassifierCV's exact leave-one-out error for every alpha.
//
// S = Q T Q^T with Q orthogonal and T tridiagonal; then for any alpha > 0
//   (S + alpha I)^-1 = Q (T + alpha I)^-1 Q^T,
// and T + alpha I has an O(n) LDL^T factorisation. The diagonal of (S + alpha I)^-1 is
// sum_k z_k^2 / pivot_k with z = L^-1 q_i for each row q_i of Q: O(n^2) per alpha, the
// same cost as with eigenvectors, but the reduction is 3-4x cheaper than a full
// eigendecomposition and stays backward stable.

#include "strider/types.hpp"

namespace strider::detail {

/**
 * Reduces the symmetric matrix held in the lower triangle of s (n x n) in place.
 * On return s holds Q (n x n, orthogonal), d the diagonal (n) and e the subdiagonal
 * (n - 1) of T, with S = Q T Q^T. Deterministic for any n_threads.
 */
void tridiagonalize(Eigen::Ref<ColMatrix<double>> s, VectorD& d, VectorD& e, int n_threads);

/// y = S v for the symmetric S held in the lower triangle of a (n x n). From 1024 rows on,
/// parallel over fixed column chunks and bit-identical for any n_threads (used by
/// tridiagonalize(); exposed for tests).
void symmetric_lower_times(const Eigen::Ref<const ColMatrix<double>>& a,
                           const Eigen::Ref<const VectorD>& v, Eigen::Ref<VectorD> y,
                           int n_threads);

/// LDL^T factors of T + alpha I: T + alpha I = L D L^T, L unit lower bidiagonal with
/// multipliers mult(k) = L(k, k - 1) (mult(0) unused), D = diag(pivot).
struct ShiftedLdl {
  VectorD pivot;
  VectorD inv_pivot;
  VectorD mult;
  bool positive = true;  ///< false when a pivot is <= 0 or not finite (not numerically SPD)
};

/// Factors T + alpha I, T = tridiag(e, d, e).
ShiftedLdl factor_shifted(const VectorD& d, const VectorD& e, double alpha);

/// Solves (T + alpha I) X = B for each column of b, in place.
void solve_shifted(const ShiftedLdl& f, Eigen::Ref<ColMatrix<double>> b);

}  // namespace strider::detail
