// The hot loop of DilatedKernelTransform: for one series and a run of kernels, the
// squared distances c_i = sum_j (xpad[i + j d] - v_j)^2 and their three features.
//
// Written once with GCC/Clang vector extensions (feature_kernels_impl.hpp) and compiled
// for several instruction sets (baseline, AVX2 + FMA, AVX-512) by including it in
// `#pragma GCC target` regions; the widest one the CPU supports is picked at run time.
// (Target attributes on the entry points alone are not enough: GCC lowers the generic
// vectors of non-inlined-yet helpers for the baseline instruction set first.)
//
// Layout of the work: output positions i are contiguous in memory for any dilation, so
// the loop keeps R vectors of W consecutive c_i in registers and runs over the taps j:
// one unaligned load (shared by G kernels of equal length, dilation and padding), one
// subtraction and one fused multiply-add per vector, kernel and tap. While c is still in
// registers, running per-lane minimum, first position of the minimum and count of
// increasing steps are updated; they are reduced across lanes once per kernel, without
// data-dependent branches so that the next kernel overlaps with the reduction.
//
// Shape kernels (z-normalised windows) run the same loop on dot products with the window's
// first value subtracted; each window's std comes from WindowStats, computed once per
// (length, dilation, padding) and shared by that geometry's shape kernels in the call.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "transform/kernel_plan.hpp"

// Vector arguments wider than the baseline ABI only ever cross always_inline calls.
#pragma GCC diagnostic ignored "-Wpsabi"

#define STRIDER_ALWAYS_INLINE [[gnu::always_inline]] inline

namespace strider::detail {

namespace {

#if defined(__AVX512F__)
constexpr int kBaselineBytes = 64;
#elif defined(__AVX__)
constexpr int kBaselineBytes = 32;
#else
constexpr int kBaselineBytes = 16;
#endif

namespace simd_baseline {
#define STRIDER_VECTOR_BYTES kBaselineBytes
#define STRIDER_TILE 2
#define STRIDER_GROUP 2
#include "transform/feature_kernels_impl.hpp"
#undef STRIDER_VECTOR_BYTES
#undef STRIDER_TILE
#undef STRIDER_GROUP
}  // namespace simd_baseline

#if defined(__x86_64__) || defined(__i386__)
#define STRIDER_HAVE_X86_PATHS 1

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
namespace simd_avx2 {
#define STRIDER_VECTOR_BYTES 32
#define STRIDER_TILE 4
#define STRIDER_GROUP 2
#include "transform/feature_kernels_impl.hpp"
#undef STRIDER_VECTOR_BYTES
#undef STRIDER_TILE
#undef STRIDER_GROUP
}  // namespace simd_avx2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#if defined(__clang__)
#pragma clang attribute push( \
    __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")
#endif
namespace simd_avx512 {
#define STRIDER_VECTOR_BYTES 64
#define STRIDER_TILE 4
#define STRIDER_GROUP 2
#include "transform/feature_kernels_impl.hpp"
#undef STRIDER_VECTOR_BYTES
#undef STRIDER_TILE
#undef STRIDER_GROUP
}  // namespace simd_avx512
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

std::atomic<int> g_simd_cap{static_cast<int>(SimdLevel::avx512)};

}  // namespace

SimdLevel best_simd_level() noexcept {
#ifdef STRIDER_HAVE_X86_PATHS
  static const SimdLevel best = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw"))
      return SimdLevel::avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::avx2;
    return SimdLevel::baseline;
  }();
  return best;
#else
  return SimdLevel::baseline;
#endif
}

SimdLevel active_simd_level() noexcept {
  return static_cast<SimdLevel>(
      std::min(static_cast<int>(best_simd_level()), g_simd_cap.load(std::memory_order_relaxed)));
}

void set_simd_level_cap(SimdLevel cap) noexcept {
  g_simd_cap.store(static_cast<int>(cap), std::memory_order_relaxed);
}

const char* simd_level_name(SimdLevel level) noexcept {
  switch (level) {
    case SimdLevel::avx512:
      return "avx512";
    case SimdLevel::avx2:
      return "avx2";
    case SimdLevel::baseline:
      break;
  }
  return "baseline";
}

template <class T>
FeatureRunFn<T> feature_run_function(SimdLevel level) {
#ifdef STRIDER_HAVE_X86_PATHS
  if (level >= SimdLevel::avx512 && best_simd_level() >= SimdLevel::avx512)
    return &simd_avx512::run_entry<T>;
  if (level >= SimdLevel::avx2 && best_simd_level() >= SimdLevel::avx2)
    return &simd_avx2::run_entry<T>;
#else
  (void)level;
#endif
  return &simd_baseline::run_entry<T>;
}

template FeatureRunFn<double> feature_run_function<double>(SimdLevel);
template FeatureRunFn<float> feature_run_function<float>(SimdLevel);

}  // namespace strider::detail
