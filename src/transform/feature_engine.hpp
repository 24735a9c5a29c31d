#pragma once
// Private: the feature engine of DilatedKernelTransform::transform(), everything around
// the vectorised hot loop (feature_kernels.cpp, reached through kernel_plan.hpp):
// scheduling the work over threads, the per-thread series buffers, progress reports and
// the huge-page hint for the output.
//
// The unit of work is one block of consecutive kernels (in the plan's order) on one
// series. Each output element is written by exactly one unit, by the same sequence of
// operations whatever thread runs it, so the features are bit-identical for any thread
// count.

#include "strider/panel.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"
#include "strider/types.hpp"
#include "transform/kernel_plan.hpp"

namespace strider::detail {

/**
 * The features of every series of x, computed in T: n_series x FK (F =
 * p.features_per_kernel()), the kernel of index k (PlanEntry::kernel) in columns
 * Fk .. Fk+F-1.
 * @param x         the channels the kernels see (input_channels.hpp), values already
 *                  checked; each (series, channel) is prepared with prepare_channel() when
 *                  the params ask for it
 * @param n_threads a thread count already resolved by resolve_n_jobs()
 * @param progress  called as DilatedKernelTransform::set_progress_callback() documents
 *                  (may be empty); an exception it throws is rethrown here
 */
template <class T>
RowMatrix<T> compute_features(const Panel& x, const KernelPlan& plan,
                              const DilatedKernelTransformParams& p, int n_threads,
                              const DilatedKernelTransform::ProgressCallback& progress);

extern template RowMatrix<double> compute_features<double>(
    const Panel&, const KernelPlan&, const DilatedKernelTransformParams&, int,
    const DilatedKernelTransform::ProgressCallback&);
extern template RowMatrix<float> compute_features<float>(
    const Panel&, const KernelPlan&, const DilatedKernelTransformParams&, int,
    const DilatedKernelTransform::ProgressCallback&);

}  // namespace strider::detail
