#include "strider/utils/timer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

namespace strider::utils {
namespace {

using namespace std::chrono_literals;

TEST(UtilsTimer, ScopedTimerReportsAtTheEndOfTheScope) {
  std::string label;
  TimeSpan span;
  int reports = 0;
  {
    ScopedTimer t("step", [&](const std::string& l, const TimeSpan& s) {
      label = l;
      span = s;
      ++reports;
    });
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(reports, 0);
    EXPECT_GE(t.elapsed().wall, 0.029);
  }
  EXPECT_EQ(reports, 1);
  EXPECT_EQ(label, "step");
  EXPECT_GE(span.wall, 0.029);

  std::ostringstream out;
  { ScopedTimer t("fit", out); }
  EXPECT_EQ(out.str().rfind("fit: wall ", 0), 0u) << out.str();
  EXPECT_NE(out.str().find(" cpu/wall "), std::string::npos);
  EXPECT_EQ(out.str().back(), '\n');

  // A throwing callback does not escape the destructor.
  EXPECT_NO_THROW({ ScopedTimer t("x", [](const std::string&, const TimeSpan&) { throw 1; }); });
}

TEST(UtilsTimer, ToString) {
  EXPECT_EQ(to_string(TimeSpan{1.2344, 2.5}), "wall 1.234 s  cpu 2.500 s  cpu/wall 2.03");
}

TEST(UtilsTimer, FormatsBytesInBinaryUnits) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1536), "1.50 KiB");
  EXPECT_EQ(format_bytes(240000000), "228.9 MiB");  // the document's 30e6 * 8 B
  EXPECT_EQ(format_bytes(30000000), "28.6 MiB");    // ... and 30e6 * 1 B
  EXPECT_EQ(format_bytes(std::int64_t{2} << 30), "2.00 GiB");
}

}  // namespace
}  // namespace strider::utils
