#include "transform/feature_engine.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "strider/parallel.hpp"
#include "transform/input_channels.hpp"
#include "transform/simd.hpp"

namespace strider::detail {

namespace {

/// Kernels per unit of parallel work: enough to amortise preparing the series, few
/// enough to balance the threads when there are few series.
constexpr index_t kKernelBlock = 256;

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

/// One thread's buffers, reused from one unit of work to the next.
template <class T>
struct Scratch {
  std::vector<T> x;                   // pad zeros, the series in T, zeros (FeatureRunFn)
  std::vector<double> prep;           // the prepared channel, with preprocessing
  WindowBuffers<T> windows;           // the shape kernels' window statistics
  index_t series = -1, channel = -1;  // what x holds now
};

/// The shared, read-only state of one transform and its unit of work.
template <class T>
class FeatureJob {
 public:
  FeatureJob(const Panel& x, const KernelPlan& plan, const DilatedKernelTransformParams& p,
             RowMatrix<T>& out)
      : x_(x),
        p_(p),
        entries_(plan.entries.data()),
        values_(plan.values<T>()),
        run_(feature_run_function<T>(active_simd_level())),
        out_(out.data()),
        prepare_(needs_preprocessing(p)),
        n_series_(x.n_series()),
        n_kernels_(static_cast<index_t>(plan.entries.size())),
        per_kernel_(p.features_per_kernel()),
        pad_(plan.max_padding),
        // see FeatureRunFn for the sizes
        x_stride_(pad_ + std::max(x.max_length() + pad_, plan.max_span) + kFeatureSlack) {}

  index_t n_items() const { return n_series_ * ((n_kernels_ + kKernelBlock - 1) / kKernelBlock); }

  void init(Scratch<T>& s) const {
    s.x.assign(static_cast<std::size_t>(x_stride_), T(0));
    if (prepare_) s.prep.assign(static_cast<std::size_t>(x_.max_length()), 0.0);
  }

  /// The features of one block of kernels on one series. Block-major: threads working at
  /// the same time write different rows (no false sharing), and a block's kernel values
  /// stay in cache from one series to the next.
  void run_item(index_t item, Scratch<T>& s) const {
    const index_t b = item / n_series_, n = item % n_series_;
    const PlanEntry* first = entries_ + b * kKernelBlock;
    const PlanEntry* const last = entries_ + std::min(n_kernels_, (b + 1) * kKernelBlock);
    T* const row = out_ + n * per_kernel_ * n_kernels_;
    while (first != last) {  // one run of kernels per channel
      const index_t c = first->channel;
      const PlanEntry* run_end = first;
      while (run_end != last && run_end->channel == c)
        ++run_end;
      load(s, n, c);
      run_(s.x.data() + pad_, x_.length(n), first, run_end, values_, row, per_kernel_, s.windows);
      first = run_end;
    }
  }

 private:
  /// Puts channel c of series n, prepared and converted to T, into s.x (unless there).
  void load(Scratch<T>& s, index_t n, index_t c) const {
    if (s.series == n && s.channel == c) return;
    const index_t len = x_.length(n);
    T* const x0 = s.x.data() + pad_;
    const double* src = x_.series(n, c);
    if (prepare_) {
      prepare_channel(x_, n, c, p_, s.prep.data());
      src = s.prep.data();
    }
    std::transform(src, src + len, x0, [](double v) { return static_cast<T>(v); });
    std::fill(x0 + len, s.x.data() + x_stride_, T(0));
    s.series = n;
    s.channel = c;
  }

  const Panel& x_;
  const DilatedKernelTransformParams& p_;
  const PlanEntry* entries_;
  const T* values_;
  FeatureRunFn<T> run_;
  T* out_;
  bool prepare_;
  index_t n_series_, n_kernels_, per_kernel_, pad_, x_stride_;
};

}  // namespace

template <class T>
RowMatrix<T> compute_features(const Panel& x, const KernelPlan& plan,
                              const DilatedKernelTransformParams& p, int n_threads,
                              const DilatedKernelTransform::ProgressCallback& progress) {
  RowMatrix<T> out(x.n_series(),
                   p.features_per_kernel() * static_cast<index_t>(plan.entries.size()));
  if (x.n_series() == 0) return out;
  advise_huge_pages(out.data(), static_cast<std::size_t>(out.size()) * sizeof(T));
  const FeatureJob<T> job(x, plan, p, out);
  std::vector<Scratch<T>> scratch(static_cast<std::size_t>(n_threads));
  for (Scratch<T>& s : scratch)
    job.init(s);
  ProgressReporter reporter(progress, job.n_items());
  parallel_for(
      0, job.n_items(), n_threads,
      [&](index_t item) {
        job.run_item(item, scratch[static_cast<std::size_t>(thread_index())]);
        reporter.item_done();
      },
      1);
  reporter.finish();
  return out;
}

template RowMatrix<double> compute_features<double>(
    const Panel&, const KernelPlan&, const DilatedKernelTransformParams&, int,
    const DilatedKernelTransform::ProgressCallback&);
template RowMatrix<float> compute_features<float>(const Panel&, const KernelPlan&,
                                                  const DilatedKernelTransformParams&, int,
                                                  const DilatedKernelTransform::ProgressCallback&);

}  // namespace strider::detail
