// The vectorised feature code, included once per instruction set by
// feature_kernels.cpp, each time inside its own namespace and `#pragma GCC target`
// region so that every function (helpers included) is compiled for that instruction
// set. No include guard on purpose; include nothing here.
//
// Expects STRIDER_VECTOR_BYTES (vector width in bytes), STRIDER_TILE (R, vectors of
// positions kept in registers) and STRIDER_GROUP (G, kernels sharing one pass over x).

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
  // One broadcast instruction (or an embedded {1toN} broadcast operand with AVX-512).
  // Lane-by-lane initialisation and `s - V{}` both compile to much worse code at -O3.
  STRIDER_ALWAYS_INLINE static V splat(T s) {
#if defined(__clang__)
    return V{} + s;
#else
    const V v = {s};
    return __builtin_shuffle(v, M{});
#endif
  }
  STRIDER_ALWAYS_INLINE static M splat_mask(E s) {
#if defined(__clang__)
    return M{} + s;
#else
    const M m = {s};
    return __builtin_shuffle(m, M{});
#endif
  }
};

/// Lane permutations with compile-time masks.
template <class T, int VB>
struct Lanes {
  using S = Simd<T, VB>;
  using V = typename S::V;
  using M = typename S::M;
  using E = typename S::E;
  static constexpr int W = S::W;

  /// [prev[W-1], cur[0], ..., cur[W-2]]: each lane's left neighbour in the sequence.
  STRIDER_ALWAYS_INLINE static V left_neighbours(const V& prev, const V& cur) {
    return left_impl(prev, cur, std::make_integer_sequence<int, W>{});
  }
  /// v with lane k swapped with lane k ^ h.
  template <int H, class X>
  STRIDER_ALWAYS_INLINE static X swap(const X& v) {
    return swap_impl<H>(v, std::make_integer_sequence<int, W>{});
  }
  /// Minimum over the lanes (exact; no NaN can occur here).
  template <class X>
  STRIDER_ALWAYS_INLINE static X all_min(X v) {
    if constexpr (W >= 16) v = lane_min(v, swap<8>(v));
    if constexpr (W >= 8) v = lane_min(v, swap<4>(v));
    if constexpr (W >= 4) v = lane_min(v, swap<2>(v));
    if constexpr (W >= 2) v = lane_min(v, swap<1>(v));
    return v;  // every lane holds the minimum
  }
  STRIDER_ALWAYS_INLINE static M all_sum(M v) {
    if constexpr (W >= 16) v += swap<8>(v);
    if constexpr (W >= 8) v += swap<4>(v);
    if constexpr (W >= 4) v += swap<2>(v);
    if constexpr (W >= 2) v += swap<1>(v);
    return v;
  }
  template <class X>
  STRIDER_ALWAYS_INLINE static X lane_min(const X& a, const X& b) {
    return a < b ? a : b;
  }
  STRIDER_ALWAYS_INLINE static M iota() { return iota_impl(std::make_integer_sequence<int, W>{}); }

 private:
  template <int... K>
  STRIDER_ALWAYS_INLINE static V left_impl(const V& prev, const V& cur,
                                           std::integer_sequence<int, K...>) {
#if defined(__clang__)
    return __builtin_shufflevector(prev, cur, (W - 1 + K)...);
#else
    return __builtin_shuffle(prev, cur, M{static_cast<E>(W - 1 + K)...});
#endif
  }
  template <int H, class X, int... K>
  STRIDER_ALWAYS_INLINE static X swap_impl(const X& v, std::integer_sequence<int, K...>) {
#if defined(__clang__)
    return __builtin_shufflevector(v, v, (K ^ H)...);
#else
    return __builtin_shuffle(v, M{static_cast<E>(K ^ H)...});
#endif
  }
  template <int... K>
  STRIDER_ALWAYS_INLINE static M iota_impl(std::integer_sequence<int, K...>) {
    return M{static_cast<E>(K)...};
  }
};

/// acc[g][r] = c of kernel g for the W positions starting at x + r * W, r < NV; with
/// Shape, the dot products sum_j v_j (x[i + j d] - x[i]) instead (see shape_distances). The G
/// kernels share length, dilation and padding, so each load of x serves all of them.
template <class T, int VB, int NV, int G, bool Shape>
STRIDER_ALWAYS_INLINE void distance_tile(const T* x, index_t d, const T* const* v, index_t l,
                                         typename Simd<T, VB>::V (*acc)[NV]) {
  using S = Simd<T, VB>;
  using V = typename S::V;
  constexpr int W = S::W;
#pragma GCC unroll 16
  for (int g = 0; g < G; ++g)
#pragma GCC unroll 16
    for (int r = 0; r < NV; ++r)
      acc[g][r] = V{};
  // Shape: each window's first value, subtracted from the others before the products,
  // so that a window far from 0 does not cost the dot product its precision.
  V first[Shape ? NV : 1];
  if constexpr (Shape) {
#pragma GCC unroll 16
    for (int r = 0; r < NV; ++r)
      first[r] = S::load(x + r * W);
  }
  const T* p = x;
  for (index_t j = 0; j < l; ++j, p += d) {
    V vj[G];
#pragma GCC unroll 16
    for (int g = 0; g < G; ++g)
      vj[g] = S::splat(v[g][j]);
#pragma GCC unroll 16
    for (int r = 0; r < NV; ++r) {
      const V xr = S::load(p + r * W);
      [[maybe_unused]] V xc;
      if constexpr (Shape) xc = xr - first[r];
#pragma GCC unroll 16
      for (int g = 0; g < G; ++g) {
        if constexpr (Shape) {
          acc[g][r] += vj[g] * xc;
        } else {
          const V t = vj[g] - xr;  // (v - x)^2 = (x - v)^2 exactly
          acc[g][r] += t * t;
        }
      }
    }
  }
}

/// Turns the dot products of a shape kernel into its distances to the z-normalised
/// windows: c_i = base_i - scale_i * dot_i, with base_i = 2l and scale_i = 2 / std_i for a
/// window that is not constant (base_i = l, scale_i = 0 for a constant one: its
/// z-normalised form is all zeros), for the W positions at base / scale + r * W. The
/// kernel's values are z-normalised (sum 0, sum of squares l), so sum_j v_j z_ij is
/// dot_i / std_i (subtracting x[i], or the mean, from every value of the window does not
/// change the dot product when the values sum to 0). Clamped at 0 against rounding.
template <class T, int VB, int NV>
STRIDER_ALWAYS_INLINE void shape_distances(const T* base, const T* scale,
                                           typename Simd<T, VB>::V* acc) {
  using S = Simd<T, VB>;
  using V = typename S::V;
  constexpr int W = S::W;
#pragma GCC unroll 16
  for (int r = 0; r < NV; ++r) {
    const V b = S::load(base + r * W), s = S::load(scale + r * W);
    const V c = b - s * acc[r];
    // scale 0 (a constant window): base, even if the products overflowed
    acc[r] = s == V{} ? b : (c > V{} ? c : V{});
  }
}

/// Running features of one kernel, updated while c is still in registers; with Occ, the
/// number of occurrences too (a template parameter, so that the three-feature loop keeps
/// its registers).
template <class T, int VB, bool Occ>
struct RunningFeatures {
  using S = Simd<T, VB>;
  using V = typename S::V;
  using M = typename S::M;
  using E = typename S::E;
  using L = Lanes<T, VB>;
  static constexpr int W = S::W;

  V prev;  // c left of the next vector
  V mn;    // per-lane minimum so far
  M arg;   // per lane: first position of mn
  M pos;   // positions of the next vector
  M inc;   // per lane: the number of increasing steps
  V thr;   // the kernel's threshold
  M occ;   // per lane: the number of positions with c < thr

  // User-provided (not default member initialisers): an implicit constructor would be
  // compiled without this region's target options.
  STRIDER_ALWAYS_INLINE RunningFeatures()
      : prev(S::splat(std::numeric_limits<T>::infinity())),
        mn(S::splat(std::numeric_limits<T>::infinity())),
        arg(M{}),
        pos(L::iota()),
        inc(M{}),
        thr(V{}),
        occ(M{}) {}

  /// Adds NV vectors of consecutive positions. `valid` > 0: only the first `valid`
  /// lanes of the last vector are positions.
  template <int NV>
  STRIDER_ALWAYS_INLINE void add(const V* acc, int valid) {
#pragma GCC unroll 16
    for (int r = 0; r < NV; ++r) {
      V up = acc[r], lo = acc[r];
      if (r == NV - 1 && valid > 0) {  // lanes past the end: no step, no minimum
        const M ok = L::iota() < S::splat_mask(static_cast<E>(valid));
        up = ok ? up : S::splat(-std::numeric_limits<T>::infinity());
        lo = ok ? lo : S::splat(std::numeric_limits<T>::infinity());
      }
      inc = up > L::left_neighbours(prev, up) ? inc + static_cast<E>(1) : inc;
      prev = up;
      if constexpr (Occ) occ = lo < thr ? occ + static_cast<E>(1) : occ;  // past the end: +inf
      const M lt = lo < mn;  // strict: each lane keeps its first minimum
      mn = lt ? lo : mn;
      arg = lt ? pos : arg;
      pos += static_cast<E>(W);
    }
  }

  /// Writes min, fraction of increasing steps, first argmin and, with Occ, the fraction
  /// of occurrences (no branch on the data, so the next kernel can start while these
  /// reductions complete).
  STRIDER_ALWAYS_INLINE void finish(index_t n_pos, T* out) const {
    const V best = L::all_min(mn);
    const M big = S::splat_mask(std::numeric_limits<E>::max());
    const M first = L::all_min((mn == best) ? arg : big);
    const auto n_inc = static_cast<index_t>(L::all_sum(inc)[0]);
    out[0] = best[0];
    out[1] = n_pos > 1 ? static_cast<T>(static_cast<double>(n_inc) / static_cast<double>(n_pos - 1))
                       : T(0);
    out[2] = static_cast<T>(first[0]);
    if constexpr (Occ) {
      const auto n_occ = static_cast<index_t>(L::all_sum(occ)[0]);
      out[3] = static_cast<T>(static_cast<double>(n_occ) / static_cast<double>(n_pos));
    }
  }
};

/// Per-position window statistics of the shape kernels of one (length, dilation,
/// padding) on one series: the arrays base and scale of shape_distances, in the thread's
/// buffers, kept while consecutive shape kernels share that geometry.
template <class T>
struct WindowStats {
  WindowBuffers<T>& buf;
  const T* x = nullptr;  // what they were computed for
  index_t n_pos = -1, length = -1, dilation = -1;

  /// Computes them for the n windows x[i + j d], j < l (unless already there), in double
  /// as Kernel::distance_at defines them, two passes per window (mean, then squared
  /// deviations), VB bytes of doubles at a time. Entries up to
  /// a whole number of vectors of T are filled, from the windows there, which the
  /// distances read anyway, so that full-vector loads stay inside.
  template <int VB>
  void compute(const T* xs, index_t n, index_t l, index_t d) {
    if (xs == x && n == n_pos && l == length && d == dilation) return;
    using S = Simd<double, VB>;
    using V = typename S::V;
    constexpr int W = S::W;
    constexpr index_t WT = VB / static_cast<index_t>(sizeof(T));
    const index_t padded = (n + WT - 1) / WT * WT;  // a multiple of W too
    const auto size = static_cast<std::size_t>(padded);
    if (buf.base.size() < size) {
      buf.base.resize(size);
      buf.scale.resize(size);
      buf.mean.resize(size);
      buf.var.resize(size);
    }
    const V l_v = S::splat(static_cast<double>(l));
    for (index_t i = 0; i < padded; i += W) {
      const T* p0 = xs + i;
      V sum{};
      const T* p = p0;
      for (index_t j = 0; j < l; ++j, p += d)
        sum += load<VB>(p);
      const V mean = sum / l_v;
      V ss{};
      p = p0;
      for (index_t j = 0; j < l; ++j, p += d) {
        const V e = load<VB>(p) - mean;
        ss += e * e;
      }
      const V var = ss / l_v;
      std::memcpy(buf.mean.data() + i, &mean, sizeof mean);
      std::memcpy(buf.var.data() + i, &var, sizeof var);
    }
    // A plain loop over the arrays, which the compiler vectorises (square roots and
    // divisions included: this file is compiled without errno and traps, CMakeLists.txt).
    const double l_d = static_cast<double>(l);
    const double* mean_p = buf.mean.data();
    const double* var_p = buf.var.data();
    T* base_p = buf.base.data();
    T* scale_p = buf.scale.data();
    for (index_t i = 0; i < padded; ++i) {
      const double sd = std::sqrt(var_p[i]);
      const double two_over_sd = 2.0 / sd;  // unconditional (inf when sd = 0): vectorises
      const bool shaped = Spread::varies(mean_p[i], sd);  // as Kernel::distance_at
      base_p[i] = static_cast<T>(shaped ? 2.0 * l_d : l_d);
      scale_p[i] = static_cast<T>(shaped ? two_over_sd : 0.0);
    }
    x = xs;
    n_pos = n;
    length = l;
    dilation = d;
  }

 private:
  /// Vector of doubles of the values at p.
  template <int VB = STRIDER_VECTOR_BYTES>
  STRIDER_ALWAYS_INLINE static typename Simd<double, VB>::V load(const T* p) {
    using S = Simd<double, VB>;
    if constexpr (sizeof(T) == sizeof(double)) {
      return S::load(reinterpret_cast<const double*>(p));
    } else {
      typename VecOf<T, S::W>::type v;
      std::memcpy(&v, p, sizeof v);
      return __builtin_convertvector(v, typename S::V);
    }
  }
};

/// The tail tile: nv (1 <= nv < R) vectors, dispatched to a compile-time count.
template <class T, int VB, int NV, int G, bool Occ, bool Shape>
STRIDER_ALWAYS_INLINE void tail_tile(int nv, const T* x, index_t d, const T* const* v, index_t l,
                                     int valid, const T* base, const T* scale,
                                     RunningFeatures<T, VB, Occ>* f) {
  if constexpr (NV >= 1) {
    if (nv == NV) {
      typename Simd<T, VB>::V acc[G][NV];
      distance_tile<T, VB, NV, G, Shape>(x, d, v, l, acc);
#pragma GCC unroll 16
      for (int g = 0; g < G; ++g) {
        if constexpr (Shape) shape_distances<T, VB, NV>(base, scale, acc[g]);
        f[g].template add<NV>(acc[g], valid);
      }
    } else {
      tail_tile<T, VB, NV - 1, G, Occ, Shape>(nv, x, d, v, l, valid, base, scale, f);
    }
  }
}

/// The features of G kernels of the same length, dilation and padding, on n_pos >= 1
/// positions starting at x; kernel g (values v[g][0 .. l-1], threshold v[g][l]) writes
/// out[g][0 .. 2], and out[g][3] with Occ. With Shape, the kernels are shape kernels and
/// base / scale hold the windows' statistics (WindowStats).
template <class T, int VB, int R, int G, bool Occ, bool Shape>
STRIDER_ALWAYS_INLINE void kernel_features(const T* x, index_t n_pos, index_t d, const T* const* v,
                                           index_t l, const T* base, const T* scale,
                                           T* const* out) {
  constexpr index_t W = Simd<T, VB>::W;
  const index_t n_vec = (n_pos + W - 1) / W;
  const index_t n_tiles = n_vec / R;
  const int nv_tail = static_cast<int>(n_vec % R);
  const int valid = static_cast<int>(n_pos % W);  // 0: the last vector is full
  RunningFeatures<T, VB, Occ> f[G];
  if constexpr (Occ) {
#pragma GCC unroll 16
    for (int g = 0; g < G; ++g)
      f[g].thr = Simd<T, VB>::splat(v[g][l]);
  }
  for (index_t t = 0; t < n_tiles; ++t) {
    typename Simd<T, VB>::V acc[G][R];
    distance_tile<T, VB, R, G, Shape>(x + t * R * W, d, v, l, acc);
    const int last_valid = nv_tail == 0 && t == n_tiles - 1 ? valid : 0;
#pragma GCC unroll 16
    for (int g = 0; g < G; ++g) {
      if constexpr (Shape) shape_distances<T, VB, R>(base + t * R * W, scale + t * R * W, acc[g]);
      f[g].template add<R>(acc[g], last_valid);
    }
  }
  if (nv_tail > 0) {
    const index_t done = n_tiles * R * W;
    tail_tile<T, VB, R - 1, G, Occ, Shape>(nv_tail, x + done, d, v, l, valid,
                                           Shape ? base + done : nullptr,
                                           Shape ? scale + done : nullptr, f);
  }
#pragma GCC unroll 16
  for (int g = 0; g < G; ++g)
    f[g].finish(n_pos, out[g]);
}

/// kernel_features for g = 1 .. G kernels (a run-time count).
template <class T, int VB, int R, int G, bool Occ, bool Shape>
STRIDER_ALWAYS_INLINE void group_features(int g, const T* x, index_t n_pos, index_t d,
                                          const T* const* v, index_t l, const T* base,
                                          const T* scale, T* const* out) {
  if constexpr (G >= 2) {
    if (g == 2) kernel_features<T, VB, R, 2, Occ, Shape>(x, n_pos, d, v, l, base, scale, out);
  }
  if constexpr (G >= 3) {
    if (g == 3) kernel_features<T, VB, R, 3, Occ, Shape>(x, n_pos, d, v, l, base, scale, out);
  }
  if constexpr (G >= 4) {
    if (g == 4) kernel_features<T, VB, R, 4, Occ, Shape>(x, n_pos, d, v, l, base, scale, out);
  }
  if (g == 1) kernel_features<T, VB, R, 1, Occ, Shape>(x, n_pos, d, v, l, base, scale, out);
}

/// Runs of up to G consecutive kernels with equal (length, dilation, padding, shape) are
/// done together (the plan sorts kernels so that such runs are common).
template <class T, int VB, int R, int G, bool Occ>
STRIDER_ALWAYS_INLINE void run(const T* x0, index_t n_points, const PlanEntry* first,
                               const PlanEntry* last, const T* values, T* out_row,
                               WindowStats<T>& stats) {
  constexpr index_t per_kernel = Occ ? 4 : 3;
  const PlanEntry* e = first;
  while (e != last) {
    int g = 1;
    while (g < G && e + g != last && e[g].length == e->length && e[g].dilation == e->dilation &&
           e[g].padding == e->padding && e[g].shape == e->shape)
      ++g;
    const index_t n_pos =
        std::max<index_t>(n_points + 2 * e->padding - (e->length - 1) * e->dilation, 1);
    const T* v[G];
    T* out[G];
    for (int k = 0; k < G; ++k) {
      const PlanEntry& ek = e[k < g ? k : 0];
      v[k] = values + ek.offset;
      out[k] = out_row + per_kernel * ek.kernel;
    }
    const T* x = x0 - e->padding;
    if (e->shape) {
      stats.template compute<VB>(x, n_pos, e->length, e->dilation);
      group_features<T, VB, R, G, Occ, true>(g, x, n_pos, e->dilation, v, e->length,
                                             stats.buf.base.data(), stats.buf.scale.data(), out);
    } else {
      group_features<T, VB, R, G, Occ, false>(g, x, n_pos, e->dilation, v, e->length, nullptr,
                                              nullptr, out);
    }
    e += g;
  }
}

/// The entry point of this instruction set (see FeatureRunFn).
template <class T>
[[gnu::noinline]] void run_entry(const T* x0, index_t n_points, const PlanEntry* first,
                                 const PlanEntry* last, const T* values, T* out_row,
                                 index_t per_kernel, WindowBuffers<T>& windows) {
  WindowStats<T> stats{windows};
  if (per_kernel == 4) {
    run<T, STRIDER_VECTOR_BYTES, STRIDER_TILE, STRIDER_GROUP, true>(x0, n_points, first, last,
                                                                    values, out_row, stats);
  } else {
    run<T, STRIDER_VECTOR_BYTES, STRIDER_TILE, STRIDER_GROUP, false>(x0, n_points, first, last,
                                                                     values, out_row, stats);
  }
}
