#include "strider/transform/dilated_kernel_transform.hpp"

// The estimator: parameters, fit / transform orchestration, fitted state and its checks.
// The steps live in their own files: input_channels (what the kernels see, value checks),
// kernel_sampler (drawing the kernels), feature_engine (computing the features).

#include <algorithm>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "strider/memory.hpp"
#include "strider/parallel.hpp"
#include "transform/feature_engine.hpp"
#include "transform/input_channels.hpp"
#include "transform/kernel_plan.hpp"
#include "transform/kernel_sampler.hpp"

namespace strider {

namespace {

/// Why `kernel` cannot be used with n_channels input channels, or "" when it can.
std::string kernel_problem(const Kernel& kernel, index_t n_channels,
                           const DilatedKernelTransformParams& p) {
  std::string problem = kernel.check();
  if (problem.empty()) problem = detail::channel_problem(kernel.channel, n_channels, p);
  return problem;
}

}  // namespace

namespace transform_checks {

std::string n_kernels(const index_t& v) {
  if (v >= 1 && v <= kMaxKernels) return "";
  return "expected 1 .. " + std::to_string(kMaxKernels) + " kernels";
}

std::string lengths(const std::vector<index_t>& v) {
  if (v.empty()) return "expected at least one kernel length (each >= 2)";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] < 2 || v[i] > kMaxSeriesLength)
      return "lengths[" + std::to_string(i) + "] = " + std::to_string(v[i]) +
             "; every kernel length must be 2 .. " + std::to_string(kMaxSeriesLength);
  }
  return "";
}

std::string quantile(const double& v) {
  return v >= 0.0 && v <= 1.0 ? "" : "expected a quantile in [0, 1]";
}

}  // namespace transform_checks

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
  return params_.features_per_kernel() * static_cast<index_t>(kernels_.size());
}

index_t DilatedKernelTransform::n_channels() const {
  check_fitted("DilatedKernelTransform::n_channels()");
  return n_channels_;
}

index_t DilatedKernelTransform::min_length() const {
  check_fitted("DilatedKernelTransform::min_length()");
  return min_length_;
}

namespace detail {

std::uint64_t transform_bytes(index_t n_series, index_t n_channels, index_t max_length,
                              index_t n_kernels, index_t max_padding, index_t max_span,
                              std::size_t value_bytes, int n_threads,
                              const DilatedKernelTransformParams& p) {
  const auto n = static_cast<double>(n_series), t = static_cast<double>(max_length);
  const double views = static_cast<double>(views_per_channel(p));
  const double derived = views > 1 ? n * views * static_cast<double>(n_channels) * t * 8.0 : 0.0;
  const double out = n * static_cast<double>(p.features_per_kernel()) *
                     static_cast<double>(n_kernels) * static_cast<double>(value_bytes);
  const double stride = static_cast<double>(max_padding) +
                        static_cast<double>(std::max(max_length + max_padding, max_span)) +
                        static_cast<double>(kFeatureSlack);
  // per thread: the series buffer, the prepared channel, and the shape kernels' window
  // statistics (two arrays of T and two of double per position)
  const double scratch =
      static_cast<double>(n_threads) *
      (stride * static_cast<double>(value_bytes) + t * 8.0 +
       (p.p_shape > 0.0 ? stride * (2.0 * static_cast<double>(value_bytes) + 16.0) : 0.0));
  return static_cast<std::uint64_t>(derived + out + scratch);
}

}  // namespace detail

namespace {

/// Estimates below this are not checked (no limit worth detecting is that small).
constexpr std::uint64_t kUncheckedBytes = std::uint64_t{32} << 20;

std::string series_text(const Panel& x) {
  return std::to_string(x.n_series()) + " series x " + std::to_string(x.n_channels()) +
         " channels x " + std::to_string(x.max_length()) + " points";
}

}  // namespace

std::uint64_t DilatedKernelTransform::fit_memory(const Panel& x) const {
  const int n_threads = resolve_n_jobs(params_.n_jobs, "DilatedKernelTransform::fit_memory()");
  const double views = static_cast<double>(detail::views_per_channel(params_));
  const auto n = static_cast<double>(x.n_series()), t = static_cast<double>(x.max_length());
  const double derived =
      views > 1 ? n * views * static_cast<double>(x.n_channels()) * t * 8.0 : 0.0;
  const index_t longest = *std::max_element(params_.lengths.begin(), params_.lengths.end());
  // Per kernel: the struct, its values, and the plan's double and float copies.
  const double kernels = static_cast<double>(params_.n_kernels) *
                         (sizeof(Kernel) + 48.0 + 20.0 * static_cast<double>(longest));
  // Per thread: one series; with add_occurrences, the thresholds' prepared series (T), padded
  // series and distances (each at most 2T: a kernel spans at most the longest series) too.
  const double scratch =
      static_cast<double>(n_threads) * t * 8.0 * (params_.add_occurrences ? 6.0 : 1.0);
  return static_cast<std::uint64_t>(derived + kernels + scratch);
}

std::uint64_t DilatedKernelTransform::transform_memory(const Panel& x,
                                                       std::size_t value_bytes) const {
  check_fitted("DilatedKernelTransform::transform_memory()");
  return detail::transform_bytes(
      x.n_series(), x.n_channels(), x.max_length(), static_cast<index_t>(kernels_.size()),
      plan_->max_padding, plan_->max_span, value_bytes,
      resolve_n_jobs(params_.n_jobs, "DilatedKernelTransform::transform_memory()"), params_);
}

DilatedKernelTransform& DilatedKernelTransform::fit(const Panel& x) {
  // The input is checked before any channel is derived from it, so that a message names
  // the input's own channel and position.
  const char* who = "DilatedKernelTransform::fit()";
  detail::check_input(x, resolve_n_jobs(params_.n_jobs, who), who,
                      params_.nan_policy == NanPolicy::interpolate,
                      std::numeric_limits<double>::infinity());
  if (const std::uint64_t need = fit_memory(x); need > kUncheckedBytes) {
    check_memory(need, memory_limit(memory_limit_), who,
                 series_text(x) + ", " + std::to_string(params_.n_kernels) + " kernels",
                 "use fewer kernels (n_kernels) or fewer series");
  }
  if (detail::views_per_channel(params_) == 1) {
    fit_channels(x);
    return *this;
  }
  const index_t n_channels = x.n_channels();
  fit_channels(detail::seen_channels(x, params_));
  n_channels_ = n_channels;  // the input's; the kernels index views * n_channels
  return *this;
}

void DilatedKernelTransform::fit_channels(const Panel& x) {
  const std::string who = "DilatedKernelTransform::fit()";
  if (x.n_series() == 0) throw std::invalid_argument(who + ": x has no series");
  const index_t t_min = detail::reference_length(x, params_, who);
  const int n_threads = resolve_n_jobs(params_.n_jobs, who.c_str());
  std::vector<Kernel> kernels = detail::sample_kernels(x, params_, t_min, n_threads);
  // Stored in the hot loop's order (see KernelPlan), so that the features of the kernels
  // the loop handles one after the other are written to contiguous columns.
  std::stable_sort(kernels.begin(), kernels.end(), detail::KernelPlan::before);
  auto plan = std::make_shared<const detail::KernelPlan>(kernels);
  // Nothing above changed the fitted state: a failed fit leaves it as it was.
  kernels_ = std::move(kernels);
  plan_ = std::move(plan);
  n_channels_ = x.n_channels();
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
    const std::string problem = kernel_problem(kernels[k], n_channels, params_);
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
  // float: inputs (unless normalised) must fit in float.
  const bool narrow = std::is_same_v<T, float> && !params_.normalize_input;
  detail::check_input(x, resolve_n_jobs(params_.n_jobs, who.c_str()), who,
                      params_.nan_policy == NanPolicy::interpolate,
                      narrow ? static_cast<double>(std::numeric_limits<float>::max())
                             : std::numeric_limits<double>::infinity());
  if (const std::uint64_t need = transform_memory(x, sizeof(T)); need > kUncheckedBytes) {
    check_memory(need, memory_limit(memory_limit_), who,
                 series_text(x) + ", " + std::to_string(n_features()) + " features",
                 "transform fewer series at a time");
  }
  if (detail::views_per_channel(params_) == 1) return transform_channels<T>(x);
  return transform_channels<T>(detail::seen_channels(x, params_));
}

template <class T>
RowMatrix<T> DilatedKernelTransform::transform_channels(const Panel& x) const {
  const std::string who = "DilatedKernelTransform::transform()";
  if (x.n_series() == 0) return RowMatrix<T>(0, n_features());
  const int n_threads = resolve_n_jobs(params_.n_jobs, who.c_str());
  if (std::is_same_v<T, float> && plan_->first_nonfloat >= 0) {
    throw std::invalid_argument(
        who + ": kernel " + std::to_string(plan_->first_nonfloat) +
        " has a value or threshold outside the float range; use transform<double>");
  }
  return detail::compute_features<T>(x, *plan_, params_, n_threads, progress_);
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
    if (n_channels_ < 0 || n_channels_ > kMaxChannels || min_length_ < 1 ||
        min_length_ > kMaxSeriesLength)
      throw std::invalid_argument("n_channels = " + std::to_string(n_channels_) +
                                  " (expected 1 .. " + std::to_string(kMaxChannels) +
                                  "), min_length = " + std::to_string(min_length_) +
                                  " (expected 1 .. " + std::to_string(kMaxSeriesLength) + ")");
    if (static_cast<index_t>(kernels_.size()) != params_.n_kernels)
      throw std::invalid_argument(std::to_string(kernels_.size()) +
                                  " kernels for n_kernels = " + std::to_string(params_.n_kernels));
    for (std::size_t k = 0; k < kernels_.size(); ++k) {
      const Kernel& kernel = kernels_[k];
      std::string problem = kernel_problem(kernel, n_channels_, params_);
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
    detail::throw_archive_error(std::string("DilatedKernelTransform: ") + e.what());
  }
}

template RowMatrix<double> DilatedKernelTransform::transform<double>(const Panel&) const;
template RowMatrix<float> DilatedKernelTransform::transform<float>(const Panel&) const;
template RowMatrix<double> DilatedKernelTransform::fit_transform<double>(const Panel&);
template RowMatrix<float> DilatedKernelTransform::fit_transform<float>(const Panel&);

}  // namespace strider
