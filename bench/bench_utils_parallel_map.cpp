// parallel_map overhead on joblib's example (sqrt of i^2 for 10 values), and the sum of
// square roots (numba's do_sum_parallel): the plain loop against the fixed-order blocked
// reduction with 1 and 2 threads. The 32-job wait_loop benchmark that uses parallel_map
// is in bench_utils_wait_loop.cpp; the progress bar's cost is in bench_progress.cpp.
#include <benchmark/benchmark.h>

#include <cmath>
#include <ranges>
#include <vector>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/parallel_map.hpp"
#include "strider/utils/parallel_reduce.hpp"

namespace {

using strider::index_t;
namespace utils = strider::utils;

// Parallel(n_jobs)(delayed(sqrt)(i**2) for i in range(10)): pure overhead.
void BM_ParallelMap_JoblibExample(benchmark::State& state) {
  utils::ParallelMapOptions options;
  options.n_jobs = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const auto r = utils::parallel_map(
        std::views::iota(0, 10), [](int i) { return std::sqrt(double(i * i)); }, options);
    benchmark::DoNotOptimize(r.data());
  }
  state.SetItemsProcessed(state.iterations() * 10);
}
BENCHMARK(BM_ParallelMap_JoblibExample)->Arg(1)->Arg(2)->UseRealTime();

std::vector<double> values(std::size_t n) {
  strider::Rng rng(1);
  std::vector<double> a(n);
  for (auto& v : a)
    v = rng.uniform(0.0, 100.0);
  return a;
}

void BM_SumSqrt_Plain(benchmark::State& state) {
  const auto a = values(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(utils::sum_sqrt_plain(a));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * state.range(0) * 8);
}
BENCHMARK(BM_SumSqrt_Plain)
    ->Arg(strider::bench::size<index_t>(10000000, 10000))
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_SumSqrt_Blocked(benchmark::State& state) {
  const auto a = values(static_cast<std::size_t>(state.range(0)));
  const auto n_jobs = static_cast<int>(state.range(1));
  for (auto _ : state)
    benchmark::DoNotOptimize(utils::sum_sqrt(a, n_jobs));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * state.range(0) * 8);
}
BENCHMARK(BM_SumSqrt_Blocked)
    ->Args({strider::bench::size<index_t>(10000000, 10000), 1})
    ->Args({strider::bench::size<index_t>(10000000, 10000), 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
