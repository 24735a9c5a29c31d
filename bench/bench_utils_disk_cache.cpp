// DiskCache on the numba/joblib tutorial's joblib.Memory example: a function of a sample of
// 10,000 float32 values (the document caches walsh_median_numpy: 4.3 s to compute,
// 5.33 ms to load from the cache). "Hit" is a served call (serialise and hash the
// argument, read and verify the entry, deserialise the result); "Miss" computes a cheap
// function and stores the entry (atomic write). IO-bound: no threads.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/types.hpp"
#include "strider/utils/disk_cache.hpp"

namespace {

using strider::index_t;
namespace utils = strider::utils;
namespace fs = std::filesystem;

std::vector<float> sample(index_t n) {
  strider::Rng rng(3);
  std::vector<float> x(static_cast<std::size_t>(n));
  for (auto& v : x)
    v = static_cast<float>(rng.uniform());
  return x;
}

double mean(const std::vector<float>& x) {
  double s = 0;
  for (const float v : x)
    s += v;
  return s / static_cast<double>(x.size());
}

fs::path cache_dir(const char* name) {
  return fs::temp_directory_path() / (std::string("strider_bench_cache_") + name);
}

void BM_DiskCache_Hit(benchmark::State& state) {
  const auto x = sample(state.range(0));
  const fs::path dir = cache_dir("hit");
  utils::DiskCache cache(dir);
  cache.call("mean", mean, x);
  for (auto _ : state)
    benchmark::DoNotOptimize(cache.call("mean", mean, x));
  state.counters["hits"] = static_cast<double>(cache.hits());
  fs::remove_all(dir);
}
BENCHMARK(BM_DiskCache_Hit)
    ->Arg(strider::bench::size<index_t>(10000, 100))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void BM_DiskCache_Miss(benchmark::State& state) {
  const auto x = sample(state.range(0));
  const fs::path dir = cache_dir("miss");
  utils::DiskCache cache(dir);
  for (auto _ : state) {
    state.PauseTiming();
    cache.clear();
    state.ResumeTiming();
    benchmark::DoNotOptimize(cache.call("mean", mean, x));
  }
  fs::remove_all(dir);
}
BENCHMARK(BM_DiskCache_Miss)
    ->Arg(strider::bench::size<index_t>(10000, 100))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// The function alone, for scale.
void BM_DiskCache_DirectCall(benchmark::State& state) {
  const auto x = sample(state.range(0));
  for (auto _ : state)
    benchmark::DoNotOptimize(mean(x));
}
BENCHMARK(BM_DiskCache_DirectCall)
    ->Arg(strider::bench::size<index_t>(10000, 100))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
