#include "strider/utils/timer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <ostream>

#include <sys/resource.h>
#include <unistd.h>

namespace strider::utils {

double process_cpu_seconds() noexcept {
  timespec ts{};
  if (::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return 0.0;
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double wall_seconds() noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string to_string(const TimeSpan& span) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "wall %.3f s  cpu %.3f s  cpu/wall %.2f", span.wall, span.cpu,
                span.cpu_wall_ratio());
  return buf;
}

Stopwatch::Stopwatch(bool start_now) noexcept {
  if (start_now) start();
}

void Stopwatch::start() noexcept {
  if (running_) return;
  running_ = true;
  wall_start_ = utils::wall_seconds();
  cpu_start_ = process_cpu_seconds();
}

void Stopwatch::stop() noexcept {
  if (!running_) return;
  total_ = elapsed();
  running_ = false;
}

void Stopwatch::reset() noexcept {
  total_ = TimeSpan{};
  if (running_) {
    wall_start_ = utils::wall_seconds();
    cpu_start_ = process_cpu_seconds();
  }
}

TimeSpan Stopwatch::elapsed() const noexcept {
  TimeSpan t = total_;
  if (running_) {
    t.cpu += process_cpu_seconds() - cpu_start_;
    t.wall += utils::wall_seconds() - wall_start_;
  }
  return t;
}

ScopedTimer::ScopedTimer(std::string label, Callback callback)
    : label_(std::move(label)), callback_(std::move(callback)) {}

ScopedTimer::ScopedTimer(std::string label, std::ostream& out)
    : ScopedTimer(std::move(label), [&out](const std::string& l, const TimeSpan& s) {
        out << l << ": " << to_string(s) << '\n';
      }) {}

ScopedTimer::~ScopedTimer() {
  watch_.stop();
  if (!callback_) return;
  try {
    callback_(label_, watch_.elapsed());
  } catch (...) {  // a destructor must not throw; a failed report is not worth dying for
  }
}

std::int64_t peak_rss_bytes() noexcept {
  // The kernel folds per-thread RSS counters into ru_maxrss lazily, so it can lag the
  // current RSS by a few pages; the peak is at least what is resident now.
  const std::int64_t now = current_rss_bytes();
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return now;
  return std::max(now, static_cast<std::int64_t>(usage.ru_maxrss) * 1024);  // Linux: KiB
}

std::int64_t current_rss_bytes() noexcept {
  std::ifstream statm("/proc/self/statm");
  long long size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  const long page = ::sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<std::int64_t>(resident_pages) * page : 0;
}

std::string format_bytes(std::int64_t bytes) {
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024 && bytes > -1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes) / 1024.0;
  int u = 0;
  while ((v >= 1024.0 || v <= -1024.0) && u < 3) {
    v /= 1024.0;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, v < 10.0 && v > -10.0 ? "%.2f %s" : "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace strider::utils
