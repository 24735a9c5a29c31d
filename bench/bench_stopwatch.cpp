// What the timers and memory probes of strider/stopwatch.hpp cost per call (they are read
// around every long step of `strider evaluate`). No threads.
#include <benchmark/benchmark.h>

#include "strider/stopwatch.hpp"

namespace {

void BM_Stopwatch_Elapsed(benchmark::State& state) {
  strider::Stopwatch w;
  for (auto _ : state)
    benchmark::DoNotOptimize(w.elapsed());
}
BENCHMARK(BM_Stopwatch_Elapsed);

void BM_Stopwatch_ProcessCpuSeconds(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(strider::process_cpu_seconds());
}
BENCHMARK(BM_Stopwatch_ProcessCpuSeconds);

void BM_Stopwatch_PeakRss(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(strider::peak_rss_bytes());
}
BENCHMARK(BM_Stopwatch_PeakRss);

void BM_Stopwatch_CurrentRss(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(strider::current_rss_bytes());
}
BENCHMARK(BM_Stopwatch_CurrentRss);

}  // namespace
