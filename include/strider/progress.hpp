#pragma once
/// @file progress.hpp
/// @brief A thread-safe text progress bar on stderr, off unless asked for.
///
/// The bar is one line, redrawn in place with '\r' (what tqdm gives joblib users):
///
///     fit [##########..........]   512/1024  50.0%  elapsed 00:07  eta 00:07
///
/// Redraws are throttled (at most one per `min_interval`, 100 ms by default) so that
/// calling advance() from a tight loop on many threads costs one atomic add and one clock
/// read. A disabled bar writes nothing and costs one atomic add per call. The library never
/// writes to stdout; the bar goes to stderr (or a stream given by the caller, for tests).

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

#include "strider/types.hpp"

namespace strider {

/// A progress bar "label [####....] done/total pct elapsed eta" on one line of stderr.
class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;

  /**
   * @brief A bar for `total` steps, drawn on stderr when `enabled`.
   * @param label   text before the bar (e.g. "transform")
   * @param total   number of steps; 0 is allowed (the bar shows 100% at once)
   * @param enabled draw when true; pass stderr_is_terminal() to draw only for a person
   * @throws std::invalid_argument when total < 0
   */
  ProgressBar(std::string label, index_t total, bool enabled);

  /**
   * @brief As above, drawing on `out` with at most one redraw per `min_interval`
   * (finish() always draws the final state). For tests and for callers with their own
   * log stream.
   * @throws std::invalid_argument when total < 0 or min_interval < 0
   */
  ProgressBar(std::string label, index_t total, bool enabled, std::ostream& out,
              std::chrono::milliseconds min_interval = std::chrono::milliseconds(100));

  /// Calls finish() if it was not called (never throws).
  ~ProgressBar();

  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /**
   * @brief Records `n` more completed steps (thread-safe); redraws when due.
   * Counts past `total` are shown as `total`.
   * @throws std::invalid_argument when n < 0
   */
  void advance(index_t n = 1);

  /**
   * @brief Sets the number of completed steps (thread-safe); redraws when due.
   * @throws std::invalid_argument when done < 0
   */
  void update(index_t done);

  /// Draws the final state and ends the line ('\n'). Idempotent; later advance() and
  /// update() calls still count but no longer draw.
  void finish();

  /// Completed steps so far (as recorded, not clamped).
  index_t done() const noexcept { return done_.load(std::memory_order_relaxed); }
  index_t total() const noexcept { return total_; }
  bool enabled() const noexcept { return enabled_; }
  const std::string& label() const noexcept { return label_; }

  /// True when stderr is a terminal (isatty(2)): the usual test for "draw a bar".
  static bool stderr_is_terminal() noexcept;

  /**
   * @brief The text of one bar line (without '\r' or '\n'): pure, for tests and logs.
   * @param done    completed steps, clamped to [0, total]
   * @param elapsed seconds since the start; the ETA is elapsed * (total - done) / done
   * @param width   number of characters of the bar between the brackets
   */
  static std::string render(const std::string& label, index_t done, index_t total, double elapsed,
                            int width = 30);

 private:
  void maybe_draw();
  void draw_locked(bool final);

  std::string label_;
  index_t total_;
  bool enabled_;
  std::ostream* out_;
  Clock::duration min_interval_;
  Clock::time_point start_;
  std::atomic<index_t> done_{0};
  std::atomic<Clock::rep> next_draw_{0};  // time_since_epoch ticks of the next due redraw
  std::mutex draw_mutex_;
  bool finished_ = false;             // guarded by draw_mutex_
  std::size_t last_line_length_ = 0;  // guarded by draw_mutex_
};

}  // namespace strider
