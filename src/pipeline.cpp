#include "pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "linear/lower_panels.hpp"
#include "strider/memory.hpp"
#include "strider/parallel.hpp"

namespace strider::detail {

FitProgress::FitProgress(const DilatedKernelTransform::ProgressCallback& cb, const Panel& x,
                         const DilatedKernelTransformParams& transform, double ridge_reductions,
                         index_t n_variants)
    : cb_(cb) {
  if (!cb_) return;
  const auto n = static_cast<double>(x.n_series());
  double mean_length = 0.0;
  for (index_t i = 0; i < x.n_series(); ++i)
    mean_length += static_cast<double>(x.length(i)) / n;
  double kernel_length = 0.0;
  for (index_t l : transform.lengths)
    kernel_length += static_cast<double>(l) / static_cast<double>(transform.lengths.size());
  const auto k = static_cast<double>(transform.n_kernels),
             f = static_cast<double>(transform.features_per_kernel()) * k;
  const double lo = std::min(n, f), hi = std::max(n, f);
  cost_[kTransform] = n * k * (mean_length * kernel_length + 3000.0);
  cost_[kScaler] = 200.0 * n * f;
  cost_[kRidge] = 1.6 * lo * lo * hi + 23.0 * ridge_reductions * lo * lo * lo;
  const double variant = cost_[0] + cost_[1] + cost_[2];
  // Units: the whole fit is at most about 10^9 of them.
  scale_ = 1e9 / (variant * static_cast<double>(n_variants));
  total_ = std::max<index_t>(1, units(variant * static_cast<double>(n_variants)));
}

DilatedKernelTransform::ProgressCallback FitProgress::transform_callback(index_t i) const {
  if (!cb_) return {};
  return [this, i](index_t done, index_t total) {
    const double part = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    report(start_of(i) + part * cost_[kTransform]);
  };
}

void FitProgress::finished(index_t i, Stage stage) const {
  if (!cb_) return;
  double done = start_of(i);
  for (int s = 0; s <= stage; ++s)
    done += cost_[s];
  report(done);
}

double FitProgress::start_of(index_t i) const {
  return static_cast<double>(i) * (cost_[0] + cost_[1] + cost_[2]);
}

index_t FitProgress::units(double cost) const {
  return static_cast<index_t>(std::llround(cost * scale_));
}

void FitProgress::report(double cost) const {
  const index_t now = std::min(total_, std::max(reported_, units(cost)));
  reported_ = now;
  cb_(now, total_);
}

std::uint64_t pipeline_fit_memory(const Panel& x, const DilatedKernelTransformParams& transform,
                                  bool float32, index_t n_targets, std::size_t n_alphas,
                                  double squares) {
  const DilatedKernelTransform t(transform);
  const int n_threads = resolve_n_jobs(transform.n_jobs, "fit_memory()");
  const index_t n = x.n_series(), f = transform.features_per_kernel() * transform.n_kernels;
  const std::size_t value_bytes = float32 ? sizeof(float) : sizeof(double);
  // A kernel spans at most the shortest series and is padded by at most half its span.
  const index_t span = x.n_series() > 0 ? x.min_length() : 1;
  const std::uint64_t features =
      transform_bytes(n, x.n_channels(), x.max_length(), transform.n_kernels, span / 2, span,
                      value_bytes, n_threads, transform);
  const auto m = static_cast<double>(std::min(n, f));
  const auto targets = static_cast<double>(n_targets);
  const auto alphas = static_cast<double>(n_alphas);
  // The Gram matrices (n x n, `squares` of them); with more series than features, one
  // packed covariance triangle at a time. Per sample and alpha: the leave-one-out error,
  // hit and decision values (one per target).
  const double square = n > f ? static_cast<double>(LowerPanels::stored(f)) : squares * m * m;
  const double ridge = 8.0 * (square + (alphas + 4.0) * (m + static_cast<double>(f)) * targets +
                              (2.0 + targets) * static_cast<double>(n) * alphas);
  return t.fit_memory(x) + features + static_cast<std::uint64_t>(ridge);
}

void check_fit_memory(std::uint64_t need, std::uint64_t limit, const std::string& who,
                      index_t n_series, const DilatedKernelTransformParams& transform,
                      bool float32) {
  if (need <= kUncheckedBytes) return;
  std::vector<std::string> ways = {"fewer kernels (n_kernels)", "fewer series"};
  if (transform.add_occurrences) ways.emplace_back("add_occurrences = false");
  if (!float32) ways.emplace_back("float32");
  std::string lower = "use " + ways.front();
  for (std::size_t i = 1; i < ways.size(); ++i)
    lower += (i + 1 < ways.size() ? ", " : ways.size() > 2 ? ", or " : " or ") + ways[i];
  const index_t n_features = transform.features_per_kernel() * transform.n_kernels;
  check_memory(need, memory_limit(limit), who,
               std::to_string(n_series) + " series x " + std::to_string(n_features) + " features",
               lower);
}

void check_predict_memory(std::uint64_t need, std::uint64_t limit, const std::string& who,
                          index_t n_series, index_t n_features) {
  if (need <= kUncheckedBytes) return;
  check_memory(need, memory_limit(limit), who,
               std::to_string(n_series) + " series x " + std::to_string(n_features) + " features",
               "predict fewer series at a time");
}

std::uint64_t pipeline_predict_memory(const Panel& x, const DilatedKernelTransform& transform,
                                      bool float32, index_t n_targets) {
  const std::size_t value_bytes = float32 ? sizeof(float) : sizeof(double);
  const auto values = static_cast<std::uint64_t>(x.n_series()) *
                      static_cast<std::uint64_t>(std::max<index_t>(n_targets, 1)) * 8;
  return transform.transform_memory(x, value_bytes) + values;
}

}  // namespace strider::detail
