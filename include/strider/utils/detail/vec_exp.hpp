#pragma once
/// @file utils/detail/vec_exp.hpp
/// @brief exp(t) written with plain arithmetic and no branches, so that GCC can vectorise
/// loops that call it (std::exp is a library call that blocks vectorisation unless
/// -ffast-math brings in glibc's libmvec, whose vector exp is less accurate).
///
/// Method (as fdlibm and most vector math libraries): t = k ln2 + r with k = round(t / ln2)
/// and |r| <= ln2 / 2 (Cody-Waite: ln2 split in a high part with trailing zero bits and a
/// low part, so k ln2_hi is exact); exp(r) by its degree-13 Taylor polynomial in Horner
/// form (truncation < 1e-17 relative); then the product with 2^k, built from the bits of
/// doubles as two factors 2^(k - h) 2^h, h = round(k / 2), so that results in the
/// subnormal range round once and results near overflow are right. Accuracy: within 2 ulp
/// of std::exp on [-745, 709] (tested); 0 below -745.2, inf above 709.8, NaN for NaN.
///
/// Vectorisation (GCC 12): with -O2 or -O3 and AVX2 or AVX-512 (e.g. a STRIDER_NATIVE
/// build on a recent x86-64) the calling loop is vectorised; on the SSE2 baseline it
/// stays scalar.

#include <bit>
#include <cstdint>

namespace strider::detail {

/// cond ? a : b through bit masks. A plain ternary followed by floating-point work is
/// turned into branches by GCC's partial redundancy elimination, and under the default
/// -ftrapping-math those branches are never if-converted back: the loop stays scalar.
inline double select_bits(bool cond, double a, double b) noexcept {
  const std::uint64_t mask = std::uint64_t{0} - static_cast<std::uint64_t>(cond);
  return std::bit_cast<double>((std::bit_cast<std::uint64_t>(a) & mask) |
                               (std::bit_cast<std::uint64_t>(b) & ~mask));
}

/// 2^k for an integral double k in [-1022, 1023], from the exponent bits.
inline double pow2_bits(double k) noexcept {
  constexpr double kShift = 0x1.8p52;  // k + kShift keeps k in its low bits
  constexpr std::uint64_t kBias = std::bit_cast<std::uint64_t>(kShift) - 1023;
  // Unsigned arithmetic: wraps harmlessly for NaN, whose result is NaN through p anyway.
  return std::bit_cast<double>((std::bit_cast<std::uint64_t>(k + kShift) - kBias) << 52);
}

inline double exp_vectorizable(double t) noexcept {
  constexpr double kLog2e = 1.44269504088896338700e+00;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 32 trailing zero bits
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kShift = 0x1.8p52;  // adding it rounds to an integer
  // Clamp so that k stays in [-1077, 1025]; NaN fails both comparisons and stays NaN.
  double tc = select_bits(t < -746.0, -746.0, t);
  tc = select_bits(tc > 710.0, 710.0, tc);
  const double k = (tc * kLog2e + kShift) - kShift;  // round(t / ln2)
  const double r = (tc - k * kLn2Hi) - k * kLn2Lo;
  double p = 1.0 / 6227020800.0;  // 1 / 13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // h = round(k / 2) and k - h are both in [-539, 513]: p 2^h is exact, the last product
  // alone rounds (into the subnormals, or to inf on overflow).
  const double h = (k * 0.5 + kShift) - kShift;
  return (p * pow2_bits(h)) * pow2_bits(k - h);
}

}  // namespace strider::detail
