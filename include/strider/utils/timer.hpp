#pragma once
/// @file utils/timer.hpp
/// @brief Reporting time and memory: a scope timer, a time span as text, byte counts in
/// binary units. The measurements themselves (Stopwatch, TimeSpan, process_cpu_seconds,
/// peak_rss_bytes, current_rss_bytes) are the core's, in strider/stopwatch.hpp.
///
/// The timing talks this follows measure wall time with time.perf_counter and CPU time
/// with time.process_time (contexttimer), and call CPU / wall the "effective parallel
/// speedup" (wall < CPU: parallel speedup, wall = CPU: stalled on locks, wall > CPU:
/// stalled on IO or the scheduler); memory with memory_profiler. CPU time here covers the
/// whole process but not its child processes, so a process-based pool's workers are not
/// counted (see stopwatch.hpp for the other caveats).

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include "strider/stopwatch.hpp"

namespace strider::utils {

/// "wall 1.234 s  cpu 2.345 s  cpu/wall 1.90"
std::string to_string(const TimeSpan& span);

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

/// "512 B", "1.50 KiB", "228.9 MiB", "2.00 GiB": binary units (1 KiB = 1024 B).
std::string format_bytes(std::int64_t bytes);

}  // namespace strider::utils
