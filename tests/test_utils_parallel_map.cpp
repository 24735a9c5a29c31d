#include "strider/utils/parallel_map.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <list>
#include <memory>
#include <numeric>
#include <ranges>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "strider/parallel.hpp"
#include "strider/random.hpp"
#include "strider/utils/parallel_reduce.hpp"

namespace strider::utils {
namespace {

ParallelMapOptions jobs(int n) {
  ParallelMapOptions o;
  o.n_jobs = n;
  return o;
}

TEST(UtilsParallelMap, ResultsAreInInputOrderForAnyThreadCount) {
  std::vector<int> xs(1000);
  std::iota(xs.begin(), xs.end(), -500);
  std::vector<double> expected;
  for (const int x : xs)
    expected.push_back(std::sqrt(static_cast<double>(x * x)));
  for (const int n_jobs : {1, 2, 3, -1}) {
    const auto out = parallel_map(
        xs, [](int x) { return std::sqrt(static_cast<double>(x * x)); }, jobs(n_jobs));
    EXPECT_EQ(out, expected) << "n_jobs = " << n_jobs;
  }
}

TEST(UtilsParallelMap, TheDocumentsJoblibExample) {
  // Parallel(n_jobs=1)(delayed(sqrt)(i**2) for i in range(10)) -> [0.0, 1.0, ..., 9.0]
  const auto out =
      parallel_map(std::views::iota(0, 10), [](int i) { return std::sqrt(double(i * i)); });
  ASSERT_EQ(out.size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(out[static_cast<std::size_t>(i)], double(i));
}

TEST(UtilsParallelMap, IteratorPairsListsAndNonTrivialResults) {
  const std::list<std::string> words = {"a", "bb", "ccc", "dddd"};  // not random access
  const auto sizes = parallel_map(
      words.begin(), words.end(), [](const std::string& w) { return w + "!"; }, jobs(2));
  EXPECT_EQ(sizes, (std::vector<std::string>{"a!", "bb!", "ccc!", "dddd!"}));

  // bool results (std::vector<bool> packs bits; parallel writes into it would race).
  const auto even = parallel_map(
      std::views::iota(0, 257), [](int i) { return i % 2 == 0; }, jobs(3));
  for (int i = 0; i < 257; ++i)
    EXPECT_EQ(even[static_cast<std::size_t>(i)], i % 2 == 0);

  // Move-only results.
  const auto ptrs = parallel_map(
      std::views::iota(0, 5), [](int i) { return std::make_unique<int>(i * 10); }, jobs(2));
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(*ptrs[static_cast<std::size_t>(i)], i * 10);
}

TEST(UtilsParallelMap, CallsEachElementExactlyOnce) {
  std::vector<std::atomic<int>> calls(5000);
  const auto out = parallel_map(
      std::views::iota(index_t{0}, index_t{5000}),
      [&](index_t i) {
        calls[static_cast<std::size_t>(i)].fetch_add(1);
        return i;
      },
      jobs(4));
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].load(), 1) << i;
    EXPECT_EQ(out[i], static_cast<index_t>(i));
  }
}

TEST(UtilsParallelMap, EmptyAndSingleElementRanges) {
  const std::vector<int> none;
  EXPECT_TRUE(parallel_map(
                  none, [](int x) { return x; }, jobs(2))
                  .empty());
  const std::vector<int> one = {7};
  EXPECT_EQ(parallel_map(
                one, [](int x) { return x + 1; }, jobs(2)),
            std::vector<int>{8});
}

TEST(UtilsParallelMap, RejectsZeroJobs) {
  const std::vector<int> none;
  EXPECT_THROW(parallel_map(
                   none, [](int x) { return x; }, jobs(0)),
               std::invalid_argument);
}

// Element 3 fails late, element 7 fails at once: in time, 7 fails first (with 2 or more
// threads), but the rethrown exception is always element 3's, the first in input order.
TEST(UtilsParallelMap, RethrowsTheFirstFailureInInputOrderAfterOthersFinish) {
  for (const int n_jobs : {1, 2, 3}) {
    std::atomic<bool> slow_finished{false};
    std::vector<std::atomic<int>> ran(20);
    try {
      parallel_map(
          std::views::iota(0, 20),
          [&](int i) {
            ran[static_cast<std::size_t>(i)] = 1;
            if (i == 1) {
              std::this_thread::sleep_for(std::chrono::milliseconds(40));
              slow_finished = true;
            }
            if (i == 3) {
              std::this_thread::sleep_for(std::chrono::milliseconds(20));
              throw std::runtime_error("element 3");
            }
            if (i == 7) throw std::runtime_error("element 7");
            return i;
          },
          jobs(n_jobs));
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "element 3") << "n_jobs = " << n_jobs;
    }
    EXPECT_TRUE(slow_finished) << "rethrown before a running call finished";
    for (int i = 0; i <= 3; ++i)
      EXPECT_EQ(ran[static_cast<std::size_t>(i)], 1) << "elements before the failure must run";
    if (n_jobs == 1) {
      for (int i = 4; i < 20; ++i)
        EXPECT_EQ(ran[static_cast<std::size_t>(i)], 0) << "serial: nothing after the failure";
    }
  }
}

TEST(UtilsParallelMap, ProgressBarGoesToStderr) {
  ParallelMapOptions o;
  o.n_jobs = 2;
  o.progress = true;
  o.label = "squares";
  testing::internal::CaptureStderr();
  const auto out = parallel_map(
      std::views::iota(0, 50), [](int i) { return i * i; }, o);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out[49], 49 * 49);
  EXPECT_NE(err.find("squares ["), std::string::npos) << err;
  EXPECT_NE(err.find("50/50 100.0%"), std::string::npos) << err;
  EXPECT_EQ(err.back(), '\n');
}

// ---- parallel_reduce and sum_sqrt -----------------------------------------------------

std::vector<double> uniform_values(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> a(n);
  for (auto& v : a)
    v = rng.uniform(0.0, 100.0);
  return a;
}

long double sum_sqrt_long(const std::vector<double>& a) {
  long double s = 0;
  for (const double v : a)
    s += std::sqrt(static_cast<long double>(v));
  return s;
}

TEST(UtilsParallelReduce, SumSqrtIsBitIdenticalForAnyThreadCount) {
  const auto a = uniform_values(100003, 1);  // not a multiple of the block size
  const double one = sum_sqrt(a, 1);
  for (const int n_jobs : {2, 3, 8, -1})
    EXPECT_EQ(sum_sqrt(a, n_jobs), one) << "n_jobs = " << n_jobs;
  const double reference = static_cast<double>(sum_sqrt_long(a));
  EXPECT_NEAR(one, reference, 1e-13 * reference);
  EXPECT_NEAR(sum_sqrt_plain(a), reference, 1e-12 * reference);
}

TEST(UtilsParallelReduce, SumSqrtEdgeCases) {
  EXPECT_EQ(sum_sqrt({}, 2), 0.0);
  EXPECT_EQ(sum_sqrt_plain({}), 0.0);
  const std::vector<double> one = {2.25};
  EXPECT_EQ(sum_sqrt(one, 2), 1.5);
  EXPECT_EQ(sum_sqrt_plain(one), 1.5);
  const std::vector<double> inf = {1.0, std::numeric_limits<double>::infinity()};
  EXPECT_EQ(sum_sqrt(inf), std::numeric_limits<double>::infinity());
  EXPECT_THROW(sum_sqrt(one, 0), std::invalid_argument);
}

TEST(UtilsParallelReduce, SumSqrtNamesTheFirstBadValue) {
  auto a = uniform_values(10000, 2);
  a[5000] = std::nan("");
  a[7321] = -1.0;
  for (const auto& f : {+[](std::span<const double> x) { return sum_sqrt(x, 2); },
                        +[](std::span<const double> x) { return sum_sqrt_plain(x); }}) {
    try {
      f(a);
      ADD_FAILURE() << "no exception";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("a[5000] = nan"), std::string::npos) << e.what();
    }
  }
}

TEST(UtilsParallelReduce, CombinesInAFixedOrder) {
  // String concatenation is not commutative: any reordering would show.
  std::string expected;
  for (int i = 0; i < 100; ++i)
    expected += std::to_string(i) + ",";
  for (const int n_jobs : {1, 2, 3}) {
    for (const index_t block : {1, 3, 7, 1000}) {
      const std::string s = parallel_reduce(
          100, std::string(), [](index_t i) { return std::to_string(i) + ","; },
          [](std::string a, const std::string& b) { return a + b; }, n_jobs, block);
      EXPECT_EQ(s, expected) << "n_jobs = " << n_jobs << ", block = " << block;
    }
  }
  EXPECT_EQ(parallel_reduce(
                0, 5, [](index_t) { return 1; }, std::plus<>(), 2),
            5);
  EXPECT_THROW(parallel_reduce(
                   10, 0, [](index_t) { return 1; }, std::plus<>(), 2, 0),
               std::invalid_argument);
  EXPECT_THROW(parallel_reduce(
                   -1, 0, [](index_t) { return 1; }, std::plus<>(), 2),
               std::invalid_argument);
}

}  // namespace
}  // namespace strider::utils
