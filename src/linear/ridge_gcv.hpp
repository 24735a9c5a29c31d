#pragma once
// Private: ridge regression with the exact leave-one-out (LOO) error of every alpha from a
// single symmetric decomposition (scikit-learn's _RidgeGCV, "eigen" and "svd" modes).
//
// The design matrix is A = diag(s) (X - 1 m^T): rows scaled by the square roots s of the
// sample weights and columns centred by the weighted mean m (or not centred when no
// intercept is fitted); it is never formed, panels of it are built on the fly in float64.
// The targets y (n_samples x n_targets) arrive centred and scaled the same way.
//
// n_samples <= n_features ("eigen" mode): K = A A^T (n x n). With an intercept, s / |s| is
// a null vector of K; a Householder reflection maps it to e_1 and the remaining (n - 1)
// block is reduced, so the unpenalised intercept direction is removed exactly instead of
// being searched among eigenvectors. That block is the same for the Gram matrix of columns
// centred by any offset, scaled by s (which is how ridge_gcv_choose() shares one Gram
// matrix between weightings, where s / |s| is no longer a null vector). LOO residuals are c_i /
// G_ii, c = G y, G = (K + aI)^-1 restricted to the complement of the intercept direction. n_samples
// > n_features ("svd" mode): C = A^T A (n_features squared). With z_i = Q^T a_i, leverage h_i =
// u_i^2 + z_i^T (T + aI)^-1 z_i (u = s / |s|, the intercept column) and LOO residual (y_i - yhat_i)
// / (1 - h_i). Selection: one alpha for all targets, the first with the smallest mean squared LOO
// error over all samples and targets. The LOO accuracy of every alpha is computed too (the
// classifier compares fits by it).

#include <vector>

#include "strider/types.hpp"

namespace strider::detail {

struct GcvInput {
  VectorD x_offset;     ///< n_features: column centres (all zero without intercept)
  bool center = true;   ///< subtract x_offset (false: fit_intercept = false)
  VectorD sqrt_sw;      ///< n_samples: square roots of the sample weights
  ColMatrix<double> y;  ///< n_samples x n_targets, centred and scaled targets
  std::vector<double> alphas;
  int n_threads = 1;
  VectorD y_offset;  ///< n_targets: target means removed from y (zeros: none)
  /// n_samples: class of each sample, 0 .. n_classes - 1; empty for regression (no LOO
  /// accuracy: hits and accuracies are 0)
  std::vector<index_t> label;
  const char* who = "RidgeClassifierCV::fit()";  ///< names the caller in errors
};

struct GcvResult {
  index_t best = 0;        ///< index of the chosen alpha
  VectorD mse;             ///< n_alphas: mean squared LOO error (+inf when not computable)
  VectorD accuracy;        ///< n_alphas: LOO accuracy (0 when not computable)
  ColMatrix<double> coef;  ///< n_targets x n_features, for the chosen alpha
  VectorD hits;            ///< n_samples: 1 where the chosen alpha's LOO decision is right
  /// n_samples x n_targets: the chosen alpha's LOO decision values (in the units of the
  /// decision function: sample weights and centring undone)
  ColMatrix<double> loo_decision;
  bool gram_mode = true;  ///< true: n x n Gram matrix; false: covariance matrix
};

/**
 * Fits the ridge path and selects alpha.
 * @param x n_samples x n_features, finite
 * @throws std::runtime_error when no alpha gives a finite LOO error
 */
template <class T>
GcvResult ridge_gcv(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in);

/// The result of ridge_gcv_choose(): the chosen input and its fit.
struct ChosenGcv {
  std::size_t chosen = 0;  ///< index into the inputs
  GcvResult result;
};

/// P(X >= k) for X ~ Binomial(n, 1/2): the one-sided sign test (1 when k <= 0).
double sign_test_upper(index_t k, index_t n);

/// P(X >= x) for X chi-square distributed with dof degrees of freedom (1 when x <= 0).
/// @throws std::invalid_argument when dof < 1
double chi_square_upper(double x, int dof);

/// Pearson's chi-square goodness-of-fit test of class counts against equal class
/// frequencies: the p-value (1 for fewer than two classes). The chi-square approximation
/// is rough below about 5 series per class, where it rarely rejects.
double equal_frequencies_p(const std::vector<index_t>& count);

/**
 * Fits the ridge path for several inputs that differ only in their sample weights (and
 * so in sqrt_sw, x_offset, y and y_offset) and keeps one: the first, unless a later one
 * classifies more samples by leave-one-out (each at its chosen alpha) and significantly
 * so: among the samples exactly one of the two classifies, the later one's share has a
 * one-sided sign test p-value below max_p (McNemar's exact test). A later input is
 * compared with the one kept so far. In Gram mode the inputs share one Gram matrix, so each
 * extra input costs a reduction of the n x n matrix, not a pass over x (and two n x n
 * matrices are held at the peak); in covariance mode each input is a whole second fit. Only the
 * chosen input's coefficients are computed.
 * @throws std::runtime_error when no input has an alpha with a finite LOO error
 */
template <class T>
ChosenGcv ridge_gcv_choose(const Eigen::Ref<const RowMatrix<T>>& x,
                           const std::vector<GcvInput>& ins, double max_p);

/// Lower triangle of A A^T (n_samples squared), accumulated over fixed column panels
/// with a fixed tiling, so bit-identical for any thread count. Exposed for benchmarks.
template <class T>
ColMatrix<double> gram_lower(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in);

}  // namespace strider::detail
