// Normal density over 10,000,000 standard normal points (numba/joblib tutorial: 1.93 s scipy.stats,
// 41.6 ms parallel numba ufunc, the latter with the exponent's sign wrong). The plain
// version is a scalar loop calling std::exp (not vectorised); the fast one is normal_pdf()
// (vectorised exp, parallel chunks) on 1 and 2 threads, into a preallocated output, and
// returning a new vector as the numba ufunc does. Items are points.

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/normal_pdf.hpp"

namespace {

using strider::index_t;
using strider::VectorD;

const std::int64_t kPoints = strider::bench::size<std::int64_t>(10'000'000, 1'000);

const VectorD& points() {
  static const VectorD x = [] {
    strider::Rng rng(0);
    VectorD v(kPoints);
    for (index_t i = 0; i < v.size(); ++i)
      v(i) = rng.normal();
    return v;
  }();
  return x;
}

void BM_UtilsNormalPdfPlain(benchmark::State& state) {
  const VectorD& x = points();
  VectorD out(x.size());
  const double mu = 0.0, sigma = 1.0;
  for (auto _ : state) {
    for (index_t i = 0; i < x.size(); ++i) {
      const double y = (x(i) - mu) / sigma;
      out(i) = std::exp(-0.5 * y * y) / (sigma * std::sqrt(2.0 * std::numbers::pi));
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * x.size());
}
BENCHMARK(BM_UtilsNormalPdfPlain)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_UtilsNormalPdf(benchmark::State& state) {
  const VectorD& x = points();
  VectorD out(x.size());
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    strider::utils::normal_pdf(x, 0.0, 1.0, out, threads);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * x.size());
}
BENCHMARK(BM_UtilsNormalPdf)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_UtilsNormalPdfNewVector(benchmark::State& state) {
  const VectorD& x = points();
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    VectorD out = strider::utils::normal_pdf(x, 0.0, 1.0, threads);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * x.size());
}
BENCHMARK(BM_UtilsNormalPdfNewVector)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
