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
// > n_features ("svd" mode): C = A^T A (its lower triangle, packed). With z_i = Q^T a_i, leverage
// h_i = u_i^2 + z_i^T (T + aI)^-1 z_i (u = s / |s|, the intercept column) and LOO residual (y_i -
// yhat_i) / (1 - h_i). Selection: one alpha for all targets, the first with the smallest mean
// squared LOO error over all samples and targets. The LOO accuracy of every alpha is computed too
// (the classifier compares fits by it).

#include <vector>

#include "strider/types.hpp"
#include "tridiagonal.hpp"  // same directory: also reached as ../src/linear from tests

namespace strider {
struct ColumnChoice;
}

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
  GcvResult result;        ///< coef has every column; those not kept are 0
  index_t kept_begin = 0;  ///< the split group kept: [kept_begin, kept_end)
  index_t kept_end = 0;
};

/// P(X >= k) for X ~ Binomial(n, 1/2): the one-sided sign test (1 when k <= 0).
double sign_test_upper(index_t k, index_t n);

/// McNemar's exact test of two classifiers' per-sample hits (1 right, 0 wrong, on the same
/// samples): true when `cand` is right on more samples than `kept` and, among the samples
/// exactly one of them gets right, cand's share has a one-sided sign test p-value below
/// max_p. @throws std::logic_error when the sizes differ
bool significantly_more_hits(const VectorD& cand, const VectorD& kept, double max_p);

/// Whether any classifier could pass significantly_more_hits() against `kept`: at best it
/// gets right every sample kept misses, so with m misses it needs 0.5^m < max_p.
bool hits_beatable(const VectorD& kept, double max_p);

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
 * chosen input's coefficients are computed. A candidate that could not pass the test
 * (the one kept misses at most m samples and 0.5^m >= max_p) is not fitted.
 *
 * In Gram mode only, `choice` may also choose columns (see ColumnChoice). With
 * 0 < split < n_features the columns form two groups, [0, split) and [split, n_features);
 * with period > 1 the columns j % period == residue form a group apart from the others.
 * After the input is chosen on all columns, each split group alone, then the strided
 * columns alone within the columns kept, are tried with it, and each replaces the columns
 * kept so far by the same test (the strided columns at choice.period_max_p). The Gram
 * matrix is accumulated as the sum of the groups' (the same work as one), so each
 * candidate costs one more reduction; the groups' n x n matrices (two to four) are held
 * beside the one being reduced and the one kept. The
 * columns not kept get coefficient 0. An empty choice (or covariance mode): all columns,
 * as without it.
 * @throws std::runtime_error when no input has an alpha with a finite LOO error
 */
template <class T>
ChosenGcv ridge_gcv_choose(const Eigen::Ref<const RowMatrix<T>>& x,
                           const std::vector<GcvInput>& ins, double max_p,
                           const ColumnChoice& choice);

/// Lower triangle of A A^T (n_samples squared), accumulated over fixed column panels
/// with a fixed tiling, so bit-identical for any thread count. Exposed for benchmarks.
template <class T>
ColMatrix<double> gram_lower(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in);

// ---- covariance mode in pieces, for fits that see the samples in batches ----------
// ridge_gcv() in covariance mode is: covariance_add() and design_transpose_times() over
// all samples, solve_covariance(), covariance_loo() over all samples, then
// select_alpha_from_sums() on the column sums of its errors and hits. A batched fit calls
// the same steps batch by batch, each batch's GcvInput holding that batch's rows of y,
// sqrt_sw and label and the whole set's x_offset and y_offset.

/// lower(c) += A^T A for the rows of x (c: n_features x n_features, packed). Bit-identical
/// for any n_threads.
template <class T>
void covariance_add(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in, LowerPanels& c);

/// A^T b (n_features x b.cols()), b: x.rows() x k. Bit-identical for any n_threads.
template <class T>
ColMatrix<double> design_transpose_times(const Eigen::Ref<const RowMatrix<T>>& x,
                                         const GcvInput& in, const ColMatrix<double>& b);

/// C = Q T Q^T and, for each alpha, the solution of (T + alpha I) sol = Q^T A^T y.
struct CovarianceSolution {
  HouseholderQ q;  ///< Q, as reflectors in n_features (n_features + 256) / 2 doubles
  VectorD d, e;    ///< T's diagonal and subdiagonal
  std::vector<ShiftedLdl> ldl;
  std::vector<ColMatrix<double>> sol;  ///< per alpha, n_features x n_targets
};

/// Reduces c (lower triangle of A^T A, consumed) and solves for every alpha; aty = A^T y.
CovarianceSolution solve_covariance(LowerPanels c, const ColMatrix<double>& aty,
                                    const std::vector<double>& alphas, int threads);

/// The primal coefficients of alpha a: Q sol[a] (n_features x n_targets).
ColMatrix<double> covariance_coef(const CovarianceSolution& s, index_t a);

/// The leave-one-out squared errors, hits (0/1) and decision values of x's rows for every
/// alpha: err and hit x.rows() x n_alphas, dec x.rows() x (n_alphas n_targets), alpha a in
/// columns a n_targets ... Rows whose alpha is not numerically usable get +inf errors.
/// u: x's rows of the intercept column sqrt_sw / |sqrt_sw| (|.| over the whole set; empty
/// without intercept), uy = u^T y over the whole set.
template <class T>
void covariance_loo(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in,
                    const CovarianceSolution& s, const VectorD& u, const Eigen::RowVectorXd& uy,
                    ColMatrix<double>& err, ColMatrix<double>& hit, ColMatrix<double>& dec);

/// Mean squared LOO error and LOO accuracy per alpha from the sums over n samples of the
/// squared errors and hits; the index of the chosen alpha (the first with the smallest
/// finite mean squared error), -1 when none is finite.
index_t select_alpha_from_sums(const VectorD& err_sum, const VectorD& hit_sum, index_t n,
                               index_t n_targets, VectorD& mse, VectorD& accuracy);

}  // namespace strider::detail
