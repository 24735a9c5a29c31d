#pragma once
/// @file timer.hpp
/// @brief Wall time, CPU time and their ratio (the effective parallel speedup), and the
/// process's resident memory: what `strider evaluate` reports.
///
/// Source: seed 001 ("A Note about Time": contexttimer with time.perf_counter for wall
/// time and time.process_time for CPU time; "Effective Parallel Speedup = CPU / wall":
/// 12.68 for 32 jobs of wait_loop_nogil(1000) on 16 threads, wall 1.28 s, CPU 16.2 s;
/// Wall < CPU: parallel speedup, Wall = CPU: stalled on locks, Wall > CPU: stalled on IO
/// or the scheduler) and seed 004 (`time` real/user/sys, memory_profiler/mprof for the
/// memory used: 229 MiB for a 30,000,000-entry Python list of booleans, 28.6 MiB as a
/// numpy bool array).
///
/// Definitions used here:
/// - wall time: std::chrono::steady_clock (monotonic, like time.perf_counter);
/// - CPU time: clock_gettime(CLOCK_PROCESS_CPUTIME_ID), user + system time of *all
///   threads of this process* (like time.process_time);
/// - ratio = CPU / wall. With n busy threads it approaches n; it is not a speedup over a
///   serial run (that needs two runs) but the average number of busy cores.
/// Caveats the document does not state: CPU time does not include child processes, so
/// its "0.035 speedup" of joblib's process backend measures only the parent process
/// sleeping, not the workers; and threads that spin while waiting (OpenMP's default
/// wait policy) count as busy, so the ratio overstates useful work when threads idle.
/// Also, Linux adds the CPU time of threads running on other cores at scheduler ticks
/// (every few ms): over intervals shorter than ~10 ms the ratio undercounts them.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace strider::utils {

/// Seconds of process CPU time (all threads, user + system), CLOCK_PROCESS_CPUTIME_ID.
double process_cpu_seconds() noexcept;

/// Seconds on the monotonic wall clock since an arbitrary origin (steady_clock).
double wall_seconds() noexcept;

/// A wall and CPU time interval, and their ratio.
struct TimeSpan {
  double wall = 0.0;  ///< wall-clock seconds
  double cpu = 0.0;   ///< process CPU seconds, all threads
  /// CPU / wall: about the number of busy cores (0 when wall is 0).
  double cpu_wall_ratio() const noexcept { return wall > 0.0 ? cpu / wall : 0.0; }
};

/// "wall 1.234 s  cpu 2.345 s  cpu/wall 1.90"
std::string to_string(const TimeSpan& span);

/**
 * @brief Accumulates wall and CPU time over start()/stop() intervals.
 *
 * Not thread-safe: one thread starts and stops it (the CPU time it reads covers all
 * threads of the process anyway).
 */
class Stopwatch {
 public:
  /// @param start_now start at once (the usual case) or wait for start()
  explicit Stopwatch(bool start_now = true) noexcept;

  /// Starts an interval; no effect when running.
  void start() noexcept;
  /// Ends the interval and adds it to the total; no effect when stopped.
  void stop() noexcept;
  /// Zero total; keeps running if it was.
  void reset() noexcept;
  bool running() const noexcept { return running_; }

  /// Total of the finished intervals plus the running one so far.
  TimeSpan elapsed() const noexcept;
  double wall_seconds() const noexcept { return elapsed().wall; }
  double cpu_seconds() const noexcept { return elapsed().cpu; }

 private:
  bool running_ = false;
  TimeSpan total_;
  double wall_start_ = 0.0;
  double cpu_start_ = 0.0;
};

/**
 * @brief Times a scope and reports it when the scope ends.
 *
 *     {
 *       ScopedTimer t("fit", std::cerr);  // prints "fit: wall 1.234 s  cpu 2.345 s ..."
 *       model.fit(x, y);
 *     }
 *     ScopedTimer t("transform", [&](const std::string&, const TimeSpan& s) { log(s); });
 */
class ScopedTimer {
 public:
  using Callback = std::function<void(const std::string& label, const TimeSpan& span)>;

  /// Reports to `callback` at destruction (exceptions from it are swallowed there).
  ScopedTimer(std::string label, Callback callback);
  /// Writes "label: wall ... s  cpu ... s  cpu/wall ...\n" to `out` at destruction.
  ScopedTimer(std::string label, std::ostream& out);
  ~ScopedTimer();

  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

  /// The time since construction, without reporting.
  TimeSpan elapsed() const noexcept { return watch_.elapsed(); }

 private:
  std::string label_;
  Callback callback_;
  Stopwatch watch_;
};

/**
 * @brief Peak resident set size of this process so far, in bytes: the larger of
 * getrusage's ru_maxrss (the high-water mark, in KiB on Linux; the kernel updates it
 * lazily, a few pages behind) and current_rss_bytes(), so it is never below the latter.
 * @return bytes, or 0 when the platform does not report it
 */
std::int64_t peak_rss_bytes() noexcept;

/**
 * @brief Current resident set size of this process, in bytes (/proc/self/statm).
 * @return bytes, or 0 when the platform does not report it (no /proc)
 */
std::int64_t current_rss_bytes() noexcept;

/// "512 B", "1.50 KiB", "228.9 MiB", "2.00 GiB": binary units (1 KiB = 1024 B), as the
/// document's memory figures.
std::string format_bytes(std::int64_t bytes);

}  // namespace strider::utils
