#include "strider/utils/timer.hpp"

#include <cstdio>
#include <ostream>

namespace strider::utils {

std::string to_string(const TimeSpan& span) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "wall %.3f s  cpu %.3f s  cpu/wall %.2f", span.wall, span.cpu,
                span.cpu_wall_ratio());
  return buf;
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
