#include "strider/transform/dilated_kernel_transform.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <type_traits>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "shortest_text.hpp"
#include "strider/parallel.hpp"
#include "strider/random.hpp"
#include "transform/kernel_plan.hpp"

namespace strider {

namespace detail {

KernelPlan::KernelPlan(const std::vector<Kernel>& kernels) {
  const auto n = static_cast<index_t>(kernels.size());
  std::vector<index_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), index_t{0});
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) {
    return before(kernels[static_cast<std::size_t>(a)], kernels[static_cast<std::size_t>(b)]);
  });
  entries.reserve(static_cast<std::size_t>(n));
  for (index_t k : order) {
    const Kernel& kernel = kernels[static_cast<std::size_t>(k)];
    entries.push_back({k, kernel.length, kernel.dilation, kernel.padding, kernel.channel,
                       static_cast<index_t>(values_d.size())});
    for (double v : kernel.values) {
      values_d.push_back(v);
      values_f.push_back(static_cast<float>(v));
      if (!std::isfinite(values_f.back()) && (first_nonfloat < 0 || k < first_nonfloat))
        first_nonfloat = k;
    }
    max_padding = std::max(max_padding, kernel.padding);
    max_span = std::max(max_span, kernel.span());
  }
}

}  // namespace detail

namespace {

std::string list(const std::vector<index_t>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "}";
}

/// Throws std::invalid_argument naming the first bad value of x (in series, channel,
/// position order): a NaN/inf unless `allow_missing`, or a finite value with
/// |v| > `limit` (float range for transform<float>). Series are scanned in parallel.
void check_values(const Panel& x, int n_threads, const std::string& who, bool allow_missing,
                  double limit) {
  const index_t n_series = x.n_series(), n_channels = x.n_channels();
  std::vector<index_t> first_bad(static_cast<std::size_t>(n_series), -1);  // c * T + t
  parallel_for(
      0, n_series, n_threads,
      [&](index_t n) {
        const index_t len = x.length(n);
        for (index_t c = 0; c < n_channels; ++c) {
          const double* s = x.series(n, c);
          for (index_t t = 0; t < len; ++t) {
            const bool finite = std::isfinite(s[t]);
            if ((!finite && !allow_missing) || (finite && std::abs(s[t]) > limit)) {
              first_bad[static_cast<std::size_t>(n)] = c * len + t;
              return;
            }
          }
        }
      },
      16);
  for (index_t n = 0; n < n_series; ++n) {
    const index_t bad = first_bad[static_cast<std::size_t>(n)];
    if (bad < 0) continue;
    const index_t len = x.length(n), c = bad / len, t = bad % len;
    const double v = x(n, c, t);
    const std::string where = " at series " + std::to_string(n) + ", channel " + std::to_string(c) +
                              ", position " + std::to_string(t);
    if (!std::isfinite(v)) {
      throw std::invalid_argument(who + ": x has a non-finite value (" + shortest_text(v) + ")" +
                                  where + "; clean the data or use nan_policy = interpolate");
    }
    throw std::invalid_argument(who + ": x has the value " + shortest_text(v) + where +
                                ", outside the float range; use transform<double>, or "
                                "normalize_input without add_raw_input");
  }
}

/// True when channels must be transformed before use (interpolation, z-normalisation).
bool needs_preprocessing(const DilatedKernelTransformParams& p) {
  return p.nan_policy == NanPolicy::interpolate || p.normalize_input;
}

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

/// Count, mean and sum of squared deviations of some values (two passes over v, exact for
/// large levels); combine() pools two sets (Chan et al.'s update).
struct Moments {
  double count = 0.0, mean = 0.0, m2 = 0.0;

  static Moments of(const double* v, index_t n) {
    Moments m;
    m.count = static_cast<double>(n);
    for (index_t t = 0; t < n; ++t)
      m.mean += v[t];
    m.mean /= m.count;
    for (index_t t = 0; t < n; ++t)
      m.m2 += (v[t] - m.mean) * (v[t] - m.mean);
    return m;
  }
  void combine(const Moments& o) {
    const double total = count + o.count, delta = o.mean - mean;
    mean += delta * o.count / total;
    m2 += o.m2 + delta * delta * count * o.count / total;
    count = total;
  }
  double sd() const { return std::sqrt(m2 / count); }  // population std
};

/// (v - mean) / std over v[0 .. n) (population std); a numerically constant v becomes
/// zeros (std <= 1e-12 * max(1, |mean|)).
void z_normalize(double* v, index_t n) {
  const Moments m = Moments::of(v, n);
  const double sd = m.sd();
  if (sd <= 1e-12 * std::max(1.0, std::abs(m.mean))) {
    std::fill(v, v + n, 0.0);
  } else {
    for (index_t t = 0; t < n; ++t)
      v[t] = (v[t] - m.mean) / sd;
  }
}

/// True when the kernels see a copy of the input as given beside the z-normalised one:
/// add_raw_input only acts with normalize_input (without it, the input is as given
/// already and the option changes nothing).
bool raw_copy(const DilatedKernelTransformParams& p) {
  return p.add_raw_input && p.normalize_input;
}

/// How many channels the kernels see per input channel: 2 with the raw copy (the
/// z-normalised input, then the input as given), times 2 with add_differences.
index_t views_per_channel(const DilatedKernelTransformParams& p) {
  return (raw_copy(p) ? 2 : 1) * (p.add_differences ? 2 : 1);
}

/// Whether channel c of the n_seen channels the kernels see is z-normalised: all of them
/// with normalize_input, except the copies as given of add_raw_input (the second half of
/// each group of values or differences; see the file comment for the order).
bool normalizes(const DilatedKernelTransformParams& p, index_t c, index_t n_seen) {
  if (!p.normalize_input) return false;
  if (!raw_copy(p)) return true;
  const index_t group = p.add_differences ? n_seen / 2 : n_seen;
  return c % group < group / 2;
}

/// Channel c of series n after the documented preprocessing, into out[0 .. length(n)).
void prepare_channel(const Panel& x, index_t n, index_t c, const DilatedKernelTransformParams& p,
                     double* out) {
  const index_t len = x.length(n);
  const double* s = x.series(n, c);
  std::copy(s, s + len, out);
  if (p.nan_policy == NanPolicy::interpolate) interpolate_missing(out, len);
  if (normalizes(p, c, x.n_channels())) z_normalize(out, len);
}

/// Why `channel` cannot be a kernel's channel for n_channels input channels (more with
/// add_raw_input and add_differences), or "" when it can.
std::string channel_problem(index_t channel, index_t n_channels,
                            const DilatedKernelTransformParams& p) {
  const index_t views = views_per_channel(p);
  if (channel < views * n_channels) return "";
  return "channel " + std::to_string(channel) +
         " >= " + (views > 1 ? std::to_string(views) + " * n_channels " : "n_channels ") +
         std::to_string(n_channels);
}

/// The channels the kernels see, in the order of the file comment: the C input channels,
/// a second copy of them with the raw copy (z-normalised or not is decided later, in
/// prepare_channel), then with add_differences the first differences of all of those
/// (after interpolating missing values when the policy says so; 0 at the last position and
/// beyond the series' end). One pass; each channel's differences are computed once.
Panel seen_channels(const Panel& x, const DilatedKernelTransformParams& p) {
  const index_t n_series = x.n_series(), n_channels = x.n_channels(), t_max = x.max_length();
  const index_t copies = raw_copy(p) ? 2 : 1, values = copies * n_channels;
  Panel::Tensor data =
      Panel::Tensor::from_shape({static_cast<std::size_t>(n_series),
                                 static_cast<std::size_t>(views_per_channel(p) * n_channels),
                                 static_cast<std::size_t>(t_max)});
  std::fill(data.begin(), data.end(), 0.0);
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
      for (index_t k = 0; k < copies; ++k)
        std::copy(s, s + len, channel(n, k * n_channels + c));
      if (!p.add_differences) continue;
      const double* v = s;  // the values to difference: interpolated first when asked
      if (p.nan_policy == NanPolicy::interpolate) {
        std::copy(s, s + len, buf.data());
        interpolate_missing(buf.data(), len);
        v = buf.data();
      }
      double* diff = channel(n, values + c);
      for (index_t t = 0; t + 1 < len; ++t)
        diff[t] = v[t + 1] - v[t];
      for (index_t k = 1; k < copies; ++k)
        std::copy(diff, diff + len, channel(n, values + k * n_channels + c));
    }
  }
  return Panel(std::move(data), std::move(lengths));
}

/// Calls the progress callback from one thread at a time, with non-decreasing counts and
/// at most about 1000 times per transform.
class ProgressReporter {
 public:
  ProgressReporter(const DilatedKernelTransform::ProgressCallback& cb, index_t total)
      : cb_(cb), total_(total), every_(std::max<index_t>(1, total / 1000)) {}
  void item_done() {
    if (!cb_) return;
    const index_t now = done_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (now % every_ != 0 || now == total_) return;  // the last call comes from finish()
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    const index_t seen = done_.load(std::memory_order_relaxed);
    if (seen <= reported_) return;
    reported_ = seen;
    cb_(seen, total_);
  }
  void finish() {
    if (cb_) cb_(total_, total_);
  }

 private:
  const DilatedKernelTransform::ProgressCallback& cb_;
  index_t total_, every_;
  std::atomic<index_t> done_{0};
  std::mutex mutex_;
  index_t reported_ = 0;
};

/// Asks Linux to back a large, not yet touched output with transparent huge pages: the
/// threads then fault in 2 MB pages instead of 4 KB ones (a 1500 x 30000 double output
/// is 88,000 small pages, about a tenth of the transform time). A hint only: no effect
/// elsewhere, or when THP is disabled.
void advise_huge_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  if (bytes < 4 * kHuge) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

/// Kernels per unit of parallel work: enough to amortise preparing the series, few
/// enough to balance the threads when there are few series.
constexpr index_t kKernelBlock = 256;

}  // namespace

void DilatedKernelTransformParams::validate(const std::string& who) const {
  if (n_kernels < 1) {
    throw std::invalid_argument(who + ": n_kernels = " + std::to_string(n_kernels) +
                                "; expected >= 1");
  }
  if (lengths.empty()) {
    throw std::invalid_argument(who + ": lengths is empty; expected at least one kernel length " +
                                "(each >= 2)");
  }
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] < 2) {
      throw std::invalid_argument(
          who + ": lengths[" + std::to_string(i) + "] = " + std::to_string(lengths[i]) +
          " in lengths = " + list(lengths) + "; every kernel length must be >= 2");
    }
  }
  if (!(length_quantile >= 0.0 && length_quantile <= 1.0)) {
    throw std::invalid_argument(who + ": length_quantile = " + shortest_text(length_quantile) +
                                "; expected a quantile in [0, 1]");
  }
  if (!(p_padding >= 0.0 && p_padding <= 1.0)) {
    throw std::invalid_argument(who + ": p_padding = " + shortest_text(p_padding) +
                                "; expected a probability in [0, 1]");
  }
  check_n_jobs(n_jobs, who.c_str());
  if (source != KernelSource::sample && source != KernelSource::normal &&
      source != KernelSource::mixed) {
    throw std::invalid_argument(who +
                                ": source = " + std::to_string(static_cast<std::int32_t>(source)) +
                                " is not a KernelSource (0 = sample, 1 = normal, 2 = mixed)");
  }
  if (nan_policy != NanPolicy::raise && nan_policy != NanPolicy::interpolate) {
    throw std::invalid_argument(
        who + ": nan_policy = " + std::to_string(static_cast<std::int32_t>(nan_policy)) +
        " is not a NanPolicy (0 = raise, 1 = interpolate)");
  }
}

DilatedKernelTransform::DilatedKernelTransform(DilatedKernelTransformParams params)
    : params_(std::move(params)) {
  params_.validate("DilatedKernelTransform");
}

void DilatedKernelTransform::set_n_jobs(int n_jobs) {
  check_n_jobs(n_jobs, "DilatedKernelTransform::set_n_jobs()");
  params_.n_jobs = n_jobs;
}

void DilatedKernelTransform::check_fitted(const char* who) const {
  if (!is_fitted()) throw NotFittedError(who);
}

const std::vector<Kernel>& DilatedKernelTransform::kernels() const {
  check_fitted("DilatedKernelTransform::kernels()");
  return kernels_;
}

index_t DilatedKernelTransform::n_features() const {
  check_fitted("DilatedKernelTransform::n_features()");
  return 3 * static_cast<index_t>(kernels_.size());
}

index_t DilatedKernelTransform::n_channels() const {
  check_fitted("DilatedKernelTransform::n_channels()");
  return n_channels_;
}

index_t DilatedKernelTransform::min_length() const {
  check_fitted("DilatedKernelTransform::min_length()");
  return min_length_;
}

DilatedKernelTransform& DilatedKernelTransform::fit(const Panel& x) {
  if (views_per_channel(params_) == 1) {
    fit_channels(x);
    return *this;
  }
  const index_t n_channels = x.n_channels();
  fit_channels(seen_channels(x, params_));
  n_channels_ = n_channels;  // the input's; the kernels index views * n_channels
  return *this;
}

void DilatedKernelTransform::fit_channels(const Panel& x) {
  const std::string who = "DilatedKernelTransform::fit()";
  const index_t n_series = x.n_series(), n_channels = x.n_channels();
  if (n_series == 0) throw std::invalid_argument(who + ": x has no series");
  const index_t shortest_kernel = *std::min_element(params_.lengths.begin(), params_.lengths.end());
  // The kernels are drawn to fit series of the reference length: the shortest training
  // series by default, a longer one with length_quantile > 0 (then shorter series are
  // zero-extended at transform time, as documented).
  std::vector<index_t> sorted_lengths(static_cast<std::size_t>(n_series));
  for (index_t n = 0; n < n_series; ++n)
    sorted_lengths[static_cast<std::size_t>(n)] = x.length(n);
  std::sort(sorted_lengths.begin(), sorted_lengths.end());
  const auto q_index = static_cast<std::size_t>(
      std::floor(params_.length_quantile * static_cast<double>(n_series - 1)));
  const index_t t_min = sorted_lengths[std::min(q_index, sorted_lengths.size() - 1)];
  if (t_min < shortest_kernel) {
    index_t n = 0;
    while (x.length(n) != t_min)
      ++n;
    throw std::invalid_argument(
        who + ": series " + std::to_string(n) + " has " + std::to_string(t_min) +
        " time points, shorter than the shortest kernel length " + std::to_string(shortest_kernel) +
        " (lengths = " + list(params_.lengths) + ")" +
        (params_.length_quantile > 0.0
             ? "; it is the reference length, quantile " + shortest_text(params_.length_quantile) +
                   " of the training lengths"
             : ""));
  }
  const int n_threads = resolve_n_jobs(params_.n_jobs, who.c_str());
  if (params_.nan_policy == NanPolicy::raise)
    check_values(x, n_threads, who, false, std::numeric_limits<double>::infinity());

  std::vector<index_t> eligible;
  for (index_t l : params_.lengths)
    if (l <= t_min) eligible.push_back(l);

  // Every random choice is made here, serially, from the kernel's own stream.
  const index_t n_kernels = params_.n_kernels;
  std::vector<Kernel> kernels(static_cast<std::size_t>(n_kernels));
  for (index_t k = 0; k < n_kernels; ++k) {
    Kernel& kernel = kernels[static_cast<std::size_t>(k)];
    Rng rng(params_.random_state, static_cast<std::uint64_t>(k));
    const index_t l = eligible[rng.uniform_int(eligible.size())];
    const index_t max_dilation = (t_min - 1) / (l - 1);
    const double u =
        rng.uniform(0.0, std::log2(static_cast<double>(t_min - 1) / static_cast<double>(l - 1)));
    const auto d =
        std::clamp(static_cast<index_t>(std::floor(std::exp2(u))), index_t{1}, max_dilation);
    kernel.length = l;
    kernel.dilation = d;
    kernel.padding = rng.uniform() < params_.p_padding ? ((l - 1) * d) / 2 : 0;
    kernel.channel = static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(n_channels)));
    kernel.values.resize(static_cast<std::size_t>(l));
    const bool sampled = params_.source == KernelSource::sample ||
                         (params_.source == KernelSource::mixed && rng.uniform() < 0.5);
    if (sampled) {
      // a training series the kernel fits (always the first draw when the reference is
      // the shortest series; with length_quantile > 0 at least the longer share fits)
      auto n = static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(n_series)));
      while (x.length(n) < kernel.span())
        n = static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(n_series)));
      const index_t starts = x.length(n) - kernel.span() + 1;
      kernel.source_series = n;
      kernel.source_start =
          static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(starts)));
    } else {
      for (double& v : kernel.values)
        v = rng.normal();
    }
  }

  if (params_.source != KernelSource::normal) {
    // Values from the (preprocessed) training series; independent per kernel.
    const bool prepare = needs_preprocessing(params_);
    std::vector<std::vector<double>> buffers(static_cast<std::size_t>(n_threads));
    parallel_for(
        0, n_kernels, n_threads,
        [&](index_t k) {
          Kernel& kernel = kernels[static_cast<std::size_t>(k)];
          if (kernel.source_series < 0) return;  // a normal kernel of source = mixed
          const double* s = x.series(kernel.source_series, kernel.channel);
          if (prepare) {
            auto& buf = buffers[static_cast<std::size_t>(thread_index())];
            buf.resize(static_cast<std::size_t>(x.max_length()));
            prepare_channel(x, kernel.source_series, kernel.channel, params_, buf.data());
            s = buf.data();
          }
          for (index_t j = 0; j < kernel.length; ++j)
            kernel.values[static_cast<std::size_t>(j)] =
                s[kernel.source_start + j * kernel.dilation];
        },
        64);
  }

  if (params_.scale_normal_kernels && params_.source != KernelSource::sample) {
    // Mean and population std of every channel over all training values (preprocessed
    // once per series and channel), pooled in series order: the same for any thread count.
    std::vector<double> mean(static_cast<std::size_t>(n_channels), 0.0),
        sd(static_cast<std::size_t>(n_channels), 1.0);
    const bool prepare = needs_preprocessing(params_);
    std::vector<double> buf(static_cast<std::size_t>(x.max_length()));
    for (index_t c = 0; c < n_channels; ++c) {
      Moments pooled;
      for (index_t n = 0; n < n_series; ++n) {
        const double* s = x.series(n, c);
        if (prepare) {
          prepare_channel(x, n, c, params_, buf.data());
          s = buf.data();
        }
        pooled.combine(Moments::of(s, x.length(n)));
      }
      mean[static_cast<std::size_t>(c)] = pooled.mean;
      const double deviation = pooled.sd();
      if (deviation > 0.0 && std::isfinite(deviation)) sd[static_cast<std::size_t>(c)] = deviation;
    }
    for (Kernel& kernel : kernels) {
      if (kernel.source_series >= 0) continue;  // a sampled kernel
      const auto c = static_cast<std::size_t>(kernel.channel);
      for (double& v : kernel.values)
        v = mean[c] + sd[c] * v;
    }
  }

  if (params_.normalize_kernels) {
    for (Kernel& kernel : kernels)
      z_normalize(kernel.values.data(), kernel.length);
  }

  // Stored in the hot loop's order (see KernelPlan), so that the features of the kernels
  // the loop handles one after the other are written to contiguous columns.
  std::stable_sort(kernels.begin(), kernels.end(), detail::KernelPlan::before);
  auto plan = std::make_shared<const detail::KernelPlan>(kernels);
  kernels_ = std::move(kernels);
  plan_ = std::move(plan);
  n_channels_ = n_channels;
  min_length_ = t_min;
}

DilatedKernelTransform& DilatedKernelTransform::set_kernels(std::vector<Kernel> kernels,
                                                            index_t n_channels) {
  const std::string who = "DilatedKernelTransform::set_kernels()";
  if (kernels.empty()) throw std::invalid_argument(who + ": no kernels given");
  if (n_channels < 1)
    throw std::invalid_argument(who + ": n_channels = " + std::to_string(n_channels) +
                                "; expected >= 1");
  index_t max_span = 1;
  for (std::size_t k = 0; k < kernels.size(); ++k) {
    std::string problem = kernels[k].check();
    if (problem.empty()) problem = channel_problem(kernels[k].channel, n_channels, params_);
    if (!problem.empty())
      throw std::invalid_argument(who + ": kernel " + std::to_string(k) + ": " + problem);
    max_span = std::max(max_span, kernels[k].span());
  }
  auto plan = std::make_shared<const detail::KernelPlan>(kernels);
  params_.n_kernels = static_cast<index_t>(kernels.size());
  kernels_ = std::move(kernels);
  plan_ = std::move(plan);
  n_channels_ = n_channels;
  min_length_ = max_span;
  return *this;
}

template <class T>
RowMatrix<T> DilatedKernelTransform::transform(const Panel& x) const {
  static_assert(std::is_same_v<T, double> || std::is_same_v<T, float>,
                "DilatedKernelTransform::transform<T>: T must be double or float");
  const std::string who = "DilatedKernelTransform::transform()";
  check_fitted(who.c_str());
  if (x.n_channels() != n_channels_) {
    throw std::invalid_argument(who + ": x has " + std::to_string(x.n_channels()) +
                                " channels, fit() saw " + std::to_string(n_channels_));
  }
  if (views_per_channel(params_) == 1) return transform_channels<T>(x);
  return transform_channels<T>(seen_channels(x, params_));
}

template <class T>
RowMatrix<T> DilatedKernelTransform::transform_channels(const Panel& x) const {
  const std::string who = "DilatedKernelTransform::transform()";
  const index_t n_series = x.n_series(), n_kernels = static_cast<index_t>(kernels_.size());
  const index_t n_cols = 3 * n_kernels;
  RowMatrix<T> out(n_series, n_cols);
  if (n_series == 0) return out;
  advise_huge_pages(out.data(), static_cast<std::size_t>(out.size()) * sizeof(T));
  const int n_threads = resolve_n_jobs(params_.n_jobs, who.c_str());
  const detail::KernelPlan& plan = *plan_;
  // float: inputs (unless normalised) and kernel values must fit in float.
  const bool narrow = std::is_same_v<T, float> && (!params_.normalize_input || raw_copy(params_));
  const double limit = narrow ? static_cast<double>(std::numeric_limits<float>::max())
                              : std::numeric_limits<double>::infinity();
  if (params_.nan_policy == NanPolicy::raise || narrow)
    check_values(x, n_threads, who, params_.nan_policy == NanPolicy::interpolate, limit);
  if (std::is_same_v<T, float> && plan.first_nonfloat >= 0) {
    throw std::invalid_argument(who + ": kernel " + std::to_string(plan.first_nonfloat) +
                                " has a value outside the float range; use transform<double>");
  }

  const detail::FeatureRunFn<T> run = detail::feature_run_function<T>(detail::active_simd_level());
  const T* values = plan.values<T>();
  const bool prepare = needs_preprocessing(params_);
  const index_t t_max = x.max_length(), pad = plan.max_padding;
  // Series buffer: pad zeros, the series, zeros (see FeatureRunFn for the sizes).
  const index_t x_stride = pad + std::max(t_max + pad, plan.max_span) + detail::kFeatureSlack;

  struct Scratch {
    std::vector<T> x;
    std::vector<double> prep;
    index_t series = -1, channel = -1;  // what x holds now
  };
  std::vector<Scratch> scratch(static_cast<std::size_t>(n_threads));
  for (Scratch& s : scratch) {
    s.x.assign(static_cast<std::size_t>(x_stride), T(0));
    if (prepare) s.prep.assign(static_cast<std::size_t>(t_max), 0.0);
  }

  const index_t n_blocks = (n_kernels + kKernelBlock - 1) / kKernelBlock;
  const index_t n_items = n_series * n_blocks;
  ProgressReporter progress(progress_, n_items);
  const detail::PlanEntry* entries = plan.entries.data();

  parallel_for(
      0, n_items, n_threads,
      [&](index_t item) {
        Scratch& s = scratch[static_cast<std::size_t>(thread_index())];
        // Block-major: threads working at the same time write different rows (no false
        // sharing), and a block's kernel values stay in cache from one series to the next.
        const index_t b = item / n_series, n = item % n_series;
        const index_t len = x.length(n);
        const detail::PlanEntry* first = entries + b * kKernelBlock;
        const detail::PlanEntry* const last = entries + std::min(n_kernels, (b + 1) * kKernelBlock);
        T* const x0 = s.x.data() + pad;
        T* const row = out.data() + n * n_cols;
        while (first != last) {
          const index_t c = first->channel;
          const detail::PlanEntry* run_end = first;
          while (run_end != last && run_end->channel == c)
            ++run_end;
          if (s.series != n || s.channel != c) {
            if (prepare) {
              prepare_channel(x, n, c, params_, s.prep.data());
              std::transform(s.prep.data(), s.prep.data() + len, x0,
                             [](double v) { return static_cast<T>(v); });
            } else {
              const double* src = x.series(n, c);
              std::transform(src, src + len, x0, [](double v) { return static_cast<T>(v); });
            }
            std::fill(x0 + len, s.x.data() + x_stride, T(0));
            s.series = n;
            s.channel = c;
          }
          run(x0, len, first, run_end, values, row);
          first = run_end;
        }
        progress.item_done();
      },
      1);
  progress.finish();
  return out;
}

template <class T>
RowMatrix<T> DilatedKernelTransform::fit_transform(const Panel& x) {
  fit(x);
  return transform<T>(x);
}

void DilatedKernelTransform::validate_loaded() {
  try {
    params_.validate("DilatedKernelTransform");
    if (n_channels_ == 0) {
      if (!kernels_.empty() || min_length_ != 0)
        throw std::invalid_argument("an unfitted transform (n_channels = 0) has " +
                                    std::to_string(kernels_.size()) + " kernels and min_length " +
                                    std::to_string(min_length_));
      plan_.reset();
      return;
    }
    if (n_channels_ < 0 || min_length_ < 1)
      throw std::invalid_argument("n_channels = " + std::to_string(n_channels_) +
                                  ", min_length = " + std::to_string(min_length_) +
                                  " (expected >= 1 each)");
    if (static_cast<index_t>(kernels_.size()) != params_.n_kernels)
      throw std::invalid_argument(std::to_string(kernels_.size()) +
                                  " kernels for n_kernels = " + std::to_string(params_.n_kernels));
    for (std::size_t k = 0; k < kernels_.size(); ++k) {
      const Kernel& kernel = kernels_[k];
      std::string problem = kernel.check();
      if (problem.empty()) problem = channel_problem(kernel.channel, n_channels_, params_);
      if (problem.empty() && kernel.span() > min_length_)
        problem = "span " + std::to_string(kernel.span()) + " > min_length " +
                  std::to_string(min_length_);
      if (!problem.empty())
        throw std::invalid_argument("kernel " + std::to_string(k) + ": " + problem);
    }
    plan_ = std::make_shared<const detail::KernelPlan>(kernels_);
  } catch (const std::exception& e) {
    kernels_.clear();
    n_channels_ = 0;
    min_length_ = 0;
    plan_.reset();
    throw FormatError("<model>", 0, std::string("DilatedKernelTransform: ") + e.what());
  }
}

template RowMatrix<double> DilatedKernelTransform::transform<double>(const Panel&) const;
template RowMatrix<float> DilatedKernelTransform::transform<float>(const Panel&) const;
template RowMatrix<double> DilatedKernelTransform::fit_transform<double>(const Panel&);
template RowMatrix<float> DilatedKernelTransform::fit_transform<float>(const Panel&);

}  // namespace strider
