#include "strider/memory.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

#include "strider/error.hpp"
#include "strider/stopwatch.hpp"

namespace strider {

namespace {

constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

/// The first number in a file such as /sys/fs/cgroup/memory.max ("max" gives kUnlimited).
std::uint64_t read_limit_file(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return kUnlimited;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return kUnlimited;
  }
}

/// The cgroup this process is in, as /proc/self/cgroup names it ("" when unknown).
std::string own_cgroup() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);  // cgroup v2
  }
  return "";
}

std::uint64_t rlimit_bytes(int resource) {
  rlimit r{};
  if (::getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return kUnlimited;
  return static_cast<std::uint64_t>(r.rlim_cur);
}

/// The process' virtual size (first field of /proc/self/statm, in pages); 0 when unknown.
std::uint64_t virtual_size_bytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t pages = 0;
  if (!(in >> pages)) return 0;
  const long page = ::sysconf(_SC_PAGESIZE);
  return pages * static_cast<std::uint64_t>(page > 0 ? page : 4096);
}

void take(MemoryLimit& best, std::uint64_t bytes, const char* source) {
  if (bytes < best.bytes) {
    best.bytes = bytes;
    best.source = source;
  }
}

}  // namespace

MemoryLimit memory_limit(std::uint64_t requested) {
  // Each bound less what the process holds already: its resident size, or for the
  // address-space limit its whole virtual size (thread stacks and libraries count there).
  const auto rss = static_cast<std::uint64_t>(std::max<std::int64_t>(0, current_rss_bytes()));
  const std::uint64_t vsize = virtual_size_bytes();
  auto less = [](std::uint64_t bound, std::uint64_t used) {
    return bound == kUnlimited ? kUnlimited : (bound > used ? bound - used : 0);
  };
  MemoryLimit limit{kUnlimited, ""};
  if (requested > 0) {
    take(limit, less(requested, rss), "set by the caller");
    return limit;
  }
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) {
    const std::uint64_t physical =
        static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
    take(limit, less(physical, rss), "physical memory");
  }
  take(limit, less(rlimit_bytes(RLIMIT_AS), vsize), "address-space limit, ulimit -v");
  take(limit, less(rlimit_bytes(RLIMIT_DATA), rss), "data-segment limit, ulimit -d");
  const std::string group = own_cgroup();
  if (!group.empty()) {
    const std::string path = "/sys/fs/cgroup" + group + "/memory.max";
    take(limit, less(read_limit_file(path.c_str()), rss), "cgroup memory.max");
  }
  take(limit, less(read_limit_file("/sys/fs/cgroup/memory/memory.limit_in_bytes"), rss),
       "cgroup memory.limit_in_bytes");
  return limit;
}

std::string format_bytes(std::uint64_t bytes) {
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  auto value = static_cast<double>(bytes);
  std::size_t u = 0;
  while (value >= 999.5 && u + 1 < std::size(units)) {
    value /= 1000.0;
    ++u;
  }
  char buf[32];
  if (u == 0 || value >= 99.95) {
    std::snprintf(buf, sizeof(buf), "%.0f %s", value, units[u]);
  } else if (value >= 9.995) {
    std::snprintf(buf, sizeof(buf), "%.1f %s", value, units[u]);
  } else {
    std::snprintf(buf, sizeof(buf), "%.2f %s", value, units[u]);
  }
  return buf;
}

void check_memory(std::uint64_t estimate, const MemoryLimit& limit, const std::string& who,
                  const std::string& what, const std::string& advice) {
  if (estimate <= limit.bytes) return;
  throw MemoryLimitError(who + ": needs about " + format_bytes(estimate) + " (" + what +
                             "), more than the " + format_bytes(limit.bytes) + " available (" +
                             limit.source + "); " + advice,
                         static_cast<std::size_t>(estimate), static_cast<std::size_t>(limit.bytes));
}

}  // namespace strider
