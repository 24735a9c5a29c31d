#include "strider/utils/sieve.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "strider/parallel.hpp"

namespace strider::utils {
namespace {

void check_limit(std::uint64_t limit, const char* who) {
  if (limit > kMaxSieveLimit) {
    throw std::invalid_argument(
        std::string(who) + ": limit = " + std::to_string(limit) +
        " exceeds the largest supported limit 2^62 = " + std::to_string(kMaxSieveLimit));
  }
}

std::uint64_t isqrt(std::uint64_t n) {
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (r > 0 && r * r > n)
    --r;
  while ((r + 1) * (r + 1) <= n)
    ++r;
  return r;
}

/// Odd primes p with p * p <= limit: the sieving primes of the segmented sieve.
std::vector<std::uint64_t> odd_sieving_primes(std::uint64_t limit) {
  std::vector<std::uint64_t> primes = primes_up_to(isqrt(limit));
  if (!primes.empty()) primes.erase(primes.begin());  // drop 2: only odd numbers are stored
  return primes;
}

/// Sieves bits [k0, k0 + n_bits) of the odd-number bit array, where bit k stands for the
/// number 2k + 1, into `words` (ceil(n_bits / 64) words, overwritten): a set bit means
/// prime. Bits past n_bits in the last word are cleared. Returns how many bits are set.
std::uint64_t sieve_segment(std::uint64_t* words, std::uint64_t k0, std::uint64_t n_bits,
                            const std::vector<std::uint64_t>& sieving_primes) {
  const std::uint64_t n_words = (n_bits + 63) / 64;
  std::fill(words, words + n_words, ~std::uint64_t{0});
  if (n_bits % 64 != 0) words[n_words - 1] = (std::uint64_t{1} << (n_bits % 64)) - 1;
  if (k0 == 0) words[0] &= ~std::uint64_t{1};            // 1 is not prime
  const std::uint64_t first = 2 * k0 + 1;                // smallest number in the segment
  const std::uint64_t last = 2 * (k0 + n_bits - 1) + 1;  // largest number in the segment
  for (const std::uint64_t p : sieving_primes) {
    const std::uint64_t square = p * p;
    if (square > last) break;
    std::uint64_t multiple = square;  // composites below p^2 have a smaller factor
    if (square < first) {
      multiple = (first + p - 1) / p * p;    // first multiple of p >= first...
      if (multiple % 2 == 0) multiple += p;  // ...that is odd
    }
    // Consecutive odd multiples differ by 2p, i.e. by p bits.
    for (std::uint64_t k = (multiple - 1) / 2 - k0; k < n_bits; k += p) {
      words[k >> 6] &= ~(std::uint64_t{1} << (k & 63));
    }
  }
  std::uint64_t count = 0;
  for (std::uint64_t w = 0; w < n_words; ++w)
    count += static_cast<std::uint64_t>(std::popcount(words[w]));
  return count;
}

struct Segmentation {
  std::uint64_t n_bits = 0;        // odd numbers 1, 3, ..., <= limit
  std::uint64_t segment_bits = 0;  // a multiple of 64
  index_t n_segments = 0;
};

Segmentation segment(std::uint64_t limit, const SieveParams& params, const char* who) {
  if (params.segment_bytes == 0) {
    throw std::invalid_argument(std::string(who) + ": segment_bytes = 0; use a positive size");
  }
  Segmentation s;
  s.n_bits = (limit - 1) / 2 + 1;
  s.segment_bits = (static_cast<std::uint64_t>(params.segment_bytes) + 7) / 8 * 64;
  s.n_segments = static_cast<index_t>((s.n_bits + s.segment_bits - 1) / s.segment_bits);
  return s;
}

}  // namespace

std::vector<std::uint64_t> primes_up_to(std::uint64_t limit) {
  check_limit(limit, "primes_up_to()");
  std::vector<std::uint64_t> primes;
  if (limit < 2) return primes;
  std::vector<std::uint8_t> is_prime(limit + 1, 1);
  is_prime[0] = is_prime[1] = 0;
  for (std::uint64_t p = 2; p * p <= limit; ++p) {
    if (!is_prime[p]) continue;
    for (std::uint64_t m = p * p; m <= limit; m += p)
      is_prime[m] = 0;
  }
  for (std::uint64_t n = 2; n <= limit; ++n) {
    if (is_prime[n]) primes.push_back(n);
  }
  return primes;
}

std::vector<std::uint64_t> primes_up_to_segmented(std::uint64_t limit, const SieveParams& params) {
  const char* who = "primes_up_to_segmented()";
  check_limit(limit, who);
  const int threads = resolve_n_jobs(params.n_jobs, who);
  if (limit < 2) {
    (void)segment(2, params, who);  // validate segment_bytes even when there is no work
    return {};
  }
  const Segmentation s = segment(limit, params, who);
  const std::vector<std::uint64_t> sieving = odd_sieving_primes(limit);

  // Pass 1: sieve each segment in place in one shared bit array (n_bits / 8 bytes: 1.9 MB
  // for 30 million); segments start on word boundaries, so threads never share a word.
  std::vector<std::uint64_t> bits((s.n_bits + 63) / 64);
  std::vector<std::uint64_t> counts(static_cast<std::size_t>(s.n_segments));
  parallel_for(0, s.n_segments, threads, [&](index_t seg) {
    const std::uint64_t k0 = static_cast<std::uint64_t>(seg) * s.segment_bits;
    const std::uint64_t n_bits = std::min(s.segment_bits, s.n_bits - k0);
    counts[seg] = sieve_segment(bits.data() + k0 / 64, k0, n_bits, sieving);
  });

  // Pass 2: each segment writes its primes at its own offset (2 comes first).
  std::vector<std::uint64_t> offsets(counts.size() + 1, 1);
  for (std::size_t i = 0; i < counts.size(); ++i)
    offsets[i + 1] = offsets[i] + counts[i];
  std::vector<std::uint64_t> primes(offsets.back());
  primes[0] = 2;
  parallel_for(0, s.n_segments, threads, [&](index_t seg) {
    const std::uint64_t k0 = static_cast<std::uint64_t>(seg) * s.segment_bits;
    const std::uint64_t n_bits = std::min(s.segment_bits, s.n_bits - k0);
    std::uint64_t out = offsets[seg];
    for (std::uint64_t w = k0 / 64; w < (k0 + n_bits + 63) / 64; ++w) {
      for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
        const auto k = w * 64 + static_cast<std::uint64_t>(std::countr_zero(word));
        primes[out++] = 2 * k + 1;
      }
    }
  });
  return primes;
}

std::uint64_t count_primes_up_to(std::uint64_t limit, const SieveParams& params) {
  const char* who = "count_primes_up_to()";
  check_limit(limit, who);
  const int threads = resolve_n_jobs(params.n_jobs, who);
  if (limit < 2) {
    (void)segment(2, params, who);
    return 0;
  }
  const Segmentation s = segment(limit, params, who);
  const std::vector<std::uint64_t> sieving = odd_sieving_primes(limit);
  // One segment buffer per thread, reused across that thread's segments.
  std::vector<std::vector<std::uint64_t>> buffers(static_cast<std::size_t>(threads),
                                                  std::vector<std::uint64_t>(s.segment_bits / 64));
  std::vector<std::uint64_t> counts(static_cast<std::size_t>(s.n_segments));
  parallel_for(0, s.n_segments, threads, [&](index_t seg) {
    const std::uint64_t k0 = static_cast<std::uint64_t>(seg) * s.segment_bits;
    const std::uint64_t n_bits = std::min(s.segment_bits, s.n_bits - k0);
    counts[seg] = sieve_segment(buffers[thread_index()].data(), k0, n_bits, sieving);
  });
  std::uint64_t total = 1;  // the prime 2
  for (const std::uint64_t c : counts)
    total += c;
  return total;
}

}  // namespace strider::utils
