#pragma once
/// @file utils/multiple_testing.hpp
/// @brief Many two-sided z-tests of a mean with known sigma, in parallel, with Bonferroni
/// or Holm correction for multiple testing.
///
/// For a sample x_1 .. x_n from N(mu, sigma^2) with sigma known, the test of
/// H0: mu = mu0 against mu != mu0 (Wald's test) uses
///   z = sqrt(n) (mean(x) - mu0) / sigma,   p = P(|Z| >= |z|) = erfc(|z| / sqrt(2)),
/// and rejects at level alpha when p <= alpha (|z| >= z_{1 - alpha/2}). With m tests:
/// - Bonferroni: p_adj_i = min(1, m p_i).
/// - Holm (step-down): with p_(1) <= ... <= p_(m) sorted (ties in input order),
///   p_adj_(k) = min(1, max_{j <= k} (m - j + 1) p_(j)). Rejecting p_adj <= alpha rejects
///   H_(1) .. H_(k) for the largest k with p_(j) <= alpha / (m - j + 1) for every j <= k.
///   Both control the family-wise error rate at alpha; Holm rejects at least as much.
///
/// Source: a numba/joblib tutorial, section on `parallel=True` and
/// `numba.prange`: 10,000 samples of 100 values from N(0.1, 1), sigma = 1, alpha = 0.05,
/// Bonferroni: 22.2 ms in a loop of @jit calls, 1.15 ms with `prange` on 64 cores.
///
/// What differs from the document's code:
/// - The document's p-value is `1 - erf(|mean(x)|)`: the sqrt(n) / sigma of its own
///   formula is missing and so is the 1 / sqrt(2) inside erf, so it is not the z-test's
///   p-value (for n = 100, sigma = 1 and mean 0.1 it gives 0.888 instead of 0.317).
///   Here p = erfc(|z| / sqrt(2)) with z = sqrt(n) (mean - mu0) / sigma, which matches
///   `2 * scipy.stats.norm.sf(abs(z))`; erfc also keeps small p-values accurate where
///   1 - erf(...) rounds to 0.
/// - Holm's correction is offered besides Bonferroni, and reject decisions are returned.
/// - Bad input (NaN or inf, sigma <= 0, alpha outside (0, 1), empty samples) is rejected.

#include <vector>

#include "strider/types.hpp"

namespace strider::utils {

/// Correction of p-values for multiple testing.
enum class Correction {
  none,        ///< the raw p-values
  bonferroni,  ///< min(1, m p)
  holm,        ///< Holm's step-down (uniformly more powerful than Bonferroni)
};

/// Parameters of multiple_z_tests().
struct MultipleZTestParams {
  double sigma = 1.0;                              ///< known standard deviation (> 0, finite)
  double mu0 = 0.0;                                ///< mean under the null hypothesis (finite)
  double alpha = 0.05;                             ///< family-wise level, in (0, 1)
  Correction correction = Correction::bonferroni;  ///< how p-values are adjusted
  int n_jobs = 1;  ///< threads: -1 all cores, k >= 1 exactly k; 0 rejected
};

/// Result of multiple_z_tests(); every vector has one entry per sample (row).
struct MultipleZTestResult {
  VectorD z;                 ///< sqrt(n) (mean - mu0) / sigma
  VectorD p_value;           ///< two-sided p-values erfc(|z| / sqrt(2))
  VectorD p_adjusted;        ///< p-values after the correction
  std::vector<bool> reject;  ///< p_adjusted <= alpha
};

/// Two-sided p-value of a standard normal statistic: erfc(|z| / sqrt(2)) (1 for z = 0,
/// 0 for |z| = inf, NaN for NaN).
double two_sided_p_value(double z) noexcept;

/**
 * @brief z statistics and two-sided p-values of every row, rows in parallel.
 * @param samples n_tests x n matrix, one sample per row; n >= 1, finite
 * @param sigma   known standard deviation, > 0 and finite
 * @param mu0     mean under H0, finite
 * @param n_jobs  threads: -1 all cores, k >= 1 exactly k; 0 rejected
 * @param[out] z       resized to n_tests
 * @param[out] p_value resized to n_tests
 * @throws std::invalid_argument on NaN or inf in samples, n = 0 with rows present, bad sigma or
 *         mu0, n_jobs == 0
 */
void z_test_rows(const Eigen::Ref<const RowMatrixD>& samples, double sigma, double mu0, int n_jobs,
                 VectorD& z, VectorD& p_value);

/**
 * @brief Bonferroni-adjusted p-values min(1, m p_i).
 * @param p m p-values in [0, 1]
 * @throws std::invalid_argument when a p-value is NaN or outside [0, 1]
 */
VectorD bonferroni(const Eigen::Ref<const VectorD>& p);

/**
 * @brief Holm step-down adjusted p-values (see the file comment), in input order.
 * @param p m p-values in [0, 1]
 * @throws std::invalid_argument when a p-value is NaN or outside [0, 1]
 */
VectorD holm(const Eigen::Ref<const VectorD>& p);

/// bonferroni(), holm() or a copy of p, by `correction`. @throws as they do
VectorD adjust_p_values(const Eigen::Ref<const VectorD>& p, Correction correction);

/**
 * @brief The document's task done right: one two-sided z-test per row, corrected, with
 * reject decisions at level alpha. Identical results for any n_jobs.
 * @param samples n_tests x n matrix, one sample per row (n_tests >= 0, n >= 1), finite
 * @param params  sigma, mu0, alpha, correction, threads
 * @throws std::invalid_argument on bad values (see z_test_rows()) or alpha outside (0, 1)
 */
MultipleZTestResult multiple_z_tests(const Eigen::Ref<const RowMatrixD>& samples,
                                     const MultipleZTestParams& params = {});

}  // namespace strider::utils
