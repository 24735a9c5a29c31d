#include "transform/input_channels.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

#include "strider/limits.hpp"
#include "strider/parallel.hpp"
#include "strider/params.hpp"

namespace strider::detail {

namespace {

/// Replaces every non-finite value of out[0 .. len) as documented for nan_policy =
/// interpolate.
void interpolate_missing(double* out, index_t len) {
  index_t prev = -1;  // last finite position
  for (index_t t = 0; t < len; ++t) {
    if (!std::isfinite(out[t])) continue;
    if (prev < 0) {
      std::fill(out, out + t, out[t]);  // leading run: nearest finite value
    } else if (prev + 1 < t) {
      const double a = out[prev], b = out[t];
      const auto gap = static_cast<double>(t - prev);
      for (index_t u = prev + 1; u < t; ++u)
        out[u] = a + (b - a) * static_cast<double>(u - prev) / gap;
    }
    prev = t;
  }
  if (prev < 0) {
    std::fill(out, out + len, 0.0);  // nothing finite: zeros
  } else {
    std::fill(out + prev + 1, out + len, out[prev]);  // trailing run
  }
}

/// (v - mean) / std over v[0 .. n) (population std); values that count as constant
/// (Spread::varies) become zeros.
void z_normalize(double* v, index_t n) {
  const Spread s = Spread::of(v, static_cast<std::size_t>(n));
  if (!s.varies()) {
    std::fill(v, v + n, 0.0);
  } else {
    for (index_t t = 0; t < n; ++t)
      v[t] = (v[t] - s.mean) / s.sd;
  }
}

/// Position of the first bad value of series n (c * length + t), or -1.
index_t first_bad_value(const Panel& x, index_t n, bool allow_missing, double limit) {
  const index_t len = x.length(n);
  for (index_t c = 0; c < x.n_channels(); ++c) {
    const double* s = x.series(n, c);
    for (index_t t = 0; t < len; ++t) {
      const bool finite = std::isfinite(s[t]);
      if (finite ? std::abs(s[t]) > limit : !allow_missing) return c * len + t;
    }
  }
  return -1;
}

/// The error for the bad value at position `bad` (as first_bad_value gives it) of series n.
[[noreturn]] void throw_bad_value(const Panel& x, index_t n, index_t bad, const std::string& who) {
  const index_t len = x.length(n), c = bad / len, t = bad % len;
  const double v = x(n, c, t);
  const std::string where = " at " + x.describe_point(n, c, t);
  if (!std::isfinite(v)) {
    throw std::invalid_argument(who + ": x has a non-finite value (" + shortest_text(v) + ")" +
                                where + "; clean the data or use nan_policy = interpolate");
  }
  if (std::abs(v) > kMaxAbsValue) {
    throw std::invalid_argument(who + ": x has the value " + shortest_text(v) + where +
                                ", beyond the largest magnitude accepted (" +
                                shortest_text(kMaxAbsValue) + "); rescale the data");
  }
  throw std::invalid_argument(
      who + ": x has the value " + shortest_text(v) + where +
      ", outside the float range; use transform<double> (in a pipeline: float32 = false), "
      "or normalize_input = true");
}

}  // namespace

index_t views_per_channel(const DilatedKernelTransformParams& p) {
  return p.add_differences ? 2 : 1;
}

Panel seen_channels(const Panel& x, const DilatedKernelTransformParams& p) {
  const index_t n_series = x.n_series(), n_channels = x.n_channels(), t_max = x.max_length();
  Panel::Tensor data =
      Panel::Tensor::from_shape({static_cast<std::size_t>(n_series),
                                 static_cast<std::size_t>(views_per_channel(p) * n_channels),
                                 static_cast<std::size_t>(t_max)});
  std::fill(data.begin(), data.end(), 0.0);  // also the differences' last position
  auto channel = [&](index_t n, index_t c) {
    return &data(static_cast<std::size_t>(n), static_cast<std::size_t>(c), 0);
  };
  std::vector<index_t> lengths(static_cast<std::size_t>(n_series));
  std::vector<double> buf(static_cast<std::size_t>(t_max));
  for (index_t n = 0; n < n_series; ++n) {
    const index_t len = x.length(n);
    lengths[static_cast<std::size_t>(n)] = len;
    for (index_t c = 0; c < n_channels; ++c) {
      const double* s = x.series(n, c);
      std::copy(s, s + len, channel(n, c));
      if (!p.add_differences) continue;
      const double* v = s;  // the values to difference: interpolated first when asked
      if (p.nan_policy == NanPolicy::interpolate) {
        std::copy(s, s + len, buf.data());
        interpolate_missing(buf.data(), len);
        v = buf.data();
      }
      double* diff = channel(n, n_channels + c);
      for (index_t t = 0; t + 1 < len; ++t)
        diff[t] = v[t + 1] - v[t];
    }
  }
  Panel seen(std::move(data), std::move(lengths));
  if (!x.source_file().empty()) seen.set_source(x.source_file(), x.source_lines());
  return seen;
}

bool needs_preprocessing(const DilatedKernelTransformParams& p) {
  return p.nan_policy == NanPolicy::interpolate || p.normalize_input;
}

void prepare_channel(const Panel& x, index_t n, index_t c, const DilatedKernelTransformParams& p,
                     double* out) {
  const index_t len = x.length(n);
  const double* s = x.series(n, c);
  std::copy(s, s + len, out);
  if (p.nan_policy == NanPolicy::interpolate) interpolate_missing(out, len);
  if (p.normalize_input) z_normalize(out, len);
}

std::string channel_problem(index_t channel, index_t n_channels,
                            const DilatedKernelTransformParams& p) {
  const index_t views = views_per_channel(p);
  if (channel < views * n_channels) return "";
  return "channel " + std::to_string(channel) +
         " >= " + (views > 1 ? std::to_string(views) + " * n_channels " : "n_channels ") +
         std::to_string(n_channels);
}

void check_input(const Panel& x, int n_threads, const std::string& who, bool allow_missing,
                 double limit) {
  const index_t n_series = x.n_series();
  if (x.n_channels() > kMaxChannels) {
    throw std::invalid_argument(who + ": x has " + std::to_string(x.n_channels()) +
                                " channels, more than the " + std::to_string(kMaxChannels) +
                                " accepted");
  }
  for (index_t n = 0; n < n_series; ++n) {
    if (x.length(n) > kMaxSeriesLength) {
      throw std::invalid_argument(who + ": " + x.describe_series(n) + " has " +
                                  std::to_string(x.length(n)) + " time points, more than the " +
                                  std::to_string(kMaxSeriesLength) + " accepted");
    }
  }
  limit = std::min(limit, kMaxAbsValue);
  std::vector<index_t> first_bad(static_cast<std::size_t>(n_series), -1);
  parallel_for(
      0, n_series, n_threads,
      [&](index_t n) {
        first_bad[static_cast<std::size_t>(n)] = first_bad_value(x, n, allow_missing, limit);
      },
      16);
  // The first bad series in order, whatever thread found it: the message does not depend
  // on the thread count.
  for (index_t n = 0; n < n_series; ++n) {
    const index_t bad = first_bad[static_cast<std::size_t>(n)];
    if (bad >= 0) throw_bad_value(x, n, bad, who);
  }
}

}  // namespace strider::detail
