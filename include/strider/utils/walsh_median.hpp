#pragma once
/// @file utils/walsh_median.hpp
/// @brief Median of the Walsh averages (the Hodges-Lehmann location estimator), for one
/// sample or for every row of a matrix in parallel.
///
/// For a sample x_0 .. x_{n-1}, the Walsh averages are w_ij = (x_i + x_j) / 2 over a set of
/// index pairs, and the estimate is their median. The one-sample Hodges-Lehmann estimator
/// (the estimate paired with Wilcoxon's signed-rank test) takes i <= j: M = n (n + 1) / 2
/// averages, the x_i themselves included (WalshPairs::with_self, the default). Some texts
/// take i < j: M = n (n - 1) / 2 (WalshPairs::distinct).
///
/// Median of M values: the middle one when M is odd; the mean of the two middle ones when M
/// is even (as numpy.median).
///
/// Source: a Russian-language numba/joblib tutorial, "Walsh averages median":
/// one sample of 1,000 uniforms takes 1.46 s in pure Python, 141 ms with `@jit` and
/// 58.8 ms with numpy; 10,000 samples of 100 float32 values take 4.62 s with
/// `np.vectorize` and 265 ms with `@guvectorize(target="parallel")`.
///
/// What differs from the document's code:
/// - The document's two versions disagree on the pairs: its numpy version keeps
///   `np.triu_indices_from` of the n x n matrix, diagonal included (i <= j, with_self); its
///   loop versions (pure Python, `@jit`, `@guvectorize`) run `j in range(i + 1, n)` (i < j,
///   distinct). Both are offered here.
/// - The loop versions then read the sorted averages at positions n // 2 and (n - 1) // 2,
///   with n the SAMPLE size, not the number M of averages: they return a low order
///   statistic, not the median. Here the median is taken over the M averages.
/// - The C++ "equivalent" printed in the document writes walsh_averages[i * n + j] into a
///   vector of n (n - 1) / 2 values, out of bounds; here the averages are stored densely.
/// - Selection replaces the full sort (O(M log M) time, M doubles of memory), by one of
///   two exact algorithms (WalshAlgorithm; both return the value sorting would):
///   `materialize` stores the M averages and selects with std::nth_element (O(M) time and
///   memory); `bisect` sorts the sample, then bisects on the value over the ordered doubles
///   (at most 64 steps), counting the averages <= v in O(n) with two pointers over the
///   sorted sample, and takes the next average above with one more O(n) pass when M is
///   even: O(n log n + 64 n) time, O(n) memory (n = 100,000 needs 0.8 MB, not 40 GB).
///   `automatic` bisects from n >= kWalshBisectionFrom, where it is faster (measured:
///   3x at n = 100, 70x at n = 1,000).
/// - (x_i + x_j) / 2 is computed as x_i / 2 + x_j / 2: the same double in the normal range,
///   and no overflow for values near the largest double.
/// - NaN or infinite values are rejected with std::invalid_argument instead of producing
///   an arbitrary order.

#include "strider/types.hpp"

namespace strider::utils {

/// Which index pairs (i, j) give a Walsh average (x_i + x_j) / 2.
enum class WalshPairs {
  with_self,  ///< i <= j: n (n + 1) / 2 averages (Hodges-Lehmann; the document's numpy code)
  distinct,   ///< i < j: n (n - 1) / 2 averages (the document's loop and guvectorize code)
};

/// Number of Walsh averages of a sample of n values.
constexpr index_t walsh_pair_count(index_t n, WalshPairs pairs) noexcept {
  return pairs == WalshPairs::with_self ? n * (n + 1) / 2 : n * (n - 1) / 2;
}

/// How the median of the averages is found (the result is the same).
enum class WalshAlgorithm {
  automatic,    ///< bisect from n >= kWalshBisectionFrom values, else materialize
  materialize,  ///< all averages in memory, std::nth_element: O(n^2) time and memory
  bisect,       ///< bisection on the value with two-pointer counts: O(n log n), O(n) memory
};

/// Sample size from which WalshAlgorithm::automatic uses bisection (measured crossover).
inline constexpr index_t kWalshBisectionFrom = 32;

/**
 * @brief Median of the Walsh averages of one sample (the Hodges-Lehmann estimate).
 * @param x     n values, finite; n >= 1 for with_self (n = 1 gives x_0), n >= 2 for
 *              distinct
 * @param pairs which pairs (i, j) count
 * @param algorithm how the median is found (same result); memory: n doubles for bisect,
 *        walsh_pair_count(n, pairs) doubles for materialize (4 MB for n = 1,000)
 * @return the median of the walsh_pair_count(n, pairs) averages
 * @throws std::invalid_argument when x is too short or holds NaN or inf
 */
double walsh_median(const Eigen::Ref<const VectorD>& x, WalshPairs pairs = WalshPairs::with_self,
                    WalshAlgorithm algorithm = WalshAlgorithm::automatic);

/**
 * @brief walsh_median() of every row, rows in parallel; identical for any n_jobs.
 * @param samples n_samples x n matrix, one sample per row, finite
 * @param pairs   which pairs (i, j) count
 * @param n_jobs  threads: -1 all cores, k >= 1 exactly k; 0 rejected
 * @param algorithm how each median is found (same result)
 * @return n_samples medians (empty when there are no rows)
 * @throws std::invalid_argument when a row is too short (see walsh_median()), a value is
 *         NaN or inf (the message names the first one in row-major order), or n_jobs == 0
 */
VectorD walsh_median_rows(const Eigen::Ref<const RowMatrixD>& samples,
                          WalshPairs pairs = WalshPairs::with_self, int n_jobs = 1,
                          WalshAlgorithm algorithm = WalshAlgorithm::automatic);

}  // namespace strider::utils
