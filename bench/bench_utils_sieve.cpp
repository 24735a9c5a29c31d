// Sieve of Eratosthenes up to 30,000,000 (CÉCI: 10.4 s pure Python, 0.55 s numpy,
// 0.51 s Pythran): the plain byte sieve beside the segmented odd-only bit sieve on 1 and 2
// threads. Items are the numbers sieved.

#include <benchmark/benchmark.h>

#include <cstdint>

#include "bench_common.hpp"
#include "strider/utils/sieve.hpp"

namespace {

using strider::bench::size;

const std::int64_t kLimit = size<std::int64_t>(30'000'000, 10'000);

void BM_UtilsSievePlain(benchmark::State& state) {
  const auto limit = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) {
    auto primes = strider::utils::primes_up_to(limit);
    benchmark::DoNotOptimize(primes.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsSievePlain)->Arg(kLimit)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_UtilsSieveSegmented(benchmark::State& state) {
  const auto limit = static_cast<std::uint64_t>(state.range(0));
  const strider::utils::SieveParams params{.n_jobs = static_cast<int>(state.range(1))};
  for (auto _ : state) {
    auto primes = strider::utils::primes_up_to_segmented(limit, params);
    benchmark::DoNotOptimize(primes.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsSieveSegmented)
    ->ArgNames({"limit", "threads"})
    ->Args({kLimit, 1})
    ->Args({kLimit, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_UtilsSieveCount(benchmark::State& state) {
  const auto limit = static_cast<std::uint64_t>(state.range(0));
  const strider::utils::SieveParams params{.n_jobs = static_cast<int>(state.range(1))};
  for (auto _ : state) {
    benchmark::DoNotOptimize(strider::utils::count_primes_up_to(limit, params));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsSieveCount)
    ->ArgNames({"limit", "threads"})
    ->Args({kLimit, 1})
    ->Args({kLimit, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
