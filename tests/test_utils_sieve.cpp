#include "strider/utils/sieve.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace strider::utils {
namespace {

// Independent reference: trial division by every d with d * d <= n.
bool is_prime_by_trial_division(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

std::vector<std::uint64_t> primes_by_trial_division(std::uint64_t limit) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t n = 0; n <= limit; ++n) {
    if (is_prime_by_trial_division(n)) out.push_back(n);
  }
  return out;
}

TEST(UtilsSieve, LimitsBelowTwoGiveNoPrimes) {
  for (std::uint64_t limit : {0, 1}) {
    EXPECT_TRUE(primes_up_to(limit).empty());
    EXPECT_TRUE(primes_up_to_segmented(limit).empty());
    EXPECT_EQ(count_primes_up_to(limit), 0u);
  }
  EXPECT_EQ(primes_up_to(2), std::vector<std::uint64_t>{2});
  EXPECT_EQ(primes_up_to_segmented(2), std::vector<std::uint64_t>{2});
  EXPECT_EQ(count_primes_up_to(2), 1u);
}

TEST(UtilsSieve, DocumentExampleUpTo25) {
  const std::vector<std::uint64_t> expected{2, 3, 5, 7, 11, 13, 17, 19, 23};
  EXPECT_EQ(primes_up_to(25), expected);
  EXPECT_EQ(primes_up_to_segmented(25), expected);
}

TEST(UtilsSieve, EverySmallLimitMatchesTrialDivision) {
  // Segments of 8 bytes (128 numbers) so that many limits straddle segment boundaries.
  const std::vector<std::uint64_t> all = primes_by_trial_division(3000);
  for (std::uint64_t limit = 0; limit <= 3000; limit += (limit < 300 ? 1 : 37)) {
    std::vector<std::uint64_t> expected;
    for (const std::uint64_t p : all) {
      if (p <= limit) expected.push_back(p);
    }
    ASSERT_EQ(primes_up_to(limit), expected) << "limit " << limit;
    const int n_jobs = limit % 10 == 0 ? 2 : 1;  // threads are checked more below
    ASSERT_EQ(primes_up_to_segmented(limit, {.n_jobs = n_jobs, .segment_bytes = 8}), expected)
        << "limit " << limit;
    ASSERT_EQ(count_primes_up_to(limit, {.n_jobs = 1, .segment_bytes = 8}), expected.size())
        << "limit " << limit;
  }
}

TEST(UtilsSieve, SegmentedEqualsPlainForAnyThreadsAndSegmentSize) {
  const std::uint64_t limit = 1'000'003;  // prime itself, so the last bit matters
  const std::vector<std::uint64_t> plain = primes_up_to(limit);
  ASSERT_EQ(plain.back(), limit);
  for (int n_jobs : {1, 2, 3}) {
    for (std::size_t bytes : {8, 100, 4096, 32768, 1 << 20}) {
      EXPECT_EQ(primes_up_to_segmented(limit, {.n_jobs = n_jobs, .segment_bytes = bytes}), plain)
          << "n_jobs " << n_jobs << " segment_bytes " << bytes;
      EXPECT_EQ(count_primes_up_to(limit, {.n_jobs = n_jobs, .segment_bytes = bytes}),
                plain.size());
    }
  }
}

TEST(UtilsSieve, KnownPrimeCounts) {
  // pi(10^k) from the literature (OEIS A006880).
  EXPECT_EQ(count_primes_up_to(10), 4u);
  EXPECT_EQ(count_primes_up_to(100), 25u);
  EXPECT_EQ(count_primes_up_to(1000), 168u);
  EXPECT_EQ(count_primes_up_to(1'000'000, {.n_jobs = 2}), 78'498u);
  EXPECT_EQ(count_primes_up_to(10'000'000, {.n_jobs = 2}), 664'579u);
  EXPECT_EQ(primes_up_to_segmented(1'000'000, {.n_jobs = 2}).size(), 78'498u);
}

TEST(UtilsSieve, BadParametersAreRejected) {
  EXPECT_THROW(primes_up_to(kMaxSieveLimit + 1), std::invalid_argument);
  EXPECT_THROW(primes_up_to_segmented(kMaxSieveLimit + 1), std::invalid_argument);
  EXPECT_THROW(count_primes_up_to(kMaxSieveLimit + 1), std::invalid_argument);
  EXPECT_THROW(primes_up_to_segmented(100, {.n_jobs = 0}), std::invalid_argument);
  EXPECT_THROW(count_primes_up_to(100, {.n_jobs = 0}), std::invalid_argument);
  EXPECT_THROW(primes_up_to_segmented(100, {.n_jobs = 1, .segment_bytes = 0}),
               std::invalid_argument);
  EXPECT_THROW(count_primes_up_to(1, {.n_jobs = 1, .segment_bytes = 0}), std::invalid_argument);
  try {
    primes_up_to_segmented(10, {.n_jobs = 0});
    FAIL() << "n_jobs = 0 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("primes_up_to_segmented"), std::string::npos);
  }
}

}  // namespace
}  // namespace strider::utils
