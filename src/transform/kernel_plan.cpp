#include "transform/kernel_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>

namespace strider::detail {

KernelPlan::KernelPlan(const std::vector<Kernel>& kernels) {
  const auto n = static_cast<index_t>(kernels.size());
  std::vector<index_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), index_t{0});
  // Kernels drawn by fit() are already in this order; set_kernels() and loaded models
  // may give any order, and the output columns keep the caller's (PlanEntry::kernel).
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) {
    return before(kernels[static_cast<std::size_t>(a)], kernels[static_cast<std::size_t>(b)]);
  });
  entries.reserve(static_cast<std::size_t>(n));
  for (index_t k : order) {
    const Kernel& kernel = kernels[static_cast<std::size_t>(k)];
    entries.push_back({k, kernel.length, kernel.dilation, kernel.padding, kernel.channel,
                       static_cast<index_t>(values_d.size()), kernel.shape});
    for (double v : kernel.values) {
      values_d.push_back(v);
      values_f.push_back(static_cast<float>(v));
      if (!std::isfinite(values_f.back()) && (first_nonfloat < 0 || k < first_nonfloat))
        first_nonfloat = k;
    }
    // The threshold follows the values (the hot loop reads it as value `length`).
    values_d.push_back(kernel.threshold);
    values_f.push_back(static_cast<float>(kernel.threshold));
    if (!std::isfinite(values_f.back()) && (first_nonfloat < 0 || k < first_nonfloat))
      first_nonfloat = k;
    max_padding = std::max(max_padding, kernel.padding);
    max_span = std::max(max_span, kernel.span());
  }
}

}  // namespace strider::detail
