#pragma once
/// @file parallel.hpp
/// @brief Thread-count control and exception-safe OpenMP loops.
///
/// Conventions (LightGBM, faiss):
/// - `n_jobs`: -1 uses every core, k >= 1 exactly k threads, -k (k >= 2) all cores but
///   k - 1 (joblib's rule, at least one thread); 0 is rejected.
/// - Every parallel region names its thread count; global OpenMP state is never changed.
/// - No exception escapes an OpenMP region: the first one is captured and rethrown
///   once the region has ended.
/// Without OpenMP (the `nomp` preset) everything here runs serially and is still correct.
/// This header does not include <omp.h>: the templates below only use `#pragma omp`, and
/// the OpenMP runtime calls live in src/parallel.cpp, so users need no OpenMP headers.

#include <atomic>
#include <exception>
#include <mutex>
#include <utility>

#include "strider/types.hpp"

namespace strider {

/// Number of processors available to this process (1 without OpenMP).
int available_cores() noexcept;

/// True when the library was built with OpenMP.
constexpr bool openmp_enabled() noexcept {
#ifdef _OPENMP
  return true;
#else
  return false;
#endif
}

/// Threads per core above which a request is capped (see max_threads()).
inline constexpr int kThreadsPerCore = 4;
/// The cap is never below this many threads, so small machines can still test
/// thread-count independence with several threads.
inline constexpr int kMinThreadCap = 8;

/// Most threads resolve_n_jobs() gives: max(kMinThreadCap, kThreadsPerCore x cores).
/// More only adds overhead to CPU-bound work, and a runaway count (n_jobs = 100000) could
/// exhaust the thread or memory limits of the OpenMP runtime.
int max_threads() noexcept;

/**
 * @brief Turns an sklearn-style `n_jobs` into a thread count.
 * @param n_jobs -1 (all cores), k >= 1 (k, capped at max_threads(); results do not depend
 *               on the thread count), -k with k >= 2 (all cores but k - 1)
 * @param who    the caller, for the error message (e.g. "DilatedKernelTransform")
 * @return the number of threads to use, at least 1 (always 1 without OpenMP)
 * @throws std::invalid_argument when n_jobs == 0
 */
int resolve_n_jobs(int n_jobs, const char* who = "n_jobs");

/// Throws std::invalid_argument when n_jobs == 0; for constructors that validate params.
void check_n_jobs(int n_jobs, const char* who);

/// Index of the calling thread inside a parallel region (0 outside one or without OpenMP).
int thread_index() noexcept;

/// Captures the first exception thrown by work run inside a parallel region so that it
/// can be rethrown on the calling thread after the region ends.
class ExceptionCatcher {
 public:
  /// Runs f(); if it throws, stores the exception (the first one wins) and returns.
  template <class F>
  void run(F&& f) noexcept {
    if (failed_.load(std::memory_order_relaxed)) return;  // skip remaining work
    try {
      std::forward<F>(f)();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }
  bool failed() const noexcept { return failed_.load(std::memory_order_relaxed); }
  /// Rethrows the captured exception, if any. Call after the parallel region.
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
};

/**
 * @brief Calls f(i) for every i in [begin, end) on `n_threads` threads.
 *
 * Iterations are handed out dynamically in chunks of `chunk`; f must only write to
 * state owned by iteration i, so the result does not depend on the thread count.
 * The first exception thrown by f is rethrown after all threads stopped; iterations
 * not yet started when it happened are skipped.
 * @param n_threads a thread count already resolved by resolve_n_jobs()
 */
template <class F>
void parallel_for(index_t begin, index_t end, int n_threads, F&& f, index_t chunk = 1) {
  if (end <= begin) return;
  ExceptionCatcher catcher;
#ifdef _OPENMP
  const bool parallel = n_threads > 1 && end - begin > 1;
#pragma omp parallel for schedule(dynamic, chunk) num_threads(n_threads) if (parallel)
  for (index_t i = begin; i < end; ++i) {
    catcher.run([&] { f(i); });
  }
#else
  (void)n_threads;
  (void)chunk;
  for (index_t i = begin; i < end; ++i) {
    catcher.run([&] { f(i); });
  }
#endif
  catcher.rethrow();
}

}  // namespace strider
