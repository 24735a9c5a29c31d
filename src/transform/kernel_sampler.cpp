#include "transform/kernel_sampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "strider/parallel.hpp"
#include "strider/params.hpp"
#include "strider/random.hpp"
#include "transform/input_channels.hpp"

namespace strider::detail {

namespace {

std::string list(const std::vector<index_t>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "}";
}

/// The entries of `lengths` that fit t_min, duplicates kept (they weight the draw).
std::vector<index_t> eligible_lengths(const std::vector<index_t>& lengths, index_t t_min) {
  std::vector<index_t> eligible;
  for (index_t l : lengths)
    if (l <= t_min) eligible.push_back(l);
  return eligible;
}

/// Draws the length, dilation, padding and channel of a kernel, in this order.
void draw_shape(Rng& rng, const std::vector<index_t>& eligible, index_t t_min, index_t n_channels,
                double p_padding, Kernel& kernel) {
  const index_t l = eligible[rng.uniform_int(eligible.size())];
  const index_t max_dilation = (t_min - 1) / (l - 1);
  const double u =
      rng.uniform(0.0, std::log2(static_cast<double>(t_min - 1) / static_cast<double>(l - 1)));
  // The clamp only guards against rounding at the top of the range.
  const auto d =
      std::clamp(static_cast<index_t>(std::floor(std::exp2(u))), index_t{1}, max_dilation);
  kernel.length = l;
  kernel.dilation = d;
  kernel.padding = rng.uniform() < p_padding ? ((l - 1) * d) / 2 : 0;
  kernel.channel = static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(n_channels)));
  kernel.values.resize(static_cast<std::size_t>(l));
}

/// Draws where a kernel's values come from: a training series and start (values copied
/// later, in parallel), or its N(0, 1) values.
void draw_values(Rng& rng, const Panel& x, KernelSource source, Kernel& kernel) {
  const bool sampled =
      source == KernelSource::sample || (source == KernelSource::mixed && rng.uniform() < 0.5);
  if (!sampled) {
    for (double& v : kernel.values)
      v = rng.normal();
    return;
  }
  // a training series the kernel fits (always the first draw when the reference is the
  // shortest series; with length_quantile > 0 at least the longer share fits)
  const auto n_series = static_cast<std::uint64_t>(x.n_series());
  auto n = static_cast<index_t>(rng.uniform_int(n_series));
  while (x.length(n) < kernel.span())
    n = static_cast<index_t>(rng.uniform_int(n_series));
  const index_t starts = x.length(n) - kernel.span() + 1;
  kernel.source_series = n;
  kernel.source_start = static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(starts)));
}

/// Copies the values of the sampled kernels out of the prepared training series;
/// independent per kernel, so in parallel.
void fill_sampled_values(std::vector<Kernel>& kernels, const Panel& x,
                         const DilatedKernelTransformParams& p, int n_threads) {
  const bool prepare = needs_preprocessing(p);
  std::vector<std::vector<double>> buffers(static_cast<std::size_t>(n_threads));
  parallel_for(
      0, static_cast<index_t>(kernels.size()), n_threads,
      [&](index_t k) {
        Kernel& kernel = kernels[static_cast<std::size_t>(k)];
        if (kernel.source_series < 0) return;  // a normal kernel of source = mixed
        const double* s = x.series(kernel.source_series, kernel.channel);
        if (prepare) {
          auto& buf = buffers[static_cast<std::size_t>(thread_index())];
          buf.resize(static_cast<std::size_t>(x.max_length()));
          prepare_channel(x, kernel.source_series, kernel.channel, p, buf.data());
          s = buf.data();
        }
        for (index_t j = 0; j < kernel.length; ++j)
          kernel.values[static_cast<std::size_t>(j)] = s[kernel.source_start + j * kernel.dilation];
      },
      64);
}

/// Where a kernel's occurrence threshold comes from: a training series and a quantile of
/// the kernel's distances to it.
struct ThresholdDraw {
  index_t series = 0;
  double quantile = 0.0;
};

ThresholdDraw draw_threshold(Rng& rng, const Panel& x) {
  ThresholdDraw t;
  t.series = static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(x.n_series())));
  t.quantile = rng.uniform(kOccurrenceQuantiles[0], kOccurrenceQuantiles[1]);
  return t;
}

/// Sets each kernel's threshold: halfway between the value of rank floor(q (L - 1)) among
/// its distances c_0 .. c_{L-1} to its drawn training series (prepared, padded and
/// zero-extended as the transform does, in double) and the largest smaller distance (0
/// when there is none). Independent per kernel, so in parallel.
void fill_thresholds(std::vector<Kernel>& kernels, const std::vector<ThresholdDraw>& draws,
                     const Panel& x, const DilatedKernelTransformParams& p, int n_threads) {
  const bool prepare = needs_preprocessing(p);
  struct Buffers {
    std::vector<double> prep, padded, c;
  };
  std::vector<Buffers> buffers(static_cast<std::size_t>(n_threads));
  parallel_for(
      0, static_cast<index_t>(kernels.size()), n_threads,
      [&](index_t k) {
        Kernel& kernel = kernels[static_cast<std::size_t>(k)];
        const ThresholdDraw& t = draws[static_cast<std::size_t>(k)];
        Buffers& b = buffers[static_cast<std::size_t>(thread_index())];
        const index_t len = x.length(t.series);
        const double* s = x.series(t.series, kernel.channel);
        if (prepare) {
          b.prep.resize(static_cast<std::size_t>(x.max_length()));
          prepare_channel(x, t.series, kernel.channel, p, b.prep.data());
          s = b.prep.data();
        }
        const index_t n_pos = kernel.n_positions(len);
        const index_t width = n_pos + (kernel.length - 1) * kernel.dilation;
        b.padded.assign(static_cast<std::size_t>(width), 0.0);
        std::copy(s, s + std::min(len, width - kernel.padding),
                  b.padded.begin() + static_cast<std::ptrdiff_t>(kernel.padding));
        b.c.resize(static_cast<std::size_t>(n_pos));
        for (index_t i = 0; i < n_pos; ++i)
          b.c[static_cast<std::size_t>(i)] = kernel.distance_at(b.padded.data() + i);
        const auto rank =
            static_cast<std::ptrdiff_t>(std::floor(t.quantile * static_cast<double>(n_pos - 1)));
        std::nth_element(b.c.begin(), b.c.begin() + rank, b.c.end());
        const double at = b.c[static_cast<std::size_t>(rank)];
        // Halfway to the largest smaller distance, away from the distances of this series
        // (unless two of them differ by a rounding error).
        double below = 0.0;
        for (const double v : b.c)
          below = v < at && v > below ? v : below;
        kernel.threshold = 0.5 * (below + at);
      },
      16);
}

/// Z-normalises the values of the shape kernels (population std). A kernel whose values
/// count as constant (Spread::varies) stays a plain kernel, since every window would be
/// at the same distance from it, and so does a kernel of length 2: a z-normalised window
/// of two values is (-1, 1), (1, -1) or zeros, so it would only see the sign of a step.
/// A second pass removes what rounding left of the mean (values far from 0 relative to
/// their spread leave a sum of order l * eps * |mean| / std after one pass), so the
/// values always pass Kernel::check().
void normalize_shape_values(std::vector<Kernel>& kernels) {
  for (Kernel& kernel : kernels) {
    if (!kernel.shape) continue;
    const std::size_t l = kernel.values.size();
    Spread s = Spread::of(kernel.values.data(), l);
    if (l < 3 || !s.varies()) {
      kernel.shape = false;
      continue;
    }
    for (int pass = 0; pass < 2; ++pass) {
      if (pass > 0) s = Spread::of(kernel.values.data(), l);
      for (double& v : kernel.values)
        v = (v - s.mean) / s.sd;
    }
  }
}

}  // namespace

index_t reference_length(const Panel& x, const DilatedKernelTransformParams& p,
                         const std::string& who) {
  const index_t n_series = x.n_series();
  std::vector<index_t> sorted_lengths(static_cast<std::size_t>(n_series));
  for (index_t n = 0; n < n_series; ++n)
    sorted_lengths[static_cast<std::size_t>(n)] = x.length(n);
  std::sort(sorted_lengths.begin(), sorted_lengths.end());
  const auto q_index =
      static_cast<std::size_t>(std::floor(p.length_quantile * static_cast<double>(n_series - 1)));
  const index_t t_min = sorted_lengths[std::min(q_index, sorted_lengths.size() - 1)];
  const index_t shortest_kernel = *std::min_element(p.lengths.begin(), p.lengths.end());
  if (t_min >= shortest_kernel) return t_min;
  index_t n = 0;  // the series to name in the message
  while (x.length(n) != t_min)
    ++n;
  throw std::invalid_argument(
      who + ": " + x.describe_series(n) + " has " + std::to_string(t_min) +
      " time points, shorter than the shortest kernel length " + std::to_string(shortest_kernel) +
      " (lengths = " + list(p.lengths) + ")" +
      (p.length_quantile > 0.0 ? "; it is the reference length, quantile " +
                                     shortest_text(p.length_quantile) + " of the training lengths"
                               : ""));
}

std::vector<Kernel> sample_kernels(const Panel& x, const DilatedKernelTransformParams& p,
                                   index_t t_min, int n_threads) {
  const std::vector<index_t> eligible = eligible_lengths(p.lengths, t_min);
  std::vector<Kernel> kernels(static_cast<std::size_t>(p.n_kernels));
  std::vector<ThresholdDraw> draws(p.add_occurrences ? kernels.size() : 0);
  for (index_t k = 0; k < p.n_kernels; ++k) {
    Kernel& kernel = kernels[static_cast<std::size_t>(k)];
    Rng rng(p.random_state, static_cast<std::uint64_t>(k));
    draw_shape(rng, eligible, t_min, x.n_channels(), p.p_padding, kernel);
    draw_values(rng, x, p.source, kernel);
    // Only when p_shape > 0, so that p_shape = 0 leaves the draws of a seed as they were;
    // before the threshold, so that add_occurrences leaves the kernels as they are.
    if (p.p_shape > 0.0) kernel.shape = rng.uniform() < p.p_shape;
    if (p.add_occurrences) draws[static_cast<std::size_t>(k)] = draw_threshold(rng, x);
  }
  if (p.source != KernelSource::normal) fill_sampled_values(kernels, x, p, n_threads);
  if (p.p_shape > 0.0) normalize_shape_values(kernels);
  if (p.add_occurrences) fill_thresholds(kernels, draws, x, p, n_threads);
  return kernels;
}

}  // namespace strider::detail
