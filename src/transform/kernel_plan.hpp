#pragma once
// Private: the fitted kernels regrouped for the hot loop, and the vectorised feature code.

#include <cstdint>
#include <vector>

#include "strider/transform/kernel.hpp"
#include "strider/types.hpp"
#include "transform/simd.hpp"

namespace strider::detail {

/// One kernel as the hot loop sees it.
struct PlanEntry {
  index_t kernel;    ///< index k: output columns Fk .. Fk+F-1 (F features per kernel)
  index_t length;    ///< l
  index_t dilation;  ///< d
  index_t padding;   ///< p
  index_t channel;   ///< c
  index_t offset;    ///< first value in KernelPlan::values_*; the threshold follows the
                     ///< `length` values
  bool shape;        ///< a shape kernel (Kernel::shape)
};

/// Elements of zeroed, readable slack the feature code needs past the end of the padded
/// series (at least one vector of the widest path).
inline constexpr index_t kFeatureSlack = 64;

/// Kernels in the order of `before` (stable), values packed in double and float.
struct KernelPlan {
  std::vector<PlanEntry> entries;
  std::vector<double> values_d;
  std::vector<float> values_f;
  index_t max_padding = 0;
  index_t max_span = 0;
  index_t first_nonfloat = -1;  ///< first kernel with a value or threshold outside the
                                ///< float range

  explicit KernelPlan(const std::vector<Kernel>& kernels);

  /// The order of the hot loop: by channel (the per-thread series buffer holds one
  /// channel, O(T)), then length, dilation, padding and shape, so that consecutive
  /// kernels have the same loop trip counts (well predicted branches), equal (l, d, p)
  /// kernels can share loads and shape kernels their windows' statistics.
  static bool before(const Kernel& a, const Kernel& b) {
    if (a.channel != b.channel) return a.channel < b.channel;
    if (a.length != b.length) return a.length < b.length;
    if (a.dilation != b.dilation) return a.dilation < b.dilation;
    if (a.padding != b.padding) return a.padding < b.padding;
    return a.shape < b.shape;
  }

  template <class T>
  const T* values() const {
    if constexpr (sizeof(T) == sizeof(double))
      return values_d.data();
    else
      return values_f.data();
  }
};

/// One thread's buffers for the shape kernels' window statistics (per position: the
/// mean and variance of the window, and the base and scale of its distances), reused from
/// one call of the feature code to the next.
template <class T>
struct WindowBuffers {
  std::vector<T> base, scale;
  std::vector<double> mean, var;
};

/**
 * Computes the features of kernels [first, last) (all on one channel) for one series.
 * @param x0       x[0] of the prepared series: at least max_padding zeros before it, and
 *                 after its n_points values zeros up to (excluded) index
 *                 max(n_points + max_padding, max_span) + kFeatureSlack
 * @param out_row  the series' output row (FK entries); writes Fk .. Fk+F-1 for each kernel
 * @param per_kernel F: 3, or 4 to write the fraction of occurrences too
 * @param windows  the calling thread's buffers for the shape kernels
 */
template <class T>
using FeatureRunFn = void (*)(const T* x0, index_t n_points, const PlanEntry* first,
                              const PlanEntry* last, const T* values, T* out_row,
                              index_t per_kernel, WindowBuffers<T>& windows);

/// The implementation for `level` (which must be <= best_simd_level()).
template <class T>
FeatureRunFn<T> feature_run_function(SimdLevel level);

}  // namespace strider::detail
