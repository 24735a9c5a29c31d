// The hot loop of DilatedKernelTransform: for one series and a run of kernels, the
// squared distances c_i = sum_j (xpad[i + j d] - v_j)^2 and their three features.
//
// Written once with GCC/Clang vector extensions and compiled for several instruction
// sets (baseline, AVX2 + FMA, AVX-512) through target attributes; the widest one the CPU
// supports is picked at run time. Every helper is always_inline so that it is compiled
// with the instruction set of the entry point it is inlined into.
//
// Layout of the work: output positions i are contiguous in memory for any dilation, so
// the loop keeps R vectors of W consecutive c_i in registers and runs over the taps j:
// one unaligned load, one subtraction and one fused multiply-add per vector and tap.
// c is then stored once into an L1-resident scratch buffer and a second vectorised pass
// computes min, first argmin and the number of increasing steps.

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <type_traits>

#include "transform/kernel_plan.hpp"

// Vector arguments wider than the baseline ABI only ever cross always_inline calls.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace strider::detail {

namespace {

#define STRIDER_ALWAYS_INLINE [[gnu::always_inline]] inline

#if defined(__AVX512F__)
constexpr int kBaselineBytes = 64;
#elif defined(__AVX__)
constexpr int kBaselineBytes = 32;
#else
constexpr int kBaselineBytes = 16;
#endif

template <class T, int N>
struct VecOf {
  typedef T type __attribute__((vector_size(N * sizeof(T))));
};

/// W lanes of T in VB bytes, with the matching comparison-mask type.
template <class T, int VB>
struct Simd {
  static constexpr int W = VB / static_cast<int>(sizeof(T));
  using V = typename VecOf<T, W>::type;
  using M = decltype(V{} < V{});
  using E = std::remove_cv_t<std::remove_reference_t<decltype(M{}[0])>>;

  STRIDER_ALWAYS_INLINE static V load(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  STRIDER_ALWAYS_INLINE static void store(T* p, const V& v) { std::memcpy(p, &v, sizeof v); }
  // Lane by lane: GCC turns this into one broadcast (s - V{} is not folded as well).
  STRIDER_ALWAYS_INLINE static V splat(T s) {
    V v;
    for (int k = 0; k < W; ++k)
      v[k] = s;
    return v;
  }
  STRIDER_ALWAYS_INLINE static M splat_mask(E s) {
    M m;
    for (int k = 0; k < W; ++k)
      m[k] = s;
    return m;
  }
};

/// c[0 .. R*W-1] for the R*W positions starting at x.
template <class T, int VB, int R>
STRIDER_ALWAYS_INLINE void distance_tile(const T* x, index_t d, const T* v, index_t l, T* c) {
  using S = Simd<T, VB>;
  using V = typename S::V;
  constexpr int W = S::W;
  V acc[R];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
    acc[r] = V{};
  const T* p = x;
  for (index_t j = 0; j < l; ++j, p += d) {
    const V vj = S::splat(v[j]);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const V t = S::load(p + r * W) - vj;
      acc[r] += t * t;
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
    S::store(c + r * W, acc[r]);
}

/// The last nv (1 <= nv <= R) vectors of positions.
template <class T, int VB, int R>
STRIDER_ALWAYS_INLINE void distance_tail(int nv, const T* x, index_t d, const T* v, index_t l,
                                         T* c) {
  if constexpr (R >= 1) {
    if (nv == R) {
      distance_tile<T, VB, R>(x, d, v, l, c);
    } else {
      distance_tail<T, VB, R - 1>(nv, x, d, v, l, c);
    }
  }
}

/// c[i] for i in [0, L), rounded up to whole vectors (the extra lanes are garbage).
template <class T, int VB, int R>
STRIDER_ALWAYS_INLINE void distances(const T* x, index_t n_pos, index_t d, const T* v, index_t l,
                                     T* c) {
  constexpr index_t W = Simd<T, VB>::W;
  constexpr index_t step = R * W;
  index_t i = 0;
  for (; i + step <= n_pos; i += step)
    distance_tile<T, VB, R>(x + i, d, v, l, c + i);
  const index_t rem = n_pos - i;
  if (rem > 0) distance_tail<T, VB, R>(static_cast<int>((rem + W - 1) / W), x + i, d, v, l, c + i);
}

/// min, fraction of increasing steps and first argmin of c[0 .. L-1] into out[0..2].
/// Reads c up to index L + W (finite or not: those lanes are masked).
template <class T, int VB>
STRIDER_ALWAYS_INLINE void features(const T* c, index_t n_pos, T* out) {
  using S = Simd<T, VB>;
  using V = typename S::V;
  using M = typename S::M;
  using E = typename S::E;
  constexpr int W = S::W;
  const V inf = S::splat(std::numeric_limits<T>::infinity());
  const M lim = S::splat_mask(static_cast<E>(n_pos));
  const M lim_pairs = S::splat_mask(static_cast<E>(n_pos - 1));
  M idx;
  for (int k = 0; k < W; ++k)
    idx[k] = static_cast<E>(k);
  V mn = inf;
  M arg = M{};
  M inc = M{};
  for (index_t i = 0; i < n_pos; i += W) {
    const V a = S::load(c + i);
    const V b = S::load(c + i + 1);
    inc -= (b > a) & (idx < lim_pairs);  // comparisons give -1 for true
    const V am = (idx < lim) ? a : inf;
    const M lt = am < mn;  // strict: each lane keeps its first minimum
    mn = lt ? am : mn;
    arg = lt ? idx : arg;
    idx += static_cast<E>(W);
  }
  T best = mn[0];
  for (int k = 1; k < W; ++k)
    best = std::min(best, static_cast<T>(mn[k]));
  index_t best_arg = std::numeric_limits<index_t>::max();
  index_t n_inc = 0;
  for (int k = 0; k < W; ++k) {
    if (mn[k] == best) best_arg = std::min(best_arg, static_cast<index_t>(arg[k]));
    n_inc += static_cast<index_t>(inc[k]);
  }
  out[0] = best;
  out[1] = n_pos > 1 ? static_cast<T>(static_cast<double>(n_inc) / static_cast<double>(n_pos - 1))
                     : T(0);
  out[2] = static_cast<T>(best_arg);
}

template <class T, int VB, int R>
STRIDER_ALWAYS_INLINE void run(const T* x0, index_t n_points, const PlanEntry* first,
                               const PlanEntry* last, const T* values, T* scratch, T* out_row) {
  for (const PlanEntry* e = first; e != last; ++e) {
    const index_t n_pos =
        std::max<index_t>(n_points + 2 * e->padding - (e->length - 1) * e->dilation, 1);
    distances<T, VB, R>(x0 - e->padding, n_pos, e->dilation, values + e->offset, e->length,
                        scratch);
    features<T, VB>(scratch, n_pos, out_row + 3 * e->kernel);
  }
}

template <class T>
void run_baseline(const T* x0, index_t n_points, const PlanEntry* first, const PlanEntry* last,
                  const T* values, T* scratch, T* out_row) {
  run<T, kBaselineBytes, 4>(x0, n_points, first, last, values, scratch, out_row);
}

#if defined(__x86_64__) || defined(__i386__)
#define STRIDER_HAVE_X86_PATHS 1

template <class T>
__attribute__((target("avx2,fma"))) void run_avx2(const T* x0, index_t n_points,
                                                  const PlanEntry* first, const PlanEntry* last,
                                                  const T* values, T* scratch, T* out_row) {
  run<T, 32, 4>(x0, n_points, first, last, values, scratch, out_row);
}

template <class T>
__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) void run_avx512(
    const T* x0, index_t n_points, const PlanEntry* first, const PlanEntry* last, const T* values,
    T* scratch, T* out_row) {
  run<T, 64, 4>(x0, n_points, first, last, values, scratch, out_row);
}
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
  if (level >= SimdLevel::avx512 && best_simd_level() >= SimdLevel::avx512) return &run_avx512<T>;
  if (level >= SimdLevel::avx2 && best_simd_level() >= SimdLevel::avx2) return &run_avx2<T>;
#else
  (void)level;
#endif
  return &run_baseline<T>;
}

template FeatureRunFn<double> feature_run_function<double>(SimdLevel);
template FeatureRunFn<float> feature_run_function<float>(SimdLevel);

}  // namespace strider::detail
