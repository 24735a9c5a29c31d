#pragma once
/// @file stopwatch.hpp
/// @brief Wall time, CPU time and their ratio (about the number of busy cores), and the
/// process's resident memory: what `strider evaluate` reports.
///
/// Definitions:
/// - wall time: std::chrono::steady_clock (monotonic, like Python's time.perf_counter);
/// - CPU time: clock_gettime(CLOCK_PROCESS_CPUTIME_ID), user + system time of *all
///   threads of this process* (like time.process_time);
/// - ratio = CPU / wall. With n busy threads it approaches n; it is not a speedup over a
///   serial run (that needs two runs) but the average number of busy cores.
/// Caveats: CPU time does not include child processes; threads that spin while waiting
/// (OpenMP's default wait policy) count as busy, so the ratio overstates useful work when
/// threads idle; and Linux adds the CPU time of threads running on other cores at
/// scheduler ticks (every few ms), so over intervals shorter than ~10 ms the ratio
/// undercounts them.

#include <cstdint>

namespace strider {

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

}  // namespace strider
