#include "strider/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <unistd.h>

namespace strider {

namespace {

// "mm:ss", or "h:mm:ss" from one hour on.
std::string format_clock(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, index_t total, bool enabled)
    : ProgressBar(std::move(label), total, enabled, std::cerr) {}

ProgressBar::ProgressBar(std::string label, index_t total, bool enabled, std::ostream& out,
                         std::chrono::milliseconds min_interval)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled),
      out_(&out),
      min_interval_(std::chrono::duration_cast<Clock::duration>(min_interval)),
      start_(Clock::now()) {
  if (total < 0) {
    throw std::invalid_argument("ProgressBar: total must be >= 0, got " + std::to_string(total));
  }
  if (min_interval.count() < 0) {
    throw std::invalid_argument("ProgressBar: min_interval must be >= 0 ms, got " +
                                std::to_string(min_interval.count()));
  }
  next_draw_.store((start_ + min_interval_).time_since_epoch().count());
  if (enabled_) {
    std::lock_guard<std::mutex> lock(draw_mutex_);
    draw_locked(false);
  }
}

ProgressBar::~ProgressBar() {
  try {
    finish();
  } catch (...) {  // a destructor never throws; a failed last redraw is not worth dying for
  }
}

void ProgressBar::advance(index_t n) {
  if (n < 0) {
    throw std::invalid_argument("ProgressBar::advance(): n must be >= 0, got " + std::to_string(n));
  }
  done_.fetch_add(n, std::memory_order_relaxed);
  if (enabled_) maybe_draw();
}

void ProgressBar::update(index_t done) {
  if (done < 0) {
    throw std::invalid_argument("ProgressBar::update(): done must be >= 0, got " +
                                std::to_string(done));
  }
  done_.store(done, std::memory_order_relaxed);
  if (enabled_) maybe_draw();
}

void ProgressBar::finish() {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (finished_) return;
  if (enabled_) draw_locked(true);
  finished_ = true;
}

bool ProgressBar::stderr_is_terminal() noexcept {
  return ::isatty(STDERR_FILENO) == 1;
}

void ProgressBar::maybe_draw() {
  const Clock::rep now = Clock::now().time_since_epoch().count();
  Clock::rep due = next_draw_.load(std::memory_order_relaxed);
  if (now < due) return;
  // One thread wins the right to draw this time slot; the others return at once.
  if (!next_draw_.compare_exchange_strong(due, now + min_interval_.count(),
                                          std::memory_order_relaxed)) {
    return;
  }
  std::unique_lock<std::mutex> lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;
  draw_locked(false);
}

void ProgressBar::draw_locked(bool final) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const std::string line = render(label_, done(), total_, elapsed);
  // Blank out what remains of a longer previous line.
  const std::size_t pad = last_line_length_ > line.size() ? last_line_length_ - line.size() : 0;
  *out_ << '\r' << line << std::string(pad, ' ');
  if (final) *out_ << '\n';
  out_->flush();
  last_line_length_ = line.size();
}

std::string ProgressBar::render(const std::string& label, index_t done, index_t total,
                                double elapsed, int width) {
  width = std::max(width, 1);
  done = std::clamp<index_t>(done, 0, total);
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const auto filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(width - filled), '.');
  const double eta = done == total ? 0.0
                     : done > 0
                         ? elapsed * static_cast<double>(total - done) / static_cast<double>(done)
                         : -1.0;
  const int digits = static_cast<int>(std::to_string(total).size());
  char counts[96];
  std::snprintf(counts, sizeof counts, "%*lld/%lld %5.1f%%", digits, static_cast<long long>(done),
                static_cast<long long>(total), 100.0 * fraction);
  std::string line;
  if (!label.empty()) line = label + " ";
  line += "[" + bar + "] " + counts + "  elapsed " + format_clock(elapsed) + "  eta " +
          format_clock(eta);
  return line;
}

}  // namespace strider
