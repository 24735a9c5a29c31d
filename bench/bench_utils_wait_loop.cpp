// The compute-bound triangular loop (the "scipar" workshop's wait_loop), serial against
// OpenMP over the outer loop with 1 and 2 threads; and the document's own setup, 32 jobs
// of wait_loop(1000) spread by parallel_map (joblib threads in the document: 12.7x
// effective speedup, CPU / wall, on 16 threads).
#include <benchmark/benchmark.h>

#include <ranges>

#include "bench_common.hpp"
#include "strider/stopwatch.hpp"
#include "strider/utils/parallel_map.hpp"
#include "strider/utils/wait_loop.hpp"

namespace {

using strider::index_t;
namespace utils = strider::utils;

// n (n - 1) / 2 square roots per call.
void set_items(benchmark::State& state, index_t n, index_t calls = 1) {
  state.SetItemsProcessed(state.iterations() * calls * (n * (n - 1) / 2));
}

void BM_WaitLoop_Plain(benchmark::State& state) {
  const index_t n = state.range(0);
  for (auto _ : state)
    benchmark::DoNotOptimize(utils::wait_loop_plain(n));
  set_items(state, n);
}
BENCHMARK(BM_WaitLoop_Plain)
    ->Arg(strider::bench::size<index_t>(10000, 200))
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_WaitLoop_OpenMP(benchmark::State& state) {
  const index_t n = state.range(0);
  const auto n_jobs = static_cast<int>(state.range(1));
  strider::Stopwatch watch(false);
  for (auto _ : state) {
    watch.start();
    benchmark::DoNotOptimize(utils::wait_loop(n, n_jobs));
    watch.stop();
  }
  set_items(state, n);
  state.counters["cpu_per_wall"] = watch.elapsed().cpu_wall_ratio();
}
BENCHMARK(BM_WaitLoop_OpenMP)
    ->Args({strider::bench::size<index_t>(10000, 200), 1})
    ->Args({strider::bench::size<index_t>(10000, 200), 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The document's joblib benchmark: njobs = 32 calls of wait_loop(nloops = 1000).
void BM_WaitLoop_32Jobs_Serial(benchmark::State& state) {
  const index_t n = state.range(0);
  const index_t jobs = strider::bench::size<index_t>(32, 4);
  for (auto _ : state) {
    double s = 0;
    for (index_t j = 0; j < jobs; ++j)
      s += utils::wait_loop_plain(n);
    benchmark::DoNotOptimize(s);
  }
  set_items(state, n, jobs);
}
BENCHMARK(BM_WaitLoop_32Jobs_Serial)
    ->Arg(strider::bench::size<index_t>(1000, 100))
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_WaitLoop_32Jobs_ParallelMap(benchmark::State& state) {
  const index_t n = state.range(0);
  const index_t jobs = strider::bench::size<index_t>(32, 4);
  utils::ParallelMapOptions options;
  options.n_jobs = static_cast<int>(state.range(1));
  strider::Stopwatch watch(false);
  for (auto _ : state) {
    watch.start();
    const auto r = utils::parallel_map(
        std::views::iota(index_t{0}, jobs), [&](index_t) { return utils::wait_loop_plain(n); },
        options);
    watch.stop();
    benchmark::DoNotOptimize(r.data());
  }
  set_items(state, n, jobs);
  state.counters["cpu_per_wall"] = watch.elapsed().cpu_wall_ratio();
}
BENCHMARK(BM_WaitLoop_32Jobs_ParallelMap)
    ->Args({strider::bench::size<index_t>(1000, 100), 1})
    ->Args({strider::bench::size<index_t>(1000, 100), 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
