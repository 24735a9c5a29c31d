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

#include <vector>

#include "lower_panels.hpp"  // same directory: also reached as ../src/linear from tests
#include "strider/types.hpp"

namespace strider::detail {

/**
 * Reduces the symmetric matrix held in the lower triangle of s (n x n) in place.
 * On return s holds Q (n x n, orthogonal), d the diagonal (n) and e the subdiagonal
 * (n - 1) of T, with S = Q T Q^T. Deterministic for any n_threads.
 */
void tridiagonalize(Eigen::Ref<ColMatrix<double>> s, VectorD& d, VectorD& e, int n_threads);

/**
 * Q = H_0 H_1 ... H_{n-2} of a tridiagonal reduction S = Q T Q^T kept as its Householder
 * reflectors, in the n (n + 256) / 2 doubles of packed storage, instead of the n^2 of an
 * explicit Q. Applying it costs the same multiply-adds as a product with the explicit
 * Q, in blocks of 64 reflectors (I - V T V^T, LAPACK's dormtr), and saves forming it.
 */
class HouseholderQ {
 public:
  HouseholderQ() = default;
  /// Reduces s (the lower triangle of S, consumed); d and e receive T's diagonal (n) and
  /// subdiagonal (n - 1). Deterministic for any n_threads.
  HouseholderQ(LowerPanels s, VectorD& d, VectorD& e, int n_threads);

  /// x <- x Q (x: m x n). Single-threaded, so callable from parallel tasks.
  void right_multiply(Eigen::Ref<ColMatrix<double>> x) const;
  /// x <- Q x, or Q^T x when `transpose` (x: n x k). Single-threaded.
  void left_multiply(Eigen::Ref<ColMatrix<double>> x, bool transpose) const;

 private:
  struct Block {  // reflectors [k0, k0 + nb): V = [top (nb x nb, unit lower); rest]
    index_t k0;
    LowerPanels::ConstBlock top, rest;
  };
  Block block(std::size_t b) const;

  LowerPanels v_;                     // reflector k: 1 at row k + 1, v_(k + 2:, k) below
  VectorD tau_;                       // H_k = I - tau_k v v^T
  std::vector<ColMatrix<double>> t_;  // upper-triangular factor per block of 64
};

/// y = S v for the symmetric S held in the lower triangle of a (n x n). From 1024 rows on,
/// parallel over the 256-column panels and bit-identical for any n_threads (used by
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
