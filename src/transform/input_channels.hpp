#pragma once
// Private: the channels the kernels see. The single place that defines them, at fit (the
// values of sampled kernels) and at transform (the series the features are computed on),
// so that both always see the same data:
//
// 1. which channels: the C input channels, then with add_differences their C first
//    differences (channel C + c differences channel c; Kernel::channel indexes this list);
// 2. how channel c of series n is prepared before a kernel slides over it: missing values
//    interpolated (nan_policy = interpolate), then z-normalised (normalize_input);
// 3. the value checks: a non-finite value (nan_policy = raise) or one outside the float
//    range (transform<float>) is an error naming series, channel and position.
//
// The work is split in two steps so that the common case costs no copy: seen_channels()
// builds the list of step 1 only when it differs from the input (add_differences), and
// prepare_channel() applies step 2 lazily, one (series, channel) at a time, into a
// caller's buffer (the hot loop's per-thread scratch).

#include <string>

#include "strider/panel.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"
#include "strider/types.hpp"

namespace strider::detail {

/// How many channels the kernels see per input channel: 2 with add_differences, else 1.
index_t views_per_channel(const DilatedKernelTransformParams& p);

/// The channels the kernels see (n_series x views_per_channel(p) * C x T_max, the input's
/// lengths): the C input channels as given, then with add_differences their first
/// differences, x[t + 1] - x[t], computed after interpolating missing values when
/// nan_policy = interpolate, and 0 at the last position and beyond the series' end.
/// Still to be prepared with prepare_channel(). Only needed when views_per_channel(p) > 1
/// (otherwise they are the input itself).
Panel seen_channels(const Panel& x, const DilatedKernelTransformParams& p);

/// True when prepare_channel() changes values (interpolation or z-normalisation); when
/// false, a channel of seen_channels() (or of x) is used as it is.
bool needs_preprocessing(const DilatedKernelTransformParams& p);

/// Channel c of series n of x (a panel of seen channels) after the documented
/// preprocessing, into out[0 .. x.length(n)).
void prepare_channel(const Panel& x, index_t n, index_t c, const DilatedKernelTransformParams& p,
                     double* out);

/// Why `channel` cannot be a kernel's channel for n_channels input channels (twice as
/// many with add_differences), or "" when it can.
std::string channel_problem(index_t channel, index_t n_channels,
                            const DilatedKernelTransformParams& p);

/**
 * Throws std::invalid_argument naming the first bad value of x (in series, channel,
 * position order, placed by Panel::describe_point, so with the file and line when x was
 * read from a file): a NaN/inf unless `allow_missing`, a finite value with
 * |v| > kMaxAbsValue, or one with |v| > `limit` (the float range for transform<float>).
 * Also refuses more than kMaxChannels channels and a series longer than kMaxSeriesLength.
 * Series are scanned in parallel; the message does not depend on the thread count.
 * @param who the caller, first in the message (e.g. "DilatedKernelTransform::fit()")
 */
void check_input(const Panel& x, int n_threads, const std::string& who, bool allow_missing,
                 double limit);

}  // namespace strider::detail
