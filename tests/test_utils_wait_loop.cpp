#include "strider/utils/wait_loop.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace strider::utils {
namespace {

// sum_{m<n} sum_{l<m} (l + 4) = sum_{m<n} [m (m - 1) / 2 + 4 m], exact in integers.
double closed_form(index_t n) {
  double s = 0;
  for (index_t m = 0; m < n; ++m)
    s += static_cast<double>(m * (m - 1) / 2 + 4 * m);
  return s;
}

TEST(UtilsWaitLoop, SmallCasesAreExact) {
  for (const index_t n : {0, 1}) {
    EXPECT_EQ(wait_loop_plain(n), 0.0);
    EXPECT_EQ(wait_loop(n, 2), 0.0);
  }
  // n = 2: one pass, sqrt(4)^2 = 4 exactly; n = 3: 4 + (4 + 5 up to rounding).
  EXPECT_EQ(wait_loop_plain(2), 4.0);
  EXPECT_EQ(wait_loop(2, 2), 4.0);
  EXPECT_NEAR(wait_loop(3, 2), 13.0, 1e-14);
}

TEST(UtilsWaitLoop, MatchesTheClosedForm) {
  for (const index_t n : {10, 257, 1000}) {
    const double expected = closed_form(n);
    EXPECT_NEAR(wait_loop_plain(n), expected, 1e-13 * expected) << n;
    EXPECT_NEAR(wait_loop(n, 2), expected, 1e-13 * expected) << n;
  }
}

TEST(UtilsWaitLoop, SameBitsForAnyThreadCount) {
  const double one = wait_loop(1500, 1);
  for (const int n_jobs : {2, 3, 7, -1})
    EXPECT_EQ(wait_loop(1500, n_jobs), one) << "n_jobs = " << n_jobs;
}

TEST(UtilsWaitLoop, RejectsBadArguments) {
  EXPECT_THROW(wait_loop_plain(-1), std::invalid_argument);
  EXPECT_THROW(wait_loop(-1, 1), std::invalid_argument);
  EXPECT_THROW(wait_loop(10, 0), std::invalid_argument);
}

}  // namespace
}  // namespace strider::utils
