#pragma once
/// @file random.hpp
/// @brief strider::Rng: a small, fast random generator whose streams are identical on
/// every platform and standard library (std::normal_distribution and friends are not).
///
/// xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64. `Rng(seed, stream)`
/// gives independent, reproducible streams, e.g. one per kernel, so results do not
/// depend on the order in which threads draw.

#include <cmath>
#include <cstdint>
#include <limits>

namespace strider {

class Rng {
 public:
  /// @param seed   the user's random_state
  /// @param stream an independent sub-stream id (e.g. a kernel index)
  explicit Rng(std::uint64_t seed = 0, std::uint64_t stream = 0) noexcept {
    std::uint64_t sm = seed ^ (0x9E3779B97F4A7C15ULL * (stream + 1));
    for (auto& word : s_)
      word = splitmix64(sm);
  }

  /// 64 uniformly random bits.
  std::uint64_t next_u64() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform double in [a, b).
  double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }

  /// Uniform integer in [0, n), unbiased (Lemire's method); n must be > 0.
  std::uint64_t uniform_int(std::uint64_t n) noexcept {
    __extension__ using u128 = unsigned __int128;  // GCC/Clang extension, fine for both
    u128 m = static_cast<u128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<u128>(next_u64()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// Standard normal N(0, 1) (Marsaglia's polar method; the spare value is cached).
  double normal() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

  /// Normal N(mean, sd).
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace strider
