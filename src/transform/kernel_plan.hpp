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
  /// channel, O(T)), then length, dilation and padding, so that consecutive kernels have
  /// the same loop trip counts (well predicted branches) and equal (l, d, p) kernels can
  /// share loads.
  static bool before(const Kernel& a, const Kernel& b) {
    if (a.channel != b.channel) return a.channel < b.channel;
    if (a.length != b.length) return a.length < b.length;
    if (a.dilation != b.dilation) return a.dilation < b.dilation;
    return a.padding < b.padding;
  }

  template <class T>
  const T* values() const {
    if constexpr (sizeof(T) == sizeof(double))
      return values_d.data();
    else
      return values_f.data();
  }
};

/**
 * Computes the features of kernels [first, last) (all on one channel) for one series.
 * @param x0       x[0] of the prepared series: at least max_padding zeros before it, and
 *                 after its n_points values zeros up to (excluded) index
 *                 max(n_points + max_padding, max_span) + kFeatureSlack
 * @param out_row  the series' output row (FK entries); writes Fk .. Fk+F-1 for each kernel
 * @param per_kernel F: 3, or 4 to write the fraction of occurrences too
 */
template <class T>
using FeatureRunFn = void (*)(const T* x0, index_t n_points, const PlanEntry* first,
                              const PlanEntry* last, const T* values, T* out_row,
                              index_t per_kernel);

/// The implementation for `level` (which must be <= best_simd_level()).
template <class T>
FeatureRunFn<T> feature_run_function(SimdLevel level);

}  // namespace strider::detail
