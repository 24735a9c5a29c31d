#include "strider/stopwatch.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <thread>
#include <vector>

namespace strider {
namespace {

using namespace std::chrono_literals;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Burns `seconds` of this thread's CPU time (not wall time: robust on a loaded machine).
void burn_cpu(double seconds) {
  const double until = thread_cpu_seconds() + seconds;
  volatile double sink = 0;
  while (thread_cpu_seconds() < until) {
    for (int i = 0; i < 1000; ++i)
      sink = sink + 1.0;
  }
}

TEST(Stopwatch, SleepingCostsWallTimeNotCpuTime) {
  Stopwatch w;
  std::this_thread::sleep_for(60ms);
  const TimeSpan t = w.elapsed();
  EXPECT_GE(t.wall, 0.059);
  EXPECT_LT(t.cpu, 0.5 * t.wall);
  EXPECT_LT(t.cpu_wall_ratio(), 0.5);
}

TEST(Stopwatch, BusyThreadsAddUpTheirCpuTime) {
  Stopwatch one;
  burn_cpu(0.05);
  one.stop();
  EXPECT_GE(one.cpu_seconds(), 0.049);
  EXPECT_GE(one.wall_seconds(), 0.049);  // one thread cannot use more CPU than wall time

  Stopwatch two;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([] { burn_cpu(0.05); });
  for (auto& t : threads)
    t.join();
  two.stop();
  EXPECT_GE(two.cpu_seconds(), 0.099) << "the CPU time of both threads";
  // With two cores free the ratio approaches 2; on a loaded machine it may not, so only
  // check its definition.
  EXPECT_DOUBLE_EQ(two.elapsed().cpu_wall_ratio(), two.cpu_seconds() / two.wall_seconds());
}

TEST(Stopwatch, AccumulatesIntervalsOnly) {
  Stopwatch w(false);
  EXPECT_FALSE(w.running());
  EXPECT_EQ(w.wall_seconds(), 0.0);
  w.start();
  std::this_thread::sleep_for(20ms);
  w.stop();
  const double first = w.wall_seconds();
  EXPECT_GE(first, 0.019);
  std::this_thread::sleep_for(50ms);  // stopped: not counted
  EXPECT_EQ(w.wall_seconds(), first);
  w.start();
  w.start();  // no effect while running
  std::this_thread::sleep_for(20ms);
  w.stop();
  w.stop();
  EXPECT_GE(w.wall_seconds(), first + 0.019);
  EXPECT_LT(w.wall_seconds(), first + 0.065) << "the stopped 50 ms must not be counted";
  w.reset();
  EXPECT_EQ(w.wall_seconds(), 0.0);
  EXPECT_EQ(w.cpu_seconds(), 0.0);
}

TEST(Stopwatch, RatioOfAnEmptySpanIsZero) {
  EXPECT_EQ(TimeSpan{}.cpu_wall_ratio(), 0.0);
  EXPECT_DOUBLE_EQ((TimeSpan{2.0, 3.0}.cpu_wall_ratio()), 1.5);
}

TEST(Stopwatch, ResidentMemoryGrowsWhenPagesAreTouched) {
  const std::int64_t before = current_rss_bytes();
  const std::int64_t peak_before = peak_rss_bytes();
  ASSERT_GT(before, 0);
  ASSERT_GT(peak_before, 0);
  // Successive reads are moments apart: allow a few pages of heap trimmed or grown between.
  constexpr std::int64_t kSlack = 1 << 20;
  EXPECT_LE(before, peak_before + kSlack);
  constexpr std::size_t kBytes = 64u << 20;
  std::vector<char> block(kBytes);  // value-initialised: every page is written
  for (std::size_t i = 0; i < kBytes; i += 4096)
    block[i] = static_cast<char>(i);
  volatile char keep = block[kBytes / 2];
  (void)keep;
  const std::int64_t during = current_rss_bytes();
  EXPECT_GE(during - before, static_cast<std::int64_t>(kBytes) / 2);  // margin: other pages
  // of the process (e.g. its code) may be reclaimed meanwhile on a busy machine
  EXPECT_GE(peak_rss_bytes(), during - kSlack);
  block = std::vector<char>();  // released: the current size falls, the peak stays
  // (the kernel's high-water mark may also lag the counts statm showed by a few pages)
  EXPECT_GE(peak_rss_bytes(), during - kSlack);
#if !defined(__SANITIZE_ADDRESS__) && !defined(STRIDER_SANITIZED)  // ASan keeps freed memory
  // in quarantine, resident
  EXPECT_LT(current_rss_bytes(), during - static_cast<std::int64_t>(kBytes) / 2);
#endif
}

}  // namespace
}  // namespace strider
