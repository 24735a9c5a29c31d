// Walsh averages median (numba/joblib tutorial). One sample of 1,000 uniforms with i <= j, as the
// document's numpy version (58.8 ms numpy, 141 ms @jit, 1.46 s Python); and 10,000 samples
// of 100 with i < j, as its guvectorize version (265 ms parallel guvectorize, 4.62 s
// np.vectorize). The plain version stores every average and fully sorts it (the document's
// algorithm); the fast ones select with std::nth_element over the stored averages
// (materialize) or bisect on the value with O(n) counts (bisect), rows in parallel. Items
// are samples.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/walsh_median.hpp"

namespace {

using strider::index_t;
using strider::RowMatrixD;
using strider::VectorD;
using strider::bench::size;
using strider::utils::WalshAlgorithm;
using strider::utils::WalshPairs;

const std::int64_t kOneSample = size<std::int64_t>(1'000, 50);
const std::int64_t kSamples = size<std::int64_t>(10'000, 20);
constexpr std::int64_t kSampleSize = 100;

RowMatrixD uniforms(index_t rows, index_t cols) {
  strider::Rng rng(0);
  RowMatrixD m(rows, cols);
  for (index_t r = 0; r < rows; ++r) {
    for (index_t c = 0; c < cols; ++c)
      m(r, c) = rng.uniform();
  }
  return m;
}

// The document's algorithm done right: all averages, full sort, middle of M values.
double plain_walsh_median(const double* x, index_t n, WalshPairs pairs, std::vector<double>& w) {
  w.clear();
  for (index_t i = 0; i < n; ++i) {
    for (index_t j = (pairs == WalshPairs::with_self ? i : i + 1); j < n; ++j)
      w.push_back((x[i] + x[j]) / 2.0);
  }
  std::sort(w.begin(), w.end());
  const std::size_t m = w.size();
  return m % 2 == 1 ? w[m / 2] : 0.5 * (w[m / 2 - 1] + w[m / 2]);
}

void BM_UtilsWalshMedianOnePlain(benchmark::State& state) {
  const RowMatrixD x = uniforms(1, state.range(0));
  std::vector<double> w;
  for (auto _ : state)
    benchmark::DoNotOptimize(plain_walsh_median(x.data(), x.cols(), WalshPairs::with_self, w));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UtilsWalshMedianOnePlain)->Arg(kOneSample)->Unit(benchmark::kMillisecond);

// range(1): 0 = WalshAlgorithm::materialize (std::nth_element), 1 = bisect.
WalshAlgorithm algorithm_arg(std::int64_t a) {
  return a == 0 ? WalshAlgorithm::materialize : WalshAlgorithm::bisect;
}

void BM_UtilsWalshMedianOne(benchmark::State& state) {
  const RowMatrixD x = uniforms(1, state.range(0));
  const WalshAlgorithm algorithm = algorithm_arg(state.range(1));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        strider::utils::walsh_median(x.row(0).transpose(), WalshPairs::with_self, algorithm));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UtilsWalshMedianOne)
    ->ArgNames({"n", "bisect"})
    ->Args({kOneSample, 0})
    ->Args({kOneSample, 1})
    ->Unit(benchmark::kMillisecond);

// Where bisection overtakes selection (sets kWalshBisectionFrom): 2,000 different samples
// of n values (repeating one sample would train the branch predictor on nth_element).
void BM_UtilsWalshMedianCrossover(benchmark::State& state) {
  const RowMatrixD x = uniforms(strider::bench::size<index_t>(2'000, 4), state.range(0));
  const WalshAlgorithm algorithm = algorithm_arg(state.range(1));
  for (auto _ : state) {
    VectorD out = strider::utils::walsh_median_rows(x, WalshPairs::distinct, 1, algorithm);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * x.rows());
}
BENCHMARK(BM_UtilsWalshMedianCrossover)
    ->ArgNames({"n", "bisect"})
    ->ArgsProduct({{16, 24, 32, 48, 64, 100}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

void BM_UtilsWalshMedianRowsPlain(benchmark::State& state) {
  const RowMatrixD x = uniforms(state.range(0), kSampleSize);
  std::vector<double> w;
  VectorD out(x.rows());
  for (auto _ : state) {
    for (index_t r = 0; r < x.rows(); ++r)
      out(r) = plain_walsh_median(x.row(r).data(), x.cols(), WalshPairs::distinct, w);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsWalshMedianRowsPlain)
    ->Arg(kSamples)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_UtilsWalshMedianRows(benchmark::State& state) {
  const RowMatrixD x = uniforms(state.range(0), kSampleSize);
  const int threads = static_cast<int>(state.range(1));
  const WalshAlgorithm algorithm = algorithm_arg(state.range(2));
  for (auto _ : state) {
    VectorD out = strider::utils::walsh_median_rows(x, WalshPairs::distinct, threads, algorithm);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsWalshMedianRows)
    ->ArgNames({"samples", "threads", "bisect"})
    ->ArgsProduct({{kSamples}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
