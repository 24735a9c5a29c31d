#include "strider/progress.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace strider {
namespace {

using std::chrono::milliseconds;

TEST(ProgressBar, RenderShowsCountsPercentElapsedAndEta) {
  EXPECT_EQ(ProgressBar::render("fit", 5, 10, 7.0, 10),
            "fit [#####.....]  5/10  50.0%  elapsed 00:07  eta 00:07");
  // ETA = elapsed * remaining / done = 30 * 3 / 1 = 90 s.
  EXPECT_EQ(ProgressBar::render("", 1, 4, 30.0, 4), "[#...] 1/4  25.0%  elapsed 00:30  eta 01:30");
  EXPECT_EQ(ProgressBar::render("x", 0, 3, 2.0, 3), "x [...] 0/3   0.0%  elapsed 00:02  eta --:--");
  EXPECT_EQ(ProgressBar::render("x", 3, 3, 3725.0, 3),
            "x [###] 3/3 100.0%  elapsed 1:02:05  eta 00:00");
  // Over-counting is shown as complete; an empty job is complete at once.
  EXPECT_EQ(ProgressBar::render("x", 9, 3, 1.0, 3), ProgressBar::render("x", 3, 3, 1.0, 3));
  EXPECT_EQ(ProgressBar::render("x", 0, 0, 0.0, 2), "x [##] 0/0 100.0%  elapsed 00:00  eta 00:00");
}

TEST(ProgressBar, DisabledBarWritesNothing) {
  std::ostringstream out;
  {
    ProgressBar bar("quiet", 100, false, out, milliseconds(0));
    for (int i = 0; i < 100; ++i)
      bar.advance();
    EXPECT_EQ(bar.done(), 100);
    bar.finish();
  }
  EXPECT_TRUE(out.str().empty());
}

TEST(ProgressBar, DrawsEveryUpdateWithoutThrottleAndEndsTheLineOnce) {
  std::ostringstream out;
  {
    ProgressBar bar("job", 3, true, out, milliseconds(0));
    bar.advance();
    bar.update(2);
    bar.advance();
    bar.finish();
    bar.finish();   // idempotent
    bar.advance();  // counted, not drawn
    EXPECT_EQ(bar.done(), 4);
  }  // the destructor does not finish twice
  const std::string s = out.str();
  EXPECT_EQ(std::count(s.begin(), s.end(), '\r'), 5);  // initial + 3 updates + final
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);
  EXPECT_EQ(s.back(), '\n');
  EXPECT_NE(s.find("job ["), std::string::npos);
  const std::string last = s.substr(s.rfind('\r') + 1);
  EXPECT_NE(last.find("3/3 100.0%"), std::string::npos) << last;
}

TEST(ProgressBar, ThrottlesRedraws) {
  std::ostringstream out;
  {
    ProgressBar bar("slow", 1000, true, out, milliseconds(3600 * 1000));
    for (int i = 0; i < 1000; ++i)
      bar.advance();
  }  // destructor finishes
  const std::string s = out.str();
  EXPECT_EQ(std::count(s.begin(), s.end(), '\r'), 2) << "the initial and the final draw only";
  EXPECT_NE(s.find("1000/1000 100.0%"), std::string::npos);
  EXPECT_EQ(s.back(), '\n');
}

TEST(ProgressBar, CountsExactlyFromManyThreads) {
  std::ostringstream out;
  ProgressBar bar("threads", 40000, true, out, milliseconds(0));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i)
        bar.advance();
    });
  }
  for (auto& t : threads)
    t.join();
  bar.finish();
  EXPECT_EQ(bar.done(), 40000);
  const std::string s = out.str();
  EXPECT_NE(s.substr(s.rfind('\r')).find("40000/40000 100.0%"), std::string::npos);
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);
}

TEST(ProgressBar, RejectsNegativeCounts) {
  std::ostringstream out;
  EXPECT_THROW(ProgressBar("x", -1, false), std::invalid_argument);
  EXPECT_THROW(ProgressBar("x", 1, false, out, milliseconds(-1)), std::invalid_argument);
  ProgressBar bar("x", 5, false);
  EXPECT_THROW(bar.advance(-1), std::invalid_argument);
  EXPECT_THROW(bar.update(-3), std::invalid_argument);
}

TEST(ProgressBar, TerminalDetectionFollowsIsatty) {
  EXPECT_EQ(ProgressBar::stderr_is_terminal(), ::isatty(2) == 1);
}

}  // namespace
}  // namespace strider
