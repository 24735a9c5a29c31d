#pragma once
/// @file transform/kernel.hpp
/// @brief strider::Kernel: one random dilated kernel of a DilatedKernelTransform.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <cereal/cereal.hpp>
#include <cereal/types/vector.hpp>

#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/cereal_eigen.hpp"
#include "strider/detail/serial_version.hpp"
#include "strider/error.hpp"
#include "strider/limits.hpp"
#include "strider/types.hpp"

namespace strider {

/// Mean and population standard deviation of n values, and whether they count as varying.
/// One definition for every z-normalisation of strider: the input's (normalize_input),
/// a shape kernel's values at fit and each window a shape kernel compares.
struct Spread {
  /// Values whose std is at most kFlat * max(1, |mean|) count as constant (their
  /// z-normalised form is all zeros); so do values whose std is not finite (values near
  /// the limits of double).
  static constexpr double kFlat = 1e-12;

  double mean = 0.0;
  double sd = 0.0;

  /// Of v[0], v[stride], ..., v[(n - 1) * stride], n >= 1: two passes (mean, then squared
  /// deviations), exact for values far from 0.
  static Spread of(const double* v, std::size_t n, std::size_t stride = 1) {
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j)
      sum += v[j * stride];
    const double mean = sum / static_cast<double>(n);
    double ss = 0.0;
    for (std::size_t j = 0; j < n; ++j)
      ss += (v[j * stride] - mean) * (v[j * stride] - mean);
    return {mean, std::sqrt(ss / static_cast<double>(n))};
  }

  /// False when the values count as constant (see kFlat).
  static bool varies(double mean, double sd) {
    return sd > kFlat * std::max(1.0, std::abs(mean)) && sd <= std::numeric_limits<double>::max();
  }
  bool varies() const { return varies(mean, sd); }
};

/**
 * @brief One random dilated kernel, as drawn by DilatedKernelTransform::fit().
 *
 * Applied to a series x of length T (channel `channel` of a multivariate series), the
 * kernel compares its values with the dilated windows of the zero-padded series
 * `xpad = [0]*padding + x + [0]*padding`:
 * `c_i = sum_j (xpad[i + j * dilation] - values[j])^2`, i = 0 .. L - 1, with
 * `L = T + 2 * padding - (length - 1) * dilation` output positions (see
 * dilated_kernel_transform.hpp for the full contract, including L < 1). A `shape` kernel
 * compares z-normalised windows instead: `c_i = sum_j (z_ij - values[j])^2`, with
 * `z_ij = (w_ij - mean(w_i)) / std(w_i)` the window `w_ij = xpad[i + j * dilation]`
 * z-normalised (all zeros when the window is constant), so that c_i depends on the
 * window's shape, not on its level or scale (a window whose std is not finite, from values
 * near the limits of double, also counts as constant).
 *
 * Kernels are plain data: the transform never changes them after fit, and users may
 * inspect them (for example to see which training subsequence a kernel came from).
 */
struct Kernel {
  /// Format version of serialize(); bump on any field change and branch on load.
  /// 2 added threshold (version 1 loads 0); 3 added shape (older versions load false).
  static constexpr std::uint32_t kSerialVersion = 3;
  /// Upper bound accepted for span() (kMaxSeriesLength, limits.hpp): a kernel never spans
  /// more than the longest series strider accepts, so a model file cannot make the
  /// transform allocate or index absurd buffers.
  static constexpr index_t kMaxSpan = kMaxSeriesLength;
  /// How far from z-normalised the values of a shape kernel may be (sum within
  /// kShapeTolerance * length of 0, sum of squares within it of length).
  static constexpr double kShapeTolerance = 1e-9;

  index_t length = 0;          ///< l: number of values (>= 1; fit draws it from `lengths`)
  index_t dilation = 1;        ///< d: gap between consecutive taps (>= 1)
  index_t padding = 0;         ///< p: zeros added on each side of the series (0 or span()/2)
  index_t channel = 0;         ///< c: the channel of the input series the kernel reads
  std::vector<double> values;  ///< v[0 .. l-1]: the values compared with each window
  index_t source_series = -1;  ///< source = sample: training series the values came from
                               ///< (-1 for source = normal)
  index_t source_start = -1;   ///< source = sample: start s in that series, so that
                               ///< values[j] = x[source_series, channel, s + j * d]
                               ///< after preprocessing, z-normalised for a shape kernel
                               ///< (-1 for source = normal)
  double threshold = 0.0;      ///< add_occurrences: a window is an occurrence of the
                               ///< kernel when c_i < threshold (>= 0; 0 when unused)
  bool shape = false;          ///< compares z-normalised windows (the shape distance of
                               ///< RDST, Guillaume et al., 2022); fit then z-normalises
                               ///< the values too

  /// Number of time points covered by one window: (length - 1) * dilation + 1.
  index_t span() const { return (length - 1) * dilation + 1; }

  /// Number of output positions L on a series of n_points time points: at least 1
  /// (a series shorter than the span is extended with zeros on the right).
  index_t n_positions(index_t n_points) const {
    const index_t l_out = n_points + 2 * padding - (length - 1) * dilation;
    return l_out < 1 ? 1 : l_out;
  }

  /**
   * @brief The distance c_i of the window that starts at `window`: reads
   * window[j * dilation] for j = 0 .. length - 1 (xpad[i + j * dilation] for position i).
   * The reference definition, computed directly in double; the transform computes the
   * same numbers in vector code (a shape kernel there through the dot product, equal up
   * to rounding).
   */
  double distance_at(const double* window) const {
    const auto l = static_cast<std::size_t>(length);
    const auto d = static_cast<std::size_t>(dilation);
    double c = 0.0;
    if (!shape) {
      for (std::size_t j = 0; j < l; ++j) {
        const double e = window[j * d] - values[j];
        c += e * e;
      }
      return c;
    }
    const Spread w = Spread::of(window, l, d);
    const bool flat = !w.varies();
    for (std::size_t j = 0; j < l; ++j) {
      const double e = (flat ? 0.0 : (window[j * d] - w.mean) / w.sd) - values[j];
      c += e * e;
    }
    return c;
  }

  friend bool operator==(const Kernel&, const Kernel&) = default;

  /**
   * @brief cereal serialization (fields as named values, so JSON is readable).
   * On load, checks that the fields are consistent (length >= 1, dilation >= 1,
   * values.size() == length and finite, 0 <= padding <= (length - 1) * dilation,
   * span() <= kMaxSpan, channel >= 0, source fields both -1 or both >= 0, threshold
   * finite and >= 0, the values of a shape kernel z-normalised within kShapeTolerance).
   * @throws FormatError on an inconsistent or newer-version kernel
   */
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

  /**
   * @brief Checks the consistency rules listed on serialize().
   * @return an empty string when consistent, else a description of the first problem
   */
  std::string check() const {
    if (length < 1) return "kernel length = " + std::to_string(length) + " (expected >= 1)";
    if (dilation < 1) return "kernel dilation = " + std::to_string(dilation) + " (expected >= 1)";
    if (length > 1 && dilation > (kMaxSpan - 1) / (length - 1))
      return "kernel span (length " + std::to_string(length) + ", dilation " +
             std::to_string(dilation) + ") exceeds " + std::to_string(kMaxSpan);
    if (static_cast<index_t>(values.size()) != length)
      return "kernel has " + std::to_string(values.size()) + " values for length " +
             std::to_string(length);
    for (std::size_t j = 0; j < values.size(); ++j) {
      if (!std::isfinite(values[j])) return "kernel value " + std::to_string(j) + " is not finite";
    }
    if (padding < 0 || padding > (length - 1) * dilation)
      return "kernel padding = " + std::to_string(padding) + " (expected 0 .. " +
             std::to_string((length - 1) * dilation) + ")";
    if (!(std::isfinite(threshold) && threshold >= 0.0))
      return "kernel threshold is not a finite number >= 0";
    if (channel < 0) return "kernel channel = " + std::to_string(channel) + " (expected >= 0)";
    if (shape) {
      double sum = 0.0, ss = 0.0;
      for (const double v : values) {
        sum += v;
        ss += v * v;
      }
      const double tol = kShapeTolerance * static_cast<double>(length);
      if (!(std::abs(sum) <= tol && std::abs(ss - static_cast<double>(length)) <= tol))
        return "shape kernel values are not z-normalised (sum " + std::to_string(sum) +
               ", sum of squares " + std::to_string(ss) + " for length " + std::to_string(length) +
               ")";
    }
    const bool no_source = source_series == -1 && source_start == -1;
    const bool has_source = source_series >= 0 && source_start >= 0;
    if (!no_source && !has_source)
      return "kernel source (series " + std::to_string(source_series) + ", start " +
             std::to_string(source_start) + ") must be both -1 or both >= 0";
    return {};
  }
};

template <class Archive>
void Kernel::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("strider::Kernel", version, kSerialVersion);
  // Fixed-width integers so that the portable binary format does not depend on the
  // platform's ptrdiff_t.
  std::int64_t l = length, d = dilation, p = padding, c = channel, ss = source_series,
               st = source_start;
  ar(cereal::make_nvp("length", l), cereal::make_nvp("dilation", d), cereal::make_nvp("padding", p),
     cereal::make_nvp("channel", c));
  if constexpr (Archive::is_loading::value) {
    // Checked: the size tag is bounded and binary data is read in chunks.
    detail::load_vector(ar, "values", values, static_cast<std::uint64_t>(kMaxSpan));
  } else {
    ar(cereal::make_nvp("values", values));
  }
  ar(cereal::make_nvp("source_series", ss), cereal::make_nvp("source_start", st));
  if (version >= 2) {
    ar(cereal::make_nvp("threshold", threshold));
  } else if constexpr (Archive::is_loading::value) {
    threshold = 0.0;
  }
  if (version >= 3) {
    detail::serialize_bool(ar, "shape", shape);
  } else if constexpr (Archive::is_loading::value) {
    shape = false;
  }
  if constexpr (Archive::is_loading::value) {
    length = static_cast<index_t>(l);
    dilation = static_cast<index_t>(d);
    padding = static_cast<index_t>(p);
    channel = static_cast<index_t>(c);
    source_series = static_cast<index_t>(ss);
    source_start = static_cast<index_t>(st);
    const std::string problem = check();
    if (!problem.empty()) detail::throw_archive_error(problem);
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::Kernel, strider::Kernel::kSerialVersion)
