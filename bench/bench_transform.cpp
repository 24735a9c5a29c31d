// DilatedKernelTransform::transform throughput, beside a plain-loop reference.
//
// Items are distance terms: sum over series and kernels of L x l (one subtraction and
// one multiply-add each), so items/s is comparable across shapes. The headline case is
// random data of shape (1500, 1, 150), K = 10,000, 1 and 2 threads, float64
// and float32 (numba reference on this machine: 28.5 s with 2 threads, 46.5 s with 1).
//
//   cmake --preset release && cmake --build --preset release -j2 --target strider_bench
//   ./build/release/bench/strider_bench --benchmark_filter=transform
//     --benchmark_repetitions=5 --benchmark_report_aggregates_only=true  (one line)

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "../src/transform/simd.hpp"
#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace strider::bench {
namespace {

Panel random_panel(index_t n, index_t t, std::uint64_t seed) {
  Panel::Tensor data =
      Panel::Tensor::from_shape({static_cast<std::size_t>(n), 1, static_cast<std::size_t>(t)});
  Rng rng(seed, 1);
  for (double& v : data)
    v = rng.normal();
  return Panel(std::move(data));
}

/// Distance terms of one transform: N * sum_k L_k * l_k.
double distance_terms(const DilatedKernelTransform& t, index_t n_series, index_t n_points) {
  double per_series = 0;
  for (const Kernel& k : t.kernels())
    per_series += static_cast<double>(k.n_positions(n_points) * k.length);
  return per_series * static_cast<double>(n_series);
}

struct Case {
  index_t n, t, k;
  int threads;
  bool single;  // float32
  detail::SimdLevel cap = detail::SimdLevel::avx512;
  double p_shape = 0.0;  // share of shape kernels (z-normalised windows)
};

void run_transform(benchmark::State& state, Case c) {
  const Panel x = random_panel(c.n, c.t, 42);
  DilatedKernelTransform dkt(DilatedKernelTransformParams{
      .n_kernels = c.k, .random_state = 0, .n_jobs = c.threads, .p_shape = c.p_shape});
  dkt.fit(x);
  detail::set_simd_level_cap(c.cap);
  for (auto _ : state) {
    if (c.single) {
      benchmark::DoNotOptimize(dkt.transform<float>(x).data());
    } else {
      benchmark::DoNotOptimize(dkt.transform<double>(x).data());
    }
  }
  detail::set_simd_level_cap(detail::SimdLevel::avx512);
  const double terms = distance_terms(dkt, c.n, c.t);
  state.SetItemsProcessed(static_cast<std::int64_t>(terms) * state.iterations());
  state.counters["terms_per_series_kernel"] =
      terms / static_cast<double>(c.n) / static_cast<double>(c.k);
}

/// The plain loops straight from the definition (what a direct port would do).
void run_naive(benchmark::State& state, index_t n_series, index_t n_points, index_t n_kernels) {
  const Panel x = random_panel(n_series, n_points, 43);
  DilatedKernelTransform dkt(DilatedKernelTransformParams{.n_kernels = n_kernels});
  dkt.fit(x);
  RowMatrixD out(n_series, 3 * n_kernels);
  std::vector<double> xpad, c;
  for (auto _ : state) {
    for (index_t n = 0; n < n_series; ++n) {
      for (std::size_t kk = 0; kk < dkt.kernels().size(); ++kk) {
        const Kernel& k = dkt.kernels()[kk];
        xpad.assign(static_cast<std::size_t>(k.padding), 0.0);
        xpad.insert(xpad.end(), x.series(n), x.series(n) + n_points);
        xpad.resize(std::max<std::size_t>(xpad.size() + static_cast<std::size_t>(k.padding),
                                          static_cast<std::size_t>(k.span())),
                    0.0);
        const index_t n_pos = static_cast<index_t>(xpad.size()) - (k.length - 1) * k.dilation;
        c.assign(static_cast<std::size_t>(n_pos), 0.0);
        for (index_t i = 0; i < n_pos; ++i)
          for (index_t j = 0; j < k.length; ++j) {
            const double diff = xpad[static_cast<std::size_t>(i + j * k.dilation)] -
                                k.values[static_cast<std::size_t>(j)];
            c[static_cast<std::size_t>(i)] += diff * diff;
          }
        std::size_t arg = 0, inc = 0;
        for (std::size_t i = 1; i < c.size(); ++i) {
          if (c[i] < c[arg]) arg = i;
          if (c[i] > c[i - 1]) ++inc;
        }
        out(n, static_cast<index_t>(3 * kk)) = c[arg];
        out(n, static_cast<index_t>(3 * kk + 1)) =
            c.size() > 1 ? static_cast<double>(inc) / static_cast<double>(c.size() - 1) : 0.0;
        out(n, static_cast<index_t>(3 * kk + 2)) = static_cast<double>(arg);
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(distance_terms(dkt, n_series, n_points)) *
                          state.iterations());
}

std::string case_name(const Case& c) {
  std::string s = std::string("transform/") + (c.single ? "f32" : "f64") +
                  "/N:" + std::to_string(c.n) + "/T:" + std::to_string(c.t) +
                  "/K:" + std::to_string(c.k) + "/threads:" + std::to_string(c.threads);
  if (c.cap != detail::SimdLevel::avx512)
    s += std::string("/simd:") + detail::simd_level_name(c.cap);
  if (c.p_shape > 0.0) s += "/shape_pct:" + std::to_string(static_cast<int>(100 * c.p_shape));
  return s;
}

void add(const Case& c) {
  benchmark::RegisterBenchmark(case_name(c).c_str(), run_transform, c)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

const bool registered = [] {
  const bool smoke = smoke_mode();
  const index_t n = smoke ? 6 : 1500, k = smoke ? 20 : 10000, t = smoke ? 30 : 150;
  // Headline: the benchmark shape, float64 / float32, 1 and 2 threads.
  for (bool single : {false, true})
    for (int threads : {1, 2})
      add({n, t, k, threads, single});
  // Throughput at longer series (fewer series to keep the run short; items/s compares).
  for (bool single : {false, true})
    for (int threads : {1, 2}) {
      add({smoke ? 4 : 300, smoke ? 50 : 500, k, threads, single});
      add({smoke ? 2 : 75, smoke ? 80 : 2000, k, threads, single});
    }
  // Linear scaling in N, K and T (float64, 2 threads): compare times along each axis.
  for (index_t f : {4, 2})
    add({n / f, t, k, 2, false});
  for (index_t f : {4, 2})
    add({n, t, k / f, 2, false});
  for (index_t tt : {smoke ? index_t{60} : index_t{300}, smoke ? index_t{120} : index_t{600}})
    add({n, tt, k, 2, false});
  // Shape kernels (p_shape 0.5 and 1, 1 thread): their cost against the plain kernels of
  // the same size above (the windows' std is computed once per length, dilation and
  // padding on each series and block of 256 kernels).
  for (bool single : {false, true})
    for (double ps : {0.5, 1.0}) {
      add({n, t, k, 1, single, detail::SimdLevel::avx512, ps});
      add({smoke ? 4 : 300, smoke ? 50 : 500, k, 1, single, detail::SimdLevel::avx512, ps});
    }
  // The narrower code paths on this CPU (1 thread), for the multiversioning gain.
  for (detail::SimdLevel cap : {detail::SimdLevel::baseline, detail::SimdLevel::avx2})
    for (bool single : {false, true})
      add({n, t, k, 1, single, cap});
  // Plain loops from the definition, on a tenth of the kernels.
  const index_t kn = smoke ? 10 : 1000;
  benchmark::RegisterBenchmark(("transform_naive/f64/N:" + std::to_string(n) + "/T:" +
                                std::to_string(t) + "/K:" + std::to_string(kn) + "/threads:1")
                                   .c_str(),
                               run_naive, n, t, kn)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace strider::bench
