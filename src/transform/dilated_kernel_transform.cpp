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

std::string lengths(const std::vector<index_t>& v) {
  if (v.empty()) return "expected at least one kernel length (each >= 2)";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] < 2)
      return "lengths[" + std::to_string(i) + "] = " + std::to_string(v[i]) +
             "; every kernel length must be >= 2";
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
  if (params_.nan_policy == NanPolicy::raise)
    detail::check_values(x, n_threads, who, false, std::numeric_limits<double>::infinity());
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
  if (detail::views_per_channel(params_) == 1) return transform_channels<T>(x);
  return transform_channels<T>(detail::seen_channels(x, params_));
}

template <class T>
RowMatrix<T> DilatedKernelTransform::transform_channels(const Panel& x) const {
  const std::string who = "DilatedKernelTransform::transform()";
  if (x.n_series() == 0) return RowMatrix<T>(0, 3 * static_cast<index_t>(kernels_.size()));
  const int n_threads = resolve_n_jobs(params_.n_jobs, who.c_str());
  // float: inputs (unless normalised) and kernel values must fit in float.
  const bool narrow = std::is_same_v<T, float> && !params_.normalize_input;
  const double limit = narrow ? static_cast<double>(std::numeric_limits<float>::max())
                              : std::numeric_limits<double>::infinity();
  if (params_.nan_policy == NanPolicy::raise || narrow)
    detail::check_values(x, n_threads, who, params_.nan_policy == NanPolicy::interpolate, limit);
  if (std::is_same_v<T, float> && plan_->first_nonfloat >= 0) {
    throw std::invalid_argument(who + ": kernel " + std::to_string(plan_->first_nonfloat) +
                                " has a value outside the float range; use transform<double>");
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
    if (n_channels_ < 0 || min_length_ < 1)
      throw std::invalid_argument("n_channels = " + std::to_string(n_channels_) +
                                  ", min_length = " + std::to_string(min_length_) +
                                  " (expected >= 1 each)");
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
