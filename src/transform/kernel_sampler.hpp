#pragma once
// Private: how DilatedKernelTransform::fit() draws its kernels (the first part of the
// contract in dilated_kernel_transform.hpp).
//
// Determinism: every random choice of kernel k (length, dilation, padding, channel,
// sample or normal, source series and start, or the N(0, 1) values, then with
// add_occurrences the series and quantile of its threshold) comes from its own
// stream Rng(random_state, k) and is made serially, before any parallel region; the
// parallel passes afterwards only copy values out of the training series and compute
// each threshold from the kernel's own draws. The kernels
// are thus the same for any thread count, and kernel k does not depend on K.

#include <string>
#include <vector>

#include "strider/panel.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"
#include "strider/transform/kernel.hpp"
#include "strider/types.hpp"

namespace strider::detail {

/// add_occurrences: the range of the quantile a kernel's threshold is drawn at.
inline constexpr double kOccurrenceQuantiles[2] = {0.05, 0.25};

/**
 * The length the kernels are drawn to fit (T_min in the contract): the shortest training
 * series by default, the series of rank floor(q (N - 1)) among the sorted lengths with
 * length_quantile = q > 0 (shorter series are then zero-extended at transform time).
 * @param x   the training channels, at least one series
 * @param who the caller, first in the error message
 * @throws std::invalid_argument when it is shorter than the shortest kernel length
 */
index_t reference_length(const Panel& x, const DilatedKernelTransformParams& p,
                         const std::string& who);

/**
 * Draws p.n_kernels kernels fitting t_min, in the order k = 0 .. K-1 (not yet sorted).
 * @param x         the channels the kernels see (input_channels.hpp), not yet prepared:
 *                  sampled values are read from them after prepare_channel()
 * @param t_min     reference_length(x, p)
 * @param n_threads threads for copying the sampled values (no effect on the result)
 */
std::vector<Kernel> sample_kernels(const Panel& x, const DilatedKernelTransformParams& p,
                                   index_t t_min, int n_threads);

}  // namespace strider::detail
