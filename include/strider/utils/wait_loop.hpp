#pragma once
/// @file wait_loop.hpp
/// @brief A compute-bound triangular loop for measuring parallel scaling: serial and
/// OpenMP over the outer loop, the same result for any thread count.
///
/// Source: "scipar", section "Hello parallel world": `wait_loop_nogil(n)`, numba-compiled, run
/// as 32 joblib jobs on 16 threads with n = 1000: wall 1.28 s, CPU 16.2 s, an effective
/// parallel speedup (CPU / wall) of 12.7, "0.83 of linear".
///
/// Formula (ours):  wait_loop(n) = sum_{m=0}^{n-1} sum_{l=0}^{m-1} (sqrt(l + 4))^2,
/// n (n - 1) / 2 square roots, about sum_m [m (m - 1) / 2 + 4 m] up to rounding.
///
/// What differs from the document's code and why:
/// - The document's body `i = i + 4; out = i**(1/2); out = out**2.` overwrites `out`
///   on every pass, so only the last pass matters and a compiler may drop the rest; here
///   the passes are summed, so every square root is needed and the result can be checked.
/// - Its numba versions loop `for j in range(1): for i in range(j)`: range(0) is empty, the
///   body never runs and they return 0 after n (n - 1) / 2 empty passes, while the
///   pure-Python and Cython versions loop `range(l)`, an O(n^4) nest. The "753x faster
///   than Cython" of its JIT comparison compares those two different computations. We
///   keep the doubly nested triangle (the work the numba version's loop structure has),
///   with the body actually executed.
/// - Parallel: OpenMP over m with a dynamic schedule (row m costs m passes, so a static
///   split would leave the first thread idle). Row m is summed by one thread left to
///   right, and the row sums are added in order of m afterwards, so the result has the
///   same bits for any number of threads; it differs from the single-accumulator
///   wait_loop_plain() in the last bits only.

#include "strider/types.hpp"

namespace strider::utils {

/**
 * @brief The document's loop, serial: one accumulator over all (m, l) in order.
 * @param n outer size, >= 0 (0 and 1 give 0)
 * @throws std::invalid_argument when n < 0
 */
double wait_loop_plain(index_t n);

/**
 * @brief The same sum grouped by rows, rows spread over n_jobs threads; bit-identical for
 * any n_jobs.
 * @param n      outer size, >= 0
 * @param n_jobs -1 all cores, k >= 1 exactly k threads
 * @throws std::invalid_argument when n < 0 or n_jobs == 0
 */
double wait_loop(index_t n, int n_jobs = -1);

}  // namespace strider::utils
