// Insertion sort of 10,000 random doubles (Numba tutorial: 11.1 s Python, 0.24 s numba @jit)
// beside std::sort and std::stable_sort. All sort a fresh copy, as the document's function
// does. Serial by nature: no thread variants (numba's parallel=True found nothing either).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/insertion_sort.hpp"

namespace {

const std::int64_t kN = strider::bench::size<std::int64_t>(10'000, 200);

std::vector<double> random_doubles(std::int64_t n) {
  strider::Rng rng(0);
  std::vector<double> v(static_cast<std::size_t>(n));
  for (double& x : v)
    x = rng.uniform();
  return v;
}

void BM_UtilsInsertionSort(benchmark::State& state) {
  const std::vector<double> data = random_doubles(state.range(0));
  for (auto _ : state) {
    auto sorted = strider::utils::insertion_sort(data);
    benchmark::DoNotOptimize(sorted.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsInsertionSort)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_UtilsStdSort(benchmark::State& state) {
  const std::vector<double> data = random_doubles(state.range(0));
  for (auto _ : state) {
    std::vector<double> sorted = data;
    std::sort(sorted.begin(), sorted.end());
    benchmark::DoNotOptimize(sorted.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsStdSort)->Arg(kN)->Unit(benchmark::kMillisecond);

void BM_UtilsStdStableSort(benchmark::State& state) {
  const std::vector<double> data = random_doubles(state.range(0));
  for (auto _ : state) {
    std::vector<double> sorted = data;
    std::stable_sort(sorted.begin(), sorted.end());
    benchmark::DoNotOptimize(sorted.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsStdStableSort)->Arg(kN)->Unit(benchmark::kMillisecond);

}  // namespace
