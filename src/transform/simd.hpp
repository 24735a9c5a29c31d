#pragma once
// Private (never installed): run-time choice of the vectorised code path of the
// transform's hot loops (x86-64: AVX-512, AVX2 + FMA, or the build's baseline). Tests and
// benchmarks include it to run every path on one machine.

namespace strider::detail {

/// Code paths, from the most portable to the widest.
enum class SimdLevel : int {
  baseline = 0,  ///< whatever the build flags allow (SSE2 on a portable x86-64 build)
  avx2 = 1,      ///< AVX2 + FMA, 256-bit vectors
  avx512 = 2,    ///< AVX-512 F/VL/DQ/BW, 512-bit vectors
};

/// The widest level this CPU and build support.
SimdLevel best_simd_level() noexcept;

/// The level the transform uses now: min(best_simd_level(), the cap below).
SimdLevel active_simd_level() noexcept;

/// Caps the level used by later transforms (tests, benchmarks). Not meant to be changed
/// while a transform runs on another thread. Default: no cap (avx512).
void set_simd_level_cap(SimdLevel cap) noexcept;

/// "baseline", "avx2" or "avx512".
const char* simd_level_name(SimdLevel level) noexcept;

}  // namespace strider::detail
