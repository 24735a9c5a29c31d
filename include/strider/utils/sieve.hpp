#pragma once
/// @file utils/sieve.hpp
/// @brief Sieve of Eratosthenes: every prime p <= limit, a plain version and a fast one.
///
/// Source: CÉCI, "Efficient use of Python on the clusters": primes up to
/// 30,000,000 take 10.4 s in pure Python (`time`), 0.55 s with numpy slices and 0.51 s with
/// Pythran. Algorithm: cross out the multiples p^2, p^2 + p, ... of every p <= sqrt(limit)
/// that is still standing; what is left is prime.
///
/// What differs from the document's code:
/// - `primes_up_to()` is the document's algorithm with one byte per number (as its numpy
///   version), written as a plain loop; it is the reference for the fast version.
/// - `primes_up_to_segmented()` keeps odd numbers only, one bit each (16x less memory than a
///   byte sieve), and sieves the bit array in segments of `segment_bytes` (default 32 KiB,
///   an L1 data cache) so each segment is crossed out while it sits in cache; segments are
///   independent, so they run in parallel. The primes are then written straight into the
///   output at offsets given by per-segment counts. The result is identical for any
///   `n_jobs` and any segment size (tests check it against the plain version).
/// - Limits below 2 give no primes (the document's code is not defined there).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace strider::utils {

/// Largest limit accepted by the sieves: above it 64-bit index arithmetic could overflow
/// (memory runs out long before in practice).
inline constexpr std::uint64_t kMaxSieveLimit = std::uint64_t{1} << 62;

/// Options of the segmented sieve.
struct SieveParams {
  int n_jobs = 1;                     ///< threads: -1 all cores, k >= 1 exactly k; 0 rejected
  std::size_t segment_bytes = 32768;  ///< bytes of bit array sieved at once (>= 8, rounded
                                      ///< up to a multiple of 8); 16 numbers per byte
};

/**
 * @brief Every prime p <= limit, in increasing order: the plain byte-per-number sieve.
 * @param limit inclusive upper bound; limit < 2 gives an empty vector
 * @return the primes (pi(limit) values)
 * @throws std::invalid_argument when limit > kMaxSieveLimit
 */
std::vector<std::uint64_t> primes_up_to(std::uint64_t limit);

/**
 * @brief Every prime p <= limit, in increasing order: odd-only bit sieve, segmented to fit
 * the L1 cache, parallel over segments. Same result as primes_up_to() for any n_jobs.
 * @param limit  inclusive upper bound; limit < 2 gives an empty vector
 * @param params threads and segment size
 * @return the primes (pi(limit) values)
 * @throws std::invalid_argument when limit > kMaxSieveLimit, params.n_jobs == 0 or
 *         params.segment_bytes == 0
 */
std::vector<std::uint64_t> primes_up_to_segmented(std::uint64_t limit,
                                                  const SieveParams& params = {});

/**
 * @brief pi(limit), the number of primes p <= limit, with the segmented sieve and without
 * storing the primes (memory: one segment per thread plus the primes <= sqrt(limit)).
 * @throws std::invalid_argument as primes_up_to_segmented()
 */
std::uint64_t count_primes_up_to(std::uint64_t limit, const SieveParams& params = {});

}  // namespace strider::utils
