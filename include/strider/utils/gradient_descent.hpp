#pragma once
/// @file utils/gradient_descent.hpp
/// @brief Least-squares linear regression y ~ X b by batch gradient descent.
///
/// Source: a Numba tutorial (section 3, `gradient_regression`): 2,000,000
/// observations, X = [x, 1] (2 columns), y = 2 x + 5 + N(0, 0.05^2), b0 = (0.5, 0.5),
/// 1,000 epochs: 53.2 s with numpy (learning rate 0.01), 47.6 s with `@jit`, 11.1 s with
/// `@jit(parallel=True)` (learning rate 0.005). Each epoch e, with n observations:
///   r = y - X b_e,   SSR_e = sum_i r_i^2,   b_{e+1} = b_e + alpha (2 / n) X^T r,
/// i.e. a step of size alpha down the gradient of SSR(b) / n. It converges for any start
/// when 0 < alpha < n / lambda_max(X^T X) (then SSR_e decreases) and diverges above.
///
/// What differs from the document's code:
/// - One pass over the data per epoch computes r, SSR and X^T r together (the document's
///   numpy code makes four passes and allocates two n-vectors per epoch); the data are
///   arguments, not generated inside the timed function.
/// - The sums over observations run in parallel with a FIXED combination order: the rows
///   are cut into blocks of kGradientBlockRows (independent of the thread count), each
///   block is summed in row order, and the block sums are added in block order. Results
///   are therefore bit-identical for any n_jobs (they differ from a single running sum
///   by rounding only).
/// - `use_gram = true` makes the same iteration cost O(p^2) per epoch instead of O(n p):
///   since X^T r = X^T y - (X^T X) b and SSR = y^T y - 2 b^T X^T y + b^T X^T X b, one
///   (parallel, deterministic) pass over the data suffices. The iterates are the same up
///   to rounding; the SSR is then a difference of large terms and loses about
///   log10(y^T y / SSR) digits (clamped at 0 when a near-exact fit rounds below it).
///   Extra memory: at most 64 (p^2 + p + 1) doubles.
/// - The SSR history has epochs + 1 entries: the document's SSR_0 .. SSR_{epochs-1}
///   (before each update) plus the SSR of the returned coefficients.
/// - Bad input is rejected (shapes, NaN/inf, learning_rate <= 0, epochs < 0), and so is
///   divergence: when the SSR stops being finite, std::invalid_argument names the epoch,
///   the learning rate and the largest stable learning rate n / lambda_max(X^T X).
///   (A learning rate above that bound whose SSR grows but stays finite within `epochs`
///   is not detected; the returned SSR history shows it.)

#include "strider/types.hpp"

namespace strider::utils {

/// Rows per block of the deterministic reductions over observations.
inline constexpr index_t kGradientBlockRows = 2048;

/// Parameters of linear_regression_gd().
struct GradientDescentParams {
  double learning_rate = 0.01;  ///< step alpha > 0 (the document: 0.01 numpy, 0.005 numba)
  index_t epochs = 1000;        ///< number of updates (>= 0); 0 returns the start
  int n_jobs = 1;               ///< threads: -1 all cores, k >= 1 exactly k; 0 rejected
  bool use_gram = false;        ///< one pass for X^T X, X^T y, y^T y, then O(p^2) epochs
};

/// Result of linear_regression_gd().
struct GradientDescentResult {
  VectorD coef;  ///< p: the coefficients after the last epoch
  VectorD ssr;   ///< epochs + 1: ssr[e] = sum_i (y_i - x_i . b_e)^2, b_0 the start,
                 ///< b_epochs = coef
};

/**
 * @brief Fits y ~ X b by batch gradient descent on the sum of squared residuals.
 * @param x         n x p design matrix, one row per observation (add a column of ones for
 *                  an intercept, as the document does); n >= 1, p >= 1, finite
 * @param y         n targets, finite
 * @param coef_init p starting coefficients, finite
 * @param params    learning rate, epochs, threads
 * @return the final coefficients (p) and the SSR history (epochs + 1)
 * @throws std::invalid_argument on empty or mismatched shapes, NaN or inf in x, y or
 *         coef_init, learning_rate <= 0 or not finite, epochs < 0, n_jobs == 0, or when
 *         the iteration diverges (SSR becomes inf or NaN)
 */
GradientDescentResult linear_regression_gd(const Eigen::Ref<const RowMatrixD>& x,
                                           const Eigen::Ref<const VectorD>& y,
                                           const Eigen::Ref<const VectorD>& coef_init,
                                           const GradientDescentParams& params = {});

/// As above, starting from b_0 = 0.
GradientDescentResult linear_regression_gd(const Eigen::Ref<const RowMatrixD>& x,
                                           const Eigen::Ref<const VectorD>& y,
                                           const GradientDescentParams& params = {});

}  // namespace strider::utils
