#include "strider/parallel.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>
#include <vector>

#include "strider/random.hpp"

namespace strider {
namespace {

TEST(Parallel, ResolveNJobs) {
  EXPECT_THROW(resolve_n_jobs(0, "Test"), std::invalid_argument);
  EXPECT_GE(resolve_n_jobs(-1), 1);
  if (openmp_enabled()) {
    EXPECT_EQ(resolve_n_jobs(3), 3);
    EXPECT_EQ(resolve_n_jobs(-1), available_cores());
    EXPECT_EQ(resolve_n_jobs(-1000), 1);
  } else {
    EXPECT_EQ(resolve_n_jobs(3), 1);
  }
}

TEST(Parallel, ForCoversEveryIndexOnce) {
  for (int threads : {1, 2, 4}) {
    std::vector<int> hits(1000, 0);
    parallel_for(0, 1000, threads, [&](index_t i) { hits[i] += 1; });
    EXPECT_EQ(std::accumulate(hits.begin(), hits.end(), 0), 1000);
    EXPECT_EQ(*std::min_element(hits.begin(), hits.end()), 1);
  }
}

TEST(Parallel, FirstExceptionIsRethrownAfterTheRegion) {
  for (int threads : {1, 2}) {
    EXPECT_THROW(parallel_for(0, 100, threads,
                              [](index_t i) {
                                if (i == 37) throw std::runtime_error("boom at 37");
                              }),
                 std::runtime_error);
  }
}

TEST(Rng, ReproducibleStreams) {
  Rng a(42, 7), b(42, 7), c(42, 8);
  std::vector<std::uint64_t> va, vb, vc;
  for (int k = 0; k < 10; ++k) {
    va.push_back(a.next_u64());
    vb.push_back(b.next_u64());
    vc.push_back(c.next_u64());
  }
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
}

TEST(Rng, DistributionsHaveTheRightMoments) {
  Rng r(1);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  std::vector<int> counts(7, 0);
  for (int k = 0; k < n; ++k) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = r.normal();
    sn += z;
    sn2 += z * z;
    counts[r.uniform_int(7)] += 1;
  }
  EXPECT_NEAR(su / n, 0.5, 0.005);
  EXPECT_NEAR(sn / n, 0.0, 0.01);
  EXPECT_NEAR(sn2 / n, 1.0, 0.015);
  for (int c : counts)
    EXPECT_NEAR(c, n / 7.0, 5 * std::sqrt(n / 7.0));
}

}  // namespace
}  // namespace strider
