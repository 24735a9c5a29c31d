#include "strider/utils/disk_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "strider/version.hpp"
#include "test_support.hpp"

namespace strider::utils {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// The slow function of the document's example, in spirit: a statistic of a sample.
double mean_of(const std::vector<double>& x) {
  double s = 0;
  for (const double v : x)
    s += v;
  return x.empty() ? 0.0 : s / static_cast<double>(x.size());
}

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().string().ends_with(DiskCache::kExtension)) out.push_back(e.path());
  return out;
}

TEST(UtilsDiskCache, SecondCallIsServedFromDisk) {
  TempDir dir;
  DiskCache cache(dir / "cache");
  int calls = 0;
  const auto f = [&](const std::vector<double>& x) {
    ++calls;
    return mean_of(x);
  };
  const std::vector<double> sample = {1.0, 2.0, 4.5};
  EXPECT_EQ(cache.call("mean", f, sample), 2.5);
  EXPECT_EQ(cache.call("mean", f, sample), 2.5);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(entries(cache.dir()).size(), 1u);

  // Another cache object on the same directory (another run) finds it too.
  DiskCache again(dir / "cache");
  EXPECT_EQ(again.call("mean", f, sample), 2.5);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(again.hits(), 1u);
}

TEST(UtilsDiskCache, KeyIncludesNameArgumentsAndResultType) {
  TempDir dir;
  DiskCache cache(dir.path());
  int calls = 0;
  const auto twice = [&](int x, const std::string& s) {
    ++calls;
    return std::to_string(2 * x) + s;
  };
  EXPECT_EQ(cache.call("f", twice, 1, std::string("a")), "2a");
  EXPECT_EQ(cache.call("f", twice, 2, std::string("a")), "4a");
  EXPECT_EQ(cache.call("f", twice, 1, std::string("b")), "2b");
  EXPECT_EQ(cache.call("g", twice, 1, std::string("a")), "2a");
  EXPECT_EQ(calls, 4);
  // Same name and arguments, another result type: a separate entry, not a misread.
  const auto as_double = [](int x, const std::string&) { return 0.5 * x; };
  EXPECT_EQ(cache.call("f", as_double, 1, std::string("a")), 0.5);
  EXPECT_EQ(cache.misses(), 5u);
  EXPECT_EQ(cache.call("f", twice, 2, std::string("a")), "4a");
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(entries(dir.path()).size(), 5u);
  // No arguments at all.
  EXPECT_EQ(cache.call("constant",
                       [] {
                         return std::vector<int>{1, 2, 3};
                       }),
            (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(cache.call("constant", [] { return std::vector<int>{}; }), (std::vector<int>{1, 2, 3}));
}

// Every way an entry can be wrong makes it a miss: the result is recomputed (correctly)
// and the entry rewritten.
TEST(UtilsDiskCache, CorruptTruncatedForeignAndOtherVersionEntriesAreRecomputed) {
  TempDir dir;
  DiskCache cache(dir.path());
  const std::vector<double> sample = {3.0, 5.0};
  const auto f = [](const std::vector<double>& x) { return mean_of(x); };
  ASSERT_EQ(cache.call("mean", f, sample), 4.0);
  const fs::path entry = entries(dir.path()).at(0);
  const std::string good = test::read_file(entry);

  std::vector<std::string> bad;
  std::string flipped = good;
  flipped.back() = static_cast<char>(flipped.back() ^ 0x01);  // a bit of the result
  bad.push_back(flipped);
  bad.push_back(good.substr(0, good.size() - 3));  // truncated
  bad.push_back(good.substr(0, 10));               // truncated in the header
  bad.push_back("");                               // empty
  bad.push_back(std::string(200, '\xff'));         // foreign
  std::string other_version = good;
  const std::string v = version_string;
  const auto pos = other_version.find(v);
  ASSERT_NE(pos, std::string::npos);
  other_version[pos] = static_cast<char>(other_version[pos] + 1);  // "0.1.0" -> "1.1.0"
  bad.push_back(other_version);
  std::string huge_length = good;  // the name's length field claims 4 GiB
  huge_length[12] = huge_length[13] = huge_length[14] = huge_length[15] = '\xff';
  bad.push_back(huge_length);

  std::uint64_t expected_misses = 1;
  for (std::size_t k = 0; k < bad.size(); ++k) {
    test::write_file(entry, bad[k]);
    EXPECT_EQ(cache.call("mean", f, sample), 4.0) << "case " << k;
    EXPECT_EQ(cache.misses(), ++expected_misses) << "case " << k;
    EXPECT_EQ(test::read_file(entry), good) << "case " << k << ": entry not rewritten";
  }
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.call("mean", f, sample), 4.0);
  EXPECT_EQ(cache.hits(), 1u);
}

// A key collision, simulated: the entry of call A is placed where call B's entry lives.
// Its header names other arguments, so B must not be served A's result.
TEST(UtilsDiskCache, AnEntryForOtherArgumentsIsNeverTrusted) {
  TempDir dir;
  DiskCache cache(dir.path());
  const auto f = [](const std::vector<double>& x) { return mean_of(x); };
  const std::vector<double> a = {1.0}, b = {2.0};
  ASSERT_EQ(cache.call("mean", f, a), 1.0);
  const fs::path entry_a = entries(dir.path()).at(0);
  ASSERT_EQ(cache.call("mean", f, b), 2.0);
  fs::path entry_b;
  for (const auto& e : entries(dir.path()))
    if (e != entry_a) entry_b = e;
  fs::copy_file(entry_a, entry_b, fs::copy_options::overwrite_existing);
  EXPECT_EQ(cache.call("mean", f, b), 2.0);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 3u);
  // And an entry of another function name with the same arguments.
  ASSERT_EQ(cache.call(
                "other", [](const std::vector<double>&) { return -1.0; }, a),
            -1.0);
  for (const auto& e : entries(dir.path()))
    if (e.filename().string().starts_with("other-"))
      fs::copy_file(e, entry_a, fs::copy_options::overwrite_existing);
  EXPECT_EQ(cache.call("mean", f, a), 1.0);
  EXPECT_EQ(cache.hits(), 0u);
}

TEST(UtilsDiskCache, ExceptionsPropagateAndStoreNothing) {
  TempDir dir;
  DiskCache cache(dir.path());
  EXPECT_THROW(cache.call(
                   "boom", [](int) -> int { throw std::domain_error("x"); }, 1),
               std::domain_error);
  EXPECT_TRUE(entries(dir.path()).empty());
  EXPECT_EQ(cache.call(
                "boom", [](int x) { return x; }, 1),
            1);
}

TEST(UtilsDiskCache, ClearRemovesOnlyCacheEntries) {
  TempDir dir;
  DiskCache cache(dir.path());
  test::write_file(dir / "keep.txt", "not ours");
  test::write_file(dir / (std::string("x") + DiskCache::kExtension + ".tmp.1.2.3"), "stray");
  for (int i = 0; i < 4; ++i)
    cache.call(
        "id", [](int x) { return x; }, i);
  EXPECT_EQ(cache.clear(), 4u);
  EXPECT_TRUE(entries(dir.path()).empty());
  EXPECT_TRUE(fs::exists(dir / "keep.txt"));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u) << "the stray temporary file must be gone, keep.txt kept";
  cache.call(
      "id", [](int x) { return x; }, 0);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 5u);
}

TEST(UtilsDiskCache, FailingToStoreStillReturnsTheResult) {
  TempDir dir;
  DiskCache cache(dir / "c");
  fs::remove_all(dir / "c");  // the directory vanished (works even when running as root)
  EXPECT_EQ(cache.call(
                "f", [](int x) { return x * 3; }, 5),
            15);
  EXPECT_EQ(cache.write_errors(), 1u);
}

TEST(UtilsDiskCache, RejectsBadDirectoriesAndNames) {
  TempDir dir;
  EXPECT_THROW(DiskCache(""), std::invalid_argument);
  test::write_file(dir / "file", "x");
  EXPECT_THROW(DiskCache(dir / "file"), std::runtime_error);
  DiskCache cache(dir / "ok");
  EXPECT_THROW(cache.call("", [] { return 1; }), std::invalid_argument);
}

TEST(UtilsDiskCache, ThreadsSharingADirectoryGetCorrectResults) {
  TempDir dir;
  DiskCache cache(dir.path());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        const int key = (i + t) % 3;
        const std::vector<double> x(1000, static_cast<double>(key));
        if (cache.call(
                "mean", [](const std::vector<double>& v) { return mean_of(v); }, x) != key)
          ++wrong;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(cache.hits() + cache.misses(), 180u);
  EXPECT_EQ(entries(dir.path()).size(), 3u);
  EXPECT_EQ(cache.write_errors(), 0u);
}

// Several processes hammer the same keys of one directory: every call gets the right
// value (no half-written entry is ever read), and the final entries are valid.
TEST(UtilsDiskCache, ProcessesSharingADirectoryAreSafe) {
  TempDir dir;
  const fs::path path = dir.path();
  std::vector<pid_t> children;
  for (int c = 0; c < 3; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {  // child: no gtest macros, leave with _exit
      int status = 0;
      try {
        DiskCache cache(path);
        for (int i = 0; i < 40; ++i) {
          const int key = (i * 7 + c) % 4;
          const std::vector<double> x(20000, static_cast<double>(key));
          const double m = cache.call(
              "mean", [](const std::vector<double>& v) { return mean_of(v); }, x);
          if (m != key) status = 1;
        }
      } catch (...) {
        status = 2;
      }
      ::_exit(status);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a child process read a wrong value";
  }
  DiskCache cache(path);
  for (int key = 0; key < 4; ++key) {
    const std::vector<double> x(20000, static_cast<double>(key));
    EXPECT_EQ(cache.call(
                  "mean", [](const std::vector<double>&) { return -1.0; }, x),
              key);
  }
  EXPECT_EQ(cache.hits(), 4u);
  EXPECT_EQ(entries(path).size(), 4u);
}

TEST(UtilsDiskCache, Hash128IsDeterministicAndSensitive) {
  EXPECT_EQ(hash128("abc"), hash128("abc"));
  EXPECT_NE(hash128("abc"), hash128("abd"));
  EXPECT_NE(hash128("abc", 1), hash128("abc", 2));
  EXPECT_NE(hash128("a"), hash128(std::string("a\0", 2)));  // trailing zero bytes count
  EXPECT_NE(hash128(""), hash128(std::string(1, '\0')));
  // Flipping any single bit of a 24-byte input changes both 64-bit halves, and the
  // 24 * 8 + 1 results are all distinct.
  std::string s = "0123456789abcdefghijklmn";
  std::set<std::uint64_t> his, los;
  const Hash128 base = hash128(s);
  his.insert(base.hi);
  los.insert(base.lo);
  for (std::size_t byte = 0; byte < s.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string t = s;
      t[byte] = static_cast<char>(t[byte] ^ (1 << bit));
      const Hash128 h = hash128(t);
      EXPECT_NE(h.hi, base.hi);
      EXPECT_NE(h.lo, base.lo);
      his.insert(h.hi);
      los.insert(h.lo);
    }
  }
  EXPECT_EQ(his.size(), 24u * 8 + 1);
  EXPECT_EQ(los.size(), 24u * 8 + 1);
}

}  // namespace
}  // namespace strider::utils
