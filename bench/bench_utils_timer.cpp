// Item 11: what the timers and memory probes cost per call (they are read around every
// long step of `strider evaluate`). No threads and no document figure: the documents
// time with contexttimer/perf_counter/process_time, `time` and memory_profiler.
#include <benchmark/benchmark.h>

#include "strider/utils/timer.hpp"

namespace {

namespace utils = strider::utils;

void BM_Timer_StopwatchElapsed(benchmark::State& state) {
  utils::Stopwatch w;
  for (auto _ : state)
    benchmark::DoNotOptimize(w.elapsed());
}
BENCHMARK(BM_Timer_StopwatchElapsed);

void BM_Timer_ProcessCpuSeconds(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(utils::process_cpu_seconds());
}
BENCHMARK(BM_Timer_ProcessCpuSeconds);

void BM_Timer_PeakRss(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(utils::peak_rss_bytes());
}
BENCHMARK(BM_Timer_PeakRss);

void BM_Timer_CurrentRss(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(utils::current_rss_bytes());
}
BENCHMARK(BM_Timer_CurrentRss);

}  // namespace
