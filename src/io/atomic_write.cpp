#include "strider/io/atomic_write.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace strider::io {

namespace {

// ".tmp.<pid>.<thread>.<counter>": unique among the threads and processes that share a
// directory. DiskCache::clear() recognises stray temporary files by the ".tmp." part.
std::string unique_temp_suffix() {
  static std::atomic<unsigned long long> counter{0};
  const auto thread = std::hash<std::thread::id>{}(std::this_thread::get_id());
  return ".tmp." + std::to_string(::getpid()) + "." + std::to_string(thread) + "." +
         std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
}

[[noreturn]] void fail(std::string_view who, const std::filesystem::path& path,
                       const std::string& reason) {
  std::string message;
  if (!who.empty()) message.append(who).append(": ");
  throw std::runtime_error(message + "cannot write '" + path.string() + "': " + reason);
}

[[noreturn]] void fail(std::string_view who, const std::filesystem::path& path, const char* step,
                       int err) {
  fail(who, path, std::string(step) + " failed (" + std::strerror(err) + ")");
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                       std::string_view who) {
  if (path.filename().empty()) fail(who, path, "not a file name");
  std::filesystem::path tmp = path;
  tmp += unique_temp_suffix();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(who, path, "creating the temporary file", errno);
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(who, path, "write", err);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(who, path, "close", err);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(who, path, "rename", err);
  }
}

}  // namespace strider::io
