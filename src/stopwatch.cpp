#include "strider/stopwatch.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>

#include <sys/resource.h>
#include <unistd.h>

namespace strider {

double process_cpu_seconds() noexcept {
  timespec ts{};
  if (::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return 0.0;
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double wall_seconds() noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Stopwatch::Stopwatch(bool start_now) noexcept {
  if (start_now) start();
}

void Stopwatch::start() noexcept {
  if (running_) return;
  running_ = true;
  wall_start_ = strider::wall_seconds();
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
    wall_start_ = strider::wall_seconds();
    cpu_start_ = process_cpu_seconds();
  }
}

TimeSpan Stopwatch::elapsed() const noexcept {
  TimeSpan t = total_;
  if (running_) {
    t.cpu += process_cpu_seconds() - cpu_start_;
    t.wall += strider::wall_seconds() - wall_start_;
  }
  return t;
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

}  // namespace strider
