#pragma once
// Helpers shared by the strider::io tests.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <new>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strider/error.hpp"
#include "strider/panel.hpp"

namespace strider::test {

/// Runs `f`, expecting a FormatError whose message reads "<...file>:<line>: ..." and
/// contains `problem`.
template <class F>
void expect_format_error(F&& f, const std::string& file, std::size_t line,
                         const std::string& problem) {
  try {
    f();
    ADD_FAILURE() << "expected a FormatError at " << file << ":" << line << " (" << problem << ")";
  } catch (const FormatError& e) {
    const std::string what = e.what();
    const std::string where = line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
    EXPECT_NE(what.find(where), std::string::npos) << "message: " << what;
    EXPECT_NE(what.find(problem), std::string::npos) << "message: " << what;
    EXPECT_EQ(e.line(), line) << "message: " << what;
  }
}

/// Bitwise equality of two doubles, so NaN == NaN and -0 != +0.
inline bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

/// Same values (bit for bit, inside each series' length), lengths, channels and labels.
inline void expect_same_panel(const Panel& a, const Panel& b) {
  ASSERT_EQ(a.n_series(), b.n_series());
  ASSERT_EQ(a.n_channels(), b.n_channels());
  ASSERT_EQ(a.max_length(), b.max_length());
  ASSERT_EQ(a.lengths(), b.lengths());
  EXPECT_EQ(a.has_labels(), b.has_labels());
  EXPECT_EQ(a.labels(), b.labels());
  for (index_t i = 0; i < a.n_series(); ++i) {
    for (index_t c = 0; c < a.n_channels(); ++c) {
      for (index_t t = 0; t < a.length(i); ++t) {
        ASSERT_TRUE(same_bits(a(i, c, t), b(i, c, t)))
            << "series " << i << " channel " << c << " t " << t << ": " << a(i, c, t) << " vs "
            << b(i, c, t);
      }
    }
  }
}

/// Number of entries in a directory (to check that writers leave no temporary file).
inline std::size_t count_entries(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
    ++n;
  return n;
}

/**
 * Runs `f` in a child process whose address space may grow by at most `headroom` bytes
 * (RLIMIT_AS), so that a reader that would allocate far more than a file holds fails in
 * the child (std::bad_alloc, or an abort) instead of exhausting the machine running the
 * tests. Returns what f did: "FormatError: <what()>", "bad_alloc", "exception: <what()>",
 * "no exception", or "died" when the child ended otherwise (a signal, an abort).
 */
inline std::string outcome_within_memory(const std::function<void()>& f, std::size_t headroom) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    close(fds[0]);
    long pages = 0;  // current address-space size, first field of /proc/self/statm
    if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
      std::fclose(statm);
    }
    rlimit limit{};
    getrlimit(RLIMIT_AS, &limit);
    const rlim_t wanted = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) +
                          static_cast<rlim_t>(headroom);
    if (limit.rlim_max == RLIM_INFINITY || wanted < limit.rlim_max) limit.rlim_cur = wanted;
    setrlimit(RLIMIT_AS, &limit);
    std::string out;
    try {
      f();
      out = "no exception";
    } catch (const FormatError& e) {
      out = std::string("FormatError: ") + e.what();
    } catch (const std::bad_alloc&) {
      out = "bad_alloc";
    } catch (const std::exception& e) {
      out = std::string("exception: ") + e.what();
    }
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
      const ssize_t n = write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    close(fds[1]);
    _exit(0);  // no destructors, no atexit handlers: they belong to the parent
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "died";
  return out;
}

}  // namespace strider::test
